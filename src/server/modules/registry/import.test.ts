import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, grants, login, makeMember, makeUser, type Client } from '../../../../test/factories.ts';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { readTable } from '../../../lib/tabular/index.ts';

let sys: TestSystem;
let bandung: Client; // regency coordinator of Kota Bandung (32.73)
let jabar: Client; // province coordinator of West Java (32)
let semarang: Client; // regency coordinator of Kota Semarang (33.74)
let surabaya: Client; // regency coordinator of Kota Surabaya (35.78)... scope 35.73 (Kota Malang)
let member: Client;

const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

beforeAll(async () => {
  sys = await createTestSystem();
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  jabar = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.provinceCoordinator('32')] }));
  semarang = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  surabaya = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('35.73')] }));
  member = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.member('32.73')] }));
});
afterAll(async () => {
  await sys?.close();
});

const upload = (c: Client, body: string | Buffer, fileName = 'anggota.csv', type = CSV) =>
  c.request('POST', `/api/registry/imports?kind=members&fileName=${encodeURIComponent(fileName)}`, body, { 'content-type': type });

const countMembers = async (where = sql`true`) =>
  Number((await sql<{ n: string }>`SELECT count(*) AS n FROM members WHERE ${where}`.execute(sys.ctx.db)).rows[0]!.n);

type Report = { row: number; line: number; errors: { field: string; code: string; message: string }[]; warnings: { field: string; code: string }[]; duplicateOf?: { memberId?: number; row?: number } };

