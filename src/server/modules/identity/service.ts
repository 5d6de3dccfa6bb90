import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import {
  canGrant,
  PERMISSIONS,
  regionFilter,
  ROLE_SCOPES,
  ROLES,
  hasPermission,
  mayGrantRole,
  type Actor,
  type Grant,
  type Role,
} from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { LOCK_KEYS } from '../../platform/locks.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.ts';
import { assertCanGrant, assertCanManageUser, assertCanReadUser, toGrant } from './policy.ts';
import * as repo from './repository.ts';

export interface RequestMeta {
  requestId?: string;
  ip?: string | null;
  userAgent?: string | null;
}

export const LOGIN_LIMITS = {
  /** Failed logins from one client address within the window before it must wait. */
  maxFailuresPerClient: 10,
  clientWindowSeconds: 15 * 60,
  /** Consecutive failed logins on one account before a temporary lock. */
  maxFailuresPerAccount: 5,
  lockMinutes: 15,
};

// Sliding sessions: extend expiry at most once an hour, so a busy user does not write on every request.
const SESSION_TOUCH_INTERVAL_MS = 60 * 60 * 1000;
// However active, a session ends this long after login: a stolen cookie does not live forever.
const SESSION_ABSOLUTE_DAYS = 90;

export interface PublicGrant {
  id: number;
  role: string;
  scopeType: Grant['scopeType'];
  scopeCode: string;
  scopeName: string | null;
}

export interface PublicUser {
  id: number;
  name: string;
  email: string;
  phone: string | null;
  regionCode: string | null;
  regionName: string | null;
  locale: 'id' | 'en';
  status: 'active' | 'disabled';
  grants: PublicGrant[];
  createdAt: string;
}

export interface SessionPayload {
  user: { id: number; name: string; email: string; locale: 'id' | 'en'; regionCode: string | null; regionName: string | null };
  grants: PublicGrant[];
  permissions: string[];
  csrfToken: string;
}

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Audit entries name accounts by id: the log is append-only, so it should hold as little personal data as it can. */
const actorLabel = (actor: Actor) => `user:${actor.userId}`;

/**
 * The network must always keep one active national admin. Serialised by an advisory lock so two
 * admins removing each other at the same moment cannot both succeed.
 */
async function assertAnotherActiveAdmin(tx: Tx, leavingUserId: number) {
  await sql`SELECT pg_advisory_xact_lock(${LOCK_KEYS.lastAdminGuard})`.execute(tx);
  if ((await repo.countActiveNationalAdmins(tx, leavingUserId)) === 0) throw new AppError('last_admin');
}

function presentGrant(g: repo.GrantRow): PublicGrant {
  return { id: g.id, role: g.role, scopeType: g.scope_type, scopeCode: g.scope_code, scopeName: g.scope_name };
}

function presentUser(u: repo.UserRow, grants: repo.GrantRow[]): PublicUser {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    phone: u.phone,
    regionCode: u.region_code,
    regionName: u.region_name,
    locale: u.locale,
    status: u.status,
    grants: grants.filter((g) => g.user_id === u.id).map(presentGrant),
    createdAt: new Date(u.created_at).toISOString(),
  };
}

function auditUser(u: repo.UserRow, grants: repo.GrantRow[]) {
  return {
    email: u.email,
    name: u.name,
    phone: u.phone,
    region_code: u.region_code,
    status: u.status,
    grants: grants.map((g) => `${g.role}@${g.scope_type}:${g.scope_code}`),
  };
}

/** Checks that the scope exists and fits the role; returns the grant with a community's region filled in. */
async function resolveScope(db: Queryable, grant: Grant): Promise<Grant> {
  if (!ROLE_SCOPES[grant.role].includes(grant.scopeType)) {
    throw AppError.invalid({ path: 'scopeType', code: 'scope_not_for_role', params: { role: grant.role, scope: grant.scopeType } });
  }
  if (grant.scopeType === 'national') {
    if (grant.scopeCode !== '') throw AppError.invalid({ path: 'scopeCode', code: 'national_scope_has_no_code' });
    return grant;
  }
  if (grant.scopeType === 'community') {
    const region = /^\d{1,15}$/.test(grant.scopeCode) ? await repo.communityRegion(db, Number(grant.scopeCode)) : undefined;
    if (!region) throw AppError.invalid({ path: 'scopeCode', code: 'unknown_community', params: { code: grant.scopeCode } });
    return { ...grant, scopeRegion: region };
  }
  const level = await repo.regionLevel(db, grant.scopeCode);
  const expected = grant.scopeType === 'province' ? 1 : 2;
  if (level !== expected) {
    const code = grant.scopeType === 'province' ? 'not_a_province_code' : 'not_a_regency_code';
    throw AppError.invalid({ path: 'scopeCode', code, params: { code: grant.scopeCode } });
  }
  return grant;
}

