/**
 * Beneficiary review end to end on a 360×740 phone: records registered through the API (two pairs
 * in the grey zone: the same name and birth date with another NIK in Kota Bandung; and one clear
 * duplicate, the same NIK with an old spelling, linked automatically). The national admin finds
 * the clear duplicate as one person, opens the review queue, sees a pair side by side with each
 * field's contribution, merges it, sees both records under one person, undoes the merge, marks the
 * other pair "not the same person", meets a pair decided by someone else meanwhile (409), and
 * looks at the pages in English. Nothing may scroll sideways.
 *
 * Setup in support.ts: the real server as a child process, a build in dist/web, Chromium.
 */
import { request, type APIRequestContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, setupE2E } from './support.ts';

const e2e = setupE2E('simpul-e2e-benef-');
const { shot, expectNoHorizontalScroll, logIn } = e2e;
let baseUrl = '';
let page: Page;

let adminApi: APIRequestContext;
let csrf = '';
const post = (url: string, data: unknown) => adminApi.post(url, { data, headers: { 'x-csrf-token': csrf, 'accept-language': 'id' } });

const beneficiary = (fullName: string, nik: string, birthDate: string, sex: 'L' | 'P', source = { kind: 'programme', ref: 'DAMPING-2026' }) => ({
  source,
  fullName,
  nik,
  birthDate,
  sex,
  regencyCode: '32.73',
  consent: { purpose: 'programmes', version: 1, given: true },
});

interface Registered {
  personId: number;
  outcome: string;
  record: { id: number };
}

