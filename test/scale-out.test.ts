/**
 * Two app processes share one PostgreSQL: a session made through one works through the other,
 * because sessions, lockouts and rate limits live in the database, not in a process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitForReady } from '../scripts/lib/net.mjs';
import { createTestEngine, engineUnderTest } from './system.ts';

async function startServer(databaseUrl: string): Promise<{ base: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/server/main.ts')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', SIMPUL_WEB_DIR: '/nonexistent' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForReady(base, { timeoutMs: 60_000, proc });
  } catch (err) {
    proc.kill();
    throw err;
  }
  return { base, proc };
}

describe.runIf(engineUnderTest === 'postgres')('two app processes on one PostgreSQL', () => {
  let engine: Awaited<ReturnType<typeof createTestEngine>>;
  let a: { base: string; proc: ChildProcess };
  let b: { base: string; proc: ChildProcess };

  beforeAll(async () => {
    engine = await createTestEngine();
    [a, b] = await Promise.all([startServer(engine.url!), startServer(engine.url!)]);
  }, 120_000);
  afterAll(async () => {
    a?.proc.kill();
    b?.proc.kill();
    await engine?.dispose();
  });

  it('logs in through one process and acts through the other', async () => {
    const admin = { name: 'Admin Pusat', email: 'pusat@iccn.or.id', password: 'sandi-panjang-skala-1' };
    const setup = await fetch(`${a.base}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
    expect(setup.status).toBe(201);

    const login = await fetch(`${a.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin.email, password: admin.password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const { csrfToken } = await login.json();

    const created = await fetch(`${b.base}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'Koordinator Bandung', email: 'bdg@iccn.or.id', password: 'sandi-panjang-bdg-1', regionCode: '32.73' }),
    });
    expect(created.status).toBe(201);
    const { id } = await created.json();

    const seenByA = await fetch(`${a.base}/api/users/${id}`, { headers: { cookie } });
    expect(seenByA.status).toBe(200);

    const logout = await fetch(`${b.base}/api/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(logout.status).toBe(204);
    expect((await fetch(`${a.base}/api/auth/session`, { headers: { cookie } })).status).toBe(401);
  });
});
