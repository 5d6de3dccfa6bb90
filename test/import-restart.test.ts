/**
 * A large import survives the server being killed (SIGKILL) while it validates and while it
 * commits: after each restart the job is taken again, and the registry ends with every row once.
 * Runs the real server process on the engine under test (a PGlite data folder, or PostgreSQL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitForReady } from '../scripts/lib/net.mjs';
import { openEngine } from '../src/server/platform/db.ts';
import { createTestEngine, engineUnderTest } from './system.ts';

const ROWS = 40_000; // about 4 MB: over the 1 MB background threshold

let dataDir = '';
let pg: Awaited<ReturnType<typeof createTestEngine>> | undefined;
let server: { base: string; proc: ChildProcess } | undefined;

async function startServer(): Promise<{ base: string; proc: ChildProcess }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SIMPUL_WEB_DIR: '/nonexistent', SIMPUL_DATA_DIR: dataDir };
  if (pg) env.DATABASE_URL = pg.url!;
  const proc = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/server/main.ts')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  await waitForReady(base, { timeoutMs: 60_000, proc });
  return { base, proc };
}

async function kill(s: { proc: ChildProcess }) {
  const exited = new Promise((resolve) => s.proc.once('exit', resolve));
  s.proc.kill('SIGKILL');
  await exited;
}

function csv(n: number): string {
  const lines = ['Nama;Kabupaten/Kota;Tanggal Lahir'];
  for (let i = 0; i < n; i++) lines.push(`Peserta Pulih ${i};Kota Bandung;${(i % 28) + 1}/${(i % 12) + 1}/19${60 + (i % 40)}`);
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simpul-import-restart-'));
  if (engineUnderTest === 'postgres') pg = await createTestEngine();
}, 60_000);
afterAll(async () => {
  if (server) await kill(server);
  await pg?.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a background import and a killed server', () => {
  it('validates and commits exactly once across two SIGKILLs', async () => {
    server = await startServer();
    const admin = { name: 'Admin Pusat', email: 'pusat@iccn.or.id', password: 'sandi-panjang-pulih-1' };
    const json = { 'content-type': 'application/json' };
    expect((await fetch(`${server.base}/api/setup`, { method: 'POST', headers: json, body: JSON.stringify(admin) })).status).toBe(201);
    const login = await fetch(`${server.base}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email: admin.email, password: admin.password }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const write = { cookie, 'x-csrf-token': csrfToken };
    const batch = async (id: number) =>
      (await (await fetch(`${server!.base}/api/registry/imports/${id}`, { headers: { cookie } })).json()) as { status: string; rows: number; progress: { done: number } | null; result: { inserted: number } | null };
    const until = async (id: number, done: (b: Awaited<ReturnType<typeof batch>>) => boolean) => {
      for (let i = 0; i < 600; i++) {
        const b = await batch(id);
        if (done(b)) return b;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`batch ${id} did not get there: ${JSON.stringify(await batch(id))}`);
    };

    const up = await fetch(`${server.base}/api/registry/imports?kind=members&fileName=pulih.csv`, { method: 'POST', headers: { ...write, 'content-type': 'text/csv' }, body: csv(ROWS) });
    expect(up.status).toBe(202);
    const { id } = (await up.json()) as { id: number };

    // Killed while validating, once rows are being read.
    await until(id, (b) => (b.progress?.done ?? 0) > 0 || b.status !== 'validating');
    await kill(server);
    server = await startServer();
    expect(await until(id, (b) => b.status === 'preview')).toMatchObject({ rows: ROWS });

    // Killed while committing: the POST waits for the commit on PGlite, so do not wait for it.
    void fetch(`${server.base}/api/registry/imports/${id}/commit`, { method: 'POST', headers: { ...write, ...json }, body: JSON.stringify({ mode: 'all_or_nothing' }) }).catch(() => {});
    await new Promise((r) => setTimeout(r, 800));
    await kill(server);
    server = await startServer();
    expect(await until(id, (b) => b.status === 'committed')).toMatchObject({ result: { inserted: ROWS } });
    await kill(server);
    server = undefined;

    const engine = pg ?? (await openEngine({ pgliteDir: path.join(dataDir, 'pglite') }));
    try {
      const counts = await sql<{ rows: number; names: number }>`
        SELECT count(*)::int AS rows, count(DISTINCT full_name)::int AS names FROM members WHERE full_name LIKE 'Peserta Pulih %'`.execute(engine.db);
      expect(counts.rows[0]).toEqual({ rows: ROWS, names: ROWS });
      // Both jobs ran to the end once, whatever attempt finished them.
      const jobs = await sql<{ status: string }>`SELECT status FROM jobs`.execute(engine.db);
      expect(jobs.rows.map((j) => j.status)).toEqual(['done', 'done']);
    } finally {
      if (!pg) await engine.close();
    }
  }, 240_000);
});
