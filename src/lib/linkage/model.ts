/**
 * Fellegi-Sunter scoring of record pairs, with m/u probabilities learned by EM without labels
 * (or set by hand), and an explanation of every pair's score field by field.
 *
 * Vocabulary (the same as Splink's):
 * - a **comparison** looks at one field of two records and puts the pair in one of a few ordered
 *   **levels** ("exact", "Jaro-Winkler ≥ 0.95", …, "else"), or in the **null level** when either
 *   side is missing;
 * - **m** = P(level | the two records are the same person), **u** = P(level | they are not);
 * - a level's **weight** is log2(m/u) bits: positive when the level is more common among matches;
 * - **lambda** (λ) = prior probability that a candidate pair is a match;
 * - a pair's **match weight** = log2(λ/(1-λ)) + Σ weights of its levels; its match probability is
 *   2^w / (1 + 2^w). The null level contributes 0 bits: a missing value is no evidence either way.
 *
 * Pairs are kept as comparison vectors: one small integer per field (the level index, 0 = null), in
 * one flat Uint8Array. EM does not iterate over pairs but over the histogram of distinct vectors —
 * a million pairs usually have a few hundred distinct patterns — so it costs almost nothing.
 */

import { compareDates, compareNik, type DateComparison, type IdentifierComparison } from './compare.ts';

/** Level index reserved for "either side missing": contributes 0 bits and is left out of EM. */
export const NULL_LEVEL = 0;

/**
 * One field's comparison. `level(a, b)` returns NULL_LEVEL when either side is missing, otherwise
 * 1 + the index of the first matching label (so 1 = the first, most similar level). The last label
 * is normally the catch-all "else".
 */
export interface Comparison<R> {
  field: string;
  labels: readonly string[];
  level(a: R, b: R): number;
}

/** A level of a predicate comparison: the pair is in this level when `when` holds (first wins). */
export interface LevelRule<V> {
  label: string;
  when: (a: V, b: V) => boolean;
}

const isMissingValue = (v: unknown) => v === null || v === undefined || v === '';

/**
 * A comparison from ordered predicates on a field's value. `value` extracts the field; null,
 * undefined and '' count as missing. A final "else" level is added after the rules.
 */
export function levelsComparison<R, V>(
  field: string,
  value: (record: R) => V | null | undefined,
  rules: readonly LevelRule<V>[],
  options: { elseLabel?: string; isMissing?: (v: V | null | undefined) => boolean } = {},
): Comparison<R> {
  const isMissing = options.isMissing ?? isMissingValue;
  const labels = [...rules.map((r) => r.label), options.elseLabel ?? 'else'];
  return {
    field,
    labels,
    level(a, b) {
      const va = value(a);
      const vb = value(b);
      if (isMissing(va) || isMissing(vb)) return NULL_LEVEL;
      for (let i = 0; i < rules.length; i++) if (rules[i].when(va as V, vb as V)) return i + 1;
      return labels.length;
    },
  };
}

/** exact / else. */
export function exactComparison<R>(field: string, value: (record: R) => string | null | undefined): Comparison<R> {
  return levelsComparison(field, value, [{ label: 'exact', when: (a, b) => a === b }]);
}

/**
 * exact / similarity ≥ t1 / similarity ≥ t2 / … / else. The similarity (e.g. Jaro-Winkler) is
 * computed once per pair, not once per level. Thresholds must be in decreasing order.
 */
export function similarityComparison<R>(
  field: string,
  value: (record: R) => string | null | undefined,
  similarity: (a: string, b: string) => number,
  thresholds: readonly number[],
  options: { name?: string } = {},
): Comparison<R> {
  for (let i = 1; i < thresholds.length; i++) {
    if (!(thresholds[i] < thresholds[i - 1])) throw new Error(`${field}: thresholds must decrease`);
  }
  const name = options.name ?? 'similarity';
  const labels = ['exact', ...thresholds.map((t) => `${name} ≥ ${t}`), 'else'];
  return {
    field,
    labels,
    level(a, b) {
      const va = value(a);
      const vb = value(b);
      if (isMissingValue(va) || isMissingValue(vb)) return NULL_LEVEL;
      if (va === vb) return 1;
      const s = similarity(va as string, vb as string);
      for (let i = 0; i < thresholds.length; i++) if (s >= thresholds[i]) return i + 2;
      return labels.length;
    },
  };
}

