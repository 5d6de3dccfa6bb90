import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { Kysely, PGliteDialect, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type DB = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Anything that can run queries: the database or an open transaction. */
export type Queryable = Kysely<Database>;

export type EngineKind = 'pglite' | 'postgres';

export interface Engine {
  kind: EngineKind;
  db: DB;
  /** Runs a multi-statement SQL script plus one parameterised statement in a single transaction. */
  runScriptInTransaction(script: string, after: { sql: string; params: unknown[] }): Promise<void>;
  /** Serialises work across every app process sharing the database (a no-op lock on PGlite: one process owns it). */
  withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Present only on the embedded engine. */
  pglite?: PGlite;
}

// Same JavaScript types on both engines: int8 as number (ids stay far below 2^53),
// numeric as string (money is never a float), date as 'YYYY-MM-DD' text (no time-zone shifts).
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const parsers: Record<number, (v: string) => unknown> = {
  [INT8]: (v) => Number(v),
  [NUMERIC]: (v) => v,
  [DATE]: (v) => v,
};

export const PGLITE_EXTENSIONS = { pg_trgm, fuzzystrmatch, unaccent, citext, pgcrypto };

export interface OpenOptions {
  databaseUrl?: string;
  /** Folder of the embedded database; `memory://` for a throwaway in-memory one. */
  pgliteDir?: string;
  poolSize?: number;
  /** A tarball from `dumpDataDir` to start the embedded database from (tests, restore). */
  loadDataDir?: Blob;
}

export async function openEngine(opts: OpenOptions): Promise<Engine> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return openPGlite(opts.pgliteDir ?? 'memory://', opts.loadDataDir);
}

/**
 * The embedded engine. PGlite on Node issues no fsync at all (checked with strace, whatever the
 * `fsync` setting), so a commit survives the process being killed but not the machine losing
 * power: see docs/decisions/0003-durability.md.
 */
async function openPGlite(dir: string, loadDataDir?: Blob): Promise<Engine> {
  const inMemory = dir.startsWith('memory://');
  let releaseLock = () => {};
  if (!inMemory) {
    fs.mkdirSync(dir, { recursive: true });
    releaseLock = acquireFolderLock(dir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      dataDir: inMemory ? undefined : dir,
      extensions: PGLITE_EXTENSIONS,
      parsers,
      loadDataDir,
    });
  } catch (err) {
    releaseLock();
    throw err;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    kind: 'pglite',
    db,
    pglite,
    async runScriptInTransaction(script, after) {
      await pglite.transaction(async (tx) => {
        await tx.exec(script);
        await tx.query(after.sql, after.params as unknown[]);
      });
    },
    withAdvisoryLock: (_key, fn) => fn(),
    async close() {
      await db.destroy();
      releaseLock();
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Engine> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection closed by the server (restart, failover, admin) must not crash the process:
  // the pool drops it and opens a new one on the next query.
  pool.on('error', (err) => {
    process.emitWarning(`idle PostgreSQL connection closed: ${err.message}`);
  });
  // Fail fast with a clear message when the server is unreachable.
  const probe = await pool.connect();
  probe.release();
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    async runScriptInTransaction(script, after) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(script);
        await client.query(after.sql, after.params as unknown[]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async withAdvisoryLock(key, fn) {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [key]);
        try {
          return await fn();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [key]);
        }
      } finally {
        client.release();
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

/**
 * Only one process may own a PGlite data folder: a second one would corrupt it.
 * The lock file holds the owner's pid; a stale lock (dead pid) is taken over.
 */
const locksHeldHere = new Set<string>();

export function acquireFolderLock(dir: string): () => void {
  const lockPath = path.resolve(dir, '..', `${path.basename(dir)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      locksHeldHere.add(lockPath);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        locksHeldHere.delete(lockPath);
        fs.rmSync(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(lockPath, 'utf8'));
      // Our own pid in the file is stale (a restarted container reuses pids) unless this process really holds it.
      const heldByOther = owner !== process.pid ? owner > 0 && isAlive(owner) : locksHeldHere.has(lockPath);
      if (heldByOther) {
        throw new Error(
          `The database folder ${dir} is in use by process ${owner}. Stop it first, or use DATABASE_URL for several processes.`,
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
