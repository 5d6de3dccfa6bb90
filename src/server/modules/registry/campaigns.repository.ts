/**
 * SQL of update campaigns (their progress) and of the coordinator's pending-approval queue. No
 * rules here (see self-service.service.ts); every function takes the database or a transaction.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Queryable } from '../../platform/db.ts';
import type { Database } from '../../platform/schema.ts';

/** Campaigns a caller may see: all, or those whose scope lies inside one of these province/regency codes. */
export type CampaignScope = { kind: 'all' } | { kind: 'within'; codes: string[] };

export interface CampaignRow {
  id: number;
  scope_type: 'national' | 'province' | 'regency';
  scope_code: string;
  scope_name: string | null;
  message: string | null;
  starts_at: Date;
  ends_at: Date;
  members: number;
  links_issued: number;
  links_used: number;
  verified: number;
  last_issued_at: Date | null;
}

type CampaignEB = ExpressionBuilder<Database & { c: Database['update_campaigns'] }, 'c'>;

function inCallerScope(eb: CampaignEB, scope: CampaignScope): Expression<SqlBool> {
  if (scope.kind === 'all') return sql<SqlBool>`true`;
  if (scope.codes.length === 0) return sql<SqlBool>`false`;
  return eb.and([
    eb('c.scope_type', '!=', 'national'),
    eb.or(scope.codes.flatMap((code) => [eb('c.scope_code', '=', code), eb('c.scope_code', 'like', `${code}.%`)])),
  ]);
}

/**
 * Campaigns with their progress, counted now: active members in scope, links issued (the current
 * ones plus those already used; re-issuing deletes the unused), links used, and members in scope
 * whose data was verified (corrected or confirmed) since the campaign started.
 *
 * Members are counted through their regency (`regency_code = ANY(the scope's regencies)`), which
 * the regency index answers; a `LIKE scope || '.%'` pattern built per row could not use it and
 * would read every member once per campaign.
 */
function campaignsWithProgress(db: Queryable, where: (eb: CampaignEB) => Expression<SqlBool>) {
  const regencies = sql`CASE c.scope_type WHEN 'regency' THEN ARRAY[c.scope_code]
    ELSE ARRAY(SELECT rr.code FROM regions rr WHERE rr.level = 2 AND rr.parent_code = c.scope_code) END`;
  const membersInScope = (extra: ReturnType<typeof sql>) => sql<number>`(CASE WHEN c.scope_type = 'national'
    THEN (SELECT count(*) FROM members m WHERE m.status = 'active' ${extra})
    ELSE (SELECT count(*) FROM members m WHERE m.status = 'active' AND m.regency_code = ANY(${regencies}) ${extra}) END)::int`;
  return db
    .selectFrom('update_campaigns as c')
    .where(where)
    .leftJoin('regions as r', 'r.code', 'c.scope_code')
    .select([
      'c.id',
      'c.scope_type',
      'c.scope_code',
      'r.name as scope_name',
      'c.message',
      'c.starts_at',
      'c.ends_at',
      membersInScope(sql``).as('members'),
      sql<number>`(SELECT count(*) FROM update_links l WHERE l.campaign_id = c.id)::int`.as('links_issued'),
      sql<number>`(SELECT count(*) FROM update_links l WHERE l.campaign_id = c.id AND l.used_at IS NOT NULL)::int`.as('links_used'),
      membersInScope(sql`AND m.verified_at >= c.starts_at`).as('verified'),
      sql<Date | null>`(SELECT max(l.created_at) FROM update_links l WHERE l.campaign_id = c.id)`.as('last_issued_at'),
    ]);
}

/** The campaigns in the caller's scope, newest first, with progress. */
export async function listCampaigns(db: Queryable, scope: CampaignScope, page: { limit: number; offset: number }): Promise<{ items: CampaignRow[]; total: number }> {
  const items = await campaignsWithProgress(db, (eb) => inCallerScope(eb, scope))
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const count = await db
    .selectFrom('update_campaigns as c')
    .where((eb) => inCallerScope(eb, scope))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return { items: items.map(normalise), total: Number(count.n) };
}

const normalise = (r: Omit<CampaignRow, 'id'> & { id: number | string }): CampaignRow => ({ ...r, id: Number(r.id) });

export async function findCampaign(db: Queryable, id: number): Promise<CampaignRow | undefined> {
  const row = await campaignsWithProgress(db, (eb) => eb('c.id', '=', id)).executeTakeFirst();
  return row && normalise(row);
}

/** Members of a campaign who already used a link of it: re-issuing skips them, they have answered. */
export async function membersWhoAnswered(db: Queryable, campaignId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('update_links').select('member_id').where('campaign_id', '=', campaignId).where('used_at', 'is not', null).execute();
  return new Set(rows.map((r) => Number(r.member_id)));
}

// ---------------------------------------------------------------- pending approvals

/** Regencies a caller may decide in: all, or a list (provinces already expanded). */
export type RegencyScope = { kind: 'all' } | { kind: 'some'; regencies: string[] };

export interface PendingRow {
  id: number;
  name: string;
  regency_code: string;
  regency_name: string | null;
  created_at: Date;
}

export interface PendingQueue {
  pending: number;
  overdue: number;
  oldest: PendingRow[];
}

/**
 * Pending registrations of one kind in scope: how many, how many older than `overdueHours`, and
 * the oldest few (the ones to decide first).
 */
export async function pendingQueue(db: Queryable, table: 'members' | 'communities', scope: RegencyScope, overdueHours: number, oldest: number): Promise<PendingQueue> {
  if (scope.kind === 'some' && scope.regencies.length === 0) return { pending: 0, overdue: 0, oldest: [] };
  const nameColumn = table === 'members' ? sql.ref('t.full_name') : sql.ref('t.name');
  const inScope = scope.kind === 'all' ? sql`true` : sql`t.regency_code = ANY(${scope.regencies}::text[])`;
  const counts = await sql<{ pending: number; overdue: number }>`
    SELECT count(*)::int AS pending,
           count(*) FILTER (WHERE t.created_at < now() - make_interval(hours => ${overdueHours}))::int AS overdue
      FROM ${sql.table(table)} t
     WHERE t.status = 'pending' AND ${inScope}`.execute(db);
  const rows = await sql<PendingRow>`
    SELECT t.id, ${nameColumn} AS name, t.regency_code, r.name AS regency_name, t.created_at
      FROM ${sql.table(table)} t LEFT JOIN regions r ON r.code = t.regency_code
     WHERE t.status = 'pending' AND ${inScope}
     ORDER BY t.created_at, t.id
     LIMIT ${oldest}`.execute(db);
  const c = counts.rows[0];
  return { pending: c?.pending ?? 0, overdue: c?.overdue ?? 0, oldest: rows.rows.map((r) => ({ ...r, id: Number(r.id) })) };
}