const DATE_LEVELS: Record<DateComparison, number> = { exact: 1, day_month_swapped: 2, year_off_by_one_digit: 3, one_part_differs: 4, different: 5 };

/** Birth dates (ISO YYYY-MM-DD): exact / day and month swapped / one year digit off / one part differs / else. */
export function dateComparison<R>(field: string, value: (record: R) => string | null | undefined): Comparison<R> {
  return {
    field,
    labels: ['exact', 'day-month swapped', 'year one digit off', 'one part differs', 'else'],
    level(a, b) {
      const va = value(a);
      const vb = value(b);
      if (isMissingValue(va) || isMissingValue(vb)) return NULL_LEVEL;
      return DATE_LEVELS[compareDates(va as string, vb as string)];
    },
  };
}

const IDENTIFIER_LEVELS: Record<IdentifierComparison, number> = { exact: 1, one_digit: 2, transposed: 3, different: 4 };

/** Digit identifiers (NIK, KK, social security number): exact / one digit wrong / two adjacent digits transposed / else. */
export function identifierComparison<R>(field: string, value: (record: R) => string | null | undefined): Comparison<R> {
  return {
    field,
    labels: ['exact', 'one digit', 'transposed', 'else'],
    level(a, b) {
      const va = value(a);
      const vb = value(b);
      if (isMissingValue(va) || isMissingValue(vb)) return NULL_LEVEL;
      return IDENTIFIER_LEVELS[compareNik(va as string, vb as string)];
    },
  };
}

/** Comparison vectors of candidate pairs: `levels[p * fieldCount + f]` is pair p's level on field f. */
export interface ComparisonVectors {
  fields: readonly string[];
  labels: readonly (readonly string[])[];
  pairCount: number;
  levels: Uint8Array;
}

/** Compares every candidate pair (left[i] in `left`, right[i] in `right`) on every field. */
export function compareCandidatePairs<R>(
  comparisons: readonly Comparison<R>[],
  left: readonly R[],
  right: readonly R[],
  pairs: { left: ArrayLike<number>; right: ArrayLike<number>; count?: number },
): ComparisonVectors {
  const pairCount = pairs.count ?? pairs.left.length;
  const fieldCount = comparisons.length;
  for (const c of comparisons) {
    if (c.labels.length > 254) throw new Error(`${c.field}: at most 254 levels`);
  }
  const levels = new Uint8Array(pairCount * fieldCount);
  for (let p = 0; p < pairCount; p++) {
    const a = left[pairs.left[p]];
    const b = right[pairs.right[p]];
    const base = p * fieldCount;
    for (let f = 0; f < fieldCount; f++) levels[base + f] = comparisons[f].level(a, b);
  }
  return { fields: comparisons.map((c) => c.field), labels: comparisons.map((c) => c.labels), pairCount, levels };
}

/**
 * Distinct comparison vectors and how many pairs have each. `patternOf[p]` maps a pair to its
 * pattern, so scores computed per pattern can be spread back to pairs without recomputing.
 */
/** `patternOf` value of a pair left out of the histogram (not in `trainOn`). */
export const NOT_COUNTED = 0xffffffff;

export interface PatternHistogram {
  fieldCount: number;
  /** patterns[k * fieldCount + f] = level of pattern k on field f. */
  patterns: Uint8Array;
  counts: Float64Array;
  patternOf: Uint32Array;
}

