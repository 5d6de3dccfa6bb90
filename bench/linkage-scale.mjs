#!/usr/bin/env node
/**
 * Deduplication at scale with the record-linkage library (src/lib/linkage), issue 4 item 8, on
 * synthetic Indonesian beneficiaries with ground truth (src/lib/linkage/synthetic, fixed seed):
 *
 * 1. **Dedup** of N registered records (default 100,000; `--records 1000000` for the full run):
 *    normalise → block (seven rules OR-ed) → compare → EM on the histogram of comparison patterns
 *    (no labels) → score → cluster with the chain guard. Prints time per stage, peak memory, pairs
 *    compared, precision / recall / F1 pairwise and after clustering (the truth only scores).
 * 2. **One new person against the registry**: a BlockIndex over the N registered records is built
 *    once, then `--queries` held-out records (half of them duplicates of a registered person, half
 *    new people) are checked one at a time: latency p50/p95/p99 and whether each found its match
 *    (or, for a new person, found nobody).
 * 3. **Baselines in the same run**: exact NIK dedup, and exact normalised name + birth date.
 *
 * The generator makes N + queries records; the held-out queries are taken out of them, so the
 * registry is exactly N records and a held-out duplicate's other records are in it.
 *
 *   node bench/linkage-scale.mjs [--records 100000] [--queries 1000] [--seed 42] [--threshold 0.5]
 *                                [--diagnose]
 *
 * The million-record run fits Node's default heap limit on this machine (4 GB; ~1.7 GB used).
 * Peak RSS is the kernel's maxRSS (process.resourceUsage); heap is sampled with
 * process.memoryUsage() at every stage boundary (the work is synchronous, so a timer would never
 * fire): a peak inside a stage can be higher.
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import v8 from 'node:v8';
import { register } from 'tsx/esm/api';
import { percentile, saveResults, table } from './lib.mjs';

register();
const L = await import('../src/lib/linkage/index.ts');

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '42' },
    threshold: { type: 'string', default: '0.5' },
    // Print the commonest comparison patterns among false positives and false negatives.
    diagnose: { type: 'boolean', default: false },
  },
});
const N = Number(args.records);
const Q = Number(args.queries);
const SEED = Number(args.seed);
const PROBABILITY_THRESHOLD = Number(args.threshold);

// ------------------------------------------------------------------------------------------
// Memory sampling

const MB = 2 ** 20;
let peakHeap = 0;
let peakRss = 0;
function sampleMemory() {
  const m = process.memoryUsage();
  if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  if (m.rss > peakRss) peakRss = m.rss;
  return m;
}
const maxRssBytes = () => process.resourceUsage().maxRSS * 1024;

// ------------------------------------------------------------------------------------------
// Normalisation: every derived value computed once per record.

function normalisePhone(raw) {
  if (!raw) return null;
  let d = raw.replace(/\D/g, '');
  if (d.startsWith('62')) d = `0${d.slice(2)}`;
  return d.length >= 8 ? d : null;
}

// Household members share an address as typed, and names repeat (Siti Fatimah, Nurul, …): each
// distinct raw value is normalised once (measured at 1,000,000 records: see the README).
const addressCache = new Map();
function normaliseAddressKey(raw, cache = addressCache) {
  if (!raw) return null;
  let key = cache?.get(raw);
  if (key === undefined) {
    const a = L.normalizeAddress(raw);
    key = a.text ? `${a.text}|${a.rt ?? ''}|${a.rw ?? ''}` : null;
    cache?.set(raw, key);
  }
  return key;
}
const nameCache = new Map();
function normaliseName(raw, cache = nameCache) {
  let entry = cache?.get(raw);
  if (entry === undefined) {
    const name = L.normalizeName(raw);
    const tokens = name ? name.split(' ') : [];
    entry = {
      name,
      phonetic: L.phoneticKeyOfNormalized(name),
      // Name key: the tokens in sorted order (a name typed surname first still meets).
      nameKey: tokens.length ? [...tokens].sort().join(' ') : '',
      first: tokens[0] ?? '',
    };
    cache?.set(raw, entry);
  }
  return entry;
}

/**
 * The fields the model and the blocking rules read, derived once from a raw record. `cached`:
 * false for the timed queries, so their latency includes normalising every value from scratch.
 */