async function assertHomeRegion(db: Queryable, regionCode: string | null) {
  if (regionCode === null) return;
  const level = await repo.regionLevel(db, regionCode);
  if (level === undefined) {
    throw AppError.invalid({ path: 'regionCode', code: 'unknown_region', params: { code: regionCode } });
  }
}

// ---------------------------------------------------------------- first run

export async function setupNeeded(ctx: AppContext): Promise<boolean> {
  return (await repo.countUsers(ctx.db)) === 0;
}

const SETUP_TOKEN_KEY = 'setup_token';
// No 0/O, 1/I/L: the code is read off a console and typed on a phone.
const SETUP_TOKEN_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function setupTokenFile(ctx: AppContext): string {
  return path.join(ctx.config.dataDir, 'setup-token');
}

/**
 * On an empty system, the first-run setup page is open to anyone who can reach the server. From
 * the server's own machine that is the operator; from elsewhere the page also asks for this code,
 * which only the operator can read (console, or the file in the data folder). Shared by every
 * app process through the database. Returns null once setup is done.
 */
export async function ensureSetupToken(ctx: AppContext): Promise<string | null> {
  if (!(await setupNeeded(ctx))) {
    fs.rmSync(setupTokenFile(ctx), { force: true });
    return null;
  }
  const candidate = Array.from(crypto.randomBytes(8), (b) => SETUP_TOKEN_ALPHABET[b % SETUP_TOKEN_ALPHABET.length]).join('');
  await ctx.db
    .insertInto('system_state')
    .values({ key: SETUP_TOKEN_KEY, value: JSON.stringify({ token: `${candidate.slice(0, 4)}-${candidate.slice(4)}` }) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await ctx.db.selectFrom('system_state').select('value').where('key', '=', SETUP_TOKEN_KEY).executeTakeFirstOrThrow();
  const token = String((row.value as { token: string }).token);
  fs.mkdirSync(ctx.config.dataDir, { recursive: true });
  fs.writeFileSync(setupTokenFile(ctx), `${token}\n`, { mode: 0o600 });
  return token;
}

export function isLoopback(ip: string | undefined | null): boolean {
  return !!ip && (ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.'));
}

async function assertSetupToken(ctx: AppContext, given: string | undefined) {
  const row = await ctx.db.selectFrom('system_state').select('value').where('key', '=', SETUP_TOKEN_KEY).executeTakeFirst();
  const expected = row ? String((row.value as { token: string }).token) : '';
  const normalise = (t: string) => t.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const a = Buffer.from(normalise(given ?? ''));
  const b = Buffer.from(normalise(expected));
  if (!expected || a.length !== b.length || !crypto.timingSafeEqual(a, b)) throw new AppError('setup_token_invalid');
}

/** First-run setup through the web: the first national admin, on an empty system only. */
export async function runFirstSetup(ctx: AppContext, input: NewAdmin & { setupToken?: string }, meta: RequestMeta): Promise<number> {
  if (!isLoopback(meta.ip)) await assertSetupToken(ctx, input.setupToken);
  const id = await createNationalAdmin(ctx, input, { onlyIfEmpty: true, actorLabel: 'first-run setup', meta });
  await ctx.db.deleteFrom('system_state').where('key', '=', SETUP_TOKEN_KEY).execute();
  fs.rmSync(setupTokenFile(ctx), { force: true });
  return id;
}

export interface NewAdmin {
  name: string;
  email: string;
  password: string;
}

/**
 * Creates a national admin. Through the web this is allowed only on an empty system
 * (`onlyIfEmpty`); the command line (`simpul admin create`) may add more.
 */
export async function createNationalAdmin(
  ctx: AppContext,
  input: NewAdmin,
  opts: { onlyIfEmpty: boolean; actorLabel: string; meta?: RequestMeta },
): Promise<number> {
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_KEYS.firstRunSetup})`.execute(tx);
    if (opts.onlyIfEmpty && (await repo.countUsers(tx)) > 0) throw new AppError('setup_done');
    if (await repo.emailExists(tx, email)) throw new AppError('email_taken');
    const id = await repo.insertUser(tx, { email, name: input.name.trim(), phone: null, regionCode: null, passwordHash });
    await repo.insertGrant(tx, id, { role: 'national_admin', scopeType: 'national', scopeCode: '' }, null);
    await ctx.audit.record(tx, {
      actorId: opts.onlyIfEmpty ? id : null,
      actorLabel: opts.actorLabel,
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      after: { email, name: input.name.trim(), grants: ['national_admin@national:'] },
      reason: opts.onlyIfEmpty ? 'first-run setup' : 'created on the command line',
      requestId: opts.meta?.requestId,
    });
    return id;
  });
}

// ---------------------------------------------------------------- sessions

export async function login(
  ctx: AppContext,
  input: { email: string; password: string },
  meta: RequestMeta,
): Promise<{ token: string; payload: SessionPayload }> {
  const clientKey = `ip:${meta.ip ?? 'unknown'}`;
  const attemptId = await ctx.db
    .transaction()
    .execute((tx) => repo.reserveClientAttempt(tx, clientKey, LOGIN_LIMITS.maxFailuresPerClient, LOGIN_LIMITS.clientWindowSeconds));
  if (attemptId === null) throw new AppError('rate_limited', { retryAfterSeconds: LOGIN_LIMITS.clientWindowSeconds });

  const user = await repo.findCredentialsByEmail(ctx.db, normaliseEmail(input.email));
  if (!user) {
    // Same work as for a real account, so response time does not reveal which e-mails exist.
    await verifyPassword(input.password, await dummyPasswordHash());
    throw new AppError('invalid_credentials');
  }
  await checkPasswordThrottled(ctx, user, input.password, meta, 'invalid_credentials');
  if (user.status !== 'active') throw new AppError('account_disabled');

  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  await ctx.db.transaction().execute(async (tx) => {
    await repo.markAttemptSucceeded(tx, attemptId);
    await repo.insertSession(tx, {
      tokenHash: hashToken(token),
      userId: user.id,
      csrfToken,
      expiresAt: sessionExpiry(ctx),
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    });
  });
  const resolved = await resolveSession(ctx, token);
  if (!resolved) throw new AppError('internal');
  return { token, payload: await sessionPayload(ctx, resolved.actor, csrfToken) };
}

function lockedError(until: Date): AppError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60000));
  return new AppError('account_locked', { retryAfterSeconds: minutes * 60 }, { minutes });
}

/**
 * Checks a password against the account's lockout: every attempt is counted before the slow hash
 * comparison, so parallel guesses share the same budget of LOGIN_LIMITS.maxFailuresPerAccount.
 * Used by login and by a password change (a stolen session must not allow endless guessing).
 */
async function checkPasswordThrottled(
  ctx: AppContext,
  user: { id: number; password_hash: string },
  password: string,
  meta: RequestMeta,
  wrongPassword: (() => AppError) | 'invalid_credentials',
): Promise<void> {
  const lockFor = async (tx: Tx) => {
    const until = await repo.lockAccount(tx, user.id, LOGIN_LIMITS.lockMinutes);
    await ctx.audit.record(tx, {
      actorId: null,
      actorLabel: 'login throttle',
      action: 'user.lock',
      entityType: 'user',
      entityId: user.id,
      reason: `${LOGIN_LIMITS.maxFailuresPerAccount} failed password attempts`,
      requestId: meta.requestId,
    });
    return until;
  };
  const reservation = await ctx.db.transaction().execute(async (tx) => {
    const r = await repo.reserveAccountAttempt(tx, user.id);
    if (r.locked_until && new Date(r.locked_until).getTime() > Date.now()) return { lockedUntil: new Date(r.locked_until), attempt: 0 };
    if (r.failed_logins > LOGIN_LIMITS.maxFailuresPerAccount) return { lockedUntil: await lockFor(tx), attempt: 0 };
    return { lockedUntil: null, attempt: r.failed_logins };
  });
  if (reservation.lockedUntil) throw lockedError(reservation.lockedUntil);

  if (await verifyPassword(password, user.password_hash)) {
    if (!(await repo.clearFailedLoginsIfUnlocked(ctx.db, user.id))) {
      throw lockedError(new Date(Date.now() + LOGIN_LIMITS.lockMinutes * 60000));
    }
    return;
  }
  if (reservation.attempt >= LOGIN_LIMITS.maxFailuresPerAccount) {
    throw lockedError(await ctx.db.transaction().execute(lockFor));
  }
  throw wrongPassword === 'invalid_credentials' ? new AppError('invalid_credentials') : wrongPassword();
}

function sessionExpiry(ctx: AppContext): Date {
  return new Date(Date.now() + ctx.config.sessionDays * 24 * 60 * 60 * 1000);
}

/** Removes expired sessions and old login attempts (tables that would otherwise only grow). */
export async function cleanUpExpired(ctx: AppContext) {
  await repo.deleteExpiredSessions(ctx.db);
  await repo.deleteOldLoginAttempts(ctx.db, 24 * 60 * 60);
}

export async function logout(ctx: AppContext, token: string) {
  await repo.deleteSession(ctx.db, hashToken(token));
}

export async function resolveSession(
  ctx: AppContext,
  token: string,
): Promise<{ actor: Actor; csrfToken: string; renewed: boolean } | null> {
  if (token.length > 100) return null;
  const tokenHash = hashToken(token);
  const row = await repo.findLiveSession(ctx.db, tokenHash, SESSION_ABSOLUTE_DAYS);
  if (!row || row.status !== 'active') return null;
  const renewed = Date.now() - new Date(row.last_seen_at).getTime() > SESSION_TOUCH_INTERVAL_MS;
  if (renewed) await repo.touchSession(ctx.db, tokenHash, sessionExpiry(ctx));
  return {
    renewed,
    csrfToken: row.csrf_token,
    actor: {
      userId: row.user_id,
      name: row.name,
      email: row.email,
      locale: row.locale,
      regionCode: row.region_code,
      grants: row.grants.map(toGrant),
    },
  };
}

export async function sessionPayload(ctx: AppContext, actor: Actor, csrfToken: string): Promise<SessionPayload> {
  const user = await repo.findUserById(ctx.db, actor.userId);
  if (!user) throw new AppError('unauthenticated');
  const grants = await repo.grantsOfUsers(ctx.db, [actor.userId]);
  return {
    user: {
      id: user.id,
      name: user.name,
      email: user.email,
      locale: user.locale,
      regionCode: user.region_code,
      regionName: user.region_name,
    },
    grants: grants.map(presentGrant),
    permissions: PERMISSIONS.filter((p) => hasPermission(actor, p)),
    csrfToken,
  };
}

// ---------------------------------------------------------------- users and roles

export async function listUsers(
  ctx: AppContext,
  actor: Actor,
  query: { q?: string; regionCode?: string; limit: number; offset: number },
): Promise<{ items: PublicUser[]; total: number }> {
  const filter = regionFilter(actor, 'users.read');
  if (filter.kind === 'none') throw new AppError('forbidden');
  const { items, total } = await repo.listUsers(ctx.db, { filter, ...query });
  const grants = await repo.grantsOfUsers(
    ctx.db,
    items.map((u) => u.id),
  );
  return { items: items.map((u) => presentUser(u, grants)), total };
}

async function loadUser(db: Queryable, id: number) {
  const user = await repo.findUserById(db, id);
  if (!user) throw new AppError('not_found');
  const grants = await repo.grantsOfUsers(db, [id]);
  return { user, grants };
}

export async function getUser(ctx: AppContext, actor: Actor, id: number): Promise<PublicUser> {
  const { user, grants } = await loadUser(ctx.db, id);
  assertCanReadUser(actor, user);
  return presentUser(user, grants);
}

export interface NewUser {
  name: string;
  email: string;
  password: string;
  phone?: string | null;
  regionCode: string;
  grants?: Grant[];
}

export async function createUser(ctx: AppContext, actor: Actor, input: NewUser, meta: RequestMeta): Promise<PublicUser> {
  // The new account's home region must lie in the creator's scope, and so must every role given.
  assertCanManageUser(actor, { region_code: input.regionCode }, []);
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const id = await ctx.db.transaction().execute(async (tx) => {
    await assertHomeRegion(tx, input.regionCode);
    const newGrants: Grant[] = [];
    for (const g of input.grants ?? []) newGrants.push(await resolveScope(tx, g));
    for (const g of newGrants) assertCanGrant(actor, g);
    if (await repo.emailExists(tx, email)) throw new AppError('email_taken');
    const userId = await repo.insertUser(tx, {
      email,
      name: input.name.trim(),
      phone: input.phone ?? null,
      regionCode: input.regionCode,
      passwordHash,
    });
    for (const g of newGrants) await repo.insertGrant(tx, userId, g, actor.userId);
    const { user, grants } = await loadUser(tx, userId);
    await ctx.audit.record(tx, {
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: 'user.create',
      entityType: 'user',
      entityId: userId,
      after: auditUser(user, grants),
      requestId: meta.requestId,
    });
    return userId;
  });
  const { user, grants } = await loadUser(ctx.db, id);
  return presentUser(user, grants);
}

export interface UserPatch {
  name?: string;
  phone?: string | null;
  regionCode?: string;
  status?: 'active' | 'disabled';
}

export async function updateUser(ctx: AppContext, actor: Actor, id: number, patch: UserPatch, meta: RequestMeta): Promise<PublicUser> {
  await ctx.db.transaction().execute(async (tx) => {
    const before = await loadUser(tx, id);
    assertCanManageUser(actor, before.user, before.grants);
    if (patch.regionCode !== undefined) {
      // Moving someone out of your region would hand them to another coordinator: both ends must be yours.
      assertCanManageUser(actor, { region_code: patch.regionCode }, []);
      await assertHomeRegion(tx, patch.regionCode);
    }
    if (patch.status === 'disabled' && before.user.status === 'active') {
      if (id === actor.userId) throw new AppError('cannot_disable_self');
      if (before.grants.some((g) => g.role === 'national_admin')) await assertAnotherActiveAdmin(tx, id);
    }
    await repo.updateUser(tx, id, {
      ...(patch.name !== undefined && { name: patch.name.trim() }),
      ...(patch.phone !== undefined && { phone: patch.phone }),
      ...(patch.regionCode !== undefined && { region_code: patch.regionCode }),
      ...(patch.status !== undefined && { status: patch.status }),
    });
    if (patch.status === 'disabled') await repo.deleteSessionsOfUser(tx, id);
    const after = await loadUser(tx, id);
    await ctx.audit.record(tx, {
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: patch.status && patch.status !== before.user.status ? `user.${patch.status === 'disabled' ? 'disable' : 'enable'}` : 'user.update',
      entityType: 'user',
      entityId: id,
      before: auditUser(before.user, before.grants),
      after: auditUser(after.user, after.grants),
      requestId: meta.requestId,
    });
  });
  const { user, grants } = await loadUser(ctx.db, id);
  return presentUser(user, grants);
}

export async function addGrant(ctx: AppContext, actor: Actor, userId: number, grant: Grant, meta: RequestMeta): Promise<PublicUser> {
  await ctx.db.transaction().execute(async (tx) => {
    const target = await loadUser(tx, userId);
    assertCanGrant(actor, await resolveScope(tx, grant));
    assertCanManageUser(actor, target.user, target.grants);
    const grantId = await repo.insertGrant(tx, userId, grant, actor.userId);
    if (grantId === null) return; // already held: granting twice changes nothing
    await ctx.audit.record(tx, {
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: 'role.grant',
      entityType: 'user',
      entityId: userId,
      after: { grant_id: grantId, role: grant.role, scope_type: grant.scopeType, scope_code: grant.scopeCode },
      requestId: meta.requestId,
    });
  });
  const { user, grants } = await loadUser(ctx.db, userId);
  return presentUser(user, grants);
}

export async function removeGrant(ctx: AppContext, actor: Actor, userId: number, grantId: number, meta: RequestMeta): Promise<PublicUser> {
  await ctx.db.transaction().execute(async (tx) => {
    const target = await loadUser(tx, userId);
    // Revoking takes the same power as managing the account: a coordinator cannot strip a
    // national admin (or anyone holding a role they could not grant) who lives in their region.
    assertCanManageUser(actor, target.user, target.grants);
    const grant = target.grants.find((g) => g.id === grantId);
    if (!grant) throw new AppError('not_found');
    assertCanGrant(actor, toGrant(grant));
    if (grant.role === 'national_admin' && target.user.status === 'active') await assertAnotherActiveAdmin(tx, userId);
    await repo.deleteGrant(tx, grantId);
    await ctx.audit.record(tx, {
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: 'role.revoke',
      entityType: 'user',
      entityId: userId,
      before: { grant_id: grantId, role: grant.role, scope_type: grant.scope_type, scope_code: grant.scope_code },
      requestId: meta.requestId,
    });
  });
  const { user, grants } = await loadUser(ctx.db, userId);
  return presentUser(user, grants);
}

export interface MePatch {
  name?: string;
  phone?: string | null;
  locale?: 'id' | 'en';
  currentPassword?: string;
  newPassword?: string;
}

/** A user changes their own name, phone, language or password; a new password ends their other sessions. */
export async function updateOwnAccount(ctx: AppContext, actor: Actor, patch: MePatch, meta: RequestMeta & { sessionToken?: string }) {
  let passwordHash: string | undefined;
  if (patch.newPassword) {
    const creds = await repo.findCredentialsByEmail(ctx.db, actor.email);
    if (!creds) throw new AppError('unauthenticated');
    await checkPasswordThrottled(ctx, creds, patch.currentPassword ?? '', meta, () =>
      AppError.invalid({ path: 'currentPassword', code: 'current_password_wrong' }),
    );
    passwordHash = await hashPassword(patch.newPassword);
  }
  await ctx.db.transaction().execute(async (tx) => {
    const before = await loadUser(tx, actor.userId);
    await repo.updateUser(tx, actor.userId, {
      ...(patch.name !== undefined && { name: patch.name.trim() }),
      ...(patch.phone !== undefined && { phone: patch.phone }),
      ...(patch.locale !== undefined && { locale: patch.locale }),
      ...(passwordHash && { password_hash: passwordHash }),
    });
    if (passwordHash) {
      await tx
        .deleteFrom('sessions')
        .where('user_id', '=', actor.userId)
        .where('token_hash', '!=', meta.sessionToken ? hashToken(meta.sessionToken) : '')
        .execute();
    }
    const after = await loadUser(tx, actor.userId);
    await ctx.audit.record(tx, {
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: passwordHash ? 'user.update_self.password' : 'user.update_self',
      entityType: 'user',
      entityId: actor.userId,
      before: auditUser(before.user, before.grants),
      after: auditUser(after.user, after.grants),
      requestId: meta.requestId,
    });
  });
  const { user, grants } = await loadUser(ctx.db, actor.userId);
  return presentUser(user, grants);
}

export function listRoles(actor: Actor) {
  return ROLES.map((role: Role) => ({
    role,
    scopeTypes: [...ROLE_SCOPES[role]],
    grantable: ROLE_SCOPES[role].some((scopeType) =>
      scopeType === 'community'
        ? mayGrantRole(actor, role)
        : actor.grants.some((g) => canGrant(actor, { role, scopeType, scopeCode: scopeType === 'national' ? '' : g.scopeCode })),
    ),
  }));
}

/**
 * A user as an actor, read afresh (for work done later on their behalf, like a background import):
 * a user who was disabled meanwhile acts as nobody, and changed grants apply.
 */
export async function actorOfUser(ctx: AppContext, userId: number): Promise<Actor | null> {
  const user = await repo.findUserById(ctx.db, userId);
  if (!user || user.status !== 'active') return null;
  const grants = await repo.grantsOfUsers(ctx.db, [userId]);
  return { userId, name: user.name, email: user.email, locale: user.locale, regionCode: user.region_code, grants: grants.map(toGrant) };
}

/**
 * Revokes every role held in a community's scope, inside the caller's transaction, one audit entry
 * per grant. The registry calls it when a community is rejected or deactivated: its admins must not
 * keep editing it (or its members). The grants are deleted, not suspended, so reactivating the
 * community restores nothing by itself: a coordinator grants the role again, knowingly.
 * Sessions read grants on every request, so the change applies at once.
 */
export async function revokeCommunityGrants(
  ctx: AppContext,
  tx: Queryable,
  actor: Actor,
  communityId: number,
  meta: RequestMeta & { reason: string },
): Promise<number> {
  const revoked = await repo.deleteCommunityGrants(tx, communityId);
  for (const g of revoked) {
    await ctx.audit.record(tx, {
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: 'role.revoke',
      entityType: 'user',
      entityId: g.user_id,
      before: { grant_id: g.id, role: g.role, scope_type: g.scope_type, scope_code: g.scope_code },
      reason: meta.reason,
      requestId: meta.requestId,
    });
  }
  return revoked.length;
}