export function patternHistogram(vectors: ComparisonVectors, trainOn?: ArrayLike<number | boolean>): PatternHistogram {
  const fieldCount = vectors.fields.length;
  const { levels, pairCount } = vectors;
  // Mixed-radix number per vector: exact as long as the product of level counts stays below 2^53,
  // which holds for any realistic model (15 fields of 10 levels is 10^15); a string key otherwise.
  let radixProduct = 1;
  for (const l of vectors.labels) radixProduct *= l.length + 1;
  const numericKey = radixProduct < Number.MAX_SAFE_INTEGER;
  const index = new Map<number | string, number>();
  const patternOf = new Uint32Array(pairCount);
  const firstPair: number[] = [];
  const counts: number[] = [];
  for (let p = 0; p < pairCount; p++) {
    if (trainOn && !trainOn[p]) {
      patternOf[p] = NOT_COUNTED;
      continue;
    }
    const base = p * fieldCount;
    let key: number | string;
    if (numericKey) {
      let k = 0;
      for (let f = 0; f < fieldCount; f++) k = k * (vectors.labels[f].length + 1) + levels[base + f];
      key = k;
    } else {
      key = levels.subarray(base, base + fieldCount).join(',');
    }
    let id = index.get(key);
    if (id === undefined) {
      id = counts.length;
      index.set(key, id);
      counts.push(0);
      firstPair.push(p);
    }
    counts[id]++;
    patternOf[p] = id;
  }
  const patterns = new Uint8Array(counts.length * fieldCount);
  for (let k = 0; k < counts.length; k++) {
    patterns.set(levels.subarray(firstPair[k] * fieldCount, firstPair[k] * fieldCount + fieldCount), k * fieldCount);
  }
  return { fieldCount, patterns, counts: Float64Array.from(counts), patternOf };
}

/** m and u per level of one field; index 0 is the first real level (level index 1). */
export interface FieldParameters {
  field: string;
  labels: readonly string[];
  m: number[];
  u: number[];
  /** log2(m/u) per level, bits. */
  weights: number[];
}

export interface FellegiSunterModel {
  lambda: number;
  fields: FieldParameters[];
}

export interface EmOptions {
  /** Initial prior match probability among the candidate pairs. Default 0.01. */
  lambda?: number;
  /** Initial m per field (per level, first level first). Default: 0.9 on the first level, the rest spread decreasingly. */
  initialM?: Record<string, number[]>;
  /** Initial u per field, e.g. from `estimateUFromRandomPairs`. Default: uniform. */
  initialU?: Record<string, number[]>;
  /**
   * Keep u fixed at its initial value (Splink's way: u from random pairs, EM learns m and λ). Only
   * sound on pairs whose non-matches look like random pairs. Blocked candidate pairs are not: their
   * non-matches agree on the blocking fields, and on fields correlated with them (same KK → same
   * village), far more often than random pairs, so EM with u fixed calls nearly all of them matches
   * (measured: λ → 1 on the synthetic beneficiaries). The default, u seeded from random pairs and
   * then re-estimated on the candidates, absorbs that correlation.
   */
  fixU?: boolean;
  /** Keep m fixed too: EM then only learns λ. */
  fixM?: boolean;
  /** Train on these pairs only (truthy = use the pair). Default: all. */
  trainOn?: ArrayLike<number | boolean>;
  /**
   * Fields left out of this estimation: treated as missing in every pair, their m/u returned as
   * given. For Splink-style training on the pairs of one blocking rule (`trainOn` =
   * `pairsFoundByRule(…)`): every such pair agrees on the rule's fields, so they say nothing there.
   */
  ignoreFields?: readonly string[];
  /** Stop when no parameter moves by more than this. Default 1e-6. */
  tolerance?: number;
  maxIterations?: number;
  /**
   * Pseudo-count added to every level in the M-step so a level no pair reached keeps a small
   * non-zero probability (a weight of log2(0) would make any pair in that level impossible). Default 0.5.
   */
  pseudoCount?: number;
}

export interface EmResult {
  model: FellegiSunterModel;
  iterations: number;
  converged: boolean;
  /** The classes came out mirrored (agreement counting against a match) and were swapped back. */
  swapped: boolean;
  /** Log-likelihood per iteration, to check it never decreases. */
  logLikelihood: number[];
}

const MIN_PROBABILITY = 1e-9;

