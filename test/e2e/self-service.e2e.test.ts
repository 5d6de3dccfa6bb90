/**
 * Registry self-service end to end on a 360×740 phone: a coordinator starts a data-update campaign
 * (through the API), a member opens their personal link (/perbarui/<token>) with no login, corrects
 * their phone number and the change is in the registry; a used or unknown link says so; a community
 * registers itself (/daftar/komunitas); a member with a login sees, corrects and deletes their own
 * data (/data-saya).
 *
 * Setup in support.ts: the real server as a child process, a build in dist/web, Chromium.
 */
import { request, type APIRequestContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, setupE2E, VIEWPORT } from './support.ts';

const PAGE_JS_BUDGET = 150 * 1024;

const e2e = setupE2E('simpul-e2e-self-');
const { shot, expectNoHorizontalScroll, pickRegion } = e2e;
let baseUrl = '';
let page: Page;

/** The national admin's API session (cookie kept by the context, CSRF token sent on writes). */
let adminApi: APIRequestContext;
let csrf = '';
const write = (method: 'post' | 'patch', url: string, data: unknown) =>
  adminApi[method](url, { data, headers: { 'x-csrf-token': csrf, 'accept-language': 'id' } });

const member = { fullName: 'Sari Wulandari', phone: '0812 1111 2222' };
const newPhone = { typed: '0857-1234-5678', stored: '+6285712345678' };
let memberId = 0;
let linkPath = '';
let otherId = 0;
let otherLinkPath = '';

beforeAll(async () => {
  ({ baseUrl, page } = e2e);
  adminApi = await request.newContext({ baseURL: baseUrl });
  // From this machine's loopback address the first admin needs no setup code.
  const setup = await adminApi.post('/api/setup', { data: { name: admin.name, email: admin.email, password: admin.password } });
  expect(setup.status(), await setup.text()).toBe(201);
  csrf = (await setup.json()).csrfToken;

  const created = await write('post', '/api/members', { ...member, regencyCode: '32.73', subsectors: ['fotografi'], skills: ['fotografi produk'] });
  expect(created.status(), await created.text()).toBe(201);
  memberId = (await created.json()).member.id;
  const other = await write('post', '/api/members', { fullName: 'Bayu Pratama', phone: '0813 4444 5555', regencyCode: '32.73', subsectors: ['musik'] });
  expect(other.status(), await other.text()).toBe(201);
  otherId = (await other.json()).member.id;

  const endsAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const campaign = await write('post', '/api/registry/update-campaigns', { scopeType: 'regency', scopeCode: '32.73', endsAt });
  expect(campaign.status(), await campaign.text()).toBe(201);
  // Issuing the links is a write: each is shown this once, only its hash is stored.
  const links = await write('post', `/api/registry/update-campaigns/${(await campaign.json()).id}/links`, {});
  expect(links.status(), await links.text()).toBe(200);
  const mine = (await links.json()).items.find((l: { memberId: number }) => l.memberId === memberId);
  linkPath = new URL(mine.url, baseUrl).pathname;
  const theirs = (await links.json()).items.find((l: { memberId: number }) => l.memberId === otherId);
  otherLinkPath = new URL(theirs.url, baseUrl).pathname;
  expect(linkPath).toMatch(/^\/perbarui\/[A-Za-z0-9_-]{20,}$/);
});

afterAll(async () => {
  await adminApi?.dispose();
});

/** The member's phone number in clear, as a coordinator who reveals it sees it (and the reveal is logged). */
async function revealedPhone(): Promise<string | null> {
  const res = await write('post', `/api/members/${memberId}/reveal`, { field: 'phone', reason: 'Pemeriksaan uji e2e pembaruan data' });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).value;
}

