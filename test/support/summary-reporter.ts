import path from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

// Ends the run with the line CI reads: `N passed, N failed` (and skipped, when any).
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A file that failed to load (or whose hooks failed) counts as a failure too.
      if (m.state() === 'failed' && ![...m.children.allTests()].some((t) => t.result().state === 'failed')) failed++;
    }
    failed += errors.length;
    // The slowest files, to keep the suite's time in view (CI's limit is the whole run's).
    const slowest = modules
      .map((m) => ({ project: m.project.name, file: path.relative(process.cwd(), m.moduleId), ms: Math.round(m.diagnostic().duration) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15);
    // scripts/test.mjs prints this as the very last line, after vitest's own summary.
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/summary.json', JSON.stringify({ passed, failed, skipped, slowest }));
  }
}
