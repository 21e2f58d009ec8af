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
export function parse<S extends z.ZodTypeAny>(schema: S, input: unknown, prefix?: string): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) throw ValidationError.fromZod(r.error, prefix);
  return r.data as z.infer<S>;
}
