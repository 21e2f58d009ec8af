import { createRequire } from 'node:module';
import type { AxeResults, Result, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

// Accessibility checks with axe-core in a Playwright page. The console's Content-Security-Policy runs
// only its own scripts, so axe's source goes in through the DevTools protocol (page.evaluate), which
// the policy does not govern, rather than as a <script> tag.

const axeSource: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** The impacts that fail a page: a user is blocked (critical) or seriously hindered (serious). */
const FAILING: ReadonlySet<string> = new Set(['serious', 'critical']);

/** The serious and critical violations of WCAG 2.x A/AA (and axe's best practices) on the page as it is now. */
export async function seriousA11yViolations(page: Page, opts: { include?: string; exclude?: string[] } = {}): Promise<Result[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource);
  const context = { include: [opts.include ?? 'html'], exclude: opts.exclude ?? [] };
  const options: RunOptions = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } };
  const results = await page.evaluate(
    ([ctx, o]) => (globalThis as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<AxeResults> } }).axe.run(ctx, o),
    [context, options] as const,
  );
  return results.violations.filter((v) => FAILING.has(v.impact ?? ''));
}

/** The violations as a readable list: rule, what it asks for, and the selectors of the offending elements. */
export function describeViolations(violations: Result[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `    ${n.target.join(' ')}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`);
      const more = v.nodes.length > 8 ? [`    … and ${v.nodes.length - 8} more`] : [];
      return [`[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`, ...nodes, ...more].join('\n');
    })
    .join('\n');
}

/** Fails with the list of violations when the page has a serious or critical one; `label` names the page in the message. */
export async function expectNoSeriousA11yViolations(page: Page, label = page.url(), opts: { include?: string; exclude?: string[] } = {}): Promise<void> {
  const violations = await seriousA11yViolations(page, opts);
  if (violations.length > 0) {
    throw new Error(`${label}: ${violations.length} serious or critical accessibility violation(s)\n${describeViolations(violations)}`);
  }
}
