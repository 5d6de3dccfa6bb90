#!/usr/bin/env node
/**
 * Accuracy of the record-linkage library (src/lib/linkage) on the public Febrl benchmark
 * (data/febrl, see its ATTRIBUTION.md):
 * - linkage of dataset4a × dataset4b (5,000 × 5,000 records, one duplicate per original);
 * - pairwise dedup of dataset3 and dataset2 (5,000 records each, up to several duplicates per original).
 *
 * The m/u probabilities are learned by EM **without the truth**: u seeded from random record pairs,
 * then EM over the candidate pairs' comparison vectors. The match threshold is the model's own
 * (match probability ≥ 0.5). The truth (same <N> in rec-<N>-org / rec-<N>-dup-<k>) is used only
 * to score. Baselines in the same run: exact match on soc_sec_id, and exact on given name +
 * surname + date of birth.
 *
 *   node bench/linkage-febrl.mjs [--threshold 0.5] [--explain 2] [--u random|fixed|uniform]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';
import { ROOT, saveResults, table } from './lib.mjs';

register();
const L = await import('../src/lib/linkage/index.ts');

const { values: args } = parseArgs({
  options: {
    threshold: { type: 'string', default: '0.5' },
    explain: { type: 'string', default: '0' },
    // u: 'random' = seeded from random pairs then re-estimated by EM (default); 'fixed' = seeded and
    // kept (Splink's way); 'uniform' = no seeding, EM from uniform u.
    u: { type: 'string', default: 'random' },
  },
});
const PROBABILITY_THRESHOLD = Number(args.threshold);

// ------------------------------------------------------------------------------------------
// Data

function readFebrl(file) {
  const text = fs.readFileSync(path.join(ROOT, 'data', 'febrl', file), 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0].split(',').map((h) => h.trim());
  return lines.slice(1).map((line) => {
    // No quoted fields in Febrl; values have a leading space after each comma.
    const cells = line.split(',').map((c) => c.trim());
    const row = Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    const dob = /^\d{8}$/.test(row.date_of_birth) ? `${row.date_of_birth.slice(0, 4)}-${row.date_of_birth.slice(4, 6)}-${row.date_of_birth.slice(6, 8)}` : '';
    return {
      id: row.rec_id,
      truth: Number(/^rec-(\d+)-/.exec(row.rec_id)[1]),
      given: row.given_name,
      surname: row.surname,
      streetNumber: row.street_number,
      address1: row.address_1,
      address2: row.address_2,
      suburb: row.suburb,
      postcode: row.postcode,
      state: row.state,
      dob,
      ssn: row.soc_sec_id,
    };
  });
}

// ------------------------------------------------------------------------------------------
// Model: comparisons and blocking rules

const jw = L.jaroWinkler;
const comparisons = [
  L.similarityComparison('given_name', (r) => r.given, jw, [0.92, 0.8], { name: 'jaro-winkler' }),
  L.similarityComparison('surname', (r) => r.surname, jw, [0.92, 0.8], { name: 'jaro-winkler' }),
  L.levelsComparison('street_number', (r) => r.streetNumber, [
    { label: 'exact', when: (a, b) => a === b },
    { label: 'one edit', when: (a, b) => L.damerauLevenshtein(a, b) <= 1 },
  ]),
  L.similarityComparison('address_1', (r) => r.address1, jw, [0.9, 0.8], { name: 'jaro-winkler' }),
  L.similarityComparison('address_2', (r) => r.address2, jw, [0.9, 0.8], { name: 'jaro-winkler' }),
  L.similarityComparison('suburb', (r) => r.suburb, jw, [0.9, 0.8], { name: 'jaro-winkler' }),
  L.levelsComparison('postcode', (r) => r.postcode, [
    { label: 'exact', when: (a, b) => a === b },
    { label: 'one edit', when: (a, b) => L.damerauLevenshtein(a, b) <= 1 },
  ]),
  L.exactComparison('state', (r) => r.state),
  L.dateComparison('date_of_birth', (r) => r.dob),
  L.identifierComparison('soc_sec_id', (r) => r.ssn),
];

const initial = (s) => (s ? s[0] : null);
const blockingRules = [
  { name: 'soc_sec_id', key: (r) => r.ssn || null },
  { name: 'date_of_birth', key: (r) => r.dob || null },
  { name: 'surname + given initial', key: (r) => (r.surname && r.given ? `${r.surname}|${initial(r.given)}` : null) },
  { name: 'given + surname initial', key: (r) => (r.surname && r.given ? `${r.given}|${initial(r.surname)}` : null) },
  { name: 'postcode + street number', key: (r) => (r.postcode && r.streetNumber ? `${r.postcode}|${r.streetNumber}` : null) },
  // Given name and surname typed in each other's field: the two names in sorted order.
  { name: 'names in either order', key: (r) => (r.surname && r.given ? [r.given, r.surname].sort().join('|') : null) },
  // Two digits transposed or swapped anywhere in the number: the multiset of its digits.
  { name: 'soc_sec_id digits sorted', key: (r) => (r.ssn ? [...r.ssn].sort().join('') : null) },
];

// ------------------------------------------------------------------------------------------
// Scoring against the truth

function truePairCount(left, right, dedup) {
  const countsLeft = new Map();
  for (const r of left) countsLeft.set(r.truth, (countsLeft.get(r.truth) ?? 0) + 1);
  if (dedup) return [...countsLeft.values()].reduce((s, n) => s + (n * (n - 1)) / 2, 0);
  const countsRight = new Map();
  for (const r of right) countsRight.set(r.truth, (countsRight.get(r.truth) ?? 0) + 1);
  let total = 0;
  for (const [k, n] of countsLeft) total += n * (countsRight.get(k) ?? 0);
  return total;
}

function prf(truePositives, predicted, actual) {
  const precision = predicted ? truePositives / predicted : 0;
  const recall = actual ? truePositives / actual : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, truePositives, predicted, actual };
}

/** Pairs implied by clusters (every two members of a cluster), scored against the truth. */
function scoreClusters(clusterOf, records, actual) {
  const members = L.clusterMembers(clusterOf);
  let predicted = 0;
  let tp = 0;
  for (const list of members.values()) {
    predicted += (list.length * (list.length - 1)) / 2;
    const byTruth = new Map();
    for (const i of list) byTruth.set(records[i].truth, (byTruth.get(records[i].truth) ?? 0) + 1);
    for (const n of byTruth.values()) tp += (n * (n - 1)) / 2;
  }
  return prf(tp, predicted, actual);
}

