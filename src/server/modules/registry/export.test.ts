import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, grants, login, makeCommunity, makeMember, makeUser, type Client } from '../../../../test/factories.ts';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { MEMBER_FIELDS, mapHeaders, readTable } from '../../../lib/tabular/index.ts';

let sys: TestSystem;
let bandung: Client;
let malang: Client;
let member: Client;

const NIK = '3273015205900002';

beforeAll(async () => {
  sys = await createTestSystem();
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  malang = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('35.73')] }));
  member = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.member('32.73')] }));
  await makeMember(sys.ctx, { fullName: 'Siti Rahmawati', nik: NIK, phone: '+6281234567890', email: 'siti@contoh.id', gender: 'P', birthDate: '1990-05-12', regencyCode: '32.73', subsectors: ['kuliner'] });
  await makeMember(sys.ctx, { fullName: 'Budi, "Sang" Fotografer\nBaris Dua', regencyCode: '32.73', subsectors: ['fotografi'] });
  await makeMember(sys.ctx, { fullName: 'Orang Malang', regencyCode: '35.73' });
  await makeCommunity(sys.ctx, { name: 'Komunitas Kopi Bandung', regencyCode: '32.73' });
  await makeCommunity(sys.ctx, { name: 'Komunitas Malang', regencyCode: '35.73' });
});
afterAll(async () => {
  await sys?.close();
});

describe('member export', () => {
  it('exports the caller’s scope as CSV with Indonesian headers and NIK/phone masked; round-trips through the importer’s reader', async () => {
    const res = await bandung.request('GET', '/api/members/export?format=csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="anggota-.*\.csv"$/);
    expect(res.body).not.toContain(NIK);
    expect(res.body).not.toContain('+6281234567890');
    expect(res.body).not.toContain('Orang Malang');
    const table = await readTable(res.rawPayload, { fileName: 'anggota.csv' });
    expect(table.headers).toContain('Nama');
    const map = mapHeaders(table.headers, MEMBER_FIELDS);
    expect(map.fields).toMatchObject({ name: 1, nik: 2, phone: 3, email: 4, gender: 5, birthDate: 6, regency: 8 });
    const names = table.rows.map((r) => r[map.fields.name!]);
    expect(names.sort()).toEqual(['Budi, "Sang" Fotografer\nBaris Dua', 'Siti Rahmawati']);
    const siti = table.rows.find((r) => r[1] === 'Siti Rahmawati')!;
    expect(siti[2]).toBe('3273********0002');
    expect(siti[6]).toBe('1990-05-12');
    expect(siti[8]).toBe('Kota Bandung');
  });

  it('applies the list filters and answers in English with Accept-Language: en', async () => {
    const res = await bandung.request('GET', '/api/members/export?subsector=kuliner', undefined, { 'accept-language': 'en' });
    const table = await readTable(res.rawPayload, { fileName: 'm.csv' });
    expect(table.headers.slice(0, 3)).toEqual(['ID', 'Name', 'NIK']);
    expect(table.rows.map((r) => r[1])).toEqual(['Siti Rahmawati']);
    const byName = await bandung.request('GET', '/api/members/export?q=budi');
    expect((await readTable(byName.rawPayload, { fileName: 'm.csv' })).rows).toHaveLength(1);
  });

  it('streams XLSX', async () => {
    const res = await malang.request('GET', '/api/members/export?format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(2).value).toBe('Nama');
    expect(ws.rowCount).toBe(2);
    expect(ws.getRow(2).getCell(2).value).toBe('Orang Malang');
  });

  it('reveals NIK only with personal_data.reveal and a reason, and audits it', async () => {
    expect((await bandung.request('GET', '/api/members/export?reveal=true')).statusCode).toBe(400);
    const res = await bandung.request('GET', `/api/members/export?reveal=true&reason=${encodeURIComponent('Verifikasi data bantuan')}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(NIK);
    const audits = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'member.export_reveal'`.execute(sys.ctx.db);
    expect(Number(audits.rows[0]!.n)).toBe(1);
    const refused = await member.request('GET', `/api/members/export?reveal=true&reason=${encodeURIComponent('ingin tahu saja')}`);
    expect(refused.statusCode).toBe(403);
  });

  it('refuses members and anonymous callers', async () => {
    expect((await member.request('GET', '/api/members/export')).statusCode).toBe(403);
    expect((await anonymous(sys.app).request('GET', '/api/members/export')).statusCode).toBe(401);
    expect((await anonymous(sys.app).request('GET', '/api/communities/export')).statusCode).toBe(401);
  });
});

describe('community export', () => {
  it('exports the communities in scope', async () => {
    const res = await malang.request('GET', '/api/communities/export?format=csv');
    expect(res.statusCode).toBe(200);
    const table = await readTable(res.rawPayload, { fileName: 'k.csv' });
    expect(table.rows.map((r) => r[1])).toEqual(['Komunitas Malang']);
  });
});
