import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { engineUnderTest } from '../../../test/system.ts';
import { openEngine } from './db.ts';

describe.runIf(engineUnderTest === 'pglite')('embedded database and a killed process', () => {
  it('keeps every reported commit and no half transaction after SIGKILL', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simpul-crash-'));
    const dataDir = path.join(dir, 'pglite');
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/fixtures/crash-writer.ts'), dataDir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let lastReported = 0;
      await new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`the writer exited (${code}) after ${lastReported} commits, before it was killed`)));
        child.stdout.on('data', (chunk: Buffer) => {
          const lines = chunk.toString().trim().split('\n');
          lastReported = Number(lines[lines.length - 1]);
          if (lastReported >= 200) {
            child.kill('SIGKILL');
            resolve();
          }
        });
      });
      await new Promise((r) => child.once('exit', r));

      // The lock file of the dead process is stale and must not block the next start.
      const engine = await openEngine({ pgliteDir: dataDir });
      try {
        const rows = await sql<{ batch: number; parts: number }>`
          SELECT batch, count(*)::int AS parts FROM crash_pairs GROUP BY batch ORDER BY batch`.execute(engine.db);
        expect(rows.rows.length).toBeGreaterThanOrEqual(lastReported);
        expect(rows.rows.every((r) => r.parts === 2)).toBe(true);
      } finally {
        await engine.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
