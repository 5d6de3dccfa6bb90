#!/usr/bin/env node
/**
 * Registry dashboard API under load, on embedded PGlite and on PostgreSQL, with demo data:
 *   1. seed N members (default 100,000; 5 % as many communities, 300 chapters) with the real
 *      command (`simpul demo`) into a temp PGlite folder / a throwaway PostgreSQL, and time it;
 *   2. start the product (`scripts/start.mjs`), create the first admin (POST /api/setup from
 *      127.0.0.1), log in, time the first (cold) dashboard request, then autocannon:
 *      GET /api/registry/dashboard (logged in, rotating national / province views and freshness
 *      windows) and GET /api/public/registry/summary (anonymous), C connections × D seconds each;
 *   3. stop the product and, as the baseline on the same data, run the dashboard's SQL directly
 *      (the repository function, through `pg` / PGlite, no HTTP): one caller in a loop, then
 *      C concurrent callers for D seconds — what every request would cost without the snapshot.
 *
 *   node bench/registry-dashboard.mjs [--members 100000] [--engine pglite|postgres|both] [--duration 10] [--connections 10]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { register } from 'tsx/esm/api';
import { ensureSetup, login, startSimpul } from '../scripts/smoke.mjs';
import { startThrowawayPostgres } from '../scripts/with-postgres.mjs';
import { ROOT, msec, percentile, saveResults, secs, table, withCleanup } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    members: { type: 'string', default: '100000' },
    engine: { type: 'string', default: 'both' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
  },
});
const MEMBERS = Number(args.members);
const COMMUNITIES = Math.round(MEMBERS / 20);
const CHAPTERS = 300;
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const WARMUP = Number(args.warmup);
const GOAL_P95_MS = 200;

register();
const { openEngine } = await import('../src/server/platform/db.ts');
const { loadDashboardData } = await import('../src/server/modules/registry/dashboard.repository.ts');

/** What coordinators open: the national map, a few provinces, another freshness window. */
const PRIVATE_PATHS = [
  '/api/registry/dashboard',
  '/api/registry/dashboard?region=32',
  '/api/registry/dashboard?region=35&months=6',
  '/api/registry/dashboard?region=51',
  '/api/registry/dashboard?region=94&months=24',
];
const PUBLIC_PATHS = ['/api/public/registry/summary', '/api/public/registry/summary?region=32', '/api/public/registry/summary?region=73'];

function stats(latencies, seconds, ok) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    ok,
    rps: ok / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
}

async function loadTest(baseUrl, paths, headers) {
  const requests = paths.map((p) => ({ method: 'GET', path: p }));
  await autocannon({ url: baseUrl, connections: CONNECTIONS, duration: WARMUP, requests, headers });
  const latencies = [];
  const statuses = {};
  const instance = autocannon({ url: baseUrl, connections: CONNECTIONS, duration: DURATION, requests, headers });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  return { ...stats(latencies, result.duration, statuses[200] ?? 0), statuses, errors: result.errors + result.timeouts };
}

/** `simpul demo` as people run it; its own figure for the seeding, ours for the whole command. */
async function seed(env) {
  const t0 = performance.now();
  const proc = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'simpul.mjs'), 'demo', '--members', String(MEMBERS), '--communities', String(COMMUNITIES), '--chapters', String(CHAPTERS)],
    { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  const code = await new Promise((resolve) => proc.on('exit', resolve));
  if (code !== 0) throw new Error(`simpul demo failed (${code}):\n${output}`);
  const m = /Seeded in ([\d.]+) s \(generate ([\d.]+) s, insert ([\d.]+) s\)/.exec(output);
  if (!m) throw new Error(`unexpected output of simpul demo:\n${output}`);
  console.log(`  ${output.trim().split('\n').join('\n  ')}`);
  return { seedS: Number(m[1]), generateS: Number(m[2]), insertS: Number(m[3]), commandMs: performance.now() - t0 };
}

async function timedGet(baseUrl, p, headers) {
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}${p}`, { headers });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}: ${text.slice(0, 300)}`);
  return { ms: performance.now() - t0, body: JSON.parse(text) };
}