describe('import preview', () => {
  it('reads a BOM, ";"-separated CSV with Indonesian headers, quoted newlines and Excel serial dates; reports bad rows by line', async () => {
    const csv =
      '\uFEFFNama;NIK;No. HP;Email;Jenis Kelamin;Tanggal Lahir;Kabupaten/Kota;Kecamatan;Subsektor;Alamat\r\n' +
      'Budi Santoso;3273011205900001;0812-3456-7890;budi@contoh.id;L;12/05/1990;KOTA BANDUNG;Sukasari;Kuliner, Fesyen;"Jl. Merdeka 1\r\nRT 01"\r\n' +
      'Siti Aminah;;081234567891;SITI@contoh.id;P;32874;Kota Bandung;;Culinary;\r\n' +
      'Baris Rusak;123;abc;bukan-surel;X;31/02/1990;Kota Bandung;;;\r\n';
    const res = await upload(bandung, csv);
    expect(res.statusCode, res.body).toBe(201);
    const b = res.json();
    expect(b).toMatchObject({ kind: 'members', status: 'preview', rows: 3, valid: 2, invalid: 1 });
    expect(b.mapping).toMatchObject({ name: 'Nama', nik: 'NIK', phone: 'No. HP', birthDate: 'Tanggal Lahir', regency: 'Kabupaten/Kota' });
    const bad = (b.report as Report[]).find((r) => r.row === 3)!;
    expect(bad.line).toBe(5); // the quoted newline in row 1 takes two lines
    expect(bad.errors.map((e) => `${e.field}:${e.code}`).sort()).toEqual(['birthDate:date_invalid', 'email:email_format', 'gender:gender_unknown', 'nik:nik_format', 'phone:phone_format']);
    expect(bad.errors[0]!.message).toBeTruthy();

    const report = await bandung.request('GET', `/api/registry/imports/${b.id}/report.csv`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toContain('text/csv');
    const table = await readTable(Buffer.from(report.body), { fileName: 'r.csv' });
    expect(table.rows).toHaveLength(3);

    const commit = await bandung.request('POST', `/api/registry/imports/${b.id}/commit`, { mode: 'valid_only' });
    expect(commit.statusCode, commit.body).toBe(200);
    const rows = await sql<{ full_name: string; birth_date: string; district_code: string | null; email: string; source: string; status: string; phone: string }>`
      SELECT full_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, district_code, email, source, status, phone FROM members WHERE source = 'import' ORDER BY full_name`.execute(sys.ctx.db);
    expect(rows.rows).toEqual([
      { full_name: 'Budi Santoso', birth_date: '1990-05-12', district_code: '32.73.01', email: 'budi@contoh.id', source: 'import', status: 'active', phone: '+6281234567890' },
      { full_name: 'Siti Aminah', birth_date: '1990-01-01', district_code: null, email: 'siti@contoh.id', source: 'import', status: 'active', phone: '+6281234567891' },
    ]);
    const subs = await sql<{ code: string }>`SELECT subsector_code AS code FROM member_subsectors ms JOIN members m ON m.id = ms.member_id WHERE m.full_name = 'Budi Santoso' ORDER BY 1`.execute(sys.ctx.db);
    expect(subs.rows.map((r) => r.code)).toEqual(['fesyen', 'kuliner']);
  });

  it('matches "Kab. Bandung", "KOTA BANDUNG" and "Bandung Barat" to codes; a bare "Bandung" is ambiguous for a province coordinator', async () => {
    const csv =
      'Full Name,Birth Date,Regency/City\n' +
      'Asep Kabupaten,1990-01-01,Kab. Bandung\n' +
      'Asep Kota,1990-01-02,KOTA BANDUNG\n' +
      'Asep Barat,1990-01-03,Bandung Barat\n' +
      'Asep Bingung,1990-01-04,Bandung\n';
    const b = (await upload(jabar, csv)).json();
    expect(b).toMatchObject({ rows: 4, valid: 3, invalid: 1 });
    const amb = (b.report as Report[]).find((r) => r.row === 4)!;
    expect(amb.errors[0]).toMatchObject({ field: 'regency', code: 'region_ambiguous' });
    expect(amb.errors[0]!.message).toContain('32.04');
    expect(amb.errors[0]!.message).toContain('32.73');
    const commit = await jabar.request('POST', `/api/registry/imports/${b.id}/commit`, { mode: 'valid_only' });
    expect(commit.json().result).toMatchObject({ inserted: 3 });
    const rows = await sql<{ full_name: string; regency_code: string }>`SELECT full_name, regency_code FROM members WHERE full_name LIKE 'Asep %' ORDER BY full_name`.execute(sys.ctx.db);
    expect(rows.rows).toEqual([
      { full_name: 'Asep Barat', regency_code: '32.17' },
      { full_name: 'Asep Kabupaten', regency_code: '32.04' },
      { full_name: 'Asep Kota', regency_code: '32.73' },
    ]);
    // For a coordinator of Kota Bandung only, "Bandung" is their own city.
    const own = (await upload(bandung, 'Nama,Kota\nUjang Kota,Bandung\n')).json();
    expect(own).toMatchObject({ valid: 1, invalid: 0 });
  });

  it('reads an XLSX made with exceljs, with date cells and numbers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Anggota');
    ws.addRow(['Nama Lengkap', 'Tgl Lahir', 'Kab/Kota', 'No WA', 'Tanggal Daftar']);
    ws.addRow(['Dewi Lestari', new Date(Date.UTC(1988, 6, 17)), 'Kota Bandung', 6281299990001, 'x']);
    ws.addRow(['Rina Marlina', 32874, 'kota bandung', '0812 9999 0002', '']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload(bandung, buf, 'anggota.xlsx', XLSX);
    expect(res.statusCode, res.body).toBe(201);
    const b = res.json();
    expect(b).toMatchObject({ rows: 2, valid: 2, invalid: 0 });
    expect(b.unmapped).toContain('Tanggal Daftar');
    await bandung.request('POST', `/api/registry/imports/${b.id}/commit`, { mode: 'all_or_nothing' });
    const rows = await sql<{ full_name: string; birth_date: string; phone: string }>`
      SELECT full_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, phone FROM members WHERE full_name IN ('Dewi Lestari', 'Rina Marlina') ORDER BY 1`.execute(sys.ctx.db);
    expect(rows.rows).toEqual([
      { full_name: 'Dewi Lestari', birth_date: '1988-07-17', phone: '+6281299990001' },
      { full_name: 'Rina Marlina', birth_date: '1990-01-01', phone: '+6281299990002' },
    ]);
  });

  it('flags duplicates: an existing NIK, a similar name with the same birth date and regency, and repeats within the file', async () => {
    const existing = await makeMember(sys.ctx, { fullName: 'Nur Hidayah', nik: '3273014101950003', regencyCode: '32.73' });
    const similar = await makeMember(sys.ctx, { fullName: 'Muhammad Rizki Pratama', birthDate: '1991-03-04', regencyCode: '32.73' });
    const csv =
      'nama,nik,tanggal lahir,kota\n' +
      'Nur Hidayah,3273014101950003,01/01/1995,Kota Bandung\n' +
      'Mochammad Rizky Pratama,,04/03/1991,Kota Bandung\n' +
      'Joko Susilo,3273010202800004,02/02/1980,Kota Bandung\n' +
      'Joko S.,3273010202800004,02/02/1980,Kota Bandung\n' +
      'Agus Salim,,05/05/1985,Kota Bandung\n' +
      'AGUS SALIM,,05/05/1985,kota bandung\n';
    const b = (await upload(bandung, csv)).json();
    expect(b).toMatchObject({ rows: 6, valid: 6, duplicates: 4 });
    const byRow = new Map((b.report as Report[]).map((r) => [r.row, r]));
    expect(byRow.get(1)!.duplicateOf).toMatchObject({ memberId: existing.id, kind: 'nik' });
    expect(byRow.get(2)!.duplicateOf).toMatchObject({ memberId: similar.id, kind: 'person' });
    expect(byRow.get(4)!.duplicateOf).toMatchObject({ row: 3, kind: 'nik' });
    expect(byRow.get(6)!.duplicateOf).toMatchObject({ row: 5, kind: 'person' });
    expect(byRow.has(3)).toBe(false);

    const commit = (await bandung.request('POST', `/api/registry/imports/${b.id}/commit`, { mode: 'all_or_nothing' })).json();
    expect(commit.result).toMatchObject({ inserted: 2, skipped: 4 });
  });
});

