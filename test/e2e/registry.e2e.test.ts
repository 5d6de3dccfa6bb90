/**
 * Jejaring end to end on a 360×740 phone: a person registers as a member in Kota Bandung through
 * the public page (/daftar), the Kota Bandung coordinator approves them, and the member counts on
 * the coordinator's map and dashboard and on the public statistics page.
 *
 * Setup in support.ts (shared with foundation.e2e.test.ts): the real server as a child process on a free port with a
 * fresh data folder, a build in dist/web, and Chromium (/usr/bin/chromium or SIMPUL_CHROMIUM).
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { admin, coordinator, setupE2E } from './support.ts';

const PAGE_JS_BUDGET = 150 * 1024;

const applicant = { name: 'Dewi Pendaftar Bandung', email: 'dewi.daftar@simpul.test', phone: '0812-3456-7890' };

const e2e = setupE2E('simpul-e2e-registry-');
const { shot, expectNoHorizontalScroll, logIn, logOut, pickRegion } = e2e;
let baseUrl = '';
let page: Page;
beforeAll(() => {
  ({ baseUrl, page } = e2e);
});
let reference = '';

/** Active members of Kota Bandung as the coordinator's map of Jawa Barat shows them. */
async function bandungCountOnMap(): Promise<number> {
  await page.goto(`${baseUrl}/wilayah/32`);
  await page.getByRole('heading', { level: 1, name: 'Jawa Barat' }).waitFor();
  await page.getByText('Anggota per subsektor').waitFor();
  const label = await page.locator('svg.region-map a:has(path[data-code="32.73"])').getAttribute('aria-label');
  // Indonesian digit grouping: "1.234".
  const m = label?.match(/Anggota aktif: ([\d.]+)/);
  expect(m, `map label of Kota Bandung: ${label}`).toBeTruthy();
  return Number(m![1].replace(/\./g, ''));
}

