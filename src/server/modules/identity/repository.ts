import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { RegionFilter, Grant } from '../../platform/access.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';

const UNIQUE_VIOLATION = '23505';

/** SQL for users, role grants, sessions and login attempts. No rules here: see service.ts. */

export interface UserRow {
  id: number;
  email: string;
  name: string;
  phone: string | null;
  region_code: string | null;
  region_name: string | null;
  locale: 'id' | 'en';
  status: 'active' | 'disabled';
  created_at: Date;
}

export interface GrantRow {
  id: number;
  user_id: number;
  role: string;
  scope_type: Grant['scopeType'];
  scope_code: string;
  scope_name: string | null;
  /** For community scopes: the community's regency. */
  scope_region: string | null;
}

const userColumns = [
  'users.id',
  'users.email',
  'users.name',
  'users.phone',
  'users.region_code',
  'regions.name as region_name',
  'users.locale',
  'users.status',
  'users.created_at',
] as const;

export function countUsers(db: Queryable) {
  return db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export function findUserById(db: Queryable, id: number): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .leftJoin('regions', 'regions.code', 'users.region_code')
    .select(userColumns)
    .where('users.id', '=', id)
    .executeTakeFirst();
}

export function findCredentialsByEmail(db: Queryable, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'password_hash', 'status', 'failed_logins', 'locked_until'])
    .where('email', '=', email)
    .executeTakeFirst();
}

export function emailExists(db: Queryable, email: string) {
  return db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst().then(Boolean);
}

