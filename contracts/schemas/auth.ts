import { z } from 'zod';
import { ORDER_ACCESS, ROLES } from '../states';
import { emailAddress, id } from './common';

export const loginInput = z.object({
  email: emailAddress,
  password: z.string().min(1).max(200),
});
export type LoginInput = z.infer<typeof loginInput>;

export const user = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  /** `own`: this user sees only the sale orders they created (with their chatter, files and rooms). */
  orderAccess: z.enum(ORDER_ACCESS),
  active: z.boolean(),
  /** Also receive the inbox notifications by email. */
  notifyByEmail: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type User = z.infer<typeof user>;

export const loginResult = z.object({ user, csrfToken: z.string() });
export type LoginResult = z.infer<typeof loginResult>;

export const userCreate = z.object({
  email: emailAddress,
  name: z.string().trim().min(1).max(120),
  role: z.enum(ROLES),
  password: z.string().min(10, 'at least 10 characters').max(200),
  active: z.boolean().default(true),
  orderAccess: z.enum(ORDER_ACCESS).default('all'),
});
export type UserCreate = z.infer<typeof userCreate>;

export const userPatch = z
  .object({
    name: z.string().trim().min(1).max(120),
    role: z.enum(ROLES),
    password: z.string().min(10, 'at least 10 characters').max(200),
    active: z.boolean(),
    orderAccess: z.enum(ORDER_ACCESS),
    version: z.number().int().nonnegative(),
  })
  .partial()
  .strict();
export type UserPatch = z.infer<typeof userPatch>;

export const tokenCreate = z.object({ name: z.string().trim().min(1).max(120) });
export const tokenCreated = z.object({ id: z.number().int(), name: z.string(), token: z.string() });
export const apiToken = z.object({ id: z.number().int(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() });
export type ApiToken = z.infer<typeof apiToken>;

export const idParam = z.object({ id });

/** What a signed-in user may change about themselves. */
export const mePatch = z
  .object({ name: z.string().trim().min(1).max(120), notifyByEmail: z.boolean() })
  .partial()
  .strict();
export type MePatch = z.infer<typeof mePatch>;
