import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { anonymous, communityAdminGrant, grants, login, makeCommunity, makeMember, makeUser, type Client } from '../../../../test/factories.ts';

const NIK = '3273015205900002';

let sys: TestSystem;
let bandung: Client;
let malang: Client;

beforeAll(async () => {
  sys = await createTestSystem();
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  malang = await login(sys.app, await makeUser(sys.ctx, { regionCode: '35.73', grants: [grants.regencyCoordinator('35.73')] }));
});
afterAll(async () => {
  await sys?.close();
});

/** A member with a login (role member), some consents, a community link; and another member nearby. */
async function memberWithLogin() {
  const user = await makeUser(sys.ctx, { grants: [grants.member('32.73')] });
  const community = await makeCommunity(sys.ctx, { name: `Komunitas ${user.id}`, regencyCode: '32.73' });
  const me = await makeMember(sys.ctx, {
    fullName: 'Siti Rahmawati',
    nik: `${NIK.slice(0, 12)}${String((user.id % 9000) + 1).padStart(4, '0')}`,
    phone: '+6281234567890',
    email: 'siti@contoh.id',
    gender: 'P',
    birthDate: '1990-05-12',
    regencyCode: '32.73',
    districtCode: '32.73.01',
    userId: user.id,
    subsectors: ['fotografi'],
    communities: [{ communityId: community.id, role: 'leader' }],
  });
  await sys.ctx.db
    .insertInto('consents')
    .values([
      { subject_type: 'member', subject_id: me.id, purpose: 'registry', text_version: 1, granted: true, source: 'self_registration' },
      { subject_type: 'member', subject_id: me.id, purpose: 'contact', text_version: 1, granted: false, source: 'self_registration' },
    ])
    .execute();
  const other = await makeMember(sys.ctx, { fullName: 'Orang Lain Sekali', phone: '+6289999999999', regencyCode: '32.73' });
  const client = await login(sys.app, user);
  return { user, me, other, client };
}

