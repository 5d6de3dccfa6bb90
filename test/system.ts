/**
 * Test systems on a real database. Each test file gets its own database cloned from a template
 * that is migrated and loaded with reference data once per run:
 * - PGlite (default): the template is a data-folder tarball loaded into an in-memory instance.
 * - PostgreSQL (SIMPUL_TEST_DATABASE_URL set): the template is a database; each file gets
 *   `CREATE DATABASE … TEMPLATE simpul_test_template`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createSystem, type StartedSystem } from '../src/server/app.ts';
import { loadConfig, type Config } from '../src/server/platform/config.ts';
import { openEngine, type Engine } from '../src/server/platform/db.ts';
import { migrate } from '../src/server/platform/migrate.ts';
import { loadReferenceData } from '../src/server/modules/reference.ts';

const TEMPLATE_DB = 'simpul_test_template';
// Global setup names the tarball and passes it to the test workers through the environment.
const templateTarball = () =>
  (process.env.SIMPUL_TEST_TEMPLATE_FILE ??= path.join(os.tmpdir(), `simpul-test-template-${process.pid}-${hashOfMigrations()}.tar.gz`));

export const testDatabaseUrl = process.env.SIMPUL_TEST_DATABASE_URL || undefined;
export const engineUnderTest: 'postgres' | 'pglite' = testDatabaseUrl ? 'postgres' : 'pglite';

function hashOfMigrations(): string {
  const dir = path.resolve(import.meta.dirname, '../db/migrations');
  const h = crypto.createHash('sha256');
  for (const f of fs.readdirSync(dir).sort()) h.update(f).update(fs.readFileSync(path.join(dir, f)));
  return h.digest('hex').slice(0, 12);
}

function urlFor(database: string): string {
  const u = new URL(testDatabaseUrl!);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withAdminClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function migrateAndLoad(engine: Engine) {
  await migrate(engine);
  await loadReferenceData(engine);
}

export async function prepareTemplate(): Promise<void> {
  if (testDatabaseUrl) {
    await withAdminClient(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${TEMPLATE_DB}`);
    });
    const engine = await openEngine({ databaseUrl: urlFor(TEMPLATE_DB), poolSize: 2 });
    try {
      await migrateAndLoad(engine);
    } finally {
      await engine.close();
    }
    return;
  }
  if (fs.existsSync(templateTarball())) return;
  const engine = await openEngine({ pgliteDir: 'memory://' });
  try {
    await migrateAndLoad(engine);
    const dump = await engine.pglite!.dumpDataDir('gzip');
    fs.writeFileSync(templateTarball(), Buffer.from(await dump.arrayBuffer()));
  } finally {
    await engine.close();
  }
}

export async function dropTemplate(): Promise<void> {
  if (testDatabaseUrl) {
    await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`));
  } else {
    fs.rmSync(templateTarball(), { force: true });
  }
}

/** A fresh, migrated database with reference data, private to the caller. */
export async function createTestEngine(): Promise<Engine & { dispose(): Promise<void>; url?: string }> {
  if (testDatabaseUrl) {
    const name = `simpul_test_${crypto.randomBytes(6).toString('hex')}`;
    await withAdminClient((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`));
    const engine = await openEngine({ databaseUrl: urlFor(name), poolSize: 5 });
    return {
      ...engine,
      url: urlFor(name),
      async dispose() {
        await engine.close();
        await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      },
    };
  }
  const tarball = new Blob([fs.readFileSync(templateTarball())]);
  const engine = await openEngine({ pgliteDir: 'memory://', loadDataDir: tarball });
  return { ...engine, dispose: () => engine.close() };
}

export interface TestSystem extends StartedSystem {
  engine: Engine;
}

/** A whole Simpul (database + HTTP app, not listening) for integration tests; use `app.inject`. */
export async function createTestSystem(overrides: Partial<Config> = {}): Promise<TestSystem> {
  const engine = await createTestEngine();
  const config = loadConfig(
    { SIMPUL_DATA_DIR: path.join(os.tmpdir(), 'simpul-test-unused'), LOG_LEVEL: 'silent' },
    { webDir: path.join(os.tmpdir(), 'simpul-no-web'), ...overrides },
  );
  const system = await createSystem(config, { engine, logger: false });
  return {
    ...system,
    engine,
    async close() {
      await system.ctx.jobs.stop();
      await system.app.close();
      await engine.dispose();
    },
  };
}
