/**
 * SQL of the registry: chapters, communities, members, partners and their links. No rules here
 * (see service.ts); every function takes the database or an open transaction.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Queryable } from '../../platform/db.ts';
import type { Database, LegalStatus, PartnerType } from '../../platform/schema.ts';

export const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === UNIQUE_VIOLATION && (!constraint || e.constraint === constraint);
}

/**
 * A list restricted to a caller's reach: `all`, or the regencies they cover (already expanded
 * from province codes) plus the communities they administer.
 */
export type ScopeCondition = { kind: 'all' } | { kind: 'some'; regencies: string[]; communityIds: number[] };

/** Fuzzy name match: `text` is a normalised name, `threshold` the lowest pg_trgm word similarity. */
export interface NameSearch {
  text: string;
  threshold: number;
}

/**
 * Runs `fn` in a transaction where pg_trgm's `<%` operator uses `threshold`: the operator is what
 * lets the GIN trigram index answer, and its threshold is a setting, local to this transaction.
 * Sequential scans are off in it too: the planner prices trigram matching as cheap and, on PGlite
 * with 100,000 members, chose a 450 ms sequential scan for a two-word name ("budi hidayat") over
 * the index; the index (or, with a region filter, the regency index) is always the better plan.
 */
export async function withWordSimilarityThreshold<T>(db: Queryable, search: NameSearch | undefined, fn: (tx: Queryable) => Promise<T>) {
  if (!search) return fn(db);
  return db.transaction().execute(async (tx) => {
    await sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(search.threshold)}, true),
      set_config('enable_seqscan', 'off', true)`.execute(tx);
    return fn(tx);
  });
}

// ---------------------------------------------------------------- reference lookups

export interface RegionInfo {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
}

export async function findRegions(db: Queryable, codes: string[]): Promise<Map<string, RegionInfo>> {
  const unique = [...new Set(codes.filter(Boolean))];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('regions').select(['code', 'name', 'level', 'parent_code']).where('code', 'in', unique).execute();
  return new Map(rows.map((r) => [r.code, r]));
}

/** The regency codes inside the given province and regency codes (regencies pass through). */
export async function regenciesWithin(db: Queryable, codes: string[]): Promise<string[]> {
  const provinces = codes.filter((c) => c.length === 2);
  const regencies = codes.filter((c) => c.length === 5);
  if (provinces.length === 0) return [...new Set(regencies)];
  const rows = await db.selectFrom('regions').select('code').where('level', '=', 2).where('parent_code', 'in', provinces).execute();
  return [...new Set([...regencies, ...rows.map((r) => r.code)])];
}

export async function existingSubsectors(db: Queryable, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db.selectFrom('subsectors').select('code').where('code', 'in', codes).execute();
  return new Set(rows.map((r) => r.code));
}

export interface CommunityRef {
  id: number;
  name: string;
  regency_code: string;
  status: string;
}

export async function findCommunityRefs(db: Queryable, ids: number[]): Promise<Map<number, CommunityRef>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('communities').select(['id', 'name', 'regency_code', 'status']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

// ---------------------------------------------------------------- members

export interface MemberRow {
  id: number;
  full_name: string;
  nik: string | null;
  phone: string | null;
  email: string | null;
  gender: 'L' | 'P' | null;
  birth_date: string | null;
  regency_code: string;
  regency_name: string | null;
  district_code: string | null;
  district_name: string | null;
  skills: string[];
  portfolio_links: string[];
  status: 'pending' | 'active' | 'rejected' | 'deleted';
  source: string;
  user_id: number | null;
  verified_at: Date | null;
  created_at: Date;
  updated_at: Date;
  subsectors: string[];
  communities: { id: number; name: string; role: 'leader' | 'admin' | 'member' }[];
}

export async function findMember(db: Queryable, id: number): Promise<MemberRow | undefined> {
  const row = await db
    .selectFrom('members as m')
    .leftJoin('regions as r', 'r.code', 'm.regency_code')
    .leftJoin('regions as d', 'd.code', 'm.district_code')
    .select((eb) => [
      'm.id',
      'm.full_name',
      'm.nik',
      'm.phone',
      'm.email',
      'm.gender',
      'm.birth_date',
      'm.regency_code',
      'r.name as regency_name',
      'm.district_code',
      'd.name as district_name',
      'm.skills',
      'm.portfolio_links',
      'm.status',
      'm.source',
      'm.user_id',
      'm.verified_at',
      'm.created_at',
      'm.updated_at',
      sql<string[]>`array(SELECT ms.subsector_code FROM member_subsectors ms WHERE ms.member_id = m.id ORDER BY 1)`.as('subsectors'),
      jsonArrayFrom(
        eb
          .selectFrom('member_communities as mc')
          .innerJoin('communities as c', 'c.id', 'mc.community_id')
          .select(['c.id', 'c.name', 'mc.role'])
          .whereRef('mc.member_id', '=', 'm.id')
          .orderBy('c.name'),
      ).as('communities'),
    ])
    .where('m.id', '=', id)
    .where('m.status', '!=', 'deleted')
    .executeTakeFirst();
  return row as MemberRow | undefined;
}

export async function findMemberIdByUser(db: Queryable, userId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('members')
    .select('id')
    .where('user_id', '=', userId)
    .where('status', '!=', 'deleted')
    .orderBy('id')
    .executeTakeFirst();
  return row?.id;
}

/** Another live member holding this NIK (the partial unique index allows one). */
export async function findMemberIdByNik(db: Queryable, nik: string, exceptId?: number): Promise<number | undefined> {
  let q = db.selectFrom('members').select('id').where('nik', '=', nik).where('status', '!=', 'deleted');
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst())?.id;
}

export interface MemberValues {
  full_name: string;
  search_name: string;
  nik: string | null;
  phone: string | null;
  email: string | null;
  gender: 'L' | 'P' | null;
  birth_date: string | null;
  regency_code: string;
  district_code: string | null;
  skills: string[];
  portfolio_links: string[];
}

export async function insertMember(
  db: Queryable,
  values: MemberValues & { status: 'pending' | 'active'; source: 'self_registration' | 'admin' | 'import' | 'demo'; user_id?: number | null },
): Promise<number> {
  const row = await db
    .insertInto('members')
    .values({ ...values, verified_at: sql`now()` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateMember(db: Queryable, id: number, patch: Partial<MemberValues>) {
  await db
    .updateTable('members')
    .set({ ...patch, updated_at: sql`now()`, verified_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function decideMember(db: Queryable, id: number, status: 'active' | 'rejected', by: number, note: string | null) {
  await db
    .updateTable('members')
    .set({ status, decided_by: by, decided_at: sql`now()`, decision_note: note, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function setMemberSubsectors(db: Queryable, memberId: number, codes: string[]) {
  await db.deleteFrom('member_subsectors').where('member_id', '=', memberId).execute();
  if (codes.length) {
    await db
      .insertInto('member_subsectors')
      .values(codes.map((subsector_code) => ({ member_id: memberId, subsector_code })))
      .execute();
  }
}

/** Makes the member's community links exactly `links`; unchanged links keep their join date. */
export async function setMemberCommunities(db: Queryable, memberId: number, links: { communityId: number; role: 'leader' | 'admin' | 'member' }[]) {
  const ids = links.map((l) => l.communityId);
  let del = db.deleteFrom('member_communities').where('member_id', '=', memberId);
  if (ids.length) del = del.where('community_id', 'not in', ids);
  await del.execute();
  if (links.length) {
    await db
      .insertInto('member_communities')
      .values(links.map((l) => ({ member_id: memberId, community_id: l.communityId, role: l.role })))
      .onConflict((oc) =>
        oc
          .columns(['member_id', 'community_id'])
          .doUpdateSet({ role: (eb) => eb.ref('excluded.role') })
          .where('member_communities.role', 'is distinct from', (eb) => eb.ref('excluded.role')),
      )
      .execute();
  }
}

export interface MemberListFilter {
  scope: ScopeCondition;
  search?: NameSearch;
  /** Regencies from a region filter (a province expanded to its regencies). */
  regencies?: string[];
  districtCode?: string;
  subsector?: string;
  communityId?: number;
  status?: 'pending' | 'active' | 'rejected';
  limit: number;
  offset: number;
}

export interface MemberListRow {
  id: number;
  full_name: string;
  phone: string | null;
  gender: 'L' | 'P' | null;
  regency_code: string;
  regency_name: string | null;
  district_code: string | null;
  status: 'pending' | 'active' | 'rejected';
  score: number | null;
  subsectors: string[];
  community_ids: number[];
}

export type MemberEB = ExpressionBuilder<Database & { m: Database['members'] }, 'm'>;

/** The members list's filters (scope, region, status, search, subsector, community); the export reuses them. */
export function memberConditions(eb: MemberEB, f: Omit<MemberListFilter, 'limit' | 'offset'>): Expression<SqlBool> {
  const and: Expression<SqlBool>[] = [eb('m.status', '!=', 'deleted')];
  if (f.scope.kind === 'some') {
    const { regencies, communityIds } = f.scope;
    const reach: Expression<SqlBool>[] = [];
    if (regencies.length) reach.push(eb('m.regency_code', 'in', regencies));
    if (communityIds.length) {
      reach.push(
        eb.exists(
          eb
            .selectFrom('member_communities as smc')
            .select(sql`1`.as('one'))
            .whereRef('smc.member_id', '=', 'm.id')
            .where('smc.community_id', 'in', communityIds),
        ),
      );
    }
    and.push(reach.length ? eb.or(reach) : sql<SqlBool>`false`);
  }
  if (f.regencies) and.push(f.regencies.length ? eb('m.regency_code', 'in', f.regencies) : sql<SqlBool>`false`);
  if (f.districtCode) and.push(eb('m.district_code', '=', f.districtCode));
  if (f.status) and.push(eb('m.status', '=', f.status));
  if (f.search) and.push(sql<SqlBool>`${f.search.text} <% m.search_name`);
  if (f.subsector) {
    and.push(
      eb.exists(
        eb
          .selectFrom('member_subsectors as fms')
          .select(sql`1`.as('one'))
          .whereRef('fms.member_id', '=', 'm.id')
          .where('fms.subsector_code', '=', f.subsector),
      ),
    );
  }
  if (f.communityId) {
    and.push(
      eb.exists(
        eb
          .selectFrom('member_communities as fmc')
          .select(sql`1`.as('one'))
          .whereRef('fmc.member_id', '=', 'm.id')
          .where('fmc.community_id', '=', f.communityId),
      ),
    );
  }
  return eb.and(and);
}

/**
 * A page of members and the total. With a name search, best matches first (word similarity and
 * whole-name similarity averaged), else by name. The page is cut before the per-row extras
 * (region name, subsectors, communities) are looked up, so they cost one page, not the whole match.
 */
export async function listMembers(db: Queryable, f: MemberListFilter): Promise<{ items: MemberListRow[]; total: number }> {
  return withWordSimilarityThreshold(db, f.search, async (tx) => {
    const base = tx.selectFrom('members as m').where((eb) => memberConditions(eb, f));
    const score = f.search
      ? sql<number>`(word_similarity(${f.search.text}, m.search_name) + similarity(${f.search.text}, m.search_name)) / 2`
      : sql<number | null>`NULL::float8`;
    let page = base.select(['m.id', 'm.full_name', 'm.phone', 'm.gender', 'm.regency_code', 'm.district_code', 'm.status', score.as('score')]);
    page = f.search ? page.orderBy('score', 'desc').orderBy('m.id') : page.orderBy('m.full_name').orderBy('m.id');
    const items = await tx
      .selectFrom(page.limit(f.limit).offset(f.offset).as('p'))
      .leftJoin('regions as r', 'r.code', 'p.regency_code')
      .select([
        'p.id',
        'p.full_name',
        'p.phone',
        'p.gender',
        'p.regency_code',
        'r.name as regency_name',
        'p.district_code',
        'p.status',
        'p.score',
        sql<string[]>`array(SELECT ms.subsector_code FROM member_subsectors ms WHERE ms.member_id = p.id ORDER BY 1)`.as('subsectors'),
        sql<number[]>`array(SELECT mc.community_id FROM member_communities mc WHERE mc.member_id = p.id ORDER BY 1)`.as('community_ids'),
      ])
      .orderBy(f.search ? sql`p.score DESC` : sql`p.full_name`)
      .orderBy('p.id')
      .execute();
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return {
      items: items.map((r) => ({ ...r, score: r.score === null ? null : Number(r.score), community_ids: r.community_ids.map(Number) })) as MemberListRow[],
      total: Number(total.n),
    };
  });
}

// ---------------------------------------------------------------- communities

export interface CommunityRow {
  id: number;
  name: string;
  regency_code: string;
  regency_name: string | null;
  district_code: string | null;
  district_name: string | null;
  description: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  social_links: { kind: string; url: string }[];
  legal_status: LegalStatus;
  founding_year: number | null;
  status: 'pending' | 'active' | 'rejected' | 'inactive';
  created_at: Date;
  updated_at: Date;
  subsectors: string[];
  member_count: number;
}

const activeMemberCount = sql<number>`(SELECT count(*) FROM member_communities mc JOIN members mm ON mm.id = mc.member_id
  WHERE mc.community_id = c.id AND mm.status = 'active')::int`;

export async function findCommunity(db: Queryable, id: number): Promise<CommunityRow | undefined> {
  const row = await db
    .selectFrom('communities as c')
    .leftJoin('regions as r', 'r.code', 'c.regency_code')
    .leftJoin('regions as d', 'd.code', 'c.district_code')
    .select([
      'c.id',
      'c.name',
      'c.regency_code',
      'r.name as regency_name',
      'c.district_code',
      'd.name as district_name',
      'c.description',
      'c.contact_name',
      'c.contact_phone',
      'c.contact_email',
      'c.social_links',
      'c.legal_status',
      'c.founding_year',
      'c.status',
      'c.created_at',
      'c.updated_at',
      sql<string[]>`array(SELECT cs.subsector_code FROM community_subsectors cs WHERE cs.community_id = c.id ORDER BY 1)`.as('subsectors'),
      activeMemberCount.as('member_count'),
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();
  return row as CommunityRow | undefined;
}

export interface CommunityValues {
  name: string;
  search_name: string;
  regency_code: string;
  district_code: string | null;
  description: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  social_links: { kind: string; url: string }[];
  legal_status: LegalStatus;
  founding_year: number | null;
}

const jsonb = (value: unknown) => sql<string>`${JSON.stringify(value)}::jsonb`;

export async function insertCommunity(db: Queryable, values: CommunityValues & { status: 'pending' | 'active' }): Promise<number> {
  const row = await db
    .insertInto('communities')
    .values({ ...values, social_links: jsonb(values.social_links), verified_at: sql`now()` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCommunity(db: Queryable, id: number, patch: Partial<CommunityValues> & { status?: 'active' | 'inactive' }) {
  const { social_links, ...rest } = patch;
  await db
    .updateTable('communities')
    .set({ ...rest, ...(social_links !== undefined && { social_links: jsonb(social_links) }), updated_at: sql`now()`, verified_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function decideCommunity(db: Queryable, id: number, status: 'active' | 'rejected', by: number, note: string | null) {
  await db
    .updateTable('communities')
    .set({ status, decided_by: by, decided_at: sql`now()`, decision_note: note, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function setCommunitySubsectors(db: Queryable, communityId: number, codes: string[]) {
  await db.deleteFrom('community_subsectors').where('community_id', '=', communityId).execute();
  if (codes.length) {
    await db
      .insertInto('community_subsectors')
      .values(codes.map((subsector_code) => ({ community_id: communityId, subsector_code })))
      .execute();
  }
}

export interface CommunityListFilter {
  scope: ScopeCondition;
  search?: NameSearch;
  regencies?: string[];
  districtCode?: string;
  subsector?: string;
  status?: 'pending' | 'active' | 'rejected' | 'inactive';
  limit: number;
  offset: number;
}

export interface CommunityListRow {
  id: number;
  name: string;
  regency_code: string;
  regency_name: string | null;
  legal_status: LegalStatus;
  status: 'pending' | 'active' | 'rejected' | 'inactive';
  score: number | null;
  subsectors: string[];
  member_count: number;
}

export type CommunityEB = ExpressionBuilder<Database & { c: Database['communities'] }, 'c'>;

/** The communities list's filters; the export reuses them. */
export function communityConditions(eb: CommunityEB, f: Omit<CommunityListFilter, 'limit' | 'offset'>): Expression<SqlBool> {
  const and: Expression<SqlBool>[] = [];
  if (f.scope.kind === 'some') {
    const reach: Expression<SqlBool>[] = [];
    if (f.scope.regencies.length) reach.push(eb('c.regency_code', 'in', f.scope.regencies));
    if (f.scope.communityIds.length) reach.push(eb('c.id', 'in', f.scope.communityIds));
    and.push(reach.length ? eb.or(reach) : sql<SqlBool>`false`);
  }
  if (f.regencies) and.push(f.regencies.length ? eb('c.regency_code', 'in', f.regencies) : sql<SqlBool>`false`);
  if (f.districtCode) and.push(eb('c.district_code', '=', f.districtCode));
  if (f.status) and.push(eb('c.status', '=', f.status));
  if (f.search) and.push(sql<SqlBool>`${f.search.text} <% c.search_name`);
  if (f.subsector) {
    and.push(
      eb.exists(
        eb
          .selectFrom('community_subsectors as fcs')
          .select(sql`1`.as('one'))
          .whereRef('fcs.community_id', '=', 'c.id')
          .where('fcs.subsector_code', '=', f.subsector),
      ),
    );
  }
  return and.length ? eb.and(and) : sql<SqlBool>`true`;
}

export async function listCommunities(db: Queryable, f: CommunityListFilter): Promise<{ items: CommunityListRow[]; total: number }> {
  return withWordSimilarityThreshold(db, f.search, async (tx) => {
    const base = tx.selectFrom('communities as c').where((eb) => communityConditions(eb, f));
    const score = f.search
      ? sql<number>`(word_similarity(${f.search.text}, c.search_name) + similarity(${f.search.text}, c.search_name)) / 2`
      : sql<number | null>`NULL::float8`;
    let page = base.select(['c.id', 'c.name', 'c.regency_code', 'c.legal_status', 'c.status', score.as('score')]);
    page = f.search ? page.orderBy('score', 'desc').orderBy('c.id') : page.orderBy('c.name').orderBy('c.id');
    const items = await tx
      .selectFrom(page.limit(f.limit).offset(f.offset).as('p'))
      .leftJoin('regions as r', 'r.code', 'p.regency_code')
      .select([
        'p.id',
        'p.name',
        'p.regency_code',
        'r.name as regency_name',
        'p.legal_status',
        'p.status',
        'p.score',
        sql<string[]>`array(SELECT cs.subsector_code FROM community_subsectors cs WHERE cs.community_id = p.id ORDER BY 1)`.as('subsectors'),
        sql<number>`(SELECT count(*) FROM member_communities mc JOIN members mm ON mm.id = mc.member_id
          WHERE mc.community_id = p.id AND mm.status = 'active')::int`.as('member_count'),
      ])
      .orderBy(f.search ? sql`p.score DESC` : sql`p.name`)
      .orderBy('p.id')
      .execute();
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return {
      items: items.map((r) => ({ ...r, score: r.score === null ? null : Number(r.score) })) as CommunityListRow[],
      total: Number(total.n),
    };
  });
}

// ---------------------------------------------------------------- chapters

export interface ChapterRow {
  id: number;
  regency_code: string;
  regency_name: string | null;
  name: string;
  status: 'active' | 'inactive';
  joined_on: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  created_at: Date;
}

function chapterQuery(db: Queryable) {
  return db
    .selectFrom('chapters as ch')
    .leftJoin('regions as r', 'r.code', 'ch.regency_code')
    .select([
      'ch.id',
      'ch.regency_code',
      'r.name as regency_name',
      'ch.name',
      'ch.status',
      'ch.joined_on',
      'ch.contact_email',
      'ch.contact_phone',
      'ch.created_at',
    ]);
}

export function findChapter(db: Queryable, id: number): Promise<ChapterRow | undefined> {
  return chapterQuery(db).where('ch.id', '=', id).executeTakeFirst();
}

export async function findChapterIdByRegency(db: Queryable, regencyCode: string): Promise<number | undefined> {
  return (await db.selectFrom('chapters').select('id').where('regency_code', '=', regencyCode).executeTakeFirst())?.id;
}

export async function listChapters(
  db: Queryable,
  f: { regencies?: string[]; status?: 'active' | 'inactive'; limit: number; offset: number },
): Promise<{ items: ChapterRow[]; total: number }> {
  let base = db.selectFrom('chapters as ch');
  if (f.regencies) base = f.regencies.length ? base.where('ch.regency_code', 'in', f.regencies) : base.where(sql<SqlBool>`false`);
  if (f.status) base = base.where('ch.status', '=', f.status);
  const ids = base.select('ch.id');
  const items = await chapterQuery(db).where('ch.id', 'in', ids).orderBy('ch.regency_code').limit(f.limit).offset(f.offset).execute();
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { items, total: Number(total.n) };
}

export interface ChapterValues {
  name: string;
  status: 'active' | 'inactive';
  joined_on: string | null;
  contact_email: string | null;
  contact_phone: string | null;
}

export async function insertChapter(db: Queryable, values: ChapterValues & { regency_code: string }): Promise<number> {
  return (await db.insertInto('chapters').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateChapter(db: Queryable, id: number, patch: Partial<ChapterValues>) {
  await db
    .updateTable('chapters')
    .set({ ...patch, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------- partners

export interface AgreementRow {
  id: number;
  partner_id: number;
  title: string;
  scope_type: 'national' | 'province' | 'regency';
  scope_code: string;
  valid_from: string;
  valid_until: string | null;
  allows_personal_data: boolean;
  active: boolean;
}

export interface PartnerRow {
  id: number;
  name: string;
  type: PartnerType;
  region_code: string | null;
  region_name: string | null;
  website: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  created_at: Date;
  updated_at: Date;
}

function partnerQuery(db: Queryable) {
  return db
    .selectFrom('partners as p')
    .leftJoin('regions as r', 'r.code', 'p.region_code')
    .select([
      'p.id',
      'p.name',
      'p.type',
      'p.region_code',
      'r.name as region_name',
      'p.website',
      'p.contact_name',
      'p.contact_email',
      'p.contact_phone',
      'p.created_at',
      'p.updated_at',
    ]);
}

export function findPartner(db: Queryable, id: number): Promise<PartnerRow | undefined> {
  return partnerQuery(db).where('p.id', '=', id).executeTakeFirst();
}

export async function agreementsOf(db: Queryable, partnerIds: number[]): Promise<AgreementRow[]> {
  if (partnerIds.length === 0) return [];
  return db
    .selectFrom('partner_agreements')
    .select([
      'id',
      'partner_id',
      'title',
      'scope_type',
      'scope_code',
      'valid_from',
      'valid_until',
      'allows_personal_data',
      sql<boolean>`valid_from <= current_date AND (valid_until IS NULL OR valid_until >= current_date)`.as('active'),
    ])
    .where('partner_id', 'in', partnerIds)
    .orderBy('valid_from', 'desc')
    .orderBy('id')
    .execute();
}

export function findAgreement(db: Queryable, partnerId: number, agreementId: number) {
  return db
    .selectFrom('partner_agreements')
    .selectAll()
    .where('id', '=', agreementId)
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
}

/**
 * Partners visible to a caller: `all`, or national partners plus those whose region covers or lies
 * within one of the caller's codes (`ancestors`: the provinces above the caller's regencies).
 */
export type PartnerReach = { kind: 'all' } | { kind: 'some'; codes: string[]; ancestors: string[] };

export async function listPartners(
  db: Queryable,
  f: { reach: PartnerReach; q?: string; type?: PartnerType; regionCode?: string; limit: number; offset: number },
): Promise<{ items: PartnerRow[]; total: number }> {
  let base = db.selectFrom('partners as p');
  if (f.reach.kind === 'some') {
    const { codes, ancestors } = f.reach;
    base = base.where((eb) =>
      eb.or([
        eb('p.region_code', 'is', null),
        eb('p.region_code', 'in', [...codes, ...ancestors]),
        ...codes.map((code) => eb('p.region_code', 'like', `${code}.%`)),
      ]),
    );
  }
  if (f.type) base = base.where('p.type', '=', f.type);
  if (f.regionCode) {
    const code = f.regionCode;
    base = base.where((eb) => eb.or([eb('p.region_code', '=', code), eb('p.region_code', 'like', `${code}.%`)]));
  }
  if (f.q) base = base.where('p.name', 'ilike', `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const items = await partnerQuery(db)
    .where('p.id', 'in', base.select('p.id'))
    .orderBy('p.name')
    .orderBy('p.id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { items, total: Number(total.n) };
}

export interface PartnerValues {
  name: string;
  type: PartnerType;
  region_code: string | null;
  website: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
}

export async function insertPartner(db: Queryable, values: PartnerValues): Promise<number> {
  return (await db.insertInto('partners').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updatePartner(db: Queryable, id: number, patch: Partial<PartnerValues>) {
  await db
    .updateTable('partners')
    .set({ ...patch, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export interface AgreementValues {
  title: string;
  scope_type: 'national' | 'province' | 'regency';
  scope_code: string;
  valid_from: string;
  valid_until: string | null;
  allows_personal_data: boolean;
}

export async function insertAgreement(db: Queryable, partnerId: number, values: AgreementValues): Promise<number> {
  return (await db.insertInto('partner_agreements').values({ ...values, partner_id: partnerId }).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateAgreement(db: Queryable, id: number, patch: Partial<AgreementValues>) {
  await db.updateTable('partner_agreements').set(patch).where('id', '=', id).execute();
}
