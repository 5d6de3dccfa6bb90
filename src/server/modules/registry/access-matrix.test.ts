/**
 * The registry's access matrix: every actor × every target region × every registry endpoint, with
 * the outcome the policy must give. Targets sit in Kota Bandung (32.73), Kabupaten Bandung (32.04,
 * same province) and Kota Malang (35.73, another province). Besides the national admin, the
 * coordinators, a member and an anonymous caller, a community admin of the Kota Bandung target
 * community checks that a community grant reaches that community and its members, nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import {
  anonymous,
  communityAdminGrant,
  grants,
  login,
  makeChapter,
  makeCommunity,
  makeMember,
  makePartner,
  makeUser,
  type Client,
} from '../../../../test/factories.ts';

type ActorName = 'national' | 'province32' | 'regency3273' | 'communityAdmin' | 'member' | 'anonymous';
type TargetName = 'kotaBandung' | 'kabBandung' | 'kotaMalang';
const TARGET_REGION: Record<TargetName, string> = { kotaBandung: '32.73', kabBandung: '32.04', kotaMalang: '35.73' };

/** Region reach of each actor's grants (the community admin and the member have none). */
const REGION_REACH: Record<ActorName, Record<TargetName, boolean>> = {
  national: { kotaBandung: true, kabBandung: true, kotaMalang: true },
  province32: { kotaBandung: true, kabBandung: true, kotaMalang: false },
  regency3273: { kotaBandung: true, kabBandung: false, kotaMalang: false },
  communityAdmin: { kotaBandung: false, kabBandung: false, kotaMalang: false },
  member: { kotaBandung: false, kabBandung: false, kotaMalang: false },
  anonymous: { kotaBandung: false, kabBandung: false, kotaMalang: false },
};

/**
 * - region: coordinators and the national admin within their region
 * - community: also the community admin, on the Kota Bandung community and its members
 */
type Reach = 'region' | 'community';
function allowed(actor: ActorName, target: TargetName, reach: Reach): boolean {
  if (REGION_REACH[actor][target]) return true;
  return reach === 'community' && actor === 'communityAdmin' && target === 'kotaBandung';
}

interface Target {
  member: number;
  community: number;
  chapter: number;
  partner: number;
  agreement: number;
}

let sys: TestSystem;
const clients = {} as Record<ActorName, Client>;
const targets = {} as Record<TargetName, Target>;
let seq = 0;

beforeAll(async () => {
  sys = await createTestSystem();
  for (const [name, region] of Object.entries(TARGET_REGION) as [TargetName, string][]) {
    const community = await makeCommunity(sys.ctx, { name: `Komunitas Target ${name}`, regencyCode: region });
    const member = await makeMember(sys.ctx, {
      fullName: `Anggota Target ${name}`,
      regencyCode: region,
      nik: `${region.replace('.', '')}011205900${String(Object.keys(targets).length + 1).padStart(3, '0')}`,
      phone: '+6281234500001',
      communities: [{ communityId: community.id }],
    });
    const chapter = await makeChapter(sys.ctx, { regencyCode: region });
    const partner = await makePartner(sys.ctx, { name: `Mitra Target ${name}`, regionCode: region, agreements: [{ scopeCode: region }] });
    const agreement = await sys.ctx.db.selectFrom('partner_agreements').select('id').where('partner_id', '=', partner.id).executeTakeFirstOrThrow();
    targets[name] = { member: member.id, community: community.id, chapter: chapter.id, partner: partner.id, agreement: agreement.id };
  }
  const users = {
    national: await makeUser(sys.ctx, { regionCode: null, grants: [grants.nationalAdmin()] }),
    province32: await makeUser(sys.ctx, { regionCode: '32.73', grants: [grants.provinceCoordinator('32')] }),
    regency3273: await makeUser(sys.ctx, { regionCode: '32.73', grants: [grants.regencyCoordinator('32.73')] }),
    communityAdmin: await makeUser(sys.ctx, { regionCode: '32.73', grants: [communityAdminGrant(targets.kotaBandung.community)] }),
    member: await makeUser(sys.ctx, { regionCode: '32.73', grants: [grants.member('32.73')] }),
  };
  for (const [name, user] of Object.entries(users)) clients[name as ActorName] = await login(sys.app, user);
  clients.anonymous = anonymous(sys.app);
  // The member's own record, in Kota Bandung, linked to their account.
  await makeMember(sys.ctx, { fullName: 'Anggota Sendiri', regencyCode: '32.73', userId: users.member.id });
});
afterAll(async () => {
  await sys?.close();
});

