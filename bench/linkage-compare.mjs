#!/usr/bin/env node
/**
 * Micro-benchmark of the linkage library's hot string comparators (src/lib/linkage/compare.ts):
 * calls per second of jaroWinkler, damerauLevenshtein, levenshtein and compareNik on realistic
 * pairs of normalised Indonesian names (the same person typed twice: typos, transpositions, old
 * spellings, dropped tokens, and unrelated names, as a blocking rule hands them over).
 *
 * Baselines in the same run and the same loop:
 *  - `a === b` (string equality): the floor, the cost of the loop itself;
 *  - a textbook Jaro-Winkler that allocates two arrays per call (what a straightforward port looks
 *    like), to show what reusing typed buffers buys.
 * It also counts V8 garbage collections during each measurement (a comparator that allocates
 * nothing per call should cause next to none), and, for scale planning, times the per-record
 * normalisers (normalizeName, phoneticKeyOfNormalized, normalizeAddress) on raw names as typed.
 *
 *   node bench/linkage-compare.mjs [--seconds 1.5] [--rounds 3] [--pairs 4096]
 *
 * Figures are the best of `--rounds` timed runs (after a warm-up), so a neighbour's burst on this
 * shared 2-core machine does not count.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';
import { saveResults, table } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '1.5' },
    rounds: { type: 'string', default: '3' },
    pairs: { type: 'string', default: '4096' },
  },
});
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const PAIR_COUNT = Number(args.pairs);

register();
const { jaroWinkler, damerauLevenshtein, levenshtein, compareNik } = await import('../src/lib/linkage/compare.ts');
const { normalizeName, normalizeAddress } = await import('../src/lib/linkage/normalize.ts');
const { phoneticKeyOfNormalized } = await import('../src/lib/linkage/phonetic.ts');

// ---------------------------------------------------------------------------------------------
// Realistic pairs (deterministic)

let seed = 20261122;
const random = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};
const pick = (list) => list[Math.floor(random() * list.length)];

const FIRST = ['siti', 'muhammad', 'budi', 'agus', 'dewi', 'sri', 'nur', 'rizki', 'ahmad', 'putri', 'eko', 'wahyu', 'indah', 'joko',
  'abdul', 'rina', 'hendra', 'yusuf', 'fitri', 'bayu', 'ratna', 'andi', 'lestari', 'khairul', 'annisa', 'dian', 'fajar', 'nyoman', 'made', 'ketut'];
const MIDDLE = ['', '', '', 'nur', 'dwi', 'tri', 'eka', 'ayu', 'rahmat', 'hidayat', 'kurnia', 'aminah', 'fatimah'];
const LAST = ['santoso', 'wijaya', 'saputra', 'lestari', 'hidayat', 'kusuma', 'pratama', 'setiawan', 'nugroho', 'rahayu', 'permana',
  'susanto', 'gunawan', 'purnama', 'firmansyah', 'maulana', 'hakim', 'siregar', 'nasution', 'sembiring', 'simanjuntak', 'wahyudi', ''];
const SPELLING = [['u', 'oe'], ['y', 'j'], ['kh', 'h'], ['f', 'p'], ['i', 'y'], ['mm', 'm'], ['sy', 's'], ['c', 'tj'], ['j', 'dj']];

function randomName() {
  return [pick(FIRST), pick(MIDDLE), pick(LAST)].filter(Boolean).join(' ');
}

function typo(name) {
  const i = Math.floor(random() * name.length);
  switch (Math.floor(random() * 5)) {
    case 0: // substitution
      return name.slice(0, i) + pick('aiueonrstkm') + name.slice(i + 1);
    case 1: // adjacent transposition
      return i + 1 < name.length ? name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2) : name;
    case 2: // deletion
      return name.slice(0, i) + name.slice(i + 1);
    case 3: {
      // spelling variant
      const [from, to] = pick(SPELLING);
      return name.includes(from) ? name.replace(from, to) : name + 'h';
    }
    default: // a token dropped
      return name.includes(' ') ? name.slice(0, name.lastIndexOf(' ')) : name;
  }
}

const namesA = [];
const namesB = [];
for (let k = 0; k < PAIR_COUNT; k++) {
  const a = randomName();
  const kind = random();
  // About a third the same person with errors, a sixth identical, half unrelated (as after blocking).
  const b = kind < 0.33 ? typo(random() < 0.4 ? typo(a) : a) : kind < 0.5 ? a : randomName();
  namesA.push(a);
  namesB.push(b);
}

function randomNik() {
  let nik = '3273';
  for (let i = 0; i < 12; i++) nik += Math.floor(random() * 10);
  return nik;
}
const niksA = [];
const niksB = [];
for (let k = 0; k < PAIR_COUNT; k++) {
  const a = randomNik();
  const kind = random();
  const i = 4 + Math.floor(random() * 11);
  const b = kind < 0.3 ? a : kind < 0.5 ? a.slice(0, i) + ((Number(a[i]) + 1) % 10) + a.slice(i + 1) : kind < 0.6 ? a.slice(0, i) + a[i + 1] + a[i] + a.slice(i + 2) : randomNik();
  niksA.push(a);
  niksB.push(b);
}

// String concatenation leaves ropes; flatten so every comparator reads flat strings, as it would
// when names come from a database or a parsed file.
const flat = (list) => list.map((s) => Buffer.from(s).toString());
const A = flat(namesA);
const B = flat(namesB);
const NA = flat(niksA);
const NB = flat(niksB);

// Raw, as typed: titles, degrees, capitals, old spellings (the per-record normalisers' input).
const RAW_TITLES = ['', '', '', 'H. ', 'Hj. ', 'Ibu ', 'Bpk. ', 'Dr. '];
const RAW_DEGREES = ['', '', '', '', ', S.Pd.', ', S.Kom., M.M.', ' S.E.'];
const rawNames = flat(namesA.map((name, k) => {
  let raw = RAW_TITLES[k % RAW_TITLES.length] + name.replace(/\b\w/g, (c) => c.toUpperCase()) + RAW_DEGREES[k % RAW_DEGREES.length];
  if (k % 5 === 0) raw = raw.replace('u', 'oe').replace('j', 'dj');
  if (k % 11 === 0) raw = raw.toUpperCase();
  return raw;
}));
const normalizedNames = rawNames.map((raw) => normalizeName(raw));
const rawAddresses = flat(namesA.map((_, k) => `Jl. ${LAST[k % LAST.length] || 'Merdeka'} No.${k % 200} RT ${String(k % 15).padStart(2, '0')}/RW ${String(k % 9).padStart(2, '0')}, Kel. Sukajadi`));

// ---------------------------------------------------------------------------------------------
// Baseline: a textbook Jaro-Winkler that allocates per call

function allocatingJaroWinkler(a, b) {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const usedA = new Array(a.length).fill(false);
  const usedB = new Array(b.length).fill(false);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (!usedB[j] && a[i] === b[j]) {
        usedA[i] = usedB[j] = true;
        m++;
        break;
      }
    }
  }
  if (!m) return 0;
  const sa = [...a].filter((_, i) => usedA[i]);
  const sb = [...b].filter((_, i) => usedB[i]);
  const t = Math.floor(sa.filter((c, i) => c !== sb[i]).length / 2);
  const jaro = (m / a.length + m / b.length + (m - t) / m) / 3;
  if (jaro <= 0.7) return jaro;
  let prefix = 0;
  while (prefix < Math.min(4, a.length, b.length) && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

// ---------------------------------------------------------------------------------------------
// Measurement

let gcCount = 0;
new PerformanceObserver((list) => {
  gcCount += list.getEntries().length;
}).observe({ entryTypes: ['gc'] });

/**
 * Calls `fn(left[k], right[k])` over the pairs for about SECONDS and returns calls/s. The loop
 * sums the results (numbers, booleans or a string's length) so nothing can be optimised away.
 */
