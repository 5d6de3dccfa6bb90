/** SQL for the `subsectors` table. */
import { sql } from 'kysely';
import type { Queryable } from '../../platform/db.ts';
import type { Subsector } from './data.ts';

/**
 * Writes the list in the caller's transaction, in its order. Subsectors dropped from the list are
 * deleted unless another table still refers to them (then they stay; the count is returned).
 */
export async function loadSubsectorRows(tx: Queryable, subsectors: readonly Subsector[]): Promise<{ staleKept: number }> {
  await sql`
    INSERT INTO subsectors (code, name_id, name_en, sort_order)
    SELECT code, name_id, name_en, ord::int2
    FROM unnest(
      ${subsectors.map((s) => s.code)}::text[],
      ${subsectors.map((s) => s.nameId)}::text[],
      ${subsectors.map((s) => s.nameEn)}::text[]
    ) WITH ORDINALITY AS t(code, name_id, name_en, ord)
    ON CONFLICT (code) DO UPDATE SET
      name_id = excluded.name_id, name_en = excluded.name_en, sort_order = excluded.sort_order
    WHERE (subsectors.name_id, subsectors.name_en, subsectors.sort_order)
      IS DISTINCT FROM (excluded.name_id, excluded.name_en, excluded.sort_order)`.execute(tx);
  const codes = subsectors.map((s) => s.code);
  const stale = await tx.selectFrom('subsectors').select('code').where('code', 'not in', codes).execute();
  if (stale.length === 0) return { staleKept: 0 };
  await sql`SAVEPOINT delete_stale_subsectors`.execute(tx);
  try {
    await tx.deleteFrom('subsectors').where('code', 'not in', codes).execute();
    await sql`RELEASE SAVEPOINT delete_stale_subsectors`.execute(tx);
    return { staleKept: 0 };
  } catch {
    await sql`ROLLBACK TO SAVEPOINT delete_stale_subsectors`.execute(tx);
    return { staleKept: stale.length };
  }
}

export async function listSubsectors(db: Queryable): Promise<Subsector[]> {
  return db
    .selectFrom('subsectors')
    .select(['code', 'name_id as nameId', 'name_en as nameEn'])
    .orderBy('sort_order')
    .execute();
}

