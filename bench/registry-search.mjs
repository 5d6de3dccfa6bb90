#!/usr/bin/env node
/**
 * Fuzzy member search under the issue's conditions: 300,000 demo members on PostgreSQL (goal p95 < 100 ms).
 *   1. seed N members with `simpul demo` into a throwaway PostgreSQL (or a temp PGlite folder);
 *   2. start the product, log in as national admin, then GET /api/members?q=… with names people type
 *      (typos, old spellings, Muhammad variants, single names), first one request at a time (latency
 *      a person feels), then C connections × D seconds (load);
 *   3. baseline in the same run: the same service function (`listMembers`) called directly on the same
 *      database, without HTTP, one call at a time — what the framework and the session cost on top.
 *
 *   node bench/registry-search.mjs [--members 300000] [--engine postgres|pglite] [--duration 10] [--connections 10]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { register } from 'tsx/esm/api';
import { ensureSetup, login, startSimpul } from '../scripts/smoke.mjs';
import { startThrowawayPostgres } from '../scripts/with-postgres.mjs';
import { ROOT, msec, percentile, saveResults, table, withCleanup } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    members: { type: 'string', default: '300000' },
    engine: { type: 'string', default: 'postgres' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
  },
});
const MEMBERS = Number(args.members);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const GOAL_P95_MS = 100;

/** What coordinators type: typos, pre-1972 spellings, Muhammad variants, single names, a region filter. */
const QUERIES = [
  'budi santoso', 'budi santosa', 'siti nurhaliza', 'siti nurhalisa', 'muhamad rizki', 'moch rizky', 'm. rizki',
  'djoko', 'joko susilo', 'soekarno', 'sukarno', 'dewi lestari', 'agus setiawan', 'agus stiawan', 'ni made ayu',
  'nyoman', 'i wayan', 'hendra gunawan', 'ahmad fauzi', 'achmad fauzi', 'sri wahyuni', 'tjahjono', 'rina',
  'putri ayu', 'andi', 'dian permata', 'yusuf', 'joesoef', 'bambang', 'eko prasetyo',
];
const paths = QUERIES.map((q, i) => `/api/members?q=${encodeURIComponent(q)}&limit=20${i % 5 === 4 ? '&regionCode=32' : ''}`);

register();
const { openEngine } = await import('../src/server/platform/db.ts');
const { AuditLog } = await import('../src/server/platform/audit.ts');
const { loadConfig } = await import('../src/server/platform/config.ts');
const { listMembers } = await import('../src/server/modules/registry/members.service.ts');

function stats(sorted) {
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) };
}

async function seed(env) {
  const proc = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'simpul.mjs'), 'demo', '--members', String(MEMBERS), '--communities', String(Math.round(MEMBERS / 15)), '--chapters', '300'],
    { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  const code = await new Promise((resolve) => proc.on('exit', resolve));
  if (code !== 0) throw new Error(`simpul demo failed (${code}):\n${output}`);
  console.log(`  ${output.trim().split('\n').join('\n  ')}`);
}

async function sequential(fn, rounds = 3) {
  const ms = [];
  for (let r = 0; r < rounds; r++) {
    for (const p of paths) {
      const t0 = performance.now();
      await fn(p);
      ms.push(performance.now() - t0);
    }
  }
  return stats(ms.sort((a, b) => a - b));
}

await withCleanup(async (onCleanup) => {
  const engine = args.engine;
  console.log(`Member search benchmark — Node ${process.version}, ${os.cpus().length} cores; ${MEMBERS} members on ${engine}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simpul-bench-search-'));
  onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  let dbEnv = {};
  let pgServer = null;
  if (engine === 'postgres') {
    pgServer = await startThrowawayPostgres({ quiet: true });
    onCleanup(() => pgServer.stop());
    dbEnv = { DATABASE_URL: pgServer.url };
  }
  console.log('seeding…');
  await seed({ SIMPUL_DATA_DIR: dataDir, ...dbEnv });

  const server = await startSimpul({ dataDir, echo: false, env: { SIMPUL_SKIP_WEB_BUILD: '1', LOG_LEVEL: 'warn', ...dbEnv } });
  const results = {};
  try {
    await ensureSetup(server.baseUrl);
    const { cookie } = await login(server.baseUrl);
    const headers = { cookie, accept: 'application/json' };
    const first = await fetch(`${server.baseUrl}${paths[0]}`, { headers });
    if (first.status !== 200) throw new Error(`GET ${paths[0]} answered ${first.status}: ${await first.text()}`);
    const body = await first.json();
    console.log(`"${QUERIES[0]}": ${body.total} matches, first: ${body.items[0]?.fullName ?? '(none)'}`);
    console.log('one request at a time…');
    results.http = await sequential(async (p) => {
      const res = await fetch(`${server.baseUrl}${p}`, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}`);
    });
    console.log(`${CONNECTIONS} connections × ${DURATION} s…`);
    const latencies = [];
    const instance = autocannon({ url: server.baseUrl, connections: CONNECTIONS, duration: DURATION, headers, requests: paths.map((p) => ({ method: 'GET', path: p })) });
    instance.on('response', (_c, status, _b, rt) => status === 200 && latencies.push(rt));
    const load = await instance;
    results.load = { ...stats(latencies.sort((a, b) => a - b)), rps: latencies.length / load.duration, errors: load.errors + load.non2xx };
  } finally {
    await server.stop();
  }

  console.log('baseline: listMembers() directly, one call at a time…');
  const db = await openEngine(engine === 'postgres' ? { databaseUrl: pgServer.url, poolSize: 2 } : { pgliteDir: path.join(dataDir, 'pglite') });
  try {
    const ctx = { config: loadConfig({ SIMPUL_DATA_DIR: dataDir }), engine: db, db: db.db, audit: new AuditLog(db.db) };
    const actor = { userId: 1, name: 'bench', email: 'bench@simpul.test', locale: 'id', regionCode: null, grants: [{ role: 'national_admin', scopeType: 'national', scopeCode: '' }] };
    results.direct = await sequential(async (p) => {
      const u = new URL(p, 'http://x');
      await listMembers(ctx, actor, { q: u.searchParams.get('q'), regionCode: u.searchParams.get('regionCode') ?? undefined, limit: 20, offset: 0 });
    });
  } finally {
    await db.close();
  }

  const row = (label, s, extra = '') => [label, msec(s.p50), msec(s.p95), msec(s.p99), msec(s.max), extra];
  console.log(
    `\n${table([
      ['what', 'p50', 'p95', 'p99', 'max', ''],
      row('HTTP, one at a time', results.http, `goal p95 < ${GOAL_P95_MS} ms: ${results.http.p95 < GOAL_P95_MS ? 'met' : 'NOT met'}`),
      row(`HTTP, ${CONNECTIONS} connections`, results.load, `${results.load.rps.toFixed(0)} req/s, ${results.load.errors} errors`),
      row('baseline: listMembers() directly', results.direct, ''),
    ])}`,
  );
  console.log(`HTTP / direct at p50: ${(results.http.p50 / results.direct.p50).toFixed(2)}×`);
  saveResults('registry-search', { members: MEMBERS, engine, connections: CONNECTIONS, duration: DURATION, ...results });
});