function prepare(r, cached = true) {
  const { name, phonetic, nameKey, first } = normaliseName(r.name, cached ? nameCache : null);
  const nik = r.nik ? L.cleanIdNumber(r.nik) : null;
  const birthDate = r.birthDate || null;
  return {
    name,
    phonetic,
    nameKey,
    first,
    nik: nik && nik.length === 16 ? nik : null,
    kk: r.kk ? L.cleanIdNumber(r.kk) : null,
    birthDate,
    birthYear: birthDate ? birthDate.slice(0, 4) : null,
    sex: r.sex,
    regency: r.regencyCode,
    district: r.districtCode,
    address: normaliseAddressKey(r.address, cached ? addressCache : null),
    phone: normalisePhone(r.phone),
    /** Registered records with this normalised name (set once all are normalised). */
    nameCount: 0,
  };
}

// ------------------------------------------------------------------------------------------
// Model: comparisons and blocking rules

// The library's ready-made beneficiary model (src/lib/linkage/beneficiary.ts): name levels by how
// common the name is, NIK levels by where the wrong digit sits, household evidence counted once,
// and seven OR-ed blocking rules. Its comments say why each choice was made, with the figures.
const blockingRules = L.BENEFICIARY_BLOCKING_RULES;

// ------------------------------------------------------------------------------------------
// Scoring against the truth

function prf(truePositives, predicted, actual) {
  const precision = predicted ? truePositives / predicted : 0;
  const recall = actual ? truePositives / actual : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, truePositives, predicted, actual };
}

/** True pairs among n records: Σ C(k, 2) over persons. */
function truePairCount(person) {
  const counts = new Map();
  for (let i = 0; i < person.length; i++) counts.set(person[i], (counts.get(person[i]) ?? 0) + 1);
  let total = 0;
  for (const k of counts.values()) total += (k * (k - 1)) / 2;
  return total;
}

/** Pairs implied by clusters (every two members of a cluster), scored against the truth. */
function scoreClusters(clusterOf, person, actual) {
  let predicted = 0;
  let tp = 0;
  for (const list of L.clusterMembers(clusterOf).values()) {
    predicted += (list.length * (list.length - 1)) / 2;
    const byPerson = new Map();
    for (const i of list) byPerson.set(person[i], (byPerson.get(person[i]) ?? 0) + 1);
    for (const k of byPerson.values()) tp += (k * (k - 1)) / 2;
  }
  return prf(tp, predicted, actual);
}

/** Baseline: every two records with the same non-empty key are taken for the same person. */
function exactBaseline(records, person, key, actual) {
  const t0 = performance.now();
  const groups = new Map();
  for (let i = 0; i < records.length; i++) {
    const k = key(records[i]);
    if (!k) continue;
    const list = groups.get(k);
    if (list) list.push(i);
    else groups.set(k, [i]);
  }
  let predicted = 0;
  let tp = 0;
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    predicted += (list.length * (list.length - 1)) / 2;
    const byPerson = new Map();
    for (const i of list) byPerson.set(person[i], (byPerson.get(person[i]) ?? 0) + 1);
    for (const k of byPerson.values()) tp += (k * (k - 1)) / 2;
  }
  return { ...prf(tp, predicted, actual), ms: performance.now() - t0 };
}

// ------------------------------------------------------------------------------------------
// Data: N registered + Q held out

const times = {};
let t = performance.now();
const lap = (what) => {
  const now = performance.now();
  times[what] = now - t;
  t = now;
  sampleMemory();
};

const loadAverage = os.loadavg();
console.log(`linkage at scale: ${N.toLocaleString('en')} registered records, ${Q} queries, seed ${SEED}; heap limit ${Math.round(v8.getHeapStatistics().heap_size_limit / MB)} MB; load average ${loadAverage.map((x) => x.toFixed(2)).join(' ')}`);

const generated = L.generateDataset({ records: N + Q, seed: SEED });
const generateMs = performance.now() - t;
sampleMemory();

