import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import {
  communityAdminGrant,
  grants,
  login,
  makeCommunity,
  makeMember,
  makeUser,
  type Client,
  type MadeCommunity,
} from '../../../../test/factories.ts';

// 32.73.01 is Sukasari, Kota Bandung. Born 12 May 1990; women have 40 added to the day.
const NIK_MAN = '3273011205900001';
const NIK_WOMAN = '3273015205900002';

let sys: TestSystem;
let coordinator: Client;
let communityAdmin: Client;
let community: MadeCommunity;

beforeAll(async () => {
  sys = await createTestSystem();
  coordinator = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  community = await makeCommunity(sys.ctx, { name: 'Komunitas Fotografi Bandung', regencyCode: '32.73' });
  communityAdmin = await login(sys.app, await makeUser(sys.ctx, { grants: [communityAdminGrant(community.id)] }));
});
afterAll(async () => {
  await sys?.close();
});

const validMember = (over: Record<string, unknown> = {}) => ({
  fullName: 'Siti Rahmawati',
  nik: NIK_WOMAN,
  phone: '0812-3456-7890',
  email: 'siti@contoh.id',
  gender: 'P',
  birthDate: '1990-05-12',
  regencyCode: '32.73',
  districtCode: '32.73.01',
  subsectors: ['fotografi', 'kuliner'],
  skills: ['Fotografi produk', 'fotografi produk', 'Editing'],
  portfolioLinks: ['https://contoh.id/siti'],
  communities: [{ communityId: community.id, role: 'leader' }],
  ...over,
});

async function auditRows(entityId: number, action?: string) {
  let q = sys.ctx.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'member').where('entity_id', '=', String(entityId));
  if (action) q = q.where('action', '=', action);
  return q.orderBy('id').execute();
}

