import path from 'node:path';
import { AuditLog } from './platform/audit.ts';
import type { Config } from './platform/config.ts';
import type { AppContext } from './platform/context.ts';
import { openEngine, type Engine } from './platform/db.ts';
import { buildApp, type App } from './platform/http.ts';
import { JobQueue } from './platform/jobs.ts';
import { migrate } from './platform/migrate.ts';
import { modules, registerJobs, resolvePartnerKey, resolveSession } from './modules/index.ts';
import { loadReferenceData, type ReferenceLoadReport } from './modules/reference.ts';

export interface StartedSystem {
  ctx: AppContext;
  app: App;
  migrations: string[];
  reference: ReferenceLoadReport;
  close(): Promise<void>;
}

export function pgliteFolder(config: Config): string {
  return path.join(config.dataDir, 'pglite');
}

/** The platform services every module receives, on an open engine. */
export function contextFor(config: Config, engine: Engine): AppContext {
  return { config, engine, db: engine.db, audit: new AuditLog(engine.db), jobs: new JobQueue(engine.db, engine.kind) };
}

/** Opens the database, migrates, loads reference data and builds the HTTP app (not yet listening). */
export async function createSystem(config: Config, opts: { engine?: Engine; logger?: boolean } = {}): Promise<StartedSystem> {
  const engine =
    opts.engine ??
    (await openEngine({
      databaseUrl: config.databaseUrl,
      pgliteDir: pgliteFolder(config),
      poolSize: config.poolSize,
    }));
  try {
    const migrations = await migrate(engine);
    const reference = await loadReferenceData(engine);
    const ctx = contextFor(config, engine);
    const { jobs } = ctx;
    registerJobs(ctx);
    const app = await buildApp(ctx, {
      modules,
      resolveSession: (token) => resolveSession(ctx, token),
      resolvePartnerKey: (token) => resolvePartnerKey(ctx, token),
      logger: opts.logger,
    });
    return {
      ctx,
      app,
      migrations,
      reference,
      async close() {
        await jobs.stop();
        await app.close();
        await engine.close();
      },
    };
  } catch (err) {
    await engine.close();
    throw err;
  }
}
