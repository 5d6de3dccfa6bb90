/** Storage of deduplication runs (migration 0010) and the bulk reads and writes a run needs. */
import { sql, type Selectable } from 'kysely';
import type { Queryable } from '../../platform/db.ts';
import type { DedupRunsTable } from '../../platform/schema.ts';
import type { DedupInput } from './dedup-run.model.ts';

export type RunRow = Selectable<DedupRunsTable>;

export async function insertRun(tx: Queryable, v: { region_code: string | null; created_by: number | null }): Promise<number> {
  const r = await tx.insertInto('dedup_runs').values(v).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function setRunJob(tx: Queryable, id: number, jobId: number) {
  await tx.updateTable('dedup_runs').set({ job_id: jobId }).where('id', '=', id).execute();
}

export async function findRun(db: Queryable, id: number, opts: { lock?: boolean } = {}): Promise<RunRow | undefined> {
  let q = db.selectFrom('dedup_runs').selectAll().where('id', '=', id);
  if (opts.lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** A run that is queued or running over the same region (or national). */
export async function activeRun(db: Queryable, regionCode: string | null): Promise<RunRow | undefined> {
  return db
    .selectFrom('dedup_runs')
    .selectAll()
    .where('status', 'in', ['queued', 'running'])
    .where((eb) => (regionCode === null ? eb('region_code', 'is', null) : eb('region_code', '=', regionCode)))
    .executeTakeFirst();
}

export async function recentRuns(db: Queryable, createdBy: number | null, limit: number): Promise<RunRow[]> {
  let q = db.selectFrom('dedup_runs').selectAll().orderBy('id', 'desc').limit(limit);
  if (createdBy !== null) q = q.where('created_by', '=', createdBy);
  return q.execute();
}

export async function markRunning(db: Queryable, id: number) {
  await db.updateTable('dedup_runs').set({ status: 'running', started_at: sql<Date>`coalesce(started_at, now())` }).where('id', '=', id).where('status', 'in', ['queued', 'running']).execute();
}

export async function markDone(tx: Queryable, id: number, v: { counts: Record<string, unknown>; parameters: Record<string, unknown> }) {
  await tx
    .updateTable('dedup_runs')
    .set({ status: 'done', finished_at: sql<Date>`now()`, counts: JSON.stringify(v.counts), parameters: JSON.stringify(v.parameters), error: null })
    .where('id', '=', id)
    .execute();
}

export async function markFailed(db: Queryable, id: number, error: string) {
  await db.updateTable('dedup_runs').set({ status: 'failed', finished_at: sql<Date>`now()`, error }).where('id', '=', id).where('status', 'in', ['queued', 'running']).execute();
}

/** One page of records in the regencies (all when null), after `afterId`, by id. */
export async function recordPage(db: Queryable, regencies: string[] | null, afterId: number, limit: number): Promise<DedupInput[]> {
  let q = db
    .selectFrom('beneficiary_records')
    .select(['id', 'person_id', 'search_name', 'phonetic_key', 'nik', 'kk', 'birth_date', 'sex', 'regency_code', 'district_code', 'address', 'phone'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit);
  if (regencies !== null) q = q.where('regency_code', 'in', regencies.length ? regencies : ['']);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    personId: Number(r.person_id),
    searchName: r.search_name,
    phoneticKey: r.phonetic_key,
    nik: r.nik,
    kk: r.kk,
    birthDate: r.birth_date,
    sex: r.sex,
    regencyCode: r.regency_code,
    districtCode: r.district_code,
    address: r.address,
    phone: r.phone,
  }));
}

export async function countRecords(db: Queryable, regencies: string[] | null): Promise<number> {
  let q = db.selectFrom('beneficiary_records').select((eb) => eb.fn.countAll<string>().as('n'));
  if (regencies !== null) q = q.where('regency_code', 'in', regencies.length ? regencies : ['']);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export interface CandidateInsert {
  record_a: number;
  record_b: number;
  score: number;
  probability: number;
  explanation: Record<string, unknown>;
  clear_match: boolean;
}

/** Inserts pairs not yet in the queue (pending or decided); returns how many were new. */
export async function insertCandidates(tx: Queryable, runId: number, rows: CandidateInsert[]): Promise<number> {
  if (!rows.length) return 0;
  const r = await tx
    .insertInto('duplicate_candidates')
    .values(rows.map((v) => ({ ...v, explanation: JSON.stringify(v.explanation), dedup_run_id: runId })))
    .onConflict((oc) => oc.columns(['record_a', 'record_b']).doNothing())
    .returning('id')
    .execute();
  return r.length;
}

// ---------------------------------------------------------------- merging a run's clear matches

export interface ClearMatchCounts {
  clear: number;
  pending: number;
  later: number;
  merged: number;
  notSame: number;
  mergeable: number;
}

/**
 * A candidate a bulk merge may take: a clear match of the run, still pending, and never merged
 * before (a pending pair with a merge behind it is one a reviewer merged and then undid).
 */
const neverMerged = sql<boolean>`NOT EXISTS (SELECT 1 FROM person_merges m WHERE m.candidate_id = c.id)`;

/** The run's clear matches by status, and how many a bulk merge would take now. */
export async function clearMatchCounts(db: Queryable, runId: number): Promise<ClearMatchCounts> {
  const rows = await db
    .selectFrom('duplicate_candidates as c')
    .select((eb) => [
      'c.status',
      eb.fn.countAll<string>().as('n'),
      eb.fn.count<string>(sql`CASE WHEN c.status = 'pending' AND ${neverMerged} THEN 1 END`).as('mergeable'),
    ])
    .where('c.dedup_run_id', '=', runId)
    .where('c.clear_match', '=', true)
    .groupBy('c.status')
    .execute();
  const out: ClearMatchCounts = { clear: 0, pending: 0, later: 0, merged: 0, notSame: 0, mergeable: 0 };
  for (const r of rows) {
    const n = Number(r.n);
    out.clear += n;
    out.mergeable += Number(r.mergeable);
    if (r.status === 'not_same') out.notSame = n;
    else out[r.status] = n;
  }
  return out;
}

/** Ids of the clear matches a bulk merge takes, the most probable first. */
export async function mergeableClearMatches(db: Queryable, runId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('duplicate_candidates as c')
    .select('c.id')
    .where('c.dedup_run_id', '=', runId)
    .where('c.clear_match', '=', true)
    .where('c.status', '=', 'pending')
    .where(neverMerged)
    .orderBy('c.probability', 'desc')
    .orderBy('c.id')
    .execute();
  return rows.map((r) => Number(r.id));
}

/** Whether a bulk merge may still take this candidate (a reviewer may have decided it meanwhile). */
export async function isMergeable(db: Queryable, candidateId: number): Promise<boolean> {
  const r = await db.selectFrom('duplicate_candidates as c').select('c.id').where('c.id', '=', candidateId).where('c.status', '=', 'pending').where(neverMerged).executeTakeFirst();
  return r !== undefined;
}

export interface JobRow {
  id: number;
  status: 'queued' | 'running' | 'done' | 'failed';
  created_by: number | null;
  created_at: Date;
  finished_at: Date | null;
  last_error: string | null;
}

/**
 * The latest job of a kind for a run. The jobs table is the platform's (not in the typed schema):
 * the merge of a run's clear matches keeps no state of its own beyond its job and the candidates.
 */
export async function latestJobOfRun(db: Queryable, kind: string, runId: number): Promise<JobRow | undefined> {
  const r = await sql<JobRow>`
    SELECT id, status, created_by, created_at, finished_at, last_error FROM jobs
    WHERE kind = ${kind} AND payload->>'runId' = ${String(runId)}
    ORDER BY id DESC LIMIT 1`.execute(db);
  const row = r.rows[0];
  return row && { ...row, id: Number(row.id), created_by: row.created_by === null ? null : Number(row.created_by) };
}