describe('registry self-service on a 360×740 phone', () => {
  it('a member opens their personal update link, changes their phone number and saves', async () => {
    // A fresh browser, as when the link is tapped in WhatsApp: no session, no stored language.
    expect(page.viewportSize()).toEqual(VIEWPORT);
    await page.goto(`${baseUrl}${linkPath}`);
    await page.getByRole('heading', { level: 1, name: 'Perbarui data keanggotaan' }).waitFor();
    await page.getByText(member.fullName, { exact: true }).waitFor();
    // The phone number arrives masked: the link could be forwarded.
    await page.getByText(/^\+6281\*+222$/).waitFor();
    await expectNoHorizontalScroll();
    await shot('s01-perbarui-id');

    await page.getByRole('button', { name: 'Ada yang perlu diperbaiki' }).click();
    await page.getByLabel('Nomor HP baru').fill(newPhone.typed);
    await expectNoHorizontalScroll();
    await shot('s02-perbarui-form-id');
    await page.getByRole('button', { name: 'Simpan perbaikan' }).click();

    await page.getByRole('heading', { level: 1, name: 'Perbaikan tersimpan' }).waitFor();
    await page.getByText(/^\+6285\*+678$/).waitFor();
    await expectNoHorizontalScroll();
    await shot('s03-perbarui-saved-id');

    expect(await revealedPhone()).toBe(newPhone.stored);
    const record = await adminApi.get(`/api/members/${memberId}`);
    expect((await record.json()).fullName).toBe(member.fullName);
  });

  it('another member confirms their data is still right', async () => {
    const before = (await (await adminApi.get(`/api/members/${otherId}`)).json()).verifiedAt;
    await page.goto(`${baseUrl}${otherLinkPath}`);
    await page.getByText('Bayu Pratama', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Data saya masih benar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Terima kasih!' }).waitFor();
    await page.getByText('Data Anda sudah dipastikan masih benar.', { exact: false }).waitFor();
    await expectNoHorizontalScroll();
    const after = (await (await adminApi.get(`/api/members/${otherId}`)).json()).verifiedAt;
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
  });

  it('the link works once; an unknown link says so too', async () => {
    await page.goto(`${baseUrl}${linkPath}`);
    await page.getByRole('heading', { level: 1, name: 'Tautan sudah tidak berlaku' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('s04-perbarui-used-id');

    await page.goto(`${baseUrl}/perbarui/${'x'.repeat(32)}`);
    await page.getByRole('heading', { level: 1, name: 'Tautan tidak dikenali' }).waitFor();
    await page.goto(`${baseUrl}/perbarui/terpotong`);
    await page.getByRole('heading', { level: 1, name: 'Tautan tidak dikenali' }).waitFor();
  });

  it('a community registers itself from the member registration page', async () => {
    await page.goto(`${baseUrl}/daftar`);
    await page.getByRole('link', { name: 'Mewakili komunitas? Daftarkan komunitas Anda' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/daftar/komunitas');
    await page.getByRole('heading', { level: 1, name: 'Daftarkan komunitas' }).waitFor();
    await page.locator('input[name^="consent-"]').first().waitFor();
    await expectNoHorizontalScroll();
    await shot('s05-daftar-komunitas-id');

    // Nothing filled in: the summary of what to fix takes the focus.
    await page.getByRole('button', { name: 'Kirim pendaftaran komunitas' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await page.getByRole('link', { name: 'Isi nama komunitas (minimal 2 huruf).' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('s06-daftar-komunitas-errors-id');
    await page.getByRole('link', { name: 'Isi nama komunitas (minimal 2 huruf).' }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('name');

    await page.getByLabel('Nama komunitas').fill('Komunitas Foto Cibiru');
    await page.getByLabel('Status badan hukum').selectOption('perkumpulan');
    await page.getByLabel('Tahun berdiri (opsional)').fill('2016');
    await pickRegion(/Kabupaten\/kota/, 'kota bandng', /^Kota Bandung/);
    await page.getByRole('checkbox', { name: 'Fotografi' }).check();
    await page.getByLabel('Nama narahubung').fill('Asep Sunandar');
    await page.getByLabel('Nomor HP narahubung').fill('0813 2222 3333');
    await page.getByLabel('Alamat tautan 1').fill('@fotocibiru');
    for (const box of await page.locator('input[name^="consent-"]').all()) await box.check();
    await page.getByRole('button', { name: 'Kirim pendaftaran komunitas' }).click();

    await page.getByRole('heading', { level: 1, name: 'Pendaftaran komunitas diterima' }).waitFor();
    await page.getByText(/Koordinator wilayah Kota Bandung akan memeriksa/).waitFor();
    const reference = (await page.locator('.reference').textContent())?.trim() ?? '';
    expect(reference).toMatch(/^C-\d+$/);
    await expectNoHorizontalScroll();
    await shot('s07-daftar-komunitas-thanks-id');

    const list = await adminApi.get('/api/communities?status=pending');
    const community = (await list.json()).items.find((c: { id: number }) => `C-${c.id}` === reference);
    expect(community).toMatchObject({ name: 'Komunitas Foto Cibiru', status: 'pending' });
    const detail = await (await adminApi.get(`/api/communities/${community.id}`)).json();
    expect(detail).toMatchObject({ legalStatus: 'perkumpulan', foundingYear: 2016, socialLinks: [{ kind: 'instagram', url: 'https://instagram.com/fotocibiru' }] });
  });

  it('a member with a login sees, corrects and deletes their own data', async () => {
    const person = { fullName: 'Rina Kusuma', email: 'rina.kusuma@simpul.test', password: 'sandi-anggota-rina-1' };
    const consents = (await (await adminApi.get('/api/public/consent-texts')).json()).items.map((c: { purpose: string; version: number }) => ({
      purpose: c.purpose,
      version: c.version,
      granted: true,
    }));
    const reg = await write('post', '/api/public/registrations/members', { ...person, regencyCode: '32.73', subsectors: ['kuliner'], consents });
    expect(reg.status(), await reg.text()).toBe(201);

    const context = await e2e.browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'id-ID' });
    const p = await context.newPage();
    p.setDefaultTimeout(15_000);
    await p.goto(`${baseUrl}/data-saya`);
    await expect.poll(() => new URL(p.url()).pathname).toBe('/masuk');
    await p.getByLabel('Email').fill(person.email);
    await p.getByLabel('Kata sandi').fill(person.password);
    await p.getByRole('button', { name: 'Masuk' }).click();
    // Logging in returns to the page that asked for it.
    await p.getByRole('heading', { level: 1, name: 'Data saya' }).waitFor();
    await expect.poll(() => p.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await p.getByText(person.fullName, { exact: true }).waitFor();
    await p.getByText('Pendaftaran Anda masih menunggu persetujuan koordinator wilayah.').waitFor();
    await p.screenshot({ path: 'test-results/s08-data-saya-id.png', fullPage: true });

    await p.getByRole('button', { name: 'Perbaiki data' }).click();
    await p.getByLabel('Keahlian').fill('masakan Sunda, katering');
    await p.getByRole('button', { name: 'Simpan perbaikan' }).click();
    await p.getByText('Perbaikan tersimpan.').waitFor();
    await p.getByText('masakan Sunda, katering').waitFor();

    const json = await p.getByRole('link', { name: 'Unduh JSON' }).getAttribute('href');
    const exported = await context.request.get(`${baseUrl}${json}`);
    expect((await exported.json()).member).toMatchObject({ fullName: person.fullName, email: person.email, skills: ['masakan Sunda', 'katering'] });

    await p.getByRole('button', { name: 'Minta penghapusan data…' }).click();
    await p.getByRole('heading', { name: 'Yakin ingin menghapus data Anda?' }).waitFor();
    await p.getByText('Penghapusan tidak dapat dibatalkan.', { exact: false }).waitFor();
    await p.getByRole('button', { name: 'Hapus data saya sekarang' }).click();
    await p.getByRole('link', { name: 'Centang pernyataan ini untuk melanjutkan.' }).waitFor();
    await p.screenshot({ path: 'test-results/s09-data-saya-hapus-id.png', fullPage: true });
    await p.getByLabel('Saya mengerti data saya dianonimkan dan tidak dapat dikembalikan.').check();
    await p.getByRole('button', { name: 'Hapus data saya sekarang' }).click();
    await p.getByRole('heading', { level: 1, name: 'Data Anda telah dihapus' }).waitFor();
    // Logged out as well: the server ended the session, the page forgets it.
    await expect.poll(() => p.getByRole('button', { name: 'Keluar' }).count()).toBe(0);
    await p.screenshot({ path: 'test-results/s10-data-saya-dihapus-id.png', fullPage: true });

    // The session is gone and the registry no longer knows the name.
    expect((await context.request.get(`${baseUrl}${json}`)).status()).toBe(401);
    const found = await (await adminApi.get('/api/members?q=Rina%20Kusuma')).json();
    expect(found.items.map((m: { fullName: string }) => m.fullName)).not.toContain(person.fullName);
    await context.close();
  });

  it('an account without a member record is told how to get one', async () => {
    const account = { name: 'Yusuf Tanpa Data', email: 'yusuf.akun@simpul.test', password: 'sandi-akun-yusuf-1' };
    const created = await write('post', '/api/users', { ...account, regionCode: '32.73' });
    expect(created.status(), await created.text()).toBe(201);
    await page.goto(`${baseUrl}/masuk`);
    await e2e.logIn(account.email, account.password);
    await page.goto(`${baseUrl}/data-saya`);
    await page.getByRole('heading', { level: 1, name: 'Akun Anda belum terhubung dengan data anggota' }).waitFor();
    await page.getByRole('link', { name: 'Daftar sebagai anggota' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('s11-data-saya-no-member-id');
    await e2e.logOut();
  });

  it('the pages in English', async () => {
    await page.goto(`${baseUrl}/daftar/komunitas`);
    await page.getByRole('button', { name: /^EN/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Register a community' }).waitFor();
    await page.locator('input[name^="consent-"]').first().waitFor();
    await expectNoHorizontalScroll();
    await shot('s12-daftar-komunitas-en');
    await page.goto(`${baseUrl}${linkPath}`);
    await page.getByRole('heading', { level: 1, name: 'This link no longer works' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('s13-perbarui-used-en');
    await page.getByRole('button', { name: /^ID/ }).click();
  });

  it('the update link page, opened directly, loads at most 150 KB of JavaScript (gzip) and no map code', async () => {
    const scripts = await e2e.scriptsLoadedBy(`/perbarui/${'y'.repeat(32)}`, 'Tautan tidak dikenali');
    expect(scripts.some((s) => s.includes('UpdateLinkPage'))).toBe(true);
    expect(e2e.gzipSizeWithoutMapCode(scripts)).toBeLessThanOrEqual(PAGE_JS_BUDGET);
  });
});
