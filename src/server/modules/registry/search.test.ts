/** Fuzzy name search on members and communities: typos, old spellings, filters and scope together. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { communityAdminGrant, grants, login, makeCommunity, makeMember, makeUser, type Client, type MadeCommunity } from '../../../../test/factories.ts';

let sys: TestSystem;
let national: Client;
let bandung: Client;
let communityAdmin: Client;
let photo: MadeCommunity;
let music: MadeCommunity;

beforeAll(async () => {
  sys = await createTestSystem();
  national = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  photo = await makeCommunity(sys.ctx, { name: 'Komunitas Fotografi Bandung', regencyCode: '32.73', subsectors: ['fotografi'] });
  music = await makeCommunity(sys.ctx, { name: 'Kolektif Musik Malang', regencyCode: '35.73', subsectors: ['musik'] });
  await makeCommunity(sys.ctx, { name: 'Sanggar Tari Sekar', regencyCode: '32.04', subsectors: ['seni-pertunjukan'] });
  communityAdmin = await login(sys.app, await makeUser(sys.ctx, { grants: [communityAdminGrant(photo.id)] }));
  const people: Parameters<typeof makeMember>[1][] = [
    { fullName: 'Joko Widodo', regencyCode: '32.73', subsectors: ['kriya'], communities: [{ communityId: photo.id }] },
    { fullName: 'Djoko Susilo', regencyCode: '32.04', subsectors: ['musik'] },
    { fullName: 'Muhammad Rizki Pratama', regencyCode: '32.73', subsectors: ['fotografi'], communities: [{ communityId: photo.id }] },
    { fullName: 'M. Rizki', regencyCode: '35.73', subsectors: ['musik'], communities: [{ communityId: music.id }] },
    { fullName: 'Ir. Soekarno', regencyCode: '32.73' },
    { fullName: 'Budi Santoso', regencyCode: '32.73', subsectors: ['kuliner'] },
    { fullName: 'Budi Santosa', regencyCode: '32.73', status: 'pending' },
    { fullName: 'Siti Nurhaliza', regencyCode: '35.73' },
    { fullName: 'Tjahjono Wibisono', regencyCode: '32.73' },
    { fullName: 'Dewi Sartika', regencyCode: '32.73' },
    { fullName: 'Andi Wijaya', regencyCode: '32.73' },
    { fullName: 'Deleted Joko', regencyCode: '32.73', status: 'deleted' },
  ];
  for (const p of people) await makeMember(sys.ctx, p);
});
afterAll(async () => {
  await sys?.close();
});

async function names(client: Client, query: string): Promise<string[]> {
  const res = await client.request('GET', `/api/members?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items.map((m: { fullName: string }) => m.fullName);
}

describe('member name search', () => {
  it.each([
    ['Djoko', ['Joko Widodo', 'Djoko Susilo']],
    ['Joko', ['Joko Widodo', 'Djoko Susilo']],
    ['Moch. Rizki', ['M. Rizki', 'Muhammad Rizki Pratama']],
    ['Muhammad Rizki', ['M. Rizki', 'Muhammad Rizki Pratama']],
    ['rizky', ['M. Rizki', 'Muhammad Rizki Pratama']],
    ['Sukarno', ['Ir. Soekarno']],
    ['Soekarno', ['Ir. Soekarno']],
    ['Cahyono', ['Tjahjono Wibisono']],
    ['Bdi Santoso', ['Budi Santoso']],
    ['Siti Nurhalizah', ['Siti Nurhaliza']],
    ['Dewi Kartika', ['Dewi Sartika']],
  ])('finds %s', async (q, expected) => {
    const found = await names(national, `q=${encodeURIComponent(q)}`);
    expect([...found].sort()).toEqual([...expected].sort());
  });

  it('ranks the closest name first and leaves out names that only share a common word', async () => {
    expect(await names(national, 'q=Budi%20Santoso')).toEqual(['Budi Santoso', 'Budi Santosa']);
    expect(await names(national, 'q=Joko%20Widodo')).toEqual(['Joko Widodo']);
    const res = await national.request('GET', '/api/members?q=Budi%20Santoso');
    const [first, second] = res.json().items;
    expect(first.score).toBe(1);
    expect(second.score).toBeLessThan(1);
  });

  it('combines the name with region, subsector, community and status filters', async () => {
    expect(await names(national, 'q=joko&regionCode=32.04')).toEqual(['Djoko Susilo']);
    expect(await names(national, 'q=joko&regionCode=32')).toEqual(expect.arrayContaining(['Joko Widodo', 'Djoko Susilo']));
    expect(await names(national, 'q=rizki&subsector=musik')).toEqual(['M. Rizki']);
    expect(await names(national, `q=rizki&communityId=${photo.id}`)).toEqual(['Muhammad Rizki Pratama']);
    expect(await names(national, 'q=budi&status=pending')).toEqual(['Budi Santosa']);
    expect(await names(national, 'regionCode=32.73.01')).toEqual([]);
  });

  it('never returns members outside the caller’s scope, in items or in the total', async () => {
    const res = await bandung.request('GET', '/api/members?q=rizki');
    expect(res.json().items.map((m: { fullName: string }) => m.fullName)).toEqual(['Muhammad Rizki Pratama']);
    expect(res.json().total).toBe(1);
    expect(await names(bandung, 'q=siti')).toEqual([]);
    // Filtering by another region narrows the scope; it never widens it.
    expect(await names(bandung, 'regionCode=35.73')).toEqual([]);
    expect(await names(bandung, `communityId=${music.id}`)).toEqual([]);
    // A community admin sees the members of their community, wherever they live, and no one else.
    expect((await names(communityAdmin, 'limit=200')).sort()).toEqual(['Joko Widodo', 'Muhammad Rizki Pratama']);
    expect(await names(communityAdmin, 'q=soekarno')).toEqual([]);
  });

  it('never lists deleted members, and returns nothing for a query without letters', async () => {
    expect(await names(national, 'q=deleted')).toEqual([]);
    expect(await national.request('GET', '/api/members?q=--').then((r) => r.json())).toEqual({ items: [], total: 0 });
  });

  it('pages through results with a stable total', async () => {
    const first = await national.request('GET', '/api/members?limit=3&offset=0');
    const second = await national.request('GET', '/api/members?limit=3&offset=3');
    expect(first.json().total).toBe(11);
    expect(second.json().total).toBe(11);
    const ids = [...first.json().items, ...second.json().items].map((m: { id: number }) => m.id);
    expect(new Set(ids).size).toBe(6);
  });

  it('refuses a NIK or phone number typed into the search box: they do not belong in a URL', async () => {
    for (const q of ['3273011205900001', '0812-3456-7890']) {
      const res = await national.request('GET', `/api/members?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ code: 'search_without_numbers', path: 'querystring.q' });
    }
  });

  it('rejects a region filter that is not a region', async () => {
    const res = await national.request('GET', '/api/members?regionCode=99');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ code: 'unknown_region', path: 'querystring.regionCode' });
  });
});

describe('community name search', () => {
  it('finds communities by part of the name, with typos, within scope and filters', async () => {
    const list = async (client: Client, query: string) =>
      (await client.request('GET', `/api/communities?${query}`)).json().items.map((c: { name: string }) => c.name);
    expect(await list(national, 'q=fotograi%20bandung')).toEqual(['Komunitas Fotografi Bandung']);
    expect(await list(national, 'q=musik')).toEqual(['Kolektif Musik Malang']);
    expect(await list(national, 'subsector=seni-pertunjukan')).toEqual(['Sanggar Tari Sekar']);
    expect(await list(bandung, 'q=musik')).toEqual([]);
    expect(await list(bandung, '')).toEqual(['Komunitas Fotografi Bandung']);
    expect(await list(communityAdmin, '')).toEqual(['Komunitas Fotografi Bandung']);
    const res = await national.request('GET', '/api/communities?q=fotografi');
    expect(res.json().items[0]).toMatchObject({ memberCount: 2, subsectors: ['fotografi'], regency: { code: '32.73', name: 'Kota Bandung' } });
  });
});
