/**
 * Imports beyond the preview of members: communities, background jobs (progress, restart, exactly
 * once), column-mapping corrections, rows longer than the header, and the list of batches.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grants, login, makeCommunity, makeUser, type Client } from '../../../../test/factories.ts';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { expireStaleImports } from './import.service.ts';

let sys: TestSystem; // every file goes to the background (threshold 0 bytes)
let inline: TestSystem; // the default threshold: small files in the request
let bandung: Client;
let bandungInline: Client;
let malang: Client;

beforeAll(async () => {
  [sys, inline] = await Promise.all([createTestSystem({ importBackgroundBytes: 0 }), createTestSystem()]);
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  malang = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('35.73')] }));
  bandungInline = await login(inline.app, await makeUser(inline.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
});
afterAll(async () => {
  await Promise.all([sys?.close(), inline?.close()]);
});

const upload = (c: Client, body: string, kind: 'members' | 'communities' = 'members', fileName = 'data.csv') =>
  c.request('POST', `/api/registry/imports?kind=${kind}&fileName=${encodeURIComponent(fileName)}`, body, { 'content-type': 'text/csv' });

const count = async (s: TestSystem, table: 'members' | 'communities', where = sql`true`) =>
  Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${where}`.execute(s.ctx.db)).rows[0]!.n);

const members = (n: number, tag: string) =>
  `Nama,Kabupaten/Kota,Tanggal Lahir\n${Array.from({ length: n }, (_, i) => `${tag} Anggota ${i},Kota Bandung,${String((i % 28) + 1).padStart(2, '0')}/05/1990`).join('\n')}\n`;

describe('background import', () => {
  it('validates and commits in jobs, with progress while running, and a second commit changes nothing', async () => {
    const up = await upload(bandung, members(30, 'Latar'));
    expect(up.statusCode).toBe(202);
    expect(up.json()).toMatchObject({ status: 'validating', background: true, rows: 0 });
    const id = up.json().id;
    expect((await bandung.request('GET', `/api/registry/imports/${id}`)).json()).toMatchObject({ status: 'validating' });

    expect(await sys.ctx.jobs.drain()).toBe(1);
    const preview = (await bandung.request('GET', `/api/registry/imports/${id}`)).json();
    expect(preview).toMatchObject({ status: 'preview', rows: 30, valid: 30, invalid: 0, progress: null });

    const commit = await bandung.request('POST', `/api/registry/imports/${id}/commit`, { mode: 'all_or_nothing' });
    expect(commit.statusCode).toBe(202);
    expect(commit.json().status).toBe('committing');
    // A retried request while the job waits: still one job, nothing written twice.
    expect((await bandung.request('POST', `/api/registry/imports/${id}/commit`, { mode: 'all_or_nothing' })).json().status).toBe('committing');
    expect(await sys.ctx.jobs.drain()).toBe(1);
    const done = (await bandung.request('GET', `/api/registry/imports/${id}`)).json();
    expect(done).toMatchObject({ status: 'committed', result: { inserted: 30 } });
    expect(await count(sys, 'members', sql`full_name LIKE 'Latar Anggota %'`)).toBe(30);

    const again = await bandung.request('POST', `/api/registry/imports/${id}/commit`, { mode: 'valid_only' });
    expect(again.statusCode).toBe(200);
    expect(await count(sys, 'members', sql`full_name LIKE 'Latar Anggota %'`)).toBe(30);
    // The file and the row values (personal data) are gone once committed; the report stays.
    const left = (await sql<{ file: unknown; has_values: boolean }>`
      SELECT file, rows::text LIKE '%full_name%' AS has_values FROM import_batches WHERE id = ${id}`.execute(sys.ctx.db)).rows[0]!;
    expect(left).toEqual({ file: null, has_values: false });
  });

  it('a commit interrupted by a crash is taken again after the restart, and a job delivered twice applies once', async () => {
    const id = (await upload(bandung, members(12, 'Pulih'))).json().id;
    await sys.ctx.jobs.drain();
    await bandung.request('POST', `/api/registry/imports/${id}/commit`, { mode: 'valid_only' });
    // The worker that claimed the commit died: its lease ran out with the job still "running".
    await sql`UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'dead-process', locked_until = now() - interval '1 second'
      WHERE id = (SELECT job_id FROM import_batches WHERE id = ${id})`.execute(sys.ctx.db);
    await sys.ctx.jobs.drain();
    expect((await bandung.request('GET', `/api/registry/imports/${id}`)).json().status).toBe('committed');
    expect(await count(sys, 'members', sql`full_name LIKE 'Pulih Anggota %'`)).toBe(12);

    // The same commit job once more (a queue that delivered it twice): the batch is committed, nothing is added.
    await sql`UPDATE jobs SET status = 'queued', locked_by = NULL WHERE id = (SELECT job_id FROM import_batches WHERE id = ${id})`.execute(sys.ctx.db);
    await sys.ctx.jobs.drain();
    expect(await count(sys, 'members', sql`full_name LIKE 'Pulih Anggota %'`)).toBe(12);
  });

  it('a validation that cannot run (the uploader was disabled meanwhile) leaves a failed batch with the reason', async () => {
    const user = await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] });
    const client = await login(sys.app, user);
    const id = (await upload(client, members(3, 'Nonaktif'))).json().id;
    await sql`UPDATE users SET status = 'disabled' WHERE id = ${user.id}`.execute(sys.ctx.db);
    await sys.ctx.jobs.drain();
    const b = (await sql<{ status: string; error: { code: string } }>`SELECT status, error FROM import_batches WHERE id = ${id}`.execute(sys.ctx.db)).rows[0]!;
    expect(b).toEqual({ status: 'failed', error: { code: 'forbidden' } });
  });

  it('lists only your own batches, and another coordinator cannot see, remap or commit yours', async () => {
    const id = (await upload(bandung, members(2, 'Milik'))).json().id;
    const list = (await bandung.request('GET', '/api/registry/imports')).json().items as { id: number }[];
    expect(list.map((b) => b.id)).toContain(id);
    expect(((await malang.request('GET', '/api/registry/imports')).json().items as { id: number }[]).map((b) => b.id)).not.toContain(id);
    expect((await malang.request('GET', `/api/registry/imports/${id}`)).statusCode).toBe(404);
    expect((await malang.request('POST', `/api/registry/imports/${id}/mapping`, { mapping: {} })).statusCode).toBe(404);
    expect((await malang.request('POST', `/api/registry/imports/${id}/commit`, { mode: 'valid_only' })).statusCode).toBe(404);
  });
});

describe('column mapping', () => {
  it('moves a column to another field, drops a field, refuses unknown columns and fields, and only before the commit', async () => {
    const csv = 'Nama,Kota,Catatan,Surel\nRina Mapping,Kota Bandung,rina@contoh.id,bukan-surel\n';
    const first = (await upload(bandungInline, csv)).json();
    expect(first).toMatchObject({ status: 'preview', invalid: 1, mapping: { name: 'Nama', regency: 'Kota', email: 'Surel' } });
    expect(first.report[0].errors[0]).toMatchObject({ field: 'email', code: 'email_format' });

    const moved = await bandungInline.request('POST', `/api/registry/imports/${first.id}/mapping`, { mapping: { email: 'Catatan' } });
    expect(moved.statusCode).toBe(201);
    expect(moved.json()).toMatchObject({ status: 'preview', valid: 1, invalid: 0, mapping: { email: 'Catatan' }, unmapped: ['Surel'] });

    const dropped = (await bandungInline.request('POST', `/api/registry/imports/${first.id}/mapping`, { mapping: { email: null } })).json();
    expect(dropped.mapping.email).toBeUndefined();
    expect(dropped.valid).toBe(1);

    const unknownColumn = await bandungInline.request('POST', `/api/registry/imports/${first.id}/mapping`, { mapping: { phone: 'Tidak Ada' } });
    expect(unknownColumn.statusCode).toBe(400);
    expect(unknownColumn.json().errors[0].code).toBe('unknown_column');
    expect((await bandungInline.request('POST', `/api/registry/imports/${first.id}/mapping`, { mapping: { shoeSize: 'Catatan' } })).json().errors[0].code).toBe('unknown_field');
    expect((await bandungInline.request('POST', `/api/registry/imports/${first.id}/mapping`, { mapping: { name: null } })).json().errors[0].code).toBe('missing_columns');

    await bandungInline.request('POST', `/api/registry/imports/${first.id}/commit`, { mode: 'valid_only' });
    const late = await bandungInline.request('POST', `/api/registry/imports/${first.id}/mapping`, { mapping: { email: 'Surel' } });
    expect(late.statusCode).toBe(409);
    expect(late.json().errors[0].code).toBe('import_not_ready');
  });

  it('a row with more cells than the header (an unquoted separator) is an error, not silently cut', async () => {
    const b = (await upload(bandungInline, 'Nama;Kota\nRina; Sari;Kota Bandung\nBudi;Kota Bandung\n')).json();
    expect(b).toMatchObject({ rows: 2, valid: 1, invalid: 1 });
    expect(b.report[0]).toMatchObject({ row: 1, errors: [{ field: '*', code: 'row_too_many_cells' }, { field: 'regency' }] });
    expect(b.report[0].errors[0].message).toContain('3');
  });
});

describe('community import', () => {
  it('reads Indonesian headers, links, legal status and founding year, flags duplicates, and commits active communities', async () => {
    const existing = await makeCommunity(inline.ctx, { name: 'Bandung Creative Hub', regencyCode: '32.73' });
    const csv = [
      'Nama Komunitas;Kab/Kota;Subsektor;Narahubung;No HP;Instagram;Media Sosial;Status Hukum;Tahun Berdiri',
      'Kopi Kreatif Bandung;Kota Bandung;Kuliner, Desain Produk;Asep;0812-3456-7890;@kopikreatif;https://youtube.com/@kopikreatif;Perkumpulan;2015',
      'Bandung Creative Hub;KOTA BANDUNG;Aplikasi;;;;;Yayasan;2010',
      'Kopi Kreatif Bandung;Kota Bandung;Kuliner;;;;;;',
      'Komunitas Aneh;Kota Bandung;Kuliner;;;;;Firma;1850',
      'Komunitas Luar;Kota Malang;Kuliner;;;;;;',
    ].join('\n');
    const b = (await upload(bandungInline, csv, 'communities')).json();
    expect(b).toMatchObject({ kind: 'communities', status: 'preview', rows: 5, valid: 3, invalid: 2, duplicates: 2 });
    const byRow = new Map((b.report as { row: number }[]).map((r) => [r.row, r]));
    expect(byRow.get(2)).toMatchObject({ duplicateOf: { communityId: existing.id, kind: 'name' }, warnings: [{ code: 'duplicate_existing_community' }] });
    expect(byRow.get(3)).toMatchObject({ duplicateOf: { row: 1, kind: 'name' } });
    expect(byRow.get(4)).toMatchObject({ errors: [{ field: 'foundingYear', code: 'number_range' }, { field: 'legalStatus', code: 'legal_status_unknown' }] });
    expect(byRow.get(5)).toMatchObject({ errors: [{ field: 'regency', code: 'region_out_of_scope' }] });

    const committed = (await bandungInline.request('POST', `/api/registry/imports/${b.id}/commit`, { mode: 'valid_only' })).json();
    expect(committed).toMatchObject({ status: 'committed', result: { inserted: 1 } });
    const row = (await sql<{ id: number; status: string; contact_phone: string; legal_status: string; founding_year: number; social_links: unknown }>`
      SELECT id, status, contact_phone, legal_status, founding_year, social_links FROM communities WHERE name = 'Kopi Kreatif Bandung'`.execute(inline.ctx.db)).rows;
    expect(row).toHaveLength(1);
    expect(row[0]).toMatchObject({
      status: 'active',
      contact_phone: '+6281234567890',
      legal_status: 'perkumpulan',
      founding_year: 2015,
      social_links: [
        { kind: 'instagram', url: 'https://instagram.com/kopikreatif' },
        { kind: 'youtube', url: 'https://youtube.com/@kopikreatif' },
      ],
    });
    const subs = await sql<{ subsector_code: string }>`SELECT subsector_code FROM community_subsectors WHERE community_id = ${row[0]!.id} ORDER BY 1`.execute(inline.ctx.db);
    expect(subs.rows.map((r) => r.subsector_code)).toEqual(['desain-produk', 'kuliner']);
    expect(await count(inline, 'communities', sql`name = 'Bandung Creative Hub'`)).toBe(1);
  });
});

describe('housekeeping', () => {
  it('an import left uncommitted for 30 days loses its file and rows; a recent one and a committed one keep theirs', async () => {
    const stale = (await upload(bandungInline, 'Nama,Kota\nLama Sekali,Kota Bandung\n')).json().id;
    const fresh = (await upload(bandungInline, 'Nama,Kota\nBaru Saja,Kota Bandung\n')).json().id;
    await sql`UPDATE import_batches SET updated_at = now() - interval '31 days' WHERE id = ${stale}`.execute(inline.ctx.db);
    await sql`UPDATE jobs SET finished_at = now() - interval '31 days'`.execute(inline.ctx.db);
    expect(await expireStaleImports(inline.ctx)).toBe(1);
    const b = (await bandungInline.request('GET', `/api/registry/imports/${stale}`)).json();
    expect(b).toMatchObject({ status: 'failed', rows: 1, error: { code: 'import_expired' }, report: [] });
    const left = (await sql<{ id: number; file: unknown; rows: unknown[] }>`SELECT id, file, rows FROM import_batches WHERE id IN (${stale}, ${fresh}) ORDER BY id`.execute(inline.ctx.db)).rows;
    expect(left[0]).toMatchObject({ file: null, rows: [] });
    expect(left[1]!.file).not.toBeNull();
    expect((await bandungInline.request('POST', `/api/registry/imports/${stale}/commit`, { mode: 'valid_only' })).statusCode).toBe(409);
    const remap = await bandungInline.request('POST', `/api/registry/imports/${stale}/mapping`, { mapping: {} });
    expect(remap.statusCode).toBe(409);
    expect(remap.json().errors[0].code).toBe('import_expired');
  });
});
