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
      contactPhone: '+6281******455',
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

  it('revokes its admins’ grants, audited, when a community is deactivated or rejected; reactivating restores none', async () => {
    const grantsOn = (id: number) =>
      sys.ctx.db.selectFrom('role_assignments').select('user_id').where('scope_type', '=', 'community').where('scope_code', '=', String(id)).execute();
    const revocations = (userId: number) =>
      sys.ctx.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'user').where('entity_id', '=', String(userId)).where('action', '=', 'role.revoke').execute();

    const active = await makeCommunity(sys.ctx);
    const adminUser = await makeUser(sys.ctx, { grants: [communityAdminGrant(active.id)] });
    const admin = await login(sys.app, adminUser);
    expect((await admin.request('PATCH', `/api/communities/${active.id}`, { description: 'Masih admin' })).statusCode).toBe(200);
    expect((await coordinator.request('PATCH', `/api/communities/${active.id}`, { status: 'inactive' })).statusCode).toBe(200);
    expect(await grantsOn(active.id)).toEqual([]);
    const [entry] = await revocations(adminUser.id);
    expect(entry).toMatchObject({ before: { role: 'community_admin', scope_type: 'community', scope_code: String(active.id) }, reason: `community ${active.id} deactivated` });
    expect((await admin.request('PATCH', `/api/communities/${active.id}`, { description: 'Sudah bukan admin' })).statusCode).toBe(403);
    expect((await coordinator.request('PATCH', `/api/communities/${active.id}`, { status: 'active' })).statusCode).toBe(200);
    expect(await grantsOn(active.id)).toEqual([]);
    expect((await admin.request('GET', `/api/communities/${active.id}`)).statusCode).toBe(403);

    const pending = await makeCommunity(sys.ctx, { status: 'pending' });
    const leader = await makeUser(sys.ctx, { grants: [communityAdminGrant(pending.id)] });
    expect((await coordinator.request('POST', `/api/communities/${pending.id}/decision`, { decision: 'reject' })).statusCode).toBe(200);
    expect(await grantsOn(pending.id)).toEqual([]);
    expect(await revocations(leader.id)).toHaveLength(1);
  });

  it('does not grant community admin on a deactivated community', async () => {
    const c = await makeCommunity(sys.ctx, { status: 'inactive' });
    const target = await makeUser(sys.ctx);
    const res = await coordinator.request('POST', `/api/users/${target.id}/grants`, communityAdminGrant(c.id));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].code).toBe('unknown_community');
  });

  it('masks the contact phone for everyone; its own admin (read, no reveal) cannot reveal it, a coordinator can, logged', async () => {
    const c = await makeCommunity(sys.ctx, { name: 'Komunitas Kontak' });
    await sys.ctx.db.updateTable('communities').set({ contact_phone: '+6281377776666', contact_name: 'Rina' }).where('id', '=', c.id).execute();
    const admin = await login(sys.app, await makeUser(sys.ctx, { grants: [communityAdminGrant(c.id)] }));
    const own = await admin.request('GET', `/api/communities/${c.id}`);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ contactName: 'Rina', contactPhone: '+6281******666' });
    const edited = await admin.request('PATCH', `/api/communities/${c.id}`, { description: 'Profil' });
    expect(edited.body).not.toContain('+6281377776666');
    const refused = await admin.request('POST', `/api/communities/${c.id}/reveal`, { field: 'contactPhone', reason: 'Ingin menelepon' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain('+6281377776666');

    expect((await coordinator.request('GET', `/api/communities/${c.id}`)).json().contactPhone).toBe('+6281******666');
    const shown = await coordinator.request('POST', `/api/communities/${c.id}/reveal`, { field: 'contactPhone', reason: 'Undangan rapat' });
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toEqual({ field: 'contactPhone', value: '+6281377776666' });
    expect((await auditOf(c.id, 'community.reveal')).map((e) => e.reason)).toEqual(['Undangan rapat']);
  });
});
