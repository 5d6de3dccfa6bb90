/** Storage for spreadsheet imports: batches, duplicate look-ups and bulk member inserts. */
import { sql } from 'kysely';
import type { Queryable } from '../../platform/db.ts';
import type { CommunityValues, MemberValues } from './repository.ts';

export type BatchStatus = 'validating' | 'preview' | 'committing' | 'committed' | 'failed';

/** A batch without its rows and file: what the progress page reads every second. */
export interface BatchRecord {
  id: number;
  kind: 'members' | 'communities';
  file_name: string;
  created_by: number;
  status: BatchStatus;
  total_rows: number;
  valid_rows: number;
  invalid_rows: number;
  duplicate_rows: number;
  /** mapping: field → header; unmapped headers; report: the first rows with problems. */
  summary: { mapping: Record<string, string>; unmapped: string[]; report?: unknown[] };
  headers: string[];
  mapping_override: Record<string, string | null>;
  background: boolean;
  job_id: number | null;
  error: { code: string; params?: Record<string, string | number> } | null;
  result: Record<string, unknown> | null;
  file_size: number;
  created_at: string;
}

const BATCH_COLUMNS = sql.raw(`id, kind, file_name, created_by, status, total_rows, valid_rows, invalid_rows, duplicate_rows,
  summary, headers, mapping_override, background, job_id, error, result, coalesce(octet_length(file), 0) AS file_size, created_at`);

const toBatch = (b: BatchRecord): BatchRecord => ({
  ...b,
  id: Number(b.id),
  created_by: Number(b.created_by),
  job_id: b.job_id === null ? null : Number(b.job_id),
  file_size: Number(b.file_size),
  created_at: new Date(b.created_at).toISOString(),
});

export async function insertBatch(
  db: Queryable,
  b: { kind: BatchRecord['kind']; file_name: string; created_by: number; file: Uint8Array; headers: string[]; background: boolean; summary: BatchRecord['summary'] },
): Promise<number> {
  const r = await sql<{ id: number }>`
    INSERT INTO import_batches (kind, file_name, created_by, status, total_rows, valid_rows, invalid_rows, duplicate_rows, summary, file, headers, background)
    VALUES (${b.kind}, ${b.file_name}, ${b.created_by}, 'validating', 0, 0, 0, 0, ${JSON.stringify(b.summary)}::jsonb,
      ${b.file}, ${JSON.stringify(b.headers)}::jsonb, ${b.background})
    RETURNING id`.execute(db);
  return Number(r.rows[0]!.id);
}

export async function findBatch(db: Queryable, id: number, opts: { lock?: boolean } = {}): Promise<BatchRecord | undefined> {
  const lock = opts.lock ? sql`FOR UPDATE` : sql``;
  const r = await sql<BatchRecord>`SELECT ${BATCH_COLUMNS} FROM import_batches WHERE id = ${id} ${lock}`.execute(db);
  return r.rows[0] && toBatch(r.rows[0]);
}

export async function recentBatches(db: Queryable, createdBy: number | null, limit: number): Promise<BatchRecord[]> {
  const mine = createdBy === null ? sql`` : sql`WHERE created_by = ${createdBy}`;
  const r = await sql<BatchRecord>`SELECT ${BATCH_COLUMNS} FROM import_batches ${mine} ORDER BY id DESC LIMIT ${limit}`.execute(db);
  return r.rows.map(toBatch);
}

export async function batchFile(db: Queryable, id: number): Promise<Buffer | null> {
  const r = await sql<{ file: Uint8Array | null }>`SELECT file FROM import_batches WHERE id = ${id}`.execute(db);
  const f = r.rows[0]?.file;
  return f ? Buffer.from(f.buffer, f.byteOffset, f.byteLength) : null;
}

export async function batchRows(db: Queryable, id: number): Promise<unknown[]> {
  const r = await sql<{ rows: unknown[] }>`SELECT rows FROM import_batches WHERE id = ${id}`.execute(db);
  return r.rows[0]?.rows ?? [];
}

/** Moves a batch from one status to another; false when it was not in `from` (someone else moved it). */
export async function moveBatch(
  db: Queryable,
  id: number,
  from: BatchStatus[],
  to: BatchStatus,
  set: { job_id?: number | null; error?: BatchRecord['error']; mapping_override?: Record<string, string | null>; background?: boolean } = {},
): Promise<boolean> {
  const r = await sql`
    UPDATE import_batches SET status = ${to}, updated_at = now(),
      job_id = ${set.job_id === undefined ? sql`job_id` : set.job_id},
      error = ${set.error === undefined ? sql`error` : sql`${JSON.stringify(set.error)}::jsonb`},
      mapping_override = ${set.mapping_override === undefined ? sql`mapping_override` : sql`${JSON.stringify(set.mapping_override)}::jsonb`},
      background = ${set.background === undefined ? sql`background` : set.background}
    WHERE id = ${id} AND status = ANY(${from}::text[])`.execute(db);
  return Number(r.numAffectedRows ?? 0) === 1;
}

