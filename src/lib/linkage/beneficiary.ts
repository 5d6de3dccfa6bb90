/**
 * A ready-made model for deduplicating Indonesian beneficiary registries: the comparisons and
 * blocking rules measured on 1,000,000 synthetic beneficiaries (F1 0.983, bench/linkage-scale.mjs)
 * and used by Simpul's deduplication runs. Learn its m/u with `estimateParameters` (EM, no
 * labels); the comparisons only say which level a pair is at.
 *
 * Records are prepared once (`prepareBeneficiary`), then `countNames` tells each record how
 * common its name is in the registry — the name comparison needs it (a term-frequency level, as
 * Splink's): two "Nurul" born the same day are often two people, two "Cucu Rohayati Sulastri" rarely.
 */
import { compareNik, jaroWinkler, tokenSubset } from './compare.ts';
import { dateComparison, exactComparison, NULL_LEVEL, type Comparison } from './model.ts';
import type { BlockingRule } from './blocking.ts';

/** A beneficiary record as the model reads it: normalised once, before blocking. */
export interface PreparedBeneficiary {
  /** Normalised full name (normalizeName). */
  name: string;
  /** Phonetic key of the normalised name (phoneticKeyOfNormalized). */
  phonetic: string;
  /** The name's tokens sorted: "rahmawati siti" for "siti rahmawati" and "rahmawati siti". */
  nameKey: string;
  /** First token of the name. */
  first: string;
  /** 16 digits, or null. */
  nik: string | null;
  kk: string | null;
  /** YYYY-MM-DD or null. */
  birthDate: string | null;
  birthYear: string | null;
  sex: 'L' | 'P' | null;
  /** Regency code ("32.73"). */
  regency: string;
  /** District code ("32.73.01"); the regency when unknown. */
  district: string;
  /** A normalised address key (text|RT|RW), or null. */
  address: string | null;
  /** E.164 phone, or null. */
  phone: string | null;
  /** Records in the registry with this normalised name (`countNames` sets it). */
  nameCount: number;
}

/** The fields of `PreparedBeneficiary` derived from the name and birth date. */
export function prepareBeneficiary(r: Omit<PreparedBeneficiary, 'nameKey' | 'first' | 'birthYear' | 'nameCount'>): PreparedBeneficiary {
  const tokens = r.name ? r.name.split(' ') : [];
  return {
    ...r,
    nameKey: tokens.length ? [...tokens].sort().join(' ') : '',
    first: tokens[0] ?? '',
    birthYear: r.birthDate ? r.birthDate.slice(0, 4) : null,
    nameCount: 0,
  };
}

/** Sets each record's `nameCount`: how many records of the registry carry its normalised name. */
export function countNames(records: PreparedBeneficiary[]): void {
  const counts = new Map<string, number>();
  for (const r of records) if (r.name) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
  for (const r of records) r.nameCount = r.name ? counts.get(r.name)! : 0;
}

/**
 * Name: exact (rare / uncommon / common name) / same phonetic key / Jaro-Winkler ≥ 0.92 / ≥ 0.8 /
 * one name's tokens all in the other's (shortened) / else. Rare is at most 30 records per million
 * carrying the name, uncommon at most 300; in a small registry a pair of namesakes (2) is still
 * rare and a handful (5) uncommon.
 */
export function beneficiaryNameComparison(registryCount: number): Comparison<PreparedBeneficiary> {
  const rare = Math.max(2, (30 * registryCount) / 1e6);
  const uncommon = Math.max(5, (300 * registryCount) / 1e6);
  return {
    field: 'name',
    labels: ['exact, rare name', 'exact, uncommon name', 'exact, common name', 'same phonetic key', 'jaro-winkler ≥ 0.92', 'jaro-winkler ≥ 0.8', 'shortened (token subset)', 'else'],
    level(a, b) {
      if (!a.name || !b.name) return NULL_LEVEL;
      if (a.name === b.name) {
        const n = Math.max(a.nameCount, b.nameCount);
        return n <= rare ? 1 : n <= uncommon ? 2 : 3;
      }
      if (a.phonetic && a.phonetic === b.phonetic) return 4;
      const s = jaroWinkler(a.name, b.name);
      if (s >= 0.92) return 5;
      if (s >= 0.8) return 6;
      return tokenSubset(a.name, b.name) || tokenSubset(b.name, a.name) ? 7 : 8;
    },
  };
}

