import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { anonymous, DEFAULT_PASSWORD, grants, login, makeUser } from '../../../../test/factories.ts';
import { ensureSetupToken, LOGIN_LIMITS } from './service.ts';
import { hashPassword, verifyPassword } from './password.ts';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(async () => {
  await sys?.close();
});

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('kata-sandi-panjang');
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('kata-sandi-panjang', hash)).toBe(true);
    expect(await verifyPassword('kata-sandi-panjanG', hash)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });
});

describe('first-run setup', () => {
  it('creates exactly one first admin, logs in, and then refuses a second setup', async () => {
    const fresh = await createTestSystem();
    try {
      const api = anonymous(fresh.app);
      expect((await api.request('GET', '/api/setup/status')).json()).toEqual({ needed: true, tokenRequired: false });
      const body = { name: 'Admin Pusat', email: 'Admin@ICCN.or.id', password: 'sandi-yang-kuat-1' };
      // Two browsers submitting at the same moment: one wins, the other is told setup is done.
      const [a, b] = await Promise.all([api.request('POST', '/api/setup', body), api.request('POST', '/api/setup', { ...body, email: 'other@iccn.or.id' })]);
      const statuses = [a.statusCode, b.statusCode].sort();
      expect(statuses).toEqual([201, 409]);
      const winner = a.statusCode === 201 ? a : b;
      expect(winner.json().grants[0]).toMatchObject({ role: 'national_admin', scopeType: 'national' });
      const cookie = winner.cookies.find((c) => c.name === 'simpul_session')!;
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe('Lax');
      expect((await api.request('GET', '/api/setup/status')).json()).toEqual({ needed: false, tokenRequired: false });
      const users = await fresh.ctx.db.selectFrom('users').select('email').execute();
      expect(users).toHaveLength(1);
      const audit = await fresh.ctx.db.selectFrom('audit_log').selectAll().execute();
      expect(audit.map((e) => e.action)).toContain('user.create');
    } finally {
      await fresh.close();
    }
  });
});

describe('first-run setup from another device', () => {
  it('asks for the setup code printed on the server', async () => {
    const fresh = await createTestSystem();
    try {
      const token = await ensureSetupToken(fresh.ctx);
      expect(token).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      const remote = (payload?: object) =>
        fresh.app.inject({ method: payload ? 'POST' : 'GET', url: payload ? '/api/setup' : '/api/setup/status', payload, remoteAddress: '192.168.1.20' });
      expect((await remote()).json()).toEqual({ needed: true, tokenRequired: true });
      const body = { name: 'Admin Pusat', email: 'pusat@iccn.or.id', password: 'sandi-yang-kuat-1' };
      const without = await remote(body);
      expect(without.statusCode).toBe(403);
      expect(without.json().code).toBe('setup_token_invalid');
      expect((await remote({ ...body, setupToken: 'AAAA-BBBB' })).statusCode).toBe(403);
      // Typed in lower case without the dash on a phone: still the same code.
      const ok = await remote({ ...body, setupToken: token!.toLowerCase().replace('-', '') });
      expect(ok.statusCode).toBe(201);
      expect(await ensureSetupToken(fresh.ctx)).toBeNull();
    } finally {
      await fresh.close();
    }
  });
});

