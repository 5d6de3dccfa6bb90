/**
 * The on-entry linkage model: how a new beneficiary record is compared with the records it was
 * blocked with, using the Fellegi-Sunter model of src/lib/linkage with hand-set m/u (EM-trained
 * parameters from a dedup run can replace `MODEL` later; the comparisons stay).
 *
 * Calibration (bits, prior λ = 0.0003 → −11.7), checked in linkage.test.ts:
 * - same NIK and a typo'd name (+12 +4.5) with the same birth date: ≈ +15 → probability ≈ 1, a clear match;
 * - same name and birth date (+7.5 +8) but different NIKs (−3), same regency: ≈ +2 → ≈ 0.8, review;
 * - same name, birth date and regency, no NIK on either side: ≈ +5 → ≈ 0.97, review, never automatic
 *   (namesakes born on the same day exist; only an identifier may link without a human);
 * - same household (KK), different name and birth date: far below zero, a different person.
 * KK, phone and address are one `household` comparison: they all say "same household", not "same
 * person", and counted three times they would add up (src/lib/linkage README, "count household
 * evidence once").
 */
import {
  dateComparison,
  explainRecords,
  identifierComparison,
  levelsComparison,
  modelFromParameters,
  tokenSortJaroWinkler,
  type Comparison,
  type Explanation,
  type FellegiSunterModel,
} from '../../../lib/linkage/index.ts';

/** The fields of a record the model looks at, already normalised. */
export interface LinkRecord {
  searchName: string;
  phoneticKey: string;
  nik: string | null;
  kk: string | null;
  birthDate: string | null;
  sex: 'L' | 'P' | null;
  regencyCode: string;
  phone: string | null;
  /** Normalised address text (normalizeAddress), or null. */
  address: string | null;
}

const name = levelsComparison<LinkRecord, LinkRecord>(
  'name',
  (r) => (r.searchName ? r : null),
  [
    { label: 'exact', when: (a, b) => a.searchName === b.searchName },
    { label: 'same phonetic key', when: (a, b) => a.phoneticKey !== '' && a.phoneticKey === b.phoneticKey },
    { label: 'token-sort jaro-winkler ≥ 0.92', when: (a, b) => tokenSortJaroWinkler(a.searchName, b.searchName) >= 0.92 },
    { label: 'token-sort jaro-winkler ≥ 0.85', when: (a, b) => tokenSortJaroWinkler(a.searchName, b.searchName) >= 0.85 },
  ],
);

const household = levelsComparison<LinkRecord, LinkRecord>(
  'household',
  (r) => (r.kk || r.phone || r.address ? r : null),
  [
    { label: 'same KK', when: (a, b) => !!a.kk && a.kk === b.kk },
    { label: 'same phone or address', when: (a, b) => (!!a.phone && a.phone === b.phone) || (!!a.address && a.address === b.address) },
  ],
);

export const COMPARISONS: readonly Comparison<LinkRecord>[] = [
  name,
  dateComparison<LinkRecord>('birth_date', (r) => r.birthDate),
  identifierComparison<LinkRecord>('nik', (r) => r.nik),
  levelsComparison<LinkRecord, string>('sex', (r) => r.sex, [{ label: 'exact', when: (a, b) => a === b }]),
  levelsComparison<LinkRecord, string>('regency', (r) => r.regencyCode, [{ label: 'exact', when: (a, b) => a === b }]),
  household,
];

const level = (labels: readonly string[], m: number[], u: number[]) => ({ labels, m, u });
const at = (field: string) => COMPARISONS.find((c) => c.field === field)!.labels;

/** Hand-set m (P(level | same person)) and u (P(level | different people)) per level, most similar first. */
export const MODEL: FellegiSunterModel = modelFromParameters(0.0003, [
  { field: 'name', ...level(at('name'), [0.7, 0.14, 0.08, 0.04, 0.04], [0.004, 0.006, 0.004, 0.01, 0.976]) },
  { field: 'birth_date', ...level(at('birth_date'), [0.88, 0.03, 0.02, 0.04, 0.03], [0.0035, 0.0007, 0.001, 0.03, 0.9648]) },
  { field: 'nik', ...level(at('nik'), [0.8, 0.05, 0.025, 0.125], [0.0002, 0.0002, 0.00005, 0.99955]) },
  { field: 'sex', ...level(at('sex'), [0.96, 0.04], [0.5, 0.5]) },
  { field: 'regency', ...level(at('regency'), [0.8, 0.2], [0.3, 0.7]) },
  { field: 'household', ...level(at('household'), [0.5, 0.15, 0.35], [0.05, 0.05, 0.9]) },
]);

export function explain(a: LinkRecord, b: LinkRecord, model: FellegiSunterModel = MODEL): Explanation {
  return explainRecords(model, COMPARISONS, a, b);
}

/** Probabilities that decide what happens to a new record; `autoLink` is configurable (settings). */
export interface LinkThresholds {
  /** At or above: the record joins the matched person without review. Default 0.99. */
  autoLink: number;
  /** At or above (and below autoLink): a new person, and the pair goes to the review queue. Default 0.5. */
  review: number;
}

export const DEFAULT_THRESHOLDS: LinkThresholds = { autoLink: 0.99, review: 0.5 };