describe('PATCH /api/members/me', () => {
  it('lets a member correct their own record, validated and audited', async () => {
    const { me, client } = await memberWithLogin();
    const res = await client.request('PATCH', '/api/members/me', {
      fullName: 'Siti Rahmawati Putri',
      phone: '0812 0000 1111',
      skills: ['Batik'],
      portfolioLinks: ['https://contoh.id/siti'],
      subsectors: ['kriya'],
      districtCode: '32.73.02',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().member).toMatchObject({ id: me.id, fullName: 'Siti Rahmawati Putri', skills: ['Batik'], subsectors: ['kriya'], district: { code: '32.73.02' } });
    expect(res.json().member.phone).toMatch(/^\+6281\*+111$/);
    const log = await sys.ctx.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'member').where('entity_id', '=', String(me.id)).execute();
    expect(log.map((l) => l.action)).toEqual(['member.update']);

    expect((await client.request('PATCH', '/api/members/me', { districtCode: '35.73.01' })).json().errors[0].code).toBe('district_not_in_regency');
    expect((await client.request('PATCH', '/api/members/me', { phone: 'bukan nomor' })).statusCode).toBe(400);
  });

  it('refuses what only a coordinator changes: regency, NIK, status, community links', async () => {
    const { client } = await memberWithLogin();
    for (const body of [{ regencyCode: '35.73' }, { nik: NIK }, { status: 'active' }, { communities: [] }, {}]) {
      const res = await client.request('PATCH', '/api/members/me', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
  });

  it('cannot touch anyone else', async () => {
    const { other, client } = await memberWithLogin();
    expect((await client.request('PATCH', `/api/members/${other.id}`, { fullName: 'Diubah' })).statusCode).toBe(403);
    expect((await client.request('GET', `/api/members/${other.id}`)).statusCode).toBe(403);
    expect((await client.request('POST', `/api/members/${other.id}/deletion`, { confirm: true })).statusCode).toBe(403);
    const row = await sys.ctx.db.selectFrom('members').select(['full_name', 'status']).where('id', '=', other.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ full_name: 'Orang Lain Sekali', status: 'active' });
    // A coordinator without a member record of their own has nothing to correct.
    expect((await bandung.request('PATCH', '/api/members/me', { fullName: 'Koordinator' })).statusCode).toBe(404);
    expect((await anonymous(sys.app).request('PATCH', '/api/members/me', { fullName: 'Siapa' })).statusCode).toBe(401);
  });
});

describe('GET /api/members/me/export', () => {
  it('downloads the member’s own data unmasked, with consents, never cached, as JSON', async () => {
    const { me, other, client, user } = await memberWithLogin();
    const res = await client.request('GET', '/api/members/me/export');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="simpul-data-saya-${me.id}.json"`);
    const data = JSON.parse(res.body);
    expect(data.member).toMatchObject({ id: me.id, fullName: 'Siti Rahmawati', phone: '+6281234567890', birthDate: '1990-05-12', nik: expect.stringMatching(/^\d{16}$/) });
    expect(data.member.communities).toHaveLength(1);
    expect(data.account.email).toBe(user.email);
    expect(data.consents.map((c: { purpose: string; granted: boolean }) => [c.purpose, c.granted])).toEqual([
      ['registry', true],
      ['contact', false],
    ]);
    expect(res.body).not.toContain(other.fullName);
    expect(res.body).not.toContain('6289999999999');
    const log = await sys.ctx.db.selectFrom('audit_log').select('action').where('entity_id', '=', String(me.id)).where('entity_type', '=', 'member').execute();
    expect(log.map((l) => l.action)).toContain('member.export_own');
  });

  it('as CSV, one fact per row, phone numbers intact', async () => {
    const { me, client } = await memberWithLogin();
    const res = await client.request('GET', '/api/members/me/export?format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="simpul-data-saya-${me.id}.csv"`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('field,value\r\n');
    expect(res.body).toContain('member.phone,+6281234567890\r\n');
    expect(res.body).toContain('member.fullName,Siti Rahmawati\r\n');
    expect(res.body).toMatch(/consents\.1,registry v1 granted /);
  });

  it('needs a login linked to a member', async () => {
    expect((await bandung.request('GET', '/api/members/me/export')).statusCode).toBe(404);
    expect((await anonymous(sys.app).request('GET', '/api/members/me/export')).statusCode).toBe(401);
  });
});

describe('deletion', () => {
  async function counts() {
    const res = await bandung.request('GET', '/api/registry/dashboard');
    return res.json().totals as { members: { active: number; pending: number } };
  }

  it('anonymises the member’s own record on request, keeps the aggregate fields, withdraws consents, closes the login', async () => {
    const { me, client, user } = await memberWithLogin();
    expect((await client.request('POST', '/api/members/me/deletion', {})).statusCode).toBe(400);
    expect((await client.request('POST', '/api/members/me/deletion', { confirm: false })).statusCode).toBe(400);
    const before = await counts();

    const res = await client.request('POST', '/api/members/me/deletion', { confirm: true, reason: 'Tidak aktif lagi' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ id: me.id, status: 'deleted', anonymisedAt: expect.any(String) });

    const row = await sys.ctx.db.selectFrom('members').selectAll().where('id', '=', me.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      full_name: `Anggota dihapus #${me.id}`,
      nik: null,
      phone: null,
      email: null,
      birth_date: null,
      skills: [],
      portfolio_links: [],
      status: 'deleted',
      user_id: null,
      regency_code: '32.73',
      district_code: '32.73.01',
      gender: 'P',
    });
    expect(row.anonymised_at).toBeInstanceOf(Date);
    const subsectors = await sys.ctx.db.selectFrom('member_subsectors').select('subsector_code').where('member_id', '=', me.id).execute();
    expect(subsectors).toEqual([{ subsector_code: 'fotografi' }]);
    expect(await sys.ctx.db.selectFrom('member_communities').selectAll().where('member_id', '=', me.id).execute()).toEqual([]);

    const consents = await sys.ctx.db.selectFrom('consents').select(['purpose', 'granted', 'source']).where('subject_type', '=', 'member').where('subject_id', '=', me.id).orderBy('id').execute();
    expect(consents).toEqual([
      { purpose: 'registry', granted: true, source: 'self_registration' },
      { purpose: 'contact', granted: false, source: 'self_registration' },
      { purpose: 'registry', granted: false, source: 'member_request' },
    ]);

    const account = await sys.ctx.db.selectFrom('users').select(['email', 'name', 'status']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(account).toEqual({ email: `deleted-${user.id}@deleted.invalid`, name: 'Pengguna dihapus', status: 'disabled' });
    expect((await client.request('GET', '/api/members/me')).statusCode).toBe(401);

    const log = await sys.ctx.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'member').where('entity_id', '=', String(me.id)).where('action', '=', 'member.delete').execute();
    expect(log).toHaveLength(1);
    expect(log[0].reason).toBe('Tidak aktif lagi');
    expect(JSON.stringify(log)).not.toMatch(/Siti|6281234567890|1990-05-12/);

    // The person left the network: one member fewer, nothing else changes.
    expect((await counts()).members).toEqual({ active: before.members.active - 1, pending: before.members.pending });
  });

  it('lets a coordinator of the member’s region carry out a request received offline, once', async () => {
    const { me } = await memberWithLogin();
    const community = await makeCommunity(sys.ctx, { name: 'Komunitas Lain', regencyCode: '32.73' });
    const leader = await login(sys.app, await makeUser(sys.ctx, { grants: [communityAdminGrant(community.id)] }));
    expect((await malang.request('POST', `/api/members/${me.id}/deletion`, { confirm: true })).statusCode).toBe(403);
    expect((await leader.request('POST', `/api/members/${me.id}/deletion`, { confirm: true })).statusCode).toBe(403);
    expect((await bandung.request('POST', '/api/members/999999/deletion', { confirm: true })).statusCode).toBe(404);

    const res = await bandung.request('POST', `/api/members/${me.id}/deletion`, { confirm: true, reason: 'Permintaan lewat surat, 20 Nov' });
    expect(res.statusCode, res.body).toBe(200);
    const again = await bandung.request('POST', `/api/members/${me.id}/deletion`, { confirm: true });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].code).toBe('already_deleted');
    const withdrawn = await sys.ctx.db.selectFrom('consents').select('source').where('subject_id', '=', me.id).where('granted', '=', false).where('purpose', '=', 'registry').execute();
    expect(withdrawn).toEqual([{ source: 'coordinator_on_request' }]);
    // A deleted member is no longer found in lists.
    const list = await bandung.request('GET', '/api/members?limit=200');
    expect(list.json().items.map((i: { id: number }) => i.id)).not.toContain(me.id);
  });
});

