import type { Config } from './config.ts';
import type { DB, Engine } from './db.ts';
import type { AuditLog } from './audit.ts';
import type { JobQueue } from './jobs.ts';

/** What every module receives: configuration, the database and the shared platform services. */
export interface AppContext {
  config: Config;
  engine: Engine;
  db: DB;
  audit: AuditLog;
  jobs: JobQueue;
}
