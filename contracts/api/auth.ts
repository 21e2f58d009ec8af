import { z } from 'zod';
import { apiToken, loginInput, loginResult, mePatch, tokenCreate, tokenCreated, user, userCreate, userPatch } from '../schemas/auth';
import { listOf, listQuery } from '../schemas/common';
import { routeGroup } from './route';

const route = routeGroup('auth');

export const auth = {
  login: route({
    method: 'post',
    path: '/api/auth/login',
    summary: 'Sign in: sets the session cookie',
    auth: false,
    body: loginInput,
    response: loginResult,
    permission: null,
  }),
  logout: route({ method: 'post', path: '/api/auth/logout', summary: 'Sign out', auth: false, permission: null }),
  me: route({ method: 'get', path: '/api/auth/me', summary: 'The signed-in user', response: user, permission: null }),
  session: route({
    method: 'get',
    path: '/api/auth/session',
    summary: 'The signed-in user, or null when signed out (never a 401: the console asks it on its first visit)',
    auth: false,
    response: z.object({ user: user.nullable() }),
    permission: null,
  }),
  updateMe: route({ method: 'patch', path: '/api/auth/me', summary: 'Change my name or email preference', body: mePatch, response: user, permission: null }),
  csrf: route({
    method: 'get',
    path: '/api/auth/csrf',
    summary: 'The CSRF token of this session',
    response: z.object({ csrfToken: z.string().nullable() }),
    permission: null,
  }),
  tokens: route({ method: 'get', path: '/api/auth/tokens', summary: 'My API tokens', response: z.array(apiToken), permission: null }),
  createToken: route({
    method: 'post',
    path: '/api/auth/tokens',
    summary: 'Create an API token (shown once)',
    body: tokenCreate,
    response: tokenCreated,
    status: 201,
    permission: null,
  }),
  revokeToken: route({ method: 'delete', path: '/api/auth/tokens/:id', summary: 'Revoke an API token', permission: null }),
};

const userRoute = routeGroup('users');

export const users = {
  list: userRoute({ method: 'get', path: '/api/users', summary: 'List users (admins)', query: listQuery, response: listOf(user), permission: 'user.manage' }),
  get: userRoute({ method: 'get', path: '/api/users/:id', summary: 'Read a user (admins)', response: user, permission: 'user.manage' }),
  create: userRoute({
    method: 'post',
    path: '/api/users',
    summary: 'Create a user (admins)',
    body: userCreate,
    response: user,
    status: 201,
    permission: 'user.manage',
  }),
  update: userRoute({
    method: 'patch',
    path: '/api/users/:id',
    summary: 'Change a user; deactivating ends their sessions and sockets',
    body: userPatch,
    response: user,
    permission: 'user.manage',
  }),
};
