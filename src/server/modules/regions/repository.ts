/** SQL for the `regions` table. Every function takes the database or an open transaction. */
import { sql, type RawBuilder } from 'kysely';
import type { Queryable } from '../../platform/db.ts';
import type { RegionLevel, RegionRow } from './load.ts';

export interface RegionRecord {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
}

export interface RegionDetailRecord extends RegionRecord {
  lat: number | null;
  lng: number | null;
}

export interface RegionSearchRecord extends RegionRecord {
  path: string;
  score: number;
}

/** Rows per INSERT: one statement per chunk keeps parameters small and the load fast on both engines. */
const CHUNK = 15_000;

/**
 * Inserts or updates regions in chunks of `unnest`ed arrays; rows that did not change are not
 * rewritten, so a reload of the same data costs reads only. Rows must come parents first.
 */
async function upsertRegions(db: Queryable, rows: RegionRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    await sql`
      INSERT INTO regions (code, parent_code, level, name, search_name, lat, lng)
      SELECT * FROM unnest(
        ${chunk.map((r) => r.code)}::text[],
        ${chunk.map((r) => r.parentCode)}::text[],
        ${chunk.map((r) => r.level)}::int2[],
        ${chunk.map((r) => r.name)}::text[],
        ${chunk.map((r) => r.searchName)}::text[],
        ${chunk.map((r) => r.lat)}::float8[],
        ${chunk.map((r) => r.lng)}::float8[]
      )
      ON CONFLICT (code) DO UPDATE SET
        parent_code = excluded.parent_code,
        level = excluded.level,
        name = excluded.name,
        search_name = excluded.search_name,
        lat = excluded.lat,
        lng = excluded.lng
      WHERE (regions.parent_code, regions.level, regions.name, regions.search_name, regions.lat, regions.lng)
        IS DISTINCT FROM (excluded.parent_code, excluded.level, excluded.name, excluded.search_name, excluded.lat, excluded.lng)
    `.execute(db);
  }
}

/**
 * Loads every region in the caller's transaction: new rows inserted, changed rows updated,
 * rows the data no longer has removed where nothing refers to them.
 * Into an empty table (a first start), secondary indexes are dropped and rebuilt afterwards:
 * one index build is much cheaper than 90k incremental trigram-index inserts. Their definitions
 * are read from the catalogue, so whatever the migrations declared is what comes back.
 */
export async function loadRegionRows(tx: Queryable, rows: RegionRow[]): Promise<{ staleKept: number }> {
  const empty = (await tx.selectFrom('regions').select('code').limit(1).executeTakeFirst()) === undefined;
  const indexes = empty
    ? (
        await sql<{ name: string; definition: string }>`
          SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
          FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE i.indrelid = 'regions'::regclass
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`.execute(tx)
      ).rows
    : [];
  for (const ix of indexes) await sql`DROP INDEX ${sql.id(ix.name)}`.execute(tx);
  await upsertRegions(tx, rows);
  for (const ix of indexes) await sql.raw(ix.definition).execute(tx);
  const { kept } = empty ? { kept: 0 } : await deleteRegionsNotIn(tx, rows.map((r) => r.code));
  // Updates go to a GIN index's pending list, which every search would then scan; flush it.
  await sql`
    SELECT gin_clean_pending_list(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
    WHERE i.indrelid = 'regions'::regclass AND a.amname = 'gin'`.execute(tx);
  // PGlite runs no autovacuum: without statistics the planner guesses badly on this table.
  await sql`ANALYZE regions`.execute(tx);
  return { staleKept: kept };
}

/**
 * Removes regions that a newer data release no longer has. Other tables may still point at
 * some (a user's home region): those stay, and the caller reports how many were kept.
 * Must run inside a transaction (it uses savepoints).
 */
async function deleteRegionsNotIn(tx: Queryable, codes: string[]): Promise<{ deleted: number; kept: number }> {
  const stale = await sql<{ code: string; level: number }>`
    SELECT r.code, r.level FROM regions r
    WHERE NOT EXISTS (SELECT 1 FROM unnest(${codes}::text[]) AS k(code) WHERE k.code = r.code)
    ORDER BY r.level DESC, r.code`.execute(tx);
  if (stale.rows.length === 0) return { deleted: 0, kept: 0 };
  // Usually nothing refers to them: one statement removes them all, parents with their children.
  if (await tryInSavepoint(tx, sql`DELETE FROM regions WHERE code = ANY(${stale.rows.map((r) => r.code)}::text[])`)) {
    return { deleted: stale.rows.length, kept: 0 };
  }
  // Otherwise one by one, children first, so only what is referenced (and its ancestors) stays.
  let deleted = 0;
  for (const { code } of stale.rows) {
    if (await tryInSavepoint(tx, sql`DELETE FROM regions WHERE code = ${code}`)) deleted++;
  }
  return { deleted, kept: stale.rows.length - deleted };
}

async function tryInSavepoint(tx: Queryable, statement: RawBuilder<unknown>): Promise<boolean> {
  await sql`SAVEPOINT stale_regions`.execute(tx);
  try {
    await statement.execute(tx);
    await sql`RELEASE SAVEPOINT stale_regions`.execute(tx);
    return true;
  } catch {
    await sql`ROLLBACK TO SAVEPOINT stale_regions`.execute(tx);
    return false;
  }
}

