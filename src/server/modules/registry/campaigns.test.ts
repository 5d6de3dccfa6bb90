import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { loadConfig } from '../../platform/config.ts';
import { anonymous, communityAdminGrant, grants, login, makeCommunity, makeMember, makeUser, type Client } from '../../../../test/factories.ts';

let sys: TestSystem;
let bandung: Client;
let malang: Client;
let jabar: Client;
let national: Client;

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
const tokenOf = (url: string) => url.split('/').pop()!;

beforeAll(async () => {
  sys = await createTestSystem({ publicUrl: 'https://simpul.example' });
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  malang = await login(sys.app, await makeUser(sys.ctx, { regionCode: '35.73', grants: [grants.regencyCoordinator('35.73')] }));
  jabar = await login(sys.app, await makeUser(sys.ctx, { regionCode: '32', grants: [grants.provinceCoordinator('32')] }));
  national = await login(sys.app, await makeUser(sys.ctx, { regionCode: null, grants: [grants.nationalAdmin()] }));
});
afterAll(async () => {
  await sys?.close();
});

async function start(client: Client, scopeType: 'national' | 'province' | 'regency', scopeCode: string, message?: string) {
  const res = await client.request('POST', '/api/registry/update-campaigns', { scopeType, scopeCode, endsAt: inDays(7), ...(message && { message }) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; members: number };
}

describe('update campaigns: list, detail, progress', () => {
  it('shows each coordinator only the campaigns of their own region, never a neighbour’s', async () => {
    const own = await start(bandung, 'regency', '32.73');
    const other = await start(malang, 'regency', '35.73');
    const province = await start(jabar, 'province', '32');

    const ids = async (c: Client) => ((await c.request('GET', '/api/registry/update-campaigns?limit=100')).json().items as { id: number }[]).map((i) => i.id);
    expect(await ids(bandung)).toContain(own.id);
    expect(await ids(bandung)).not.toContain(other.id);
    // The province's campaign counts other regencies too: not the regency coordinator's to see or run.
    expect(await ids(bandung)).not.toContain(province.id);
    expect(await ids(malang)).toEqual(expect.arrayContaining([other.id]));
    expect(await ids(malang)).not.toContain(own.id);
    expect(await ids(jabar)).toEqual(expect.arrayContaining([own.id, province.id]));
    expect(await ids(jabar)).not.toContain(other.id);
    expect(await ids(national)).toEqual(expect.arrayContaining([own.id, other.id, province.id]));

    // Progress counts the members of the whole scope: a province through its regencies, the country as a whole.
    const active = async (like?: string) => {
      let q = sys.ctx.db.selectFrom('members').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'active');
      if (like) q = q.where('regency_code', 'like', like);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    expect((await jabar.request('GET', `/api/registry/update-campaigns/${province.id}`)).json().members).toBe(await active('32.%'));
    const country = await start(national, 'national', '');
    expect(country.members).toBe(await active());
    expect(await ids(jabar)).not.toContain(country.id);

    expect((await bandung.request('GET', `/api/registry/update-campaigns/${own.id}`)).statusCode).toBe(200);
    const peek = await bandung.request('GET', `/api/registry/update-campaigns/${other.id}`);
    expect(peek.statusCode).toBe(403);
    expect(peek.body).not.toContain('35.73');
    expect((await bandung.request('GET', `/api/registry/update-campaigns/${province.id}`)).statusCode).toBe(403);
    expect((await bandung.request('GET', '/api/registry/update-campaigns/999999')).statusCode).toBe(404);

    // Nor export (issue) its links, as JSON or CSV; nothing is issued by the refused calls.
    expect((await bandung.request('POST', `/api/registry/update-campaigns/${other.id}/links`)).statusCode).toBe(403);
    const csv = await bandung.request('POST', `/api/registry/update-campaigns/${other.id}/links.csv`);
    expect(csv.statusCode).toBe(403);
    expect(csv.headers['content-type']).not.toMatch(/csv/);
    const issued = await sys.ctx.db.selectFrom('update_links').select('token_hash').where('campaign_id', '=', other.id).execute();
    expect(issued).toEqual([]);
  });

  it('is for those who manage the registry in a region: not community admins, members or the public', async () => {
    const community = await makeCommunity(sys.ctx, { regencyCode: '32.73' });
    const leader = await login(sys.app, await makeUser(sys.ctx, { grants: [communityAdminGrant(community.id)] }));
    const member = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.member('32.73')] }));
    const own = await start(bandung, 'regency', '32.73');
    for (const c of [leader, member]) {
      expect((await c.request('GET', '/api/registry/update-campaigns')).statusCode).toBe(403);
      expect((await c.request('GET', `/api/registry/update-campaigns/${own.id}`)).statusCode).toBe(403);
      expect((await c.request('POST', `/api/registry/update-campaigns/${own.id}/links.csv`)).statusCode).toBe(403);
      expect((await c.request('GET', '/api/registry/pending-approvals')).statusCode).toBe(403);
    }
    expect((await anonymous(sys.app).request('GET', '/api/registry/update-campaigns')).statusCode).toBe(401);
    expect((await anonymous(sys.app).request('POST', `/api/registry/update-campaigns/${own.id}/links.csv`)).statusCode).toBe(401);
  });

  it('counts progress: members in scope, links issued and used, members verified since the start; re-issuing skips who answered', async () => {
    // A regency of its own (Kab. Garut, 32.05) so the counts are exact.
    const members = [
      await makeMember(sys.ctx, { regencyCode: '32.05', phone: '+6281311113333' }),
      await makeMember(sys.ctx, { regencyCode: '32.05' }),
      await makeMember(sys.ctx, { regencyCode: '32.05' }),
    ];
    await makeMember(sys.ctx, { regencyCode: '32.05', status: 'pending' });
    const campaign = await start(jabar, 'regency', '32.05', 'Perbarui data, ya');
    expect(campaign).toMatchObject({ members: 3, linksIssued: 0, linksUsed: 0, verified: 0, active: true, scopeName: expect.stringMatching(/GARUT/i) });

    const issued = await jabar.request('POST', `/api/registry/update-campaigns/${campaign.id}/links`);
    expect(issued.statusCode, issued.body).toBe(200);
    const items = issued.json().items as { memberId: number; url: string; phone: string | null; whatsappUrl: string }[];
    expect(items.map((i) => i.memberId)).toEqual(members.map((m) => m.id));
    // SIMPUL_PUBLIC_URL makes the links absolute, whatever host the coordinator used.
    expect(items[0].url).toMatch(/^https:\/\/simpul\.example\/perbarui\/[A-Za-z0-9_-]{32}$/);
    expect(items[0].whatsappUrl).toBe(`https://wa.me/6281311113333?text=${encodeURIComponent(`Perbarui data, ya ${items[0].url}`)}`);
    expect(items[0].phone).toBe('+6281311113333');

    const answered = await anonymous(sys.app).request('PATCH', `/api/public/update/${tokenOf(items[0].url)}`, {});
    expect(answered.statusCode, answered.body).toBe(200);

    const progress = (await jabar.request('GET', `/api/registry/update-campaigns/${campaign.id}`)).json();
    expect(progress).toMatchObject({ members: 3, linksIssued: 3, linksUsed: 1, verified: 1, lastIssuedAt: expect.any(String) });

    // Again: new links for the two who have not answered; theirs from before stop working.
    const again = await jabar.request('POST', `/api/registry/update-campaigns/${campaign.id}/links`);
    expect(again.json().skipped).toBe(1);
    expect((again.json().items as { memberId: number }[]).map((i) => i.memberId)).toEqual([members[1].id, members[2].id]);
    expect((await anonymous(sys.app).request('GET', `/api/public/update/${tokenOf(items[1].url)}`)).statusCode).toBe(404);
    expect((await jabar.request('GET', `/api/registry/update-campaigns/${campaign.id}`)).json()).toMatchObject({ linksIssued: 3, linksUsed: 1, verified: 1 });

    const log = await sys.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_type', '=', 'update_campaign')
      .where('entity_id', '=', String(campaign.id))
      .where('action', '=', 'update_campaign.links_issued')
      .orderBy('id')
      .execute();
    expect(log.map((l) => l.after)).toEqual([
      { links: 3, skipped_answered: 0, phones_revealed: 1 },
      { links: 2, skipped_answered: 1, phones_revealed: 0 },
    ]);
  });

  it('refuses to issue links once the campaign has ended', async () => {
    const c = await start(bandung, 'regency', '32.73');
    await sys.ctx.db.updateTable('update_campaigns').set({ ends_at: new Date(Date.now() - 1000) }).where('id', '=', c.id).execute();
    expect((await bandung.request('POST', `/api/registry/update-campaigns/${c.id}/links.csv`)).statusCode).toBe(410);
    expect((await bandung.request('GET', `/api/registry/update-campaigns/${c.id}`)).json().active).toBe(false);
  });
});

