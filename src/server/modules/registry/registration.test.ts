import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { anonymous, grants, login, makeMember, makeUser, type Client } from '../../../../test/factories.ts';
import { invalidateRegistryDashboard } from './dashboard.service.ts';
import { REGISTRATION_LIMITS } from './registration.service.ts';

// 32.73.01 is Sukasari, Kota Bandung. Born 12 May 1990; women have 40 added to the day.
const NIK = '3273015205900002';

let sys: TestSystem;
let bandung: Client;
let malang: Client;
let ipCounter = 0;

beforeAll(async () => {
  sys = await createTestSystem();
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  malang = await login(sys.app, await makeUser(sys.ctx, { regionCode: '35.73', grants: [grants.regencyCoordinator('35.73')] }));
});
afterAll(async () => {
  await sys?.close();
});

const consents = (over: Partial<Record<string, { version?: number; granted?: boolean } | null>> = {}) =>
  (['registry', 'programmes', 'contact'] as const).flatMap((purpose) => {
    const o = over[purpose];
    if (o === null) return [];
    return [{ purpose, version: o?.version ?? 1, granted: o?.granted ?? true }];
  });

const registration = (over: Record<string, unknown> = {}) => ({
  fullName: 'Siti Rahmawati',
  phone: '0812-3456-7890',
  email: `siti${++ipCounter}@contoh.id`,
  gender: 'P',
  birthDate: '1990-05-12',
  regencyCode: '32.73',
  districtCode: '32.73.01',
  subsectors: ['fotografi'],
  skills: ['Fotografi produk'],
  portfolioLinks: ['https://contoh.id/siti'],
  consents: consents(),
  ...over,
});

/** Every test posts from its own address, so the anti-spam limit does not leak between tests. */
function post(url: string, body: unknown, ip = `10.9.${Math.floor(ipCounter / 200)}.${(ipCounter++ % 200) + 1}`) {
  return sys.app.inject({ method: 'POST', url, payload: body as never, remoteAddress: ip });
}

describe('GET /api/public/consent-texts', () => {
  it('lists the current text per purpose in the caller’s language, the required one first', async () => {
    const id = await anonymous(sys.app).request('GET', '/api/public/consent-texts');
    expect(id.statusCode).toBe(200);
    const items = id.json().items as { purpose: string; version: number; required: boolean; text: string }[];
    expect(items.map((i) => [i.purpose, i.version, i.required])).toEqual([
      ['registry', 1, true],
      ['contact', 1, false],
      ['programmes', 1, false],
    ]);
    expect(items[0].text).toMatch(/^Saya setuju/);
    const en = await anonymous(sys.app).request('GET', '/api/public/consent-texts', undefined, { 'accept-language': 'en' });
    expect(en.json().items[0].text).toMatch(/^I agree/);
  });
});