function expectRefusal(actor: ActorName, res: { statusCode: number; json(): { code: string } }) {
  if (actor === 'anonymous') {
    expect(res.statusCode).toBe(401);
    return;
  }
  expect(res.statusCode).toBe(403);
  if (actor === 'member') expect(res.json().code).toBe('forbidden');
  else if (actor !== 'communityAdmin') expect(res.json().code).toBe('out_of_scope');
}

function expectOutcome(actor: ActorName, ok: boolean, res: { statusCode: number; body: string; json(): { code: string } }, status = 200) {
  if (ok) expect(res.statusCode, res.body).toBe(status);
  else expectRefusal(actor, res);
}

/** Whether every item of a list lies where the actor may look. */
function withinReach(actor: ActorName, regionCode: string | null, communityIds: number[] = []): boolean {
  const target = (Object.keys(TARGET_REGION) as TargetName[]).find((t) => TARGET_REGION[t] === regionCode);
  if (actor === 'national') return true;
  if (actor === 'communityAdmin') return communityIds.includes(targets.kotaBandung.community);
  if (!target) return actor === 'province32' ? !!regionCode?.startsWith('32.') : false;
  return REGION_REACH[actor][target];
}

const actorsList = Object.keys(REGION_REACH) as ActorName[];
const targetsList = Object.keys(TARGET_REGION) as TargetName[];
const cases = actorsList.flatMap((a) => targetsList.map((t) => [a, t] as const));

