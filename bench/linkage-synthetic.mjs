#!/usr/bin/env node
/**
 * Synthetic Indonesian beneficiaries (src/lib/linkage/synthetic): how fast the generator is and how
 * much memory it takes, at 100,000 and 1,000,000 records, through the streaming iterator (bounded
 * memory) and the array API (everything in memory). Each measurement runs in its own child process
 * so peak RSS belongs to that run alone. Prints a small sample; `--out` writes a CSV.
 * Baseline in the same run: a loop that builds the same number of plain objects with fixed
 * strings — the floor for "make a million records" in this Node.
 *
 *   node bench/linkage-synthetic.mjs [--sizes 100000,1000000] [--seed 1] [--duplicate-rate 0.2]
 *                                    [--sample 8] [--out file.csv [--out-records N]]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    seed: { type: 'string', default: '1' },
    'duplicate-rate': { type: 'string', default: '0.2' },
    sample: { type: 'string', default: '8' },
    out: { type: 'string' },
    'out-records': { type: 'string' },
    // Internal: one measurement in a child process.
    child: { type: 'string' },
    n: { type: 'string' },
  },
});

register();
const { generateRecords, generateDataset, countTruePairs, toCsvLine, CSV_COLUMNS } = await import('../src/lib/linkage/synthetic/index.ts');

const seed = Number.isNaN(Number(args.seed)) ? args.seed : Number(args.seed);
const options = (records) => ({ records, seed, duplicateRate: Number(args['duplicate-rate']) });
const mb = (bytes) => Math.round(bytes / 2 ** 20);

if (args.child) {
  const n = Number(args.n);
  const started = performance.now();
  const result = { mode: args.child, records: n };
  if (args.child === 'iterate') {
    // Touch every record so nothing is optimised away; keep no reference to any of them.
    let persons = 0;
    let withNik = 0;
    let duplicates = 0;
    const seen = new Uint8Array(n);
    for (const r of generateRecords(options(n))) {
      if (r.personId >= persons) persons = r.personId + 1;
      if (r.nik) withNik++;
      if (r.personId < n) {
        if (seen[r.personId]) duplicates++;
        seen[r.personId] = 1;
      }
    }
    Object.assign(result, { persons, duplicates, withNik });
  } else if (args.child === 'array') {
    const records = generateDataset(options(n));
    result.ms = performance.now() - started;
    result.heapMb = mb(process.memoryUsage().heapUsed);
    result.truePairs = countTruePairs(records);
    result.persons = new Set(records.map((r) => r.personId)).size;
  } else {
    const records = [];
    for (let i = 0; i < n; i++) {
      records.push({ id: i, personId: i, householdId: i, source: 'RESCUE', name: 'Budi Santoso', nik: '3273010101800001', kk: '3273010101090001', birthDate: '1980-01-01', sex: 'L', regencyCode: '32.73', districtCode: '32.73.01', address: 'Jl. Melati No. 1', phone: '081234567890' });
    }
    result.heapMb = mb(process.memoryUsage().heapUsed);
  }
  result.ms ??= performance.now() - started;
  // ru_maxrss is in kilobytes on Linux.
  result.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify(result));
  process.exit(0);
}

const { saveResults, table } = await import('./lib.mjs');
const self = fileURLToPath(import.meta.url);
const sizes = args.sizes.split(',').map(Number);

/** Old-space cap for the 'capped' run: the stream must finish a million records inside it. */
const CAP_MB = 64;

function measure(mode, n) {
  const nodeArgs = mode === 'capped' ? [`--max-old-space-size=${CAP_MB}`] : [];
  const childMode = mode === 'capped' ? 'iterate' : mode;
  const run = spawnSync(process.execPath, [...nodeArgs, self, '--child', childMode, '--n', String(n), '--seed', args.seed, '--duplicate-rate', args['duplicate-rate']], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`child ${mode} ${n} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

console.log(`Synthetic beneficiaries — seed ${args.seed}, duplicate rate ${args['duplicate-rate']}\n`);
const rows = [['mode', 'records', 'time', 'records/s', 'peak RSS', 'heap after', 'persons', 'true pairs']];
const results = [];
for (const n of sizes) {
  const modes = n === Math.max(...sizes) ? ['baseline', 'iterate', 'capped', 'array'] : ['baseline', 'iterate', 'array'];
  for (const mode of modes) {
    const r = { ...measure(mode, n), mode };
    results.push(r);
    const label = {
      baseline: 'baseline (fixed objects)',
      iterate: 'generateRecords (stream)',
      capped: `stream, heap capped ${CAP_MB} MB`,
      array: 'generateDataset (array)',
    }[mode];
    rows.push([
      label,
      n.toLocaleString('en'),
      `${(r.ms / 1000).toFixed(2)} s`,
      Math.round(n / (r.ms / 1000)).toLocaleString('en'),
      `${r.peakRssMb} MB`,
      r.heapMb === undefined ? '—' : `${r.heapMb} MB`,
      r.persons === undefined ? '—' : r.persons.toLocaleString('en'),
      r.truePairs === undefined ? '—' : r.truePairs.toLocaleString('en'),
    ]);
    console.log(`  ${mode} ${n.toLocaleString('en')}: ${(r.ms / 1000).toFixed(2)} s, peak RSS ${r.peakRssMb} MB`);
  }
}
console.log(`\n${table(rows)}\n`);

const sampleSize = Number(args.sample);
if (sampleSize > 0) {
  console.log(`Sample (first ${sampleSize} of 1,000 records, seed ${args.seed}):`);
  const sample = generateDataset({ ...options(1000), shuffleWindow: 0 }).slice(0, sampleSize);
  for (const r of sample) console.log(`  ${JSON.stringify(r)}`);
  console.log();
}

if (args.out) {
  const n = Number(args['out-records'] ?? Math.max(...sizes));
  const started = performance.now();
  const out = fs.createWriteStream(args.out);
  const write = (chunk) => (out.write(chunk) ? Promise.resolve() : new Promise((resolve) => out.once('drain', resolve)));
  await write(`${CSV_COLUMNS.join(',')}\n`);
  let buffer = '';
  for (const r of generateRecords(options(n))) {
    buffer += `${toCsvLine(r)}\n`;
    if (buffer.length > 1 << 20) {
      await write(buffer);
      buffer = '';
    }
  }
  await write(buffer);
  await new Promise((resolve, reject) => out.end((err) => (err ? reject(err) : resolve())));
  console.log(`Wrote ${n.toLocaleString('en')} records to ${args.out} (${mb(fs.statSync(args.out).size)} MB) in ${((performance.now() - started) / 1000).toFixed(2)} s`);
}

console.log(`Results: ${saveResults('linkage-synthetic', { seed: args.seed, duplicateRate: Number(args['duplicate-rate']), results })}`);
