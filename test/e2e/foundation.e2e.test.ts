/**
 * The foundation, end to end in a real browser on a phone-sized screen (360×740): first-run
 * setup, login (with server errors in the chosen language), user and role administration by the
 * national admin, and a regency coordinator who sees only their own region.
 *
 * support.ts starts the real server as a child process on a free port with a fresh data folder. Needs a
 * build in dist/web (scripts/e2e.mjs builds first) and Chromium (/usr/bin/chromium or SIMPUL_CHROMIUM).
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { admin, coordinator, setupE2E } from './support.ts';

const LOGIN_JS_BUDGET = 150 * 1024;

const bandungMember = { name: 'Sari Anggota Bandung', email: 'sari.bandung@simpul.test', password: 'sandi-anggota-bdg-1' };
const malangMember = { name: 'Joko Warga Malang', email: 'joko.malang@simpul.test', password: 'sandi-warga-malang-1' };

const e2e = setupE2E('simpul-e2e-');
const { shot, expectNoHorizontalScroll, logIn, logOut, pickRegion } = e2e;
let baseUrl = '';
let page: Page;
beforeAll(() => {
  ({ baseUrl, page } = e2e);
});

async function createUser(
  user: { name: string; email: string; password: string },
  home: { typed: string; option: RegExp },
  grant?: { role: string; scope: string; typed: string; option: RegExp },
): Promise<void> {
  await page.goto(`${baseUrl}/pengguna/baru`);
  await page.getByRole('heading', { level: 1, name: 'Tambah pengguna' }).waitFor();
  await page.getByLabel('Nama', { exact: true }).fill(user.name);
  await page.getByLabel('Email', { exact: true }).fill(user.email);
  await page.getByLabel('Kata sandi awal').fill(user.password);
  await pickRegion(/Wilayah domisili/, home.typed, home.option);
  if (grant) {
    await page.getByLabel('Peran', { exact: true }).selectOption({ label: grant.role });
    await page.getByLabel('Cakupan', { exact: true }).selectOption({ label: grant.scope });
    await pickRegion(/Wilayah cakupan/, grant.typed, grant.option);
  }
  await page.getByRole('button', { name: 'Simpan pengguna' }).click();
  await page.getByRole('heading', { level: 1, name: user.name }).waitFor();
  await page.getByText(`Pengguna ${user.name} telah dibuat.`).waitFor();
}

describe('foundation on a 360×740 phone', () => {
  it('the first visit runs first-run setup and creates the national admin', async () => {
    await page.goto(baseUrl);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/siapkan');
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    await page.getByRole('heading', { level: 1, name: 'Penyiapan awal' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('01-setup');

    await page.getByLabel('Nama lengkap').fill(admin.name);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Kata sandi', { exact: true }).fill(admin.password);
    await page.getByLabel('Ulangi kata sandi').fill(`${admin.password}x`);
    await page.getByRole('button', { name: 'Buat Admin Nasional' }).click();
    await page.getByText('Kedua kata sandi tidak sama.').waitFor();
    await page.getByLabel('Ulangi kata sandi').fill(admin.password);
    await page.getByRole('button', { name: 'Buat Admin Nasional' }).click();

    await page.getByRole('heading', { level: 1, name: `Halo, ${admin.name}` }).waitFor();
    await page.getByText('Admin Nasional — seluruh Indonesia').waitFor();
    await page.getByRole('link', { name: /Pengguna & peran/ }).waitFor();
    await page.getByRole('link', { name: /Dokumentasi API/ }).first().waitFor();
    await expectNoHorizontalScroll();
    await shot('02-home-national-admin');
  });

  it('login errors show the server detail in the chosen language, and the language switch persists', async () => {
    await logOut();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/masuk');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Kata sandi').fill('bukan-sandi-yang-benar');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('alert').getByText('Email atau kata sandi salah.').waitFor();
    await shot('03-login-error-id');

    // English once: the UI changes, <html lang> follows, and the server answers in English.
    await page.getByRole('button', { name: /^EN/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').getByText('Wrong email or password.').waitFor();
    await expectNoHorizontalScroll();
    await shot('04-login-error-en');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('simpul.lang'))).toBe('en');

    await page.getByRole('button', { name: /^ID/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    await logIn(admin.email, admin.password);
  });

  it('the national admin creates a Kota Bandung coordinator, a Bandung member and a Kota Malang member', async () => {
    await createUser(
      coordinator,
      // A typo on purpose: the region search forgives it.
      { typed: 'kota bandng', option: /^Kota Bandung/ },
      { role: 'Koordinator Wilayah', scope: 'Kabupaten/Kota', typed: 'kota bandung', option: /^Kota Bandung/ },
    );
    await page.getByText('Koordinator Wilayah — Kota Bandung').waitFor();
    await expectNoHorizontalScroll();
    await shot('05-user-created-coordinator');

    await createUser(
      bandungMember,
      { typed: 'kota bandung', option: /^Kota Bandung/ },
      { role: 'Anggota', scope: 'Kabupaten/Kota', typed: 'bandung', option: /^Kota Bandung/ },
    );
    await createUser(malangMember, { typed: 'kota malang', option: /^Kota Malang/ });

    await page.goto(`${baseUrl}/pengguna`);
    await page.getByRole('heading', { level: 1, name: 'Pengguna & peran' }).waitFor();
    for (const u of [admin, coordinator, bandungMember, malangMember]) await page.getByText(u.name).waitFor();
    await page.getByRole('searchbox', { name: 'Cari nama atau email' }).fill('malang');
    await expect.poll(() => page.getByText(coordinator.name).count()).toBe(0);
    await page.getByText(malangMember.name).waitFor();
    await expectNoHorizontalScroll();
    await shot('06-users-national-admin');
  });

  it('the coordinator sees only Kota Bandung: home names the region, the list has no Malang user', async () => {
    await page.goto(baseUrl);
    await logOut();
    await logIn(coordinator.email, coordinator.password);
    await page.getByText('Wilayah kerja Anda: Kota Bandung').waitFor();
    await page.getByText('Koordinator Wilayah — Kota Bandung').waitFor();
    await expectNoHorizontalScroll();
    await shot('07-home-coordinator');

    await e2e.navigate('Pengguna');
    await page.getByRole('heading', { level: 1, name: 'Pengguna di Kota Bandung' }).waitFor();
    await page.getByText(coordinator.name).waitFor();
    await page.getByText(bandungMember.name).waitFor();
    expect(await page.getByText(malangMember.name).count()).toBe(0);
    expect(await page.getByText(admin.name).count()).toBe(0);
    await expectNoHorizontalScroll();
    await shot('08-users-coordinator');
  });

  it('the region browser opens on the coordinator’s province with their regency highlighted', async () => {
    await e2e.navigate('Wilayah');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/wilayah/32');
    await page.getByRole('heading', { level: 1, name: 'Jawa Barat' }).waitFor();
    const bandung = page.locator('svg.region-map path[data-code="32.73"]');
    await bandung.waitFor();
    expect(await bandung.getAttribute('class')).toContain('is-mine');
    expect(await page.locator('svg.region-map path').count()).toBeGreaterThan(20);
    await page.getByText('Batas wilayah: cahyadsn/wilayah_boundaries (MIT). Data wilayah: idn-area-data (ODbL).').waitFor();
    await expectNoHorizontalScroll();
    await shot('09-regions-coordinator');

    // The list is the keyboard and screen-reader way in: open Kota Bandung and see its districts.
    // (The name may carry the member count of the registry dashboard between the two.)
    await page.getByRole('link', { name: /^Kota Bandung\b.*32\.73$/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Kota Bandung' }).waitFor();
    await page.getByRole('heading', { name: 'Kecamatan di Kota Bandung' }).waitFor();
    await page.getByRole('navigation', { name: 'Jejak wilayah' }).getByRole('link', { name: 'Jawa Barat' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('10-region-kota-bandung');
  });

  it('unknown addresses get the 404 page', async () => {
    await page.goto(`${baseUrl}/tidak-ada-di-sini`);
    await page.getByRole('heading', { level: 1, name: 'Halaman tidak ditemukan' }).waitFor();
    await shot('11-not-found');
  });

  it('the login page loads at most 150 KB of JavaScript (gzip) and no map code', async () => {
    const scripts = await e2e.scriptsLoadedBy('/masuk', 'Masuk');

    expect(scripts.length).toBeGreaterThan(0);
    const total = e2e.gzipSizeWithoutMapCode(scripts);
    expect(total).toBeLessThanOrEqual(LOGIN_JS_BUDGET);
  });
});
