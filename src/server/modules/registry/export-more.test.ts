import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, communityAdminGrant, grants, login, makeChapter, makeCommunity, makePartner, makeUser, type Client } from '../../../../test/factories.ts';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { readTable } from '../../../lib/tabular/index.ts';
import { EXPORT_PAGE } from './export.service.ts';

let sys: TestSystem;
let national: Client;
let bandung: Client;
let westJava: Client;
let malang: Client;
let member: Client;
let communityAdmin: Client;

const reason = (text: string) => `reason=${encodeURIComponent(text)}`;
const csv = async (client: Client, url: string, headers?: Record<string, string>) => {
  const res = await client.request('GET', url, undefined, headers);
  expect(res.statusCode, res.body).toBe(200);
  return readTable(res.rawPayload, { fileName: 'x.csv' });
};

beforeAll(async () => {
  sys = await createTestSystem();
  national = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  westJava = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.provinceCoordinator('32')] }));
  malang = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('35.73')] }));
  member = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.member('32.73')] }));
  const community = await makeCommunity(sys.ctx, { name: 'Komunitas Uji', regencyCode: '32.73' });
  communityAdmin = await login(sys.app, await makeUser(sys.ctx, { grants: [communityAdminGrant(community.id)] }));

  await makeChapter(sys.ctx, { regencyCode: '32.73', name: 'ICCN Kota Bandung', contactPhone: '+6281211112222' });
  await makeChapter(sys.ctx, { regencyCode: '32.04', name: 'ICCN Kabupaten Bandung', contactPhone: null });
  await makeChapter(sys.ctx, { regencyCode: '35.73', name: 'ICCN Kota Malang', contactPhone: '+6281333334444' });

  const dinas = await makePartner(sys.ctx, { name: 'Dinas Kebudayaan Kota Bandung', type: 'government', regionCode: '32.73', agreements: [{ title: 'MoU Data Anggota', scopeCode: '32.73', allowsPersonalData: true }] });
  await sys.ctx.db.updateTable('partners').set({ contact_name: 'Asep', contact_phone: '+6281299998888', contact_email: 'asep@dinas.go.id' }).where('id', '=', dinas.id).execute();
  await makePartner(sys.ctx, { name: 'Universitas Jawa Barat', type: 'academia', regionCode: '32' });
  await makePartner(sys.ctx, { name: 'Media Nasional', type: 'media', regionCode: null, agreements: [{ title: 'Kerja sama liputan', validFrom: '2019-01-01', validUntil: '2020-12-31' }] });
  const malangPartner = await makePartner(sys.ctx, { name: 'Pemkot Malang', type: 'government', regionCode: '35.73' });
  await sys.ctx.db.updateTable('partners').set({ contact_phone: '+6281377776666' }).where('id', '=', malangPartner.id).execute();
  await makePartner(sys.ctx, { name: 'Universitas Jawa Timur', type: 'academia', regionCode: '35' });
});
afterAll(async () => {
  await sys?.close();
});

