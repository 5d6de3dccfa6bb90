/**
 * The access matrix: every actor × every target × every operation on accounts and roles, with
 * the outcome the policy must give. Targets sit in Kota Bandung (32.73, inside Jawa Barat),
 * Kabupaten Bandung (32.04, same province, another regency) and Kota Malang (35.73, another province).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { anonymous, grants, login, makeUser, type Client, type MadeUser } from '../../../../test/factories.ts';

type ActorName = 'national' | 'province32' | 'regency3273' | 'member' | 'anonymous';
type TargetName = 'kotaBandung' | 'kabBandung' | 'kotaMalang';
const TARGET_REGION: Record<TargetName, string> = { kotaBandung: '32.73', kabBandung: '32.04', kotaMalang: '35.73' };

// true = allowed; false = refused. Anonymous gets 401, a member 403 forbidden, a coordinator out of scope 403 out_of_scope.
const ALLOWED: Record<ActorName, Record<TargetName, boolean>> = {
  national: { kotaBandung: true, kabBandung: true, kotaMalang: true },
  province32: { kotaBandung: true, kabBandung: true, kotaMalang: false },
  regency3273: { kotaBandung: true, kabBandung: false, kotaMalang: false },
  member: { kotaBandung: false, kabBandung: false, kotaMalang: false },
  anonymous: { kotaBandung: false, kabBandung: false, kotaMalang: false },
};

let sys: TestSystem;
const clients = {} as Record<ActorName, Client>;
const actorUsers = {} as Record<Exclude<ActorName, 'anonymous'>, MadeUser>;
const targets = {} as Record<TargetName, MadeUser>;

beforeAll(async () => {
  sys = await createTestSystem();
  actorUsers.national = await makeUser(sys.ctx, { regionCode: null, grants: [grants.nationalAdmin()] });
  actorUsers.province32 = await makeUser(sys.ctx, { regionCode: '32.73', grants: [grants.provinceCoordinator('32')] });
  actorUsers.regency3273 = await makeUser(sys.ctx, { regionCode: '32.73', grants: [grants.regencyCoordinator('32.73')] });
  actorUsers.member = await makeUser(sys.ctx, { regionCode: '32.73', grants: [grants.member('32.73')] });
  for (const [name, user] of Object.entries(actorUsers)) clients[name as ActorName] = await login(sys.app, user);
  clients.anonymous = anonymous(sys.app);
  for (const [name, region] of Object.entries(TARGET_REGION)) {
    targets[name as TargetName] = await makeUser(sys.ctx, { regionCode: region, name: `Target ${name}` });
  }
});
afterAll(async () => {
  await sys?.close();
});

function expectRefusal(actor: ActorName, res: { statusCode: number; json(): { code: string } }) {
  if (actor === 'anonymous') {
    expect(res.statusCode).toBe(401);
  } else {
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe(actor === 'member' ? 'forbidden' : 'out_of_scope');
  }
}

const actorsList = Object.keys(ALLOWED) as ActorName[];
const targetsList = Object.keys(TARGET_REGION) as TargetName[];
const cases = actorsList.flatMap((a) => targetsList.map((t) => [a, t, ALLOWED[a][t]] as const));

describe.each(cases)('%s on a user in %s (allowed: %s)', (actor, target, allowed) => {
  it('reads the user', async () => {
    const res = await clients[actor].request('GET', `/api/users/${targets[target].id}`);
    if (allowed) expect(res.statusCode).toBe(200);
    else expectRefusal(actor, res);
  });

  it('sees the user in the list only when in scope', async () => {
    const res = await clients[actor].request('GET', '/api/users?limit=200');
    if (actor === 'anonymous') return expect(res.statusCode).toBe(401);
    if (actor === 'member') return expect(res.statusCode).toBe(403);
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((u: { id: number }) => u.id);
    expect(ids.includes(targets[target].id)).toBe(allowed);
  });

  it('changes the user', async () => {
    const res = await clients[actor].request('PATCH', `/api/users/${targets[target].id}`, { name: `Diubah oleh ${actor}` });
    if (allowed) expect(res.statusCode).toBe(200);
    else expectRefusal(actor, res);
    const row = await sys.ctx.db.selectFrom('users').select('name').where('id', '=', targets[target].id).executeTakeFirstOrThrow();
    expect(row.name === `Diubah oleh ${actor}`).toBe(allowed);
  });

  it('creates a user in that region', async () => {
    const email = `baru-${actor}-${target}@contoh.id`;
    const res = await clients[actor].request('POST', '/api/users', {
      name: 'Anggota Baru',
      email,
      password: 'sandi-panjang-1',
      regionCode: TARGET_REGION[target],
    });
    if (allowed) expect(res.statusCode).toBe(201);
    else expectRefusal(actor, res);
    const created = await sys.ctx.db.selectFrom('users').select('id').where('email', '=', email).execute();
    expect(created.length).toBe(allowed ? 1 : 0);
  });

  it('grants the user a regency coordinator role for their region', async () => {
    const grant = { role: 'regional_coordinator', scopeType: 'regency', scopeCode: TARGET_REGION[target] };
    const res = await clients[actor].request('POST', `/api/users/${targets[target].id}/grants`, grant);
    if (allowed) expect(res.statusCode).toBe(200);
    else expectRefusal(actor, res);
    const held = await sys.ctx.db
      .selectFrom('role_assignments')
      .select('id')
      .where('user_id', '=', targets[target].id)
      .where('role', '=', 'regional_coordinator')
      .execute();
    // Earlier allowed actors may already have granted it; a refused actor never adds one.
    if (allowed) expect(held.length).toBe(1);
  });
});

describe('limits of a coordinator’s power', () => {
  it('cannot grant outside or above their scope', async () => {
    const c = clients.regency3273;
    const t = targets.kotaBandung.id;
    for (const grant of [
      { role: 'regional_coordinator', scopeType: 'province', scopeCode: '32' },
      { role: 'national_admin', scopeType: 'national', scopeCode: '' },
      { role: 'regional_coordinator', scopeType: 'regency', scopeCode: '32.04' },
      { role: 'curator', scopeType: 'national', scopeCode: '' },
    ]) {
      const res = await c.request('POST', `/api/users/${t}/grants`, grant);
      expect(res.statusCode, JSON.stringify(grant)).toBe(403);
    }
    const roles = await sys.ctx.db.selectFrom('role_assignments').select('role').where('user_id', '=', t).execute();
    expect(roles.map((r) => r.role)).not.toContain('national_admin');
  });

  it('cannot change a national admin who lives in their regency', async () => {
    const admin = await makeUser(sys.ctx, { regionCode: '32.73', grants: [grants.nationalAdmin()] });
    const res = await clients.regency3273.request('PATCH', `/api/users/${admin.id}`, { status: 'disabled' });
    expect(res.statusCode).toBe(403);
    const row = await sys.ctx.db.selectFrom('users').select('status').where('id', '=', admin.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('active');
  });

  it('cannot move a user of their region to another region', async () => {
    const res = await clients.regency3273.request('PATCH', `/api/users/${targets.kotaBandung.id}`, { regionCode: '35.73' });
    expect(res.statusCode).toBe(403);
  });

  it('sees in /api/roles only the roles they may hand out', async () => {
    const res = await clients.regency3273.request('GET', '/api/roles');
    const grantable = res.json().items.filter((r: { grantable: boolean }) => r.grantable).map((r: { role: string }) => r.role);
    expect(grantable).toContain('regional_coordinator');
    expect(grantable).toContain('field_volunteer');
    expect(grantable).not.toContain('national_admin');
    expect(grantable).not.toContain('curator');
  });

  it('a member may read their own account but nobody else’s', async () => {
    expect((await clients.member.request('GET', `/api/users/${actorUsers.member.id}`)).statusCode).toBe(200);
    expect((await clients.member.request('GET', `/api/users/${actorUsers.regency3273.id}`)).statusCode).toBe(403);
  });

  it('cannot revoke roles from a national admin who lives in their regency', async () => {
    const admin = await makeUser(sys.ctx, { regionCode: '32.73', grants: [grants.nationalAdmin(), grants.regencyCoordinator('32.73')] });
    const coordinatorGrant = await sys.ctx.db
      .selectFrom('role_assignments')
      .select('id')
      .where('user_id', '=', admin.id)
      .where('role', '=', 'regional_coordinator')
      .executeTakeFirstOrThrow();
    const res = await clients.regency3273.request('DELETE', `/api/users/${admin.id}/grants/${coordinatorGrant.id}`);
    expect(res.statusCode).toBe(403);
    const held = await sys.ctx.db.selectFrom('role_assignments').select('id').where('user_id', '=', admin.id).execute();
    expect(held).toHaveLength(2);
  });

  it('revokes a role it could grant from a user of its regency', async () => {
    const volunteer = await makeUser(sys.ctx, { regionCode: '32.73', grants: [{ role: 'field_volunteer', scopeType: 'regency', scopeCode: '32.73' }] });
    const grantId = (await clients.regency3273.request('GET', `/api/users/${volunteer.id}`)).json().grants[0].id;
    const res = await clients.regency3273.request('DELETE', `/api/users/${volunteer.id}/grants/${grantId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().grants).toEqual([]);
  });

  it('always keeps one active national admin', async () => {
    const fresh = await createTestSystem();
    try {
      const a = await makeUser(fresh.ctx, { regionCode: null, grants: [grants.nationalAdmin()] });
      const b = await makeUser(fresh.ctx, { regionCode: null, grants: [grants.nationalAdmin()] });
      const ca = await login(fresh.app, a);
      const cb = await login(fresh.app, b);
      const grantOf = async (c: Client, id: number) => (await c.request('GET', `/api/users/${id}`)).json().grants[0].id;
      const grantA = await grantOf(ca, a.id);
      const grantB = await grantOf(cb, b.id);
      // Both admins step down at the same moment: exactly one of them may.
      const [ra, rb] = await Promise.all([
        ca.request('DELETE', `/api/users/${a.id}/grants/${grantA}`),
        cb.request('DELETE', `/api/users/${b.id}/grants/${grantB}`),
      ]);
      expect([ra.statusCode, rb.statusCode].sort()).toEqual([200, 409]);
      const remaining = ra.statusCode === 409 ? { client: ca, user: a, other: b } : { client: cb, user: b, other: a };
      expect((ra.statusCode === 409 ? ra : rb).json().code).toBe('last_admin');
      // Disabling is guarded the same way: the remaining admin cannot be disabled by anyone,
      // and a disabled admin does not count as the "other" admin.
      const self = await remaining.client.request('PATCH', `/api/users/${remaining.user.id}`, { status: 'disabled' });
      expect(self.json().code).toBe('cannot_disable_self');
      const c = await makeUser(fresh.ctx, { regionCode: null, grants: [grants.nationalAdmin()] });
      const cc = await login(fresh.app, c);
      expect((await cc.request('PATCH', `/api/users/${remaining.user.id}`, { status: 'disabled' })).statusCode).toBe(200);
      expect((await cc.request('GET', `/api/users/${c.id}`)).statusCode).toBe(200);
      const grantC = await grantOf(cc, c.id);
      expect((await cc.request('DELETE', `/api/users/${c.id}/grants/${grantC}`)).json().code).toBe('last_admin');
    } finally {
      await fresh.close();
    }
  });
});

describe('community admins', () => {
  it('are appointed by the coordinator of the community’s regency, not by others', async () => {
    const community = await sys.ctx.db
      .insertInto('communities')
      .values({ name: 'Komunitas Fotografi Bandung', search_name: 'komunitas fotografi bandung', regency_code: '32.73', status: 'active' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const leader = await makeUser(sys.ctx, { regionCode: '32.73' });
    const grant = { role: 'community_admin', scopeType: 'community', scopeCode: String(community.id) };
    const malang = await login(sys.app, await makeUser(sys.ctx, { regionCode: '35.73', grants: [grants.regencyCoordinator('35.73')] }));
    expect((await malang.request('POST', `/api/users/${leader.id}/grants`, grant)).statusCode).toBe(403);
    const ok = await clients.regency3273.request('POST', `/api/users/${leader.id}/grants`, grant);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().grants[0]).toMatchObject({ role: 'community_admin', scopeName: 'Komunitas Fotografi Bandung' });
    const unknown = await clients.national.request('POST', `/api/users/${leader.id}/grants`, { ...grant, scopeCode: '999999' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].code).toBe('unknown_community');
    // …and removed by the same coordinator.
    const grantId = ok.json().grants[0].id;
    expect((await clients.regency3273.request('DELETE', `/api/users/${leader.id}/grants/${grantId}`)).statusCode).toBe(200);
  });
});
