import { describe, expect, it } from 'vitest';
import { jaroWinkler } from './compare.ts';
import {
  NULL_LEVEL,
  compareCandidatePairs,
  dateComparison,
  estimateParameters,
  estimateUFromRandomPairs,
  explainLevels,
  explainPair,
  explainRecords,
  exactComparison,
  identifierComparison,
  modelFromParameters,
  patternHistogram,
  priorWeight,
  probabilityFromWeight,
  scorePairs,
  seededRandom,
  similarityComparison,
  thresholdForProbability,
  type ComparisonVectors,
} from './model.ts';

/** Draws a level (1-based) from probabilities. */
function draw(probabilities: number[], random: () => number): number {
  let x = random();
  for (let l = 0; l < probabilities.length; l++) {
    x -= probabilities[l];
    if (x < 0) return l + 1;
  }
  return probabilities.length;
}

/** Comparison vectors simulated from a known Fellegi-Sunter model (conditional independence holds by construction). */
function simulate(pairCount: number, lambda: number, fields: { m: number[]; u: number[]; missing: number }[], seed = 42) {
  const random = seededRandom(seed);
  const levels = new Uint8Array(pairCount * fields.length);
  const isMatch = new Uint8Array(pairCount);
  for (let p = 0; p < pairCount; p++) {
    isMatch[p] = random() < lambda ? 1 : 0;
    fields.forEach((f, i) => {
      levels[p * fields.length + i] = random() < f.missing ? NULL_LEVEL : draw(isMatch[p] ? f.m : f.u, random);
    });
  }
  const vectors: ComparisonVectors = {
    fields: fields.map((_, i) => `f${i}`),
    labels: fields.map((f) => f.m.map((_, l) => `level ${l + 1}`)),
    pairCount,
    levels,
  };
  return { vectors, isMatch };
}

const TRUE_FIELDS = [
  { m: [0.85, 0.1, 0.05], u: [0.02, 0.08, 0.9], missing: 0.05 },
  { m: [0.9, 0.1], u: [0.1, 0.9], missing: 0 },
  { m: [0.7, 0.2, 0.07, 0.03], u: [0.01, 0.04, 0.15, 0.8], missing: 0.2 },
  { m: [0.95, 0.05], u: [0.005, 0.995], missing: 0.1 },
  { m: [0.8, 0.15, 0.05], u: [0.05, 0.15, 0.8], missing: 0 },
];

