import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { grants, login, makeUser, type Client } from '../../../../test/factories.ts';

// 32.73.01 is Sukasari, Kota Bandung. Born 12 May 1990; women have 40 added to the day.
const NIK_SITI = '3273015205900002';
const KK_SITI = '3273012003150007';

let sys: TestSystem;
let coordinator: Client;
let admin: Client;

beforeAll(async () => {
  sys = await createTestSystem();
  coordinator = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  admin = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
});
afterAll(async () => {
  await sys?.close();
});

let externalCounter = 0;
const beneficiary = (over: Record<string, unknown> = {}) => ({
  source: { kind: 'programme', ref: 'RESCUE-PANGAN-2026', externalId: `row-${++externalCounter}` },
  fullName: 'Siti Rahmawati',
  nik: NIK_SITI,
  kk: KK_SITI,
  birthDate: '1990-05-12',
  sex: 'P',
  regencyCode: '32.73',
  districtCode: '32.73.01',
  address: 'Jl. Merdeka No. 12 RT 03/RW 05',
  phone: '0812-3456-7890',
  consent: { purpose: 'programmes', version: 1, given: true },
  ...over,
});

const register = (client: Client, body: Record<string, unknown>, headers?: Record<string, string>) =>
  client.request('POST', '/api/beneficiaries', body, headers);

async function auditRows(action: string, entityId?: number) {
  let q = sys.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action);
  if (entityId !== undefined) q = q.where('entity_id', '=', String(entityId));
  return q.orderBy('id').execute();
}

