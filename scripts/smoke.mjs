#!/usr/bin/env node
/**
 * Smoke run of the real product with a given Node.js binary:
 *
 *   node scripts/smoke.mjs [path/to/node]      (or SMOKE_NODE=…; default: this Node)
 *
 * Starts `scripts/start.mjs` on a free port with a fresh data folder, waits for /readyz,
 * checks /healthz, does the first-run setup and logs in through the HTTP API, then restarts
 * on the same data folder and logs in again. Prints the start-up times; exits non-zero on any
 * failure. The helpers are exported for the benchmarks.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForReady } from './lib/net.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const START_SCRIPT = path.join(ROOT, 'scripts', 'start.mjs');

export const ADMIN = { name: 'Admin Smoke', email: 'admin@simpul.test', password: 'smoke-password-123' };

/**
 * Spawns the product (`<node> scripts/start.mjs`) and resolves once /readyz answers 200.
 * `readyMs` is measured from spawn to the first 200 of /readyz.
 */
export async function startSimpul({
  node = process.execPath,
  dataDir,
  env = {},
  port,
  timeoutMs = 120_000,
  label = 'server',
  echo = true,
} = {}) {
  port ??= await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const t0 = performance.now();
  const proc = spawn(node, [START_SCRIPT], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...(dataDir ? { SIMPUL_DATA_DIR: dataDir } : {}),
      ...env,
    },
  });
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  for (const stream of [proc.stdout, proc.stderr]) {
    stream.setEncoding('utf8');
    let partial = '';
    stream.on('data', (chunk) => {
      output += chunk;
      if (!echo) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      for (const line of lines) process.stdout.write(`  [${label}] ${line}\n`);
    });
  }

  let state = null;
  exited.then((s) => (state = s));
  let readyMs = null;
  let notReady = null;
  try {
    await waitForReady(baseUrl, { timeoutMs, proc, output: () => output, name: 'Simpul', intervalMs: 25 });
    readyMs = performance.now() - t0;
  } catch (err) {
    notReady = err;
  }

  const handle = {
    proc,
    port,
    baseUrl,
    readyMs,
    output: () => output,
    /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
    async stop(graceMs = 15_000) {
      const s0 = performance.now();
      if (!state) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      const { code, signal } = await exited;
      return { code, signal, ms: performance.now() - s0 };
    },
  };
  if (notReady) {
    await handle.stop(2000);
    throw notReady;
  }
  return handle;
}

function sessionCookieFrom(res) {
  for (const c of res.headers.getSetCookie()) {
    const m = /^simpul_session=([^;]*)/.exec(c);
    if (m && m[1]) return `simpul_session=${m[1]}`;
  }
  return null;
}

