/**
 * Beneficiary imports and deduplication runs end to end on a 360×740 phone. The national admin
 * imports a small CSV with near-duplicates (one linked on entry, one sent to review, one bad NIK)
 * and sees the bar, then the counts and the bad row in words; imports a larger synthetic file
 * (src/lib/linkage/synthetic) while entry linkage is held back, so its duplicates wait as separate
 * persons; starts a deduplication run over the whole registry, sees it finish with its counts and
 * learned model; merges the run's clear matches after confirming how many, and sees the review
 * queue change. Nothing may scroll sideways.
 *
 * Setup in support.ts: the real server as a child process, a web build, Chromium.
 */
import { request, type APIRequestContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/lib/linkage/index.ts';
import { admin, setupE2E } from './support.ts';

const e2e = setupE2E('simpul-e2e-benef-runs-');
const { shot, expectNoHorizontalScroll, logIn } = e2e;
let baseUrl = '';
let page: Page;
let adminApi: APIRequestContext;
let csrf = '';

const SMALL_CSV = [
  'Nama,NIK,Tanggal Lahir,Jenis Kelamin,Kode Kabupaten,Alamat',
  'Siti Rahmawati,3273015205900002,1990-05-12,P,32.73,Jl. Melati 3',
  'SITI RAHMAWATI,3273015205900002,1990-05-12,P,32.73,Jl. Melati 3', // the same NIK: linked on entry
  'Siti Rahmawati,3273025205900123,1990-05-12,P,32.73,', // same name and date, another NIK: review
  'Joko Susilo,3273011708500001,1950-08-17,L,32.73,Gg. Mawar',
  'Budi,12345,1980-01-01,L,32.73,', // a NIK of 5 digits
].join('\n');

/** Synthetic beneficiaries of West Java with known duplicates, as a CSV the importer reads. */
function syntheticCsv(records: number): string {
  const rows = generateDataset({ records, seed: 11, provinces: ['32'], shuffleWindow: 200 });
  const cell = (v: string | null) => (v === null ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return ['Nama,NIK,No KK,Tanggal Lahir,Jenis Kelamin,Kode Kabupaten,Alamat,No HP', ...rows.map((r) => [r.name, r.nik, r.kk, r.birthDate, r.sex, r.regencyCode, r.address, r.phone].map(cell).join(','))].join('\n');
}

const patch = (url: string, data: unknown) => adminApi.patch(url, { data, headers: { 'x-csrf-token': csrf } });
const pendingTotal = async () => (await (await adminApi.get('/api/beneficiaries/duplicates?status=pending&limit=1')).json()).total as number;

beforeAll(async () => {
  ({ baseUrl, page } = e2e);
  adminApi = await request.newContext({ baseURL: baseUrl });
  const setup = await adminApi.post('/api/setup', { data: { name: admin.name, email: admin.email, password: admin.password } });
  expect(setup.status(), await setup.text()).toBe(201);
  csrf = (await setup.json()).csrfToken;
});

afterAll(async () => {
  await adminApi?.dispose();
});

async function upload(fileName: string, csv: string) {
  await page.getByLabel('Berkas CSV atau XLSX').setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByLabel(/Setiap orang di berkas ini telah menyetujui teks di atas \(versi 1\)/).check();
  await page.getByRole('button', { name: 'Unggah dan proses' }).click();
}

const stat = (key: string) => page.locator(`[data-count="${key}"] .stat-value`);

describe('beneficiary imports and deduplication runs on a 360×740 phone', () => {
  it('imports a CSV with near-duplicates: a bar while it runs, then the counts and the bad row in words', async () => {
    await page.goto(`${baseUrl}/masuk`);
    await logIn(admin.email, admin.password);
    await page.goto(`${baseUrl}/penerima`);
    await page.getByRole('link', { name: 'Impor penerima' }).click();
    await page.getByRole('heading', { level: 1, name: 'Impor penerima manfaat' }).waitFor();
    // The consent the uploader confirms, in full, with its version.
    await page.getByText('Teks persetujuan versi 1').waitFor();
    await page.getByText(/Saya setuju data saya dipakai untuk menilai kelayakan/).waitFor();
    await expectNoHorizontalScroll();
    await shot('br01-import-form-id');

    // Without the consent ticked, nothing is sent.
    await page.getByLabel('Berkas CSV atau XLSX').setInputFiles({ name: 'penerima-bandung.csv', mimeType: 'text/csv', buffer: Buffer.from(SMALL_CSV) });
    await page.getByRole('button', { name: 'Unggah dan proses' }).click();
    await page.getByText('Centang pernyataan persetujuan terlebih dahulu.').waitFor();

    await upload('penerima-bandung.csv', SMALL_CSV);
    await page.getByRole('heading', { level: 2, name: /^Impor #\d+: penerima-bandung\.csv$/ }).waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get('batch')).toMatch(/^\d+$/);
    await page.getByRole('heading', { level: 3, name: 'Hasil' }).waitFor();
    await expect.poll(() => stat('rows').textContent()).toBe('5');
    expect(await stat('new').textContent()).toBe('2');
    expect(await stat('linked').textContent()).toBe('1');
    expect(await stat('queued').textContent()).toBe('1');
    expect(await stat('invalid').textContent()).toBe('1');
    const problems = page.getByRole('table');
    await problems.getByRole('row', { name: /6 NIK NIK harus 16 angka\./ }).waitFor();
    await page.getByRole('link', { name: 'Buka antrean kemungkinan ganda' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('br02-import-done-id');
  });

  it('imports a larger file with a live bar (rows done of the total, time left)', async () => {
    // Entry linkage held back, as if these records had been registered before linkage existed.
    expect((await patch('/api/beneficiaries/settings', { autoLinkProbability: 1, reviewProbability: 1 })).status()).toBe(200);
    await page.getByRole('button', { name: 'Impor berkas lain' }).click();
    const csv = syntheticCsv(700);
    const rows = csv.split('\n').length - 1;
    await upload('penerima-sintetis.csv', csv);
    const bar = page.getByRole('progressbar', { name: 'Kemajuan impor' });
    await bar.waitFor();
    await page.getByText(new RegExp(`Memeriksa baris · [\\d.]+ dari ${rows.toLocaleString('id-ID')}`)).waitFor({ timeout: 30_000 });
    // Time left, once the server has a pace to go by.
    await page.getByText(/menit lagi/).waitFor({ timeout: 30_000 });
    await expectNoHorizontalScroll();
    await shot('br03-import-progress-id');
    await page.getByRole('heading', { level: 3, name: 'Hasil' }).waitFor({ timeout: 90_000 });
    await expect.poll(() => stat('rows').textContent()).toBe(rows.toLocaleString('id-ID'));
    expect((await patch('/api/beneficiaries/settings', { autoLinkProbability: 0.99, reviewProbability: 0.5 })).status()).toBe(200);
    // The two imports in the list of recent ones.
    await page.getByRole('heading', { level: 2, name: 'Impor terakhir Anda' }).waitFor();
    await page.getByRole('link', { name: /penerima-bandung\.csv/ }).waitFor();
  }, 120_000);

  it('starts a deduplication run over the whole registry and sees it finish with counts and the learned model', async () => {
    await page.goto(`${baseUrl}/penerima`);
    await page.getByRole('link', { name: 'Proses deduplikasi' }).click();
    await page.getByRole('heading', { level: 1, name: 'Proses deduplikasi' }).waitFor();
    await page.getByText('Belum ada pemeriksaan.').waitFor();
    await expect.poll(() => page.getByLabel('Seluruh registri').isChecked()).toBe(true);
    await expectNoHorizontalScroll();
    await shot('br04-runs-start-id');

    await page.getByRole('button', { name: 'Mulai pemeriksaan' }).click();
    await page.getByRole('heading', { level: 2, name: /^Pemeriksaan #\d+ · Seluruh registri$/ }).waitFor();
    await page.locator('.badge', { hasText: 'Selesai' }).first().waitFor({ timeout: 90_000 });
    await page.getByRole('heading', { level: 3, name: 'Hasil' }).waitFor();
    const records = Number((await stat('records').textContent())!.replace(/\./g, ''));
    expect(records).toBeGreaterThan(600);
    expect(Number((await stat('clearMatches').textContent())!.replace(/\./g, ''))).toBeGreaterThan(0);
    expect(Number((await stat('candidatePairs').textContent())!.replace(/\./g, ''))).toBeGreaterThan(0);
    await page.getByText('Model yang dipelajari').click();
    await page.getByRole('rowgroup').filter({ hasText: 'Tanggal lahir' }).first().waitFor();
    await page.getByText('Waktu per tahap').click();
    await page.getByText('Membandingkan pasangan').first().waitFor();
    await expectNoHorizontalScroll();
    await shot('br05-run-done-id');
  }, 120_000);

  it('merges the run’s clear matches after confirming how many, and the review queue changes', async () => {
    const panel = page.getByRole('region', { name: 'Gabungkan kecocokan jelas' });
    await panel.waitFor();
    const button = panel.getByRole('button', { name: /^Gabungkan [\d.]+ pasangan$/ });
    await button.waitFor();
    const count = Number((await button.textContent())!.replace(/\D/g, ''));
    expect(count).toBeGreaterThan(0);
    const before = await pendingTotal();
    let question = '';
    page.once('dialog', (d) => {
      question = d.message();
      void d.accept();
    });
    await button.click();
    await panel.getByText('Penggabungan selesai.').waitFor({ timeout: 90_000 });
    expect(question).toMatch(new RegExp(`^Gabungkan ${count.toLocaleString('id-ID')} pasangan kecocokan jelas dari pemeriksaan #\\d+\\?`));
    await expect.poll(() => panel.locator('[data-merge="merged"] .stat-value').textContent()).toBe(count.toLocaleString('id-ID'));
    expect(await panel.getByRole('button', { name: /^Gabungkan/ }).count()).toBe(0);
    await expectNoHorizontalScroll();
    await shot('br06-merge-done-id');
    expect(await pendingTotal()).toBe(before - count);

    await page.getByRole('link', { name: 'Buka antrean kemungkinan ganda' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kemungkinan ganda' }).waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('merged');
    await page.getByText(`${count.toLocaleString('id-ID')} data`).waitFor();
    await shot('br07-queue-merged-id');
  }, 120_000);

  it('the pages in English', async () => {
    await page.goto(`${baseUrl}/penerima/proses`);
    await page.getByRole('heading', { level: 1, name: 'Proses deduplikasi' }).waitFor();
    await page.getByRole('button', { name: /^EN/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Deduplication runs' }).waitFor();
    await page.getByRole('link', { name: /^Run #\d+/ }).first().click();
    await page.getByRole('heading', { level: 3, name: 'Merge the clear matches' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('br08-run-en');
    await page.goto(`${baseUrl}/penerima/impor`);
    await page.getByRole('heading', { level: 1, name: 'Import beneficiaries' }).waitFor();
    await page.getByRole('link', { name: /penerima-bandung\.csv/ }).click();
    await page.getByRole('row', { name: /6 NIK A NIK has 16 digits\./ }).waitFor();
    await expectNoHorizontalScroll();
    await shot('br09-import-en');
  });
});
