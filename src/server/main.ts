import { createSystem } from './app.ts';
import { loadConfig } from './platform/config.ts';

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
const engine = system.ctx.engine.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
console.log(`Simpul is ready on http://localhost:${config.port} — ${engine} — started in ${((performance.now() - startedAt) / 1000).toFixed(2)} s`);

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