describe.each(cases)('%s on registry records in %s', (actor, target) => {
  const region = TARGET_REGION[target];
  const c = () => clients[actor];
  const t = () => targets[target];

  // ------------------------------------------------------------ members

  it('GET /api/members lists the target member only when in reach, and nothing out of reach', async () => {
    const res = await c().request('GET', '/api/members?limit=200');
    if (actor === 'member' || actor === 'anonymous') return expectRefusal(actor, res);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { id: number; regency: { code: string }; communityIds: number[] }[];
    expect(items.some((m) => m.id === t().member)).toBe(allowed(actor, target, 'community'));
    for (const m of items) expect(withinReach(actor, m.regency.code, m.communityIds), JSON.stringify(m)).toBe(true);
    expect(res.json().total).toBe(items.length);
    // Filtering by the target's region, or searching its name, never widens the reach.
    const filtered = await c().request('GET', `/api/members?regionCode=${region}&q=${encodeURIComponent(`Anggota Target ${target}`)}`);
    expect(filtered.json().items.some((m: { id: number }) => m.id === t().member)).toBe(allowed(actor, target, 'community'));
  });

  it('GET /api/members/:id', async () => {
    const res = await c().request('GET', `/api/members/${t().member}`);
    expectOutcome(actor, allowed(actor, target, 'community'), res);
    if (res.statusCode === 200) expect(res.json().nik).toMatch(/^\d{4}\*{8}\d{4}$/);
  });

  it('POST /api/members in the region', async () => {
    const fullName = `Anggota Baru ${++seq}`;
    const res = await c().request('POST', '/api/members', { fullName, regencyCode: region });
    expectOutcome(actor, allowed(actor, target, 'region'), res, 201);
    const created = await sys.ctx.db.selectFrom('members').select('id').where('full_name', '=', fullName).execute();
    expect(created.length).toBe(allowed(actor, target, 'region') ? 1 : 0);
  });

  it('PATCH /api/members/:id', async () => {
    const skill = `keahlian ${++seq}`;
    const res = await c().request('PATCH', `/api/members/${t().member}`, { skills: [skill] });
    expectOutcome(actor, allowed(actor, target, 'community'), res);
    const row = await sys.ctx.db.selectFrom('members').select('skills').where('id', '=', t().member).executeTakeFirstOrThrow();
    expect(row.skills.includes(skill)).toBe(allowed(actor, target, 'community'));
  });

  it('POST /api/members/:id/reveal', async () => {
    const before = await sys.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'member.reveal').execute();
    const res = await c().request('POST', `/api/members/${t().member}/reveal`, { field: 'nik', reason: 'Uji matriks akses' });
    expectOutcome(actor, allowed(actor, target, 'region'), res);
    if (res.statusCode === 200) expect(res.json().value).toMatch(/^\d{16}$/);
    else expect(res.body).not.toMatch(/\d{16}/);
    const after = await sys.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'member.reveal').execute();
    expect(after.length - before.length).toBe(allowed(actor, target, 'region') ? 1 : 0);
  });

  it('POST /api/members/:id/decision', async () => {
    const pending = await makeMember(sys.ctx, { regencyCode: region, status: 'pending', communities: [{ communityId: t().community }] });
    const res = await c().request('POST', `/api/members/${pending.id}/decision`, { decision: 'approve' });
    expectOutcome(actor, allowed(actor, target, 'region'), res);
    const row = await sys.ctx.db.selectFrom('members').select('status').where('id', '=', pending.id).executeTakeFirstOrThrow();
    expect(row.status).toBe(allowed(actor, target, 'region') ? 'active' : 'pending');
  });

  // ------------------------------------------------------------ communities

  it('GET /api/communities lists the target community only when in reach', async () => {
    const res = await c().request('GET', '/api/communities?limit=200');
    if (actor === 'member' || actor === 'anonymous') return expectRefusal(actor, res);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: number; regency: { code: string } }[];
    expect(items.some((x) => x.id === t().community)).toBe(allowed(actor, target, 'community'));
    for (const x of items) expect(withinReach(actor, x.regency.code, [x.id])).toBe(true);
  });

  it('GET /api/communities/:id', async () => {
    expectOutcome(actor, allowed(actor, target, 'community'), await c().request('GET', `/api/communities/${t().community}`));
  });

  it('POST /api/communities in the region', async () => {
    const name = `Komunitas Baru ${++seq}`;
    const res = await c().request('POST', '/api/communities', { name, regencyCode: region });
    expectOutcome(actor, allowed(actor, target, 'region'), res, 201);
    const created = await sys.ctx.db.selectFrom('communities').select('id').where('name', '=', name).execute();
    expect(created.length).toBe(allowed(actor, target, 'region') ? 1 : 0);
  });

  it('PATCH /api/communities/:id', async () => {
    const description = `deskripsi ${++seq}`;
    const res = await c().request('PATCH', `/api/communities/${t().community}`, { description });
    expectOutcome(actor, allowed(actor, target, 'community'), res);
    const row = await sys.ctx.db.selectFrom('communities').select('description').where('id', '=', t().community).executeTakeFirstOrThrow();
    expect(row.description === description).toBe(allowed(actor, target, 'community'));
  });

  it('POST /api/communities/:id/decision', async () => {
    const pending = await makeCommunity(sys.ctx, { regencyCode: region, status: 'pending' });
    const res = await c().request('POST', `/api/communities/${pending.id}/decision`, { decision: 'approve' });
    expectOutcome(actor, allowed(actor, target, 'region'), res);
  });

  // ------------------------------------------------------------ chapters

  it('GET /api/chapters and /api/chapters/:id are public; contacts only in reach', async () => {
    const list = await c().request('GET', '/api/chapters?limit=600');
    expect(list.statusCode).toBe(200);
    const item = list.json().items.find((x: { id: number }) => x.id === t().chapter);
    expect(item).toBeDefined();
    expect(item.contactEmail !== null).toBe(allowed(actor, target, 'region'));
    for (const x of list.json().items) if (x.contactEmail !== null) expect(withinReach(actor, x.regency.code)).toBe(true);
    const one = await c().request('GET', `/api/chapters/${t().chapter}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().contactPhone !== null).toBe(allowed(actor, target, 'region'));
  });

  it('POST /api/chapters for the region', async () => {
    // One chapter per regency: take the target's away for the attempt, then put back what should be there.
    await sys.ctx.db.deleteFrom('chapters').where('id', '=', t().chapter).execute();
    const res = await c().request('POST', '/api/chapters', { regencyCode: region, contactEmail: 'chapter@contoh.id', contactPhone: '081234567890' });
    expectOutcome(actor, allowed(actor, target, 'region'), res, 201);
    const rows = await sys.ctx.db.selectFrom('chapters').select('id').where('regency_code', '=', region).execute();
    expect(rows.length).toBe(allowed(actor, target, 'region') ? 1 : 0);
    targets[target].chapter = rows[0]?.id ?? (await makeChapter(sys.ctx, { regencyCode: region })).id;
  });

  it('PATCH /api/chapters/:id', async () => {
    const name = `Chapter ${++seq}`;
    const res = await c().request('PATCH', `/api/chapters/${t().chapter}`, { name });
    expectOutcome(actor, allowed(actor, target, 'region'), res);
    const row = await sys.ctx.db.selectFrom('chapters').select('name').where('id', '=', t().chapter).executeTakeFirstOrThrow();
    expect(row.name === name).toBe(allowed(actor, target, 'region'));
  });

  // ------------------------------------------------------------ partners

  it('GET /api/partners lists the target partner only when in reach', async () => {
    const res = await c().request('GET', '/api/partners?limit=200');
    if (actor === 'member' || actor === 'anonymous' || actor === 'communityAdmin') return expectRefusal(actor, res);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: number; region: { code: string } | null }[];
    expect(items.some((p) => p.id === t().partner)).toBe(allowed(actor, target, 'region'));
    for (const p of items) if (p.region) expect(withinReach(actor, p.region.code) || p.region.code.length === 2).toBe(true);
  });

  it('GET /api/partners/:id', async () => {
    expectOutcome(actor, allowed(actor, target, 'region'), await c().request('GET', `/api/partners/${t().partner}`));
  });

  it('POST /api/partners in the region', async () => {
    const name = `Mitra Baru ${++seq}`;
    const res = await c().request('POST', '/api/partners', { name, type: 'academia', regionCode: region });
    expectOutcome(actor, allowed(actor, target, 'region'), res, 201);
    const created = await sys.ctx.db.selectFrom('partners').select('id').where('name', '=', name).execute();
    expect(created.length).toBe(allowed(actor, target, 'region') ? 1 : 0);
  });

  it('PATCH /api/partners/:id', async () => {
    const contactName = `Kontak ${++seq}`;
    const res = await c().request('PATCH', `/api/partners/${t().partner}`, { contactName });
    expectOutcome(actor, allowed(actor, target, 'region'), res);
    const row = await sys.ctx.db.selectFrom('partners').select('contact_name').where('id', '=', t().partner).executeTakeFirstOrThrow();
    expect(row.contact_name === contactName).toBe(allowed(actor, target, 'region'));
  });

  it('POST /api/partners/:id/agreements', async () => {
    const title = `Perjanjian ${++seq}`;
    const res = await c().request('POST', `/api/partners/${t().partner}/agreements`, { title, scopeCode: region, validFrom: '2025-01-01', allowsPersonalData: true });
    expectOutcome(actor, allowed(actor, target, 'region'), res, 201);
    const rows = await sys.ctx.db.selectFrom('partner_agreements').select('id').where('title', '=', title).execute();
    expect(rows.length).toBe(allowed(actor, target, 'region') ? 1 : 0);
  });

  it('PATCH /api/partners/:id/agreements/:agreementId', async () => {
    const title = `Perjanjian diubah ${++seq}`;
    const res = await c().request('PATCH', `/api/partners/${t().partner}/agreements/${t().agreement}`, { title });
    expectOutcome(actor, allowed(actor, target, 'region'), res);
    const row = await sys.ctx.db.selectFrom('partner_agreements').select('title').where('id', '=', t().agreement).executeTakeFirstOrThrow();
    expect(row.title === title).toBe(allowed(actor, target, 'region'));
  });
});

describe('own record and cross-links', () => {
  it('GET /api/members/me: the member’s own record; 404 for accounts without one; 401 anonymous', async () => {
    const me = await clients.member.request('GET', '/api/members/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().fullName).toBe('Anggota Sendiri');
    expect((await clients.regency3273.request('GET', '/api/members/me')).statusCode).toBe(404);
    expect((await clients.anonymous.request('GET', '/api/members/me')).statusCode).toBe(401);
  });

  it('a coordinator cannot expose a member of their region to a community elsewhere', async () => {
    const res = await clients.regency3273.request('PATCH', `/api/members/${targets.kotaBandung.member}`, {
      communities: [{ communityId: targets.kotaBandung.community }, { communityId: targets.kotaMalang.community }],
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'out_of_scope', communityId: targets.kotaMalang.community });
  });

  it('a community admin reaches a member of their community living in another province, but cannot reveal', async () => {
    const far = await makeMember(sys.ctx, { regencyCode: '35.73', nik: '3573011205900077', communities: [{ communityId: targets.kotaBandung.community }] });
    expect((await clients.communityAdmin.request('GET', `/api/members/${far.id}`)).statusCode).toBe(200);
    expect((await clients.communityAdmin.request('POST', `/api/members/${far.id}/reveal`, { field: 'nik', reason: 'Uji matriks akses' })).statusCode).toBe(403);
    // …while the Kota Bandung coordinator does not: the member lives in Kota Malang.
    expect((await clients.regency3273.request('GET', `/api/members/${far.id}`)).statusCode).toBe(403);
  });

  it('unknown ids are 404 for those who may look, and still 401 for anonymous callers', async () => {
    expect((await clients.national.request('GET', '/api/members/99999999')).statusCode).toBe(404);
    expect((await clients.anonymous.request('GET', '/api/members/99999999')).statusCode).toBe(401);
    expect((await clients.anonymous.request('GET', '/api/chapters/99999999')).statusCode).toBe(404);
  });
});
