/**
 * Preparing a distribution end to end on a 360×740 phone: four beneficiaries in Kota Bandung
 * (registered through the API), one of them already served with a food package this month by
 * RESCUE-PANGAN through a partner. The national admin opens /penerima/penyaluran, builds the
 * eligible list for another programme, sees the served person left out with the reason, records
 * the distribution for the others, builds the list again and sees everyone left out; the person
 * page shows the ledger; the partner overlap check finds the overlaps in the partner's own CSV.
 * Nothing may scroll sideways.
 */
import { request, type APIRequestContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthPeriod, todayWib } from '../../src/web/routes/beneficiaries/distribution.ts';
import { admin, setupE2E } from './support.ts';

const e2e = setupE2E('simpul-e2e-dist-');
const { shot, expectNoHorizontalScroll, logIn } = e2e;
let baseUrl = '';
let page: Page;

let adminApi: APIRequestContext;
let csrf = '';
const post = (url: string, data: unknown) => adminApi.post(url, { data, headers: { 'x-csrf-token': csrf, 'accept-language': 'id' } });
async function created<T>(url: string, data: unknown): Promise<T> {
  const res = await post(url, data);
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

const period = monthPeriod(todayWib());

const beneficiary = (fullName: string, nik: string, birthDate: string, sex: 'L' | 'P') => ({
  source: { kind: 'programme', ref: 'DAMPING-2026' },
  fullName,
  nik,
  birthDate,
  sex,
  regencyCode: '32.73',
  consent: { purpose: 'programmes', version: 1, given: true },
});

interface Registered {
  personId: number;
  record: { id: number };
}

let andi: Registered;
let budi: Registered;
let partner: { id: number; name: string };

beforeAll(async () => {
  ({ baseUrl, page } = e2e);
  adminApi = await request.newContext({ baseURL: baseUrl });
  const setup = await adminApi.post('/api/setup', { data: { name: admin.name, email: admin.email, password: admin.password } });
  expect(setup.status(), await setup.text()).toBe(201);
  csrf = (await setup.json()).csrfToken;

  partner = await created('/api/partners', {
    name: 'Bank Pangan Jabar',
    type: 'community',
    regionCode: '32.73',
    agreements: [{ title: 'Berbagi data penyaluran', scopeCode: null, validFrom: '2026-01-01', allowsPersonalData: false }],
  });
  await created('/api/beneficiaries/programmes', { code: 'DAMPING-PANGAN', name: 'Dapur Pendampingan', aidKinds: ['food_package'] });

  andi = await created('/api/beneficiaries', beneficiary('Andi Pratama', '3273011502920001', '1992-02-15', 'L'));
  budi = await created('/api/beneficiaries', beneficiary('Budi Santoso', '3273010101850002', '1985-01-01', 'L'));
  await created('/api/beneficiaries', beneficiary('Citra Lestari', '3273014203900003', '1990-03-02', 'P'));
  await created('/api/beneficiaries', beneficiary('Dewi Anggraini', '3273016204910004', '1991-04-22', 'P'));

  // Andi already got a food package this month from RESCUE-PANGAN, through the partner.
  await created('/api/beneficiaries/benefits', {
    recordId: andi.record.id,
    programme: 'RESCUE-PANGAN',
    aidKind: 'food_package',
    period,
    partnerId: partner.id,
    quantity: 1,
    deliveredAt: `${period.start}T09:00:00+07:00`,
  });
});

afterAll(async () => {
  await adminApi?.dispose();
});

const stat = (label: string) => page.locator('.stat', { has: page.locator('.stat-label', { hasText: new RegExp(`^${label}$`) }) }).locator('.stat-value');
const card = (name: string) => page.locator('.dist-list > li', { hasText: name });

describe('a distribution on a 360×740 phone', () => {
  it('builds the eligible list: the person already served is left out, with who served them and when', async () => {
    await page.goto(`${baseUrl}/masuk`);
    await logIn(admin.email, admin.password);
    await page.goto(`${baseUrl}/penerima`);
    await page.getByRole('heading', { level: 1, name: 'Penerima manfaat' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('d00-beneficiaries-links-id');
    await page.getByRole('link', { name: 'Penyaluran', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Penyaluran bantuan' }).waitFor();
    await page.getByLabel('Program', { exact: true }).selectOption('DAMPING-PANGAN');
    await expect.poll(() => page.getByLabel('Jenis bantuan').inputValue()).toBe('food_package');
    await e2e.pickRegion(/Wilayah calon penerima/, 'kota bandung', /^Kota Bandung/);
    await expectNoHorizontalScroll();
    await shot('d01-distribution-form-id');

    await page.getByRole('button', { name: 'Susun daftar' }).click();
    await page.getByRole('heading', { level: 2, name: /^Daftar layak: Kota Bandung/ }).waitFor();
    await expect.poll(() => stat('masuk daftar').textContent()).toBe('3');
    expect(await stat('tidak dimasukkan').textContent()).toBe('1');
    const andiCard = card('Andi Pratama');
    await andiCard.getByText('Tidak dimasukkan').waitFor();
    await andiCard.getByText(/^Sudah menerima paket pangan pada periode/).waitFor();
    await andiCard.getByText('Program: RESCUE-PANGAN — Pangan Sehat untuk Semua').waitFor();
    await andiCard.getByText('Mitra: Bank Pangan Jabar').waitFor();
    await andiCard.getByText(/^Diserahkan: /).waitFor();
    await card('Budi Santoso').getByText('Masuk daftar').waitFor();
    await expectNoHorizontalScroll();
    await shot('d02-eligible-list-id');

    await page.getByRole('button', { name: /^Tidak masuk \(1\)$/ }).click();
    await expect.poll(() => page.locator('.dist-list > li').count()).toBe(1);

    // The CSV comes from the answer itself, with a header row in the user's language.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Unduh CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`daftar-layak-DAMPING-PANGAN-food_package-${period.start}.csv`);
    const csv = await download.createReadStream().then(async (s) => {
      let text = '';
      for await (const chunk of s) text += chunk.toString();
      return text;
    });
    expect(csv.startsWith('\uFEFFData,Orang,Nama,Kabupaten/kota,Status,Alasan\r\n')).toBe(true);
    expect(csv).toContain('Andi Pratama');
    expect(csv).toContain('Mitra: Bank Pangan Jabar');
  });

  it('records the distribution for the people included; the list then leaves everyone out', async () => {
    await page.getByRole('button', { name: 'Catat penyaluran untuk 3 orang…' }).click();
    const box = page.locator('.confirm-box');
    await box.getByText(/dicatat sebagai sudah diterima oleh 3 orang/).waitFor();
    await box.getByLabel('Mitra penyalur (jika ada)').selectOption({ label: 'Bank Pangan Jabar' });
    await expectNoHorizontalScroll();
    await shot('d03-record-confirm-id');
    // A double click records nothing twice: one batch key for the same content.
    await box.getByRole('button', { name: 'Ya, catat untuk 3 orang' }).dblclick();
    await page.getByText('Penyaluran tercatat untuk 3 orang. Daftar di bawah sudah diperbarui.').waitFor();
    await expect.poll(() => stat('masuk daftar').textContent()).toBe('0');
    expect(await stat('tidak dimasukkan').textContent()).toBe('4');

    await page.getByRole('button', { name: 'Susun daftar' }).click();
    await expect.poll(() => stat('tidak dimasukkan').textContent()).toBe('4');
    await page.getByRole('button', { name: /^Semua \(4\)$/ }).click();
    await card('Budi Santoso').getByText('Program: DAMPING-PANGAN — Dapur Pendampingan').waitFor();
    await expectNoHorizontalScroll();
    await shot('d04-after-record-id');

    const res = await adminApi.get(`/api/beneficiaries/persons/${budi.personId}/benefits`);
    expect((await res.json()).items).toHaveLength(1);
  });

  it('shows the ledger on the person page', async () => {
    await card('Budi Santoso').getByRole('link', { name: `Orang #${budi.personId}` }).click();
    await page.getByRole('heading', { level: 1, name: `Orang #${budi.personId}` }).waitFor();
    const ledger = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Bantuan yang sudah diterima' }) });
    await ledger.getByText('DAMPING-PANGAN — Dapur Pendampingan').waitFor();
    await ledger.getByText('Bank Pangan Jabar').waitFor();
    await ledger.getByText('paket pangan').waitFor();
    await ledger.scrollIntoViewIfNeeded();
    await expectNoHorizontalScroll();
    await shot('d05-person-ledger-id');
  });

  it('checks a partner’s own list for overlaps, saying what its agreement allows', async () => {
    await page.goto(`${baseUrl}/penerima`);
    await page.getByRole('link', { name: 'Cek tumpang tindih', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Cek tumpang tindih mitra' }).waitFor();
    await page.getByLabel('Mitra', { exact: true }).selectOption({ label: 'Bank Pangan Jabar' });
    await page.getByText(/Perjanjian tidak mengizinkan data pribadi/).waitFor();
    await page.getByLabel('Jenis bantuan').selectOption({ label: 'paket pangan' });
    await page.getByLabel('Berkas CSV daftar mitra').setInputFiles({
      name: 'daftar-mitra.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('No;NIK;Nama;Tgl Lahir;Kab/Kota\n1;3273010101850002;Budi Santoso;01/01/1985;3273\n2;;Eko Prasetyo;20/07/1980;32.73\n'),
    });
    await page.getByText('daftar-mitra.csv: 2 baris terbaca.').waitFor();
    await page.getByRole('button', { name: 'Periksa' }).click();
    await page.getByRole('heading', { level: 2, name: 'Hasil untuk Bank Pangan Jabar' }).waitFor();
    await expect.poll(() => stat('sudah menerima').textContent()).toBe('1');
    expect(await stat('belum menerima').textContent()).toBe('1');
    const budiRow = page.locator('.ov-list > li', { hasText: 'Budi Santoso' });
    await budiRow.getByText('Sudah menerima').waitFor();
    await budiRow.getByText('Dari program DAMPING-PANGAN — Dapur Pendampingan, mitra Bank Pangan Jabar').waitFor();
    await page.locator('.ov-list > li', { hasText: 'Eko Prasetyo' }).getByText('Belum menerima').waitFor();
    await expectNoHorizontalScroll();
    await shot('d06-overlap-id');
  });

  it('the pages in English', async () => {
    await page.getByRole('button', { name: /^EN/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Partner overlap check' }).waitFor();
    await page.getByRole('link', { name: /Back to search/ }).click();
    await page.getByRole('link', { name: 'Distribution', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Aid distribution' }).waitFor();
    await expect.poll(() => page.getByLabel('Kind of aid').inputValue()).toBe('food_package');
    await e2e.pickRegion(/Region of the candidates/, 'kota bandung', /^Kota Bandung/);
    await page.getByRole('button', { name: 'Build the list' }).click();
    await expect.poll(() => stat('left out').textContent()).toBe('4');
    await card('Budi Santoso').getByText(/^Already received food package in the period/).waitFor();
    await card('Budi Santoso').getByText('Partner: Bank Pangan Jabar').waitFor();
    await expectNoHorizontalScroll();
    await shot('d07-distribution-en');
    await page.getByRole('button', { name: /^ID/ }).click();
  });
});
