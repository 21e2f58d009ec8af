import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layerRules } from '../../eslint.layers.js';

// The layer rules of docs/architecture.md: lint snippets against them (the rules fire), and check what
// lint cannot see (raw SQL on another domain's tables, import cycles) over the real tree.

const root = path.resolve(import.meta.dirname, '../..');

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, { plugins: { '@typescript-eslint': tseslint.plugin } }, ...layerRules],
});

async function errorsOf(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer rules (eslint.layers.js)', () => {
  it('refuses infrastructure importing a domain service', async () => {
    const errors = await errorsOf(
      'server/lib/example.ts',
      "import { createPartner } from '../modules/partners/partner.service';\nexport const x = createPartner;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/no-restricted-imports: .*Infrastructure \(lib, db, http, realtime\) never imports a domain module/);
  });

  it('lets infrastructure know who is asking (auth/access)', async () => {
    expect(await errorsOf('server/http/example.ts', "import { can } from '../modules/auth/access';\nexport const x = can;\n")).toEqual([]);
  });

  it("refuses a module importing another domain's model, allows its own and another's functions", async () => {
    const foreign = await errorsOf(
      'server/modules/accounting/example.ts',
      "import { SaleOrderModel } from '../sales/sale-order.model';\nexport const x = SaleOrderModel;\n",
    );
    expect(foreign).toHaveLength(1);
    expect(foreign[0]).toMatch(/A domain reads another domain's data through that domain's exported functions/);
    const nested = await errorsOf(
      'server/modules/channels/connectors/example.ts',
      "import { PartnerModel } from '../../partners/partner.model';\nexport const x = PartnerModel;\n",
    );
    expect(nested).toHaveLength(1);
    // Not even its type: the owning domain exports the type it lets others hold.
    expect(
      await errorsOf('server/modules/sales/example.ts', "import type { PartnerModel } from '../partners/partner.model';\nexport type X = PartnerModel;\n"),
    ).toHaveLength(1);
    const allowed = [
      "import { InvoiceModel } from './invoice.model';",
      "import { findPartner } from '../partners/partner.service';",
      'export const x = [InvoiceModel, findPartner] as const;',
    ].join('\n');
    expect(await errorsOf('server/modules/accounting/example.ts', allowed)).toEqual([]);
  });

  it('refuses a module importing a workflow; its routes may', async () => {
    const code = "import { confirmSaleOrder } from '../../workflows/sale-order-state.workflow';\nexport const x = confirmSaleOrder;\n";
    const errors = await errorsOf('server/modules/sales/example.ts', code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Only routes, jobs and the app import workflows/);
    expect(await errorsOf('server/modules/sales/example.routes.ts', code)).toEqual([]);
  });

  it('refuses a workflow importing a job processor or the app', async () => {
    const errors = await errorsOf(
      'server/workflows/example.workflow.ts',
      "import { exportOrders } from '../../jobs/processors/export-orders.job';\nexport const x = exportOrders;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/top layer/);
  });

  it('refuses contracts importing the server, and the console importing server code', async () => {
    expect(await errorsOf('contracts/schemas/example.ts', "import { money } from '../../server/lib/money';\nexport const x = money;\n")).toHaveLength(1);
    expect(await errorsOf('web/src/lib/example.ts', "import { money } from '../../../server/lib/money';\nexport const x = money;\n")).toHaveLength(1);
    expect(await errorsOf('web/src/lib/example.ts', "import type { Invoice } from '$contracts/schemas/invoices';\nexport type X = Invoice;\n")).toEqual([]);
  });

  it('keeps CSV writing in server/lib/csv.ts in every layer', async () => {
    const errors = await errorsOf('server/modules/sales/example.ts', "import { stringify } from 'csv-stringify';\nexport const x = stringify;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/csvWriter\/csvText/);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const serverFiles = [...sourceFiles(path.join(root, 'server')), ...sourceFiles(path.join(root, 'jobs')), ...sourceFiles(path.join(root, 'contracts'))];
const rel = (p: string) => path.relative(root, p);

describe('the tree', () => {
  it("has no module reading another domain's tables in raw SQL", () => {
    const modules = serverFiles.filter((f) => rel(f).startsWith('server/modules/'));
    const domainOf = (f: string) => rel(f).split('/')[2]!;
    const owner = new Map<string, string>();
    for (const f of modules) for (const m of readFileSync(f, 'utf8').matchAll(/tableName:\s*'(\w+)'/g)) owner.set(m[1]!, domainOf(f));
    expect(owner.get('sale_orders')).toBe('sales');
    const offences: string[] = [];
    for (const f of modules) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+[`"]?(\w+)/g)) {
        const table = m[1]!;
        if (owner.has(table) && owner.get(table) !== domainOf(f)) offences.push(`${rel(f)}: ${table} (${owner.get(table)})`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('has no import cycle in server/, jobs/ and contracts/', () => {
    const resolve = (from: string, spec: string): string | null => {
      if (!spec.startsWith('.')) return null;
      const base = path.resolve(path.dirname(from), spec).replace(/\.js$/, '');
      for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (serverFiles.includes(candidate)) return candidate;
      return null;
    };
    const graph = new Map(
      serverFiles.map((f) => {
        const info = ts.preProcessFile(readFileSync(f, 'utf8'), true, false);
        return [f, info.importedFiles.map((i) => resolve(f, i.fileName)).filter((t): t is string => t !== null)];
      }),
    );
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const next of graph.get(f) ?? []) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map(rel).join(' -> '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of serverFiles) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('has no server source file over 400 lines', () => {
    const long = serverFiles.map((f) => [rel(f), readFileSync(f, 'utf8').trimEnd().split('\n').length] as const).filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });
});
