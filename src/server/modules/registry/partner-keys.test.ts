/**
 * Partner API keys: issued by those who may edit the partner (the token answered once, only its
 * hash kept), listed and revoked; a key authenticates as `Authorization: Bearer`, is refused
 * everywhere its scopes do not open (403), and unknown, revoked or expired keys get 401.
 * The overlap endpoints called with keys are tested in beneficiaries/overlap.test.ts.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { grants, login, makePartner, makeUser, type Client } from '../../../../test/factories.ts';
import { PARTNER_KEY_LIMITS } from './partner-keys.service.ts';

let sys: TestSystem;
let national: Client;
let bandung: Client;
let malang: Client;
let member: Client;
let partner: { id: number; name: string };

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const withKey = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
  sys.app.inject({ method, url, payload: body as never, headers: bearer(token) });

async function issue(client: Client, partnerId: number, body: Record<string, unknown> = {}) {
  return client.request('POST', `/api/partners/${partnerId}/keys`, { label: 'Server Dinsos', scopes: ['overlap.check'], ...body });
}

beforeAll(async () => {
  sys = await createTestSystem();
  national = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
  bandung = await login(sys.app, await makeUser(sys.ctx, { name: 'Koordinator Bandung', grants: [grants.regencyCoordinator('32.73')] }));
  malang = await login(sys.app, await makeUser(sys.ctx, { regionCode: '35.73', grants: [grants.regencyCoordinator('35.73')] }));
  member = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.member('32.73')] }));
  partner = await makePartner(sys.ctx, { name: 'Dinsos Kota Bandung', regionCode: '32.73', agreements: [{ scopeCode: '32.73' }] });
});
afterAll(async () => {
  await sys?.close();
});

describe('issuing, listing and revoking keys', () => {
  let token: string;
  let keyId: number;

  it('answers the token once; only its hash and a short prefix are kept', async () => {
    const res = await issue(bandung, partner.id, { scopes: ['overlap.check', 'pprl.exchange', 'overlap.check'] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    token = body.token;
    keyId = body.key.id;
    expect(token).toMatch(/^smp_pk_[A-Za-z0-9_-]{43}$/);
    expect(body.key).toMatchObject({
      partnerId: partner.id,
      label: 'Server Dinsos',
      prefix: token.slice(0, 15),
      scopes: ['overlap.check', 'pprl.exchange'],
      status: 'active',
      createdBy: { name: 'Koordinator Bandung' },
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
    });
    const row = await sys.ctx.db.selectFrom('partner_api_keys').selectAll().where('id', '=', keyId).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(crypto.createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token);

    const list = await bandung.request('GET', `/api/partners/${partner.id}/keys`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((k: { id: number }) => k.id)).toEqual([keyId]);
    expect(list.body).not.toContain(token);
  });

  it('only those who may edit the partner keep its keys', async () => {
    for (const client of [malang, member]) {
      expect((await issue(client, partner.id)).statusCode).toBe(403);
      expect((await client.request('GET', `/api/partners/${partner.id}/keys`)).statusCode).toBe(403);
      expect((await client.request('POST', `/api/partners/${partner.id}/keys/${keyId}/revoke`)).statusCode).toBe(403);
    }
    expect((await issue(national, partner.id)).statusCode).toBe(201);
    expect((await issue(national, 999_999)).statusCode).toBe(404);
  });

  it('refuses an expiry in the past and a key without scopes, in the caller’s language', async () => {
    const past = await issue(bandung, partner.id, { expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0]).toMatchObject({ path: 'expiresAt', code: 'partner_key_expiry_past' });
    const none = await bandung.request('POST', `/api/partners/${partner.id}/keys`, { label: 'x', scopes: [] }, { 'accept-language': 'en' });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0]).toMatchObject({ code: 'partner_key_scopes_required', message: 'Choose at least one scope.' });
    const unknown = await issue(bandung, partner.id, { scopes: ['members.read'] });
    expect(unknown.statusCode).toBe(400);
  });

  it('a key reaches nothing but the routes of its scopes', async () => {
    const refusals = [
      ['GET', '/api/members'],
      ['GET', '/api/beneficiaries'],
      ['GET', `/api/partners/${partner.id}`],
      ['GET', `/api/partners/${partner.id}/keys`],
      ['POST', `/api/partners/${partner.id}/keys`],
      ['GET', '/api/auth/session'],
      ['GET', '/api/users'],
      ['POST', '/api/beneficiaries/distributions/eligible'],
      ['POST', '/api/beneficiaries/pprl/keys'],
    ] as const;
    for (const [method, url] of refusals) {
      const res = await withKey(token, method, url, method === 'POST' ? {} : undefined);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(403);
      expect(res.json().code).toBe('partner_key_not_allowed');
    }
  });

  it('records when a key was last used, at most once a minute', async () => {
    const use = () => withKey(token, 'POST', '/api/beneficiaries/partner-overlap', { aidKind: 'food_package', period: { start: '2026-11-01', end: '2026-11-30' }, rows: [{ fullName: 'Andi Pratama' }] });
    expect((await use()).statusCode).toBe(200);
    const first = (await bandung.request('GET', `/api/partners/${partner.id}/keys`)).json().items.find((k: { id: number }) => k.id === keyId).lastUsedAt;
    expect(first).not.toBeNull();
    await use();
    const second = (await bandung.request('GET', `/api/partners/${partner.id}/keys`)).json().items.find((k: { id: number }) => k.id === keyId).lastUsedAt;
    expect(second).toBe(first);
  });

  it(`answers 429 with Retry-After past ${PARTNER_KEY_LIMITS.limit} calls a minute, per key and shared by every process`, async () => {
    const other = (await issue(bandung, partner.id, { label: 'Skrip lain' })).json();
    // The calls another process made for this key this minute (the count lives in the database).
    await sys.ctx.db.deleteFrom('login_attempts').where('client_key', '=', `partner_key:${keyId}`).execute();
    await sys.ctx.db
      .insertInto('login_attempts')
      .values(Array.from({ length: PARTNER_KEY_LIMITS.limit - 1 }, () => ({ client_key: `partner_key:${keyId}`, succeeded: true })))
      .execute();
    const use = (t: string) => withKey(t, 'POST', '/api/beneficiaries/partner-overlap', { aidKind: 'food_package', period: { start: '2026-11-01', end: '2026-11-30' }, rows: [{ fullName: 'Andi Pratama' }] });
    expect((await use(token)).statusCode).toBe(200);
    const refused = await use(token);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe(String(PARTNER_KEY_LIMITS.windowSeconds));
    expect(refused.json().code).toBe('rate_limited');
    // Another key of the same partner has its own count.
    expect((await use(other.token)).statusCode).toBe(200);
    await sys.ctx.db.deleteFrom('login_attempts').where('client_key', '=', `partner_key:${keyId}`).execute();
  });

  it('a revoked key answers 401 at once; revoking again changes nothing', async () => {
    const res = await bandung.request('POST', `/api/partners/${partner.id}/keys/${keyId}/revoke`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: keyId, status: 'revoked' });
    const again = await bandung.request('POST', `/api/partners/${partner.id}/keys/${keyId}/revoke`);
    expect(again.json().revokedAt).toBe(res.json().revokedAt);
    const refused = await withKey(token, 'POST', '/api/beneficiaries/partner-overlap', {});
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('partner_key_revoked');
    expect(refused.headers['www-authenticate']).toContain('Bearer');
    // Another partner's key id under this partner is not found.
    const other = await makePartner(sys.ctx, { regionCode: '32.73' });
    expect((await bandung.request('POST', `/api/partners/${other.id}/keys/${keyId}/revoke`)).statusCode).toBe(404);
  });

  it('is audited without the token', async () => {
    const rows = await sys.ctx.db.selectFrom('audit_log').selectAll().where('action', 'in', ['partner.key.issue', 'partner.key.revoke']).execute();
    expect(rows.filter((r) => r.action === 'partner.key.revoke')).toHaveLength(1);
    expect(rows.filter((r) => r.action === 'partner.key.issue').length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).toContain(token.slice(0, 15));
  });
});

describe('unknown and expired keys', () => {
  it('answers 401 with a clear message for an unknown or malformed key', async () => {
    for (const header of ['Bearer smp_pk_' + 'A'.repeat(43), 'Bearer nonsense', 'Bearer']) {
      const res = await sys.app.inject({ method: 'GET', url: '/api/members', headers: { authorization: header, 'accept-language': 'en' } });
      expect(res.statusCode, header).toBe(401);
      expect(res.json()).toMatchObject({ code: 'partner_key_invalid', detail: 'Unknown API key. Check the key sent in the Authorization: Bearer header.' });
    }
  });

  it('answers 401 for an expired key', async () => {
    const res = await issue(bandung, partner.id, { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(res.json().key.expiresAt).not.toBeNull();
    await sys.ctx.db
      .updateTable('partner_api_keys')
      .set({ created_at: new Date(Date.now() - 7_200_000), expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', res.json().key.id)
      .execute();
    const refused = await withKey(res.json().token, 'POST', '/api/beneficiaries/partner-overlap', {});
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('partner_key_expired');
    const listed = (await bandung.request('GET', `/api/partners/${partner.id}/keys`)).json().items.find((k: { id: number }) => k.id === res.json().key.id);
    expect(listed.status).toBe('expired');
  });

  it('a session keeps working as before next to a key', async () => {
    expect((await member.request('GET', '/api/auth/session')).statusCode).toBe(200);
  });
});

describe('OpenAPI', () => {
  it('documents the partnerKey bearer scheme on the overlap endpoints', async () => {
    const doc = (await sys.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.components.securitySchemes.partnerKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const path of ['/api/beneficiaries/partner-overlap', '/api/beneficiaries/pprl/exchange']) {
      expect(doc.paths[path].post.security).toEqual([{ sessionCookie: [] }, { partnerKey: [] }]);
    }
    expect(doc.paths['/api/members'].get.security).toEqual([{ sessionCookie: [] }]);
    expect(doc.paths['/api/partners/{id}/keys'].post).toBeDefined();
  });
});