/** Baseline: pairs that agree exactly on `key` (non-empty), found by hashing. */
function exactBaseline(left, right, dedup, key) {
  const t0 = performance.now();
  const index = new Map();
  for (const r of right) {
    const k = key(r);
    if (!k) continue;
    const list = index.get(k);
    if (list) list.push(r);
    else index.set(k, [r]);
  }
  let predicted = 0;
  let tp = 0;
  if (dedup) {
    for (const list of index.values()) {
      predicted += (list.length * (list.length - 1)) / 2;
      const byTruth = new Map();
      for (const r of list) byTruth.set(r.truth, (byTruth.get(r.truth) ?? 0) + 1);
      for (const n of byTruth.values()) tp += (n * (n - 1)) / 2;
    }
  } else {
    for (const a of left) {
      const k = key(a);
      if (!k) continue;
      for (const b of index.get(k) ?? []) {
        predicted++;
        if (a.truth === b.truth) tp++;
      }
    }
  }
  return { ...prf(tp, predicted, truePairCount(left, right, dedup)), ms: performance.now() - t0 };
}

// ------------------------------------------------------------------------------------------
// One task: block, compare, learn, score, cluster

function run(name, left, right, dedup) {
  const actual = truePairCount(left, right, dedup);
  const times = {};
  let t = performance.now();
  const lap = (what) => {
    const now = performance.now();
    times[what] = now - t;
    t = now;
  };

  const candidates = dedup ? L.blockDedup(left, blockingRules) : L.blockLinkage(left, right, blockingRules);
  lap('blocking');
  let trueCandidates = 0;
  for (let p = 0; p < candidates.count; p++) if (left[candidates.left[p]].truth === right[candidates.right[p]].truth) trueCandidates++;

  const vectors = L.compareCandidatePairs(comparisons, left, right, candidates);
  lap('comparing');

  const initialU = args.u === 'uniform' ? undefined : L.estimateUFromRandomPairs(comparisons, left, right, { samples: 100_000, seed: 7, dedupe: dedup });
  lap('u from random pairs');
  const em = L.estimateParameters(vectors, { initialU, lambda: 0.01, fixU: args.u === 'fixed' });
  lap('em');

  const weights = L.scorePairs(em.model, vectors);
  const threshold = L.thresholdForProbability(PROBABILITY_THRESHOLD);
  let predicted = 0;
  let tp = 0;
  for (let p = 0; p < candidates.count; p++) {
    if (weights[p] < threshold) continue;
    predicted++;
    if (left[candidates.left[p]].truth === right[candidates.right[p]].truth) tp++;
  }
  lap('scoring');
  const pairwise = prf(tp, predicted, actual);

  const recordCount = dedup ? left.length : left.length + right.length;
  const clusters = L.clusterPairs(recordCount, candidates, weights, { matchWeight: threshold, rightOffset: dedup ? 0 : left.length });
  lap('clustering');
  const all = dedup ? left : [...left, ...right];
  const clustered = scoreClusters(clusters.clusterOf, all, actual);
  const components = L.clusterPairs(recordCount, candidates, weights, { matchWeight: threshold, minLinkFraction: 0, rightOffset: dedup ? 0 : left.length });
  const connected = scoreClusters(components.clusterOf, all, actual);

  const explainCount = Number(args.explain);
  for (let e = 0, p = 0; e < explainCount && p < candidates.count; p++) {
    // Show a few grey-zone pairs: what the review queue would see.
    if (Math.abs(weights[p] - threshold) > 3) continue;
    const x = L.explainPair(em.model, vectors, p);
    console.log(`\n${name}: ${left[candidates.left[p]].id} vs ${right[candidates.right[p]].id}  weight ${x.matchWeight.toFixed(2)} (p=${x.matchProbability.toFixed(3)})`);
    for (const c of x.contributions) console.log(`  ${c.field.padEnd(14)} ${c.label.padEnd(22)} ${c.weight.toFixed(2).padStart(7)}`);
    e++;
  }

  return {
    name,
    records: dedup ? `${left.length}` : `${left.length} × ${right.length}`,
    truePairs: actual,
    candidatePairs: candidates.count,
    pairsPerRule: candidates.pairsPerRule,
    oversizedBlocks: candidates.oversizedBlockCount,
    blockingRecall: trueCandidates / actual,
    distinctPatterns: L.patternHistogram(vectors).counts.length,
    em: { iterations: em.iterations, converged: em.converged, lambda: em.model.lambda },
    threshold,
    pairwise,
    clustered: { ...clustered, refusedLinks: clusters.refusedCount },
    connectedComponents: connected,
    times,
    totalMs: Object.values(times).reduce((s, v) => s + v, 0),
    model: em.model.fields.map((f) => ({ field: f.field, levels: f.labels.map((l, i) => `${l}: m=${f.m[i].toFixed(3)} u=${f.u[i].toFixed(4)} w=${f.weights[i].toFixed(2)}`) })),
  };
}

