/**
 * A sliding-window limit shared by every process: each use is a row in `login_attempts` under the
 * caller's key ('registration:<ip>', 'partner_key:<id>'), counted under an advisory lock on that
 * key so two processes cannot both take the last slot. Old rows go with the hourly housekeeping
 * (identity: deleteOldLoginAttempts).
 */
import { sql } from 'kysely';
import type { Queryable } from './db.ts';
import { LOCK_KEYS } from './locks.ts';

export interface RateLimit {
  /** Uses allowed per window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Takes one use for `clientKey` and returns true, or returns false when the window is full.
 * Committed on its own: a use counts whatever the request does next.
 */
export async function takeRateLimitSlot(db: Queryable, clientKey: string, l: RateLimit): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_KEYS.rateLimit}, hashtext(${clientKey}))`.execute(tx);
    const { n } = await tx
      .selectFrom('login_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('client_key', '=', clientKey)
      .where('attempted_at', '>', sql<Date>`now() - make_interval(secs => ${l.windowSeconds})`)
      .executeTakeFirstOrThrow();
    if (Number(n) >= l.limit) return false;
    // succeeded = true: the login limiter counts failures only, and under its own keys.
    await tx.insertInto('login_attempts').values({ client_key: clientKey, succeeded: true }).execute();
    return true;
  });
}