/** The dashboard's SQL straight through the engine: one caller, then CONNECTIONS callers at once. */
async function baseline(engineOpts) {
  const engine = await openEngine({ poolSize: CONNECTIONS, ...engineOpts });
  try {
    await loadDashboardData(engine.db); // warm caches
    const alone = [];
    const until = performance.now() + DURATION * 1000;
    while (performance.now() < until || alone.length < 5) {
      const t0 = performance.now();
      await loadDashboardData(engine.db);
      alone.push(performance.now() - t0);
    }
    const concurrent = [];
    const start = performance.now();
    const stop = start + DURATION * 1000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < stop) {
          const t0 = performance.now();
          await loadDashboardData(engine.db);
          concurrent.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    return { alone: stats(alone, alone.reduce((s, ms) => s + ms, 0) / 1000, alone.length), concurrent: stats(concurrent, seconds, concurrent.length) };
  } finally {
    await engine.close();
    // pg's pool.end() resolves before its sockets are closed: stopping PostgreSQL right away would
    // log "connection closed" warnings for connections that were already on their way out.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function benchEngine(engine, onCleanup) {
  console.log(`\n[${engine}] seeding ${MEMBERS} members, ${COMMUNITIES} communities, ${CHAPTERS} chapters…`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `simpul-bench-dashboard-${engine}-`));
  onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  let dbEnv = {};
  let pgServer = null;
  if (engine === 'postgres') {
    pgServer = await startThrowawayPostgres({ quiet: true });
    onCleanup(() => pgServer.stop());
    dbEnv = { DATABASE_URL: pgServer.url };
  }
  const r = { seeding: await seed({ SIMPUL_DATA_DIR: dataDir, ...dbEnv }) };

  console.log(`[${engine}] starting Simpul…`);
  const server = await startSimpul({ dataDir, echo: false, env: { SIMPUL_SKIP_WEB_BUILD: '1', LOG_LEVEL: 'warn', ...dbEnv } });
  try {
    await ensureSetup(server.baseUrl);
    const { cookie } = await login(server.baseUrl);
    const headers = { cookie, accept: 'application/json' };
    const cold = await timedGet(server.baseUrl, PRIVATE_PATHS[0], headers);
    const warm = await timedGet(server.baseUrl, PRIVATE_PATHS[0], headers);
    r.coldMs = cold.ms;
    r.warmMs = warm.ms;
    r.totals = cold.body.totals;
    console.log(
      `[${engine}] first dashboard request (counts the snapshot) ${msec(cold.ms)}, the next ${msec(warm.ms)}; ` +
        `${cold.body.totals.members.active} active members, coverage ${cold.body.coverage.regenciesWithChapter}/${cold.body.coverage.regencies}`,
    );
    console.log(`[${engine}] GET /api/registry/dashboard, logged in: ${CONNECTIONS} connections × ${DURATION} s…`);
    r.dashboard = await loadTest(server.baseUrl, PRIVATE_PATHS, headers);
    console.log(`[${engine}] GET /api/public/registry/summary, anonymous: ${CONNECTIONS} connections × ${DURATION} s…`);
    r.public = await loadTest(server.baseUrl, PUBLIC_PATHS, { accept: 'application/json' });
  } finally {
    const st = await server.stop();
    if (st.code !== 0) console.warn(`[${engine}] the server did not stop cleanly (${st.code ?? st.signal})`);
  }

  console.log(`[${engine}] baseline: the dashboard's SQL directly, 1 caller then ${CONNECTIONS} callers × ${DURATION} s…`);
  r.sql = await baseline(engine === 'postgres' ? { databaseUrl: pgServer.url } : { pgliteDir: path.join(dataDir, 'pglite') });
  if (pgServer) await pgServer.stop();
  return r;
}

await withCleanup(async (onCleanup) => {
  const engines = args.engine === 'both' ? ['pglite', 'postgres'] : [args.engine];
  console.log(
    `Registry dashboard benchmark — Node ${process.version}, ${os.cpus().length} cores; ${MEMBERS} members; ${CONNECTIONS} connections, ${DURATION} s per run`,
  );
  const results = {};
  for (const engine of engines) results[engine] = await benchEngine(engine, onCleanup);

  const rows = [['engine: what', 'req/s', 'p50', 'p95', 'p99', 'max', `goal p95 ${GOAL_P95_MS} ms`]];
  for (const [engine, r] of Object.entries(results)) {
    const line = (label, m, goal) => [
      `${engine}: ${label}`,
      m.rps.toFixed(0),
      msec(m.p50),
      msec(m.p95),
      msec(m.p99),
      msec(m.max),
      goal ? (m.p95 <= GOAL_P95_MS ? 'within' : 'OVER') : '',
    ];
    rows.push(line('dashboard API, logged in', r.dashboard, true));
    rows.push(line('public summary API, anonymous', r.public, true));
    rows.push(line('baseline: dashboard SQL, 1 caller', r.sql.alone, false));
    rows.push(line(`baseline: dashboard SQL, ${CONNECTIONS} callers`, r.sql.concurrent, false));
  }
  console.log(`\n${table(rows)}`);
  const seedRows = [['engine', `seed ${MEMBERS} members`, 'of which insert', 'whole command', 'first dashboard request', 'second']];
  for (const [engine, r] of Object.entries(results)) {
    seedRows.push([engine, `${r.seeding.seedS.toFixed(1)} s`, `${r.seeding.insertS.toFixed(1)} s`, secs(r.seeding.commandMs), msec(r.coldMs), msec(r.warmMs)]);
  }
  console.log(`\n${table(seedRows)}\n`);
  for (const [engine, r] of Object.entries(results)) {
    const ok = r.dashboard.statuses[200] ?? 0;
    if (ok !== r.dashboard.requests || r.dashboard.errors) console.warn(`${engine}: dashboard answers other than 200: ${JSON.stringify(r.dashboard.statuses)}, errors ${r.dashboard.errors}`);
    console.log(
      `${engine}: dashboard API p95 / SQL alone p95 = ${(r.dashboard.p95 / r.sql.alone.p95).toFixed(2)}×; ` +
        `without the snapshot, ${CONNECTIONS} concurrent callers would wait p95 ${msec(r.sql.concurrent.p95)}`,
    );
  }
  const file = saveResults('registry-dashboard', { members: MEMBERS, communities: COMMUNITIES, chapters: CHAPTERS, connections: CONNECTIONS, durationS: DURATION, results });
  console.log(`results written to ${file}`);
});