// Held out: Q/2 records whose person has other records (a duplicate of someone registered), Q/2
// whose person has no other record (a new person). Chosen with a seeded generator.
const recordsPerPerson = new Map();
for (const r of generated) recordsPerPerson.set(r.personId, (recordsPerPerson.get(r.personId) ?? 0) + 1);
const random = L.seededRandom(SEED);
const heldOut = new Set();
const wantDuplicates = Math.floor(Q / 2);
let duplicatesTaken = 0;
while (heldOut.size < Q) {
  const i = Math.floor(random() * generated.length);
  if (heldOut.has(i)) continue;
  const isDuplicate = recordsPerPerson.get(generated[i].personId) > 1;
  if (isDuplicate && duplicatesTaken >= wantDuplicates) continue;
  if (!isDuplicate && heldOut.size - duplicatesTaken >= Q - wantDuplicates) continue;
  heldOut.add(i);
  if (isDuplicate) duplicatesTaken++;
}
const raw = [];
const queriesRaw = [];
for (let i = 0; i < generated.length; i++) (heldOut.has(i) ? queriesRaw : raw).push(generated[i]);
generated.length = 0;
const person = Int32Array.from(raw, (r) => r.personId);
const actual = truePairCount(person);
t = performance.now();
sampleMemory();
console.log(`generated ${N + Q} records in ${(generateMs / 1000).toFixed(2)} s; registry ${raw.length} records, ${actual} true pairs`);

// ------------------------------------------------------------------------------------------
// 1. Dedup

const records = new Array(raw.length);
for (let i = 0; i < raw.length; i++) records[i] = prepare(raw[i]);
L.countNames(records);
const comparisons = L.beneficiaryComparisons(records.length);
const nameCounts = new Map();
for (const r of records) if (r.name) nameCounts.set(r.name, r.nameCount);
const distinctRaw = { names: nameCache.size, addresses: addressCache.size };
lap('normalise');

const candidates = L.blockDedup(records, blockingRules);
lap('block');
let trueCandidates = 0;
for (let p = 0; p < candidates.count; p++) if (person[candidates.left[p]] === person[candidates.right[p]]) trueCandidates++;
t = performance.now();

const vectors = L.compareCandidatePairs(comparisons, records, records, candidates);
lap('compare');

const initialU = L.estimateUFromRandomPairs(comparisons, records, records, { samples: 100_000, seed: 7, dedupe: true });
lap('u from random pairs');
const em = L.estimateParameters(vectors, { initialU, lambda: 0.01 });
lap('EM');

const weights = L.scorePairs(em.model, vectors);
lap('score');
const threshold = L.thresholdForProbability(PROBABILITY_THRESHOLD);
let predicted = 0;
let tp = 0;
for (let p = 0; p < candidates.count; p++) {
  if (weights[p] < threshold) continue;
  predicted++;
  if (person[candidates.left[p]] === person[candidates.right[p]]) tp++;
}
const pairwise = prf(tp, predicted, actual);
if (args.diagnose) diagnose();
t = performance.now();

const clusters = L.clusterPairs(records.length, candidates, weights, { matchWeight: threshold });
lap('cluster');
const dedupMs = Object.values(times).reduce((s, v) => s + v, 0);
const clustered = scoreClusters(clusters.clusterOf, person, actual);
const dedupHeap = sampleMemory().heapUsed;
const distinctPatterns = L.patternHistogram(vectors).counts.length;
t = performance.now();