describe('chapter export', () => {
  afterEach(() => {
    EXPORT_PAGE.size = 1000;
  });

  it('keeps a regency coordinator of 32.73 to the chapter of 32.73: never a row of 35.73', async () => {
    const table = await csv(bandung, '/api/chapters/export?format=csv');
    expect(table.headers).toEqual(['ID', 'Nama Chapter', 'Kode Kabupaten/Kota', 'Kabupaten/Kota', 'Kode Provinsi', 'Status', 'Bergabung Sejak', 'Email Chapter', 'No. HP Chapter']);
    expect(table.rows.map((r) => r[2])).toEqual(['32.73']);
    const raw = (await bandung.request('GET', '/api/chapters/export')).body;
    expect(raw).not.toContain('Malang');
    expect(raw).not.toContain('35.73');
    // An explicit filter on someone else's region yields nothing, not their rows.
    expect((await csv(bandung, '/api/chapters/export?regionCode=35.73')).rows).toEqual([]);
    expect((await csv(malang, '/api/chapters/export')).rows.map((r) => r[2])).toEqual(['35.73']);
  });

  it('applies the region and status filters, in the list’s order, across keyset pages, in English with Accept-Language: en', async () => {
    EXPORT_PAGE.size = 1;
    const all = await csv(national, '/api/chapters/export', { 'accept-language': 'en' });
    expect(all.headers.slice(0, 2)).toEqual(['ID', 'Chapter name']);
    expect(all.rows.map((r) => r[2])).toEqual(['32.04', '32.73', '35.73']);
    expect(all.rows[1]![3]).toBe('Kota Bandung');
    // A download link names the page's language, over the browser's.
    const chosen = await national.request('GET', '/api/chapters/export?lang=en', undefined, { 'accept-language': 'id' });
    expect(chosen.headers['content-language']).toBe('en');
    expect(chosen.headers['content-disposition']).toMatch(/filename="chapters-/);
    expect((await readTable(chosen.rawPayload, { fileName: 'x.csv' })).headers[1]).toBe('Chapter name');
    expect((await csv(westJava, '/api/chapters/export')).rows.map((r) => r[2])).toEqual(['32.04', '32.73']);
    expect((await csv(national, '/api/chapters/export?regionCode=35')).rows.map((r) => r[2])).toEqual(['35.73']);
    expect((await csv(national, '/api/chapters/export?status=inactive')).rows).toEqual([]);
    expect((await national.request('GET', '/api/chapters/export?regionCode=32.73.01')).statusCode).toBe(400);
  });

  it('masks phones; reveals them only with personal_data.reveal and a reason, in the caller’s regions, audited', async () => {
    const masked = await csv(national, '/api/chapters/export');
    expect(masked.rows.find((r) => r[2] === '32.73')![8]).toBe('+6281******222');
    expect((await national.request('GET', '/api/chapters/export?reveal=true')).statusCode).toBe(400);
    const clear = await csv(bandung, `/api/chapters/export?reveal=true&${reason('Undangan Rakornas')}`);
    expect(clear.rows[0]![8]).toBe('+6281211112222');
    const audits = await sys.ctx.db.selectFrom('audit_log').select(['after', 'reason']).where('action', '=', 'chapter.export_reveal').execute();
    expect(audits).toEqual([{ after: expect.objectContaining({ revealed: 1 }), reason: 'Undangan Rakornas' }]);
  });

  it('streams XLSX', async () => {
    const res = await malang.request('GET', '/api/chapters/export?format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="chapter-.*\.xlsx"$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(2);
    expect(ws.getRow(2).getCell(2).value).toBe('ICCN Kota Malang');
  });

  it('refuses anonymous callers, members and community admins (no region to export)', async () => {
    expect((await anonymous(sys.app).request('GET', '/api/chapters/export')).statusCode).toBe(401);
    expect((await member.request('GET', '/api/chapters/export')).statusCode).toBe(403);
    expect((await communityAdmin.request('GET', '/api/chapters/export')).statusCode).toBe(403);
  });
});

describe('partner export', () => {
  afterEach(() => {
    EXPORT_PAGE.size = 1000;
  });

  it('gives a regency coordinator of 32.73 national partners and those working in 32.73 or West Java: never a partner of 35.73 or East Java', async () => {
    const table = await csv(bandung, '/api/partners/export');
    expect(table.rows.map((r) => r[1])).toEqual(['Dinas Kebudayaan Kota Bandung', 'Media Nasional', 'Universitas Jawa Barat']);
    const raw = (await bandung.request('GET', '/api/partners/export?format=csv')).body;
    expect(raw).not.toContain('Malang');
    expect(raw).not.toContain('Jawa Timur');
    expect((await csv(bandung, '/api/partners/export?regionCode=35.73')).rows).toEqual([]);
    expect((await csv(malang, '/api/partners/export')).rows.map((r) => r[1])).toEqual(['Media Nasional', 'Pemkot Malang', 'Universitas Jawa Timur']);
  });

  it('applies the type, region and name filters across keyset pages, with the agreements', async () => {
    EXPORT_PAGE.size = 2;
    const all = await csv(national, '/api/partners/export');
    expect(all.rows).toHaveLength(5);
    expect(all.headers).toEqual(['ID', 'Nama Mitra', 'Jenis', 'Kode Wilayah', 'Wilayah', 'Situs Web', 'Narahubung', 'Email Narahubung', 'No. HP Narahubung', 'Perjanjian Aktif', 'Data Pribadi Diizinkan', 'Perjanjian']);
    const dinas = all.rows.find((r) => r[1] === 'Dinas Kebudayaan Kota Bandung')!;
    expect(dinas.slice(2, 5)).toEqual(['government', '32.73', 'Kota Bandung']);
    expect(dinas.slice(9)).toEqual(['1', 'Ya', 'MoU Data Anggota (32.73, 2024-01-01–, data pribadi)']);
    const media = all.rows.find((r) => r[1] === 'Media Nasional')!;
    expect(media.slice(9)).toEqual(['0', 'Tidak', 'Kerja sama liputan (nasional, 2019-01-01–2020-12-31)']);
    expect((await csv(national, '/api/partners/export?type=academia')).rows.map((r) => r[1])).toEqual(['Universitas Jawa Barat', 'Universitas Jawa Timur']);
    expect((await csv(national, '/api/partners/export?regionCode=35')).rows.map((r) => r[1])).toEqual(['Pemkot Malang', 'Universitas Jawa Timur']);
    expect((await csv(national, '/api/partners/export?q=kebudayaan')).rows.map((r) => r[1])).toEqual(['Dinas Kebudayaan Kota Bandung']);
    const en = await csv(national, '/api/partners/export?type=media', { 'accept-language': 'en' });
    expect(en.headers[1]).toBe('Partner name');
    expect(en.rows[0]!.slice(10)).toEqual(['No', 'Kerja sama liputan (national, 2019-01-01–2020-12-31)']);
  });

  it('masks contact phones; reveals only where the caller holds personal_data.reveal, with a reason, audited', async () => {
    const masked = await csv(bandung, '/api/partners/export');
    expect(masked.rows[0]![8]).toBe('+6281******888');
    // Bandung's reveal right does not reach Malang: a national admin's does.
    expect((await csv(national, '/api/partners/export?regionCode=35.73')).rows[0]![8]).toBe('+6281******666');
    expect((await bandung.request('GET', '/api/partners/export?reveal=true')).statusCode).toBe(400);
    expect((await member.request('GET', `/api/partners/export?reveal=true&${reason('ingin tahu saja')}`)).statusCode).toBe(403);
    const clear = await csv(bandung, `/api/partners/export?reveal=true&${reason('Menyusun undangan mitra')}`);
    expect(clear.rows[0]![8]).toBe('+6281299998888');
    const malangClear = await csv(national, `/api/partners/export?regionCode=35.73&reveal=true&${reason('Rapat koordinasi')}`);
    expect(malangClear.rows[0]![8]).toBe('+6281377776666');
    const audits = await sys.ctx.db
      .selectFrom('audit_log')
      .select(['after', 'reason'])
      .where('action', '=', 'partner.export_reveal')
      .orderBy('id')
      .execute();
    expect(audits).toEqual([
      { after: expect.objectContaining({ revealed: 1 }), reason: 'Menyusun undangan mitra' },
      { after: expect.objectContaining({ revealed: 1 }), reason: 'Rapat koordinasi' },
    ]);
  });

  it('refuses anonymous callers and members', async () => {
    expect((await anonymous(sys.app).request('GET', '/api/partners/export')).statusCode).toBe(401);
    expect((await member.request('GET', '/api/partners/export')).statusCode).toBe(403);
  });
});
