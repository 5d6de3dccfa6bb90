/** SQL of the beneficiary registry: households, persons, records, duplicate candidates, merges. */
import { sql, type Selectable } from 'kysely';
import type { Queryable } from '../../platform/db.ts';
import type { BeneficiaryRecordsTable, DuplicateStatus, PersonMergesTable, PersonSplitsTable } from '../../platform/schema.ts';
import { LOCK_KEYS } from '../../platform/locks.ts';

const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === UNIQUE_VIOLATION && (!constraint || e.constraint === constraint);
}

/** `all`, or the regencies the caller covers (provinces already expanded). */
export type ScopeCondition = { kind: 'all' } | { kind: 'some'; regencies: string[] };

export type RecordRow = Selectable<BeneficiaryRecordsTable>;
export type MergeRow = Selectable<PersonMergesTable>;
export type SplitRow = Selectable<PersonSplitsTable>;

// ---------------------------------------------------------------- reference data

// Region look-ups are the registry's: the same reference data, one implementation.
export { findRegions, regenciesWithin, type RegionInfo } from '../registry/repository.ts';
import { findRegions } from '../registry/repository.ts';

export async function existingRegions(db: Queryable, codes: string[]): Promise<Set<string>> {
  return new Set((await findRegions(db, codes)).keys());
}

/** The regency codes inside the given province and regency codes (regencies pass through). */
export async function regionNames(db: Queryable, codes: string[]): Promise<Map<string, string>> {
  const regions = await findRegions(db, codes);
  return new Map([...regions].map(([code, r]) => [code, r.name]));
}

/** The current version of a consent text, or undefined for an unknown purpose. */
export async function currentConsentVersion(db: Queryable, purpose: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('consent_texts')
    .select('version')
    .where('purpose', '=', purpose)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.version;
}

// ---------------------------------------------------------------- settings

const SETTINGS_KEY = 'beneficiaries.linkage';

export async function readSettings(db: Queryable): Promise<Record<string, unknown> | undefined> {
  const row = await db.selectFrom('system_state').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst();
  return row?.value;
}

export async function writeSettings(db: Queryable, value: Record<string, unknown>) {
  await sql`INSERT INTO system_state (key, value, updated_at) VALUES (${SETTINGS_KEY}, ${JSON.stringify(value)}::jsonb, now())
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`.execute(db);
}

// ---------------------------------------------------------------- registration

/**
 * Serialises registrations that share a blocking identifier (NIK, KK), so two programmes
 * registering the same person at the same moment do not both create a new person. Transaction
 * scoped; the two-key form keeps these locks apart from the platform's single-key ones.
 */
