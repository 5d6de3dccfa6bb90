#!/usr/bin/env node
/**
 * Authenticated region search under load, on embedded PGlite and on PostgreSQL:
 * the real product (`scripts/start.mjs`) gets a first admin, logs in, and then 50 connections
 * ask GET /api/regions/search?q=… with rotating queries for ~10 s (autocannon).
 * Baseline in the same run, on the same data: bench/bare-search-server.mjs, a bare node:http
 * server calling the same search function as the route (PGlite: on a copy of the server's data folder).
 * Everything runs one after another so nothing competes for the cores.
 *
 *   node bench/region-search.mjs [--engine pglite|postgres|both] [--duration 10] [--connections 50]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freePort, waitForReady } from '../scripts/lib/net.mjs';
import { ensureSetup, login, startSimpul } from '../scripts/smoke.mjs';
import { startThrowawayPostgres } from '../scripts/with-postgres.mjs';
import { ROOT, msec, percentile, saveResults, table, withCleanup } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
  },
});
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const WARMUP = Number(args.warmup);
const LIMIT = 10;

/** What people type: regencies, cities, districts, abbreviations, a typo. */
const QUERIES = [
  'kab bandung',
  'kota malang',
  'surabaya',
  'bandung barat',
  'sleman',
  'denpasar',
  'kecamatan coblong',
  'jakarta selatan',
  'kab bogor',
  'medan',
  'yogyakarta',
  'makassar',
  'surabya',
  'desa sukamaju',
  'kota padang',
  'ntt kupang',
];
const searchPath = (q) => `/api/regions/search?q=${encodeURIComponent(q)}&limit=${LIMIT}`;

/** Requests that started in the first seconds of a run wait for Node to accept their connection. */
const RAMP_MS = 2000;

async function loadTest(baseUrl, headers) {
  const requests = QUERIES.map((q) => ({ method: 'GET', path: searchPath(q) }));
  // Warm-up: JIT, caches, pools. Not recorded.
  await autocannon({ url: baseUrl, connections: 10, duration: WARMUP, requests, headers });

  const samples = []; // [start offset ms, latency ms]
  const statuses = new Map();
  const t0 = performance.now();
  const instance = autocannon({ url: baseUrl, connections: CONNECTIONS, duration: DURATION, requests, headers });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    samples.push([performance.now() - t0 - responseTime, responseTime]);
    statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
  });
  const result = await instance;
  const all = samples.map(([, ms]) => ms).sort((a, b) => a - b);
  const steady = samples
    .filter(([start]) => start >= RAMP_MS)
    .map(([, ms]) => ms)
    .sort((a, b) => a - b);
  const ok = statuses.get(200) ?? 0;
  return {
    requests: all.length,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses: Object.fromEntries(statuses),
    seconds: result.duration,
    rps: ok / result.duration,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    max: all.at(-1) ?? NaN,
    steady: { requests: steady.length, p50: percentile(steady, 50), p95: percentile(steady, 95), p99: percentile(steady, 99), max: steady.at(-1) ?? NaN },
  };
}

