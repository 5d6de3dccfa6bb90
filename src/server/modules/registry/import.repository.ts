/** Storage for spreadsheet imports: batches, duplicate look-ups and bulk member inserts. */
import { sql } from 'kysely';
import type { Queryable } from '../../platform/db.ts';
import type { MemberValues } from './repository.ts';

export interface BatchRecord {
  id: number;
  kind: 'members' | 'communities';
  file_name: string;
  created_by: number;
  status: 'preview' | 'committed';
  total_rows: number;
  valid_rows: number;
  invalid_rows: number;
  duplicate_rows: number;
  summary: { mapping: Record<string, string>; unmapped: string[] };
  rows: unknown[];
  result: Record<string, unknown> | null;
}

export async function insertBatch(
  db: Queryable,
  b: Omit<BatchRecord, 'id' | 'status' | 'result'>,
): Promise<number> {
  const r = await sql<{ id: number }>`
    INSERT INTO import_batches (kind, file_name, created_by, total_rows, valid_rows, invalid_rows, duplicate_rows, summary, rows)
    VALUES (${b.kind}, ${b.file_name}, ${b.created_by}, ${b.total_rows}, ${b.valid_rows}, ${b.invalid_rows}, ${b.duplicate_rows},
      ${JSON.stringify(b.summary)}::jsonb, ${JSON.stringify(b.rows)}::jsonb)
    RETURNING id`.execute(db);
  return Number(r.rows[0]!.id);
}

export async function findBatch(db: Queryable, id: number, opts: { lock?: boolean } = {}): Promise<BatchRecord | undefined> {
  const lock = opts.lock ? sql`FOR UPDATE` : sql``;
  const r = await sql<BatchRecord>`SELECT * FROM import_batches WHERE id = ${id} ${lock}`.execute(db);
  const b = r.rows[0];
  return b ? { ...b, id: Number(b.id), created_by: Number(b.created_by) } : undefined;
}

export async function markCommitted(db: Queryable, id: number, result: Record<string, unknown>) {
  await sql`UPDATE import_batches SET status = 'committed', committed_at = now(), result = ${JSON.stringify(result)}::jsonb WHERE id = ${id}`.execute(db);
}

/** Live members holding one of these NIKs. */
export async function membersByNik(db: Queryable, niks: string[]): Promise<Map<string, number>> {
  if (!niks.length) return new Map();
  const r = await sql<{ nik: string; id: number }>`
    SELECT nik, id FROM members WHERE nik = ANY(${niks}::text[]) AND status <> 'deleted'`.execute(db);
  return new Map(r.rows.map((x) => [x.nik, Number(x.id)]));
}

/** Row index → a live member with a similar name, the same birth date and the same regency. */
export async function similarMembers(
  db: Queryable,
  people: { idx: number; search_name: string; birth_date: string; regency_code: string }[],
  threshold = 0.6,
): Promise<Map<number, number>> {
  if (!people.length) return new Map();
  const r = await sql<{ idx: number; id: number }>`
    SELECT DISTINCT ON (x.idx) x.idx, m.id
    FROM jsonb_to_recordset(${JSON.stringify(people)}::jsonb) AS x(idx int, search_name text, birth_date date, regency_code text)
    JOIN members m ON m.birth_date = x.birth_date AND m.regency_code = x.regency_code AND m.status <> 'deleted'
    WHERE similarity(m.search_name, x.search_name) >= ${threshold}
    ORDER BY x.idx, similarity(m.search_name, x.search_name) DESC, m.id`.execute(db);
  return new Map(r.rows.map((x) => [Number(x.idx), Number(x.id)]));
}

/** A member row as the single-member insert takes it, plus its subsector codes. */
export interface ImportMemberValues extends MemberValues {
  subsectors: string[];
}

/**
 * Inserts members in one statement per chunk (rows as one jsonb parameter, expanded by
 * jsonb_to_recordset) and their subsectors in another. Ids come from the identity sequence in
 * the order of the SELECT, so sorted ids line up with sorted row positions.
 */
export async function bulkInsertMembers(db: Queryable, rows: ImportMemberValues[], chunk = 5000): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const payload = part.map((r, ord) => ({ ...r, ord, subsectors: undefined }));
    const res = await sql<{ id: string }>`
      INSERT INTO members (full_name, search_name, nik, phone, email, gender, birth_date, regency_code, district_code,
        skills, portfolio_links, status, source, verified_at)
      SELECT full_name, search_name, nik, phone, email, gender, birth_date, regency_code, district_code,
        coalesce(skills, '{}'), coalesce(portfolio_links, '{}'), 'active', 'import', now()
      FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(ord int, full_name text, search_name text, nik text,
        phone text, email text, gender text, birth_date date, regency_code text, district_code text, skills text[], portfolio_links text[])
      ORDER BY ord
      RETURNING id`.execute(db);
    const ids = res.rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    const memberIds: number[] = [];
    const codes: string[] = [];
    part.forEach((r, i) => {
      for (const c of r.subsectors) {
        memberIds.push(ids[i]!);
        codes.push(c);
      }
    });
    if (memberIds.length) {
      await sql`INSERT INTO member_subsectors (member_id, subsector_code)
        SELECT * FROM unnest(${memberIds}::bigint[], ${codes}::text[]) ON CONFLICT DO NOTHING`.execute(db);
    }
    inserted += ids.length;
  }
  return inserted;
}

export interface RegionRecord {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
}

export async function regionsAtLevel(db: Queryable, level: 2 | 3, parents?: string[]): Promise<RegionRecord[]> {
  const under = parents ? sql`AND parent_code = ANY(${parents}::text[])` : sql``;
  const r = await sql<RegionRecord>`SELECT code, name, level, parent_code FROM regions WHERE level = ${level} ${under}`.execute(db);
  return r.rows;
}

export async function allSubsectors(db: Queryable): Promise<{ code: string; name_id: string; name_en: string }[]> {
  const r = await sql<{ code: string; name_id: string; name_en: string }>`SELECT code, name_id, name_en FROM subsectors`.execute(db);
  return r.rows;
}
