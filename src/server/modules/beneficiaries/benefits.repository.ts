/** SQL of the benefit ledger: aid kinds, aid programmes, benefits, partners' PPRL keys. */
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Queryable } from '../../platform/db.ts';
import type { BenefitsTable } from '../../platform/schema.ts';
import type { ScopeCondition } from './repository.ts';

export type BenefitRow = Selectable<BenefitsTable>;

// ---------------------------------------------------------------- aid kinds and programmes

export async function listAidKinds(db: Queryable) {
  return db.selectFrom('aid_kinds').selectAll().orderBy('code').execute();
}

export async function findAidKind(db: Queryable, code: string) {
  return db.selectFrom('aid_kinds').selectAll().where('code', '=', code).executeTakeFirst();
}

export interface ProgrammeRow {
  id: number;
  code: string;
  name: string;
  aid_kinds: string[];
}

function programmes(db: Queryable) {
  return db
    .selectFrom('aid_programmes as p')
    .select(['p.id', 'p.code', 'p.name'])
    .select(
      sql<string[]>`coalesce((SELECT array_agg(k.aid_kind ORDER BY k.aid_kind) FROM aid_programme_kinds k WHERE k.programme_id = p.id), '{}')`.as(
        'aid_kinds',
      ),
    );
}

export async function listProgrammes(db: Queryable): Promise<ProgrammeRow[]> {
  return programmes(db).orderBy('p.code').execute();
}

export async function findProgramme(db: Queryable, code: string): Promise<ProgrammeRow | undefined> {
  return programmes(db).where('p.code', '=', code).executeTakeFirst();
}

/** undefined when the code is taken. */
export async function insertProgramme(tx: Queryable, code: string, name: string, aidKinds: string[]): Promise<number | undefined> {
  const row = await tx.insertInto('aid_programmes').values({ code, name }).onConflict((oc) => oc.column('code').doNothing()).returning('id').executeTakeFirst();
  if (!row) return undefined;
  await tx
    .insertInto('aid_programme_kinds')
    .values(aidKinds.map((k) => ({ programme_id: row.id, aid_kind: k })))
    .execute();
  return row.id;
}

// ---------------------------------------------------------------- partners

export async function findPartner(db: Queryable, id: number) {
  return db.selectFrom('partners').select(['id', 'name', 'region_code']).where('id', '=', id).executeTakeFirst();
}

/** The partner's agreements valid on `day` (YYYY-MM-DD). */
export async function validAgreements(db: Queryable, partnerId: number, day: string) {
  return db
    .selectFrom('partner_agreements')
    .select(['id', 'scope_type', 'scope_code', 'allows_personal_data'])
    .where('partner_id', '=', partnerId)
    .where('valid_from', '<=', day)
    .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>=', day)]))
    .orderBy('id')
    .execute();
}

export async function findPprlKey(db: Queryable, partnerId: number) {
  return db.selectFrom('partner_pprl_keys').selectAll().where('partner_id', '=', partnerId).executeTakeFirst();
}

export async function upsertPprlKey(tx: Queryable, v: { partnerId: number; keyRef: string; fingerprint: string; by: number }) {
  await tx
    .insertInto('partner_pprl_keys')
    .values({ partner_id: v.partnerId, key_ref: v.keyRef, key_fingerprint: v.fingerprint, registered_by: v.by })
    .onConflict((oc) =>
      oc.column('partner_id').doUpdateSet({ key_ref: v.keyRef, key_fingerprint: v.fingerprint, registered_by: v.by, registered_at: sql`now()` }),
    )
    .execute();
}

// ---------------------------------------------------------------- benefits

export async function findBenefitByIdempotencyKey(db: Queryable, createdBy: number, key: string): Promise<BenefitRow | undefined> {
  return db.selectFrom('benefits').selectAll().where('created_by', '=', createdBy).where('idempotency_key', '=', key).executeTakeFirst();
}

export interface NaturalKey {
  recordId: number;
  programmeId: number;
  aidKind: string;
  periodStart: string;
  periodEnd: string;
}

export async function findBenefitByNaturalKey(db: Queryable, k: NaturalKey): Promise<BenefitRow | undefined> {
  return db
    .selectFrom('benefits')
    .selectAll()
    .where('record_id', '=', k.recordId)
    .where('programme_id', '=', k.programmeId)
    .where('aid_kind', '=', k.aidKind)
    .where('period_start', '=', k.periodStart)
    .where('period_end', '=', k.periodEnd)
    .executeTakeFirst();
}

export type BenefitValues = Omit<Insertable<BenefitsTable>, 'id' | 'created_at'>;

/** The new benefit's id, or undefined when the natural key or the idempotency key is already taken. */
export async function insertBenefit(tx: Queryable, v: BenefitValues): Promise<number | undefined> {
  const row = await tx.insertInto('benefits').values(v).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
  return row?.id;
}

/** Rows per INSERT: 15 columns each stays far below PostgreSQL's 65 535 bind parameters. */
const INSERT_CHUNK = 1000;

