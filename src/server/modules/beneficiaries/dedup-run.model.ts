/**
 * The model of a deduplication run over many records: the library's beneficiary comparisons and
 * blocking rules (src/lib/linkage/beneficiary.ts, F1 0.983 on 1,000,000 synthetic beneficiaries in
 * bench/linkage-scale.mjs). It differs from the on-entry model (linkage.ts): it is learned by EM
 * on the run's own pairs, without labels, and its name level knows how common a name is in the
 * registry being deduplicated.
 *
 * Pure computation, no I/O: dedup-run.service.ts loads the records and writes the results.
 */
import {
  beneficiaryComparisons,
  BENEFICIARY_BLOCKING_RULES,
  blockDedup,
  clusterPairs,
  compareCandidatePairs,
  countNames,
  estimateParameters,
  estimateUFromRandomPairs,
  modelFromParameters,
  normalizeAddress,
  prepareBeneficiary,
  probabilityFromWeight,
  scorePairs,
  seededRandom,
  weightFromProbability,
  type Comparison,
  type ComparisonVectors,
  type FellegiSunterModel,
  type PreparedBeneficiary,
} from '../../../lib/linkage/index.ts';

/** A stored record as the model reads it (normalised name and phonetic key come from the row). */
export interface DedupInput {
  id: number;
  personId: number;
  searchName: string;
  phoneticKey: string;
  nik: string | null;
  kk: string | null;
  birthDate: string | null;
  sex: 'L' | 'P' | null;
  regencyCode: string;
  districtCode: string | null;
  address: string | null;
  phone: string | null;
}

type Prepared = PreparedBeneficiary;

export type DedupPhase = 'blocking' | 'comparing' | 'training' | 'scoring' | 'clustering';

export interface DedupOptions {
  /** Probability at or above which a pair is a clear match (settings: autoLinkProbability). */
  clearProbability: number;
  /** Probability at or above which a pair goes to review (settings: reviewProbability). */
  reviewProbability: number;
  /** Called at each phase, before its (synchronous) work; awaited so the caller may yield. */
  phase?: (phase: DedupPhase, total: number | null) => Promise<void> | void;
}

/**
 * A pair for review, compact: each field's level (0: missing) instead of its explanation. A run
 * finds hundreds of thousands of pairs in a million records; their explanations are rebuilt from
 * the levels and the run's learned parameters when a reviewer opens one (`explainStoredLevels`).
 */
export interface DedupPair {
  recordA: number;
  recordB: number;
  matchWeight: number;
  matchProbability: number;
  levels: number[];
  clear: boolean;
}

export interface LearnedParameters {
  lambda: number;
  iterations: number;
  converged: boolean;
  fields: { field: string; levels: { label: string; m: number | null; u: number | null; weight: number }[] }[];
}

export interface DedupResult {
  candidatePairs: number;
  /** Pairs at or above the review probability whose records belong to different persons today. */
  pairs: DedupPair[];
  clearMatches: number;
  greyZone: number;
  /** Persons the records form after clustering the matches (chain guard on). */
  clusters: number;
  refusedLinks: number;
  parameters: LearnedParameters;
  timings: Record<string, number>;
}

function prepare(r: DedupInput, addressCache: Map<string, string | null>): Prepared {
  let address: string | null = null;
  if (r.address) {
    const cached = addressCache.get(r.address);
    if (cached !== undefined) address = cached;
    else {
      const a = normalizeAddress(r.address);
      address = a.text ? `${a.text}|${a.rt ?? ''}|${a.rw ?? ''}` : null;
      addressCache.set(r.address, address);
    }
  }
  return prepareBeneficiary({
    name: r.searchName,
    phonetic: r.phoneticKey,
    nik: r.nik,
    kk: r.kk,
    birthDate: r.birthDate,
    sex: r.sex,
    regency: r.regencyCode,
    district: r.districtCode ?? r.regencyCode,
    address,
    phone: r.phone,
  });
}

/** Below this many records, random pairs join the EM training set (see `dedupRecords`). */
const SMALL_REGISTRY = 200_000;

function withRandomPairs(comparisons: readonly Comparison<Prepared>[], records: readonly Prepared[], vectors: ComparisonVectors, count: number): ComparisonVectors {
  const random = seededRandom(11);
  const left = new Uint32Array(count);
  const right = new Uint32Array(count);
  for (let p = 0; p < count; p++) {
    const a = Math.floor(random() * records.length);
    let b = Math.floor(random() * (records.length - 1));
    if (b >= a) b++;
    left[p] = a;
    right[p] = b;
  }
  const extra = compareCandidatePairs(comparisons, records, records, { left, right, count });
  const levels = new Uint8Array(vectors.levels.length + extra.levels.length);
  levels.set(vectors.levels);
  levels.set(extra.levels, vectors.levels.length);
  return { ...vectors, pairCount: vectors.pairCount + extra.pairCount, levels };
}