describe('EM without labels', () => {
  it('recovers λ, m and u of simulated data within a tolerance', () => {
    const lambda = 0.15;
    const { vectors } = simulate(200_000, lambda, TRUE_FIELDS);
    const result = estimateParameters(vectors, { lambda: 0.05 });
    expect(result.converged).toBe(true);
    expect(result.model.lambda).toBeCloseTo(lambda, 2);
    result.model.fields.forEach((f, i) => {
      f.m.forEach((m, l) => expect(Math.abs(m - TRUE_FIELDS[i].m[l])).toBeLessThan(0.02));
      f.u.forEach((u, l) => expect(Math.abs(u - TRUE_FIELDS[i].u[l])).toBeLessThan(0.02));
    });
    // EM never decreases the likelihood (up to a hair: the pseudo-counts make each M-step maximise a
    // slightly smoothed likelihood, not the raw one).
    for (let k = 1; k < result.logLikelihood.length; k++) {
      expect(result.logLikelihood[k]).toBeGreaterThanOrEqual(result.logLikelihood[k - 1] - 1e-6 * Math.abs(result.logLikelihood[k - 1]));
    }
  });

  it('swaps the classes back when EM settles on the mirror image', () => {
    const { vectors } = simulate(100_000, 0.15, TRUE_FIELDS, 11);
    // Start with m and u exchanged and λ near 1: EM converges to the mirrored solution.
    const initialM = Object.fromEntries(TRUE_FIELDS.map((f, i) => [`f${i}`, f.u]));
    const initialU = Object.fromEntries(TRUE_FIELDS.map((f, i) => [`f${i}`, f.m]));
    const result = estimateParameters(vectors, { lambda: 0.85, initialM, initialU });
    expect(result.swapped).toBe(true);
    expect(result.model.lambda).toBeCloseTo(0.15, 2);
    result.model.fields.forEach((f, i) => f.m.forEach((m, l) => expect(Math.abs(m - TRUE_FIELDS[i].m[l])).toBeLessThan(0.02)));
  });

  it('with u fixed (seeded from random pairs), learns m and λ', () => {
    const { vectors } = simulate(100_000, 0.2, TRUE_FIELDS, 7);
    const initialU = Object.fromEntries(TRUE_FIELDS.map((f, i) => [`f${i}`, f.u]));
    const result = estimateParameters(vectors, { initialU, fixU: true });
    expect(result.model.lambda).toBeCloseTo(0.2, 2);
    result.model.fields.forEach((f, i) => {
      expect(f.u).toEqual(TRUE_FIELDS[i].u);
      f.m.forEach((m, l) => expect(Math.abs(m - TRUE_FIELDS[i].m[l])).toBeLessThan(0.02));
    });
  });

  it('separates matches from non-matches well enough to classify them', () => {
    const { vectors, isMatch } = simulate(50_000, 0.1, TRUE_FIELDS, 3);
    const { model } = estimateParameters(vectors);
    const weights = scorePairs(model, vectors);
    const threshold = thresholdForProbability(0.5);
    let errors = 0;
    for (let p = 0; p < vectors.pairCount; p++) if (weights[p] >= threshold !== (isMatch[p] === 1)) errors++;
    expect(errors / vectors.pairCount).toBeLessThan(0.02);
  });

  it('trains on a subset of pairs, with fields left out, or learns only λ', () => {
    const first = simulate(60_000, 0.3, TRUE_FIELDS, 21);
    const second = simulate(60_000, 0.02, TRUE_FIELDS, 22);
    const levels = new Uint8Array(first.vectors.levels.length * 2);
    levels.set(first.vectors.levels);
    levels.set(second.vectors.levels, first.vectors.levels.length);
    const both: ComparisonVectors = { ...first.vectors, pairCount: 120_000, levels };
    const trainOn = new Uint8Array(120_000).fill(1, 0, 60_000);
    const initialU = Object.fromEntries(TRUE_FIELDS.map((f, i) => [`f${i}`, f.u]));

    const subset = estimateParameters(both, { trainOn });
    expect(subset.model.lambda).toBeCloseTo(0.3, 2);

    // f1 ignored: returned as given, the others still recovered.
    const ignoring = estimateParameters(both, { trainOn, ignoreFields: ['f1'], initialM: { f1: [0.5, 0.5] } });
    expect(ignoring.model.fields[1].m).toEqual([0.5, 0.5]);
    ignoring.model.fields.forEach((f, i) => {
      if (i !== 1) f.m.forEach((m, l) => expect(Math.abs(m - TRUE_FIELDS[i].m[l])).toBeLessThan(0.03));
    });

    const initialM = Object.fromEntries(TRUE_FIELDS.map((f, i) => [`f${i}`, f.m]));
    const onlyLambda = estimateParameters(both, { initialM, initialU, fixM: true, fixU: true });
    expect(onlyLambda.model.lambda).toBeCloseTo(0.16, 2);
    expect(onlyLambda.model.fields[0].m).toEqual(TRUE_FIELDS[0].m);
    expect(() => estimateParameters(both, { ignoreFields: ['nope'] })).toThrow();
  });

  it('keeps levels that no pair reached finite (zero-count guard)', () => {
    // Level 2 of the only field never occurs.
    const levels = Uint8Array.from([1, 1, 3, 3, 3, 3, 1, 3]);
    const vectors: ComparisonVectors = { fields: ['name'], labels: [['exact', 'close', 'else']], pairCount: levels.length, levels };
    const { model } = estimateParameters(vectors, { maxIterations: 50 });
    for (const w of model.fields[0].weights) expect(Number.isFinite(w)).toBe(true);
    for (const p of [...model.fields[0].m, ...model.fields[0].u]) expect(p).toBeGreaterThan(0);
  });

  it('stops at maxIterations and reports it', () => {
    const { vectors } = simulate(5000, 0.3, TRUE_FIELDS, 9);
    const result = estimateParameters(vectors, { maxIterations: 2, tolerance: 0 });
    expect(result.iterations).toBe(2);
    expect(result.converged).toBe(false);
  });

  it('estimates u from random pairs of records', () => {
    const random = seededRandom(5);
    const records = Array.from({ length: 2000 }, () => ({ sex: random() < 0.5 ? 'f' : 'm' }));
    const u = estimateUFromRandomPairs([exactComparison('sex', (r: { sex: string }) => r.sex)], records, records, { samples: 20_000, dedupe: true });
    expect(u.sex[0]).toBeCloseTo(0.5, 1); // two random people have the same sex half of the time
  });
});