describe('login and sessions', () => {
  it('logs in, returns the session, and logs out', async () => {
    const u = await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] });
    const client = await login(sys.app, u);
    const me = await client.request('GET', '/api/auth/session');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { email: u.email, regionCode: '32.73' }, permissions: expect.arrayContaining(['users.read']) });
    expect(me.json().grants[0]).toMatchObject({ scopeName: 'Kota Bandung' });
    expect((await client.request('POST', '/api/auth/logout')).statusCode).toBe(204);
    expect((await client.request('GET', '/api/auth/session')).statusCode).toBe(401);
  });

  it('stores only a hash of the session token', async () => {
    const u = await makeUser(sys.ctx);
    const client = await login(sys.app, u);
    const rows = await sys.ctx.db.selectFrom('sessions').select('token_hash').where('user_id', '=', u.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).not.toContain(client.cookie);
  });

  it('answers a wrong password with an Indonesian or English problem', async () => {
    const u = await makeUser(sys.ctx);
    const id = await sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: 'salah-salah-salah' }, remoteAddress: '10.9.0.1' });
    expect(id.statusCode).toBe(401);
    expect(id.headers['content-type']).toContain('application/problem+json');
    expect(id.json()).toMatchObject({ code: 'invalid_credentials', detail: 'Email atau kata sandi salah.', status: 401 });
    expect(id.json().requestId).toBe(id.headers['x-request-id']);
    const en = await sys.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@contoh.id', password: 'x' },
      headers: { 'accept-language': 'en-US,en;q=0.9' },
      remoteAddress: '10.9.0.2',
    });
    expect(en.json()).toMatchObject({ code: 'invalid_credentials', detail: 'Wrong email or password.' });
  });

  it('locks an account temporarily after repeated failures, even with the right password', async () => {
    const u = await makeUser(sys.ctx);
    for (let i = 0; i < LOGIN_LIMITS.maxFailuresPerAccount - 1; i++) {
      const r = await sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: 'wrong-password' }, remoteAddress: `10.8.0.${i}` });
      expect(r.statusCode).toBe(401);
    }
    const locking = await sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: 'wrong-password' }, remoteAddress: '10.8.1.1' });
    expect(locking.statusCode).toBe(423);
    expect(locking.json().detail).toMatch(/dikunci sementara.*15 menit/);
    const right = await sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: DEFAULT_PASSWORD }, remoteAddress: '10.8.1.2' });
    expect(right.statusCode).toBe(423);
    // After the lock expires the right password works again and the counter is reset.
    await sys.ctx.db.updateTable('users').set({ locked_until: new Date(Date.now() - 1000) }).where('id', '=', u.id).execute();
    const later = await sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: DEFAULT_PASSWORD }, remoteAddress: '10.8.1.3' });
    expect(later.statusCode).toBe(200);
  });

  it('counts parallel guesses against the account before checking them', async () => {
    const u = await makeUser(sys.ctx);
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: `tebakan-${i}` }, remoteAddress: `10.4.0.${i}` }),
      ),
    );
    const wrongPasswordAnswers = burst.filter((r) => r.statusCode === 401).length;
    expect(wrongPasswordAnswers).toBeLessThan(LOGIN_LIMITS.maxFailuresPerAccount);
    expect(burst.filter((r) => r.statusCode === 423).length).toBe(12 - wrongPasswordAnswers);
    const locked = burst.find((r) => r.statusCode === 423)!;
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    const right = await sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: u, remoteAddress: '10.4.1.1' });
    expect(right.statusCode).toBe(423);
  });

  it('counts parallel attempts from one address before checking them', async () => {
    const ip = '10.3.3.3';
    const burst = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: `hantu${i}@contoh.id`, password: 'x' }, remoteAddress: ip }),
      ),
    );
    expect(burst.filter((r) => r.statusCode === 401).length).toBe(LOGIN_LIMITS.maxFailuresPerClient);
    expect(burst.filter((r) => r.statusCode === 429).length).toBe(25 - LOGIN_LIMITS.maxFailuresPerClient);
  });

  it('rate-limits one client address that keeps failing', async () => {
    const ip = '10.7.7.7';
    for (let i = 0; i < LOGIN_LIMITS.maxFailuresPerClient; i++) {
      const r = await sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: `ghost${i}@contoh.id`, password: 'x' }, remoteAddress: ip });
      expect(r.statusCode).toBe(401);
    }
    const limited = await sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ghost@contoh.id', password: 'x' }, remoteAddress: ip });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    const other = await sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ghost@contoh.id', password: 'x' }, remoteAddress: '10.7.7.8' });
    expect(other.statusCode).toBe(401);
  });

  it('rejects cookie-authenticated writes without the CSRF token', async () => {
    const admin = await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] });
    const client = await login(sys.app, admin);
    const body = { name: 'Tanpa Token', email: 'csrf@contoh.id', password: 'sandi-panjang-1', regionCode: '32.73' };
    const noToken = await client.request('POST', '/api/users', body, { 'x-csrf-token': '' });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().code).toBe('csrf_failed');
    const wrongToken = await client.request('POST', '/api/users', body, { 'x-csrf-token': 'x'.repeat(32) });
    expect(wrongToken.statusCode).toBe(403);
    const ok = await client.request('POST', '/api/users', body);
    expect(ok.statusCode).toBe(201);
  });

  it('ends the sessions of a disabled user', async () => {
    const admin = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
    const u = await makeUser(sys.ctx);
    const client = await login(sys.app, u);
    expect((await admin.request('PATCH', `/api/users/${u.id}`, { status: 'disabled' })).statusCode).toBe(200);
    expect((await client.request('GET', '/api/auth/session')).statusCode).toBe(401);
    const again = await sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: u, remoteAddress: '10.6.0.1' });
    expect(again.json().code).toBe('account_disabled');
  });
});

