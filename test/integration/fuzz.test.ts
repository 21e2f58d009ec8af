import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrder } from '../factories/data';
import { useMailgunStandIn } from '../support/mailgun';
import { useTestServer } from '../support/server';

// Every route of the API (as GET /api/openapi.json describes it) gets bodies, queries and ids generated
// from its own schema, and mutated ones (a NUL, a huge string, wrong types, prototype keys, nothing at
// all); signed in and anonymously. Whatever comes, the answer is never a 5xx (issue 13, finding 7).
// No unhandled rejection either. FUZZ_RUNS sets the requests per route (default and CI: 50, from a new seed each run; 1000 explores).

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);

type Schema = {
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
type Operation = { parameters?: { name: string; in: string; schema: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } };

/** Values a schema accepts, roughly: the shapes a client would send. */
function valid(s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 4) return fc.constant(null);
  const alternatives = s.anyOf ?? s.oneOf;
  let arb: fc.Arbitrary<unknown>;
  if (alternatives?.length) arb = fc.oneof(...alternatives.map((x) => valid(x, depth + 1)));
  else if (s.allOf?.length) arb = valid(s.allOf[0], depth + 1);
  else if (s.enum?.length) arb = fc.constantFrom(...s.enum);
  else if (s.type === 'string') {
    if (s.format === 'date-time') arb = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    else if (s.format === 'date') {
      arb = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    } else if (s.format === 'email') arb = fc.emailAddress();
    else arb = fc.string({ minLength: Math.min(s.minLength ?? 0, 40), maxLength: Math.min(s.maxLength ?? 40, 40) });
  } else if (s.type === 'integer') {
    arb = fc.integer({ min: Math.max(s.minimum ?? -1_000_000, -2_000_000_000), max: Math.min(s.maximum ?? 1_000_000, 2_000_000_000) });
  } else if (s.type === 'number') {
    arb = fc.double({ min: Math.max(s.minimum ?? -1e6, -1e12), max: Math.min(s.maximum ?? 1e6, 1e12), noNaN: true, noDefaultInfinity: true });
  } else if (s.type === 'boolean') arb = fc.boolean();
  else if (s.type === 'array') arb = fc.array(valid(s.items, depth + 1), { minLength: Math.min(s.minItems ?? 0, 3), maxLength: Math.min(s.maxItems ?? 3, 3) });
  else if (s.type === 'object' || s.properties) {
    const props = s.properties ?? {};
    arb = fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valid(v, depth + 1)])), {
      requiredKeys: (s.required ?? []).filter((k) => k in props),
    });
  } else arb = fc.anything({ maxDepth: 1 });
  return s.nullable ? fc.option(arb, { nil: null }) : arb;
}

const NASTY: unknown[] = [
  '\u0000',
  'a\u0000b',
  'x'.repeat(20_000),
  '💥'.repeat(500),
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  -1,
  0,
  1e308,
  -1e308,
  2 ** 63,
  1.5,
  true,
  null,
  [],
  [[[[[]]]]],
  {},
  { __proto__: { admin: true } },
  JSON.parse('{"__proto__":{"polluted":1}}'),
  { constructor: { prototype: { polluted: 1 } } },
  '2026-02-30',
  'NaN',
];

/** A valid value with one of its fields (or itself) replaced by something nasty. */
function mutated(s: Schema | undefined): fc.Arbitrary<unknown> {
  return fc.tuple(valid(s), fc.constantFrom(...NASTY), fc.nat()).map(([value, nasty, n]) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length) return { ...(value as object), [keys[n % keys.length]!]: nasty };
      return { [`k${n % 3}`]: nasty };
    }
    if (Array.isArray(value) && value.length) return value.map((v, i) => (i === n % value.length ? nasty : v));
    return nasty;
  });
}

// How a body is sent: JSON as it should be, or broken (truncated JSON, a multipart form without its end,
// a form, plain text).
const ENCODINGS: { type: string; body: (value: unknown) => string | undefined }[] = [
  { type: 'application/json', body: (v) => (v === undefined ? undefined : JSON.stringify(v)) },
  { type: 'application/json', body: (v) => (v === undefined ? undefined : JSON.stringify(v)) },
  { type: 'application/json', body: (v) => (v === undefined ? '{' : JSON.stringify(v).slice(0, -1)) },
  {
    type: 'multipart/form-data; boundary=----fuzz',
    body: (v) => `------fuzz\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\n${JSON.stringify(v)}`,
  },
  { type: 'multipart/form-data', body: (v) => JSON.stringify(v) },
  { type: 'application/x-www-form-urlencoded', body: (v) => `a=${encodeURIComponent(JSON.stringify(v))}&b[c]=%00&timestamp=x` },
  { type: 'text/plain', body: (v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? '')) },
];