describe('pattern histogram', () => {
  it('counts distinct comparison vectors and maps pairs to them', () => {
    const levels = Uint8Array.from([1, 2, 1, 2, 0, 2, 1, 2]);
    const h = patternHistogram({ fields: ['a', 'b'], labels: [['x', 'y'], ['x', 'y']], pairCount: 4, levels });
    expect([...h.counts]).toEqual([3, 1]);
    expect([...h.patternOf]).toEqual([0, 0, 1, 0]);
    expect([...h.patterns]).toEqual([1, 2, 0, 2]);
  });
});

describe('hand-set weights and explanations', () => {
  const labels = { name: ['exact', 'close', 'else'], dob: ['exact', 'else'] };
  const model = modelFromParameters(0.01, [
    { field: 'name', labels: labels.name, weights: [8, 3, -5] },
    { field: 'dob', labels: labels.dob, m: [0.9, 0.1], u: [0.01, 0.99] },
  ]);

  it('scores a pair as prior + Σ level weights', () => {
    const vectors: ComparisonVectors = { fields: ['name', 'dob'], labels: [labels.name, labels.dob], pairCount: 3, levels: Uint8Array.from([1, 1, 2, 0, 3, 2]) };
    const weights = scorePairs(model, vectors);
    const prior = Math.log2(0.01 / 0.99);
    expect(priorWeight(model)).toBeCloseTo(prior, 12);
    expect(weights[0]).toBeCloseTo(prior + 8 + Math.log2(0.9 / 0.01), 10);
    expect(weights[1]).toBeCloseTo(prior + 3, 10); // missing birth date: 0 bits
    expect(weights[2]).toBeCloseTo(prior - 5 + Math.log2(0.1 / 0.99), 10);
  });

  it('explains each field; contributions sum to the match weight', () => {
    const vectors: ComparisonVectors = { fields: ['name', 'dob'], labels: [labels.name, labels.dob], pairCount: 2, levels: Uint8Array.from([2, 1, 3, 0]) };
    const weights = scorePairs(model, vectors);
    for (let p = 0; p < 2; p++) {
      const x = explainPair(model, vectors, p);
      expect(x.priorWeight + x.contributions.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(x.matchWeight, 12);
      expect(x.matchWeight).toBeCloseTo(weights[p], 12);
      expect(x.matchProbability).toBeCloseTo(probabilityFromWeight(weights[p]), 12);
    }
    const x = explainPair(model, vectors, 1);
    expect(x.contributions.map((c) => [c.field, c.label, c.weight])).toEqual([
      ['name', 'else', -5],
      ['dob', 'null (missing)', 0],
    ]);
    expect(explainLevels(model, [2, 1]).contributions[1]).toMatchObject({ label: 'exact', m: 0.9, u: 0.01 });
  });

  it('rejects malformed parameters', () => {
    expect(() => modelFromParameters(0, [])).toThrow();
    expect(() => modelFromParameters(0.1, [{ field: 'x', labels: ['a', 'b'], weights: [1] }])).toThrow();
    expect(() => modelFromParameters(0.1, [{ field: 'x', labels: ['a', 'b'], m: [1, 0] }])).toThrow();
  });

  it('converts between weight and probability', () => {
    expect(probabilityFromWeight(0)).toBe(0.5);
    expect(probabilityFromWeight(10)).toBeCloseTo(1024 / 1025, 12);
    expect(probabilityFromWeight(-2000)).toBe(0);
    expect(probabilityFromWeight(2000)).toBe(1);
    expect(thresholdForProbability(0.8)).toBeCloseTo(2, 12);
  });
});

describe('comparisons', () => {
  type Person = { name: string | null; dob?: string; nik?: string };
  const name = similarityComparison<Person>('name', (r) => r.name, jaroWinkler, [0.95, 0.88], { name: 'jaro-winkler' });

  it('puts a pair in the first matching level, or the null level when a side is missing', () => {
    expect(name.labels).toEqual(['exact', 'jaro-winkler ≥ 0.95', 'jaro-winkler ≥ 0.88', 'else']);
    expect(name.level({ name: 'siti aminah' }, { name: 'siti aminah' })).toBe(1);
    expect(name.level({ name: 'siti aminah' }, { name: 'siti aminnah' })).toBe(2);
    expect(name.level({ name: 'budi' }, { name: 'budy' })).toBe(3);
    expect(name.level({ name: 'budi' }, { name: 'wati' })).toBe(4);
    expect(name.level({ name: null }, { name: 'wati' })).toBe(NULL_LEVEL);
    expect(name.level({ name: '' }, { name: 'wati' })).toBe(NULL_LEVEL);
  });

  it('compares dates with day and month swapped, and NIKs with a wrong or transposed digit', () => {
    const dob = dateComparison<Person>('dob', (r) => r.dob);
    expect(dob.level({ name: 'a', dob: '1990-03-04' }, { name: 'a', dob: '1990-04-03' })).toBe(2);
    expect(dob.labels[dob.level({ name: 'a', dob: '1990-03-04' }, { name: 'a', dob: '1990-03-05' }) - 1]).toBe('one part differs');
    expect(dob.level({ name: 'a' }, { name: 'a', dob: '1990-04-03' })).toBe(NULL_LEVEL);
    const nik = identifierComparison<Person>('nik', (r) => r.nik);
    const p = (n: string): Person => ({ name: 'x', nik: n });
    expect(nik.labels[nik.level(p('3273014501900001'), p('3273014501900001')) - 1]).toBe('exact');
    expect(nik.labels[nik.level(p('3273014501900001'), p('3273014501900007')) - 1]).toBe('one digit');
    expect(nik.labels[nik.level(p('3273014501900001'), p('3273104501900001')) - 1]).toBe('transposed');
    expect(nik.labels[nik.level(p('3273014501900001'), p('9999014501900001')) - 1]).toBe('else');
  });

  it('builds comparison vectors for candidate pairs and explains a record pair directly', () => {
    const people: Person[] = [{ name: 'ahmad' }, { name: 'achmad' }, { name: null }];
    const vectors = compareCandidatePairs([name], people, people, { left: [0, 0], right: [1, 2] });
    expect([...vectors.levels]).toEqual([name.level(people[0], people[1]), NULL_LEVEL]);
    const model = modelFromParameters(0.5, [{ field: 'name', labels: name.labels, weights: [5, 3, 1, -4] }]);
    expect(explainRecords(model, [name], people[0], people[1]).matchWeight).toBe(scorePairs(model, vectors)[0]);
  });

  it('refuses thresholds that do not decrease', () => {
    expect(() => similarityComparison('x', (r: Person) => r.name, jaroWinkler, [0.8, 0.9])).toThrow();
  });
});