/** Many benefits at once; answers only those written (a taken natural or idempotency key is skipped). */
export async function insertBenefits(tx: Queryable, values: BenefitValues[]): Promise<{ id: number; record_id: number }[]> {
  const written: { id: number; record_id: number }[] = [];
  for (let i = 0; i < values.length; i += INSERT_CHUNK) {
    const rows = await tx
      .insertInto('benefits')
      .values(values.slice(i, i + INSERT_CHUNK))
      .onConflict((oc) => oc.doNothing())
      .returning(['id', 'record_id'])
      .execute();
    written.push(...rows);
  }
  return written;
}

/** The benefits a caller wrote under one batch key (each benefit's key is `<batch key>#<record id>`). */
export async function benefitsOfBatchKey(db: Queryable, createdBy: number, batchKey: string): Promise<BenefitRow[]> {
  return db
    .selectFrom('benefits')
    .selectAll()
    .where('created_by', '=', createdBy)
    .where(sql<boolean>`starts_with(idempotency_key, ${`${batchKey}#`})`)
    .orderBy('id')
    .execute();
}

/** The benefits of the records under one programme, kind and period (the natural key without the record). */
export async function benefitsByNaturalKeys(db: Queryable, k: Omit<NaturalKey, 'recordId'> & { recordIds: number[] }): Promise<BenefitRow[]> {
  if (k.recordIds.length === 0) return [];
  return db
    .selectFrom('benefits')
    .selectAll()
    .where('record_id', 'in', k.recordIds)
    .where('programme_id', '=', k.programmeId)
    .where('aid_kind', '=', k.aidKind)
    .where('period_start', '=', k.periodStart)
    .where('period_end', '=', k.periodEnd)
    .execute();
}

/** A benefit with its programme, partner and the person its record belongs to *now*. */
export interface BenefitView extends BenefitRow {
  current_person_id: number;
  programme_code: string;
  programme_name: string;
  partner_name: string | null;
}

function benefitViews(db: Queryable) {
  return db
    .selectFrom('benefits as b')
    .innerJoin('beneficiary_records as r', 'r.id', 'b.record_id')
    .innerJoin('aid_programmes as p', 'p.id', 'b.programme_id')
    .leftJoin('partners as pa', 'pa.id', 'b.partner_id')
    .selectAll('b')
    .select(['r.person_id as current_person_id', 'p.code as programme_code', 'p.name as programme_name', 'pa.name as partner_name']);
}

export async function findBenefitView(db: Queryable, id: number): Promise<BenefitView | undefined> {
  return benefitViews(db).where('b.id', '=', id).executeTakeFirst();
}

/** Every benefit given through any record of the persons (merges resolved: records follow their person). */
export async function benefitsOfPersons(db: Queryable, personIds: number[], aidKind?: string): Promise<BenefitView[]> {
  if (personIds.length === 0) return [];
  let q = benefitViews(db).where('r.person_id', 'in', personIds);
  if (aidKind) q = q.where('b.aid_kind', '=', aidKind);
  return q.orderBy('b.delivered_at').orderBy('b.id').execute();
}

export interface OverlapQuery {
  aidKind: string;
  periodStart: string;
  periodEnd: string;
  /** Only benefits given in these regencies (the benefit's record's regency). */
  scope?: ScopeCondition;
}

const overlapping = (db: Queryable, q: OverlapQuery) => {
  let query = benefitViews(db).where('b.aid_kind', '=', q.aidKind).where('b.period_start', '<=', q.periodEnd).where('b.period_end', '>=', q.periodStart);
  if (q.scope?.kind === 'some') query = query.where('b.regency_code', 'in', q.scope.regencies.length ? q.scope.regencies : ['']);
  return query;
};

/** Benefits of one kind whose period shares a day with the given one, for the given persons. */
export async function overlappingBenefitsOfPersons(db: Queryable, personIds: number[], q: OverlapQuery): Promise<BenefitView[]> {
  if (personIds.length === 0) return [];
  return overlapping(db, q).where('r.person_id', 'in', personIds).orderBy('b.delivered_at').orderBy('b.id').execute();
}

/** Every benefit of one kind in the period (in scope): the registry side of a PPRL exchange. */
export async function overlappingBenefits(db: Queryable, q: OverlapQuery, limit: number): Promise<BenefitView[]> {
  return overlapping(db, q).orderBy('b.id').limit(limit).execute();
}

/** The records of the persons, in the regencies given (`all`: everywhere). */
export async function recordsOfPersons(db: Queryable, personIds: number[], scope: ScopeCondition) {
  if (personIds.length === 0) return [];
  let q = db
    .selectFrom('beneficiary_records')
    .select(['id', 'person_id', 'full_name', 'nik', 'birth_date', 'regency_code'])
    .where('person_id', 'in', personIds);
  if (scope.kind === 'some') q = q.where('regency_code', 'in', scope.regencies.length ? scope.regencies : ['']);
  return q.orderBy('id').execute();
}

/** Records of a region (regencies, or one district), for an eligible list. */
export async function recordsInRegion(db: Queryable, f: { regencies?: string[]; districtCode?: string }, limit: number) {
  let q = db.selectFrom('beneficiary_records').selectAll();
  if (f.regencies) q = q.where('regency_code', 'in', f.regencies.length ? f.regencies : ['']);
  if (f.districtCode) q = q.where('district_code', '=', f.districtCode);
  return q.orderBy('id').limit(limit).execute();
}