// ------------------------------------------------------------------------------------------

const tasks = [
  ['4a × 4b (linkage)', readFebrl('dataset4a.csv'), readFebrl('dataset4b.csv'), false],
  ['dataset3 (dedup)', readFebrl('dataset3.csv'), null, true],
  ['dataset2 (dedup)', readFebrl('dataset2.csv'), null, true],
];
const results = [];
for (const [name, left, rightOrNull, dedup] of tasks) {
  const right = rightOrNull ?? left;
  const result = run(name, left, right, dedup);
  result.baselines = {
    'exact soc_sec_id': exactBaseline(left, right, dedup, (r) => r.ssn),
    'exact given+surname+dob': exactBaseline(left, right, dedup, (r) => (r.given && r.surname && r.dob ? `${r.given}|${r.surname}|${r.dob}` : '')),
  };
  results.push(result);
}

const f = (x) => x.toFixed(4);
const rows = [['data set / method', 'precision', 'recall', 'F1', 'pairs compared', 'time']];
for (const r of results) {
  rows.push([`${r.name}: Fellegi-Sunter EM, pairwise`, f(r.pairwise.precision), f(r.pairwise.recall), f(r.pairwise.f1), r.candidatePairs, `${r.totalMs.toFixed(0)} ms`]);
  rows.push([`${r.name}:   after clustering (chain guard)`, f(r.clustered.precision), f(r.clustered.recall), f(r.clustered.f1), '', '']);
  rows.push([`${r.name}:   connected components`, f(r.connectedComponents.precision), f(r.connectedComponents.recall), f(r.connectedComponents.f1), '', '']);
  for (const [b, s] of Object.entries(r.baselines)) rows.push([`${r.name}: baseline ${b}`, f(s.precision), f(s.recall), f(s.f1), '', `${s.ms.toFixed(0)} ms`]);
}
console.log(`\nFebrl benchmark, match probability ≥ ${PROBABILITY_THRESHOLD} (m/u by EM without labels, u: ${args.u})\n`);
console.log(table(rows));
console.log();
for (const r of results) {
  console.log(
    `${r.name}: ${r.records} records, ${r.truePairs} true pairs, ${r.candidatePairs} candidate pairs (blocking recall ${f(r.blockingRecall)}), ` +
      `${r.distinctPatterns} distinct comparison vectors, EM ${r.em.iterations} iterations (converged: ${r.em.converged}), λ=${r.em.lambda.toExponential(3)}, ` +
      `threshold ${r.threshold.toFixed(2)} bits, refused links (chain guard) ${r.clustered.refusedLinks}, times ${Object.entries(r.times)
        .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
        .join(', ')}`,
  );
}
const file = saveResults('linkage-febrl', { threshold: PROBABILITY_THRESHOLD, u: args.u, results });
console.log(`\nresults: ${file}`);
