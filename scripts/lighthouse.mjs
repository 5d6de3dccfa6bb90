#!/usr/bin/env node
/**
 * Lighthouse's mobile performance audit of the public member registration page (/daftar), with
 * Debian's Chromium (/usr/bin/chromium, or SIMPUL_CHROMIUM). Starts the real server on a free port
 * with a fresh data folder (or audits SIMPUL_URL when given), prints the score and the main
 * metrics, and exits 1 below the goal (90, or SIMPUL_LIGHTHOUSE_MIN).
 *
 * Needs the `lighthouse` npm package (`npm i -D lighthouse@12`): without it, this says so and
 * exits 0, so it never breaks a build on a machine that lacks it.
 *
 *   node scripts/lighthouse.mjs [--page /daftar] [--build]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForReady } from './lib/net.mjs';
import { buildWebApp } from './lib/web-build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'dist', 'web');
const CHROMIUM = process.env.SIMPUL_CHROMIUM ?? '/usr/bin/chromium';
const MIN_SCORE = Number(process.env.SIMPUL_LIGHTHOUSE_MIN ?? 90);
const pageIdx = process.argv.indexOf('--page');
const PAGE = pageIdx >= 0 ? process.argv[pageIdx + 1] : '/daftar';

let lighthouse;
let chromeLauncher;
try {
  lighthouse = (await import('lighthouse')).default;
  chromeLauncher = await import('chrome-launcher');
} catch {
  console.log('Lighthouse is not installed, so the audit was skipped. Install it with: npm i -D lighthouse@12');
  process.exit(0);
}
if (!fs.existsSync(CHROMIUM)) {
  console.log(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set SIMPUL_CHROMIUM); audit skipped.`);
  process.exit(0);
}

let server = null;
let dataDir = '';
let baseUrl = process.env.SIMPUL_URL?.replace(/\/$/, '');
if (!baseUrl) {
  if (process.argv.includes('--build') || !fs.existsSync(path.join(WEB, 'index.html'))) {
    const code = buildWebApp();
    if (code !== 0) process.exit(code);
  }
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simpul-lighthouse-'));
  let log = '';
  server = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SIMPUL_DATA_DIR: dataDir, SIMPUL_WEB_DIR: WEB, SIMPUL_SKIP_WEB_BUILD: '1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  await waitForReady(baseUrl, { timeoutMs: 180_000, proc: server, output: () => log, intervalMs: 250 });
}

async function stopServer() {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

let chrome;
let code = 0;
try {
  chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const url = `${baseUrl}${PAGE}`;
  // Lighthouse's defaults are the mobile run: a mid-range phone, 4× CPU slowdown, slow 4G.
  const result = await lighthouse(url, { port: chrome.port, onlyCategories: ['performance'], output: 'json', logLevel: 'error' });
  const lhr = result.lhr;
  const score = Math.round((lhr.categories.performance.score ?? 0) * 100);
  const metric = (id) => lhr.audits[id]?.displayValue ?? '—';
  console.log(`Lighthouse mobile performance, ${url}`);
  console.log(`  score                     ${score} (goal ≥ ${MIN_SCORE})`);
  for (const [id, label] of [
    ['first-contentful-paint', 'First Contentful Paint'],
    ['largest-contentful-paint', 'Largest Contentful Paint'],
    ['total-blocking-time', 'Total Blocking Time'],
    ['cumulative-layout-shift', 'Cumulative Layout Shift'],
    ['speed-index', 'Speed Index'],
  ]) {
    console.log(`  ${label.padEnd(26)}${metric(id)}`);
  }
  if (lhr.runtimeError) console.error(`  runtime error: ${lhr.runtimeError.message}`);
  if (score < MIN_SCORE) {
    console.error(`Below the goal of ${MIN_SCORE}.`);
    code = 1;
  }
} catch (err) {
  console.error(`Lighthouse failed: ${err?.stack ?? err}`);
  code = 1;
} finally {
  await chrome?.kill();
  await stopServer();
}
process.exit(code);