describe('update campaigns and personal links', () => {
  const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

  it('a coordinator starts a campaign in their region and gets one personal link per active member', async () => {
    // Its own regency, so the count is known: 32.04 (Kab. Bandung).
    const active = [await makeMember(sys.ctx, { regencyCode: '32.04', phone: '+6281311112222' }), await makeMember(sys.ctx, { regencyCode: '32.04' })];
    await makeMember(sys.ctx, { regencyCode: '32.04', status: 'pending' });
    await makeMember(sys.ctx, { regencyCode: '32.73' });
    const province = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.provinceCoordinator('32')] }));

    expect((await bandung.request('POST', '/api/registry/update-campaigns', { scopeType: 'regency', scopeCode: '32.04', endsAt: inAWeek() })).statusCode).toBe(403);
    expect((await malang.request('POST', '/api/registry/update-campaigns', { scopeType: 'national', endsAt: inAWeek() })).statusCode).toBe(403);
    const past = await province.request('POST', '/api/registry/update-campaigns', { scopeType: 'regency', scopeCode: '32.04', endsAt: '2020-01-01T00:00:00Z' });
    expect(past.json().errors[0].code).toBe('ends_at_range');

    const res = await province.request('POST', '/api/registry/update-campaigns', { scopeType: 'regency', scopeCode: '32.04', endsAt: inAWeek(), message: 'Cek data ya' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ scopeType: 'regency', scopeCode: '32.04', members: 2 });
    const id = res.json().id as number;
    expect((await bandung.request('POST', `/api/registry/update-campaigns/${id}/links`)).statusCode).toBe(403);
    // Issuing replaces links: never on a GET, which a prefetch or a reload could repeat.
    expect((await province.request('GET', `/api/registry/update-campaigns/${id}/links`)).statusCode).toBe(404);

    const links = await province.request('POST', `/api/registry/update-campaigns/${id}/links`);
    expect(links.statusCode, links.body).toBe(200);
    expect(links.headers['cache-control']).toBe('no-store');
    const items = links.json().items as { memberId: number; url: string; whatsappUrl: string }[];
    expect(items.map((i) => i.memberId)).toEqual(active.map((m) => m.id));
    // Without SIMPUL_PUBLIC_URL the links use the origin the coordinator called.
    expect(items[0].url).toMatch(/^http:\/\/localhost(:80)?\/perbarui\/[A-Za-z0-9_-]{32}$/);
    expect(items[0].whatsappUrl).toMatch(/^https:\/\/wa\.me\/6281311112222\?text=Cek%20data%20ya%20http%3A%2F%2Flocalhost(%3A80)?%2Fperbarui%2F/);
    const stored = await sys.ctx.db.selectFrom('update_links').select('token_hash').where('campaign_id', '=', id).execute();
    expect(stored).toHaveLength(2);
    const token = items[0].url.split('/').pop()!;
    expect(stored.map((s) => s.token_hash)).not.toContain(token);

    // Issued again: the first links stop working.
    const again = await province.request('POST', `/api/registry/update-campaigns/${id}/links`);
    expect((await anonymous(sys.app).request('GET', `/api/public/update/${token}`)).statusCode).toBe(404);
    const fresh = (again.json().items as { url: string }[])[0].url.split('/').pop()!;

    const view = await anonymous(sys.app).request('GET', `/api/public/update/${fresh}`);
    expect(view.statusCode).toBe(200);
    expect(view.json().id).toBe(active[0].id);
    // Only this member's record, only the member's own fields.
    const refused = await anonymous(sys.app).request('PATCH', `/api/public/update/${fresh}`, { regencyCode: '35.73' });
    expect(refused.statusCode).toBe(400);
    const bad = await anonymous(sys.app).request('PATCH', `/api/public/update/${fresh}`, { phone: 'bukan nomor' });
    expect(bad.statusCode).toBe(400);
    await sys.ctx.db.updateTable('members').set({ verified_at: new Date('2020-01-01') }).where('id', '=', active[0].id).execute();
    const saved = await anonymous(sys.app).request('PATCH', `/api/public/update/${fresh}`, { skills: ['Sablon'] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().member).toMatchObject({ id: active[0].id, skills: ['Sablon'] });
    expect(new Date(saved.json().member.verifiedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const log = await sys.ctx.db.selectFrom('audit_log').select(['action', 'actor_label']).where('entity_type', '=', 'member').where('entity_id', '=', String(active[0].id)).execute();
    expect(log).toEqual([{ action: 'member.update', actor_label: 'update-link' }]);

    // Used up: 410.
    expect((await anonymous(sys.app).request('GET', `/api/public/update/${fresh}`)).statusCode).toBe(410);
    expect((await anonymous(sys.app).request('PATCH', `/api/public/update/${fresh}`, {})).statusCode).toBe(410);

    // An empty body confirms the data as it is.
    const second = (again.json().items as { url: string }[])[1].url.split('/').pop()!;
    const confirmed = await anonymous(sys.app).request('PATCH', `/api/public/update/${second}`, {});
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().member.id).toBe(active[1].id);
  });

  it('answers 410 for an expired link', async () => {
    const m = await makeMember(sys.ctx, { regencyCode: '32.73' });
    const token = 'expiredtokenexpiredtoken0';
    const { createHash } = await import('node:crypto');
    await sys.ctx.db
      .insertInto('update_links')
      .values({ token_hash: createHash('sha256').update(token).digest('hex'), member_id: m.id, expires_at: new Date(Date.now() - 1000) })
      .execute();
    expect((await anonymous(sys.app).request('GET', `/api/public/update/${token}`)).statusCode).toBe(410);
    expect((await anonymous(sys.app).request('PATCH', `/api/public/update/${token}`, { skills: ['x'] })).statusCode).toBe(410);
  });
});