export async function insertUser(
  db: Queryable,
  user: { email: string; name: string; phone: string | null; regionCode: string | null; passwordHash: string; locale?: 'id' | 'en' },
): Promise<number> {
  try {
    const row = await db
      .insertInto('users')
      .values({
        email: user.email,
        name: user.name,
        phone: user.phone,
        region_code: user.regionCode,
        password_hash: user.passwordHash,
        locale: user.locale ?? 'id',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  } catch (err) {
    // Two requests with the same new e-mail: the unique index decides, the loser gets a clear answer.
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new AppError('email_taken');
    throw err;
  }
}

export async function updateUser(
  db: Queryable,
  id: number,
  patch: Partial<{ name: string; phone: string | null; region_code: string | null; status: 'active' | 'disabled'; locale: 'id' | 'en'; password_hash: string }>,
) {
  await db
    .updateTable('users')
    .set({ ...patch, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function listUsers(
  db: Queryable,
  opts: { filter: RegionFilter; q?: string; regionCode?: string; limit: number; offset: number },
): Promise<{ items: UserRow[]; total: number }> {
  let qb = db.selectFrom('users').leftJoin('regions', 'regions.code', 'users.region_code');
  // A region and everything beneath it: the code itself or the code followed by a dot.
  const within = (codes: string[]) =>
    qb.where((eb) => eb.or(codes.flatMap((code) => [eb('users.region_code', '=', code), eb('users.region_code', 'like', `${code}.%`)])));
  if (opts.filter.kind === 'none') qb = qb.where(sql<boolean>`false`);
  if (opts.filter.kind === 'prefixes') qb = within(opts.filter.codes);
  if (opts.regionCode) qb = within([opts.regionCode]);
  if (opts.q) {
    const pattern = `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    qb = qb.where((eb) => eb.or([eb('users.name', 'ilike', pattern), eb('users.email', 'ilike', pattern)]));
  }
  const [items, total] = await Promise.all([
    qb.select(userColumns).orderBy('users.name').orderBy('users.id').limit(opts.limit).offset(opts.offset).execute(),
    qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export function grantsOfUsers(db: Queryable, userIds: number[]): Promise<GrantRow[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('role_assignments as ra')
    .leftJoin('regions', (join) =>
      join.onRef('regions.code', '=', 'ra.scope_code').on('ra.scope_type', 'in', ['province', 'regency']),
    )
    // Community ids are kept as text in scope_code; compare as text so no cast can fail.
    .leftJoin('communities', (join) =>
      join.on(sql`communities.id::text`, '=', sql.ref('ra.scope_code')).on('ra.scope_type', '=', 'community'),
    )
    .select([
      'ra.id',
      'ra.user_id',
      'ra.role',
      'ra.scope_type',
      'ra.scope_code',
      (eb) => eb.fn.coalesce('regions.name', 'communities.name').as('scope_name'),
      'communities.regency_code as scope_region',
    ])
    .where('ra.user_id', 'in', userIds)
    .orderBy('ra.id')
    .execute();
}

/** Active users holding national_admin, other than the given one. */
export function countActiveNationalAdmins(db: Queryable, exceptUserId: number) {
  return db
    .selectFrom('role_assignments as ra')
    .innerJoin('users', 'users.id', 'ra.user_id')
    .select((eb) => eb.fn.count<number>('ra.user_id').distinct().as('n'))
    .where('ra.role', '=', 'national_admin')
    .where('users.status', '=', 'active')
    .where('users.id', '!=', exceptUserId)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

/**
 * The regency of a community that may hold admins (pending or active: a rejected or deactivated
 * community has none). Read here, not through the registry, to keep identity free of a dependency on it.
 */
export function communityRegion(db: Queryable, communityId: number): Promise<string | undefined> {
  return db
    .selectFrom('communities')
    .select('regency_code')
    .where('id', '=', communityId)
    .where('status', 'in', ['pending', 'active'])
    .executeTakeFirst()
    .then((r) => r?.regency_code);
}

export async function insertGrant(db: Queryable, userId: number, grant: Grant, grantedBy: number | null): Promise<number | null> {
  const row = await db
    .insertInto('role_assignments')
    .values({ user_id: userId, role: grant.role, scope_type: grant.scopeType, scope_code: grant.scopeCode, granted_by: grantedBy })
    .onConflict((oc) => oc.columns(['user_id', 'role', 'scope_type', 'scope_code']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function deleteGrant(db: Queryable, grantId: number) {
  await db.deleteFrom('role_assignments').where('id', '=', grantId).execute();
}

/** Deletes every grant scoped to one community and returns what was deleted. */
export function deleteCommunityGrants(db: Queryable, communityId: number) {
  return db
    .deleteFrom('role_assignments')
    .where('scope_type', '=', 'community')
    .where('scope_code', '=', String(communityId))
    .returning(['id', 'user_id', 'role', 'scope_type', 'scope_code'])
    .execute();
}

export function regionLevel(db: Queryable, code: string): Promise<number | undefined> {
  return db
    .selectFrom('regions')
    .select('level')
    .where('code', '=', code)
    .executeTakeFirst()
    .then((r) => r?.level);
}

// Sessions

export async function insertSession(
  db: Queryable,
  s: { tokenHash: string; userId: number; csrfToken: string; expiresAt: Date; ip: string | null; userAgent: string | null },
) {
  await db
    .insertInto('sessions')
    .values({
      token_hash: s.tokenHash,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      expires_at: s.expiresAt,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

export function findLiveSession(db: Queryable, tokenHash: string, maxAgeDays: number) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.csrf_token',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.id as user_id',
      'users.name',
      'users.email',
      'users.locale',
      'users.region_code',
      'users.status',
      // Grants in the same round trip: this runs on every request that carries a session cookie.
      (eb) =>
        jsonArrayFrom(
          eb
            .selectFrom('role_assignments as ra')
            .select(['ra.role', 'ra.scope_type', 'ra.scope_code'])
            .whereRef('ra.user_id', '=', 'users.id')
            .orderBy('ra.id'),
        ).as('grants'),
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .where('sessions.created_at', '>', sql<Date>`now() - make_interval(days => ${maxAgeDays})`)
    .executeTakeFirst();
}

export async function touchSession(db: Queryable, tokenHash: string, expiresAt: Date) {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: sql`now()`, expires_at: expiresAt })
    .where('token_hash', '=', tokenHash)
    .execute();
}

export async function deleteSession(db: Queryable, tokenHash: string) {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteSessionsOfUser(db: Queryable, userId: number) {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function deleteExpiredSessions(db: Queryable) {
  await db.deleteFrom('sessions').where('expires_at', '<=', sql<Date>`now()`).execute();
}

// Login throttling. Attempts are counted *before* the slow password check, so a burst of
// parallel guesses cannot all slip past a limit that is only updated afterwards.

// Namespace of the two-key advisory locks taken per client address (two-key locks never collide
// with the single-key ones in platform/locks.ts).
const CLIENT_LOCK_NAMESPACE = 727;

/**
 * Counts the client's recent failures and, if under the limit, records this attempt as a failure
 * until it succeeds. Serialised per client address. Returns the attempt id, or null when limited.
 */
export async function reserveClientAttempt(tx: Queryable, clientKey: string, maxFailures: number, windowSeconds: number) {
  await sql`SELECT pg_advisory_xact_lock(${CLIENT_LOCK_NAMESPACE}, hashtext(${clientKey}))`.execute(tx);
  const { n } = await tx
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('client_key', '=', clientKey)
    .where('succeeded', '=', false)
    .where('attempted_at', '>', sql<Date>`now() - make_interval(secs => ${windowSeconds})`)
    .executeTakeFirstOrThrow();
  if (Number(n) >= maxFailures) return null;
  const row = await tx.insertInto('login_attempts').values({ client_key: clientKey, succeeded: false }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function markAttemptSucceeded(db: Queryable, attemptId: number) {
  await db.updateTable('login_attempts').set({ succeeded: true }).where('id', '=', attemptId).execute();
}

/** Counts one more attempt on the account (unless it is locked) and returns the count and lock. */
export function reserveAccountAttempt(tx: Queryable, userId: number) {
  return tx
    .updateTable('users')
    .set({ failed_logins: sql`CASE WHEN locked_until > now() THEN failed_logins ELSE failed_logins + 1 END` })
    .where('id', '=', userId)
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirstOrThrow();
}

export async function lockAccount(tx: Queryable, userId: number, lockMinutes: number): Promise<Date> {
  const row = await tx
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: sql`now() + make_interval(mins => ${lockMinutes})` })
    .where('id', '=', userId)
    .returning('locked_until')
    .executeTakeFirstOrThrow();
  return new Date(row.locked_until!);
}

/** Resets the counter after a right password, unless a parallel attempt locked the account meanwhile. */
export async function clearFailedLoginsIfUnlocked(db: Queryable, userId: number): Promise<boolean> {
  const row = await db
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: null })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', sql<Date>`now()`)]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteOldLoginAttempts(db: Queryable, olderThanSeconds: number) {
  await db
    .deleteFrom('login_attempts')
    .where('attempted_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
    .execute();
}

/** Active users holding regional_coordinator for each of these regencies: regency → coordinators. */
export async function regencyCoordinators(db: Queryable, regencyCodes: string[]): Promise<Map<string, { id: number; name: string }[]>> {
  const out = new Map<string, { id: number; name: string }[]>();
  if (!regencyCodes.length) return out;
  const rows = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('users as u', 'u.id', 'ra.user_id')
    .select(['ra.scope_code', 'u.id', 'u.name'])
    .where('ra.role', '=', 'regional_coordinator')
    .where('ra.scope_type', '=', 'regency')
    .where('ra.scope_code', 'in', regencyCodes)
    .where('u.status', '=', 'active')
    .orderBy('u.name')
    .execute();
  for (const r of rows) out.set(r.scope_code, [...(out.get(r.scope_code) ?? []), { id: r.id, name: r.name }]);
  return out;
}