describe('import commit', () => {
  it('all_or_nothing refuses a batch with an invalid row and writes nothing; valid_only writes the valid rows; a second commit is a no-op', async () => {
    const before = await countMembers();
    const csv = 'Nama,Kota,Email\nSatu Benar,Kota Bandung,satu@contoh.id\nDua Benar,Kota Bandung,\nTiga Salah,Kota Bandung,tiga@\n';
    const b = (await upload(bandung, csv)).json();
    expect(b).toMatchObject({ valid: 2, invalid: 1 });
    const refused = await bandung.request('POST', `/api/registry/imports/${b.id}/commit`, { mode: 'all_or_nothing' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors[0].code).toBe('import_has_invalid_rows');
    expect(await countMembers()).toBe(before);

    const ok = await bandung.request('POST', `/api/registry/imports/${b.id}/commit`, { mode: 'valid_only' });
    expect(ok.json()).toMatchObject({ status: 'committed', result: { inserted: 2 } });
    expect(await countMembers()).toBe(before + 2);
    const again = await bandung.request('POST', `/api/registry/imports/${b.id}/commit`, { mode: 'valid_only' });
    expect(again.statusCode).toBe(200);
    expect(await countMembers()).toBe(before + 2);
    const audits = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'import.commit' AND entity_id = ${b.id}`.execute(sys.ctx.db);
    expect(Number(audits.rows[0]!.n)).toBe(1);
  });

  it('imports a few thousand rows in one commit', async () => {
    const lines = ['nama,tanggal lahir,kota,subsektor'];
    for (let i = 0; i < 3000; i++) lines.push(`Peserta Massal ${i},${(i % 28) + 1}/0${(i % 9) + 1}/19${50 + (i % 50)},Kota Bandung,${i % 2 ? 'kuliner' : '"Film, Animasi, dan Video"'}`);
    const b = (await upload(bandung, lines.join('\n'))).json();
    expect(b).toMatchObject({ rows: 3000, invalid: 0 });
    const res = await bandung.request('POST', `/api/registry/imports/${b.id}/commit`, { mode: 'all_or_nothing', skipDuplicates: false });
    expect(res.json().result).toMatchObject({ inserted: 3000 });
    expect(await countMembers(sql`full_name LIKE 'Peserta Massal %'`)).toBe(3000);
    const subs = await sql<{ n: string }>`SELECT count(*) AS n FROM member_subsectors ms JOIN members m ON m.id = ms.member_id WHERE m.full_name LIKE 'Peserta Massal %'`.execute(sys.ctx.db);
    expect(Number(subs.rows[0]!.n)).toBe(3000);
  });
});

describe('import scope', () => {
  it('a coordinator cannot import rows for a regency outside their scope', async () => {
    const b = (await upload(surabaya, 'Nama,Kota\nOrang Bandung,Kota Bandung\nOrang Malang,Kota Malang\n')).json();
    expect(b).toMatchObject({ valid: 1, invalid: 1 });
    expect((b.report as Report[])[0]!.errors[0]).toMatchObject({ field: 'regency', code: 'region_out_of_scope' });
    const byCode = (await upload(surabaya, 'Nama,Kota\nOrang Bandung,32.73\n')).json();
    expect(byCode).toMatchObject({ valid: 0, invalid: 1 });
  });

  it('a batch is visible only to its uploader; members and anonymous callers are refused', async () => {
    const b = (await upload(bandung, 'Nama,Kota\nRahasia,Kota Bandung\n')).json();
    for (const c of [semarang, surabaya]) {
      expect((await c.request('GET', `/api/registry/imports/${b.id}`)).statusCode).toBe(404);
      expect((await c.request('GET', `/api/registry/imports/${b.id}/report.csv`)).statusCode).toBe(404);
      expect((await c.request('POST', `/api/registry/imports/${b.id}/commit`, { mode: 'valid_only' })).statusCode).toBe(404);
    }
    expect((await bandung.request('GET', `/api/registry/imports/${b.id}`)).json()).toMatchObject({ id: b.id, status: 'preview' });
    expect((await upload(member, 'Nama,Kota\nX,Kota Bandung\n')).statusCode).toBe(403);
    expect((await member.request('GET', `/api/registry/imports/${b.id}`)).statusCode).toBe(403);
    expect((await upload(anonymous(sys.app), 'Nama,Kota\nX,Kota Bandung\n')).statusCode).toBe(401);
  });

  it('refuses unreadable files; a file without a recognised name column waits for the user to map one', async () => {
    const pdf = await upload(bandung, Buffer.from('%PDF-1.4 hello'), 'a.pdf', 'application/octet-stream');
    expect(pdf.statusCode).toBe(400);
    const noName = await upload(bandung, 'Panggilan,Kota,Email\nRina,Kota Bandung,a@b.id\n');
    expect(noName.statusCode).toBe(201);
    expect(noName.json()).toMatchObject({
      status: 'failed',
      error: { code: 'missing_columns', message: 'Kolom wajib tidak ditemukan: Nama.' },
      headers: ['Panggilan', 'Kota', 'Email'],
      mapping: { regency: 'Kota', email: 'Email' },
    });
    const mapped = await bandung.request('POST', `/api/registry/imports/${noName.json().id}/mapping`, { mapping: { name: 'Panggilan' } });
    expect(mapped.statusCode).toBe(201);
    expect(mapped.json()).toMatchObject({ status: 'preview', rows: 1, valid: 1, mapping: { name: 'Panggilan', regency: 'Kota', email: 'Email' } });
  });
});
