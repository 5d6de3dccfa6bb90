#!/usr/bin/env node
/**
 * `npm start`: builds the web app when its build is missing or older than its sources, then
 * runs the server in this very process (tsx's ESM loader), so signals reach it directly and
 * there is no second Node start-up to pay for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWebApp, viteBin } from './lib/web-build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB_OUT = path.join(ROOT, 'dist', 'web');
const WEB_INDEX = path.join(WEB_OUT, 'index.html');
/** Everything whose change makes the built web app stale (src/web holds index.html and public/ too). */
const WEB_INPUTS = ['src/web', 'vite.config.ts'].map((p) => path.join(ROOT, p));

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Simpul needs Node.js 20.19 or newer; this is ${process.version}.`);
  process.exit(1);
}

/** Newest modification time (ms) under `p`, or 0 when it does not exist. */
function newestMtime(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file shows as a newer folder
  for (const entry of fs.readdirSync(p, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry.name)));
  }
  return newest;
}

function webBuildReason() {
  // No Vite configuration yet: there is no web app to build.
  if (!fs.existsSync(path.join(ROOT, 'vite.config.ts'))) return null;
  let builtAt;
  try {
    builtAt = fs.statSync(WEB_INDEX).mtimeMs;
  } catch {
    return 'missing';
  }
  const newest = Math.max(...WEB_INPUTS.map(newestMtime));
  return newest > builtAt ? 'stale' : null;
}

const reason = process.env.SIMPUL_SKIP_WEB_BUILD === '1' ? null : webBuildReason();
if (reason) {
  if (!viteBin()) {
    // Production installs (`npm ci --omit=dev`) have no Vite: serve what is there.
    console.warn(
      reason === 'missing'
        ? 'The web app is not built and Vite is not installed: serving the API only (run `npm install` then `npm start`).'
        : 'The web app build is older than its sources but Vite is not installed: serving the existing build.',
    );
  } else {
    console.log('Building the web app…');
    const t0 = performance.now();
    const code = buildWebApp();
    if (code !== 0) {
      console.error(`Building the web app failed (exit ${code}).`);
      process.exit(code);
    }
    console.log(`Web app built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

// The build lands in <repo>/dist/web whatever the current folder is; the data folder stays relative to it.
process.env.SIMPUL_WEB_DIR ??= WEB_OUT;

const { register } = await import('tsx/esm/api');
register();
await import(new URL('../src/server/main.ts', import.meta.url).href);