describe('validation', () => {
  it('returns every invalid field as a problem with paths', async () => {
    const admin = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
    const res = await admin.request('POST', '/api/users', { name: 'A', email: 'not-an-email', password: 'short', regionCode: 'Bandung' });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('validation_failed');
    expect(body.detail).toBe('Data yang dikirim tidak valid.');
    const paths = body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.email', 'body.password', 'body.regionCode']));
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('rejects an unknown region and a scope of the wrong level', async () => {
    const admin = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
    const unknown = await admin.request('POST', '/api/users', { name: 'Budi', email: 'budi-x@contoh.id', password: 'sandi-panjang-1', regionCode: '99.99' });
    expect(unknown.statusCode).toBe(400);
    const wrongLevel = await admin.request('POST', '/api/users', {
      name: 'Budi',
      email: 'budi-y@contoh.id',
      password: 'sandi-panjang-1',
      regionCode: '32.73',
      grants: [{ role: 'regional_coordinator', scopeType: 'regency', scopeCode: '32' }],
    });
    expect(wrongLevel.statusCode).toBe(400);
    expect(await sys.ctx.db.selectFrom('users').select('id').where('email', 'in', ['budi-x@contoh.id', 'budi-y@contoh.id']).execute()).toHaveLength(0);
  });

  it('refuses a duplicate e-mail without writing anything', async () => {
    const admin = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
    const body = { name: 'Siti', email: 'siti@contoh.id', password: 'sandi-panjang-1', regionCode: '32.73' };
    expect((await admin.request('POST', '/api/users', body)).statusCode).toBe(201);
    const dup = await admin.request('POST', '/api/users', { ...body, email: 'SITI@contoh.id' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('email_taken');
  });
});

describe('field errors in the caller’s language', () => {
  it('translates schema and rule messages', async () => {
    const admin = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
    const body = { name: 'Budi', email: 'budi-z@contoh.id', password: 'pendek', regionCode: '32.73', phone: '0812' };
    const id = (await admin.request('POST', '/api/users', body)).json();
    const byPath = (b: { errors: { path: string; message: string; code: string }[] }) => Object.fromEntries(b.errors.map((e) => [e.path, e]));
    expect(byPath(id)['body.password']).toMatchObject({ code: 'password_too_short', message: 'Kata sandi minimal 10 karakter.' });
    expect(byPath(id)['body.phone'].message).toMatch(/^Nomor telepon/);
    const en = (await admin.request('POST', '/api/users', body, { 'accept-language': 'en' })).json();
    expect(byPath(en)['body.password'].message).toBe('The password needs at least 10 characters.');

    const missing = (await admin.request('POST', '/api/users', { email: 'x@contoh.id' })).json();
    expect(byPath(missing)['body.name'].message).not.toMatch(/expected/i);

    const unknown = (await admin.request('POST', '/api/users', { ...body, password: 'sandi-panjang-1', phone: null, regionCode: '99.99' })).json();
    expect(unknown.errors).toEqual([{ path: 'regionCode', code: 'unknown_region', message: 'Wilayah 99.99 tidak dikenal.' }]);
  });
});

describe('own account', () => {
  it('changes language and password; a new password ends the other sessions', async () => {
    const u = await makeUser(sys.ctx);
    const phone = await login(sys.app, u);
    const laptop = await login(sys.app, u);
    expect((await phone.request('PATCH', '/api/me', { locale: 'en' })).json().locale).toBe('en');
    const wrong = await phone.request('PATCH', '/api/me', { currentPassword: 'bukan-ini-sandinya', newPassword: 'sandi-baru-panjang-1' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].code).toBe('current_password_wrong');
    const ok = await phone.request('PATCH', '/api/me', { currentPassword: u.password, newPassword: 'sandi-baru-panjang-1' });
    expect(ok.statusCode).toBe(200);
    expect((await phone.request('GET', '/api/auth/session')).statusCode).toBe(200);
    expect((await laptop.request('GET', '/api/auth/session')).statusCode).toBe(401);
    await login(sys.app, { email: u.email, password: 'sandi-baru-panjang-1' }, '10.5.0.1');
  });
});
