import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, grants, login, makeUser, type Client } from '../../../../test/factories.ts';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { SUBSECTOR_CODES } from '../subsectors/data.ts';
import type { DashboardResponse, PublicSummaryResponse } from './dashboard.schemas.ts';
import { invalidateRegistryDashboard } from './dashboard.service.ts';
import { seedDemoData } from './demo.ts';

let sys: TestSystem;
const clients = {} as Record<'national' | 'province32' | 'regency3273' | 'twoPlaces' | 'member' | 'communityAdmin' | 'anonymous', Client>;

beforeAll(async () => {
  sys = await createTestSystem();
  await seedDemoData(sys.engine, { chapters: 40, communities: 300, members: 3000, seed: 'dasbor' });
  const users = {
    national: await makeUser(sys.ctx, { regionCode: null, grants: [grants.nationalAdmin()] }),
    province32: await makeUser(sys.ctx, { regionCode: '32.73', grants: [grants.provinceCoordinator('32')] }),
    regency3273: await makeUser(sys.ctx, { regionCode: '32.73', grants: [grants.regencyCoordinator('32.73')] }),
    twoPlaces: await makeUser(sys.ctx, { regionCode: '32.73', grants: [grants.regencyCoordinator('32.73'), grants.provinceCoordinator('35')] }),
    member: await makeUser(sys.ctx, { regionCode: '32.73', grants: [grants.member('32.73')] }),
    communityAdmin: await makeUser(sys.ctx, { regionCode: '32.73', grants: [{ role: 'community_admin', scopeType: 'community', scopeCode: '1' }] }),
  };
  for (const [name, user] of Object.entries(users)) clients[name as keyof typeof users] = await login(sys.app, user);
  clients.anonymous = anonymous(sys.app);
});
afterAll(async () => {
  await sys?.close();
});