const anyBody = (s: Schema | undefined) => fc.oneof(valid(s), valid(s), mutated(s), mutated(s), fc.anything({ maxDepth: 2 }), fc.constant(undefined));
const ids = fc.constantFrom('1', '2', '3', '999999', '0', '-1', 'abc', '1e3', '%00', '9999999999999999999999', 'S00001', '..%2F..%2Fetc%2Fpasswd');

describe('fuzz: no route answers 5xx, whatever it is sent', () => {
  // Mail through a Mailgun stand-in and inbound email configured, so that its signature checks are fuzzed too.
  const mailgun = useMailgunStandIn();
  const srv = useTestServer({ env: () => mailgun.env() });
  // The server runs in this process: a promise it leaves rejected unhandled is caught here.
  const rejections: string[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason instanceof Error ? (reason.stack ?? reason.message) : String(reason));
  beforeAll(() => void process.on('unhandledRejection', onRejection));
  afterAll(() => void process.off('unhandledRejection', onRejection));

  it(`every route of the OpenAPI description, ${RUNS} requests each, signed in and anonymous`, { timeout: 900_000 }, async () => {
    // Records for the ids to find: orders, an invoice.
    for (let i = 0; i < 3; i++) await makeOrder(srv.admin);
    const doc = (await srv.admin.get('/api/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
    expect(routes.length).toBeGreaterThan(80);
    // The fuzzing user is an administrator of its own, so that a fuzzed PATCH of users 1–3 does not lock it out.
    const fuzzer = await srv.user('admin', 'Fuzz Admin');
    let token = (await fuzzer.post('/api/auth/tokens', { name: 'fuzz' })).body.token as string;
    const failures: string[] = [];
    for (const { path, method, op } of routes) {
      // Signing out, or revoking tokens, would only end the run's own access.
      if (path === '/api/auth/logout' || (path.startsWith('/api/auth/tokens') && method === 'delete')) continue;
      const params = op.parameters ?? [];
      const bodySchema = op.requestBody?.content['application/json']?.schema;
      const query = fc.record(
        Object.fromEntries(
          params.filter((p) => p.in === 'query').map((p) => [p.name, fc.oneof(valid(p.schema).map(String), fc.constantFrom(...NASTY).map(String))]),
        ),
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(ids, query, anyBody(bodySchema), fc.boolean(), fc.constantFrom(...ENCODINGS), async (id, q, body, anonymous, encoding) => {
          const url = new URL(srv.url + path.replace(/\{(\w+)\}/g, () => id));
          for (const [k, v] of Object.entries(q)) url.searchParams.set(k, String(v));
          const sent = encoding.body(body);
          const res = await fetch(url, {
            method: method.toUpperCase(),
            headers: { 'content-type': encoding.type, ...(!anonymous && { authorization: `Bearer ${token}` }) },
            ...(method !== 'get' && method !== 'delete' && sent !== undefined && { body: sent }),
          });
          const text = await res.text();
          // 503 not_configured is no failure but an answer: an integration not set up yet (a channel without
          // its webhook secret, fuzzed into being above) tells the caller to come back once it is.
          const notConfigured = res.status === 503 && text.includes('"code":"not_configured"');
          if (res.status >= 500 && !notConfigured) {
            failures.push(
              `${method.toUpperCase()} ${url.pathname}${url.search} (${encoding.type}) ${JSON.stringify(body)?.slice(0, 300)} → ${res.status} ${text.slice(0, 200)}`,
            );
          }
          if (res.status === 401 && !anonymous) token = (await fuzzer.post('/api/auth/tokens', { name: 'fuzz' })).body.token as string;
        }),
        { numRuns: RUNS },
      );
    }
    // Each failing request, as sent: the route, the query, the body and the answer.
    expect(failures).toEqual([]);
    expect(rejections).toEqual([]);
  });
});