function defaultM(levelCount: number): number[] {
  // Most matches agree exactly; the remaining mass falls off with each less similar level.
  if (levelCount === 1) return [1];
  const m = [0.9];
  let rest = 0.1;
  for (let l = 1; l < levelCount; l++) {
    const share = l === levelCount - 1 ? rest : rest * 0.6;
    m.push(share);
    rest -= share;
  }
  return m;
}

function withWeights(field: string, labels: readonly string[], m: number[], u: number[]): FieldParameters {
  return { field, labels, m, u, weights: m.map((mi, l) => Math.log2(Math.max(mi, MIN_PROBABILITY) / Math.max(u[l], MIN_PROBABILITY))) };
}

function normalise(values: number[]): number[] {
  const total = values.reduce((s, v) => s + v, 0);
  return values.map((v) => Math.max(v / total, MIN_PROBABILITY));
}

/**
 * Estimates λ, m and u by expectation-maximisation on the pattern histogram of the candidate pairs,
 * assuming fields are conditionally independent given match status (the Fellegi-Sunter model).
 * Null levels are treated as missing at random: they take part in neither the E- nor the M-step.
 */
export function estimateParameters(vectors: ComparisonVectors, options: EmOptions = {}): EmResult {
  const histogram = patternHistogram(vectors, options.trainOn);
  const { fieldCount, patterns, counts } = histogram;
  const active = vectors.fields.map((f) => !options.ignoreFields?.includes(f));
  for (const f of options.ignoreFields ?? []) if (!vectors.fields.includes(f)) throw new Error(`unknown field ${f}`);
  const patternCount = counts.length;
  const levelCounts = vectors.labels.map((l) => l.length);
  const tolerance = options.tolerance ?? 1e-6;
  const maxIterations = options.maxIterations ?? 500;
  const pseudo = options.pseudoCount ?? 0.5;
  let lambda = Math.min(Math.max(options.lambda ?? 0.01, 1e-6), 1 - 1e-6);
  let m = vectors.fields.map((f, i) => normalise(options.initialM?.[f] ?? defaultM(levelCounts[i])));
  let u = vectors.fields.map((f, i) => normalise(options.initialU?.[f] ?? new Array(levelCounts[i]).fill(1)));
  m.forEach((mi, i) => {
    if (mi.length !== levelCounts[i]) throw new Error(`${vectors.fields[i]}: initial m needs ${levelCounts[i]} values`);
  });
  u.forEach((ui, i) => {
    if (ui.length !== levelCounts[i]) throw new Error(`${vectors.fields[i]}: initial u needs ${levelCounts[i]} values`);
  });
  const totalPairs = counts.reduce((s, c) => s + c, 0);
  const logLikelihood: number[] = [];
  const posterior = new Float64Array(patternCount);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && totalPairs > 0) {
    iterations++;
    // E-step: posterior match probability of each pattern, in log space to survive 15+ fields.
    let ll = 0;
    for (let k = 0; k < patternCount; k++) {
      let logMatch = Math.log(lambda);
      let logNonMatch = Math.log(1 - lambda);
      for (let f = 0; f < fieldCount; f++) {
        const level = patterns[k * fieldCount + f];
        if (level === NULL_LEVEL || !active[f]) continue;
        logMatch += Math.log(m[f][level - 1]);
        logNonMatch += Math.log(u[f][level - 1]);
      }
      const top = Math.max(logMatch, logNonMatch);
      const logTotal = top + Math.log(Math.exp(logMatch - top) + Math.exp(logNonMatch - top));
      posterior[k] = Math.exp(logMatch - logTotal);
      ll += counts[k] * logTotal;
    }
    logLikelihood.push(ll);
    // M-step: expected level counts among matches and non-matches.
    const mCounts = levelCounts.map((n) => new Array<number>(n).fill(pseudo));
    const uCounts = levelCounts.map((n) => new Array<number>(n).fill(pseudo));
    let expectedMatches = 0;
    for (let k = 0; k < patternCount; k++) {
      const pm = posterior[k] * counts[k];
      const pu = counts[k] - pm;
      expectedMatches += pm;
      for (let f = 0; f < fieldCount; f++) {
        const level = patterns[k * fieldCount + f];
        if (level === NULL_LEVEL || !active[f]) continue;
        mCounts[f][level - 1] += pm;
        uCounts[f][level - 1] += pu;
      }
    }
    const nextLambda = Math.min(Math.max(expectedMatches / totalPairs, 1e-9), 1 - 1e-9);
    const nextM = options.fixM ? m : mCounts.map((counts, f) => (active[f] ? normalise(counts) : m[f]));
    const nextU = options.fixU ? u : uCounts.map((counts, f) => (active[f] ? normalise(counts) : u[f]));
    let change = Math.abs(nextLambda - lambda);
    for (let f = 0; f < fieldCount; f++) {
      for (let l = 0; l < levelCounts[f]; l++) {
        change = Math.max(change, Math.abs(nextM[f][l] - m[f][l]), Math.abs(nextU[f][l] - u[f][l]));
      }
    }
    lambda = nextLambda;
    m = nextM;
    u = nextU;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  // EM cannot tell which of its two classes is "match": the likelihood is the same with the classes
  // swapped. Started far off, it can settle on the mirror image (m and u exchanged, λ ↔ 1-λ), where
  // agreeing on a field would count against a match. Matches agree more often on the first (most
  // similar) level; if that holds for fewer than half of the fields, swap the classes back.
  let swapped = false;
  if (!options.fixU && !options.fixM) {
    const activeCount = active.filter(Boolean).length;
    const agreeing = m.filter((mi, f) => active[f] && mi[0] > u[f][0]).length;
    if (agreeing * 2 < activeCount) {
      [m, u] = [u, m];
      lambda = 1 - lambda;
      swapped = true;
    }
  }
  return {
    model: { lambda, fields: vectors.fields.map((f, i) => withWeights(f, vectors.labels[i], m[i], u[i])) },
    iterations,
    converged,
    swapped,
    logLikelihood,
  };
}

