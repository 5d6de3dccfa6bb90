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
