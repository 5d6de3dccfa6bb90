import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, communityAdminGrant, grants, login, makeCommunity, makeMember, makeUser, type Client } from '../../../../test/factories.ts';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { COMMUNITY_FIELDS, MEMBER_FIELDS, mapHeaders, readTable } from '../../../lib/tabular/index.ts';
import { EXPORT_PAGE, exportMembers } from './export.service.ts';

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
  const malangCommunity = await makeCommunity(sys.ctx, { name: 'Komunitas Malang', regencyCode: '35.73' });
  await sys.ctx.db.updateTable('communities').set({ contact_name: 'Wahyu', contact_phone: '+6281355554444' }).where('id', '=', malangCommunity.id).execute();
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

  it('masks contact phones like the community detail; reveals them only with personal_data.reveal and a reason, audited', async () => {
    const masked = await readTable((await malang.request('GET', '/api/communities/export')).rawPayload, { fileName: 'k.csv' });
    expect(masked.headers.slice(-3)).toEqual(['Narahubung', 'No. HP Narahubung', 'Email Komunitas']);
    // The community importer recognises the new columns.
    expect(mapHeaders(masked.headers, COMMUNITY_FIELDS).fields).toMatchObject({ name: 1, contactName: 8, phone: 9, email: 10 });
    expect(masked.rows[0]!.slice(-3)).toEqual(['Wahyu', '+6281******444', '']);
    // Its own admin may read the community but not reveal personal data.
    const admin = await login(sys.app, await makeUser(sys.ctx, { grants: [communityAdminGrant(Number(masked.rows[0]![0]))] }));
    const own = await admin.request('GET', '/api/communities/export');
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('+6281******444');
    expect(own.body).not.toContain('+6281355554444');
    expect((await admin.request('GET', `/api/communities/export?reveal=true&reason=${encodeURIComponent('Menelepon narahubung')}`)).statusCode).toBe(403);

    const clear = await malang.request('GET', `/api/communities/export?reveal=true&reason=${encodeURIComponent('Undangan Rakornas')}`);
    expect(clear.statusCode).toBe(200);
    expect(clear.body).toContain('+6281355554444');
    const audits = await sys.ctx.db.selectFrom('audit_log').select(['after', 'reason']).where('action', '=', 'community.export_reveal').execute();
    expect(audits).toEqual([{ after: expect.objectContaining({ revealed: 1 }), reason: 'Undangan Rakornas' }]);
  });
});

describe('paging through a large export', () => {
  const ids = (body: string | Buffer) => readTable(Buffer.from(body), { fileName: 'x.csv' }).then((t) => t.rows.map((r) => Number(r[0])));

  it('returns every row exactly once, in the list’s order, across many small keyset pages, with the filters kept', async () => {
    const coordinator = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.04')] }));
    // Equal names make the id the tiebreaker at page boundaries.
    for (const name of ['Fajar Anita', 'Anita Rahma', 'Anita Rahma', 'Budi Anita', 'Anita Rahma', 'Cici Lestari', 'Dedi Anita']) {
      await makeMember(sys.ctx, { fullName: name, regencyCode: '32.04', subsectors: name.startsWith('C') ? ['musik'] : ['kuliner'] });
    }
    const page = EXPORT_PAGE.size;
    EXPORT_PAGE.size = 2;
    try {
      for (const filter of ['', '&subsector=kuliner', '&q=anita']) {
        const exported = await ids((await coordinator.request('GET', `/api/members/export?format=csv${filter}`)).rawPayload);
        const listed = (await coordinator.request('GET', `/api/members?limit=100${filter}`)).json().items.map((i: { id: number }) => i.id);
        expect(exported, filter).toEqual(listed);
        expect(new Set(exported).size).toBe(exported.length);
      }
      const all = await ids((await coordinator.request('GET', '/api/members/export')).rawPayload);
      expect(all).toHaveLength(7);
    } finally {
      EXPORT_PAGE.size = page;
    }
  });

  it('neither repeats nor skips a row when a member is added ahead of the cursor while the export runs', async () => {
    const user = await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.05')] });
    const actor = { userId: user.id, name: 'Koordinator', email: user.email, locale: 'id' as const, regionCode: '32.05', grants: [grants.regencyCoordinator('32.05')] };
    const made = [];
    for (const name of ['Bayu', 'Citra', 'Dian', 'Eko', 'Fitri']) made.push((await makeMember(sys.ctx, { fullName: name, regencyCode: '32.05' })).id);
    const page = EXPORT_PAGE.size;
    EXPORT_PAGE.size = 2;
    try {
      const table = await exportMembers(sys.ctx, actor, {}, 'id', {});
      const seen: number[] = [];
      for await (const row of table.rows) {
        seen.push(Number(row[0]));
        if (seen.length === 2) await makeMember(sys.ctx, { fullName: 'Agus', regencyCode: '32.05' });
      }
      expect(seen).toEqual(made);
    } finally {
      EXPORT_PAGE.size = page;
    }
  });
});
