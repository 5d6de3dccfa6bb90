import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestEngine } from '../../../test/system.ts';
import { AuditLog } from './audit.ts';
import { JobQueue } from './jobs.ts';
import { loadConfig } from './config.ts';
import type { Engine } from './db.ts';
import { pickLocale } from './errors.ts';
import { buildApp, isStaticFileRequest, type App } from './http.ts';

let engine: Engine & { dispose(): Promise<void> };
let app: App;
const logLines: string[] = [];

beforeAll(async () => {
  engine = await createTestEngine();
  const config = loadConfig({ SIMPUL_DATA_DIR: os.tmpdir(), LOG_LEVEL: 'info' }, { webDir: path.join(os.tmpdir(), 'no-web-here') });
  app = await buildApp(
    { config, engine, db: engine.db, audit: new AuditLog(engine.db), jobs: new JobQueue(engine.db, engine.kind) },
    {
      resolveSession: async () => null,
      logger: true,
      loggerStream: { write: (line: string) => void logLines.push(line) },
      modules: [
        (a) => {
          a.get('/api/test/ok', { schema: { response: { 200: z.object({ ok: z.boolean() }) } } }, async () => ({ ok: true }));
          a.get('/api/test/boom', async () => {
            throw new Error('secret internal detail at /srv/app.ts:12');
          });
        },
      ],
    },
  );
});
afterAll(async () => {
  await app?.close();
  await engine?.dispose();
});

describe('HTTP platform', () => {
  it('hides internal errors behind a problem with the request id, and logs them with it', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/test/boom', headers: { 'x-request-id': 'client-req-12345' } });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({ code: 'internal', status: 500, requestId: 'client-req-12345' });
    expect(res.body).not.toContain('secret internal detail');
    expect(res.body).not.toMatch(/\.ts:\d+/);
    const errorLine = logLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request failed');
    expect(errorLine).toMatchObject({ reqId: 'client-req-12345' });
    const ours = logLines.map((l) => JSON.parse(l)).filter((l) => l.reqId === 'client-req-12345');
    expect(ours.map((l) => l.msg)).toEqual(expect.arrayContaining(['incoming request', 'request failed', 'request completed']));
  });

  it('replaces a malformed incoming request id', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id\n' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers health and readiness', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready' });
  });

  it('publishes OpenAPI 3.1 and a docs page', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas.Problem).toBeDefined();
    expect(doc.paths['/api/test/ok'].get.responses['4XX']).toBeDefined();
    const docs = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger-ui');
  });

  it('answers unknown API paths with a 404 problem in the asked language', async () => {
    const id = await app.inject({ method: 'GET', url: '/api/tidak-ada' });
    expect(id.statusCode).toBe(404);
    expect(id.json().detail).toBe('Alamat tidak ditemukan.');
    const en = await app.inject({ method: 'GET', url: '/api/tidak-ada', headers: { 'accept-language': 'en' } });
    expect(en.json().detail).toBe('No such address.');
    expect(en.headers['content-language']).toBe('en');
  });

  it('rejects malformed JSON as a client error', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: '{nope', headers: { 'content-type': 'application/json' } });
    expect([400, 404]).toContain(res.statusCode);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});

describe('pickLocale', () => {
  it('prefers Indonesian unless English ranks higher', () => {
    expect(pickLocale(undefined)).toBe('id');
    expect(pickLocale('en-US,en;q=0.9')).toBe('en');
    expect(pickLocale('id-ID,id;q=0.9,en;q=0.8')).toBe('id');
    expect(pickLocale('fr, en;q=0.5, id;q=0.7')).toBe('id');
    expect(pickLocale('fr, en;q=0.5')).toBe('en');
    expect(pickLocale('de')).toBe('id');
  });
});

describe('web app pages and files', () => {
  it('treats region pages with dots as pages, and assets and known file types as files', () => {
    expect(isStaticFileRequest('/wilayah/32.73')).toBe(false);
    expect(isStaticFileRequest('/wilayah/32.73.01?tab=peta')).toBe(false);
    expect(isStaticFileRequest('/perbarui/abc.def')).toBe(false);
    expect(isStaticFileRequest('/assets/index-abc123.js')).toBe(true);
    expect(isStaticFileRequest('/assets/anything')).toBe(true);
    expect(isStaticFileRequest('/favicon.ico')).toBe(true);
    expect(isStaticFileRequest('/manifest.webmanifest?v=2')).toBe(true);
  });
});
