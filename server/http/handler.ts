import type { z } from 'zod';
import type { Auth } from '../modules/auth/access';
import { ValidationError } from './errors';

declare module 'express-serve-static-core' {
  // Module augmentation needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface Request {
    auth?: Auth;
    sessionToken?: string;
  }
}

/** Parses input with a zod schema; a failure is a 400 naming each field. */
/** Where a value holds a NUL character (no text field may: databases refuse or cut it), or null. */
function nulAt(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = nulAt(v, path ? `${path}.${k}` : k);
      if (found !== null) return found;
    }
  }
  return null;
}

export function parse<S extends z.ZodTypeAny>(schema: S, input: unknown, prefix?: string): z.infer<S> {
  const nul = nulAt(input, prefix ?? '');
  if (nul !== null) throw ValidationError.field(nul || 'body', 'contains a NUL character');
  const r = schema.safeParse(input ?? {});
  if (!r.success) throw ValidationError.fromZod(r.error, prefix);
  return r.data as z.infer<S>;
}