export async function lockIdentifiers(tx: Queryable, keys: string[]) {
  for (const key of [...new Set(keys)].sort()) {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_KEYS.beneficiaryIdentifier}, hashtext(${key}))`.execute(tx);
  }
}

export async function findRecordByIdempotencyKey(db: Queryable, createdBy: number, key: string): Promise<RecordRow | undefined> {
  return db.selectFrom('beneficiary_records').selectAll().where('created_by', '=', createdBy).where('idempotency_key', '=', key).executeTakeFirst();
}

export async function findRecordBySource(db: Queryable, kind: string, ref: string, externalId: string): Promise<RecordRow | undefined> {
  return db
    .selectFrom('beneficiary_records')
    .selectAll()
    .where('source_kind', '=', kind as RecordRow['source_kind'])
    .where('source_ref', '=', ref)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

export interface BlockingKeys {
  nik: string | null;
  kk: string | null;
  searchName: string;
  birthDate: string | null;
  phoneticKey: string;
  regencyCode: string;
}

/**
 * Records sharing a key with the new one under any blocking rule (OR-ed, as src/lib/linkage
 * does): NIK, KK, normalised name + birth date, phonetic name + regency. Each rule has its own
 * block-size guard (`perRule`), so a placeholder NIK shared by thousands cannot make one
 * registration compare them all, and a crowded rule cannot push another rule's records out: a
 * common name in a big city (hundreds of "Muhammad Rizki" in Kota Bandung) never hides the record
 * with the same NIK. Inside the phonetic block the records born closest to the new one come first
 * (a sub-block by birth date that still forgives a swapped day and month or a year off by one).
 */
export async function blockingCandidates(db: Queryable, k: BlockingKeys, perRule = 200): Promise<RecordRow[]> {
  const base = () => db.selectFrom('beneficiary_records').selectAll();
  const blocks: Promise<RecordRow[]>[] = [];
  if (k.nik) blocks.push(base().where('nik', '=', k.nik).orderBy('id').limit(perRule).execute());
  if (k.kk) blocks.push(base().where('kk', '=', k.kk).orderBy('id').limit(perRule).execute());
  if (k.birthDate) {
    blocks.push(base().where('search_name', '=', k.searchName).where('birth_date', '=', k.birthDate).orderBy('id').limit(perRule).execute());
  }
  let phonetic = base().where('phonetic_key', '=', k.phoneticKey).where('regency_code', '=', k.regencyCode);
  if (k.birthDate) phonetic = phonetic.orderBy(sql`abs(birth_date - ${k.birthDate}::date)`, (ob) => ob.asc().nullsLast());
  blocks.push(phonetic.orderBy('id').limit(perRule).execute());
  // One connection answers a transaction's queries in turn: awaiting them together costs nothing more.
  const byId = new Map<number, RecordRow>();
  for (const rows of await Promise.all(blocks)) for (const r of rows) byId.set(r.id, r);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** The household of a KK, created on first sight (the first record's address describes it). */
export async function householdForKk(
  tx: Queryable,
  v: { kk: string; regency_code: string; district_code: string | null; address: string | null; rt: number | null; rw: number | null },
): Promise<number> {
  await tx.insertInto('households').values(v).onConflict((oc) => oc.column('kk').doNothing()).execute();
  const row = await tx.selectFrom('households').select('id').where('kk', '=', v.kk).executeTakeFirstOrThrow();
  return row.id;
}

export async function insertPerson(tx: Queryable): Promise<number> {
  const row = await tx.insertInto('persons').defaultValues().returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export type RecordValues = Omit<RecordRow, 'id' | 'created_at'>;

export async function insertRecord(tx: Queryable, v: RecordValues): Promise<number> {
  const row = await tx.insertInto('beneficiary_records').values(v).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function insertCandidate(
  tx: Queryable,
  v: { record_a: number; record_b: number; score: number; probability: number; explanation: Record<string, unknown> },
): Promise<number | undefined> {
  const row = await tx
    .insertInto('duplicate_candidates')
    .values({ ...v, explanation: JSON.stringify(v.explanation) })
    .onConflict((oc) => oc.columns(['record_a', 'record_b']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

// ---------------------------------------------------------------- reading

export async function findRecord(db: Queryable, id: number): Promise<RecordRow | undefined> {
  return db.selectFrom('beneficiary_records').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findRecords(db: Queryable, ids: number[]): Promise<Map<number, RecordRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('beneficiary_records').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function recordsOfPerson(db: Queryable, personId: number): Promise<RecordRow[]> {
  return db.selectFrom('beneficiary_records').selectAll().where('person_id', '=', personId).orderBy('id').execute();
}

export async function findPerson(db: Queryable, id: number) {
  return db.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface RecordSearch {
  scope: ScopeCondition;
  text?: string;
  phoneticKey?: string;
  regencies?: string[];
  districtCode?: string;
  limit: number;
  offset: number;
}

/**
 * Records in scope whose name is like `text`: the same phonetic key, or a pg_trgm word similarity
 * of at least 0.5 through the `<%` operator, which the trigram GIN index answers (its threshold is
 * a setting, local to the transaction).
 */
export async function searchRecords(db: Queryable, s: RecordSearch): Promise<{ items: (RecordRow & { score: number | null })[]; total: number }> {
  if (!s.text) return searchRecordsIn(db, s);
  return db.transaction().execute(async (tx) => {
    await sql`SELECT set_config('pg_trgm.word_similarity_threshold', '0.5', true)`.execute(tx);
    return searchRecordsIn(tx, s);
  });
}

async function searchRecordsIn(db: Queryable, s: RecordSearch): Promise<{ items: (RecordRow & { score: number | null })[]; total: number }> {
  let q = db.selectFrom('beneficiary_records');
  if (s.scope.kind === 'some') {
    if (s.scope.regencies.length === 0) return { items: [], total: 0 };
    q = q.where('regency_code', 'in', s.scope.regencies);
  }
  if (s.regencies) {
    if (s.regencies.length === 0) return { items: [], total: 0 };
    q = q.where('regency_code', 'in', s.regencies);
  }
  if (s.districtCode) q = q.where('district_code', '=', s.districtCode);
  if (s.text) {
    const text = s.text;
    q = q.where((eb) => eb.or([eb('phonetic_key', '=', s.phoneticKey ?? ''), sql<boolean>`${text} <% search_name`]));
  }
  const score = s.text ? sql<number>`word_similarity(${s.text}, search_name)` : sql<number | null>`NULL::float8`;
  const items = await q.selectAll().select(score.as('score')).orderBy(sql`score`, sql`desc nulls last`).orderBy('id').limit(s.limit).offset(s.offset).execute();
  const count = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { items: items as (RecordRow & { score: number | null })[], total: Number(count.n) };
}

// ---------------------------------------------------------------- review queue

export interface CandidateRow {
  id: number;
  record_a: number;
  record_b: number;
  score: number;
  probability: number;
  explanation: Record<string, unknown>;
  status: DuplicateStatus;
  decided_by: number | null;
  decided_at: Date | null;
  note: string | null;
  created_at: Date;
}

/** Candidates whose two records are both in scope, most likely first. */
export async function listCandidates(
  db: Queryable,
  f: { scope: ScopeCondition; status?: DuplicateStatus; limit: number; offset: number },
): Promise<{ items: CandidateRow[]; total: number }> {
  let q = db
    .selectFrom('duplicate_candidates as c')
    .innerJoin('beneficiary_records as a', 'a.id', 'c.record_a')
    .innerJoin('beneficiary_records as b', 'b.id', 'c.record_b');
  if (f.scope.kind === 'some') {
    if (f.scope.regencies.length === 0) return { items: [], total: 0 };
    q = q.where('a.regency_code', 'in', f.scope.regencies).where('b.regency_code', 'in', f.scope.regencies);
  }
  if (f.status) q = q.where('c.status', '=', f.status);
  const [items, count] = await Promise.all([
    q.selectAll('c').orderBy('c.probability', 'desc').orderBy('c.id').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items as CandidateRow[], total: Number(count.n) };
}

export async function findCandidate(db: Queryable, id: number): Promise<CandidateRow | undefined> {
  return (await db.selectFrom('duplicate_candidates').selectAll().where('id', '=', id).executeTakeFirst()) as CandidateRow | undefined;
}

/** The candidate, locked until the transaction ends: two reviewers deciding at once take turns. */
export async function lockCandidate(tx: Queryable, id: number): Promise<CandidateRow | undefined> {
  return (await tx.selectFrom('duplicate_candidates').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()) as CandidateRow | undefined;
}

export async function decideCandidate(tx: Queryable, id: number, status: DuplicateStatus, by: number | null, note: string | null) {
  await tx
    .updateTable('duplicate_candidates')
    .set({ status, decided_by: by, decided_at: by === null ? null : new Date(), note })
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------- merges

/** Persons locked in id order (no deadlock between two merges touching the same two persons). */
export async function lockPersons(tx: Queryable, ids: number[]) {
  return tx.selectFrom('persons').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

export async function moveRecords(tx: Queryable, recordIds: number[], fromPerson: number, toPerson: number): Promise<number[]> {
  if (recordIds.length === 0) return [];
  const rows = await tx
    .updateTable('beneficiary_records')
    .set({ person_id: toPerson })
    .where('id', 'in', recordIds)
    .where('person_id', '=', fromPerson)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function setPersonMerged(tx: Queryable, id: number, into: number | null) {
  await tx
    .updateTable('persons')
    .set({ status: into === null ? 'active' : 'merged', merged_into: into })
    .where('id', '=', id)
    .execute();
}

export async function insertMerge(
  tx: Queryable,
  v: { candidate_id: number | null; from_person: number; into_person: number; moved_record_ids: number[]; merged_by: number },
): Promise<number> {
  const row = await tx.insertInto('person_merges').values(v).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

const mergeRow = (r: MergeRow): MergeRow => ({ ...r, moved_record_ids: r.moved_record_ids.map(Number) });

export async function lockMerge(tx: Queryable, id: number): Promise<MergeRow | undefined> {
  const row = await tx.selectFrom('person_merges').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && mergeRow(row);
}

export async function findMerge(db: Queryable, id: number): Promise<MergeRow | undefined> {
  const row = await db.selectFrom('person_merges').selectAll().where('id', '=', id).executeTakeFirst();
  return row && mergeRow(row);
}

/** A merge still in force that took `person` into another one: it must be undone first. */
export async function laterMergeOf(tx: Queryable, person: number): Promise<MergeRow | undefined> {
  const row = await tx
    .selectFrom('person_merges')
    .selectAll()
    .where('from_person', '=', person)
    .where('undone_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row && mergeRow(row);
}

export async function markMergeUndone(tx: Queryable, id: number, by: number) {
  await tx.updateTable('person_merges').set({ undone_by: by, undone_at: new Date() }).where('id', '=', id).execute();
}

export async function mergesOfCandidate(db: Queryable, candidateId: number): Promise<MergeRow | undefined> {
  const row = await db
    .selectFrom('person_merges')
    .selectAll()
    .where('candidate_id', '=', candidateId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row && mergeRow(row);
}

/** Merges into or out of a person, newest first, with the reviewer's note: its history. */
export async function mergesOfPerson(db: Queryable, person: number): Promise<(MergeRow & { note: string | null })[]> {
  const rows = await db
    .selectFrom('person_merges as m')
    .leftJoin('duplicate_candidates as c', 'c.id', 'm.candidate_id')
    .selectAll('m')
    .select('c.note')
    .where((eb) => eb.or([eb('m.into_person', '=', person), eb('m.from_person', '=', person)]))
    .orderBy('m.id', 'desc')
    .execute();
  return rows.map((r) => ({ ...mergeRow(r), note: r.note }));
}

/** The active merge that moved a record, if any (undoing it is how that record leaves). */
export async function activeMergeMoving(db: Queryable, recordId: number, intoPerson: number): Promise<MergeRow | undefined> {
  const row = await db
    .selectFrom('person_merges')
    .selectAll()
    .where('into_person', '=', intoPerson)
    .where('undone_at', 'is', null)
    .where(sql<boolean>`${recordId} = ANY(moved_record_ids)`)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row && mergeRow(row);
}

export async function insertSplit(
  tx: Queryable,
  v: { record_id: number; from_person: number; new_person: number; split_by: number; note: string | null },
): Promise<SplitRow> {
  return tx.insertInto('person_splits').values(v).returningAll().executeTakeFirstOrThrow();
}

export async function splitsOfPerson(db: Queryable, person: number): Promise<SplitRow[]> {
  return db
    .selectFrom('person_splits')
    .selectAll()
    .where((eb) => eb.or([eb('from_person', '=', person), eb('new_person', '=', person)]))
    .orderBy('id', 'desc')
    .execute();
}

/**
 * A reviewer's "not the same person" for a pair, whether or not it was queued before: a pair
 * already queued or decided is overwritten, so a later dedup run leaves it alone.
 */
export async function recordNotSame(
  tx: Queryable,
  v: { record_a: number; record_b: number; score: number; probability: number; explanation: Record<string, unknown>; decided_by: number; note: string | null },
) {
  await tx
    .insertInto('duplicate_candidates')
    .values({ ...v, explanation: JSON.stringify(v.explanation), status: 'not_same', decided_at: new Date() })
    .onConflict((oc) =>
      oc.columns(['record_a', 'record_b']).doUpdateSet({ status: 'not_same', decided_by: v.decided_by, decided_at: new Date(), note: v.note }),
    )
    .execute();
}
