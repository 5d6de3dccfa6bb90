/**
 * Recording a whole distribution at once (POST /api/beneficiaries/benefits/batch): one
 * transaction, one audit entry, idempotent on the batch key (a retry or a double click writes
 * nothing twice), all-or-none on a conflict, and scoped (Kota Bandung 32.73 vs Kota Malang 35.73).
 * After it, the eligible list excludes the people served, with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { grants, login, makePartner, makeUser, type Client } from '../../../../test/factories.ts';

let sys: TestSystem;
let bandung: Client;
let malang: Client;
let member: Client;
let partner: { id: number; name: string };

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

async function register(client: Client, body: Record<string, unknown>): Promise<number> {
  const res = await client.request('POST', '/api/beneficiaries', body);
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json().record.id;
}

const batch = (client: Client, body: Record<string, unknown>) => client.request('POST', '/api/beneficiaries/benefits/batch', body);

const distribution = (recordIds: number[], over: Record<string, unknown> = {}) => ({
  idempotencyKey: 'distribusi-nov-0001',
  programme: 'RESCUE-PANGAN',
  aidKind: 'food_package',
  period: NOV,
  partnerId: partner.id,
  quantity: 1,
  deliveredAt: '2026-11-15T00:00:00+07:00',
  recordIds,
  ...over,
});

const benefitsOf = (recordIds: number[]) => sys.ctx.db.selectFrom('benefits').selectAll().where('record_id', 'in', recordIds).execute();
const batchAudits = async () => (await sys.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'benefit.record_batch').execute()).length;

let andi: number;
let budi: number;
let citra: number;
let dewi: number;
let sri: number;

beforeAll(async () => {
  sys = await createTestSystem();
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  malang = await login(sys.app, await makeUser(sys.ctx, { regionCode: '35.73', grants: [grants.regencyCoordinator('35.73')] }));
  member = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.member('32.73')] }));
  partner = await makePartner(sys.ctx, { name: 'Bank Pangan Jabar', agreements: [{ scopeCode: null }] });
  andi = await register(bandung, beneficiary('Andi Pratama', '3273011502920001', '1992-02-15', 'L', '32.73'));
  budi = await register(bandung, beneficiary('Budi Santoso', '3273010101850002', '1985-01-01', 'L', '32.73'));
  citra = await register(bandung, beneficiary('Citra Lestari', '3273014203900003', '1990-03-02', 'P', '32.73'));
  dewi = await register(bandung, beneficiary('Dewi Anggraini', '3273016204910004', '1991-04-22', 'P', '32.73'));
  sri = await register(malang, beneficiary('Sri Wahyuni', '3573014506880001', '1988-06-05', 'P', '35.73'));
});
afterAll(async () => {
  await sys?.close();
});

describe('recording a distribution', () => {
  it('writes one benefit per record in one go, audited once, and the eligible list then excludes them with the reason', async () => {
    const res = await batch(bandung, distribution([andi, budi]));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ recorded: 2, replayed: 0 });
    expect(body.items.map((i: { recordId: number; replayed: boolean }) => [i.recordId, i.replayed])).toEqual([
      [andi, false],
      [budi, false],
    ]);
    const rows = await benefitsOf([andi, budi]);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.partner_id === partner.id && r.idempotency_key?.startsWith('distribusi-nov-0001#'))).toBe(true);
    expect(await batchAudits()).toBe(1);

    const list = await bandung.request('POST', '/api/beneficiaries/distributions/eligible', {
      programme: 'RESCUE-PANGAN',
      aidKind: 'food_package',
      period: NOV,
      candidates: { recordIds: [andi, budi, citra] },
    });
    expect(list.json()).toMatchObject({ included: 1, excluded: 2 });
    expect(list.json().items[0].reasons[0]).toMatchObject({ code: 'already_received', programme: { code: 'RESCUE-PANGAN' }, partner: { id: partner.id } });

    // The person's ledger shows it.
    const personId = body.items[0].personId;
    const ledger = (await bandung.request('GET', `/api/beneficiaries/persons/${personId}/benefits`)).json();
    expect(ledger.items).toEqual([expect.objectContaining({ recordId: andi, aidKind: 'food_package', partner: { id: partner.id, name: partner.name } })]);
  });

  it('a retry or a double click with the same key writes nothing again', async () => {
    const [a, b] = await Promise.all([batch(bandung, distribution([andi, budi])), batch(bandung, distribution([andi, budi]))]);
    for (const res of [a, b]) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ recorded: 0, replayed: 2 });
    }
    expect(await benefitsOf([andi, budi])).toHaveLength(2);
    expect(await batchAudits()).toBe(1);
  });

  it('refuses the same key for other content, and writes nothing of it', async () => {
    const more = await batch(bandung, distribution([andi, budi, citra]));
    expect(more.statusCode).toBe(409);
    expect(more.json().errors[0]).toMatchObject({ code: 'idempotency_key_reused' });
    const otherQuantity = await batch(bandung, distribution([andi, budi], { quantity: 2 }));
    expect(otherQuantity.statusCode).toBe(409);
    expect(await benefitsOf([citra])).toHaveLength(0);
  });

  it('with a new key, a record already given this benefit with the same content is replayed, the others written', async () => {
    const res = await batch(bandung, distribution([budi, citra], { idempotencyKey: 'distribusi-nov-0002' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ recorded: 1, replayed: 1 });
    expect(res.json().items.find((i: { recordId: number }) => i.recordId === budi).replayed).toBe(true);
  });

  it('is all or none: a record with this benefit under other content refuses the whole batch', async () => {
    const res = await batch(bandung, distribution([dewi, andi], { idempotencyKey: 'distribusi-nov-0003', partnerId: null }));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'benefit_conflict', recordIds: [andi] });
    expect(await benefitsOf([dewi])).toHaveLength(0);
  });

  it('checks records, programme, kind and period', async () => {
    const unknown = await batch(bandung, distribution([dewi, 999_999], { idempotencyKey: 'distribusi-nov-0004' }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ path: 'recordIds.1', code: 'unknown_record' })]);
    const wrongKind = await batch(bandung, distribution([dewi], { idempotencyKey: 'distribusi-nov-0005', aidKind: 'apd' }));
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.json().errors[0].code).toBe('programme_lacks_aid_kind');
    const twice = await batch(bandung, distribution([dewi, dewi], { idempotencyKey: 'distribusi-nov-0006' }));
    expect(twice.statusCode).toBe(400);
    expect(await benefitsOf([dewi])).toHaveLength(0);
  });
});

describe('scope', () => {
  it('a Bandung coordinator cannot record on a Malang record; nothing of the batch is written', async () => {
    const res = await batch(bandung, distribution([dewi, sri], { idempotencyKey: 'distribusi-nov-0007' }));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('out_of_scope');
    expect(await benefitsOf([dewi, sri])).toHaveLength(0);
  });

  it('another caller’s key is theirs: the same key from Malang is a new batch', async () => {
    const res = await batch(malang, distribution([sri]));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ recorded: 1 });
  });

  it('a member records nothing', async () => {
    expect((await batch(member, distribution([dewi], { idempotencyKey: 'distribusi-nov-0008' }))).statusCode).toBe(403);
  });
});

describe('OpenAPI', () => {
  it('documents the batch endpoint with its body', async () => {
    const doc = (await sys.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const op = doc.paths['/api/beneficiaries/benefits/batch']?.post;
    expect(op).toBeDefined();
    expect(JSON.stringify(op.requestBody)).toContain('NewBenefitBatchInput');
    expect(doc.components.schemas.NewBenefitBatchInput.required).toEqual(expect.arrayContaining(['idempotencyKey', 'recordIds']));
  });
});