async function measure(fn, left, right) {
  const n = left.length;
  let sink = 0;
  let calls = 0;
  const gcBefore = gcCount;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(SECONDS * 1e9));
  let now = start;
  while (now < deadline) {
    // Check the clock every n calls only: reading it costs more than a comparison.
    for (let k = 0; k < n; k++) {
      const result = fn(left[k], right[k]);
      sink += typeof result === 'number' ? result : typeof result === 'boolean' ? (result ? 1 : 0) : result.length;
    }
    calls += n;
    now = process.hrtime.bigint();
  }
  const seconds = Number(now - start) / 1e9;
  // GC entries reach the observer asynchronously: let them arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, 20));
  return { callsPerSecond: calls / seconds, calls, gcs: gcCount - gcBefore, sink };
}

// Each comparator gets its own small wrapper so V8 sees one monomorphic call site per benchmark.
const cases = [
  { name: 'a === b (baseline: the loop itself)', left: A, right: B, fn: (a, b) => a === b },
  { name: 'jaroWinkler', left: A, right: B, fn: (a, b) => jaroWinkler(a, b) },
  { name: 'textbook Jaro-Winkler, allocating (baseline)', left: A, right: B, fn: (a, b) => allocatingJaroWinkler(a, b) },
  { name: 'damerauLevenshtein (OSA)', left: A, right: B, fn: (a, b) => damerauLevenshtein(a, b) },
  { name: 'levenshtein', left: A, right: B, fn: (a, b) => levenshtein(a, b) },
  { name: 'NIK a === b (baseline)', left: NA, right: NB, fn: (a, b) => a === b },
  { name: 'compareNik', left: NA, right: NB, fn: (a, b) => compareNik(a, b) },
  // Per record, not per pair: one call per name (the second argument is ignored).
  { name: 'normalizeName (per record)', left: rawNames, right: rawNames, fn: (a) => normalizeName(a) },
  { name: 'phoneticKeyOfNormalized (per record)', left: normalizedNames, right: normalizedNames, fn: (a) => phoneticKeyOfNormalized(a) },
  { name: 'normalizeAddress (per record)', left: rawAddresses, right: rawAddresses, fn: (a) => normalizeAddress(a).text },
];

