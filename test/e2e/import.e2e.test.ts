/**
 * Spreadsheet import end to end on a 360×740 phone: the Kota Bandung coordinator uploads a small
 * members CSV with one invalid row, reads the row-by-row report, writes the valid rows only, and
 * finds the new members in the member list, which exports with its filter.
 *
 * Setup in support.ts: the real server as a child process with a fresh data folder, a build in
 * dist/web, and Chromium (/usr/bin/chromium or SIMPUL_CHROMIUM).
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { admin, coordinator, setupE2E } from './support.ts';

const CSV =
  'Nama,No. HP,Jenis Kelamin,Tanggal Lahir,Kabupaten/Kota,Subsektor\n' +
  'Rina Impor Satu,081234500001,P,12/05/1990,Kota Bandung,Kuliner\n' +
  'Joko Impor Dua,081234500002,L,1988-03-01,KOTA BANDUNG,Musik\n' +
  'Baris Rusak,abc,X,31/02/1990,Kota Bandung,\n';

const e2e = setupE2E('simpul-e2e-import-');
const { shot, expectNoHorizontalScroll, logIn, pickRegion } = e2e;
let baseUrl = '';
let page: Page;
beforeAll(() => {
  ({ baseUrl, page } = e2e);
});

describe('spreadsheet import on a 360×740 phone: upload → report → valid rows only → the list', () => {
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
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
  });

  it('the coordinator opens the import page from the member list and uploads a CSV', async () => {
    await logIn(coordinator.email, coordinator.password);
    await page.getByRole('link', { name: 'Anggota', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Anggota' }).waitFor();
    await page.getByRole('link', { name: 'Impor dari spreadsheet' }).click();
    await page.getByRole('heading', { level: 1, name: 'Impor spreadsheet' }).waitFor();
    await expect.poll(() => page.getByRole('radio', { name: 'Anggota' }).isChecked()).toBe(true);
    await expectNoHorizontalScroll();
    await shot('i01-import-new-id');

    await page.getByLabel('Berkas CSV atau XLSX').setInputFiles({ name: 'anggota-bandung.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByText(/anggota-bandung\.csv · \d+ B/).waitFor();
    await page.getByRole('button', { name: 'Unggah dan periksa' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/impor\/\d+$/);
    await page.getByRole('heading', { level: 1, name: 'anggota-bandung.csv' }).waitFor();
  });

  it('the preview counts the rows and shows the invalid row with its errors and its line in the file', async () => {
    const count = (key: string) => page.locator(`[data-count="${key}"] .stat-value`).textContent();
    expect(await count('rows')).toBe('3');
    expect(await count('valid')).toBe('2');
    expect(await count('invalid')).toBe('1');

    const card = page.locator('.report-card', { hasText: 'Baris 3 (baris berkas 4)' });
    await card.waitFor();
    await card.locator('.verdict-error', { hasText: 'Tidak valid' }).waitFor();
    // Errors say so in words, not only in red.
    expect(await card.locator('.issue-error').count()).toBeGreaterThanOrEqual(3);
    await card.locator('.issue-error', { hasText: 'Nomor HP' }).waitFor();
    await card.locator('.issue-error', { hasText: 'Jenis kelamin' }).waitFor();
    await card.locator('.issue-error', { hasText: 'Tanggal lahir' }).waitFor();
    expect(await page.getByRole('link', { name: 'Unduh laporan lengkap (CSV)' }).getAttribute('href')).toMatch(/\/report\.csv$/);
    await expectNoHorizontalScroll();
    await shot('i02-import-preview-id');
  });

  it('"all or nothing" is refused up front; valid rows only is confirmed with what will be written', async () => {
    await page.getByRole('radio', { name: /Semua atau tidak sama sekali/ }).check();
    await page.getByText('Tidak bisa: ada 1 baris tidak valid.', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Lanjutkan' }).isDisabled()).toBe(true);

    await page.getByRole('radio', { name: /Hanya baris yang valid/ }).check();
    await page.getByRole('button', { name: 'Lanjutkan' }).click();
    await page.getByText('2 anggota baru akan ditulis ke registri.').waitFor();
    await page.getByText('1 baris tidak valid tidak ditulis.').waitFor();
    await expectNoHorizontalScroll();
    await shot('i03-import-confirm-id');

    await page.getByRole('button', { name: 'Ya, tulis 2 anggota' }).click();
    await page.getByRole('heading', { level: 2, name: 'Impor selesai' }).waitFor();
    await page.getByText('2 anggota baru ditulis ke registri.').waitFor();
    await expectNoHorizontalScroll();
    await shot('i04-import-done-id');
  });

  it('the member list shows the new members, and its export carries the filter', async () => {
    await page.getByRole('link', { name: 'Lihat daftar anggota' }).click();
    await page.getByRole('heading', { level: 1, name: 'Anggota' }).waitFor();
    await page.getByRole('link', { name: /Rina Impor Satu/ }).waitFor();
    await page.getByRole('link', { name: /Joko Impor Dua/ }).waitFor();
    expect(await page.getByText('Baris Rusak').count()).toBe(0);

    await page.getByLabel('Cari nama').fill('Rina Impor');
    await expect.poll(() => page.getByRole('link', { name: 'Unduh CSV' }).getAttribute('href')).toContain('q=Rina+Impor');
    const href = (await page.getByRole('link', { name: 'Unduh CSV' }).getAttribute('href'))!;
    const res = await page.request.get(`${baseUrl}${href}`);
    expect(res.status()).toBe(200);
    const body = await res.text();
    expect(body).toContain('Rina Impor Satu');
    expect(body).not.toContain('Joko Impor Dua');
    expect(await page.getByRole('link', { name: 'Unduh XLSX' }).getAttribute('href')).toContain('format=xlsx');
    await expectNoHorizontalScroll();
    await shot('i05-members-after-import-id');
  });

  it('a column the importer does not recognise is mapped by hand and every row is checked again', async () => {
    await page.goto(`${baseUrl}/impor`);
    await page.getByRole('heading', { level: 1, name: 'Impor spreadsheet' }).waitFor();
    const csv = 'Nama,Daerah\nSari Petakan,Kota Bandung\n';
    await page.getByLabel('Berkas CSV atau XLSX').setInputFiles({ name: 'daerah.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Unggah dan periksa' }).click();
    await page.getByRole('heading', { level: 1, name: 'daerah.csv' }).waitFor();
    // A required field without a column: the batch waits with the mapping open and says which field.
    await page.getByText('Kolom wajib tidak ditemukan: Kabupaten/kota.').waitFor();
    await page.getByLabel(/^Kabupaten\/kota/).selectOption('Daerah');
    await page.getByRole('button', { name: 'Terapkan dan periksa ulang' }).click();
    await expect.poll(() => page.locator('[data-count="valid"] .stat-value').textContent()).toBe('1');
    await page.getByText('Semua baris lolos pemeriksaan tanpa kesalahan atau peringatan.').waitFor();
    await expectNoHorizontalScroll();
    await shot('i06-import-remapped-id');
  });

  it('the import is listed under recent imports and reopens; the page reads in English too', async () => {
    const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/registry/imports');
    await page.goto(`${baseUrl}/impor`);
    await page.getByRole('heading', { level: 1, name: 'Impor spreadsheet' }).waitFor();
    // A server without the list of batches (404) leaves the section out.
    if ((await listed).ok()) {
      const recent = page.getByRole('region', { name: 'Impor terbaru saya' });
      await recent.getByRole('link', { name: /anggota-bandung\.csv/ }).click();
      await page.getByRole('heading', { level: 1, name: 'anggota-bandung.csv' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Impor selesai' }).waitFor();
    }
    await page.getByRole('button', { name: /^EN/ }).click();
    await page.goto(`${baseUrl}/impor`);
    await page.getByRole('heading', { level: 1, name: 'Spreadsheet import' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('i07-import-new-en');
    await page.getByRole('button', { name: /^ID/ }).click();
  });
});