describe('NIK and KK validation', () => {
  it('refuses a malformed NIK and KK, an unknown province and an impossible date, listing every problem', async () => {
    const res = await register(coordinator, beneficiary({ nik: '32730152059', kk: '9973013102150007' }));
    expect(res.statusCode, res.body).toBe(400);
    const errors = res.json().errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`);
    expect(errors).toEqual(['nik:nik_format', 'kk:kk_province', 'kk:kk_issue_date']);
  });

  it('refuses a NIK with an impossible birth date or a 0000 serial', async () => {
    const res = await register(coordinator, beneficiary({ nik: '3273017102900000' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { code: string }) => e.code)).toEqual(['nik_birth_date', 'nik_serial']);
  });

  it('saves with warnings when the NIK disagrees with the declared sex and birth date, or its district is unknown', async () => {
    const res = await register(
      coordinator,
      beneficiary({ fullName: 'Rahmat Hidayat', nik: '3273995205900009', kk: null, sex: 'L', birthDate: '1990-12-05', phone: null }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const warnings = res.json().warnings;
    expect(warnings.map((w: { path: string; code: string }) => `${w.path}:${w.code}`)).toEqual([
      'nik:nik_district_unknown',
      'sex:nik_gender_mismatch',
      'birthDate:nik_birth_date_mismatch',
    ]);
    expect(warnings[1].message).toContain('P');
  });

  it('accepts spaces and dots inside identifiers, and warns about a 0000 KK serial', async () => {
    const res = await register(
      coordinator,
      beneficiary({ fullName: 'Dewi Lestari', nik: '3273 0141 0895 0003', kk: '3273.0120.0315.0000', sex: 'P', birthDate: '1995-08-01', phone: null }),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().warnings.map((w: { code: string }) => w.code)).toEqual(['kk_serial_zero']);
    const row = await sys.ctx.db.selectFrom('beneficiary_records').selectAll().where('id', '=', res.json().record.id).executeTakeFirstOrThrow();
    expect(row.nik).toBe('3273014108950003');
    expect(row.kk).toBe('3273012003150000');
  });

  it('needs a known consent purpose in its current version, a real region and a valid phone', async () => {
    const res = await register(
      coordinator,
      beneficiary({ consent: { purpose: 'programmes', version: 9, given: true }, districtCode: '35.73.01', phone: '12345678' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`).sort()).toEqual([
      'consent.version:consent_version_outdated',
      'districtCode:district_not_in_regency',
      'phone:phone_format',
    ]);
    const refused = await register(coordinator, beneficiary({ consent: { purpose: 'programmes', version: 1, given: false } }));
    expect(refused.statusCode).toBe(400);
    const unknown = await register(coordinator, beneficiary({ consent: { purpose: 'marketing', version: 1, given: true, givenAt: '2999-01-01T00:00:00Z' } }));
    expect(unknown.json().errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`).sort()).toEqual([
      'consent.givenAt:date_future',
      'consent.purpose:unknown_consent_purpose',
    ]);
  });
});

describe('registration outcomes', () => {
  let siti: { personId: number; recordId: number };

  it('a first registration makes a new person, with NIK, KK, phone and address masked', async () => {
    const res = await register(coordinator, beneficiary());
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ outcome: 'new', probability: null, queuedCandidates: 0, replayed: false, warnings: [] });
    expect(body.record).toMatchObject({
      fullName: 'Siti Rahmawati',
      nik: '3273********0002',
      kk: '3273********0007',
      phone: '+6281******890',
      address: '***',
      regency: { code: '32.73', name: 'Kota Bandung' },
      consent: { purpose: 'programmes', version: 1 },
    });
    expect(body.record.householdId).toEqual(expect.any(Number));
    siti = { personId: body.personId, recordId: body.record.id };
    const [entry] = await auditRows('beneficiary.register', siti.recordId);
    expect(entry.after).toMatchObject({ nik: '3273********0002', kk: '3273********0007', address: '[masked]', birth_date: '[masked]', outcome: 'new' });
    expect(JSON.stringify(entry.after)).not.toContain(NIK_SITI);
  });

  it('a typo’d name with the same NIK, from another programme, joins the same person automatically (audited)', async () => {
    const res = await register(
      coordinator,
      beneficiary({ source: { kind: 'partner', ref: '17', externalId: 'baznas-991' }, fullName: 'SITI RACHMAWATY', kk: null, phone: null, address: null }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.outcome).toBe('linked');
    expect(body.personId).toBe(siti.personId);
    expect(body.probability).toBeGreaterThanOrEqual(0.99);
    const [link] = await auditRows('beneficiary.auto_link', siti.personId);
    expect(link.after).toMatchObject({ record_id: body.record.id, matched_record_id: siti.recordId, threshold: 0.99 });
  });

  it('the same name and birth date with another NIK is a new person, queued for review', async () => {
    const res = await register(coordinator, beneficiary({ nik: '3273025205900123', kk: null, phone: null, address: null }));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.outcome).toBe('queued');
    expect(body.personId).not.toBe(siti.personId);
    expect(body.probability).toBeGreaterThanOrEqual(0.5);
    expect(body.probability).toBeLessThan(0.99);
    expect(body.queuedCandidates).toBeGreaterThanOrEqual(1);
    const pair = await sys.ctx.db
      .selectFrom('duplicate_candidates')
      .selectAll()
      .where('record_a', '=', siti.recordId)
      .where('record_b', '=', body.record.id)
      .executeTakeFirstOrThrow();
    expect(pair.status).toBe('pending');
    expect((await auditRows('beneficiary.duplicate_queued', pair.id)).length).toBe(1);
  });

  it('a different person is new, even in the same household', async () => {
    const res = await register(
      coordinator,
      beneficiary({ fullName: 'Budi Santoso', nik: '3273011003850001', sex: 'L', birthDate: '1985-03-10' }),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ outcome: 'new', queuedCandidates: 0 });
    expect(res.json().personId).not.toBe(siti.personId);
    const household = await sys.ctx.db.selectFrom('beneficiary_records').select('household_id').where('id', '=', siti.recordId).executeTakeFirstOrThrow();
    expect(res.json().record.householdId).toBe(household.household_id);
  });

  it('a person id resolves to all of its records', async () => {
    const res = await coordinator.request('GET', `/api/beneficiaries/persons/${siti.personId}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().records.map((r: { fullName: string }) => r.fullName)).toEqual(['Siti Rahmawati', 'SITI RACHMAWATY']);
    expect(res.json().hiddenRecords).toBe(0);
  });
});

