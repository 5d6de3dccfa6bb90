/** Factories for integration tests: users with roles, and logged-in HTTP clients. */
import type { Grant } from '../src/server/platform/access.ts';
import type { AppContext } from '../src/server/platform/context.ts';
import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../src/server/platform/http.ts';
import { hashPassword } from '../src/server/modules/identity/password.ts';
import * as repo from '../src/server/modules/identity/repository.ts';
import { normalizePersonName } from '../src/lib/names/index.ts';
import type { PartnerType } from '../src/server/platform/schema.ts';

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

// ---------------------------------------------------------------- registry (Jejaring)

let registryCounter = 0;

/** A community-scoped grant: the admin of one community (scope_code is the community id). */
export const communityAdminGrant = (communityId: number): Grant => ({ role: 'community_admin', scopeType: 'community', scopeCode: String(communityId) });

export interface MadeCommunity {
  id: number;
  name: string;
  regencyCode: string;
}

/** A community written straight to the database (no rules, no audit): test set-up only. */
export async function makeCommunity(
  ctx: AppContext,
  opts: { name?: string; regencyCode?: string; status?: 'pending' | 'active' | 'rejected' | 'inactive'; subsectors?: string[] } = {},
): Promise<MadeCommunity> {
  registryCounter += 1;
  const name = opts.name ?? `Komunitas Uji ${registryCounter}`;
  const regencyCode = opts.regencyCode ?? '32.73';
  const id = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('communities')
      .values({ name, search_name: normalizePersonName(name), regency_code: regencyCode, status: opts.status ?? 'active' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const code of opts.subsectors ?? []) await tx.insertInto('community_subsectors').values({ community_id: row.id, subsector_code: code }).execute();
    return row.id;
  });
  return { id, name, regencyCode };
}

export interface MadeMember {
  id: number;
  fullName: string;
  regencyCode: string;
}

/** A member written straight to the database (no rules, no audit): test set-up only. */
export async function makeMember(
  ctx: AppContext,
  opts: {
    fullName?: string;
    regencyCode?: string;
    districtCode?: string | null;
    nik?: string | null;
    phone?: string | null;
    email?: string | null;
    gender?: 'L' | 'P' | null;
    birthDate?: string | null;
    status?: 'pending' | 'active' | 'rejected' | 'deleted';
    userId?: number | null;
    subsectors?: string[];
    communities?: { communityId: number; role?: 'leader' | 'admin' | 'member' }[];
  } = {},
): Promise<MadeMember> {
  registryCounter += 1;
  const fullName = opts.fullName ?? `Anggota Uji ${registryCounter}`;
  const regencyCode = opts.regencyCode ?? '32.73';
  const id = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('members')
      .values({
        full_name: fullName,
        search_name: normalizePersonName(fullName),
        nik: opts.nik ?? null,
        phone: opts.phone ?? null,
        email: opts.email ?? null,
        gender: opts.gender ?? null,
        birth_date: opts.birthDate ?? null,
        regency_code: regencyCode,
        district_code: opts.districtCode ?? null,
        status: opts.status ?? 'active',
        user_id: opts.userId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const code of opts.subsectors ?? []) await tx.insertInto('member_subsectors').values({ member_id: row.id, subsector_code: code }).execute();
    for (const c of opts.communities ?? []) {
      await tx.insertInto('member_communities').values({ member_id: row.id, community_id: c.communityId, role: c.role ?? 'member' }).execute();
    }
    return row.id;
  });
  return { id, fullName, regencyCode };
}

/** A chapter written straight to the database: test set-up only. */
export async function makeChapter(ctx: AppContext, opts: { regencyCode: string; name?: string; contactEmail?: string | null; contactPhone?: string | null }) {
  const row = await ctx.db
    .insertInto('chapters')
    .values({
      regency_code: opts.regencyCode,
      name: opts.name ?? `ICCN ${opts.regencyCode}`,
      contact_email: opts.contactEmail ?? 'chapter@contoh.id',
      contact_phone: opts.contactPhone ?? '+6281234567890',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, regencyCode: opts.regencyCode };
}

/** A partner (and its agreements) written straight to the database: test set-up only. */
export async function makePartner(
  ctx: AppContext,
  opts: {
    name?: string;
    type?: PartnerType;
    regionCode?: string | null;
    agreements?: { title?: string; scopeCode?: string | null; allowsPersonalData?: boolean; validFrom?: string; validUntil?: string | null }[];
  } = {},
) {
  registryCounter += 1;
  const name = opts.name ?? `Mitra Uji ${registryCounter}`;
  const id = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('partners')
      .values({ name, type: opts.type ?? 'government', region_code: opts.regionCode === undefined ? '32.73' : opts.regionCode })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const a of opts.agreements ?? []) {
      const scope = a.scopeCode ?? '';
      await tx
        .insertInto('partner_agreements')
        .values({
          partner_id: row.id,
          title: a.title ?? 'Nota kesepahaman',
          scope_type: scope === '' ? 'national' : scope.length === 2 ? 'province' : 'regency',
          scope_code: scope,
          valid_from: a.validFrom ?? '2024-01-01',
          valid_until: a.validUntil ?? null,
          allows_personal_data: a.allowsPersonalData ?? false,
        })
        .execute();
    }
    return row.id;
  });
  return { id, name };
}
