import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { communityAdminGrant, grants, login, makeCommunity, makeMember, makeUser, type Client } from '../../../../test/factories.ts';

let sys: TestSystem;
let coordinator: Client;

beforeAll(async () => {
  sys = await createTestSystem();
  coordinator = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
});
afterAll(async () => {
  await sys?.close();
});

const auditOf = (id: number, action: string) =>
  sys.ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', 'community')
    .where('entity_id', '=', String(id))
    .where('action', '=', action)
    .execute();

describe('communities', () => {
  it('creates a community with subsectors, contacts, social links, legal status and founding year', async () => {
    const res = await coordinator.request('POST', '/api/communities', {
      name: 'Bandung Photography Club',
      regencyCode: '32.73',
      districtCode: '32.73.01',
      description: 'Komunitas fotografer Bandung',
      contactName: 'Dewi',
      contactPhone: '0811-2233-4455',
      contactEmail: 'halo@bpc.contoh.id',
      socialLinks: [{ kind: 'instagram', url: 'https://instagram.com/bpc' }],
      legalStatus: 'perkumpulan',
      foundingYear: 2012,
      subsectors: ['fotografi'],
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      name: 'Bandung Photography Club',
      regency: { code: '32.73', name: 'Kota Bandung' },
      district: { code: '32.73.01' },
      contactPhone: '+6281122334455',
      socialLinks: [{ kind: 'instagram', url: 'https://instagram.com/bpc' }],
      legalStatus: 'perkumpulan',
      foundingYear: 2012,
      subsectors: ['fotografi'],
      status: 'active',
      memberCount: 0,
    });
    const [entry] = await auditOf(c.id, 'community.create');
    expect(entry.after).toMatchObject({ name: 'Bandung Photography Club', phone: '+6281*******55' });

    const got = await coordinator.request('GET', `/api/communities/${c.id}`);
    expect(got.json()).toEqual(c);
  });

  it('validates region, district, subsectors, links and year', async () => {
    const res = await coordinator.request('POST', '/api/communities', {
      name: 'Komunitas Salah',
      regencyCode: '32.73',
      districtCode: '32.04.05',
      subsectors: ['tidak-ada'],
      contactPhone: '1234567',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { code: string }) => e.code).sort()).toEqual(['district_not_in_regency', 'phone_format', 'unknown_subsector']);
    const schema = await coordinator.request('POST', '/api/communities', {
      name: 'K',
      regencyCode: '32.73',
      foundingYear: 1800,
      socialLinks: [{ kind: 'instagram', url: 'ftp://x' }],
    });
    expect(schema.statusCode).toBe(400);
    expect(schema.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.foundingYear', 'body.name', 'body.socialLinks.0.url']);
    const province = await coordinator.request('POST', '/api/communities', { name: 'Komunitas Provinsi', regencyCode: '32' });
    expect(province.statusCode).toBe(403); // a province code is outside a regency coordinator's scope
    const national = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
    const notRegency = await national.request('POST', '/api/communities', { name: 'Komunitas Provinsi', regencyCode: '32' });
    expect(notRegency.json().errors[0]).toMatchObject({ path: 'regencyCode', code: 'regency_required' });
  });

  it('updates a community and counts only active members', async () => {
    const c = await makeCommunity(sys.ctx, { subsectors: ['musik'] });
    await makeMember(sys.ctx, { communities: [{ communityId: c.id }] });
    await makeMember(sys.ctx, { status: 'pending', communities: [{ communityId: c.id }] });
    const res = await coordinator.request('PATCH', `/api/communities/${c.id}`, { name: 'Komunitas Musik Bandung', subsectors: ['musik', 'seni-pertunjukan'], foundingYear: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Komunitas Musik Bandung', subsectors: ['musik', 'seni-pertunjukan'], memberCount: 1 });
    const row = await sys.ctx.db.selectFrom('communities').select('search_name').where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.search_name).toBe('komunitas musik bandung');
    const [entry] = await auditOf(c.id, 'community.update');
    expect(entry.before).toMatchObject({ subsectors: ['musik'] });
  });

  it('lets its own admin edit the profile, but not deactivate, move or approve it', async () => {
    const c = await makeCommunity(sys.ctx);
    const admin = await login(sys.app, await makeUser(sys.ctx, { grants: [communityAdminGrant(c.id)] }));
    expect((await admin.request('PATCH', `/api/communities/${c.id}`, { description: 'Profil baru' })).statusCode).toBe(200);
    expect((await admin.request('PATCH', `/api/communities/${c.id}`, { status: 'inactive' })).statusCode).toBe(403);
    expect((await admin.request('PATCH', `/api/communities/${c.id}`, { regencyCode: '32.04' })).statusCode).toBe(403);
    expect((await admin.request('POST', '/api/communities', { name: 'Komunitas Baru', regencyCode: '32.73' })).statusCode).toBe(403);
    expect((await coordinator.request('PATCH', `/api/communities/${c.id}`, { status: 'inactive' })).json().status).toBe('inactive');
  });

  it('approves or rejects a pending community once; a pending one is not simply switched on', async () => {
    const c = await makeCommunity(sys.ctx, { status: 'pending' });
    const patch = await coordinator.request('PATCH', `/api/communities/${c.id}`, { status: 'active' });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().errors[0].code).toBe('decision_pending');
    const res = await coordinator.request('POST', `/api/communities/${c.id}/decision`, { decision: 'reject', note: 'Duplikat' });
    expect(res.json().status).toBe('rejected');
    expect((await coordinator.request('POST', `/api/communities/${c.id}/decision`, { decision: 'approve' })).statusCode).toBe(409);
    expect((await auditOf(c.id, 'community.reject'))[0].reason).toBe('Duplikat');
  });
});
