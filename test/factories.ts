/** Factories for integration tests: users with roles, and logged-in HTTP clients. */
import type { Grant } from '../src/server/platform/access.ts';
import type { AppContext } from '../src/server/platform/context.ts';
import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../src/server/platform/http.ts';
import { hashPassword } from '../src/server/modules/identity/password.ts';
import * as repo from '../src/server/modules/identity/repository.ts';

export const DEFAULT_PASSWORD = 'rahasia-simpul-123';
let defaultHash: Promise<string> | undefined;
let counter = 0;

export interface MadeUser {
  id: number;
  email: string;
  password: string;
}

export async function makeUser(
  ctx: AppContext,
  opts: { email?: string; name?: string; regionCode?: string | null; grants?: Grant[]; password?: string } = {},
): Promise<MadeUser> {
  counter += 1;
  const email = opts.email ?? `user${counter}-${Date.now()}@contoh.id`;
  const password = opts.password ?? DEFAULT_PASSWORD;
  const passwordHash = opts.password ? await hashPassword(password) : await (defaultHash ??= hashPassword(DEFAULT_PASSWORD));
  const id = await ctx.db.transaction().execute(async (tx) => {
    const userId = await repo.insertUser(tx, {
      email,
      name: opts.name ?? `Pengguna ${counter}`,
      phone: null,
      regionCode: opts.regionCode === undefined ? '32.73' : opts.regionCode,
      passwordHash,
    });
    for (const g of opts.grants ?? []) await repo.insertGrant(tx, userId, g, null);
    return userId;
  });
  return { id, email, password };
}

export const grants = {
  nationalAdmin: (): Grant => ({ role: 'national_admin', scopeType: 'national', scopeCode: '' }),
  provinceCoordinator: (code: string): Grant => ({ role: 'regional_coordinator', scopeType: 'province', scopeCode: code }),
  regencyCoordinator: (code: string): Grant => ({ role: 'regional_coordinator', scopeType: 'regency', scopeCode: code }),
  member: (code: string): Grant => ({ role: 'member', scopeType: 'regency', scopeCode: code }),
};

export interface Client {
  cookie: string;
  csrf: string;
  request(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export async function login(app: App, user: { email: string; password: string }, ip = '10.1.1.1'): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: user, remoteAddress: ip });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'simpul_session');
  if (!cookie) throw new Error('no session cookie');
  const csrf = res.json().csrfToken as string;
  return {
    cookie: cookie.value,
    csrf,
    request: (method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        payload: body as never,
        cookies: { simpul_session: cookie.value },
        headers: { 'x-csrf-token': csrf, ...headers },
      }),
  };
}

/** The same calls without a session. */
export function anonymous(app: App): Client {
  return {
    cookie: '',
    csrf: '',
    request: (method, url, body, headers = {}) => app.inject({ method, url, payload: body as never, headers }),
  };
}