/**
 * u from random record pairs: almost every random pair is a non-match, so the level frequencies
 * among them estimate u directly, without labels. Returns per field the u of each level (null
 * levels excluded), with a pseudo-count so unseen levels keep a small probability.
 */
export function estimateUFromRandomPairs<R>(
  comparisons: readonly Comparison<R>[],
  left: readonly R[],
  right: readonly R[],
  options: { samples?: number; seed?: number; dedupe?: boolean; pseudoCount?: number } = {},
): Record<string, number[]> {
  const samples = options.samples ?? 100_000;
  const random = seededRandom(options.seed ?? 1);
  const pseudo = options.pseudoCount ?? 0.5;
  const tallies = comparisons.map((c) => new Array<number>(c.labels.length).fill(pseudo));
  for (let s = 0; s < samples; s++) {
    const i = Math.floor(random() * left.length);
    let j = Math.floor(random() * right.length);
    if (options.dedupe && i === j) j = (j + 1) % right.length;
    for (let f = 0; f < comparisons.length; f++) {
      const level = comparisons[f].level(left[i], right[j]);
      if (level !== NULL_LEVEL) tallies[f][level - 1]++;
    }
  }
  return Object.fromEntries(comparisons.map((c, f) => [c.field, normalise(tallies[f])]));
}

/** Small deterministic PRNG (mulberry32) so samples and tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A model from hand-set parameters: per field either `m` and `u` per level, or `weights` in bits
 * per level (then m/u are left empty). Labels must match the comparisons the vectors came from.
 */
export function modelFromParameters(
  lambda: number,
  fields: readonly { field: string; labels: readonly string[]; m?: number[]; u?: number[]; weights?: number[] }[],
): FellegiSunterModel {
  if (!(lambda > 0 && lambda < 1)) throw new Error('lambda must be between 0 and 1');
  return {
    lambda,
    fields: fields.map((f) => {
      if (f.weights) {
        if (f.weights.length !== f.labels.length) throw new Error(`${f.field}: one weight per level`);
        return { field: f.field, labels: f.labels, m: f.m ?? [], u: f.u ?? [], weights: [...f.weights] };
      }
      if (!f.m || !f.u || f.m.length !== f.labels.length || f.u.length !== f.labels.length) {
        throw new Error(`${f.field}: give weights, or m and u, one per level`);
      }
      return withWeights(f.field, f.labels, f.m, f.u);
    }),
  };
}

