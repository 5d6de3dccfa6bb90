/**
 * Test data for deduplication runs: synthetic beneficiaries (src/lib/linkage/synthetic) with known
 * duplicates, written straight into the registry as separate persons — as if every record had
 * been registered before linkage existed — so a run has duplicates to find. The generator's
 * person id is the truth, kept in memory (never in the database).
 */
import { sql } from 'kysely';
import { cleanIdNumber, generateDataset, normalizeName, phoneticKeyOfNormalized, type SyntheticRecord } from '../../../lib/linkage/index.ts';
import { normalizePhone } from '../../../lib/phone/index.ts';
import type { Queryable } from '../../platform/db.ts';

export interface SeededRegistry {
  /** Record id → the generator's person id. */
  truth: Map<number, number>;
  /** Record id → regency. */
  regencyOf: Map<number, string>;
  records: number;
  /** `holdBack` generated records, spread over the dataset, not written: new arrivals to check against the registry. */
  heldBack: SyntheticRecord[];
}

const validDate = (d: string | null) => (d && /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d) ? d : null);
const digits16 = (v: string | null) => {
  const d = v ? cleanIdNumber(v) : '';
  return /^\d{16}$/.test(d) ? d : null;
};

export async function seedSyntheticRegistry(
  db: Queryable,
  opts: { records: number; seed?: number; provinces?: string[]; holdBack?: number; onProgress?: (written: number, total: number) => void },
): Promise<SeededRegistry> {
  const provinces = opts.provinces ?? ['32'];
  const generated = generateDataset({ records: opts.records + (opts.holdBack ?? 0), seed: opts.seed ?? 42, provinces, shuffleWindow: 500 });
  const regions = new Set(
    (await db.selectFrom('regions').select('code').where((eb) => eb.or(provinces.map((p) => eb('code', 'like', `${p}.%`)))).execute()).map((r) => r.code),
  );
  const known = generated.filter((r) => regions.has(r.regencyCode));
  // Held back evenly across the dataset, so that some of them are people the registry already holds.
  const step = opts.holdBack ? Math.max(1, Math.floor(known.length / opts.holdBack)) : 0;
  const heldBack: SyntheticRecord[] = [];
  const kept: SyntheticRecord[] = [];
  known.forEach((r, i) => (step && i % step === step - 1 && heldBack.length < opts.holdBack! ? heldBack : kept).push(r));
  const persons = await sql<{ id: number }>`INSERT INTO persons (status) SELECT 'active' FROM generate_series(1, ${kept.length}) RETURNING id`.execute(db);
  const truth = new Map<number, number>();
  const regencyOf = new Map<number, string>();
  const chunk = 500;
  for (let at = 0; at < kept.length; at += chunk) {
    const values = kept.slice(at, at + chunk).map((r, i) => {
      const searchName = normalizeName(r.name) || r.name.toLowerCase();
      const phone = r.phone ? normalizePhone(r.phone) : null;
      return {
        person_id: Number(persons.rows[at + i].id),
        household_id: null,
        source_kind: 'programme' as const,
        source_ref: r.source,
        external_id: `syn-${r.id}`,
        full_name: r.name,
        search_name: searchName,
        phonetic_key: phoneticKeyOfNormalized(searchName),
        nik: digits16(r.nik),
        kk: digits16(r.kk),
        birth_date: validDate(r.birthDate),
        sex: r.sex,
        regency_code: r.regencyCode,
        district_code: regions.has(r.districtCode) ? r.districtCode : null,
        address: r.address,
        phone: phone?.ok ? phone.e164 : null,
        consent_purpose: 'programmes',
        consent_text_version: 1,
        consented_at: new Date(),
        link_outcome: 'new' as const,
        link_probability: null,
        idempotency_key: null,
        request_hash: null,
        created_by: null,
      };
    });
    const ids = await db.insertInto('beneficiary_records').values(values).returning('id').execute();
    ids.forEach((row, i) => {
      truth.set(Number(row.id), kept[at + i].personId);
      regencyOf.set(Number(row.id), kept[at + i].regencyCode);
    });
    opts.onProgress?.(Math.min(at + chunk, kept.length), kept.length);
  }
  return { truth, regencyOf, records: kept.length, heldBack };
}

/** True pairs among the seeded records (Σ C(k, 2) per person), optionally within some regencies. */
export function truePairs(seeded: SeededRegistry, regencies?: Set<string>): number {
  const counts = new Map<number, number>();
  for (const [id, person] of seeded.truth) if (!regencies || regencies.has(seeded.regencyOf.get(id)!)) counts.set(person, (counts.get(person) ?? 0) + 1);
  let total = 0;
  for (const k of counts.values()) total += (k * (k - 1)) / 2;
  return total;
}
