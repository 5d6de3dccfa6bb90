/**
 * Shipped reference data (regions, subsectors), loaded into the database on the first start and
 * whenever what ships changes. A marker in `system_state` records what was loaded, so a usual
 * start costs one primary-key lookup.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Engine, Queryable } from '../platform/db.ts';
import { LOCK_KEYS } from '../platform/locks.ts';
import { GEO_DIR, countByLevel, idnAreaDataVersion, readRegionRows } from './regions/load.ts';
import { NORMALIZER_VERSION } from './regions/normalize.ts';
import { loadRegionRows } from './regions/repository.ts';
import { SUBSECTORS } from './subsectors/data.ts';
import { loadSubsectorRows } from './subsectors/repository.ts';

export interface ReferenceLoadReport {
  /** False when everything was already loaded (the usual start on an existing data folder). */
  loaded: boolean;
  ms: number;
  summary: string;
}

const MARKER_KEY = 'reference_data';

interface ReferenceCounts {
  provinces: number;
  regencies: number;
  districts: number;
  villages: number;
  subsectors: number;
}

interface Marker {
  /** Changes whenever anything that ends up in the tables would change. */
  fingerprint: string;
  idnAreaData: string;
  normalizer: number;
  counts: ReferenceCounts;
  loadedAt: string;
}

/** What the shipped data and code would load: the package version, the normaliser, the subsector list and the boundary files (centroids). */
function currentFingerprint(idnVersion: string): string {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify({ idnVersion, normalizer: NORMALIZER_VERSION, subsectors: SUBSECTORS }));
  for (const file of ['provinces.geojson', 'regencies.geojson']) h.update(fs.readFileSync(path.join(GEO_DIR, file)));
  return h.digest('hex');
}

async function readMarker(db: Queryable): Promise<Marker | undefined> {
  const row = await db.selectFrom('system_state').select('value').where('key', '=', MARKER_KEY).executeTakeFirst();
  return row?.value as Marker | undefined;
}

function summarize(c: ReferenceCounts): string {
  return `${c.provinces} provinces, ${c.regencies} regencies, ${c.districts} districts, ${c.villages} villages, ${c.subsectors} subsectors`;
}

/** Loads shipped reference data (regions, subsectors) once; later starts only check a version marker. */
export async function loadReferenceData(engine: Engine): Promise<ReferenceLoadReport> {
  const started = performance.now();
  const idnVersion = idnAreaDataVersion();
  const fingerprint = currentFingerprint(idnVersion);
  const report = (loaded: boolean, marker: Marker): ReferenceLoadReport => ({
    loaded,
    ms: Math.round(performance.now() - started),
    summary: summarize(marker.counts),
  });

  const existing = await readMarker(engine.db);
  if (existing?.fingerprint === fingerprint) return report(false, existing);

  return engine.withAdvisoryLock(LOCK_KEYS.referenceData, async () => {
    // Another process may have loaded it while this one waited for the lock.
    const again = await readMarker(engine.db);
    if (again?.fingerprint === fingerprint) return report(false, again);

    const regions = readRegionRows();
    const byLevel = countByLevel(regions);
    const marker: Marker = {
      fingerprint,
      idnAreaData: idnVersion,
      normalizer: NORMALIZER_VERSION,
      counts: {
        provinces: byLevel[1],
        regencies: byLevel[2],
        districts: byLevel[3],
        villages: byLevel[4],
        subsectors: SUBSECTORS.length,
      },
      loadedAt: new Date().toISOString(),
    };
    // One transaction: a process that dies mid-way leaves the previous data and no marker, and
    // the next start simply loads again.
    const staleKept = await engine.db.transaction().execute(async (tx) => {
      const r = await loadRegionRows(tx, regions);
      const s = await loadSubsectorRows(tx, SUBSECTORS);
      await sql`
        INSERT INTO system_state (key, value, updated_at) VALUES (${MARKER_KEY}, ${JSON.stringify(marker)}::jsonb, now())
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`.execute(tx);
      return r.staleKept + s.staleKept;
    });
    const result = report(true, marker);
    if (staleKept > 0) result.summary += `; ${staleKept} retired entries kept because other data still refers to them`;
    return result;
  });
}
