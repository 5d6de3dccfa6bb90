#!/usr/bin/env node
/**
 * Start-up time of the real product (`scripts/start.mjs`), measured from spawn to the first
 * 200 of /readyz:
 *   (i)  first start on an empty data folder, including migrations and the reference-data load
 *        (goal ≤ 15 s);
 *   (ii) start on that now existing data folder, N runs (goal ≤ 3 s).
 * Baseline in the same run: `node -e` starting a bare http server (the cost of starting Node).
 *
 *   node bench/startup.mjs [--runs 5] [--pg] [--node /path/to/node]
 *
 * --pg additionally measures both cases on a throwaway PostgreSQL (DATABASE_URL).
 * The web build is not part of this measurement (SIMPUL_SKIP_WEB_BUILD=1).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, waitForReady } from '../scripts/lib/net.mjs';
import { startSimpul } from '../scripts/smoke.mjs';
import { startThrowawayPostgres } from '../scripts/with-postgres.mjs';
import { median, saveResults, secs, table, withCleanup } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    pg: { type: 'boolean', default: false },
    node: { type: 'string', default: process.execPath },
  },
});
const RUNS = Number(args.runs);
const NODE = args.node;
const GOAL_FIRST_MS = 15_000;
const GOAL_RESTART_MS = 3_000;

/** Spawn → first 200 from a bare `node -e` http server. */
async function bareNodeStart() {
  const port = await freePort();
  const code = `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`;
  const t0 = performance.now();
  const proc = spawn(NODE, ['-e', code], { stdio: 'ignore' });
  try {
    await waitForReady(`http://127.0.0.1:${port}`, { timeoutMs: 60_000, proc, name: 'the bare node process', intervalMs: 10 });
    return performance.now() - t0;
  } finally {
    proc.kill('SIGKILL');
  }
}

/** The "started in" figure the server prints itself (its own view, without Node/tsx start-up). */
function selfReported(output) {
  const m = /started in ([\d.]+) s/.exec(output);
  return m ? Number(m[1]) * 1000 : null;
}

async function measureEngine(label, env, onCleanup) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simpul-bench-startup-'));
  onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const common = { node: NODE, dataDir, echo: false, env: { SIMPUL_SKIP_WEB_BUILD: '1', ...env } };

  const first = await startSimpul({ ...common, label: `${label} first` });
  const firstOut = first.output();
  const stop1 = await first.stop();
  if (stop1.code !== 0) throw new Error(`${label}: the server did not stop cleanly (${stop1.code ?? stop1.signal})`);
  const reference = /Reference data loaded in ([\d.]+) s/.exec(firstOut);
  console.log(
    `  ${label}: first start ${secs(first.readyMs)} (server's own figure ${secs(selfReported(firstOut) ?? NaN)}` +
      `${reference ? `, reference data ${reference[1]} s` : ', no reference-data load reported'})`,
  );

  const restarts = [];
  const restartSelf = [];
  for (let i = 0; i < RUNS; i++) {
    const s = await startSimpul({ ...common, label: `${label} restart` });
    restarts.push(s.readyMs);
    restartSelf.push(selfReported(s.output()) ?? NaN);
    const st = await s.stop();
    if (st.code !== 0) throw new Error(`${label}: the server did not stop cleanly (${st.code ?? st.signal})`);
  }
  console.log(`  ${label}: restarts ${restarts.map(secs).join(', ')}`);
  return {
    firstMs: first.readyMs,
    firstSelfMs: selfReported(firstOut),
    referenceLoadS: reference ? Number(reference[1]) : null,
    restartMs: restarts,
    restartSelfMs: restartSelf,
  };
}

await withCleanup(async (onCleanup) => {
  const version = await new Promise((resolve) => {
    const p = spawn(NODE, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', () => resolve(out.trim()));
  });
  console.log(`Start-up benchmark — Node ${version}, ${os.cpus().length} cores, ${RUNS} runs per case\n`);

  const baseline = [];
  await bareNodeStart(); // let the OS cache the node binary first
  for (let i = 0; i < RUNS; i++) baseline.push(await bareNodeStart());
  console.log(`  baseline: bare node http server ${baseline.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);

  const engines = { pglite: await measureEngine('PGlite', {}, onCleanup) };
  if (args.pg) {
    const pgServer = await startThrowawayPostgres({ quiet: true });
    onCleanup(() => pgServer.stop());
    engines.postgres = await measureEngine('PostgreSQL', { DATABASE_URL: pgServer.url }, onCleanup);
  }

  const baseMed = median(baseline);
  const rows = [['case', 'min', 'median', 'goal', 'median / bare node', 'verdict']];
  rows.push(['bare node -e http server', secs(Math.min(...baseline)), secs(baseMed), '—', '1.0×', '']);
  for (const [name, r] of Object.entries(engines)) {
    rows.push([
      `${name}: first start (empty folder)`,
      secs(r.firstMs),
      secs(r.firstMs),
      secs(GOAL_FIRST_MS),
      `${(r.firstMs / baseMed).toFixed(1)}×`,
      r.firstMs <= GOAL_FIRST_MS ? 'within goal' : 'OVER GOAL',
    ]);
    const med = median(r.restartMs);
    rows.push([
      `${name}: start, existing folder`,
      secs(Math.min(...r.restartMs)),
      secs(med),
      secs(GOAL_RESTART_MS),
      `${(med / baseMed).toFixed(1)}×`,
      med <= GOAL_RESTART_MS ? 'within goal' : 'OVER GOAL',
    ]);
    const selfMed = median(r.restartSelfMs);
    if (Number.isFinite(selfMed)) {
      rows.push([`${name}:   of which main.ts (own figure)`, secs(Math.min(...r.restartSelfMs)), secs(selfMed), '', '', '']);
    }
  }
  console.log(`\n${table(rows)}\n`);
  const file = saveResults('startup', { nodeBinary: NODE, nodeVersion: version, runs: RUNS, baselineMs: baseline, engines });
  console.log(`results written to ${file}`);
});