describe('creating and reading members', () => {
  it('saves a member with a normalised phone and shows NIK and phone masked', async () => {
    const res = await coordinator.request('POST', '/api/members', validMember());
    expect(res.statusCode, res.body).toBe(201);
    const { member, warnings } = res.json();
    expect(warnings).toEqual([]);
    expect(member).toMatchObject({
      fullName: 'Siti Rahmawati',
      nik: '3273********0002',
      phone: '+6281******890',
      gender: 'P',
      regency: { code: '32.73', name: 'Kota Bandung' },
      district: { code: '32.73.01' },
      subsectors: ['fotografi', 'kuliner'],
      skills: ['Fotografi produk', 'Editing'],
      communities: [{ id: community.id, name: 'Komunitas Fotografi Bandung', role: 'leader' }],
      status: 'active',
      source: 'admin',
    });
    const row = await sys.ctx.db.selectFrom('members').selectAll().where('id', '=', member.id).executeTakeFirstOrThrow();
    expect(row.phone).toBe('+6281234567890');
    expect(row.nik).toBe(NIK_WOMAN);
    expect(row.search_name).toBe('siti rahmawati');

    const got = await coordinator.request('GET', `/api/members/${member.id}`);
    expect(got.json().nik).toBe('3273********0002');
    expect(got.body).not.toContain(NIK_WOMAN);
    expect(got.body).not.toContain('+6281234567890');

    const list = await coordinator.request('GET', '/api/members?q=siti');
    expect(list.body).not.toContain('+6281234567890');
    expect(list.json().items.find((m: { id: number }) => m.id === member.id).phone).toBe('+6281******890');

    // The audit entry is in the same transaction, and holds no NIK or phone in clear.
    const [entry] = await auditRows(member.id, 'member.create');
    expect(entry.actor_label).toMatch(/^user:\d+$/);
    expect(JSON.stringify(entry.after)).not.toContain(NIK_WOMAN);
    expect(JSON.stringify(entry.after)).not.toContain('+6281234567890');
    expect(entry.after).toMatchObject({ full_name: 'Siti Rahmawati', nik: '3273********0002', regency_code: '32.73' });
  });

  it('accepts a member without NIK, phone or anything optional', async () => {
    const res = await coordinator.request('POST', '/api/members', { fullName: 'Budi', regencyCode: '32.73' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().member).toMatchObject({ nik: null, phone: null, district: null, subsectors: [], communities: [] });
  });

  it('returns warnings, not errors, for an unknown regency inside the NIK and a sex or birth date that disagree', async () => {
    const res = await coordinator.request('POST', '/api/members', {
      fullName: 'Agus Salim',
      nik: '3299011205900003',
      gender: 'P',
      birthDate: '1990-05-13',
      regencyCode: '32.73',
    });
    expect(res.statusCode, res.body).toBe(201);
    const codes = res.json().warnings.map((w: { code: string }) => w.code);
    expect(codes).toEqual(['nik_regency_unknown', 'nik_gender_mismatch', 'nik_birth_date_mismatch']);
    expect(res.json().warnings[0].message).toContain('32.99');
    expect(res.json().warnings[0].message).toMatch(/tidak dikenal/);
  });

  it('reports every invalid field at once, in Indonesian or English', async () => {
    const body = validMember({
      nik: '9973013213900000',
      phone: '1234567',
      districtCode: '35.73.01',
      subsectors: ['fotografi', 'sulap'],
      portfolioLinks: ['javascript:alert(1)'],
      birthDate: '2999-01-01',
    });
    const schemaRes = await coordinator.request('POST', '/api/members', body);
    expect(schemaRes.statusCode).toBe(400);
    expect(schemaRes.json().errors.map((e: { code: string }) => e.code)).toContain('url_format');

    const res = await coordinator.request('POST', '/api/members', { ...body, portfolioLinks: [] });
    expect(res.statusCode).toBe(400);
    const errors = res.json().errors as { path: string; code: string; message: string }[];
    expect(errors.map((e) => `${e.path}:${e.code}`).sort()).toEqual(
      [
        'birthDate:birth_date_range',
        'districtCode:district_not_in_regency',
        'nik:nik_birth_date',
        'nik:nik_province',
        'nik:nik_serial',
        'phone:phone_format',
        'subsectors.1:unknown_subsector',
      ].sort(),
    );
    expect(errors.find((e) => e.code === 'unknown_subsector')!.message).toBe('Subsektor sulap tidak dikenal.');
    const en = await coordinator.request('POST', '/api/members', { ...body, portfolioLinks: [] }, { 'accept-language': 'en' });
    expect(en.json().errors.find((e: { code: string }) => e.code === 'unknown_subsector').message).toBe('Unknown subsector sulap.');
    expect(await sys.ctx.db.selectFrom('members').select('id').where('full_name', '=', 'Siti Rahmawati').where('phone', 'is', null).execute()).toEqual([]);
  });

  it('refuses a NIK that another member holds, and writes nothing', async () => {
    const before = await sys.ctx.db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await coordinator.request('POST', '/api/members', validMember({ fullName: 'Siti Kembar' }));
    expect(res.statusCode).toBe(409);
    expect(res.json().errors).toEqual([{ path: 'nik', code: 'nik_taken', message: 'NIK ini sudah terdaftar untuk anggota lain.' }]);
    expect(res.body).not.toContain(NIK_WOMAN);
    const after = await sys.ctx.db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses links to unknown or rejected communities', async () => {
    const rejected = await makeCommunity(sys.ctx, { status: 'rejected' });
    const res = await coordinator.request(
      'POST',
      '/api/members',
      validMember({ nik: null, communities: [{ communityId: 999999 }, { communityId: rejected.id }] }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['communities.0.communityId', 'communities.1.communityId']);
  });
});

describe('changing members', () => {
  it('changes fields, replaces lists and audits before and after', async () => {
    const m = await makeMember(sys.ctx, { fullName: 'Djoko Santoso', nik: NIK_MAN, phone: '+6281311112222', districtCode: '32.73.01', subsectors: ['musik'] });
    const res = await coordinator.request('PATCH', `/api/members/${m.id}`, {
      fullName: 'Joko Santoso',
      phone: '+62 813 3333 4444',
      subsectors: ['film-animasi-dan-video'],
      skills: ['Sinematografi'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().member).toMatchObject({ fullName: 'Joko Santoso', phone: '+6281******444', subsectors: ['film-animasi-dan-video'], skills: ['Sinematografi'] });
    const [entry] = await auditRows(m.id, 'member.update');
    expect(entry.before).toMatchObject({ full_name: 'Djoko Santoso', subsectors: ['musik'] });
    expect(entry.after).toMatchObject({ full_name: 'Joko Santoso', subsectors: ['film-animasi-dan-video'] });
    expect(JSON.stringify(entry)).not.toContain(NIK_MAN);
    expect(JSON.stringify(entry)).not.toContain('+6281333334444');
  });

  it('clears the district when the regency changes, and needs power over the new regency', async () => {
    const province = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.provinceCoordinator('32')] }));
    const m = await makeMember(sys.ctx, { districtCode: '32.73.01' });
    const res = await province.request('PATCH', `/api/members/${m.id}`, { regencyCode: '32.04' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().member).toMatchObject({ regency: { code: '32.04' }, district: null });
    const away = await makeMember(sys.ctx, { regencyCode: '32.73' });
    expect((await coordinator.request('PATCH', `/api/members/${away.id}`, { regencyCode: '35.73' })).json().code).toBe('out_of_scope');
  });

  it('warns when a new gender disagrees with the stored NIK', async () => {
    const m = await makeMember(sys.ctx, { nik: '3273011205900009', gender: 'L' });
    const res = await coordinator.request('PATCH', `/api/members/${m.id}`, { gender: 'P' });
    expect(res.statusCode).toBe(200);
    expect(res.json().warnings.map((w: { code: string }) => w.code)).toEqual(['nik_gender_mismatch']);
  });

  it('refuses an empty change', async () => {
    const m = await makeMember(sys.ctx);
    const res = await coordinator.request('PATCH', `/api/members/${m.id}`, {});
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].code).toBe('nothing_to_change');
  });

  it('lets a community admin add and edit their own members, but not link them elsewhere or move them', async () => {
    const created = await communityAdmin.request('POST', '/api/members', {
      fullName: 'Rina Anggraini',
      regencyCode: '35.73',
      communities: [{ communityId: community.id }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().member.id;
    expect((await communityAdmin.request('PATCH', `/api/members/${id}`, { skills: ['Tata rias'] })).statusCode).toBe(200);
    const other = await makeCommunity(sys.ctx, { regencyCode: '32.73' });
    const link = await communityAdmin.request('PATCH', `/api/members/${id}`, {
      communities: [{ communityId: community.id }, { communityId: other.id }],
    });
    expect(link.statusCode).toBe(403);
    expect((await communityAdmin.request('PATCH', `/api/members/${id}`, { regencyCode: '32.73' })).statusCode).toBe(403);
    // Without a link to their community they cannot create anyone.
    expect((await communityAdmin.request('POST', '/api/members', { fullName: 'Orang Lain', regencyCode: '32.73' })).statusCode).toBe(403);
  });
});

describe('revealing personal data', () => {
  it('shows the NIK or phone in clear to a coordinator of the region and logs who, what and why', async () => {
    const m = await makeMember(sys.ctx, { nik: '3273011205900011', phone: '+6281298765432' });
    const res = await coordinator.request('POST', `/api/members/${m.id}/reveal`, { field: 'nik', reason: 'Verifikasi penerima bantuan' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ field: 'nik', value: '3273011205900011' });
    expect(res.headers['cache-control']).toBe('no-store');
    const phone = await coordinator.request('POST', `/api/members/${m.id}/reveal`, { field: 'phone', reason: 'Menghubungi anggota' });
    expect(phone.json().value).toBe('+6281298765432');

    const entries = await auditRows(m.id, 'member.reveal');
    expect(entries.map((e) => [e.after, e.reason])).toEqual([
      [{ field: 'nik' }, 'Verifikasi penerima bantuan'],
      [{ field: 'phone' }, 'Menghubungi anggota'],
    ]);
    expect(JSON.stringify(entries)).not.toContain('3273011205900011');
    expect(JSON.stringify(entries)).not.toContain('+6281298765432');
  });

  it('needs a reason, and the permission: a community admin never reveals', async () => {
    const m = await makeMember(sys.ctx, { nik: '3273011205900012', communities: [{ communityId: community.id }] });
    expect((await coordinator.request('POST', `/api/members/${m.id}/reveal`, { field: 'nik' })).statusCode).toBe(400);
    expect((await coordinator.request('POST', `/api/members/${m.id}/reveal`, { field: 'nik', reason: 'x' })).statusCode).toBe(400);
    const res = await communityAdmin.request('POST', `/api/members/${m.id}/reveal`, { field: 'nik', reason: 'ingin tahu saja' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
    expect(await auditRows(m.id, 'member.reveal')).toEqual([]);
  });

  it('never puts a NIK in a URL: no path or query parameter of the API is a NIK', async () => {
    const doc = (await sys.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const params: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { parameters?: { name: string }[] }>>)) {
      if (path.toLowerCase().includes('nik')) params.push(path);
      for (const op of Object.values(ops)) for (const p of op.parameters ?? []) params.push(p.name);
    }
    expect(params.filter((p) => /nik|phone|email/i.test(p))).toEqual([]);
  });
});

describe('decisions and self', () => {
  it('approves a pending member once', async () => {
    const m = await makeMember(sys.ctx, { status: 'pending' });
    const ok = await coordinator.request('POST', `/api/members/${m.id}/decision`, { decision: 'approve', note: 'Data lengkap' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('active');
    const again = await coordinator.request('POST', `/api/members/${m.id}/decision`, { decision: 'reject' });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].code).toBe('not_pending');
    const [entry] = await auditRows(m.id, 'member.approve');
    expect(entry).toMatchObject({ before: { status: 'pending' }, after: { status: 'active' }, reason: 'Data lengkap' });
  });

  it('a community admin cannot approve', async () => {
    const m = await makeMember(sys.ctx, { status: 'pending', communities: [{ communityId: community.id }] });
    const res = await communityAdmin.request('POST', `/api/members/${m.id}/decision`, { decision: 'approve' });
    expect(res.statusCode).toBe(403);
  });

  it('a member reads their own record, masked, and nobody else’s', async () => {
    const user = await makeUser(sys.ctx, { grants: [grants.member('32.73')] });
    const own = await makeMember(sys.ctx, { userId: user.id, nik: '3273011205900013' });
    const other = await makeMember(sys.ctx);
    const client = await login(sys.app, user);
    const me = await client.request('GET', '/api/members/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: own.id, nik: '3273********0013' });
    expect((await client.request('GET', `/api/members/${own.id}`)).statusCode).toBe(200);
    expect((await client.request('GET', `/api/members/${other.id}`)).json().code).toBe('forbidden');
    expect((await client.request('PATCH', `/api/members/${own.id}`, { skills: ['x'] })).statusCode).toBe(403);
    expect((await coordinator.request('GET', '/api/members/me')).statusCode).toBe(404);
  });
});
