/**
 * SQL of the registry exports: the member and community lists read page by page with keyset
 * pagination. OFFSET makes the database walk past every row of the earlier pages again, so page
 * 300 of a national export costs 300 pages; a keyset page starts where the last one ended (the
 * list's own order with the id as tiebreaker, which the (full_name, id) and (name, id) indexes
 * serve directly) and costs the same at any depth. It also never repeats or skips a row when
 * the list changes while the export runs. No total is counted: an export does not need one.
 *
 * The filters are the list's (repository.ts `memberConditions` / `communityConditions`): the same
 * scope, region, district, status, name search, subsector and community, restated here because
 * those builders are private to repository.ts. A filter added to a list must be added here too.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Queryable } from '../../platform/db.ts';
import type { Database, LegalStatus } from '../../platform/schema.ts';
import { withWordSimilarityThreshold, type CommunityListFilter, type MemberListFilter } from './repository.ts';

/** Where the previous page ended: the sort key of its last row and its id. */
export type Cursor = { id: number; name: string; score: null } | { id: number; name: null; score: number };

export type MemberExportFilter = Omit<MemberListFilter, 'limit' | 'offset'>;
export type CommunityExportFilter = Omit<CommunityListFilter, 'limit' | 'offset'>;

export interface MemberExportRow {
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
  status: 'pending' | 'active' | 'rejected';
  subsectors: string[];
  score: number | null;
}

export interface CommunityExportRow {
  id: number;
  name: string;
  regency_code: string;
  regency_name: string | null;
  legal_status: LegalStatus;
  status: 'pending' | 'active' | 'rejected' | 'inactive';
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  subsectors: string[];
  member_count: number;
  score: number | null;
}

type MemberEB = ExpressionBuilder<Database & { m: Database['members'] }, 'm'>;
type CommunityEB = ExpressionBuilder<Database & { c: Database['communities'] }, 'c'>;

function memberConditions(eb: MemberEB, f: MemberExportFilter): Expression<SqlBool>[] {
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
  return and;
}

function communityConditions(eb: CommunityEB, f: CommunityExportFilter): Expression<SqlBool>[] {
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
  return and;
}

/**
 * Rows after the cursor in the list's order: by name and id, or with a name search by score
 * (descending) and id. The score is recomputed by the same expression, so equal rows compare
 * equal and the id decides.
 */
function afterCursor(score: Expression<number>, name: Expression<string>, id: Expression<number>, after: Cursor | null): Expression<SqlBool> {
  if (!after) return sql<SqlBool>`true`;
  if (after.score !== null) return sql<SqlBool>`(${score} < ${after.score}::float8 OR (${score} = ${after.score}::float8 AND ${id} > ${after.id}))`;
  return sql<SqlBool>`(${name}, ${id}) > (${after.name}, ${after.id})`;
}

export function cursorOf(row: { id: number; score: number | null }, name: string): Cursor {
  return row.score === null ? { id: row.id, name, score: null } : { id: row.id, name: null, score: row.score };
}

export async function memberExportPage(db: Queryable, f: MemberExportFilter, after: Cursor | null, limit: number): Promise<MemberExportRow[]> {
  return withWordSimilarityThreshold(db, f.search, async (tx) => {
    const score = f.search
      ? sql<number>`(word_similarity(${f.search.text}, m.search_name) + similarity(${f.search.text}, m.search_name)) / 2`
      : sql<number | null>`NULL::float8`;
    let page = tx
      .selectFrom('members as m')
      .where((eb) => eb.and([...memberConditions(eb, f), afterCursor(score as Expression<number>, sql<string>`m.full_name`, sql<number>`m.id`, after)]))
      .select(['m.id', 'm.full_name', 'm.nik', 'm.phone', 'm.email', 'm.gender', 'm.birth_date', 'm.regency_code', 'm.district_code', 'm.status', score.as('score')]);
    page = f.search ? page.orderBy('score', 'desc').orderBy('m.id') : page.orderBy('m.full_name').orderBy('m.id');
    const rows = await tx
      .selectFrom(page.limit(limit).as('p'))
      .leftJoin('regions as r', 'r.code', 'p.regency_code')
      .select([
        'p.id',
        'p.full_name',
        'p.nik',
        'p.phone',
        'p.email',
        'p.gender',
        sql<string | null>`to_char(p.birth_date, 'YYYY-MM-DD')`.as('birth_date'),
        'p.regency_code',
        'r.name as regency_name',
        'p.district_code',
        'p.status',
        'p.score',
        sql<string[]>`array(SELECT ms.subsector_code FROM member_subsectors ms WHERE ms.member_id = p.id ORDER BY 1)`.as('subsectors'),
      ])
      .orderBy(f.search ? sql`p.score DESC` : sql`p.full_name`)
      .orderBy('p.id')
      .execute();
    return rows.map((r) => ({ ...r, id: Number(r.id), score: r.score === null ? null : Number(r.score) })) as MemberExportRow[];
  });
}

export async function communityExportPage(db: Queryable, f: CommunityExportFilter, after: Cursor | null, limit: number): Promise<CommunityExportRow[]> {
  return withWordSimilarityThreshold(db, f.search, async (tx) => {
    const score = f.search
      ? sql<number>`(word_similarity(${f.search.text}, c.search_name) + similarity(${f.search.text}, c.search_name)) / 2`
      : sql<number | null>`NULL::float8`;
    let page = tx
      .selectFrom('communities as c')
      .where((eb) => eb.and([...communityConditions(eb, f), afterCursor(score as Expression<number>, sql<string>`c.name`, sql<number>`c.id`, after)]))
      .select(['c.id', 'c.name', 'c.regency_code', 'c.legal_status', 'c.status', 'c.contact_name', 'c.contact_phone', 'c.contact_email', score.as('score')]);
    page = f.search ? page.orderBy('score', 'desc').orderBy('c.id') : page.orderBy('c.name').orderBy('c.id');
    const rows = await tx
      .selectFrom(page.limit(limit).as('p'))
      .leftJoin('regions as r', 'r.code', 'p.regency_code')
      .select([
        'p.id',
        'p.name',
        'p.regency_code',
        'r.name as regency_name',
        'p.legal_status',
        'p.status',
        'p.contact_name',
        'p.contact_phone',
        'p.contact_email',
        'p.score',
        sql<string[]>`array(SELECT cs.subsector_code FROM community_subsectors cs WHERE cs.community_id = p.id ORDER BY 1)`.as('subsectors'),
        sql<number>`(SELECT count(*) FROM member_communities mc JOIN members mm ON mm.id = mc.member_id
          WHERE mc.community_id = p.id AND mm.status = 'active')::int`.as('member_count'),
      ])
      .orderBy(f.search ? sql`p.score DESC` : sql`p.name`)
      .orderBy('p.id')
      .execute();
    return rows.map((r) => ({ ...r, id: Number(r.id), score: r.score === null ? null : Number(r.score) })) as CommunityExportRow[];
  });
}
