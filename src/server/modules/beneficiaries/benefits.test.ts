/**
 * The benefit ledger and the eligible list: idempotent, audited writes; benefits that follow a
 * person through a merge (and back on undo); exclusions with their reasons across programmes,
 * partners and regions; and no Bandung (32.73) coordinator reaching Malang (35.73) data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { grants, login, makePartner, makeUser, type Client } from '../../../../test/factories.ts';

let sys: TestSystem;
let national: Client;
let bandung: Client;
let malang: Client;
let member: Client;
let partner: { id: number; name: string };

const beneficiary = (fullName: string, nik: string, birthDate: string, sex: 'L' | 'P', regencyCode: string) => ({
  source: { kind: 'programme', ref: 'RESCUE' },
  fullName,
  nik,
  birthDate,
  sex,
  regencyCode,
  consent: { purpose: 'programmes', version: 1, given: true },
});

async function register(client: Client, body: Record<string, unknown>): Promise<{ recordId: number; personId: number; outcome: string }> {
  const res = await client.request('POST', '/api/beneficiaries', body);
  if (res.statusCode !== 201) throw new Error(res.body);
  const json = res.json();
  return { recordId: json.record.id, personId: json.personId, outcome: json.outcome };
}

const NOV = { start: '2026-11-01', end: '2026-11-30' };
const DEC = { start: '2026-12-01', end: '2026-12-31' };

const benefit = (recordId: number, over: Record<string, unknown> = {}) => ({
  recordId,
  programme: 'PANGAN-A',
  aidKind: 'food_package',
  period: NOV,
  quantity: 1,
  deliveredAt: '2026-11-10T09:00:00+07:00',
  ...over,
});

async function give(client: Client, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await client.request('POST', '/api/beneficiaries/benefits', body, headers);
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json().benefit as { id: number; personId: number };
}

const eligible = (client: Client, body: Record<string, unknown>) => client.request('POST', '/api/beneficiaries/distributions/eligible', body);

const auditCount = async (action: string, entityId?: number) => {
  let q = sys.ctx.db.selectFrom('audit_log').select('id').where('action', '=', action);
  if (entityId !== undefined) q = q.where('entity_id', '=', String(entityId));
  return (await q.execute()).length;
};

let andi: { recordId: number; personId: number };
let budi: { recordId: number; personId: number };
let budiAgain: { recordId: number; personId: number };
let citra: { recordId: number; personId: number };
let sriMalang: { recordId: number; personId: number };

beforeAll(async () => {
  sys = await createTestSystem();
  national = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  malang = await login(sys.app, await makeUser(sys.ctx, { regionCode: '35.73', grants: [grants.regencyCoordinator('35.73')] }));
  member = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.member('32.73')] }));
  partner = await makePartner(sys.ctx, { name: 'Bank Pangan Jabar', agreements: [{ scopeCode: null }] });

  for (const p of [
    { code: 'PANGAN-A', name: 'Pangan Sehat untuk Semua (uji)', aidKinds: ['food_package'] },
    { code: 'PANGAN-B', name: 'Dapur Bersama', aidKinds: ['food_package', 'apd'] },
  ]) {
    const res = await national.request('POST', '/api/beneficiaries/programmes', p);
    expect(res.statusCode, res.body).toBe(201);
  }

  andi = await register(bandung, beneficiary('Andi Pratama', '3273011502920001', '1992-02-15', 'L', '32.73'));
  budi = await register(bandung, beneficiary('Budi Santoso', '3273010101850002', '1985-01-01', 'L', '32.73'));
  // The same NIK registered again by another programme: linked to the same person.
  budiAgain = await register(bandung, { ...beneficiary('Budi Santosa', '3273010101850002', '1985-01-01', 'L', '32.73'), source: { kind: 'partner', ref: '9' } });
  expect(budiAgain.personId).toBe(budi.personId);
  citra = await register(bandung, beneficiary('Citra Lestari', '3273014203900003', '1990-03-02', 'P', '32.73'));
  sriMalang = await register(malang, beneficiary('Sri Wahyuni', '3573014506880001', '1988-06-05', 'P', '35.73'));
});
afterAll(async () => {
  await sys?.close();
});

describe('programmes and kinds of aid', () => {
  it('lists the kinds and programmes; only a national admin creates a programme', async () => {
    const kinds = (await bandung.request('GET', '/api/beneficiaries/aid-kinds')).json().items.map((k: { code: string }) => k.code);
    expect(kinds).toEqual(expect.arrayContaining(['food_package', 'apd', 'cash']));
    const programmes = (await bandung.request('GET', '/api/beneficiaries/programmes')).json().items;
    expect(programmes.find((p: { code: string }) => p.code === 'PANGAN-B').aidKinds).toEqual(['apd', 'food_package']);
    expect((await bandung.request('POST', '/api/beneficiaries/programmes', { code: 'X-1', name: 'Lokal', aidKinds: ['cash'] })).statusCode).toBe(403);
    expect((await national.request('POST', '/api/beneficiaries/programmes', { code: 'PANGAN-A', name: 'Lagi', aidKinds: ['cash'] })).statusCode).toBe(409);
    const unknown = await national.request('POST', '/api/beneficiaries/programmes', { code: 'X-2', name: 'Lokal', aidKinds: ['emas'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].code).toBe('unknown_aid_kind');
    expect((await member.request('GET', '/api/beneficiaries/programmes')).statusCode).toBe(403);
  });
});

describe('recording a benefit', () => {
  it('is one benefit per Idempotency-Key and per natural key, audited once', async () => {
    const body = benefit(citra.recordId, { programme: 'PANGAN-B', aidKind: 'apd', partnerId: partner.id });
    const key = { 'idempotency-key': 'benefit-citra-apd-0001' };
    const first = await bandung.request('POST', '/api/beneficiaries/benefits', body, key);
    expect(first.statusCode, first.body).toBe(201);
    const b = first.json().benefit;
    expect(b).toMatchObject({ personId: citra.personId, recordId: citra.recordId, aidKind: 'apd', partner: { id: partner.id, name: partner.name }, quantity: '1.00' });

    const again = await bandung.request('POST', '/api/beneficiaries/benefits', body, key);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ replayed: true, benefit: { id: b.id } });
    // No key, same record + programme + kind + period: the same benefit.
    const natural = await bandung.request('POST', '/api/beneficiaries/benefits', body);
    expect(natural.statusCode).toBe(200);
    expect(natural.json().benefit.id).toBe(b.id);

    const reusedKey = await bandung.request('POST', '/api/beneficiaries/benefits', { ...body, quantity: 3 }, key);
    expect(reusedKey.statusCode).toBe(409);
    const otherContent = await bandung.request('POST', '/api/beneficiaries/benefits', { ...body, quantity: 3 });
    expect(otherContent.statusCode).toBe(409);
    expect(otherContent.json().code).toBe('benefit_conflict');

    expect(await auditCount('benefit.record', b.id)).toBe(1);
    const count = await sys.ctx.db.selectFrom('benefits').select('id').where('record_id', '=', citra.recordId).execute();
    expect(count).toHaveLength(1);
  });

  it('two volunteers recording the same benefit at once make one benefit', async () => {
    const body = benefit(budi.recordId, { programme: 'PANGAN-B', aidKind: 'apd' });
    const [a, b] = await Promise.all([
      bandung.request('POST', '/api/beneficiaries/benefits', body),
      bandung.request('POST', '/api/beneficiaries/benefits', body),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().benefit.id).toBe(b.json().benefit.id);
    expect(await auditCount('benefit.record', a.json().benefit.id)).toBe(1);
  });

  it('refuses a programme without that kind, a reversed period, an unknown partner or record', async () => {
    const codes = async (body: Record<string, unknown>) => {
      const res = await bandung.request('POST', '/api/beneficiaries/benefits', body);
      expect(res.statusCode).toBe(400);
      return res.json().errors.map((e: { code: string }) => e.code);
    };
    expect(await codes(benefit(andi.recordId, { aidKind: 'cash' }))).toEqual(['programme_lacks_aid_kind']);
    expect(await codes(benefit(andi.recordId, { period: { start: '2026-11-30', end: '2026-11-01' } }))).toEqual(['period_reversed']);
    expect(await codes(benefit(andi.recordId, { partnerId: 999_999 }))).toEqual(['unknown_partner']);
    expect(await codes(benefit(999_999))).toEqual(['unknown_record']);
  });
});

describe('the eligible list', () => {
  beforeAll(async () => {
    // Andi got a food package in November from programme A, through partner "Bank Pangan Jabar".
    await give(bandung, benefit(andi.recordId, { partnerId: partner.id }));
  });

  it('excludes who already received the same kind in the period from another programme, with the reason', async () => {
    const res = await eligible(bandung, {
      programme: 'PANGAN-B',
      aidKind: 'food_package',
      period: NOV,
      candidates: { recordIds: [andi.recordId, budi.recordId, citra.recordId, budiAgain.recordId] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json();
    expect(list).toMatchObject({ included: 2, excluded: 2, truncated: false });
    const [a, b, c, b2] = list.items;
    expect(a).toMatchObject({ recordId: andi.recordId, included: false });
    expect(a.reasons[0]).toMatchObject({ code: 'already_received', programme: { code: 'PANGAN-A' }, partner: { id: partner.id }, period: NOV });
    expect(a.reasons[0].message).toContain('PANGAN-A');
    expect(a.reasons[0].message).toContain('Bank Pangan Jabar');
    expect(a.reasons[0].message).toContain('2026-11-10');
    expect(b).toMatchObject({ included: true, reasons: [] });
    expect(c).toMatchObject({ included: true, reasons: [] }); // APD, not food, in November
    expect(b2).toMatchObject({ included: false, reasons: [{ code: 'duplicate_in_list', duplicateOfRecordId: budi.recordId }] });
  });

  it('includes them for another period or another kind of aid', async () => {
    const dec = (await eligible(bandung, { programme: 'PANGAN-B', aidKind: 'food_package', period: DEC, candidates: { recordIds: [andi.recordId] } })).json();
    expect(dec.items[0]).toMatchObject({ included: true });
    const apd = (await eligible(bandung, { programme: 'PANGAN-B', aidKind: 'apd', period: NOV, candidates: { recordIds: [andi.recordId, citra.recordId] } })).json();
    expect(apd.items[0]).toMatchObject({ included: true });
    expect(apd.items[1]).toMatchObject({ included: false, reasons: [{ code: 'already_received', programme: { code: 'PANGAN-B' } }] });
  });

  it('answers in English when asked', async () => {
    const res = await sys.app.inject({
      method: 'POST',
      url: '/api/beneficiaries/distributions/eligible',
      payload: { programme: 'PANGAN-B', aidKind: 'food_package', period: NOV, candidates: { recordIds: [andi.recordId] } },
      cookies: { simpul_session: bandung.cookie },
      headers: { 'x-csrf-token': bandung.csrf, 'accept-language': 'en' },
    });
    expect(res.json().items[0].reasons[0].message).toMatch(/^Already received food package .* partner Bank Pangan Jabar on 2026-11-10/);
  });

  it('takes every record of a region', async () => {
    const list = (await eligible(bandung, { programme: 'PANGAN-B', aidKind: 'food_package', period: NOV, candidates: { regionCode: '32.73' } })).json();
    const ids = list.items.map((i: { recordId: number }) => i.recordId);
    expect(ids).toEqual(expect.arrayContaining([andi.recordId, budi.recordId, budiAgain.recordId, citra.recordId]));
    expect(ids).not.toContain(sriMalang.recordId);
  });

  it('sees a benefit given in another region to the same person (the reason names programme and date only)', async () => {
    // Budi is registered in Malang too (same NIK: linked), and served there in November.
    const budiMalang = await register(malang, beneficiary('Budi Santoso', '3273010101850002', '1985-01-01', 'L', '35.73'));
    expect(budiMalang.personId).toBe(budi.personId);
    await give(malang, benefit(budiMalang.recordId, { programme: 'PANGAN-B' }));
    const list = (await eligible(bandung, { programme: 'PANGAN-A', aidKind: 'food_package', period: NOV, candidates: { recordIds: [budi.recordId] } })).json();
    expect(list.items[0]).toMatchObject({ included: false, reasons: [{ code: 'already_received', programme: { code: 'PANGAN-B' }, partner: null }] });
    expect(JSON.stringify(list)).not.toContain('35.73');
  });
});

describe('merged persons', () => {
  it('a benefit follows the record into the surviving person, and back on undo', async () => {
    // Same name and birth date, different NIKs: two persons, queued for review.
    const one = await register(bandung, beneficiary('Dewi Anggraini', '3273016204910004', '1991-04-22', 'P', '32.73'));
    const two = await register(bandung, beneficiary('Dewi Anggraini', '3273016204910555', '1991-04-22', 'P', '32.73'));
    expect(two.outcome).toBe('queued');
    expect(two.personId).not.toBe(one.personId);
    await give(bandung, benefit(two.recordId));

    const before = (await eligible(bandung, { programme: 'PANGAN-B', aidKind: 'food_package', period: NOV, candidates: { recordIds: [one.recordId] } })).json();
    expect(before.items[0].included).toBe(true);

    const pairs = (await national.request('GET', '/api/beneficiaries/duplicates?limit=200')).json().items as { id: number; recordA: { id: number }; recordB: { id: number } }[];
    const pair = pairs.find((p) => p.recordA.id === one.recordId && p.recordB.id === two.recordId)!;
    const decided = await bandung.request('POST', `/api/beneficiaries/duplicates/${pair.id}/decision`, { decision: 'merge' });
    expect(decided.statusCode, decided.body).toBe(200);

    const after = (await eligible(bandung, { programme: 'PANGAN-B', aidKind: 'food_package', period: NOV, candidates: { recordIds: [one.recordId, two.recordId] } })).json();
    expect(after.items[0]).toMatchObject({ included: false, reasons: [{ code: 'already_received' }] });
    expect(after.items[1].reasons.map((r: { code: string }) => r.code)).toEqual(['already_received', 'duplicate_in_list']);
    const survivor = after.items[0].personId as number;

    // Both ids, the merged one included, show the benefit on the surviving person.
    for (const id of [one.personId, two.personId]) {
      const res = await bandung.request('GET', `/api/beneficiaries/persons/${id}/benefits?aidKind=food_package`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().items).toEqual([expect.objectContaining({ personId: survivor, recordId: two.recordId })]);
    }

    const mergeId = (await sys.ctx.db.selectFrom('person_merges').select('id').where('candidate_id', '=', pair.id).executeTakeFirstOrThrow()).id;
    expect((await bandung.request('POST', `/api/beneficiaries/merges/${mergeId}/undo`)).statusCode).toBe(200);
    const undone = (await eligible(bandung, { programme: 'PANGAN-B', aidKind: 'food_package', period: NOV, candidates: { recordIds: [one.recordId] } })).json();
    expect(undone.items[0].included).toBe(true);
  });
});

describe('scope: Bandung (32.73) and Malang (35.73)', () => {
  it('a Bandung coordinator cannot record a benefit on a Malang record', async () => {
    const res = await bandung.request('POST', '/api/beneficiaries/benefits', benefit(sriMalang.recordId));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('out_of_scope');
  });

  it('nor list Malang candidates, by id or by region', async () => {
    const byId = await eligible(bandung, { programme: 'PANGAN-A', aidKind: 'food_package', period: NOV, candidates: { recordIds: [andi.recordId, sriMalang.recordId] } });
    expect(byId.statusCode).toBe(403);
    const byRegion = await eligible(bandung, { programme: 'PANGAN-A', aidKind: 'food_package', period: NOV, candidates: { regionCode: '35.73' } });
    expect(byRegion.statusCode).toBe(403);
    const byProvince = await eligible(bandung, { programme: 'PANGAN-A', aidKind: 'food_package', period: NOV, candidates: { regionCode: '32' } });
    expect(byProvince.statusCode).toBe(403);
  });

  it('a Malang coordinator does not see a Bandung person’s benefits, nor Bandung benefits of a shared person', async () => {
    expect((await malang.request('GET', `/api/beneficiaries/persons/${andi.personId}/benefits`)).statusCode).toBe(403);
    const shared = (await malang.request('GET', `/api/beneficiaries/persons/${budi.personId}/benefits`)).json();
    expect(shared.items.length).toBeGreaterThan(0);
    expect(shared.items.every((b: { regencyCode: string }) => b.regencyCode === '35.73')).toBe(true);
  });

  it('a member sees nothing', async () => {
    expect((await eligible(member, { programme: 'PANGAN-A', aidKind: 'food_package', period: NOV, candidates: { regionCode: '32.73' } })).statusCode).toBe(403);
    expect((await member.request('POST', '/api/beneficiaries/benefits', benefit(andi.recordId))).statusCode).toBe(403);
  });
});

describe('OpenAPI', () => {
  it('documents the ledger and overlap endpoints', async () => {
    const doc = (await sys.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/beneficiaries/aid-kinds',
        '/api/beneficiaries/programmes',
        '/api/beneficiaries/benefits',
        '/api/beneficiaries/persons/{id}/benefits',
        '/api/beneficiaries/distributions/eligible',
        '/api/beneficiaries/partner-overlap',
        '/api/beneficiaries/pprl/keys',
        '/api/beneficiaries/pprl/exchange',
      ]),
    );
  });
});
