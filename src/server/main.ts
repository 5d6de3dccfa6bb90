import { createSystem } from './app.ts';
import { cleanUpExpired, ensureSetupToken, setupTokenFile } from './modules/identity/service.ts';
import { loadConfig } from './platform/config.ts';
import { expireStaleImports } from './modules/registry/import.service.ts';

const startedAt = performance.now();
const config = loadConfig();
const system = await createSystem(config);
const { app, reference, migrations } = system;

if (migrations.length) app.log.info({ migrations }, 'migrations applied');
if (reference.loaded) {
  app.log.info(reference, `reference data loaded in ${reference.ms.toFixed(0)} ms`);
  console.log(`Reference data loaded in ${(reference.ms / 1000).toFixed(2)} s (${reference.summary})`);
}
await app.listen({ port: config.port, host: config.host });
await system.ctx.jobs.start();
const setupToken = await ensureSetupToken(system.ctx);
const engine = system.ctx.engine.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
if (setupToken) {
  console.log(
    `First-run setup: open http://localhost:${config.port} on this machine, or from another device enter the setup code ${setupToken} (also in ${setupTokenFile(system.ctx)}).`,
  );
}
console.log(`Simpul is ready on http://localhost:${config.port} — ${engine} — started in ${((performance.now() - startedAt) / 1000).toFixed(2)} s`);

// Housekeeping: idempotent, so several app processes may all run it.
const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;
const housekeeping = () =>
  Promise.all([cleanUpExpired(system.ctx), system.ctx.jobs.cleanUp(), expireStaleImports(system.ctx)]).catch((err) =>
    app.log.warn({ err }, 'housekeeping failed'),
  );
void housekeeping();
setInterval(housekeeping, HOUSEKEEPING_INTERVAL_MS).unref();

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await system.close();
    process.exit(0);
  });
}
