/**
 * Building the web app (src/web → dist/web) with Vite, shared by `npm start`, the browser tests
 * and the page-weight check.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Vite's command-line script (run it with `node`), found through Vite's package.json, or null
 * when Vite is not installed (production installs: `npm ci --omit=dev`).
 *
 * @returns {string | null}
 */
export function viteBin() {
  try {
    const require = createRequire(import.meta.url);
    const pkgPath = require.resolve('vite/package.json');
    const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.vite;
    return bin ? path.join(path.dirname(pkgPath), bin) : null;
  } catch {
    return null;
  }
}

/**
 * Runs `vite build --logLevel warn` in the repository root with this Node, its output on this
 * terminal, and returns the exit code (0 on success).
 *
 * @returns {number}
 * @throws {Error} when Vite is not installed or cannot be run
 */
export function buildWebApp() {
  const vite = viteBin();
  if (!vite) throw new Error('Vite is not installed: run `npm install` to build the web app.');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}
