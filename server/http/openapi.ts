import { OpenAPIRegistry, OpenApiGeneratorV3, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorBody } from '../../contracts/schemas/common';

extendZodWithOpenApi(z);

type Operation = {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  tag: string;
  params: string[];
  summary: string;
  query?: z.ZodTypeAny;
  body?: z.ZodTypeAny;
  response?: z.ZodTypeAny;
  status?: number;
  auth?: boolean;
};

const operations = new Map<string, Operation>();

export function registerOperation(op: Operation): void {
  operations.set(`${op.method} ${op.path}`, op);
}

const ERRORS: Record<number, string> = {
  400: 'Invalid input: error.details names each field',
  401: 'Not signed in',
  403: 'Your role may not do this (or the CSRF header is missing)',
  404: 'No such record',
  409: 'Stale version or duplicate: error.current holds the current record',
  422: 'The record is in a state that forbids the action',
};

// Query objects whose fields are transformed cannot be described field by field; their input shape can.
function queryObject(schema: z.ZodTypeAny): z.AnyZodObject | undefined {
  let s: z.ZodTypeAny = schema;
  while (s instanceof z.ZodEffects) s = s.innerType();
  return s instanceof z.ZodObject ? s : undefined;
}

let cached: object | undefined;

export function openApiDocument(): object {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  registry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'cc_session' });
  for (const op of operations.values()) {
    const json = (schema: z.ZodTypeAny) => ({ content: { 'application/json': { schema } } });
    const responses: Record<string, { description: string; content?: object }> = {
      [String(op.status ?? 200)]: op.response ? { description: 'OK', ...json(op.response) } : { description: 'OK' },
    };
    for (const [code, description] of Object.entries(ERRORS)) responses[code] = { description, ...json(errorBody) };
    const query = op.query ? queryObject(op.query) : undefined;
    registry.registerPath({
      method: op.method,
      path: op.path.replace(/:(\w+)/g, '{$1}'),
      tags: [op.tag],
      summary: op.summary,
      ...(op.auth !== false && { security: [{ bearer: [] }, { session: [] }] }),
      request: {
        ...(op.params.length && { params: z.object(Object.fromEntries(op.params.map((p) => [p, p === 'id' ? z.number().int() : z.string()]))) }),
        ...(query && { query }),
        ...(op.body && { body: { content: { 'application/json': { schema: op.body } } } }),
      },
      responses,
    });
  }
  const generator = new OpenApiGeneratorV3(registry.definitions);
  cached = generator.generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'CommerceCore API',
      version: '1.0.0',
      description: 'Orders, customers, products and taxes of the CommerceCore console. Money is integer minor units.',
    },
    servers: [{ url: '/' }],
  });
  return cached;
}
