import type { Engine } from '../platform/db.ts';

export interface ReferenceLoadReport {
  /** False when everything was already loaded (the usual start on an existing data folder). */
  loaded: boolean;
  ms: number;
  summary: string;
}

/** Loads shipped reference data (regions, subsectors) once; later starts only check a version marker. */
export async function loadReferenceData(_engine: Engine): Promise<ReferenceLoadReport> {
  return { loaded: false, ms: 0, summary: 'not implemented yet' };
}
