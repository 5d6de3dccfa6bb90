/** Small helpers shared by the benchmarks: statistics, formatting, results files. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../scripts/smoke.mjs';

export { ROOT };

export function percentile(sortedAsc, p) {
  if (sortedAsc.length === 0) return NaN;
  const i = Math.min(sortedAsc.length - 1, Math.max(0, Math.ceil((p / 100) * sortedAsc.length) - 1));
  return sortedAsc[i];
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
export const msec = (ms) => `${ms.toFixed(1)} ms`;

export function machine() {
  return {
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model?.trim() ?? 'unknown'}`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Writes bench/results/<name>-<timestamp>.json (git-ignored) and returns its path. */
export function saveResults(name, data) {
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `${name}-${stamp}.json`);
  fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine: machine(), ...data }, null, 2));
  return path.relative(ROOT, file);
}

export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  ')).join('\n');
}

/** Runs `fn` and always runs the cleanups, also on Ctrl-C / SIGTERM. */
export async function withCleanup(fn) {
  const cleanups = [];
  const runCleanups = async () => {
    while (cleanups.length) {
      try {
        await cleanups.pop()();
      } catch (err) {
        console.error(`cleanup failed: ${err.message}`);
      }
    }
  };
  const onSignal = (signal) => {
    console.error(`\n${signal}: cleaning up…`);
    runCleanups().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn((cleanup) => cleanups.push(cleanup));
  } finally {
    await runCleanups();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
