/**
 * `simpul dedup` on the embedded database: the command runs the job in its own process, prints
 * progress lines and a summary, and refuses while another process (the server) holds the folder.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineUnderTest } from '../../../../test/system.ts';
import { openEngine } from '../../platform/db.ts';
import { migrate } from '../../platform/migrate.ts';
import { loadReferenceData } from '../reference.ts';
import { seedSyntheticRegistry } from './dedup-run.fixtures.ts';

const root = path.resolve(import.meta.dirname, '../../../..');

function simpul(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SIMPUL_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(root, 'bin/simpul.mjs'), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.runIf(engineUnderTest === 'pglite')('simpul dedup', () => {
  let dir: string;
  const folder = () => path.join(dir, 'pglite');

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simpul-dedup-'));
    const engine = await openEngine({ pgliteDir: folder() });
    try {
      await migrate(engine);
      await loadReferenceData(engine);
      await seedSyntheticRegistry(engine.db, { records: 1500, seed: 7, provinces: ['32'] });
    } finally {
      await engine.close();
    }
  }, 120_000);
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs the job itself, with progress lines and a summary', async () => {
    const { code, stdout, stderr } = await simpul(dir, ['dedup']);
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Deduplication run #1 \(whole registry\) queued as job \d+\.$/);
    for (const phase of ['loading', 'blocking', 'comparing', 'training', 'scoring', 'clustering', 'saving']) {
      expect(lines.some((l) => new RegExp(`^\\[\\s*[\\d.]+ s\\] ${phase}\\s`).test(l)), `${phase} in\n${stdout}`).toBe(true);
    }
    expect(lines.some((l) => /loading\s+\d+\/\d+\s+time left/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^Done in [\d.]+ s: \d+ records, \d+ candidate pairs compared, \d+ clear matches and \d+ in the grey zone; \d+ pairs queued for review/);
    console.log(stdout);
  }, 120_000);

  it('refuses while the server holds the data folder', async () => {
    const engine = await openEngine({ pgliteDir: folder() });
    try {
      const { code, stderr } = await simpul(dir, ['dedup', '--region', '32.73']);
      expect(code).toBe(1);
      expect(stderr).toMatch(/in use/);
    } finally {
      await engine.close();
    }
  }, 120_000);
});