describe('idempotent registration', () => {
  it('a retry with the same Idempotency-Key returns the first answer and writes nothing', async () => {
    const body = beneficiary({ fullName: 'Agus Setiawan', nik: '3273010107800001', kk: null, sex: 'L', birthDate: '1980-07-01', source: { kind: 'programme', ref: 'RESCUE-APD' } });
    const headers = { 'idempotency-key': 'c0ffee00-0000-4000-8000-000000000001' };
    const first = await register(coordinator, body, headers);
    expect(first.statusCode, first.body).toBe(201);
    const count = async () => Number((await sys.ctx.db.selectFrom('beneficiary_records').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const again = await register(coordinator, body, headers);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ replayed: true, personId: first.json().personId, outcome: 'new', record: { id: first.json().record.id } });
    expect(await count()).toBe(before);
    const changed = await register(coordinator, { ...body, fullName: 'Agus Setiawan Putra' }, headers);
    expect(changed.statusCode).toBe(409);
    expect(changed.json().errors[0].code).toBe('idempotency_key_reused');
  });

  it('two copies of a first request sent at the same moment make one record', async () => {
    const body = beneficiary({ fullName: 'Wayan Sudarma', nik: null, kk: null, sex: 'L', birthDate: '1977-02-02', phone: null, address: null });
    const headers = { 'idempotency-key': 'c0ffee00-0000-4000-8000-000000000002' };
    const results = await Promise.all([register(coordinator, body, headers), register(coordinator, body, headers)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(results[0].json().record.id).toBe(results[1].json().record.id);
    const rows = await sys.ctx.db.selectFrom('beneficiary_records').select('id').where('full_name', '=', 'Wayan Sudarma').execute();
    expect(rows).toHaveLength(1);
  });

  it('the same source record sent twice (same kind, ref and external id) is one record', async () => {
    const body = beneficiary({ fullName: 'Made Wirawan', nik: '3273011111800002', kk: null, sex: 'L', birthDate: '1980-11-11', source: { kind: 'import', ref: 'batch-7', externalId: 'baris-12' } });
    const first = await register(coordinator, body);
    const concurrent = await Promise.all([register(coordinator, body), register(admin, body)]);
    expect(first.statusCode).toBe(201);
    for (const res of concurrent) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().record.id).toBe(first.json().record.id);
    }
    const rows = await sys.ctx.db.selectFrom('beneficiary_records').select('id').where('external_id', '=', 'baris-12').execute();
    expect(rows).toHaveLength(1);
    const different = await register(coordinator, { ...body, birthDate: '1980-11-12' });
    expect(different.statusCode).toBe(409);
    expect(different.json().errors[0].code).toBe('source_record_reused');
  });
});

describe('linkage settings', () => {
  it('the automatic link threshold is configurable by national admins only, and audited', async () => {
    expect((await coordinator.request('PATCH', '/api/beneficiaries/settings', { autoLinkProbability: 1, reviewProbability: 0.5 })).statusCode).toBe(403);
    const put = await admin.request('PATCH', '/api/beneficiaries/settings', { autoLinkProbability: 1, reviewProbability: 0.5 });
    expect(put.statusCode, put.body).toBe(200);
    expect((await auditRows('beneficiary.settings')).length).toBe(1);
    // With a threshold no probability reaches, even the same NIK goes to review.
    const res = await register(coordinator, beneficiary({ fullName: 'Siti Rahmawatie', kk: null, phone: null, address: null }));
    expect(res.json().outcome).toBe('queued');
    const get = await coordinator.request('GET', '/api/beneficiaries/settings');
    expect(get.json()).toEqual({ autoLinkProbability: 1, reviewProbability: 0.5 });
    const bad = await admin.request('PATCH', '/api/beneficiaries/settings', { autoLinkProbability: 0.6, reviewProbability: 0.9 });
    expect(bad.statusCode).toBe(400);
    await admin.request('PATCH', '/api/beneficiaries/settings', { autoLinkProbability: 0.99 });
    const above = await admin.request('PATCH', '/api/beneficiaries/settings', { reviewProbability: 0.995 });
    expect(above.statusCode).toBe(400);
    expect(above.json().errors[0].code).toBe('review_above_auto_link');
    expect((await coordinator.request('GET', '/api/beneficiaries/settings')).json()).toEqual({ autoLinkProbability: 0.99, reviewProbability: 0.5 });
  });
});

describe('OpenAPI', () => {
  it('documents the beneficiary endpoints', async () => {
    const doc = (await sys.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/beneficiaries',
        '/api/beneficiaries/persons/{id}',
        '/api/beneficiaries/records',
        '/api/beneficiaries/duplicates',
        '/api/beneficiaries/duplicates/{id}/decision',
        '/api/beneficiaries/merges/{id}/undo',
      ]),
    );
    expect(doc.paths['/api/beneficiaries'].post.parameters.map((p: { name: string }) => p.name)).toContain('idempotency-key');
  });
});
