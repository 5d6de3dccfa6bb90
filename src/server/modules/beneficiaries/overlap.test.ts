/**
 * A partner's overlap check (its own list with NIKs) and the privacy-preserving exchange (only
 * encodings): matches by NIK and by a typo'd name with the birth date, answers bounded by the
 * partner's agreements and the caller's scope (Kota Bandung 32.73 vs Kota Malang 35.73), detail
 * only under an agreement that allows personal data, a wrong key that finds nothing, audit entries
 * that never hold the secret; and the same two calls made by a partner with its own API key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRecords, keyFingerprint, serializeEncodings, type PprlRecord } from '../../../lib/linkage/index.ts';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { grants, login, makePartner, makeUser, type Client } from '../../../../test/factories.ts';

let sys: TestSystem;
let national: Client;
let bandung: Client;
let malang: Client;
let member: Client;
// A national agreement without personal data; a Bandung one with it; an expired one.
let aggregate: { id: number; name: string };
let bandungPd: { id: number; name: string };
let expired: { id: number; name: string };

const SECRET = 'kunci-bersama-mitra-2026-rahasia';
const KEY_REF = 'SIMPUL_PPRL_KEY_TEST_OVERLAP';
const NOV = { start: '2026-11-01', end: '2026-11-30' };

const beneficiary = (fullName: string, nik: string, birthDate: string, sex: 'L' | 'P', regencyCode: string) => ({
  source: { kind: 'programme', ref: 'RESCUE' },
  fullName,
  nik,
  birthDate,
  sex,
  regencyCode,
  consent: { purpose: 'programmes', version: 1, given: true },
});

async function register(client: Client, body: Record<string, unknown>) {
  const res = await client.request('POST', '/api/beneficiaries', body);
  if (res.statusCode !== 201) throw new Error(res.body);
  return { recordId: res.json().record.id as number, personId: res.json().personId as number };
}

async function give(client: Client, recordId: number, partnerId: number | null) {
  const res = await client.request('POST', '/api/beneficiaries/benefits', {
    recordId,
    programme: 'RESCUE-PANGAN',
    aidKind: 'food_package',
    period: NOV,
    partnerId,
    deliveredAt: '2026-11-12T10:00:00+07:00',
  });
  if (res.statusCode !== 201) throw new Error(res.body);
}

const overlap = (client: Client, partnerId: number, rows: Record<string, unknown>[], aidKind = 'food_package') =>
  client.request('POST', '/api/beneficiaries/partner-overlap', { partnerId, aidKind, period: NOV, rows });

let andi: { recordId: number; personId: number };
let sri: { recordId: number; personId: number };

beforeAll(async () => {
  process.env[KEY_REF] = SECRET;
  sys = await createTestSystem();
  national = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  malang = await login(sys.app, await makeUser(sys.ctx, { regionCode: '35.73', grants: [grants.regencyCoordinator('35.73')] }));
  member = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.member('32.73')] }));
  aggregate = await makePartner(sys.ctx, { name: 'Yayasan Agregat', regionCode: null, agreements: [{ scopeCode: null }] });
  bandungPd = await makePartner(sys.ctx, { name: 'Dinsos Kota Bandung', agreements: [{ scopeCode: '32.73', allowsPersonalData: true }] });
  expired = await makePartner(sys.ctx, { name: 'Mitra Lama', agreements: [{ scopeCode: null, validFrom: '2020-01-01', validUntil: '2021-12-31' }] });

  andi = await register(bandung, beneficiary('Andi Pratama', '3273011502920001', '1992-02-15', 'L', '32.73'));
  sri = await register(malang, beneficiary('Sri Wahyuni', '3573014506880001', '1988-06-05', 'P', '35.73'));
  await register(bandung, beneficiary('Eko Prasetyo', '3273012007800006', '1980-07-20', 'L', '32.73')); // never served
  await give(bandung, andi.recordId, aggregate.id);
  await give(malang, sri.recordId, null);
});
afterAll(async () => {
  delete process.env[KEY_REF];
  await sys?.close();
});

describe('a partner’s overlap check', () => {
  it('finds a person by NIK and by a typo’d name with the birth date; without a data agreement, no personal data', async () => {
    const res = await overlap(national, aggregate.id, [
      { ref: 'r1', nik: '3273011502920001', fullName: 'Andi Pratama', birthDate: '1992-02-15' },
      { ref: 'r2', fullName: 'Andy Pratamma', birthDate: '1992-02-15', regencyCode: '32.73' },
      { ref: 'r3', nik: '3273016001990009', fullName: 'Orang Lain Sekali', birthDate: '1999-01-20' },
      { ref: 'r4', nik: '1234', fullName: 'Salah Ketik' },
      { ref: 'r5', nik: '3573014506880001', fullName: 'Sri Wahyuni', birthDate: '1988-06-05' },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ partnerId: aggregate.id, personalData: false, checked: 5, invalid: 1, alreadyReceived: 3 });
    expect(body.rows.map((r: { status: string }) => r.status)).toEqual(['already_received', 'already_received', 'not_received', 'invalid', 'already_received']);
    expect(body.rows[0].sources).toEqual([{ programme: { code: 'RESCUE-PANGAN', name: 'Pangan Sehat untuk Semua' }, partner: { id: aggregate.id, name: 'Yayasan Agregat' } }]);
    expect(body.rows[4].sources).toEqual([{ programme: { code: 'RESCUE-PANGAN', name: 'Pangan Sehat untuk Semua' }, partner: null }]);
    expect(body.rows[3].errors[0]).toMatchObject({ path: 'rows.3.nik', code: 'nik_format' });
    expect(body.rows.every((r: { detail: unknown }) => r.detail === null)).toBe(true);
    expect(JSON.stringify(body)).not.toContain('personId');
  });

  it('another kind of aid is no overlap', async () => {
    const res = await overlap(national, aggregate.id, [{ nik: '3273011502920001', fullName: 'Andi Pratama', birthDate: '1992-02-15' }], 'apd');
    expect(res.json().rows[0].status).toBe('not_received');
  });

  it('with a data-sharing agreement, shows the person and how they matched', async () => {
    const body = (await overlap(national, bandungPd.id, [{ nik: '3273011502920001', fullName: 'Andi Pratama', birthDate: '1992-02-15' }])).json();
    expect(body.personalData).toBe(true);
    expect(body.rows[0].detail).toEqual([
      expect.objectContaining({ personId: andi.personId, match: 'nik', period: NOV, regencyCode: '32.73', deliveredAt: '2026-11-12T03:00:00.000Z' }),
    ]);
  });

  it('refuses a partner without a valid agreement, an unknown partner, and a member', async () => {
    const old = await overlap(national, expired.id, [{ fullName: 'Andi Pratama' }]);
    expect(old.statusCode).toBe(403);
    expect(old.json().code).toBe('partner_agreement_required');
    expect((await overlap(national, 999_999, [{ fullName: 'Andi Pratama' }])).statusCode).toBe(400);
    expect((await overlap(member, aggregate.id, [{ fullName: 'Andi Pratama' }])).statusCode).toBe(403);
  });

  it('is audited, without the rows', async () => {
    const rows = await sys.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'benefits.partner_overlap').execute();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(rows)).not.toContain('3273011502920001');
  });
});

describe('scope: Bandung (32.73) and Malang (35.73)', () => {
  const sriRow = { nik: '3573014506880001', fullName: 'Sri Wahyuni', birthDate: '1988-06-05' };
  it('a partner whose agreement covers Bandung learns nothing of a Malang benefit', async () => {
    const body = (await overlap(national, bandungPd.id, [sriRow])).json();
    expect(body.rows[0]).toMatchObject({ status: 'not_received', sources: [], detail: [] });
  });

  it('a Bandung coordinator acting for a national partner learns nothing of a Malang benefit', async () => {
    const body = (await overlap(bandung, aggregate.id, [sriRow])).json();
    expect(body.rows[0].status).toBe('not_received');
    const malangView = (await overlap(malang, aggregate.id, [sriRow])).json();
    expect(malangView.rows[0].status).toBe('already_received');
  });
});

describe('the PPRL exchange (no NIKs shared)', () => {
  const theirList: PprlRecord[] = [
    { nik: null, name: 'Andi Pratamma', birthDate: '1992-02-15' }, // typo'd name, no NIK
    { nik: '3573014506880001', name: 'Sri Wahyuni', birthDate: '05-06-1988' },
    { nik: '3273016001990009', name: 'Orang Lain Sekali', birthDate: '1999-01-20' },
  ];
  const exchange = (client: Client, partnerId: number, encodings: unknown) =>
    client.request('POST', '/api/beneficiaries/pprl/exchange', { partnerId, aidKind: 'food_package', period: NOV, encodings });

  beforeAll(async () => {
    for (const p of [aggregate, bandungPd]) {
      const res = await national.request('POST', '/api/beneficiaries/pprl/keys', { partnerId: p.id, keyRef: KEY_REF });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().keyFingerprint).toBe(keyFingerprint(SECRET));
    }
  });

  it('finds the typo’d name and the NIK, with opaque person references', async () => {
    const res = await exchange(national, aggregate.id, serializeEncodings(encodeRecords(SECRET, theirList)));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ theirRows: 3, registryPersons: 2, overlap: 2, matchedPersons: 2 });
    expect(body.pairs.map((p: { row: number }) => p.row)).toEqual([0, 1]);
    expect(body.pairs[1].nik).toBe(true);
    for (const p of body.pairs) expect([String(andi.personId), String(sri.personId)]).not.toContain(p.personRef);
  });

  it('a wrong key finds nothing', async () => {
    const wrong = serializeEncodings(encodeRecords('kunci-yang-salah', theirList));
    const refused = await exchange(national, aggregate.id, wrong);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('pprl_key_mismatch');
    // Even claiming the right key's fingerprint, encodings under another key match nothing.
    const forged = await exchange(national, aggregate.id, { ...wrong, keyId: keyFingerprint(SECRET) });
    expect(forged.statusCode, forged.body).toBe(200);
    expect(forged.json()).toMatchObject({ overlap: 0, matchedPersons: 0, pairs: [] });
  });

  it('stays within the agreement and the caller’s scope', async () => {
    const enc = serializeEncodings(encodeRecords(SECRET, theirList));
    const bandungOnly = (await exchange(national, bandungPd.id, enc)).json();
    expect(bandungOnly).toMatchObject({ registryPersons: 1, overlap: 1 });
    expect(bandungOnly.pairs.map((p: { row: number }) => p.row)).toEqual([0]);
    const malangCaller = (await exchange(malang, aggregate.id, enc)).json();
    expect(malangCaller.pairs.map((p: { row: number }) => p.row)).toEqual([1]);
    expect((await exchange(member, aggregate.id, enc)).statusCode).toBe(403);
  });

  it('refuses a partner without a registered key, and only managers register one', async () => {
    const other = await makePartner(sys.ctx, { name: 'Tanpa Kunci', agreements: [{ scopeCode: null }] });
    const res = await exchange(national, other.id, serializeEncodings(encodeRecords(SECRET, theirList)));
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('pprl_key_missing');
    expect((await malang.request('POST', '/api/beneficiaries/pprl/keys', { partnerId: other.id, keyRef: KEY_REF })).statusCode).toBe(403);
    const unset = await national.request('POST', '/api/beneficiaries/pprl/keys', { partnerId: other.id, keyRef: 'SIMPUL_PPRL_KEY_NOT_SET' });
    expect(unset.statusCode).toBe(400);
  });

  it('is audited with the key fingerprint, never the key', async () => {
    const rows = await sys.ctx.db.selectFrom('audit_log').selectAll().where('action', 'in', ['benefits.pprl_exchange', 'pprl_key.register']).execute();
    expect(rows.filter((r) => r.action === 'benefits.pprl_exchange').length).toBeGreaterThanOrEqual(3);
    expect(rows.filter((r) => r.action === 'pprl_key.register')).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    expect(JSON.stringify(rows)).toContain(keyFingerprint(SECRET));
  });
});

describe('a partner calling with its own API key', () => {
  const NIK_ROWS = [
    { ref: 'a', nik: '3273011502920001', fullName: 'Andi Pratama', birthDate: '1992-02-15' },
    { ref: 's', nik: '3573014506880001', fullName: 'Sri Wahyuni', birthDate: '1988-06-05' },
  ];
  const theirList: PprlRecord[] = [
    { nik: null, name: 'Andi Pratamma', birthDate: '1992-02-15' },
    { nik: '3573014506880001', name: 'Sri Wahyuni', birthDate: '05-06-1988' },
  ];
  let aggregateKey: { id: number; token: string };
  let bandungKey: { id: number; token: string };

  async function issueKey(partnerId: number, scopes: string[]) {
    const res = await national.request('POST', `/api/partners/${partnerId}/keys`, { label: 'Integrasi', scopes });
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json().key.id as number, token: res.json().token as string };
  }
  // No cookie, no CSRF header: the key alone.
  const withKey = (token: string, url: string, body: Record<string, unknown>) =>
    sys.app.inject({ method: 'POST', url, payload: body, headers: { authorization: `Bearer ${token}` } });
  const keyOverlap = (token: string, extra: Record<string, unknown> = {}) =>
    withKey(token, '/api/beneficiaries/partner-overlap', { aidKind: 'food_package', period: NOV, rows: NIK_ROWS, ...extra });
  const keyExchange = (token: string, extra: Record<string, unknown> = {}) =>
    withKey(token, '/api/beneficiaries/pprl/exchange', {
      aidKind: 'food_package',
      period: NOV,
      encodings: serializeEncodings(encodeRecords(SECRET, theirList)),
      ...extra,
    });

  beforeAll(async () => {
    aggregateKey = await issueKey(aggregate.id, ['overlap.check', 'pprl.exchange']);
    bandungKey = await issueKey(bandungPd.id, ['overlap.check']);
  });

  it('checks its own list; its agreements, not a coordinator’s scope, bound the answer; no personal data without a data agreement', async () => {
    const res = await keyOverlap(aggregateKey.token);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    // A national agreement: the Malang benefit counts too, though no coordinator is involved.
    expect(body).toMatchObject({ partnerId: aggregate.id, personalData: false, checked: 2, alreadyReceived: 2 });
    expect(body.rows.every((r: { detail: unknown }) => r.detail === null)).toBe(true);
    expect(JSON.stringify(body)).not.toContain('personId');
    expect((await keyOverlap(aggregateKey.token, { partnerId: aggregate.id })).statusCode).toBe(200);
  });

  it('under a data agreement for Bandung, sees the Bandung person and nothing of Malang', async () => {
    const body = (await keyOverlap(bandungKey.token)).json();
    expect(body).toMatchObject({ partnerId: bandungPd.id, personalData: true, alreadyReceived: 1 });
    expect(body.rows[0].detail).toEqual([expect.objectContaining({ personId: andi.personId, match: 'nik' })]);
    expect(body.rows[1]).toMatchObject({ status: 'not_received', sources: [], detail: [] });
  });

  it('exchanges encodings (PPRL) for its own partner', async () => {
    const res = await keyExchange(aggregateKey.token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ partnerId: aggregate.id, theirRows: 2, registryPersons: 2, overlap: 2 });
  });

  it('cannot act for another partner', async () => {
    const res = await keyOverlap(aggregateKey.token, { partnerId: bandungPd.id });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('partner_key_other_partner');
    expect((await keyExchange(aggregateKey.token, { partnerId: bandungPd.id })).json().code).toBe('partner_key_other_partner');
  });

  it('needs the scope of the operation', async () => {
    const res = await keyExchange(bandungKey.token);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'partner_key_scope', detail: 'Kunci API ini tidak memiliki izin "pprl.exchange".' });
  });

  it('a session must still name the partner it acts for', async () => {
    const res = await national.request('POST', '/api/beneficiaries/partner-overlap', { aidKind: 'food_package', period: NOV, rows: NIK_ROWS });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ path: 'partnerId', code: 'partner_required' });
  });

  it('is audited as the key, with counts and never the NIKs', async () => {
    const rows = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'in', ['benefits.partner_overlap', 'benefits.pprl_exchange'])
      .where('actor_label', '=', `partner_key:${aggregateKey.id}`)
      .execute();
    expect(rows.map((r) => r.action).sort()).toEqual(['benefits.partner_overlap', 'benefits.partner_overlap', 'benefits.pprl_exchange']);
    expect(rows.every((r) => r.actor_id === null && r.entity_id === String(aggregate.id))).toBe(true);
    expect(rows[0].after).toMatchObject({ checked: 2, alreadyReceived: 2, personalData: false });
    expect(JSON.stringify(rows)).not.toContain('3273011502920001');
    expect(JSON.stringify(rows)).not.toContain(aggregateKey.token);
  });

  it('a revoked key answers 401', async () => {
    expect((await national.request('POST', `/api/partners/${aggregate.id}/keys/${aggregateKey.id}/revoke`)).statusCode).toBe(200);
    const res = await keyOverlap(aggregateKey.token);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('partner_key_revoked');
    expect((await keyExchange(aggregateKey.token)).statusCode).toBe(401);
  });
});