describe('POST /api/public/registrations/members', () => {
  it('stores a pending self-registration with its consents, audited as self-registration', async () => {
    const res = await post('/api/public/registrations/members', registration({ nik: NIK, consents: consents({ contact: { granted: false } }) }));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toEqual({ reference: expect.stringMatching(/^M-\d+$/), status: 'pending' });
    const id = Number(body.reference.slice(2));
    const m = await sys.ctx.db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(m).toMatchObject({ status: 'pending', source: 'self_registration', phone: '+6281234567890', nik: NIK, user_id: null });
    const rows = await sys.ctx.db.selectFrom('consents').selectAll().where('subject_type', '=', 'member').where('subject_id', '=', id).orderBy('purpose').execute();
    expect(rows.map((r) => [r.purpose, r.text_version, r.granted, r.source])).toEqual([
      ['contact', 1, false, 'self_registration'],
      ['programmes', 1, true, 'self_registration'],
      ['registry', 1, true, 'self_registration'],
    ]);
    expect(rows.every((r) => r.recorded_at instanceof Date)).toBe(true);
    const log = await sys.ctx.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'member').where('entity_id', '=', String(id)).execute();
    expect(log.map((l) => [l.action, l.actor_id, l.actor_label])).toEqual([['member.create', null, 'self-registration']]);
  });

  it('refuses without the required consent, with it refused, or with an old version of its text', async () => {
    const before = await sys.ctx.db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const missing = await post('/api/public/registrations/members', registration({ consents: consents({ registry: null }) }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([expect.objectContaining({ path: 'consents', code: 'consent_required' })]);
    const refused = await post('/api/public/registrations/members', registration({ consents: consents({ registry: { granted: false } }) }));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].code).toBe('consent_required');

    // A second version of the registry text is published: answers to version 1 are outdated.
    await sys.ctx.db
      .insertInto('consent_texts')
      .values({ purpose: 'registry', version: 2, required: true, text_id: 'Teks baru.', text_en: 'New text.' })
      .execute();
    try {
      const old = await post('/api/public/registrations/members', registration());
      expect(old.statusCode).toBe(400);
      expect(old.json().errors).toEqual([expect.objectContaining({ path: 'consents.0.version', code: 'consent_version_outdated' })]);
      const current = await post('/api/public/registrations/members', registration({ consents: consents({ registry: { version: 2 } }) }));
      expect(current.statusCode, current.body).toBe(201);
      const texts = await anonymous(sys.app).request('GET', '/api/public/consent-texts');
      expect(texts.json().items[0]).toMatchObject({ purpose: 'registry', version: 2, text: 'Teks baru.' });
    } finally {
      await sys.ctx.db.deleteFrom('consents').where('purpose', '=', 'registry').where('text_version', '=', 2).execute();
      await sys.ctx.db.deleteFrom('consent_texts').where('purpose', '=', 'registry').where('version', '=', 2).execute();
    }
    const unknown = await post('/api/public/registrations/members', registration({ consents: [...consents(), { purpose: 'marketing', version: 1, granted: true }] }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].code).toBe('unknown_consent_purpose');
    const after = await sys.ctx.db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);
  });

  it('validates like the coordinator form and ignores community links (a coordinator sets those)', async () => {
    const res = await post('/api/public/registrations/members', registration({ regencyCode: '32', phone: '123456', subsectors: ['nope'] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { code: string }) => e.code).sort()).toEqual(['district_not_in_regency', 'phone_format', 'regency_required', 'unknown_subsector']);
    const withCommunity = await post('/api/public/registrations/members', registration({ communities: [{ communityId: 1, role: 'leader' }] }));
    expect(withCommunity.statusCode).toBe(201);
    const id = Number(withCommunity.json().reference.slice(2));
    const links = await sys.ctx.db.selectFrom('member_communities').selectAll().where('member_id', '=', id).execute();
    expect(links).toEqual([]);
  });

  it('answers a NIK that is already registered exactly like a fresh one: stored without it, the coordinator told', async () => {
    const holder = await sys.ctx.db.selectFrom('members').select('id').where('nik', '=', NIK).executeTakeFirstOrThrow();
    const fresh = await post('/api/public/registrations/members', registration({ nik: null, fullName: 'Orang Baru' }));
    const taken = await post('/api/public/registrations/members', registration({ nik: NIK, fullName: 'Orang Lain' }));
    expect(taken.statusCode, taken.body).toBe(201);
    expect(taken.statusCode).toBe(fresh.statusCode);
    expect(Object.keys(taken.json()).sort()).toEqual(Object.keys(fresh.json()).sort());
    expect(taken.body).not.toMatch(/Siti|nik/i);

    const id = Number(taken.json().reference.slice(2));
    const stored = await sys.ctx.db.selectFrom('members').select(['status', 'nik', 'full_name']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'pending', nik: null, full_name: 'Orang Lain' });
    const note = await sys.ctx.db
      .selectFrom('audit_log')
      .select(['after'])
      .where('action', '=', 'member.registration_nik_exists')
      .where('entity_id', '=', String(id))
      .executeTakeFirstOrThrow();
    expect(note.after).toMatchObject({ nik_held_by_member_id: holder.id });
  });

  it('creates a member login when a password and an e-mail are given', async () => {
    const email = `login${Date.now()}@contoh.id`;
    const noEmail = await post('/api/public/registrations/members', registration({ email: null, password: 'kata-sandi-rahasia' }));
    expect(noEmail.statusCode).toBe(400);
    expect(noEmail.json().errors[0]).toMatchObject({ path: 'email', code: 'email_required_for_login' });
    const short = await post('/api/public/registrations/members', registration({ email, password: 'pendek' }));
    expect(short.statusCode).toBe(400);

    const res = await post('/api/public/registrations/members', registration({ email, password: 'kata-sandi-rahasia' }));
    expect(res.statusCode, res.body).toBe(201);
    const me = await login(sys.app, { email, password: 'kata-sandi-rahasia' }, '10.200.0.1');
    const own = await me.request('GET', '/api/members/me');
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ id: Number(res.json().reference.slice(2)), status: 'pending', email });
    const grantsOf = await sys.ctx.db.selectFrom('role_assignments').select(['role', 'scope_type', 'scope_code']).where('user_id', '=', own.json().userId).execute();
    expect(grantsOf).toEqual([{ role: 'member', scope_type: 'regency', scope_code: '32.73' }]);
  });

  it('answers a registration with an e-mail that already has a login exactly like a fresh one, and leaves it to the coordinator', async () => {
    const existing = await makeUser(sys.ctx, { email: `ada${Date.now()}@contoh.id`, password: 'sandi-pemilik-asli' });
    const fresh = await post('/api/public/registrations/members', registration({ email: `baru${Date.now()}@contoh.id`, password: 'kata-sandi-rahasia' }));
    const taken = await post('/api/public/registrations/members', registration({ email: existing.email.toUpperCase(), password: 'kata-sandi-penyusup' }));
    expect(taken.statusCode, taken.body).toBe(fresh.statusCode);
    expect(taken.statusCode).toBe(201);
    expect(Object.keys(taken.json()).sort()).toEqual(Object.keys(fresh.json()).sort());
    expect(taken.json()).toEqual({ reference: expect.stringMatching(/^M-\d+$/), status: 'pending' });
    expect(taken.headers['content-type']).toBe(fresh.headers['content-type']);

    // No second account, the owner's password unchanged, the other one useless; the record waits for a coordinator.
    const accounts = await sys.ctx.db.selectFrom('users').select('id').where('email', '=', existing.email).execute();
    expect(accounts).toEqual([{ id: existing.id }]);
    await expect(login(sys.app, { email: existing.email, password: 'kata-sandi-penyusup' }, '10.200.0.2')).rejects.toThrow(/401/);
    await expect(login(sys.app, { email: existing.email, password: 'sandi-pemilik-asli' }, '10.200.0.3')).resolves.toBeTruthy();
    const id = Number(taken.json().reference.slice(2));
    const m = await sys.ctx.db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(m).toMatchObject({ status: 'pending', user_id: null, email: existing.email });
    const note = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'member')
      .where('entity_id', '=', String(id))
      .where('action', '=', 'member.registration_account_exists')
      .executeTakeFirstOrThrow();
    expect(note.after).toEqual({ existing_user_id: existing.id });
    const pending = await bandung.request('GET', '/api/members?status=pending&limit=200');
    expect(pending.json().items.map((i: { id: number }) => i.id)).toContain(id);
  });

  it(`refuses the ${REGISTRATION_LIMITS.limit + 1}th registration from one address within the hour, shared through the database`, async () => {
    const ip = '10.77.0.1';
    await sys.ctx.db
      .insertInto('login_attempts')
      .values(Array.from({ length: REGISTRATION_LIMITS.limit - 1 }, () => ({ client_key: `registration:${ip}`, succeeded: true })))
      .execute();
    const last = await post('/api/public/registrations/members', registration(), ip);
    expect(last.statusCode, last.body).toBe(201);
    const over = await post('/api/public/registrations/communities', { name: 'Komunitas Spam', regencyCode: '32.73', contactName: 'Spammer', consents: consents() }, ip);
    expect(over.statusCode).toBe(429);
    expect(over.json().code).toBe('rate_limited');
    // Another address is not affected, and logins from the same address still work.
    expect((await post('/api/public/registrations/members', registration(), '10.77.0.2')).statusCode).toBe(201);
    await expect(login(sys.app, await makeUser(sys.ctx), ip)).resolves.toBeTruthy();
  });
});

