#!/usr/bin/env node
/**
 * Baseline for bench/region-search.mjs: a bare `node:http` server that answers
 * GET /api/regions/search?q=…&limit=… by calling the same function the product's route calls
 * (the regions service's `searchRegions`: query parsing + the repository's SQL), on the same
 * engine code (`openEngine`), without Fastify, sessions, validation or security headers.
 *
 * Env: PORT; DATABASE_URL (PostgreSQL) or BENCH_PGLITE_DIR (a copy of a PGlite folder);
 * DATABASE_POOL_SIZE (default 10, as the product).
 */
import http from 'node:http';
import { register } from 'tsx/esm/api';

register();
const { openEngine } = await import('../src/server/platform/db.ts');
const { searchRegions } = await import('../src/server/modules/regions/service.ts');

const engine = await openEngine({
  databaseUrl: process.env.DATABASE_URL || undefined,
  pgliteDir: process.env.BENCH_PGLITE_DIR,
  poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  try {
    if (url.pathname === '/readyz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
      return;
    }
    if (url.pathname !== '/api/regions/search') {
      res.writeHead(404).end();
      return;
    }
    const limit = Math.min(50, Math.max(1, Number(url.searchParams.get('limit') ?? 10) || 10));
    const result = await searchRegions(engine.db, { q: url.searchParams.get('q') ?? '', limit });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(result));
  } catch (err) {
    console.error(err);
    res.writeHead(500).end();
  }
});
server.keepAliveTimeout = 10_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`bare search server ready (${engine.kind})`));

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    engine.close().finally(() => process.exit(0));
  });
}