async function checkSearch(baseUrl, headers, who) {
  const res = await fetch(`${baseUrl}${searchPath('kab bandung')}`, { headers });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${who}: GET ${searchPath('kab bandung')} answered ${res.status}: ${text.slice(0, 300)}`);
  const body = JSON.parse(text);
  const items = Array.isArray(body) ? body : body.items;
  if (!Array.isArray(items) || items.length === 0) throw new Error(`${who}: the search found nothing for "kab bandung": ${text.slice(0, 300)}`);
  return items[0];
}

async function startBare(env) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const proc = spawn(process.execPath, [path.join(ROOT, 'bench', 'bare-search-server.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), ...env },
  });
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  try {
    await waitForReady(baseUrl, { timeoutMs: 60_000, proc, output: () => output, name: 'the bare server', intervalMs: 50 });
  } catch (err) {
    proc.kill('SIGKILL');
    throw err;
  }
  return {
    baseUrl,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Median latency of each query alone (one connection, sequential): shows which queries are slow. */
async function perQuery(baseUrl, headers, reps = 10) {
  const out = {};
  for (const q of QUERIES) {
    const times = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      const res = await fetch(`${baseUrl}${searchPath(q)}`, { headers });
      await res.arrayBuffer();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out[q] = percentile(times, 50);
  }
  return out;
}

async function benchEngine(engine, onCleanup) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `simpul-bench-search-${engine}-`));
  onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  let dbEnv = {};
  let pgServer = null;
  if (engine === 'postgres') {
    pgServer = await startThrowawayPostgres({ quiet: true });
    onCleanup(() => pgServer.stop());
    dbEnv = { DATABASE_URL: pgServer.url };
  }

  console.log(`\n[${engine}] starting Simpul…`);
  const server = await startSimpul({ dataDir, echo: false, env: { SIMPUL_SKIP_WEB_BUILD: '1', LOG_LEVEL: 'warn', ...dbEnv } });
  const r = {};
  try {
    await ensureSetup(server.baseUrl);
    const { cookie } = await login(server.baseUrl);
    const headers = { cookie, accept: 'application/json' };
    const top = await checkSearch(server.baseUrl, headers, 'Simpul');
    console.log(`[${engine}] ready in ${(server.readyMs / 1000).toFixed(1)} s; "kab bandung" → ${top.name ?? JSON.stringify(top)}`);
    console.log(`[${engine}] Simpul, logged in: ${CONNECTIONS} connections × ${DURATION} s…`);
    r.framework = await loadTest(server.baseUrl, headers);
    // The same without a session cookie: separates the cost of resolving the session from the rest.
    console.log(`[${engine}] Simpul, anonymous: ${CONNECTIONS} connections × ${DURATION} s…`);
    r.anonymous = await loadTest(server.baseUrl, { accept: 'application/json' });
    r.perQueryMs = await perQuery(server.baseUrl, headers);
  } finally {
    const st = await server.stop();
    if (st.code !== 0) console.warn(`[${engine}] the server did not stop cleanly (${st.code ?? st.signal})`);
  }

  let bareEnv = dbEnv;
  if (engine === 'pglite') {
    // A copy taken while the server is stopped: the same data, and the server's folder untouched.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'simpul-bench-bare-'));
    onCleanup(() => fs.rmSync(copy, { recursive: true, force: true }));
    fs.cpSync(path.join(dataDir, 'pglite'), path.join(copy, 'pglite'), { recursive: true });
    bareEnv = { BENCH_PGLITE_DIR: path.join(copy, 'pglite') };
  }
  console.log(`[${engine}] bare node:http + same search function: ${CONNECTIONS} connections × ${DURATION} s…`);
  const bare = await startBare(bareEnv);
  try {
    await checkSearch(bare.baseUrl, {}, 'bare server');
    r.baseline = await loadTest(bare.baseUrl, {});
  } finally {
    await bare.stop();
  }
  if (pgServer) await pgServer.stop();
  return r;
}

await withCleanup(async (onCleanup) => {
  const engines = args.engine === 'both' ? ['pglite', 'postgres'] : [args.engine];
  console.log(
    `Region search benchmark — Node ${process.version}, ${os.cpus().length} cores; ${CONNECTIONS} connections, ${DURATION} s per run, ${QUERIES.length} rotating queries`,
  );
  const results = {};
  for (const engine of engines) results[engine] = await benchEngine(engine, onCleanup);

  const rows = [['engine / server', 'req/s', 'p50', 'p95', 'p99', 'max', 'steady p95', 'steady p99', 'steady max', 'non-2xx', 'errors']];
  for (const [engine, r] of Object.entries(results)) {
    for (const [label, m] of [
      ['Simpul, logged in', r.framework],
      ['Simpul, anonymous', r.anonymous],
      ['bare node:http, same search', r.baseline],
    ]) {
      rows.push([
        `${engine}: ${label}`,
        m.rps.toFixed(0),
        msec(m.p50),
        msec(m.p95),
        msec(m.p99),
        msec(m.max),
        msec(m.steady.p95),
        msec(m.steady.p99),
        msec(m.steady.max),
        m.non2xx,
        m.errors + m.timeouts,
      ]);
    }
  }
  console.log(`\n${table(rows)}`);
  console.log(
    `(steady: only requests started ≥ ${RAMP_MS / 1000} s into the run. When the server's event loop is saturated, Node accepts the ${CONNECTIONS}\n` +
      ` connections opened at once only slowly, so the first requests of late-accepted connections wait for seconds; "max" shows that.)\n`,
  );
  for (const [engine, r] of Object.entries(results)) {
    const ratio = (m) =>
      `throughput ${(m.rps / r.baseline.rps).toFixed(2)}×, p50 ${(m.p50 / r.baseline.p50).toFixed(2)}×, p95 ${(m.p95 / r.baseline.p95).toFixed(2)}×`;
    console.log(`${engine}: Simpul logged in / bare — ${ratio(r.framework)}`);
    console.log(`${engine}: Simpul anonymous / bare — ${ratio(r.anonymous)}`);
  }
  const engineNames = Object.keys(results);
  const qRows = [['query (1 connection, median of 10)', ...engineNames]];
  for (const q of QUERIES) qRows.push([q, ...engineNames.map((e) => msec(results[e].perQueryMs[q]))]);
  console.log(`\n${table(qRows)}\n`);
  const file = saveResults('region-search', { connections: CONNECTIONS, durationS: DURATION, queries: QUERIES, results });
  console.log(`results written to ${file}`);
});