describe('POST /api/registry/update-campaigns/:id/links.csv', () => {
  it('issues the links as a UTF-8 CSV with BOM: name, phone, absolute link, wa.me link, expiry; formulas defused', async () => {
    await makeMember(sys.ctx, { regencyCode: '32.06', fullName: 'Ñoman Śukma', phone: '+6281299990000' });
    await makeMember(sys.ctx, { regencyCode: '32.06', fullName: '=HYPERLINK("http://jahat.example")' });
    const c = await start(jabar, 'regency', '32.06');
    const res = await jabar.request('POST', `/api/registry/update-campaigns/${c.id}/links.csv`, undefined, { 'accept-language': 'id' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="tautan-pembaruan-${c.id}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('ID Anggota,Nama,No. HP,Tautan pembaruan,Tautan WhatsApp,Berlaku sampai');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^\d+,Ñoman Śukma,\+6281299990000,https:\/\/simpul\.example\/perbarui\/[A-Za-z0-9_-]{32},https:\/\/wa\.me\/6281299990000\?text=\S+,\d{4}-\d{2}-\d{2}T/);
    expect(lines[2]).toContain(`,"'=HYPERLINK(""http://jahat.example"")",`);
    // The links in the file work: it was the issuing.
    const token = /perbarui\/([A-Za-z0-9_-]{32})/.exec(lines[1])![1];
    expect((await anonymous(sys.app).request('GET', `/api/public/update/${token}`)).statusCode).toBe(200);

    const en = await jabar.request('POST', `/api/registry/update-campaigns/${c.id}/links.csv`, undefined, { 'accept-language': 'en' });
    expect(en.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('Member ID,Name,Phone,Update link,WhatsApp link,Valid until');
  });
});

describe('GET /api/registry/pending-approvals', () => {
  it('counts pending members and communities in scope, overdue after 3×24 hours, oldest first', async () => {
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const old = await makeMember(sys.ctx, { regencyCode: '32.73', status: 'pending', fullName: 'Menunggu Lama' });
    await makeMember(sys.ctx, { regencyCode: '32.73', status: 'pending', fullName: 'Menunggu Baru' });
    const far = await makeMember(sys.ctx, { regencyCode: '35.73', status: 'pending', fullName: 'Orang Malang' });
    const community = await makeCommunity(sys.ctx, { regencyCode: '32.73', status: 'pending', name: 'Komunitas Menunggu' });
    await makeCommunity(sys.ctx, { regencyCode: '35.73', status: 'pending', name: 'Komunitas Malang' });
    await sys.ctx.db.updateTable('members').set({ created_at: hoursAgo(80) }).where('id', 'in', [old.id, far.id]).execute();
    await sys.ctx.db.updateTable('communities').set({ created_at: hoursAgo(73) }).where('id', '=', community.id).execute();

    const res = await bandung.request('GET', '/api/registry/pending-approvals');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.deadlineHours).toBe(72);
    expect(body.members).toMatchObject({ pending: 2, overdue: 1 });
    expect(body.members.oldest[0]).toMatchObject({ id: old.id, name: 'Menunggu Lama', overdue: true, regency: { code: '32.73' } });
    expect(body.members.oldest[1]).toMatchObject({ name: 'Menunggu Baru', overdue: false });
    expect(body.communities).toMatchObject({ pending: 1, overdue: 1, oldest: [{ id: community.id, overdue: true }] });
    expect(res.body).not.toContain('Malang');

    const m = (await malang.request('GET', '/api/registry/pending-approvals')).json();
    expect(m.members).toMatchObject({ pending: 1, overdue: 1 });
    expect(JSON.stringify(m)).not.toContain('Menunggu');
    const n = (await national.request('GET', '/api/registry/pending-approvals')).json();
    expect(n.members.pending).toBeGreaterThanOrEqual(3);
  });
});

describe('SIMPUL_PUBLIC_URL', () => {
  it('is an http(s) address, kept without a trailing slash; unset means the request’s origin', () => {
    expect(loadConfig({ SIMPUL_PUBLIC_URL: 'https://simpul.example/' }).publicUrl).toBe('https://simpul.example');
    expect(loadConfig({ SIMPUL_PUBLIC_URL: 'https://iccn.example/simpul' }).publicUrl).toBe('https://iccn.example/simpul');
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(() => loadConfig({ SIMPUL_PUBLIC_URL: 'simpul.example' })).toThrow(/SIMPUL_PUBLIC_URL/);
    expect(() => loadConfig({ SIMPUL_PUBLIC_URL: 'ftp://simpul.example' })).toThrow(/SIMPUL_PUBLIC_URL/);
  });
});