/**
 * NIK: exact / two digits transposed / one digit wrong in the region code / one digit wrong in the
 * birth date / else. A NIK *is* region + birth date + serial, so it is not independent of the other
 * fields, and the level has to say where the digit differs:
 * - two different people born the same day in one district have NIKs one serial digit apart (0001,
 *   0002). As a level of its own, EM took "one serial digit" for match evidence (+11 bits: the
 *   pairs also agree on birth date and sex), and ~950 such neighbours per 300,000 records became
 *   false matches; so a serial digit counts as a different NIK ("else"), and a real serial typo
 *   has to be carried by name, birth date and household (measured: F1 0.9822 → 0.9881 at 300,000);
 * - folding the region digit in as well made things worse (0.9854): a mistyped district code is
 *   evidence, the name and the date still have to agree.
 */
export const beneficiaryNikComparison: Comparison<PreparedBeneficiary> = {
  field: 'nik',
  labels: ['exact', 'transposed', 'one digit (region)', 'one digit (birth date)', 'else (incl. one serial digit)'],
  level(a, b) {
    if (!a.nik || !b.nik) return NULL_LEVEL;
    const c = compareNik(a.nik, b.nik);
    if (c === 'exact') return 1;
    if (c === 'transposed') return 2;
    if (c === 'different') return 5;
    let i = 0;
    while (a.nik.charCodeAt(i) === b.nik.charCodeAt(i)) i++;
    return i < 6 ? 3 : i < 12 ? 4 : 5;
  },
};

/**
 * KK, address and phone all say "same household", not "same person": ONE comparison, so the
 * evidence is counted once (three comparisons make EM learn "same household" as its match class).
 */
export const beneficiaryHouseholdComparison: Comparison<PreparedBeneficiary> = {
  field: 'household',
  labels: ['same KK', 'same address or phone', 'else'],
  level(a, b) {
    const kk = a.kk !== null && b.kk !== null;
    if (kk && a.kk === b.kk) return 1;
    const address = a.address !== null && b.address !== null;
    const phone = a.phone !== null && b.phone !== null;
    if ((address && a.address === b.address) || (phone && a.phone === b.phone)) return 2;
    return kk || address || phone ? 3 : NULL_LEVEL;
  },
};

/** Name, birth date, NIK, sex, household: the comparison set for a registry of `registryCount` records. */
export function beneficiaryComparisons(registryCount: number): Comparison<PreparedBeneficiary>[] {
  return [
    beneficiaryNameComparison(registryCount),
    dateComparison<PreparedBeneficiary>('birth_date', (r) => r.birthDate),
    beneficiaryNikComparison,
    exactComparison<PreparedBeneficiary>('sex', (r) => r.sex),
    beneficiaryHouseholdComparison,
  ];
}

/**
 * Blocking rules, OR-ed: a pair is compared when any rule puts both records in one block. The
 * phonetic rule sub-blocks by birth year when its block is too big (a common name in a big city).
 */
export const BENEFICIARY_BLOCKING_RULES: readonly BlockingRule<PreparedBeneficiary>[] = [
  { name: 'nik', key: (r) => r.nik },
  { name: 'kk', key: (r) => r.kk },
  { name: 'name key + birth date', key: (r) => (r.nameKey && r.birthDate ? `${r.nameKey}|${r.birthDate}` : null) },
  {
    name: 'phonetic name + regency',
    key: (r) => (r.phonetic ? `${r.phonetic}|${r.regency}` : null),
    subKey: (r) => (r.phonetic && r.birthYear ? `${r.phonetic}|${r.regency}|${r.birthYear}` : null),
  },
  { name: 'birth date + district', key: (r) => (r.birthDate ? `${r.birthDate}|${r.district}` : null) },
  { name: 'nik without serial', key: (r) => (r.nik ? r.nik.slice(0, 12) : null) },
  { name: 'first name + birth year + regency', key: (r) => (r.first && r.birthYear ? `${r.first}|${r.birthYear}|${r.regency}` : null) },
];
