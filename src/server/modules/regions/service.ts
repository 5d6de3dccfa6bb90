/** Rules of the region reference data: which regions a listing means, search, detail. */
import type { DB } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { RegionLevel } from './load.ts';
import { parseRegionQuery, wordSimilarityThreshold } from './normalize.ts';
import * as repo from './repository.ts';

/** The codes above a region, province first: "32.73.01" → ["32", "32.73"]. */
export function ancestorCodesOf(code: string): string[] {
  const parts = code.split('.');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('.'));
}

export interface ListRegionsInput {
  /** 1..4, checked by the route schema. */
  level?: number;
  parent?: string;
  limit: number;
  offset: number;
}

/**
 * Without a parent: every region of a level (provinces by default). With a parent: its children,
 * or with a level too, its descendants at that level (all districts of a province). Sorted by code.
 */
export async function listRegions(db: DB, input: ListRegionsInput) {
  if (!input.parent) {
    return repo.listRegions(db, { level: (input.level ?? 1) as RegionLevel, limit: input.limit, offset: input.offset });
  }
  const parent = await repo.findRegion(db, input.parent);
  if (!parent) throw new AppError('not_found', { regionCode: input.parent });
  const level = input.level ?? parent.level + 1;
  if (level <= parent.level || level > 4) return { items: [], total: 0 };
  return repo.listRegions(db, { level: level as RegionLevel, under: parent.code, limit: input.limit, offset: input.offset });
}

export interface SearchRegionsInput {
  q: string;
  /** 1..4, checked by the route schema. */
  level?: number;
  /** Only regions beneath this one. */
  parent?: string;
  limit: number;
}

export async function searchRegions(db: DB, input: SearchRegionsInput) {
  const query = parseRegionQuery(input.q);
  // Fewer than two letters left after normalising ("--") match everything weakly: nothing to rank.
  if (query.text.length < 2) return { items: [] };
  const items = await repo.searchRegions(db, {
    text: query.text,
    threshold: wordSimilarityThreshold(query.text),
    levelHint: query.levelHint,
    level: input.level as RegionLevel | undefined,
    under: input.parent,
    limit: input.limit,
  });
  return { items };
}

export async function getRegion(db: DB, code: string) {
  const region = await repo.findRegion(db, code);
  if (!region) throw new AppError('not_found', { regionCode: code });
  const [ancestors, childCount] = await Promise.all([
    repo.findRegions(db, ancestorCodesOf(code)),
    region.level < 4 ? repo.countChildren(db, code) : Promise.resolve(0),
  ]);
  return {
    ...region,
    ancestors: ancestors.map(({ code: c, name, level }) => ({ code: c, name, level })),
    childCount,
  };
}