function diagnose() {
  const fieldCount = comparisons.length;
  const tally = (wantMatch) => {
    const byPattern = new Map();
    for (let p = 0; p < candidates.count; p++) {
      const same = person[candidates.left[p]] === person[candidates.right[p]];
      if (same !== wantMatch || (weights[p] >= threshold) === wantMatch) continue;
      const key = Array.from(vectors.levels.subarray(p * fieldCount, p * fieldCount + fieldCount), (l, f) => (l ? comparisons[f].labels[l - 1] : 'null')).join(' / ');
      const entry = byPattern.get(key) ?? { n: 0, w: weights[p], example: p };
      entry.n++;
      byPattern.set(key, entry);
    }
    return [...byPattern.entries()].sort((a, b) => b[1].n - a[1].n).slice(0, 12);
  };
  for (const [label, wantMatch] of [['false positives', false], ['false negatives (blocked, scored below)', true]]) {
    console.log(`\n${label}:`);
    for (const [key, e] of tally(wantMatch)) {
      const a = records[candidates.left[e.example]];
      const b = records[candidates.right[e.example]];
      console.log(`  ${String(e.n).padStart(6)}  w=${e.w.toFixed(1).padStart(5)}  ${key}   e.g. ${a.name} ${a.birthDate} ${a.nik} | ${b.name} ${b.birthDate} ${b.nik}`);
    }
  }
}

// ------------------------------------------------------------------------------------------
// 3. Baselines (same records, same truth)

const baselines = {
  'exact NIK': exactBaseline(records, person, (r) => r.nik, actual),
  'exact name + birth date': exactBaseline(records, person, (r) => (r.name && r.birthDate ? `${r.name}|${r.birthDate}` : null), actual),
};
t = performance.now();

// ------------------------------------------------------------------------------------------
// 2. One new person against the registry

const indexStart = performance.now();
const index = new L.BlockIndex(records, blockingRules);
const indexMs = performance.now() - indexStart;
sampleMemory();
const fieldWeights = em.model.fields.map((f) => f.weights);
const prior = L.priorWeight(em.model);
const latencies = [];
const query = { duplicates: 0, duplicatesFound: 0, duplicatesInCandidates: 0, newPeople: 0, newPeopleClear: 0, candidates: [] };
for (const q of queriesRaw) {
  const start = performance.now();
  const r = prepare(q, false);
  r.nameCount = (nameCounts.get(r.name) ?? 0) + 1;
  const { indices } = index.candidates(r);
  let best = -1;
  let bestWeight = -Infinity;
  for (const i of indices) {
    let w = prior;
    for (let f = 0; f < comparisons.length; f++) {
      const level = comparisons[f].level(r, records[i]);
      if (level !== L.NULL_LEVEL) w += fieldWeights[f][level - 1];
    }
    if (w > bestWeight) {
      bestWeight = w;
      best = i;
    }
  }
  const match = bestWeight >= threshold ? best : -1;
  latencies.push(performance.now() - start);
  query.candidates.push(indices.length);
  if (recordsPerPerson.get(q.personId) > 1) {
    query.duplicates++;
    if (match !== -1 && person[match] === q.personId) query.duplicatesFound++;
    if (indices.some((i) => person[i] === q.personId)) query.duplicatesInCandidates++;
  } else {
    query.newPeople++;
    if (match === -1) query.newPeopleClear++;
  }
}
const sortedLatencies = [...latencies].sort((a, b) => a - b);
const sortedCandidates = [...query.candidates].sort((a, b) => a - b);
const latency = { p50: percentile(sortedLatencies, 50), p95: percentile(sortedLatencies, 95), p99: percentile(sortedLatencies, 99), max: sortedLatencies.at(-1) };
sampleMemory();

// ------------------------------------------------------------------------------------------
// Report

