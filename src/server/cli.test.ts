import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestEngine, engineUnderTest } from '../../test/system.ts';
import { backup, CliError, restore, runCli } from './cli.ts';
import { loadConfig, type Config } from './platform/config.ts';
import { openEngine } from './platform/db.ts';
import { pgliteFolder } from './app.ts';

// The embedded engine's backup is a data-folder tarball; PostgreSQL uses pg_dump and is covered by its own tooling.
describe.runIf(engineUnderTest === 'pglite')('simpul CLI on the embedded database', () => {
  let dir: string;
  let config: Config;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simpul-cli-'));
    config = loadConfig({ SIMPUL_DATA_DIR: dir, LOG_LEVEL: 'silent' });
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterAll(() => {
    vi.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const userEmails = async () => {
    const engine = await openEngine({ pgliteDir: pgliteFolder(config) });
    try {
      return (await engine.db.selectFrom('users').select('email').orderBy('email').execute()).map((r) => r.email);
    } finally {
      await engine.close();
    }
  };

  it('creates a national admin from the command line', async () => {
    process.env.SIMPUL_ADMIN_PASSWORD = 'sandi-panjang-cli-1';
    try {
      expect(await runCli(['admin', 'create', '--email', 'pusat@iccn.or.id', '--name', 'Admin Pusat'], config)).toBe(0);
    } finally {
      delete process.env.SIMPUL_ADMIN_PASSWORD;
    }
    expect(await userEmails()).toEqual(['pusat@iccn.or.id']);
    // The first command creates the database and loads the reference data (seconds; more on a busy machine).
  }, 120_000);

  it('backs up and restores, keeping the replaced database aside', async () => {
    const file = await backup(config, path.join(dir, 'cadangan.tar.gz'));
    expect(fs.statSync(file).size).toBeGreaterThan(1000);

    process.env.SIMPUL_ADMIN_PASSWORD = 'sandi-panjang-cli-2';
    try {
      await runCli(['admin', 'create', '--email', 'kedua@iccn.or.id', '--name', 'Admin Kedua'], config);
    } finally {
      delete process.env.SIMPUL_ADMIN_PASSWORD;
    }
    expect(await userEmails()).toEqual(['kedua@iccn.or.id', 'pusat@iccn.or.id']);

    await expect(restore(config, file, { force: false })).rejects.toThrow(CliError);
    const { movedAside } = await restore(config, file, { force: true });
    expect(movedAside && fs.existsSync(movedAside)).toBe(true);
    expect(await userEmails()).toEqual(['pusat@iccn.or.id']);
  });

  it('refuses a broken backup and leaves the database untouched', async () => {
    const bad = path.join(dir, 'rusak.tar.gz');
    fs.writeFileSync(bad, 'not a backup');
    await expect(restore(config, bad, { force: true })).rejects.toThrow(CliError);
    expect(await userEmails()).toEqual(['pusat@iccn.or.id']);
  });

  it('refuses to back up a folder a running server owns', async () => {
    const engine = await openEngine({ pgliteDir: pgliteFolder(config) });
    try {
      await expect(backup(config, path.join(dir, 'x.tar.gz'))).rejects.toThrow(/in use by process/);
    } finally {
      await engine.close();
    }
  });

  it('verifies the audit chain and reports a tampered one', async () => {
    expect(await runCli(['audit', 'verify'], config)).toBe(0);
    const engine = await openEngine({ pgliteDir: pgliteFolder(config) });
    try {
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(engine.db);
      await sql`UPDATE audit_log SET actor_label = 'orang lain'`.execute(engine.db);
    } finally {
      await engine.close();
    }
    expect(await runCli(['audit', 'verify'], config)).toBe(1);
  });
});

describe.runIf(engineUnderTest === 'postgres')('simpul backup and restore on PostgreSQL', () => {
  it('round-trips the database through pg_dump and pg_restore', async () => {
    const engine = await createTestEngine();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simpul-cli-pg-'));
    const config = loadConfig({ SIMPUL_DATA_DIR: dir, DATABASE_URL: engine.url, LOG_LEVEL: 'silent' });
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      process.env.SIMPUL_ADMIN_PASSWORD = 'sandi-panjang-cli-pg';
      await runCli(['admin', 'create', '--email', 'pusat@iccn.or.id', '--name', 'Admin Pusat'], config);
      const file = await backup(config, path.join(dir, 'cadangan.dump'));
      await runCli(['admin', 'create', '--email', 'kedua@iccn.or.id', '--name', 'Admin Kedua'], config);
      await restore(config, file, { force: true });
      const emails = (await engine.db.selectFrom('users').select('email').execute()).map((r) => r.email);
      expect(emails).toEqual(['pusat@iccn.or.id']);
      const regions = await engine.db.selectFrom('regions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(regions.n)).toBe(38 + 514 + 7285 + 83762);
    } finally {
      delete process.env.SIMPUL_ADMIN_PASSWORD;
      log.mockRestore();
      await engine.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
