/**
 * SQL of the chapter and partner exports, read page by page with keyset pagination like the
 * member and community exports (export.repository.ts): chapters in the list's order (regency code,
 * unique per chapter), partners by name with the id as tiebreaker.
 *
 * The filters are the lists' (repository.ts `listChapters` / `listPartners`), restated because
 * those builders are private to repository.ts. A filter added to a list must be added here too.
 * Unlike the public chapter list, the chapter export is restricted to the caller's regions.
 */
import { sql, type SqlBool } from 'kysely';
import type { Queryable } from '../../platform/db.ts';
import type { PartnerType } from '../../platform/schema.ts';
import type { ChapterRow, PartnerReach, PartnerRow } from './repository.ts';

export interface ChapterExportFilter {
  /** Regencies the caller may read (undefined: all). */
  scope?: string[];
  /** Regencies of the `regionCode` filter (undefined: no filter). */
  regencies?: string[];
  status?: 'active' | 'inactive';
}

export async function chapterExportPage(db: Queryable, f: ChapterExportFilter, after: string | null, limit: number): Promise<ChapterRow[]> {
  let q = db
    .selectFrom('chapters as ch')
    .leftJoin('regions as r', 'r.code', 'ch.regency_code')
    .select(['ch.id', 'ch.regency_code', 'r.name as regency_name', 'ch.name', 'ch.status', 'ch.joined_on', 'ch.contact_email', 'ch.contact_phone', 'ch.created_at']);
  for (const set of [f.scope, f.regencies]) {
    if (set) q = set.length ? q.where('ch.regency_code', 'in', set) : q.where(sql<SqlBool>`false`);
  }
  if (f.status) q = q.where('ch.status', '=', f.status);
  if (after !== null) q = q.where('ch.regency_code', '>', after);
  const rows = await q.orderBy('ch.regency_code').limit(limit).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export interface PartnerExportFilter {
  reach: PartnerReach;
  q?: string;
  type?: PartnerType;
  regionCode?: string;
}

export async function partnerExportPage(db: Queryable, f: PartnerExportFilter, after: { name: string; id: number } | null, limit: number): Promise<PartnerRow[]> {
  let q = db
    .selectFrom('partners as p')
    .leftJoin('regions as r', 'r.code', 'p.region_code')
    .select(['p.id', 'p.name', 'p.type', 'p.region_code', 'r.name as region_name', 'p.website', 'p.contact_name', 'p.contact_email', 'p.contact_phone', 'p.created_at', 'p.updated_at']);
  if (f.reach.kind === 'some') {
    const { codes, ancestors } = f.reach;
    q = q.where((eb) =>
      eb.or([
        eb('p.region_code', 'is', null),
        eb('p.region_code', 'in', [...codes, ...ancestors]),
        ...codes.map((code) => eb('p.region_code', 'like', `${code}.%`)),
      ]),
    );
  }
  if (f.type) q = q.where('p.type', '=', f.type);
  if (f.regionCode) {
    const code = f.regionCode;
    q = q.where((eb) => eb.or([eb('p.region_code', '=', code), eb('p.region_code', 'like', `${code}.%`)]));
  }
  if (f.q) q = q.where('p.name', 'ilike', `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (after) q = q.where(sql<SqlBool>`(p.name, p.id) > (${after.name}, ${after.id})`);
  const rows = await q.orderBy('p.name').orderBy('p.id').limit(limit).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