describe('POST /api/public/registrations/communities', () => {
  it('stores a pending community with its consents', async () => {
    const res = await post('/api/public/registrations/communities', {
      name: 'Komunitas Batik Cimahi',
      regencyCode: '32.73',
      subsectors: ['kriya'],
      description: 'Membatik bersama.',
      contactName: 'Dewi',
      contactPhone: '0812 1111 2222',
      socialLinks: [{ kind: 'instagram', url: 'https://instagram.com/batik' }],
      legalStatus: 'perkumpulan',
      foundingYear: 2015,
      consents: consents(),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ reference: expect.stringMatching(/^C-\d+$/), status: 'pending' });
    const id = Number(res.json().reference.slice(2));
    const c = await sys.ctx.db.selectFrom('communities').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(c).toMatchObject({ status: 'pending', contact_phone: '+6281211112222', legal_status: 'perkumpulan' });
    const rows = await sys.ctx.db.selectFrom('consents').select('purpose').where('subject_type', '=', 'community').where('subject_id', '=', id).execute();
    expect(rows).toHaveLength(3);

    const listed = await bandung.request('GET', '/api/communities?status=pending');
    expect(listed.json().items.map((i: { id: number }) => i.id)).toContain(id);
    const elsewhere = await malang.request('POST', `/api/communities/${id}/decision`, { decision: 'approve' });
    expect(elsewhere.statusCode).toBe(403);
    const approved = await bandung.request('POST', `/api/communities/${id}/decision`, { decision: 'approve' });
    expect(approved.statusCode, approved.body).toBe(200);
  });

  it('refuses without the registry consent', async () => {
    const res = await post('/api/public/registrations/communities', { name: 'Komunitas X', regencyCode: '32.73', contactName: 'Dewi', consents: consents({ registry: null }) });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].code).toBe('consent_required');
  });
});

