/**
 * Chapters and partners on a 360×740 phone: the national admin adds a partner with a
 * data-sharing agreement, finds it in the list, opens it, reveals the contact's phone with a
 * reason and adds a second agreement; then opens the chapter of Kota Bandung and finds it listed.
 * Both lists download with their filters.
 *
 * Setup in support.ts: the real server as a child process with a fresh data folder, a build in
 * dist/web, and Chromium (/usr/bin/chromium or SIMPUL_CHROMIUM).
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { admin, setupE2E } from './support.ts';

const partner = { name: 'Dinas Kebudayaan dan Pariwisata Kota Bandung', phone: '0812-2222-3333' };

const e2e = setupE2E('simpul-e2e-partners-');
const { shot, expectNoHorizontalScroll, navigate, pickRegion } = e2e;
let baseUrl = '';
let page: Page;
beforeAll(() => {
  ({ baseUrl, page } = e2e);
});

describe('chapters and partners on a 360×740 phone', () => {
  it('setup: the first national admin', async () => {
    await page.goto(baseUrl);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/siapkan');
    await page.getByLabel('Nama lengkap').fill(admin.name);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Kata sandi', { exact: true }).fill(admin.password);
    await page.getByLabel('Ulangi kata sandi').fill(admin.password);
    await page.getByRole('button', { name: 'Buat Admin Nasional' }).click();
    await page.getByRole('heading', { level: 1, name: `Halo, ${admin.name}` }).waitFor();
  });

  it('the admin adds a partner with a data-sharing agreement; required fields are named next to them', async () => {
    await navigate('Mitra');
    await page.getByRole('heading', { level: 1, name: 'Mitra' }).waitFor();
    await page.getByText('0 mitra').waitFor();
    await page.getByRole('link', { name: 'Tambah mitra' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tambah mitra' }).waitFor();

    await page.getByRole('button', { name: 'Tambah perjanjian' }).click();
    await page.getByRole('button', { name: 'Simpan mitra' }).click();
    // Errors are tied to their fields, and the first one gets the focus.
    const name = page.getByLabel('Nama mitra', { exact: true });
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => name.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Judul perjanjian' }).getAttribute('aria-invalid')).toBe('true');
    await expectNoHorizontalScroll();
    await shot('p01-mitra-baru-galat');

    await name.fill(partner.name);
    await page.getByLabel('Jenis mitra', { exact: true }).selectOption({ label: 'Pemerintah' });
    await pickRegion(/Wilayah kerja/, 'kota bandung', /^Kota Bandung/);
    await page.getByLabel(/Narahubung/).fill('Asep Sunandar');
    await page.getByLabel(/Nomor HP narahubung/).fill(partner.phone);
    await page.getByRole('textbox', { name: 'Judul perjanjian' }).fill('Nota Kesepahaman Pendataan Pelaku Ekraf');
    await pickRegion(/Cakupan perjanjian/, 'kota bandung', /^Kota Bandung/);
    await page.getByLabel(/Berlaku mulai/).fill('2025-01-01');
    await page.getByRole('checkbox', { name: /Perjanjian berbagi data/ }).check();
    await page.getByRole('button', { name: 'Simpan mitra' }).click();

    await page.getByRole('heading', { level: 1, name: partner.name }).waitFor();
    await page.getByText(`Mitra ${partner.name} telah dibuat.`).waitFor();
    await page.getByText('Nota Kesepahaman Pendataan Pelaku Ekraf').waitFor();
    await page.getByText('Kota Bandung (32.73)').waitFor();
    await page.getByText('+6281******333').waitFor();
    await expectNoHorizontalScroll();
  });

  it('the partner is in the list, filtered by type and region, opens, and shows its contact after a reason is given', async () => {
    await page.getByRole('link', { name: /Kembali ke daftar mitra/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Mitra' }).waitFor();
    await page.getByLabel('Jenis mitra', { exact: true }).selectOption({ label: 'Pemerintah' });
    await expect.poll(() => new URL(page.url()).searchParams.get('jenis')).toBe('government');
    await pickRegion(/Wilayah kerja/, 'jawa barat', /^Jawa Barat/);
    await expect.poll(() => new URL(page.url()).searchParams.get('wilayah')).toBe('32');
    const card = page.getByRole('link', { name: new RegExp(partner.name) });
    await card.waitFor();
    await expect.poll(() => card.textContent()).toContain('1 perjanjian aktif');
    await expectNoHorizontalScroll();
    await shot('p02-mitra-daftar');

    // The download carries the filters on screen, and the phone stays masked.
    const csvHref = await page.getByRole('link', { name: 'Unduh CSV' }).getAttribute('href');
    expect(csvHref).toContain('type=government');
    expect(csvHref).toContain('regionCode=32');
    const csv = await page.request.get(`${baseUrl}${csvHref}`);
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    expect(text).toContain('Nama Mitra');
    expect(text).toContain(partner.name);
    expect(text).toContain('+6281******333');
    expect(text).not.toContain('+6281222223333');

    await card.click();
    await page.getByRole('heading', { level: 1, name: partner.name }).waitFor();
    await page.getByRole('button', { name: 'Tampilkan', exact: true }).click();
    await page.getByLabel('Alasan menampilkan nomor').fill('Undangan Rakornas 2026');
    await page.getByRole('button', { name: 'Tampilkan nomor' }).click();
    await page.getByText('+6281222223333').waitFor();
    await page.getByRole('link', { name: 'WhatsApp' }).waitFor();
  });

  it('the admin adds a second agreement on the partner page', async () => {
    await page.getByRole('button', { name: 'Tambah perjanjian' }).click();
    await page.getByRole('textbox', { name: 'Judul perjanjian' }).fill('Festival Kreatif Bandung 2026');
    await page.getByLabel(/Berlaku mulai/).fill('2026-01-01');
    await page.getByLabel(/Berlaku sampai/).fill('2026-12-31');
    await page.getByRole('button', { name: 'Simpan perjanjian' }).click();
    await page.getByText('Perjanjian ditambahkan.').waitFor();
    await page.getByText('Festival Kreatif Bandung 2026').waitFor();
    await page.getByText('Seluruh Indonesia').waitFor();
    await expectNoHorizontalScroll();
    await shot('p03-mitra-detail');
  });

  it('the admin opens the chapter of Kota Bandung and finds it listed; a second one is refused at the field', async () => {
    await navigate('Chapter');
    await page.getByRole('heading', { level: 1, name: 'Chapter' }).waitFor();
    await page.getByText('0 chapter').waitFor();
    await page.getByRole('link', { name: 'Tambah chapter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tambah chapter' }).waitFor();
    await page.getByRole('button', { name: 'Simpan chapter' }).click();
    await page.getByText('Pilih kabupaten/kota.').waitFor();
    await pickRegion(/Kabupaten\/kota/, 'kota bandung', /^Kota Bandung/);
    await page.getByLabel(/Email chapter/).fill('bandung@iccn.or.id');
    await expectNoHorizontalScroll();
    await shot('p04-chapter-baru');
    await page.getByRole('button', { name: 'Simpan chapter' }).click();

    await page.getByText('Chapter ICCN Kota Bandung telah dibuat.').waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/chapter');
    const card = page.getByRole('link', { name: /Kota Bandung/ });
    await card.waitFor();
    await expect.poll(() => card.textContent()).toContain('ICCN Kota Bandung');
    await expect.poll(() => card.textContent()).toContain('Aktif');
    await page.getByText('1 chapter').waitFor();
    await expectNoHorizontalScroll();
    await shot('p05-chapter-daftar');

    const xlsxHref = await page.getByRole('link', { name: 'Unduh XLSX' }).getAttribute('href');
    expect(xlsxHref).toContain('regionCode=32.73');
    const xlsx = await page.request.get(`${baseUrl}${xlsxHref}`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');

    await page.getByRole('link', { name: 'Tambah chapter' }).click();
    await pickRegion(/Kabupaten\/kota/, 'kota bandung', /^Kota Bandung/);
    await page.getByRole('button', { name: 'Simpan chapter' }).click();
    const box = page.getByRole('combobox', { name: /Kabupaten\/kota/ });
    await expect.poll(() => box.getAttribute('aria-invalid')).toBe('true');
  });

  it('the same pages in English', async () => {
    await page.getByRole('button', { name: /^EN/ }).click();
    await navigate('Partners');
    await page.getByRole('heading', { level: 1, name: 'Partners' }).waitFor();
    await page.getByText(/^2 active agreements/).first().waitFor();
    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(href).toContain('lang=en');
    await expectNoHorizontalScroll();
    await navigate('Chapters');
    await page.getByRole('heading', { level: 1, name: 'Chapters' }).waitFor();
    await page.getByText('Joined on').first().waitFor();
    await expectNoHorizontalScroll();
    await shot('p06-chapters-en');
  });
});
