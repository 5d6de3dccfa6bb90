/**
 * SQL of the registry exports: the member and community lists read page by page with keyset
 * pagination. OFFSET makes the database walk past every row of the earlier pages again, so page
 * 300 of a national export costs 300 pages; a keyset page starts where the last one ended (the
 * list's own order with the id as tiebreaker, which the (full_name, id) and (name, id) indexes
 * serve directly) and costs the same at any depth. It also never repeats or skips a row when
 * the list changes while the export runs. No total is counted: an export does not need one.
 *
 * The filters are the list's own (repository.ts `memberConditions` / `communityConditions`).
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Queryable } from '../../platform/db.ts';
import type { LegalStatus } from '../../platform/schema.ts';
import { communityConditions, memberConditions, withWordSimilarityThreshold, type CommunityListFilter, type MemberListFilter } from './repository.ts';

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
      .where((eb) => eb.and([memberConditions(eb, f), afterCursor(score as Expression<number>, sql<string>`m.full_name`, sql<number>`m.id`, after)]))
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
      .where((eb) => eb.and([communityConditions(eb, f), afterCursor(score as Expression<number>, sql<string>`c.name`, sql<number>`c.id`, after)]))
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