/** Prior weight log2(λ/(1-λ)): the score of a pair before looking at any field. */
export const priorWeight = (model: FellegiSunterModel) => Math.log2(model.lambda / (1 - model.lambda));

/** 2^w / (1 + 2^w), written to avoid overflow for large |w|. */
export function probabilityFromWeight(weight: number): number {
  return weight >= 0 ? 1 / (1 + 2 ** -weight) : 2 ** weight / (1 + 2 ** weight);
}

/** The weight for a target match probability: the inverse of `probabilityFromWeight`. */
export const weightFromProbability = (p: number) => Math.log2(p / (1 - p));

function checkFields(model: FellegiSunterModel, vectors: ComparisonVectors) {
  if (model.fields.length !== vectors.fields.length || model.fields.some((f, i) => f.field !== vectors.fields[i])) {
    throw new Error(`model fields [${model.fields.map((f) => f.field)}] differ from vector fields [${vectors.fields}]`);
  }
}

/** Match weight (bits) of every pair. Scored per distinct pattern, then spread to pairs. */
export function scorePairs(model: FellegiSunterModel, vectors: ComparisonVectors): Float64Array {
  checkFields(model, vectors);
  const fieldCount = vectors.fields.length;
  const prior = priorWeight(model);
  const out = new Float64Array(vectors.pairCount);
  const { levels } = vectors;
  for (let p = 0; p < vectors.pairCount; p++) {
    let w = prior;
    const base = p * fieldCount;
    for (let f = 0; f < fieldCount; f++) {
      const level = levels[base + f];
      if (level !== NULL_LEVEL) w += model.fields[f].weights[level - 1];
    }
    out[p] = w;
  }
  return out;
}

export interface FieldContribution {
  field: string;
  /** Level index (0 = null). */
  level: number;
  label: string;
  /** Bits this field adds to the match weight (0 for the null level). */
  weight: number;
  m?: number;
  u?: number;
}

export interface Explanation {
  priorWeight: number;
  contributions: FieldContribution[];
  /** priorWeight + Σ contribution weights. */
  matchWeight: number;
  matchProbability: number;
}

/** Why a pair scored what it did: each field's level and bits, which sum to the match weight. */
export function explainLevels(model: FellegiSunterModel, levels: ArrayLike<number>): Explanation {
  const prior = priorWeight(model);
  const contributions = model.fields.map((f, i): FieldContribution => {
    const level = levels[i];
    if (level === NULL_LEVEL) return { field: f.field, level, label: 'null (missing)', weight: 0 };
    const c: FieldContribution = { field: f.field, level, label: f.labels[level - 1], weight: f.weights[level - 1] };
    if (f.m.length) {
      c.m = f.m[level - 1];
      c.u = f.u[level - 1];
    }
    return c;
  });
  const matchWeight = prior + contributions.reduce((s, c) => s + c.weight, 0);
  return { priorWeight: prior, contributions, matchWeight, matchProbability: probabilityFromWeight(matchWeight) };
}

/** `explainLevels` for pair `p` of a set of comparison vectors. */
export function explainPair(model: FellegiSunterModel, vectors: ComparisonVectors, p: number): Explanation {
  checkFields(model, vectors);
  const n = vectors.fields.length;
  return explainLevels(model, vectors.levels.subarray(p * n, p * n + n));
}

/** Compares two records and explains the score: for one pair, e.g. in a review screen. */
export function explainRecords<R>(model: FellegiSunterModel, comparisons: readonly Comparison<R>[], a: R, b: R): Explanation {
  return explainLevels(
    model,
    comparisons.map((c) => c.level(a, b)),
  );
}

/**
 * A threshold chosen without labels: the weight at which the model's match probability reaches
 * `probability` (default 0.5, i.e. a match is more likely than not).
 */
export const thresholdForProbability = (probability = 0.5) => weightFromProbability(probability);