describe('register → approve → counted', () => {
  it('shows the registration only to the coordinator of its regency, and counts it once approved', async () => {
    // Enough active members in province 32 that the public figure is a number, not "<5".
    for (let i = 0; i < 5; i++) await makeMember(sys.ctx, { regencyCode: '32.73' });
    invalidateRegistryDashboard();
    const summary = async () => {
      const res = await anonymous(sys.app).request('GET', '/api/public/registry/summary');
      const row = (res.json().rows as { code: string; members: number | string }[]).find((r) => r.code === '32');
      return { total: res.json().totals.members as number, province: row!.members as number };
    };
    const before = await summary();

    const res = await post('/api/public/registrations/members', registration({ fullName: 'Budi Registrasi' }));
    const id = Number(res.json().reference.slice(2));
    const pending = await bandung.request('GET', '/api/members?status=pending&limit=200');
    expect(pending.json().items.map((i: { id: number }) => i.id)).toContain(id);
    const theirs = await malang.request('GET', '/api/members?status=pending&limit=200');
    expect(theirs.json().items.map((i: { id: number }) => i.id)).not.toContain(id);
    expect((await malang.request('GET', `/api/members/${id}`)).statusCode).toBe(403);
    expect((await malang.request('POST', `/api/members/${id}/decision`, { decision: 'approve' })).statusCode).toBe(403);
    expect(await summary()).toEqual(before);

    const approved = await bandung.request('POST', `/api/members/${id}/decision`, { decision: 'approve' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('active');
    expect(await summary()).toEqual({ total: before.total + 1, province: before.province + 1 });
  });
});
