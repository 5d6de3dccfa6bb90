import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Engine } from './db.ts';
import { LOCK_KEYS } from './locks.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../db/migrations');

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file,
        sql: text,
        checksum: crypto.createHash('sha256').update(text).digest('hex'),
      };
    });
}

/** Applies pending migrations, each in its own transaction. Returns the names applied. */
export async function migrate(engine: Engine, dir = MIGRATIONS_DIR): Promise<string[]> {
  return engine.withAdvisoryLock(LOCK_KEYS.migrations, async () => {
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`.execute(engine.db);
    const applied = await sql<{ version: number; name: string; checksum: string }>`
      SELECT version, name, checksum FROM schema_migrations ORDER BY version`.execute(engine.db);
    const byVersion = new Map(applied.rows.map((r) => [r.version, r]));
    const done: string[] = [];
    for (const m of readMigrations(dir)) {
      const existing = byVersion.get(m.version);
      if (existing) {
        if (existing.checksum !== m.checksum) {
          throw new Error(`Migration ${m.name} was changed after it was applied. Add a new migration instead.`);
        }
        continue;
      }
      await engine.runScriptInTransaction(m.sql, {
        sql: 'INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)',
        params: [m.version, m.name, m.checksum],
      });
      done.push(m.name);
    }
    return done;
  });
}