// Sanity: the fast and the textbook Jaro-Winkler agree on every pair.
for (let k = 0; k < A.length; k++) {
  if (Math.abs(jaroWinkler(A[k], B[k]) - allocatingJaroWinkler(A[k], B[k])) > 1e-12) {
    throw new Error(`jaroWinkler disagrees with the textbook version on ${A[k]} / ${B[k]}`);
  }
}

const averageLength = A.reduce((sum, s, k) => sum + s.length + B[k].length, 0) / (2 * A.length);
console.log(`${PAIR_COUNT} name pairs (mean length ${averageLength.toFixed(1)} chars), ${PAIR_COUNT} NIK pairs; best of ${ROUNDS} × ${SECONDS} s after a warm-up; node ${process.version}`);

const results = [];
for (const testCase of cases) {
  await measure(testCase.fn, testCase.left, testCase.right); // warm-up: let V8 optimise
  let best = null;
  for (let round = 0; round < ROUNDS; round++) {
    const run = await measure(testCase.fn, testCase.left, testCase.right);
    if (!best || run.callsPerSecond > best.callsPerSecond) best = run;
  }
  results.push({ name: testCase.name, ...best });
}

const floor = results[0].callsPerSecond;
const rows = [['comparator', 'calls/s', 'ns/call', 'ns/call above loop', 'GCs in best run']];
for (const r of results) {
  const ns = 1e9 / r.callsPerSecond;
  const baseNs = 1e9 / (r.name.startsWith('NIK') || r.name === 'compareNik' ? results.find((x) => x.name.startsWith('NIK')).callsPerSecond : floor);
  // The per-record normalisers build strings, so "above the loop" says little there.
  const perRecord = r.name.includes('per record');
  rows.push([r.name, Math.round(r.callsPerSecond).toLocaleString('en-US'), ns.toFixed(1), perRecord ? '—' : (ns - baseNs).toFixed(1), r.gcs]);
}
console.log(table(rows));
const jw = results.find((r) => r.name === 'jaroWinkler').callsPerSecond;
const textbook = results.find((r) => r.name.startsWith('textbook')).callsPerSecond;
console.log(`jaroWinkler is ${(jw / textbook).toFixed(1)}× the allocating textbook version; 10 million calls take ${(1e7 / jw).toFixed(2)} s on one core.`);
console.log(`results: ${saveResults('linkage-compare', { pairs: PAIR_COUNT, seconds: SECONDS, rounds: ROUNDS, results: results.map(({ sink: _sink, ...r }) => r) })}`);