async function register(body: unknown): Promise<Registered> {
  const res = await post('/api/beneficiaries', body);
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

/** Pair ids of the pending queue by the name on record A. */
async function pendingPairOf(name: string): Promise<number> {
  const res = await adminApi.get('/api/beneficiaries/duplicates?status=pending&limit=200');
  const item = (await res.json()).items.find((c: { recordA: { fullName: string } }) => c.recordA.fullName === name);
  expect(item, `pending pair of ${name}`).toBeDefined();
  return item.id;
}

let siti: [Registered, Registered];
let budi: [Registered, Registered];
let sitiPair = 0;

beforeAll(async () => {
  ({ baseUrl, page } = e2e);
  adminApi = await request.newContext({ baseURL: baseUrl });
  // From this machine's loopback address the first admin needs no setup code.
  const setup = await adminApi.post('/api/setup', { data: { name: admin.name, email: admin.email, password: admin.password } });
  expect(setup.status(), await setup.text()).toBe(201);
  csrf = (await setup.json()).csrfToken;

  // Grey zone (server tests: ≈ 0.8): same name, birth date and regency, another NIK.
  siti = [
    await register(beneficiary('Siti Rahmawati', '3273015205900002', '1990-05-12', 'P')),
    await register(beneficiary('Siti Rahmawati', '3273025205900123', '1990-05-12', 'P', { kind: 'partner', ref: 'BAZNAS-BDG' })),
  ];
  expect(siti[1].outcome).toBe('queued');
  const joko = [
    await register(beneficiary('Joko Susilo', '3273011708500001', '1950-08-17', 'L')),
    await register(beneficiary('Joko Susilo', '3273011708500777', '1950-08-17', 'L', { kind: 'import', ref: 'batch-1' })),
  ];
  expect(joko[1].outcome).toBe('queued');
  // A clear duplicate: the same NIK, the name in the old spelling, from a partner: linked at once.
  budi = [
    await register(beneficiary('Budi Santoso', '3273011003850001', '1985-03-10', 'L')),
    await register(beneficiary('Boedi Santoso', '3273011003850001', '1985-03-10', 'L', { kind: 'partner', ref: 'BAZNAS-BDG' })),
  ];
  expect(budi[1].outcome).toBe('linked');
  expect(budi[1].personId).toBe(budi[0].personId);
  sitiPair = await pendingPairOf('Siti Rahmawati');
});

afterAll(async () => {
  await adminApi?.dispose();
});

describe('beneficiary review on a 360×740 phone', () => {
  it('the admin finds beneficiaries by name; the clear duplicate is one person with two records', async () => {
    await page.goto(`${baseUrl}/masuk`);
    await logIn(admin.email, admin.password);
    await page.getByRole('link', { name: /Penerima: kemungkinan ganda/ }).waitFor();
    await e2e.navigate('Penerima');
    await page.getByRole('heading', { level: 1, name: 'Penerima manfaat' }).waitFor();
    await page.getByText('6 data').waitFor();
    await page.getByLabel('Nama', { exact: true }).fill('budi santoso');
    await page.getByText('2 data').waitFor();
    await expectNoHorizontalScroll();
    await shot('b01-search-id');

    await page.getByRole('link', { name: /^Boedi Santoso/ }).click();
    await page.getByRole('heading', { level: 1, name: `Orang #${budi[0].personId}` }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Data dari tiap sumber (2)' }).waitFor();
    await page.getByText('Mitra: BAZNAS-BDG').first().waitFor();
    // NIK masked; shown in clear after a reason (logged by the server).
    const first = page.locator('.benef-records > li').first();
    await first.getByText('3273********0001').waitFor();
    await first.getByRole('button', { name: 'Tampilkan: NIK' }).click();
    await first.getByLabel('Alasan menampilkan').fill('Verifikasi penyaluran bantuan');
    await first.getByRole('button', { name: 'Tampilkan data' }).click();
    await first.getByText('3273011003850001').waitFor();
    await expectNoHorizontalScroll();
    await shot('b02-person-id');
  });

  it('opens the queue, sees a pair side by side with each field’s contribution, and merges it', async () => {
    await page.goto(`${baseUrl}/penerima`);
    await page.getByRole('link', { name: /Antrean kemungkinan ganda/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Kemungkinan ganda' }).waitFor();
    await page.getByText('2 data').waitFor();
    await expectNoHorizontalScroll();
    await shot('b03-queue-id');

    await page.getByRole('link', { name: /Siti Rahmawati ↔ Siti Rahmawati/ }).click();
    await page.getByRole('heading', { level: 1, name: `Pasangan #${sitiPair}` }).waitFor();
    await page.getByText(/Skor total .* bit · kemungkinan orang yang sama/).waitFor();
    const item = (field: string) => page.locator(`.compare-item[data-field="${field}"]`);
    await item('name').getByRole('heading', { name: 'Nama' }).waitFor();
    await expect.poll(() => item('name').locator('dd').allTextContents()).toEqual(['Siti Rahmawati', 'Siti Rahmawati']);
    expect(await item('name').locator('.contrib-verdict').textContent()).toBe('sangat mendukung sama');
    expect(await item('birth_date').locator('.contrib-verdict').textContent()).toBe('sangat mendukung sama');
    await expect.poll(() => item('nik').locator('dd').allTextContents()).toEqual(['3273********0002', '3273********0123']);
    expect(await item('nik').locator('.contrib-verdict').textContent()).toMatch(/menentang/);
    expect(await item('nik').locator('.contrib-bits').textContent()).toMatch(/^−\d/);
    await expectNoHorizontalScroll();
    await shot('b04-pair-id');

    await page.getByLabel('Catatan (opsional)').fill('KTP dicek di lapangan');
    await page.getByRole('button', { name: 'Gabungkan' }).click();
    await page.getByText(`Digabung: kedua data kini satu orang (#${siti[0].personId}).`).waitFor();
    await page.getByRole('button', { name: 'Urungkan' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('b05-merged-id');
  });

  it('sees both records under one person, then undoes the merge from the merge history', async () => {
    await page.getByRole('link', { name: `Lihat orang #${siti[0].personId}` }).first().click();
    await page.getByRole('heading', { level: 1, name: `Orang #${siti[0].personId}` }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Data dari tiap sumber (2)' }).waitFor();
    await page.getByText('Program: DAMPING-2026').first().waitFor();
    await page.getByText('Mitra: BAZNAS-BDG').first().waitFor();
    await page.getByText(new RegExp(`^Penggabungan #\\d+: orang #${siti[1].personId} digabung ke #${siti[0].personId} \\(data #${siti[1].record.id}\\)`)).waitFor();
    await page.getByText('Catatan: KTP dicek di lapangan').waitFor();
    await expectNoHorizontalScroll();
    await shot('b06-person-merged-id');

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Urungkan' }).click();
    await page.getByText('Penggabungan diurungkan. Data dipisah kembali; pasangannya kembali ke antrean.').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Data dari tiap sumber (1)' }).waitFor();
    await page.getByText(/^Dibatalkan /).waitFor();
    // The other record is its own person again.
    await page.goto(`${baseUrl}/penerima/orang/${siti[1].personId}`);
    await page.getByRole('heading', { level: 1, name: `Orang #${siti[1].personId}` }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Data dari tiap sumber (1)' }).waitFor();
    await shot('b07-person-undone-id');
  });

  it('splits a wrong automatic link off a person; the history tells both persons', async () => {
    await page.goto(`${baseUrl}/penerima/orang/${budi[0].personId}`);
    await page.getByRole('heading', { level: 2, name: 'Data dari tiap sumber (2)' }).waitFor();
    const linked = page.locator('.benef-records > li').nth(1);
    await linked.getByText(/^Saat didaftarkan: ditautkan otomatis ke orang ini \(peluang sama \d+,\d%\)\.$/).waitFor();
    page.once('dialog', (d) => void d.accept('Dua orang berbeda, dicek di lapangan'));
    await linked.getByRole('button', { name: 'Bukan orang ini — pisahkan' }).click();
    await page.getByText(new RegExp(`^Data #${budi[1].record.id} sekarang orang tersendiri`)).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Data dari tiap sumber (1)' }).waitFor();
    await page.getByText(new RegExp(`^Data #${budi[1].record.id} dipisahkan menjadi orang #\\d+`)).waitFor();
    await page.getByText('Catatan: Dua orang berbeda, dicek di lapangan').waitFor();
    await expectNoHorizontalScroll();
    await shot('b07b-person-split-id');
    await page.getByRole('link', { name: /^Buka orang #/ }).click();
    await page.getByText(new RegExp(`^Orang ini dibuat dengan memisahkan data #${budi[1].record.id} dari orang #${budi[0].personId}`)).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Data dari tiap sumber (1)' }).waitFor();
  });

  it('marks the other pair "not the same person"; it leaves the pending list', async () => {
    await page.goto(`${baseUrl}/penerima/duplikat`);
    await page.getByRole('link', { name: /Joko Susilo ↔ Joko Susilo/ }).click();
    await page.getByRole('heading', { level: 1, name: /^Pasangan #/ }).waitFor();
    await page.getByRole('button', { name: 'Bukan orang yang sama' }).click();
    await page.getByText('Ditandai bukan orang yang sama.').waitFor();
    await page.getByText('Pasangan ini sudah diputuskan: Bukan orang yang sama.').waitFor();
    expect(await page.getByRole('button', { name: 'Gabungkan' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Kembali ke antrean' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kemungkinan ganda' }).waitFor();
    await page.getByText('1 data').waitFor();
    expect(await page.getByRole('link', { name: /Joko Susilo/ }).count()).toBe(0);
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Bukan orang yang sama' });
    await page.getByRole('link', { name: /Joko Susilo ↔ Joko Susilo/ }).waitFor();
    await expectNoHorizontalScroll();
    await shot('b08-queue-not-same-id');
  });

  it('a pair decided by someone else meanwhile: a clear message and the pair reloaded (409)', async () => {
    await page.goto(`${baseUrl}/penerima/duplikat/${sitiPair}`);
    await page.getByRole('button', { name: 'Gabungkan' }).waitFor();
    const other = await post(`/api/beneficiaries/duplicates/${sitiPair}/decision`, { decision: 'not_same', note: 'kembar' });
    expect(other.status(), await other.text()).toBe(200);
    await page.getByRole('button', { name: 'Gabungkan' }).click();
    await page.getByText('Pasangan ini sudah diputuskan oleh orang lain. Data terbaru sudah dimuat ulang.').waitFor();
    await page.getByText('Pasangan ini sudah diputuskan: Bukan orang yang sama.').waitFor();
    await page.getByText('Catatan: kembar').waitFor();
    await expectNoHorizontalScroll();
    await shot('b09-conflict-id');
  });

  it('the pages in English', async () => {
    await page.getByRole('button', { name: /^EN/ }).click();
    await page.getByRole('heading', { level: 1, name: `Pair #${sitiPair}` }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Field by field' }).waitFor();
    expect(await page.locator('.compare-item[data-field="name"] .contrib-verdict').textContent()).toBe('strongly suggests same');
    await expectNoHorizontalScroll();
    await shot('b10-pair-en');

    await e2e.navigate('Beneficiaries');
    await page.getByRole('heading', { level: 1, name: 'Beneficiaries' }).waitFor();
    await page.getByText('6 records').waitFor();
    await expectNoHorizontalScroll();
    await shot('b11-search-en');
    await page.getByRole('link', { name: /Possible duplicates queue/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Possible duplicates' }).waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Not the same person' });
    // Joko's pair, Siti's pair (decided by someone else) and Budi's, split off his person.
    await page.getByText('3 records').waitFor();
    await expectNoHorizontalScroll();
    await shot('b12-queue-en');
    await page.goto(`${baseUrl}/penerima/orang/${budi[0].personId}`);
    await page.getByRole('heading', { level: 2, name: 'Records from each source (1)' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Merges and splits' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('b13-person-en');
    await page.getByRole('button', { name: /^ID/ }).click();
  });
});
