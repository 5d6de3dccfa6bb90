import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { anonymous, grants, login, makeChapter, makePartner, makeUser, type Client } from '../../../../test/factories.ts';

let sys: TestSystem;
let national: Client;
let bandung: Client;
let jabar: Client;

beforeAll(async () => {
  sys = await createTestSystem();
  national = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  jabar = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.provinceCoordinator('32')] }));
});
afterAll(async () => {
  await sys?.close();
});

describe('chapters', () => {
  it('opens one chapter per regency, named after it by default', async () => {
    const res = await bandung.request('POST', '/api/chapters', { regencyCode: '32.73', contactPhone: '0812 1111 2222', joinedOn: '2015-10-01' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'ICCN Kota Bandung',
      regency: { code: '32.73', name: 'Kota Bandung' },
      provinceCode: '32',
      status: 'active',
      joinedOn: '2015-10-01',
      contactPhone: '+6281211112222',
    });
    const again = await jabar.request('POST', '/api/chapters', { regencyCode: '32.73' });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0]).toMatchObject({ code: 'chapter_exists', message: 'Kabupaten/kota 32.73 sudah memiliki chapter.' });
    const district = await national.request('POST', '/api/chapters', { regencyCode: '32.73.01' });
    expect(district.json().errors[0].code).toBe('regency_required');
  });

  it('is public without contacts; contacts only for callers whose scope covers it', async () => {
    const c = await makeChapter(sys.ctx, { regencyCode: '35.73', contactEmail: 'malang@contoh.id' });
    const pub = await anonymous(sys.app).request('GET', `/api/chapters/${c.id}`);
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).toMatchObject({ regency: { code: '35.73' }, contactEmail: null, contactPhone: null });
    expect((await bandung.request('GET', `/api/chapters/${c.id}`)).json().contactEmail).toBe(null);
    expect((await national.request('GET', `/api/chapters/${c.id}`)).json().contactEmail).toBe('malang@contoh.id');
    const list = await anonymous(sys.app).request('GET', '/api/chapters?regionCode=35');
    expect(list.json().items.map((i: { regency: { code: string } }) => i.regency.code)).toEqual(['35.73']);
    expect(list.body).not.toContain('malang@contoh.id');
  });

  it('names its regional coordinators, to those who may see its contacts only', async () => {
    await makeUser(sys.ctx, { name: 'Wulan Koordinator Malang', grants: [grants.regencyCoordinator('35.73')] });
    await makeUser(sys.ctx, { name: 'Bukan Koordinator', grants: [grants.member('35.73')] });
    const c = (await national.request('GET', '/api/chapters?regionCode=35.73')).json().items[0];
    expect(c.coordinators.map((x: { name: string }) => x.name)).toEqual(['Wulan Koordinator Malang']);
    const pub = (await anonymous(sys.app).request('GET', `/api/chapters/${c.id}`)).json();
    expect(pub.coordinators).toEqual([]);
    expect((await bandung.request('GET', `/api/chapters/${c.id}`)).json().coordinators).toEqual([]);
  });

  it('changes a chapter and audits it', async () => {
    const c = await makeChapter(sys.ctx, { regencyCode: '32.04' });
    const res = await jabar.request('PATCH', `/api/chapters/${c.id}`, { status: 'inactive', name: 'ICCN Kabupaten Bandung' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'inactive', name: 'ICCN Kabupaten Bandung' });
    const entry = await sys.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'chapter.update').where('entity_id', '=', String(c.id)).executeTakeFirstOrThrow();
    expect(entry.before).toMatchObject({ status: 'active' });
    expect(entry.after).toMatchObject({ status: 'inactive' });
    expect((await bandung.request('PATCH', `/api/chapters/${c.id}`, { status: 'active' })).json().code).toBe('out_of_scope');
  });
});