async function call(baseUrl, method, urlPath, { body, cookie, csrf } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (cookie) headers.cookie = cookie;
  if (csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { res, status: res.status, text, json };
}

function expectStatus(r, expected, what) {
  if (r.status !== expected) throw new Error(`${what}: expected HTTP ${expected}, got ${r.status}: ${r.text.slice(0, 500)}`);
}

/** Creates the first admin when setup is still needed. Returns true when it did. */
export async function ensureSetup(baseUrl, admin = ADMIN) {
  const status = await call(baseUrl, 'GET', '/api/setup/status');
  expectStatus(status, 200, 'GET /api/setup/status');
  if (status.json?.needed !== true) return false;
  const setup = await call(baseUrl, 'POST', '/api/setup', { body: admin });
  if (setup.status !== 200 && setup.status !== 201) expectStatus(setup, 201, 'POST /api/setup');
  return true;
}

/** Logs in and checks the session. Returns the `Cookie` header value and the CSRF token. */
export async function login(baseUrl, admin = ADMIN) {
  const r = await call(baseUrl, 'POST', '/api/auth/login', { body: { email: admin.email, password: admin.password } });
  expectStatus(r, 200, 'POST /api/auth/login');
  const cookie = sessionCookieFrom(r.res);
  if (!cookie) throw new Error('POST /api/auth/login: no simpul_session cookie in the answer');
  const session = await call(baseUrl, 'GET', '/api/auth/session', { cookie });
  expectStatus(session, 200, 'GET /api/auth/session');
  if (session.json?.user?.email !== admin.email) {
    throw new Error(`GET /api/auth/session: expected user ${admin.email}, got ${session.text.slice(0, 300)}`);
  }
  return { cookie, csrf: session.json?.csrfToken ?? r.json?.csrfToken ?? null, session: session.json };
}

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function smoke(node) {
  const version = await new Promise((resolve) => {
    const p = spawn(node, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', () => resolve(null));
    p.on('exit', () => resolve(out.trim() || null));
  });
  if (!version) throw new Error(`${node} is not a runnable Node.js binary`);
  console.log(`Smoke run with Node ${version} (${node})`);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simpul-smoke-'));
  const figures = [];
  let server = null;
  try {
    // 1. First start on an empty data folder.
    server = await startSimpul({ node, dataDir, label: 'first start' });
    figures.push(['first start (empty data folder) → /readyz', fmt(server.readyMs)]);
    console.log(`  ✓ ready in ${fmt(server.readyMs)}`);

    const health = await call(server.baseUrl, 'GET', '/healthz');
    expectStatus(health, 200, 'GET /healthz');
    console.log('  ✓ /healthz 200');

    if (fs.existsSync(path.join(ROOT, 'dist', 'web', 'index.html'))) {
      const home = await call(server.baseUrl, 'GET', '/');
      expectStatus(home, 200, 'GET /');
      if (!/<html/i.test(home.text)) throw new Error('GET /: the answer is not the web app');
      console.log('  ✓ / serves the web app');
    }

    const didSetup = await ensureSetup(server.baseUrl);
    console.log(didSetup ? '  ✓ first-run setup created the admin' : '  ✓ setup was not needed');
    await login(server.baseUrl);
    console.log('  ✓ login → simpul_session cookie → /api/auth/session 200');

    let stopped = await server.stop();
    server = null;
    if (stopped.code !== 0) throw new Error(`the server did not shut down cleanly on SIGTERM (${stopped.code ?? stopped.signal})`);
    figures.push(['graceful shutdown', `${stopped.ms.toFixed(0)} ms`]);
    console.log(`  ✓ clean shutdown on SIGTERM in ${stopped.ms.toFixed(0)} ms`);

    // 2. Restart on the same data folder: the account must still be there.
    server = await startSimpul({ node, dataDir, label: 'restart' });
    figures.push(['restart (existing data folder) → /readyz', fmt(server.readyMs)]);
    console.log(`  ✓ restarted in ${fmt(server.readyMs)}`);
    const statusAfter = await call(server.baseUrl, 'GET', '/api/setup/status');
    expectStatus(statusAfter, 200, 'GET /api/setup/status after restart');
    if (statusAfter.json?.needed !== false) throw new Error('after a restart, setup is asked for again: the data did not persist');
    await login(server.baseUrl);
    console.log('  ✓ login after restart');
    stopped = await server.stop();
    server = null;
    if (stopped.code !== 0) throw new Error(`the server did not shut down cleanly on SIGTERM (${stopped.code ?? stopped.signal})`);
  } finally {
    if (server) await server.stop(5000);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  console.log(`\nSmoke figures (Node ${version}):`);
  for (const [k, v] of figures) console.log(`  ${k.padEnd(45)} ${v}`);
}

const invokedDirectly = process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const node = process.argv[2] || process.env.SMOKE_NODE || process.execPath;
  smoke(node).then(
    () => {
      console.log('Smoke run passed.');
      process.exit(0);
    },
    (err) => {
      console.error(`Smoke run FAILED: ${err.message}`);
      process.exit(1);
    },
  );
}