export async function countRegionsByLevel(db: Queryable): Promise<Record<RegionLevel, number>> {
  const result = await sql<{ level: number; n: number }>`
    SELECT level, count(*)::int AS n FROM regions GROUP BY level`.execute(db);
  const counts: Record<RegionLevel, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
  for (const r of result.rows) counts[r.level as RegionLevel] = r.n;
  return counts;
}

export interface ListFilter {
  level: RegionLevel;
  /** Only regions beneath this code: its children when `level` is the next level down. */
  under?: string;
  limit: number;
  offset: number;
}

export async function listRegions(db: Queryable, f: ListFilter): Promise<{ items: RegionRecord[]; total: number }> {
  let query = db.selectFrom('regions').where('level', '=', f.level);
  if (f.under && f.level === f.under.split('.').length + 1) {
    // Children: the parent index finds them directly.
    query = query.where('parent_code', '=', f.under);
  } else if (f.under) {
    // Codes nest textually ("32" ⊃ "32.73" ⊃ "32.73.01"), so "beneath" is a code prefix.
    query = query.where('code', 'like', `${f.under}.%`);
  }
  const [items, total] = await Promise.all([
    query
      .select(['code', 'name', 'level', 'parent_code as parentCode'])
      .orderBy('code')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function findRegion(db: Queryable, code: string): Promise<RegionDetailRecord | undefined> {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'parent_code as parentCode', 'lat', 'lng'])
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function findRegions(db: Queryable, codes: string[]): Promise<RegionRecord[]> {
  if (codes.length === 0) return [];
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'parent_code as parentCode'])
    .where('code', 'in', codes)
    .orderBy('level')
    .execute();
}

export async function countChildren(db: Queryable, code: string): Promise<number> {
  const row = await db
    .selectFrom('regions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_code', '=', code)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface SearchFilter {
  /** Normalised query text (see normalize.ts). */
  text: string;
  /** Lowest word similarity of a candidate; what lets the trigram index answer (see normalize.ts). */
  threshold: number;
  level?: RegionLevel;
  /** Prefer this level when the user named one ("kecamatan …"); a soft preference, not a filter. */
  levelHint?: RegionLevel;
  under?: string;
  limit: number;
}

/**
 * Fuzzy search on `search_name`. Ranking: exact match (of the whole name, or of the name
 * without "kabupaten"/"kota"), then prefix match, then the rest; within each, the hinted level,
 * then higher levels first (a regency before a district before a village), then similarity.
 */
export async function searchRegions(db: Queryable, f: SearchFilter): Promise<RegionSearchRecord[]> {
  const q = f.text;
  const levelFilter = f.level ? sql`AND level = ${f.level}` : sql``;
  const underFilter = f.under ? sql`AND code LIKE ${`${f.under}.%`}` : sql``;
  const hint = f.levelHint ?? 0;
  // Only this query's transaction sees these settings. The planner prices trigram functions as
  // cheap and picks a sequential scan when many names share common trigrams ("malang"), which
  // costs ten times the index scan here; the index is always the right choice for this query.
  return db.transaction().execute(async (tx) => {
    await sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(f.threshold)}, true),
      set_config('enable_seqscan', 'off', true)`.execute(tx);
    const result = await sql<RegionSearchRecord>`
      WITH candidates AS MATERIALIZED (
        SELECT code, name, level, parent_code, search_name,
          regexp_replace(search_name, '^(kabupaten|kota)( administrasi)? ', '') AS core,
          word_similarity(${q}, search_name) AS word_score
        FROM regions
        WHERE ${q} <% search_name ${levelFilter} ${underFilter}
      ), scored AS (
        SELECT code, name, level, parent_code,
          CASE
            WHEN search_name = ${q} OR core = ${q} THEN 0
            WHEN starts_with(search_name, ${q}) OR starts_with(core, ${q}) THEN 1
            ELSE 2
          END AS tier,
          (word_score + greatest(similarity(${q}, search_name), similarity(${q}, core))) / 2 AS score
        FROM candidates
      ), top AS (
        SELECT *, row_number() OVER (ORDER BY tier, (level = ${hint}) DESC, level, score DESC, code) AS rank
        FROM scored
        ORDER BY rank
        LIMIT ${f.limit}
      )
      SELECT t.code, t.name, t.level, t.parent_code AS "parentCode",
        concat_ws(', ', t.name, d.name, r.name, p.name) AS path,
        round(CASE t.tier WHEN 0 THEN 1 ELSE t.score END::numeric, 3)::float8 AS score
      FROM top t
      LEFT JOIN regions d ON t.level > 3 AND d.code = left(t.code, 8)
      LEFT JOIN regions r ON t.level > 2 AND r.code = left(t.code, 5)
      LEFT JOIN regions p ON t.level > 1 AND p.code = left(t.code, 2)
      ORDER BY t.rank
    `.execute(tx);
    return result.rows;
  });
}