describe('partners and agreements', () => {
  it('creates a partner with agreements and shows which are valid today', async () => {
    const res = await jabar.request('POST', '/api/partners', {
      name: 'Dinas Pariwisata dan Kebudayaan Jawa Barat',
      type: 'government',
      regionCode: '32',
      website: 'https://disparbud.jabarprov.go.id',
      contactPhone: '022-4204000',
      agreements: [
        { title: 'Nota kesepahaman 2020', scopeCode: '32', validFrom: '2020-01-01', validUntil: '2021-12-31' },
        { title: 'Perjanjian berbagi data', scopeCode: '32.73', validFrom: '2024-01-01', allowsPersonalData: true },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ type: 'government', region: { code: '32', name: 'Jawa Barat' }, contactPhone: '+6222****000' });
    const agreements = res.json().agreements;
    expect(agreements).toEqual([
      expect.objectContaining({ scopeType: 'regency', scopeCode: '32.73', allowsPersonalData: true, active: true, validUntil: null }),
      expect.objectContaining({ scopeType: 'province', scopeCode: '32', active: false }),
    ]);
  });

  it('validates the region, the agreement scope and the dates', async () => {
    const res = await national.request('POST', '/api/partners', {
      name: 'Universitas Contoh',
      type: 'academia',
      regionCode: '32.73.01',
      agreements: [{ title: 'MoU', scopeCode: '99', validFrom: '2024-01-01', validUntil: '2023-01-01' }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`).sort()).toEqual([
      'agreements.0.scopeCode:unknown_region',
      'agreements.0.validUntil:valid_until_before_from',
      'regionCode:province_or_regency_required',
    ]);
    expect((await national.request('POST', '/api/partners', { name: 'X Corp', type: 'bank', regionCode: null })).statusCode).toBe(400);
  });

  it('only national admins keep national partners and national agreements', async () => {
    expect((await jabar.request('POST', '/api/partners', { name: 'Media Nasional', type: 'media', regionCode: null })).statusCode).toBe(403);
    const p = await makePartner(sys.ctx, { regionCode: '32.73' });
    const wide = await bandung.request('POST', `/api/partners/${p.id}/agreements`, { title: 'MoU nasional', scopeCode: null, validFrom: '2024-01-01' });
    expect(wide.json().code).toBe('out_of_scope');
    const ok = await bandung.request('POST', `/api/partners/${p.id}/agreements`, { title: 'MoU kota', scopeCode: '32.73', validFrom: '2024-01-01' });
    expect(ok.statusCode, ok.body).toBe(201);
    const national2 = await national.request('POST', '/api/partners', { name: 'Media Nasional', type: 'media', regionCode: null });
    expect(national2.statusCode).toBe(201);
    // National partners are visible to every coordinator.
    expect((await bandung.request('GET', `/api/partners/${national2.json().id}`)).statusCode).toBe(200);
  });

  it('an agreement that opens personal data needs the granter’s own right to see it there', async () => {
    const p = await makePartner(sys.ctx, { regionCode: '32.73', agreements: [{ title: 'MoU', scopeCode: '32.73' }] });
    const agreementId = (await bandung.request('GET', `/api/partners/${p.id}`)).json().agreements[0].id;
    const res = await bandung.request('PATCH', `/api/partners/${p.id}/agreements/${agreementId}`, { allowsPersonalData: true, validUntil: '2030-12-31' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().agreements[0]).toMatchObject({ allowsPersonalData: true, validUntil: '2030-12-31' });
    const entry = await sys.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'partner.agreement.update').executeTakeFirstOrThrow();
    expect(entry.before).toMatchObject({ allows_personal_data: false });
    expect(entry.after).toMatchObject({ allows_personal_data: true });
    // Widening it beyond the coordinator's regency is refused.
    expect((await bandung.request('PATCH', `/api/partners/${p.id}/agreements/${agreementId}`, { scopeCode: '32' })).statusCode).toBe(403);
  });

  it('lists partners with filters', async () => {
    await makePartner(sys.ctx, { name: 'Koperasi Kriya Malang', type: 'business', regionCode: '35.73' });
    const res = await national.request('GET', '/api/partners?type=business&q=kriya');
    expect(res.json().items.map((p: { name: string }) => p.name)).toEqual(['Koperasi Kriya Malang']);
    const scoped = await bandung.request('GET', '/api/partners?q=kriya');
    expect(scoped.json()).toEqual({ items: [], total: 0 });
  });

  it('masks the contact phone in lists and details; only those who may reveal there see it in clear, logged', async () => {
    const p = await makePartner(sys.ctx, { name: 'Dinas Kontak Jabar', regionCode: '32' });
    await sys.ctx.db.updateTable('partners').set({ contact_phone: '+6281299998888' }).where('id', '=', p.id).execute();
    // A regency coordinator of 32.73 sees a provincial partner of 32, but may not reveal personal data over all of 32.
    const one = await bandung.request('GET', `/api/partners/${p.id}`);
    expect(one.json().contactPhone).toBe('+6281******888');
    const list = await bandung.request('GET', '/api/partners?q=kontak');
    expect(list.json().items.map((i: { contactPhone: string }) => i.contactPhone)).toEqual(['+6281******888']);
    expect(JSON.stringify(list.json())).not.toContain('+6281299998888');
    const refused = await bandung.request('POST', `/api/partners/${p.id}/reveal`, { field: 'contactPhone', reason: 'Menghubungi dinas' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain('+6281299998888');

    const shown = await jabar.request('POST', `/api/partners/${p.id}/reveal`, { field: 'contactPhone', reason: 'Menghubungi dinas' });
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toEqual({ field: 'contactPhone', value: '+6281299998888' });
    const log = await sys.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'partner.reveal').where('entity_id', '=', String(p.id)).execute();
    expect(log.map((l) => l.reason)).toEqual(['Menghubungi dinas']);
  });
});