export async function setBatchJob(db: Queryable, id: number, jobId: number) {
  await sql`UPDATE import_batches SET job_id = ${jobId} WHERE id = ${id}`.execute(db);
}

/** Stores the validated rows; only a batch still being validated takes them. */
export async function savePreview(
  db: Queryable,
  id: number,
  p: Pick<BatchRecord, 'total_rows' | 'valid_rows' | 'invalid_rows' | 'duplicate_rows' | 'summary'> & { rows: unknown[] },
): Promise<boolean> {
  const r = await sql`
    UPDATE import_batches SET status = 'preview', updated_at = now(), error = NULL,
      total_rows = ${p.total_rows}, valid_rows = ${p.valid_rows}, invalid_rows = ${p.invalid_rows}, duplicate_rows = ${p.duplicate_rows},
      summary = ${JSON.stringify(p.summary)}::jsonb, rows = ${JSON.stringify(p.rows)}::jsonb
    WHERE id = ${id} AND status = 'validating'`.execute(db);
  return Number(r.numAffectedRows ?? 0) === 1;
}

/**
 * Batches left uncommitted for `days` lose their file and rows (personal data kept for nothing) and
 * end as failed with the reason; counts and the mapping stay.
 */
export async function expireStaleBatches(db: Queryable, days: number): Promise<number> {
  const r = await sql`
    UPDATE import_batches SET status = 'failed', file = NULL, rows = '[]', summary = summary - 'report',
      error = ${JSON.stringify({ code: 'import_expired', params: { days } })}::jsonb, updated_at = now()
    WHERE status IN ('preview', 'failed') AND updated_at < now() - make_interval(days => ${days})
      AND (file IS NOT NULL OR rows <> '[]'::jsonb)`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** After the commit the file and the row values (personal data) are dropped; the report stays. */
export async function markCommitted(db: Queryable, id: number, result: Record<string, unknown>, reportRows: unknown[]) {
  await sql`UPDATE import_batches SET status = 'committed', committed_at = now(), updated_at = now(), file = NULL, error = NULL,
    rows = ${JSON.stringify(reportRows)}::jsonb, result = ${JSON.stringify(result)}::jsonb WHERE id = ${id}`.execute(db);
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
export async function bulkInsertMembers(db: Queryable, rows: ImportMemberValues[], onChunk: (inserted: number) => void = () => {}, chunk = 5000): Promise<number> {
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
    onChunk(inserted);
  }
  return inserted;
}

/** A community row as the single insert takes it, plus its subsector codes. */
export interface ImportCommunityValues extends CommunityValues {
  subsectors: string[];
}

/** "regency|search_name" → a live community with that folded name in that regency. */
export async function communitiesByName(db: Queryable, keys: { regency_code: string; search_name: string }[]): Promise<Map<string, number>> {
  if (!keys.length) return new Map();
  const r = await sql<{ regency_code: string; search_name: string; id: number }>`
    SELECT DISTINCT ON (c.regency_code, c.search_name) c.regency_code, c.search_name, c.id
    FROM jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) AS x(regency_code text, search_name text)
    JOIN communities c ON c.regency_code = x.regency_code AND c.search_name = x.search_name AND c.status <> 'rejected'
    ORDER BY c.regency_code, c.search_name, c.id`.execute(db);
  return new Map(r.rows.map((x) => [`${x.regency_code}|${x.search_name}`, Number(x.id)]));
}

/** Inserts active communities and their subsectors, a chunk per statement (see bulkInsertMembers). */
export async function bulkInsertCommunities(db: Queryable, rows: ImportCommunityValues[], onChunk: (inserted: number) => void = () => {}, chunk = 2000): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const payload = part.map((r, ord) => ({ ...r, ord, subsectors: undefined }));
    const res = await sql<{ id: string }>`
      INSERT INTO communities (name, search_name, regency_code, district_code, description, contact_name, contact_phone, contact_email,
        social_links, legal_status, founding_year, status, verified_at)
      SELECT name, search_name, regency_code, district_code, description, contact_name, contact_phone, contact_email,
        coalesce(social_links, '[]'), legal_status, founding_year, 'active', now()
      FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(ord int, name text, search_name text, regency_code text,
        district_code text, description text, contact_name text, contact_phone text, contact_email text, social_links jsonb,
        legal_status text, founding_year smallint)
      ORDER BY ord
      RETURNING id`.execute(db);
    const ids = res.rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    const communityIds: number[] = [];
    const codes: string[] = [];
    part.forEach((r, i) => {
      for (const c of r.subsectors) {
        communityIds.push(ids[i]!);
        codes.push(c);
      }
    });
    if (communityIds.length) {
      await sql`INSERT INTO community_subsectors (community_id, subsector_code)
        SELECT * FROM unnest(${communityIds}::bigint[], ${codes}::text[]) ON CONFLICT DO NOTHING`.execute(db);
    }
    inserted += ids.length;
    onChunk(inserted);
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
