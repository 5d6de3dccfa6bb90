/**
 * Partner API keys end to end on a 360×740 phone: the national admin opens a partner's page,
 * issues a key in the "Kunci API" section (label, scopes, no expiry), sees the token once with the
 * warning, and the partner's system (this test, with fetch and no cookie) uses it against
 * /api/beneficiaries/partner-overlap and gets an answer. The admin then revokes the key after a
 * confirmation, and the same call answers 401. Nothing may scroll sideways.
 *
 * Setup in support.ts: the real server as a child process, a build in dist/web, Chromium.
 */
import { request, type APIRequestContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, setupE2E } from './support.ts';

const e2e = setupE2E('simpul-e2e-partner-keys-');
const { shot, expectNoHorizontalScroll, logIn } = e2e;
let baseUrl = '';
let page: Page;

let adminApi: APIRequestContext;
let csrf = '';
const post = (url: string, data: unknown) => adminApi.post(url, { data, headers: { 'x-csrf-token': csrf, 'accept-language': 'id' } });

const NOV = { start: '2026-11-01', end: '2026-11-30' };
let partnerId = 0;
let token = '';

/** The partner's own system: a plain HTTP client with the key, no browser, no cookie. */
const checkOverlap = (key: string) =>
  fetch(`${baseUrl}/api/beneficiaries/partner-overlap`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'accept-language': 'id' },
    body: JSON.stringify({
      aidKind: 'food_package',
      period: NOV,
      rows: [
        { ref: 'baris-1', nik: '3273011502920001', fullName: 'Andi Pratama', birthDate: '1992-02-15' },
        { ref: 'baris-2', fullName: 'Orang Lain Sekali', birthDate: '1999-01-20' },
      ],
    }),
  });

beforeAll(async () => {
  ({ baseUrl, page } = e2e);
  adminApi = await request.newContext({ baseURL: baseUrl });
  const setup = await adminApi.post('/api/setup', { data: { name: admin.name, email: admin.email, password: admin.password } });
  expect(setup.status(), await setup.text()).toBe(201);
  csrf = (await setup.json()).csrfToken;

  const partner = await post('/api/partners', {
    name: 'Dinas Sosial Kota Bandung',
    type: 'government',
    regionCode: '32.73',
    agreements: [{ title: 'Nota kesepahaman cek tumpang tindih', scopeCode: '32.73', validFrom: '2026-01-01', allowsPersonalData: false }],
  });
  expect(partner.status(), await partner.text()).toBe(201);
  partnerId = (await partner.json()).id;

  const registered = await post('/api/beneficiaries', {
    source: { kind: 'programme', ref: 'RESCUE' },
    fullName: 'Andi Pratama',
    nik: '3273011502920001',
    birthDate: '1992-02-15',
    sex: 'L',
    regencyCode: '32.73',
    consent: { purpose: 'programmes', version: 1, given: true },
  });
  expect(registered.status(), await registered.text()).toBe(201);
  const benefit = await post('/api/beneficiaries/benefits', {
    recordId: (await registered.json()).record.id,
    programme: 'RESCUE-PANGAN',
    aidKind: 'food_package',
    period: NOV,
    partnerId: null,
    deliveredAt: '2026-11-12T10:00:00+07:00',
  });
  expect(benefit.status(), await benefit.text()).toBe(201);
}, 240_000);

afterAll(async () => {
  await adminApi?.dispose();
});

describe('partner API keys', () => {
  it('issues a key on the partner’s page and shows the token once', async () => {
    await page.goto(`${baseUrl}/masuk`);
    await logIn(admin.email, admin.password);
    await page.goto(`${baseUrl}/mitra/${partnerId}`);
    await page.getByRole('heading', { level: 1, name: 'Dinas Sosial Kota Bandung' }).waitFor();
    const section = page.getByRole('region', { name: 'Kunci API' });
    await section.getByText('Belum ada kunci API untuk mitra ini.').waitFor();

    await section.getByRole('button', { name: /Buat kunci/ }).click();
    const form = page.getByRole('form', { name: 'Kunci API baru' });
    // Submitting without a name says what is missing, next to the field.
    await form.getByRole('button', { name: 'Buat kunci' }).click();
    await form.getByText('Wajib diisi.').waitFor();
    await form.getByLabel('Nama kunci').fill('Server SIKS-NG Dinsos');
    await form.getByRole('checkbox', { name: /Pertukaran terenkripsi/ }).check();
    await expectNoHorizontalScroll();
    await shot('partner-keys-1-form');
    await form.getByRole('button', { name: 'Buat kunci' }).click();

    await page.getByRole('heading', { name: 'Salin kunci ini sekarang' }).waitFor();
    await page.getByText(/hanya ditampilkan sekali ini/).waitFor();
    token = await page.getByTestId('partner-key-token').inputValue();
    expect(token).toMatch(/^smp_pk_[A-Za-z0-9_-]{43}$/);
    await expect.poll(() => page.getByTestId('partner-key').count()).toBe(1);
    await expectNoHorizontalScroll();
    await shot('partner-keys-2-token');
  });

  it('the partner’s system uses the key to learn the overlaps', async () => {
    const res = await checkOverlap(token);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ partnerId, personalData: false, checked: 2, alreadyReceived: 1 });
    expect(body.rows.map((r: { status: string }) => r.status)).toEqual(['already_received', 'not_received']);
    expect(JSON.stringify(body)).not.toContain('personId');
  });

  it('lists the key without its token, and revokes it after a confirmation', async () => {
    await page.getByRole('button', { name: 'Sudah saya simpan' }).click();
    await expect.poll(() => page.getByTestId('partner-key-token').count()).toBe(0);
    await page.reload();
    const item = page.getByTestId('partner-key');
    await item.getByText('Aktif').waitFor();
    await expect.poll(() => item.getByText('Belum pernah').count()).toBe(0);
    expect(await page.content()).not.toContain(token);

    await item.getByRole('button', { name: 'Cabut' }).click();
    await item.getByText(/langsung ditolak/).waitFor();
    await expectNoHorizontalScroll();
    await shot('partner-keys-3-confirm');
    await item.getByRole('button', { name: 'Ya, cabut kunci' }).click();
    await item.getByText('Dicabut', { exact: true }).first().waitFor();
    await page.getByText('Kunci "Server SIKS-NG Dinsos" sudah dicabut.').waitFor();
    await shot('partner-keys-4-revoked');

    const res = await checkOverlap(token);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'partner_key_revoked' });
  });

  it('reads in English too', async () => {
    await page.getByRole('button', { name: /^EN/ }).click();
    const section = page.getByRole('region', { name: 'API keys' });
    await section.getByText('Revoked', { exact: true }).first().waitFor();
    await section.getByRole('button', { name: /Issue a key/ }).click();
    await page.getByRole('form', { name: 'New API key' }).getByText('Overlap check').waitFor();
    await expectNoHorizontalScroll();
    await shot('partner-keys-5-english');
  });
});