describe('registry on a 360×740 phone: register → approve → the member counts on the map', () => {
  it('setup: the national admin creates the Kota Bandung coordinator', async () => {
    await page.goto(baseUrl);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/siapkan');
    await page.getByLabel('Nama lengkap').fill(admin.name);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Kata sandi', { exact: true }).fill(admin.password);
    await page.getByLabel('Ulangi kata sandi').fill(admin.password);
    await page.getByRole('button', { name: 'Buat Admin Nasional' }).click();
    await page.getByRole('heading', { level: 1, name: `Halo, ${admin.name}` }).waitFor();

    await page.goto(`${baseUrl}/pengguna/baru`);
    await page.getByRole('heading', { level: 1, name: 'Tambah pengguna' }).waitFor();
    await page.getByLabel('Nama', { exact: true }).fill(coordinator.name);
    await page.getByLabel('Email', { exact: true }).fill(coordinator.email);
    await page.getByLabel('Kata sandi awal').fill(coordinator.password);
    await pickRegion(/Wilayah domisili/, 'kota bandung', /^Kota Bandung/);
    await page.getByLabel('Peran', { exact: true }).selectOption({ label: 'Koordinator Wilayah' });
    await page.getByLabel('Cakupan', { exact: true }).selectOption({ label: 'Kabupaten/Kota' });
    await pickRegion(/Wilayah cakupan/, 'kota bandung', /^Kota Bandung/);
    await page.getByRole('button', { name: 'Simpan pengguna' }).click();
    await page.getByText(`Pengguna ${coordinator.name} telah dibuat.`).waitFor();
    await logOut();
  });

  it('a visitor finds the registration page from the login page and registers in Kota Bandung', async () => {
    await page.getByRole('link', { name: 'Belum terdaftar? Daftar sebagai anggota' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/daftar');
    await page.getByRole('heading', { level: 1, name: 'Daftar sebagai anggota' }).waitFor();
    await page.locator('input[name^="consent-"]').first().waitFor();
    await expectNoHorizontalScroll();
    await shot('r01-daftar-id');

    await page.getByLabel('Nama lengkap', { exact: true }).fill(applicant.name);
    await page.getByLabel('Email', { exact: true }).fill(applicant.email);
    await page.getByLabel('Nomor HP', { exact: true }).fill(applicant.phone);
    await page.getByLabel('Jenis kelamin', { exact: true }).selectOption('P');
    await page.getByLabel('Tanggal lahir', { exact: true }).fill('1995-04-17');
    await pickRegion(/Kabupaten\/kota/, 'kota bandng', /^Kota Bandung/);
    await expect.poll(() => page.getByLabel('Kecamatan', { exact: true }).locator('option').count()).toBeGreaterThan(10);
    await page.getByLabel('Kecamatan', { exact: true }).selectOption({ index: 1 });
    await page.getByRole('checkbox', { name: 'Fotografi' }).check();
    await page.getByLabel('Keahlian', { exact: true }).fill('fotografi produk, desain grafis');

    // The required consent is checked on the client first.
    await page.getByRole('button', { name: 'Kirim pendaftaran' }).click();
    await page.getByText('Centang persetujuan yang wajib untuk melanjutkan.').waitFor();
    for (const box of await page.locator('input[name^="consent-"]').all()) await box.check();
    await page.getByRole('button', { name: 'Kirim pendaftaran' }).click();

    await page.getByRole('heading', { level: 1, name: 'Terima kasih!' }).waitFor();
    await page.getByText('Pendaftaran Anda diterima dan menunggu persetujuan koordinator.').waitFor();
    reference = (await page.locator('.reference').textContent())?.trim() ?? '';
    expect(reference).not.toBe('');
    expect(page.url()).not.toContain('@');
    await expectNoHorizontalScroll();
    await shot('r02-daftar-thanks-id');
  });

  it('the Kota Bandung coordinator approves the pending member and the count on the map goes up', async () => {
    await page.goto(`${baseUrl}/masuk`);
    await logIn(coordinator.email, coordinator.password);

    const before = await bandungCountOnMap();
    await expectNoHorizontalScroll();

    await e2e.navigate('Anggota');
    await page.getByRole('heading', { level: 1, name: 'Anggota' }).waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Menunggu' });
    await page.getByRole('link', { name: new RegExp(applicant.name) }).waitFor();
    await expectNoHorizontalScroll();
    await shot('r03-members-pending');

    await page.getByRole('link', { name: new RegExp(applicant.name) }).click();
    await page.getByRole('heading', { level: 1, name: applicant.name }).waitFor();
    await page.getByText('Pendaftaran ini menunggu persetujuan Anda.').waitFor();
    await expectNoHorizontalScroll();
    await shot('r04-member-detail-pending');
    await page.getByRole('button', { name: 'Setujui' }).click();
    await page.getByText('Anggota disetujui.').waitFor();
    expect(await page.getByRole('button', { name: 'Setujui' }).count()).toBe(0);
    await shot('r05-member-approved');

    // The dashboard is recounted about every 30 seconds: wait for the new count.
    await expect
      .poll(() => bandungCountOnMap(), { timeout: 90_000, interval: 2_000 })
      .toBe(before + 1);
    await page.locator('.stat[data-stat="members"] .stat-value').waitFor();
    await expectNoHorizontalScroll();
    await shot('r06-map-after-approval');

    await e2e.navigate('Komunitas');
    await page.getByRole('heading', { level: 1, name: 'Komunitas' }).waitFor();
    await page.getByText('0 data').waitFor();
    await expectNoHorizontalScroll();
    await shot('r06b-communities-id');

    // Another province: its map opens, and the page says why it shows no member figures.
    await page.goto(`${baseUrl}/wilayah/35`);
    await page.getByRole('heading', { level: 1, name: 'Jawa Timur' }).waitFor();
    await page.getByText('Angka anggota hanya tersedia untuk wilayah tugas Anda. Peta wilayah ini tetap bisa dijelajahi.').waitFor();
    await expectNoHorizontalScroll();
    await shot('r06c-other-province-id');
  });

  it('the public statistics page shows the member in aggregate only', async () => {
    await logOut();
    await page.goto(`${baseUrl}/statistik?wilayah=32`);
    await page.getByRole('heading', { level: 1, name: /Statistik jejaring/ }).waitFor();
    // One member: a public count of 1 is shown as "<5".
    await expect.poll(() => page.locator('.count-list li[data-code="32.73"] .count').textContent()).toBe('<5');
    expect(await page.getByText(applicant.name).count()).toBe(0);
    await expectNoHorizontalScroll();
    await shot('r07-statistik-id');
  });

  it('the new pages in English', async () => {
    await page.goto(`${baseUrl}/daftar`);
    await page.getByRole('button', { name: /^EN/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Register as a member' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('r08-daftar-en');
    await page.goto(`${baseUrl}/statistik`);
    await page.getByRole('heading', { level: 1, name: 'Network statistics' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('r09-statistik-en');

    await page.goto(`${baseUrl}/masuk`);
    await page.getByLabel('Email').fill(coordinator.email);
    await page.getByLabel('Password').fill(coordinator.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: /^Hello,/ }).waitFor();
    await e2e.navigate('Members');
    await page.getByRole('link', { name: new RegExp(applicant.name) }).click();
    await page.getByRole('heading', { level: 1, name: applicant.name }).waitFor();
    await page.getByText('Photography').waitFor();
    await expectNoHorizontalScroll();
    await shot('r10-member-detail-en');
    await e2e.navigate('Communities');
    await page.getByRole('heading', { level: 1, name: 'Communities' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('r11-communities-en');
    await page.getByRole('button', { name: /^ID/ }).click();
    await logOut();
  });

  it('the registration page, opened directly, loads at most 150 KB of JavaScript (gzip) and no map code', async () => {
    const scripts = await e2e.scriptsLoadedBy('/daftar', 'Daftar sebagai anggota');

    expect(scripts.some((s) => s.includes('RegisterPage'))).toBe(true);
    const total = e2e.gzipSizeWithoutMapCode(scripts);
    expect(total).toBeLessThanOrEqual(PAGE_JS_BUDGET);
  });
});