function summarise(model: FellegiSunterModel, iterations: number, converged: boolean): LearnedParameters {
  return {
    lambda: model.lambda,
    iterations,
    converged,
    fields: model.fields.map((f) => ({ field: f.field, levels: f.labels.map((label, i) => ({ label, m: f.m[i] ?? null, u: f.u[i] ?? null, weight: f.weights[i] })) })),
  };
}

/** Block → compare → EM → score → cluster. Pairs of records that already share a person are left out of the result. */
export async function dedupRecords(input: readonly DedupInput[], opts: DedupOptions): Promise<DedupResult> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (k: string) => {
    const now = performance.now();
    timings[k] = Math.round(now - t);
    t = now;
  };
  await opts.phase?.('blocking', input.length);
  const cache = new Map<string, string | null>();
  const records = input.map((r) => prepare(r, cache));
  countNames(records);
  const comparisons = beneficiaryComparisons(Math.max(1, records.length));
  const candidates = blockDedup(records, BENEFICIARY_BLOCKING_RULES);
  lap('blocking');

  await opts.phase?.('comparing', candidates.count);
  const vectors = compareCandidatePairs(comparisons, records, records, candidates);
  lap('comparing');

  await opts.phase?.('training', null);
  const initialU = estimateUFromRandomPairs(comparisons, records, records, { samples: Math.min(100_000, Math.max(1000, records.length * 10)), seed: 7, dedupe: true });
  // In a small registry the blocked non-matches are mostly members of one household (the KK and
  // address rules), and EM re-estimating u on them learns "another household" as match evidence
  // (measured on 2,000 synthetic records: +8.6 bits, clear-match precision 0.92). Random pairs
  // added to the training set bring the non-matches back to what they look like in general; at
  // a million records the blocking rules already bring plenty (the bench, unchanged: none added).
  const randomCount = records.length < SMALL_REGISTRY ? Math.min(100_000, records.length * 5) : 0;
  const training = randomCount ? withRandomPairs(comparisons, records, vectors, randomCount) : vectors;
  const em = estimateParameters(training, { initialU, lambda: 0.01 });
  // λ is the share of matches among the training pairs; nearly all matches are among the candidates.
  const lambda = Math.min(0.999, Math.max(1e-9, (em.model.lambda * training.pairCount) / Math.max(1, vectors.pairCount)));
  const model = randomCount ? modelFromParameters(lambda, em.model.fields) : em.model;
  lap('training');

  await opts.phase?.('scoring', candidates.count);
  const weights = scorePairs(model, vectors);
  lap('scoring');

  await opts.phase?.('clustering', candidates.count);
  const clearWeight = weightFromProbability(opts.clearProbability);
  const reviewWeight = weightFromProbability(opts.reviewProbability);
  const clusters = clusterPairs(records.length, candidates, weights, { matchWeight: clearWeight });
  const pairs: DedupPair[] = [];
  const fieldCount = vectors.fields.length;
  let clearMatches = 0;
  let greyZone = 0;
  for (let p = 0; p < candidates.count; p++) {
    if (weights[p] < reviewWeight) continue;
    const a = input[candidates.left[p]];
    const b = input[candidates.right[p]];
    if (a.personId === b.personId) continue;
    // A clear match the chain guard refused (it would chain two groups together) needs a human.
    const clear = weights[p] >= clearWeight && clusters.clusterOf[candidates.left[p]] === clusters.clusterOf[candidates.right[p]];
    if (clear) clearMatches++;
    else greyZone++;
    const [recordA, recordB] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
    pairs.push({
      recordA,
      recordB,
      matchWeight: weights[p],
      matchProbability: probabilityFromWeight(weights[p]),
      levels: Array.from(vectors.levels.subarray(p * fieldCount, (p + 1) * fieldCount)),
      clear,
    });
  }
  lap('clustering');
  return {
    candidatePairs: candidates.count,
    pairs,
    clearMatches,
    greyZone,
    clusters: clusters.clusterCount,
    refusedLinks: clusters.refusedCount,
    parameters: summarise(model, em.iterations, em.converged),
    timings,
  };
}

/** A learned model as a run stores it (`LearnedParameters`), back in the library's form. */
export function modelOfParameters(p: LearnedParameters): FellegiSunterModel {
  return modelFromParameters(
    p.lambda,
    p.fields.map((f) => ({
      field: f.field,
      labels: f.levels.map((l) => l.label),
      m: f.levels.every((l) => l.m !== null) ? f.levels.map((l) => l.m!) : undefined,
      u: f.levels.every((l) => l.u !== null) ? f.levels.map((l) => l.u!) : undefined,
      weights: f.levels.map((l) => l.weight),
    })),
  );
}