async function dashboard(who: keyof typeof clients, query = ''): Promise<DashboardResponse> {
  const res = await clients[who].request('GET', `/api/registry/dashboard${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** The same figures counted straight from the tables, for the regencies matching `where` (SQL on regency_code). */
async function direct(where: RawBuilder<unknown>, months = 12) {
  const one = async (q: RawBuilder<{ n: number }>) => Number((await q.execute(sys.ctx.db)).rows[0].n);
  const subsectors = await sql<{ code: string; members: number; communities: number }>`
    SELECT s.code,
      (SELECT count(*)::int FROM member_subsectors ms JOIN members m ON m.id = ms.member_id
        WHERE ms.subsector_code = s.code AND m.status = 'active' AND ${where}) AS members,
      (SELECT count(*)::int FROM community_subsectors cs JOIN communities c ON c.id = cs.community_id
        WHERE cs.subsector_code = s.code AND c.status = 'active' AND ${where}) AS communities
    FROM subsectors s`.execute(sys.ctx.db);
  return {
    active: await one(sql`SELECT count(*)::int AS n FROM members WHERE status = 'active' AND ${where}`),
    pending: await one(sql`SELECT count(*)::int AS n FROM members WHERE status = 'pending' AND ${where}`),
    fresh: await one(sql`SELECT count(*)::int AS n FROM members WHERE status = 'active' AND verified_at > now() - make_interval(months => ${months}) AND ${where}`),
    communitiesActive: await one(sql`SELECT count(*)::int AS n FROM communities WHERE status = 'active' AND ${where}`),
    communitiesPending: await one(sql`SELECT count(*)::int AS n FROM communities WHERE status = 'pending' AND ${where}`),
    chapters: await one(sql`SELECT count(*)::int AS n FROM chapters WHERE status = 'active' AND ${where}`),
    subsectors: Object.fromEntries(subsectors.rows.map((r) => [r.code, { members: r.members, communities: r.communities }])),
  };
}

const inProvince = (p: string) => sql`regency_code LIKE ${`${p}.%`}`;
const inRegency = (r: string) => sql`regency_code = ${r}`;

function expectTotals(d: DashboardResponse, x: Awaited<ReturnType<typeof direct>>) {
  expect(d.totals).toEqual({
    members: { active: x.active, pending: x.pending },
    communities: { active: x.communitiesActive, pending: x.communitiesPending },
    chapters: x.chapters,
  });
  expect(d.freshness.fresh).toBe(x.fresh);
  expect(d.freshness.active).toBe(x.active);
  for (const s of d.subsectors) expect({ code: s.code, members: s.members, communities: s.communities }).toEqual({ code: s.code, ...x.subsectors[s.code] });
  expect(d.rows.reduce((sum, r) => sum + r.members, 0)).toBe(x.active);
  expect(d.rows.reduce((sum, r) => sum + r.communities, 0)).toBe(x.communitiesActive);
}

describe('GET /api/registry/dashboard as national admin', () => {
  it('counts everything, per province, equal to counting the tables directly', async () => {
    const d = await dashboard('national');
    expect(d.level).toBe('province');
    expect(d.region).toBeNull();
    expect(d.rows).toHaveLength(38);
    expectTotals(d, await direct(sql`true`));
    expect(d.coverage).toEqual({ regenciesWithChapter: d.totals.chapters, regencies: 514, share: Math.round((d.totals.chapters / 514) * 10_000) / 10_000 });
    expect(d.subsectors.map((s) => s.code)).toEqual(SUBSECTOR_CODES);

    const perProvince = await sql<{ code: string; n: number }>`
      SELECT left(regency_code, 2) AS code, count(*)::int AS n FROM members WHERE status = 'active' GROUP BY 1`.execute(sys.ctx.db);
    const expected = Object.fromEntries(perProvince.rows.map((r) => [r.code, r.n]));
    for (const row of d.rows) expect(row.members, row.code).toBe(expected[row.code] ?? 0);
    expect(d.rows.find((r) => r.code === '32')).toMatchObject({ name: 'Jawa Barat', regencies: 27 });
  });

  it('drills down to the regencies of a province, with freshness over the months asked for', async () => {
    const d = await dashboard('national', '?region=32&months=6');
    expect(d.level).toBe('regency');
    expect(d.region).toEqual({ code: '32', name: 'Jawa Barat' });
    expect(d.rows).toHaveLength(27);
    expect(d.rows.every((r) => r.code.startsWith('32.') && r.regencies === 1)).toBe(true);
    const x = await direct(inProvince('32'), 6);
    expectTotals(d, x);
    expect(d.freshness).toMatchObject({ months: 6, fresh: x.fresh, share: Math.round((x.fresh / x.active) * 10_000) / 10_000 });
    const bandung = d.rows.find((r) => r.code === '32.73')!;
    const b = await direct(inRegency('32.73'), 6);
    expect(bandung).toMatchObject({ name: 'Kota Bandung', members: b.active, pendingMembers: b.pending, communities: b.communitiesActive, chapter: b.chapters > 0 });
    expect(bandung.freshShare).toBe(Math.round((b.fresh / b.active) * 10_000) / 10_000);
    expect(d.coverage.regencies).toBe(27);
  });

  it('refuses a region that is not a province, or unknown, in Indonesian', async () => {
    const regency = await clients.national.request('GET', '/api/registry/dashboard?region=32.73');
    expect(regency.statusCode).toBe(400);
    expect(regency.json().errors).toEqual([{ path: 'region', code: 'not_a_province_code', message: '32.73 bukan kode provinsi.' }]);
    const unknown = await clients.national.request('GET', '/api/registry/dashboard?region=99');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0]).toMatchObject({ code: 'unknown_region', message: 'Wilayah 99 tidak dikenal.' });
    expect((await clients.national.request('GET', '/api/registry/dashboard?months=0')).statusCode).toBe(400);
    expect((await clients.national.request('GET', '/api/registry/dashboard?region=3')).statusCode).toBe(400);
  });
});

describe('scope', () => {
  it('shows a regency coordinator of 32.73 only the numbers of 32.73', async () => {
    const x = await direct(inRegency('32.73'));
    expect(x.active).toBeGreaterThan(0);
    for (const query of ['', '?region=32']) {
      const d = await dashboard('regency3273', query);
      expect(d.level).toBe('regency');
      expect(d.rows.map((r) => r.code)).toEqual(['32.73']);
      expectTotals(d, x);
      expect(d.coverage.regencies).toBe(1);
    }
    const other = await clients.regency3273.request('GET', '/api/registry/dashboard?region=35');
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'out_of_scope', detail: 'Data ini berada di luar wilayah tugas Anda.' });
  });

  it('shows a province coordinator of 32 only province 32', async () => {
    const d = await dashboard('province32');
    expect(d.region).toEqual({ code: '32', name: 'Jawa Barat' });
    expect(d.rows).toHaveLength(27);
    expect(d.rows.every((r) => r.code.startsWith('32.'))).toBe(true);
    expectTotals(d, await direct(inProvince('32')));
    expect((await clients.province32.request('GET', '/api/registry/dashboard?region=35')).statusCode).toBe(403);
  });

  it('sums only the covered regencies when a coordinator holds scopes in two provinces', async () => {
    const d = await dashboard('twoPlaces');
    expect(d.level).toBe('province');
    expect(d.rows.map((r) => r.code)).toEqual(['32', '35']);
    expect(d.rows[0]).toMatchObject({ members: (await direct(inRegency('32.73'))).active, regencies: 1 });
    expect(d.rows[1]).toMatchObject({ members: (await direct(inProvince('35'))).active, regencies: 38 });
    expectTotals(d, await direct(sql`(regency_code = '32.73' OR regency_code LIKE '35.%')`));
  });

  it('refuses members and community admins (403) and anonymous callers (401)', async () => {
    for (const who of ['member', 'communityAdmin'] as const) {
      const res = await clients[who].request('GET', '/api/registry/dashboard');
      expect(res.statusCode, who).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    const anon = await clients.anonymous.request('GET', '/api/registry/dashboard', undefined, { 'accept-language': 'en' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().detail).toBe('Please log in first.');
  });

  it('keeps responses out of shared caches', async () => {
    const res = await clients.national.request('GET', '/api/registry/dashboard');
    expect(res.headers['cache-control']).toBe('private, no-cache');
  });
});

describe('GET /api/public/registry/summary', () => {
  const PERSONAL = /nik|phone|email|full_?name|birth|address|gender|contact/i;

  function keysOf(value: unknown, into = new Set<string>()): Set<string> {
    if (Array.isArray(value)) for (const v of value) keysOf(v, into);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        into.add(k);
        keysOf(v, into);
      }
    }
    return into;
  }

  it('answers anyone with aggregates only, cacheable for five minutes', async () => {
    const res = await clients.anonymous.request('GET', '/api/public/registry/summary');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const body: PublicSummaryResponse = res.json();
    expect([...keysOf(body)].filter((k) => PERSONAL.test(k))).toEqual([]);
    expect(res.body).not.toMatch(/\d{16}|\+62\d|@/);
    expect(body.rows).toHaveLength(38);
    const x = await direct(sql`true`);
    expect(body.totals).toEqual({ members: x.active, communities: x.communitiesActive, chapters: x.chapters });
    expect(body.coverage.regencies).toBe(514);
  });

  it('drills down to a province and shows small member counts as "<5"', async () => {
    // Two active members in an otherwise empty regency of Papua Pegunungan.
    const empty = await sql<{ code: string }>`
      SELECT r.code FROM regions r WHERE r.level = 2 AND r.code LIKE '95.%'
        AND NOT EXISTS (SELECT 1 FROM members m WHERE m.regency_code = r.code) ORDER BY r.code LIMIT 1`.execute(sys.ctx.db);
    const regency = empty.rows[0].code;
    await sys.ctx.db
      .insertInto('members')
      .values([1, 2].map((i) => ({ full_name: `Anggota ${i}`, search_name: `anggota ${i}`, regency_code: regency, status: 'active' as const })))
      .execute();
    invalidateRegistryDashboard();

    const res = await clients.anonymous.request('GET', '/api/public/registry/summary?region=95');
    const body: PublicSummaryResponse = res.json();
    expect(body.level).toBe('regency');
    expect(body.rows.find((r) => r.code === regency)?.members).toBe('<5');
    expect(body.rows.every((r) => r.members === '<5' || r.members === 0 || r.members >= 5)).toBe(true);
    expect(body.totals.members).toBe((await direct(inProvince('95'))).active);
    const d = await dashboard('national', '?region=95');
    expect(d.rows.find((r) => r.code === regency)?.members).toBe(2);
  });
});

describe('the shared snapshot of counts', () => {
  it('is reused between requests and counted again after invalidation', async () => {
    const first = await dashboard('national');
    const second = await dashboard('national');
    expect(second.generatedAt).toBe(first.generatedAt);

    await sys.ctx.db.insertInto('members').values({ full_name: 'Anggota Baru', search_name: 'anggota baru', regency_code: '32.73', status: 'pending' }).execute();
    expect((await dashboard('national')).totals.members.pending).toBe(first.totals.members.pending);
    invalidateRegistryDashboard();
    const third = await dashboard('national');
    expect(third.totals.members.pending).toBe(first.totals.members.pending + 1);
    expect(third.generatedAt >= first.generatedAt).toBe(true);
  });

  it('is documented in the OpenAPI document under the registry tag', async () => {
    const doc = (await sys.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/api/registry/dashboard'].get.tags).toEqual(['registry']);
    expect(doc.paths['/api/public/registry/summary'].get.tags).toEqual(['registry']);
  });
});
