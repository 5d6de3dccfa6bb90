/**
 * Scope leaks: a coordinator of Kota Bandung (32.73) never sees records, persons or duplicate
 * candidates of Kota Malang (35.73), even when linkage joins a Bandung record and a Malang record
 * into one person. Members and anonymous callers see nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { anonymous, grants, login, makeUser, type Client } from '../../../../test/factories.ts';

let sys: TestSystem;
let bandung: Client;
let malang: Client;
let westJava: Client;
let national: Client;
let member: Client;

const beneficiary = (fullName: string, nik: string, birthDate: string, sex: 'L' | 'P', regencyCode: string) => ({
  source: { kind: 'partner', ref: '3' },
  fullName,
  nik,
  birthDate,
  sex,
  regencyCode,
  phone: '081234567890',
  consent: { purpose: 'programmes', version: 1, given: true },
});

// Kota Malang records, and a Malang pair in the review queue.
let malangRecord: { id: number; personId: number };
let malangPairId: number;
// One person registered in Bandung and in Malang (same NIK): linked automatically.
let sharedPerson: { personId: number; bandungRecord: number; malangRecord: number };
// A pair with one record in each city.
let crossPairId: number;

beforeAll(async () => {
  sys = await createTestSystem();
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  malang = await login(sys.app, await makeUser(sys.ctx, { regionCode: '35.73', grants: [grants.regencyCoordinator('35.73')] }));
  westJava = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.provinceCoordinator('32')] }));
  national = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
  member = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.member('32.73')] }));

  const post = async (client: Client, body: Record<string, unknown>) => {
    const res = await client.request('POST', '/api/beneficiaries', body);
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json();
  };
  const m1 = await post(malang, beneficiary('Sri Wahyuni', '3573014506880001', '1988-06-05', 'P', '35.73'));
  malangRecord = { id: m1.record.id, personId: m1.personId };
  const m2 = await post(malang, beneficiary('Sri Wahyuni', '3573014506880222', '1988-06-05', 'P', '35.73'));
  expect(m2.outcome).toBe('queued');

  const b = await post(bandung, beneficiary('Andi Pratama', '3273011502920001', '1992-02-15', 'L', '32.73'));
  const m = await post(malang, beneficiary('Andi Pratama', '3273011502920001', '1992-02-15', 'L', '35.73'));
  expect(m.outcome).toBe('linked');
  sharedPerson = { personId: b.personId, bandungRecord: b.record.id, malangRecord: m.record.id };

  const c1 = await post(bandung, beneficiary('Rina Marlina', '3273015003950001', '1995-03-10', 'P', '32.73'));
  const c2 = await post(malang, beneficiary('Rina Marlina', '3573015003950333', '1995-03-10', 'P', '35.73'));
  expect(c2.outcome).toBe('queued');

  const pairs = (await national.request('GET', '/api/beneficiaries/duplicates?limit=200')).json().items as {
    id: number;
    recordA: { id: number };
    recordB: { id: number };
  }[];
  malangPairId = pairs.find((p) => p.recordA.id === m1.record.id && p.recordB.id === m2.record.id)!.id;
  crossPairId = pairs.find((p) => p.recordA.id === c1.record.id && p.recordB.id === c2.record.id)!.id;
});
afterAll(async () => {
  await sys?.close();
});

describe('a Bandung coordinator and Malang data', () => {
  it('does not list Malang records, by name or by region', async () => {
    const all = (await bandung.request('GET', '/api/beneficiaries/records?limit=200')).json();
    expect(all.items.every((r: { regency: { code: string } }) => r.regency.code === '32.73')).toBe(true);
    expect(all.items.some((r: { id: number }) => r.id === malangRecord.id)).toBe(false);
    expect((await bandung.request('GET', '/api/beneficiaries/records?q=Sri%20Wahyuni')).json()).toEqual({ items: [], total: 0 });
    expect((await bandung.request('GET', '/api/beneficiaries/records?regionCode=35.73')).json()).toEqual({ items: [], total: 0 });
    const found = (await malang.request('GET', '/api/beneficiaries/records?q=Sri%20Wahyuni')).json();
    expect(found.total).toBe(2);
    // Old spelling and a typo still find them.
    expect((await malang.request('GET', '/api/beneficiaries/records?q=sri%20wahjoeni')).json().total).toBe(2);
    expect((await malang.request('GET', '/api/beneficiaries/records?q=Sri%20Wahyuno')).json().total).toBe(2);
    expect((await malang.request('GET', '/api/beneficiaries/records?q=3573014506880001')).statusCode).toBe(400);
  });

  it('cannot read, reveal or register a Malang record', async () => {
    expect((await bandung.request('GET', `/api/beneficiaries/records/${malangRecord.id}`)).json().code).toBe('out_of_scope');
    const reveal = await bandung.request('POST', `/api/beneficiaries/records/${malangRecord.id}/reveal`, { field: 'nik', reason: 'cek penyaluran' });
    expect(reveal.statusCode).toBe(403);
    const register = await bandung.request('POST', '/api/beneficiaries', beneficiary('Budi Malang', '3573011010800001', '1980-10-10', 'L', '35.73'));
    expect(register.statusCode).toBe(403);
    expect(register.json().code).toBe('out_of_scope');
  });

  it('cannot open a Malang person', async () => {
    const res = await bandung.request('GET', `/api/beneficiaries/persons/${malangRecord.personId}`);
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('Sri Wahyuni');
  });

  it('sees only the Bandung record of a person registered in both cities', async () => {
    const res = await bandung.request('GET', `/api/beneficiaries/persons/${sharedPerson.personId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().records.map((r: { id: number }) => r.id)).toEqual([sharedPerson.bandungRecord]);
    expect(res.json().hiddenRecords).toBe(1);
    const full = (await national.request('GET', `/api/beneficiaries/persons/${sharedPerson.personId}`)).json();
    expect(full.records.map((r: { id: number }) => r.id)).toEqual([sharedPerson.bandungRecord, sharedPerson.malangRecord]);
  });

  it('does not see Malang pairs, nor pairs with one record in Malang, and cannot decide them', async () => {
    const ids = (await bandung.request('GET', '/api/beneficiaries/duplicates?limit=200')).json().items.map((c: { id: number }) => c.id);
    expect(ids).not.toContain(malangPairId);
    expect(ids).not.toContain(crossPairId);
    expect((await bandung.request('GET', `/api/beneficiaries/duplicates/${malangPairId}`)).statusCode).toBe(403);
    for (const id of [malangPairId, crossPairId]) {
      const res = await bandung.request('POST', `/api/beneficiaries/duplicates/${id}/decision`, { decision: 'not_same' });
      expect(res.statusCode).toBe(403);
    }
    expect((await malang.request('GET', '/api/beneficiaries/duplicates?limit=200')).json().items.map((c: { id: number }) => c.id)).toEqual([malangPairId]);
    const nationalIds = (await national.request('GET', '/api/beneficiaries/duplicates?limit=200')).json().items.map((c: { id: number }) => c.id);
    expect(nationalIds).toEqual(expect.arrayContaining([malangPairId, crossPairId]));
  });

  it('a West Java province coordinator reaches Bandung but not Malang', async () => {
    expect((await westJava.request('GET', `/api/beneficiaries/persons/${sharedPerson.personId}`)).json().hiddenRecords).toBe(1);
    expect((await westJava.request('GET', `/api/beneficiaries/records/${malangRecord.id}`)).statusCode).toBe(403);
  });
});

describe('reveal', () => {
  it('shows a NIK in clear to a coordinator of its regency and logs who, which field and why, never the value', async () => {
    const res = await malang.request('POST', `/api/beneficiaries/records/${malangRecord.id}/reveal`, { field: 'nik', reason: 'verifikasi penyaluran' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ field: 'nik', value: '3573014506880001' });
    expect(res.headers['cache-control']).toBe('no-store');
    const entry = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'beneficiary.reveal')
      .where('entity_id', '=', String(malangRecord.id))
      .executeTakeFirstOrThrow();
    expect(entry.reason).toBe('verifikasi penyaluran');
    expect(JSON.stringify(entry)).not.toContain('3573014506880001');
  });
});

describe('callers without a beneficiary role', () => {
  it('a member is forbidden everywhere, an anonymous caller is asked to log in', async () => {
    expect((await member.request('GET', '/api/beneficiaries/records')).json().code).toBe('forbidden');
    expect((await member.request('GET', '/api/beneficiaries/duplicates')).json().code).toBe('forbidden');
    expect((await member.request('GET', `/api/beneficiaries/persons/${sharedPerson.personId}`)).json().code).toBe('forbidden');
    expect((await member.request('POST', '/api/beneficiaries', beneficiary('X Y', '3273011502920009', '1992-02-15', 'L', '32.73'))).json().code).toBe('forbidden');
    const anon = anonymous(sys.app);
    expect((await anon.request('GET', '/api/beneficiaries/records')).statusCode).toBe(401);
    expect((await anon.request('POST', `/api/beneficiaries/duplicates/${malangPairId}/decision`, { decision: 'merge' })).statusCode).toBe(401);
  });
});