const peak = { maxRssMb: Math.round(maxRssBytes() / MB), sampledRssMb: Math.round(peakRss / MB), sampledHeapMb: Math.round(peakHeap / MB), heapAfterDedupMb: Math.round(dedupHeap / MB) };
const f4 = (x) => x.toFixed(4);
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`\n1. Dedup of ${records.length.toLocaleString('en')} records (${actual.toLocaleString('en')} true pairs)\n`);
console.log(table([['stage', 'time'], ...Object.entries(times).map(([k, v]) => [k, s(v)]), ['total (normalise → cluster)', s(dedupMs)]]));
console.log(
  `\ncandidate pairs compared: ${candidates.count.toLocaleString('en')} (blocking recall ${f4(trueCandidates / actual)}; per rule before de-duplication: ${Object.entries(candidates.pairsPerRule)
    .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
    .join(', ')}; oversized blocks ${candidates.oversizedBlockCount})`,
);
console.log(`normalised ${distinctRaw.names.toLocaleString('en')} distinct raw names and ${distinctRaw.addresses.toLocaleString('en')} distinct raw addresses (each once)`);
console.log(`distinct comparison vectors ${distinctPatterns}, EM ${em.iterations} iterations (converged ${em.converged}), λ = ${em.model.lambda.toExponential(3)}, threshold ${threshold.toFixed(2)} bits (p ≥ ${PROBABILITY_THRESHOLD}), links refused by the chain guard ${clusters.refusedCount}`);
console.log(`peak memory: maxRSS ${peak.maxRssMb} MB; heap used (sampled at stage boundaries) ${peak.sampledHeapMb} MB; heap after dedup ${peak.heapAfterDedupMb} MB\n`);
const rows = [['method', 'precision', 'recall', 'F1', 'time']];
rows.push(['Fellegi-Sunter EM, pairwise', f4(pairwise.precision), f4(pairwise.recall), f4(pairwise.f1), s(dedupMs)]);
rows.push(['  after clustering (chain guard)', f4(clustered.precision), f4(clustered.recall), f4(clustered.f1), '']);
for (const [name, b] of Object.entries(baselines)) rows.push([`baseline: ${name}`, f4(b.precision), f4(b.recall), f4(b.f1), s(b.ms)]);
console.log(table(rows));
console.log('\nmodel (m/u by EM, no labels):');
for (const fp of em.model.fields) console.log(`  ${fp.field.padEnd(11)} ${fp.labels.map((l, i) => `${l}: ${fp.weights[i].toFixed(1)}`).join(' | ')}`);

console.log(`\n2. One new person against ${records.length.toLocaleString('en')} registered (index built once in ${s(indexMs)})\n`);
console.log(
  `latency over ${latencies.length} queries: p50 ${latency.p50.toFixed(2)} ms, p95 ${latency.p95.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms, max ${latency.max.toFixed(2)} ms; candidates per query p50 ${percentile(sortedCandidates, 50)}, p95 ${percentile(sortedCandidates, 95)}, max ${sortedCandidates.at(-1)}`,
);
console.log(
  `duplicates of a registered person: ${query.duplicatesFound}/${query.duplicates} found (${f4(query.duplicatesFound / query.duplicates)}; true match among candidates ${query.duplicatesInCandidates}); new people: ${query.newPeopleClear}/${query.newPeople} matched nobody (${f4(query.newPeopleClear / query.newPeople)}); overall ${f4((query.duplicatesFound + query.newPeopleClear) / latencies.length)}`,
);
console.log(`\npeak RSS over the whole run ${peak.maxRssMb} MB, heap (sampled) ${peak.sampledHeapMb} MB; load average at start ${loadAverage.map((x) => x.toFixed(2)).join(' ')}, at end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);

const file = saveResults('linkage-scale', {
  records: records.length,
  queries: Q,
  seed: SEED,
  threshold: PROBABILITY_THRESHOLD,
  heapLimitMb: Math.round(v8.getHeapStatistics().heap_size_limit / MB),
  loadAverage: { start: loadAverage, end: os.loadavg() },
  generateMs,
  distinctRaw,
  dedup: {
    truePairs: actual,
    candidatePairs: candidates.count,
    pairsPerRule: candidates.pairsPerRule,
    oversizedBlocks: candidates.oversizedBlockCount,
    blockingRecall: trueCandidates / actual,
    distinctPatterns,
    em: { iterations: em.iterations, converged: em.converged, lambda: em.model.lambda },
    times,
    totalMs: dedupMs,
    pairwise,
    clustered: { ...clustered, refusedLinks: clusters.refusedCount },
  },
  baselines,
  query: { indexMs, latency, ...query, candidates: undefined, candidatesP50: percentile(sortedCandidates, 50), candidatesP95: percentile(sortedCandidates, 95) },
  memory: peak,
  model: em.model.fields.map((fp) => ({ field: fp.field, levels: fp.labels.map((l, i) => `${l}: m=${fp.m[i].toFixed(4)} u=${fp.u[i].toFixed(5)} w=${fp.weights[i].toFixed(2)}`) })),
});
console.log(`results: ${file}`);
