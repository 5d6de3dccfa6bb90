#!/usr/bin/env node
/**
 * `npm run test:e2e`: makes sure Chromium is there, builds the web app, then runs the browser
 * tests (vitest.e2e.config.ts). Extra arguments go to Vitest.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWebApp } from './lib/web-build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.SIMPUL_CHROMIUM ?? '/usr/bin/chromium';
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

if (!fs.existsSync(CHROMIUM)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`Chromium not found at ${CHROMIUM}. Install it (sudo apt-get install -y chromium) or set SIMPUL_CHROMIUM.`);
    process.exit(1);
  }
  console.log('Installing Chromium (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update'], { env }) !== 0 || run('apt-get', ['install', '-y', 'chromium'], { env }) !== 0) {
    console.error('Installing Chromium failed.');
    process.exit(1);
  }
}

console.log('Building the web app…');
if (buildWebApp() !== 0) process.exit(1);

process.exitCode = run(bin('vitest'), ['run', '-c', 'vitest.e2e.config.ts', ...process.argv.slice(2)], {
  env: { ...process.env, SIMPUL_CHROMIUM: CHROMIUM, SIMPUL_SKIP_WEB_BUILD: '1' },
});
