/**
 * Import of beneficiary records as a job: each row through the registration rules (a clear match
 * linked, the grey zone queued, a bad row reported), progress while running, and idempotent per
 * batch and row when the job is delivered again.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { grants, login, makeUser, type Client } from '../../../../test/factories.ts';
import { mapHeaders } from '../../../lib/tabular/index.ts';
import { BENEFICIARY_FIELDS, IMPORT_JOB_KIND } from './beneficiary-import.service.ts';

let sys: TestSystem;
let bandung: Client;
let otherBandung: Client;
let member: Client;

beforeAll(async () => {
  sys = await createTestSystem();
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  otherBandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  member = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.member('32.73')] }));
});
afterAll(async () => {
  await sys?.close();
});

const upload = (body: string) =>
  bandung.request('POST', `/api/beneficiaries/imports?fileName=penerima.csv&consentPurpose=programmes&consentVersion=1`, body, { 'content-type': 'text/csv' });

const recordCount = async () => Number((await sys.ctx.db.selectFrom('beneficiary_records').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

describe('beneficiary import', () => {
  it('registers each row with the registration rules, reports bad rows, and applies once when delivered twice', async () => {
    const first = await bandung.request('POST', '/api/beneficiaries', {
      source: { kind: 'programme', ref: 'DAMPING-2026' },
      fullName: 'Siti Rahmawati',
      nik: '3273015205900002',
      birthDate: '1990-05-12',
      sex: 'P',
      regencyCode: '32.73',
      consent: { purpose: 'programmes', version: 1, given: true },
    });
    expect(first.statusCode, first.body).toBe(201);
    const csv = [
      'Nama,NIK,Tanggal Lahir,Jenis Kelamin,Kode Kabupaten,Alamat',
      'SITI RAHMAWATI,3273015205900002,1990-05-12,P,32.73,Jl. Melati 3', // same NIK: linked
      'Siti Rahmawati,3273025205900123,1990-05-12,P,32.73,', // same name and date, another NIK: review
      'Joko Susilo,3273011708500001,1950-08-17,L,32.73,Gg. Mawar', // new
      'Budi,12345,1980-01-01,L,32.73,', // bad NIK
      'Dewi Lestari,3273014101850003,1985-01-01,P,32.71,', // outside the coordinator's regency
    ].join('\n');
    const up = await upload(csv);
    expect(up.statusCode, up.body).toBe(202);
    const id = up.json().id as number;
    expect(up.json()).toMatchObject({ status: 'queued', counts: null });
    // Delivered twice: the same batch's job once more.
    await sys.ctx.db.transaction().execute((tx) => sys.ctx.jobs.enqueue(tx, IMPORT_JOB_KIND, { batchId: id }));
    const before = await recordCount();
    expect(await sys.ctx.jobs.drain()).toBe(2);
    expect(await recordCount()).toBe(before + 3);

    const batch = (await bandung.request('GET', `/api/beneficiaries/imports/${id}`)).json();
    expect(batch).toMatchObject({ status: 'done', progress: null, counts: { rows: 5, linked: 1, queued: 1, new: 1, invalid: 2, replayed: 0 } });
    expect(batch.problems.map((p: { row: number }) => p.row)).toEqual([4, 5]);
    expect(batch.problems[0].errors[0]).toMatchObject({ path: 'nik' });
    const audits = await sys.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'beneficiary.import_done').where('entity_id', '=', String(id)).execute();
    expect(audits).toHaveLength(1);
    // The file is not kept once registered.
    const stored = await sql<{ file: unknown }>`SELECT file FROM beneficiary_import_batches WHERE id = ${id}`.execute(sys.ctx.db);
    expect(stored.rows[0].file).toBeNull();
  });

  it('a job taken again after a restart replays the rows it had registered', async () => {
    const csv = ['Nama,NIK,Tanggal Lahir,Jenis Kelamin,Kode Kabupaten', 'Rina Marlina,3273014203920004,1992-03-02,P,32.73', 'Asep Saepudin,3273010504880005,1988-04-05,L,32.73'].join('\n');
    const up = await upload(csv);
    const id = up.json().id as number;
    await sys.ctx.jobs.drain();
    // As if the process died after the rows, before the batch was marked done.
    await sql`UPDATE beneficiary_import_batches SET status = 'running', file = convert_to(${csv}, 'UTF8'), counts = NULL WHERE id = ${id}`.execute(sys.ctx.db);
    await sys.ctx.db.transaction().execute((tx) => sys.ctx.jobs.enqueue(tx, IMPORT_JOB_KIND, { batchId: id }));
    const before = await recordCount();
    await sys.ctx.jobs.drain();
    expect(await recordCount()).toBe(before);
    const batch = (await bandung.request('GET', `/api/beneficiaries/imports/${id}`)).json();
    expect(batch).toMatchObject({ status: 'done', counts: { rows: 2, new: 2, replayed: 2 } });
  });

  it('refuses a file without the required columns at once', async () => {
    const up = await upload('Alamat,Telepon\nJl. Melati,0812345678\n');
    expect(up.statusCode).toBe(400);
  });

  it('refuses a consent version that is not the current one at once, before any row', async () => {
    const csv = 'Nama,Kode Kabupaten\nRina Marlina,32.73\n';
    const old = await bandung.request('POST', '/api/beneficiaries/imports?fileName=a.csv&consentPurpose=programmes&consentVersion=7', csv, { 'content-type': 'text/csv' });
    expect(old.statusCode).toBe(400);
    expect(old.json().errors[0]).toMatchObject({ path: 'querystring.consentVersion', code: 'consent_version_outdated' });
    const unknown = await bandung.request('POST', '/api/beneficiaries/imports?fileName=a.csv&consentPurpose=nothing&consentVersion=1', csv, { 'content-type': 'text/csv' });
    expect(unknown.json().errors[0]).toMatchObject({ code: 'unknown_consent_purpose' });
  });

  it('tells each row’s problems in the caller’s language', async () => {
    const csv = ['Nama,NIK,Tanggal Lahir,Jenis Kelamin,Kode Kabupaten', 'Budi,12345,1980-01-01,L,32.73', 'X,,1980-01-01,L,32.73', 'Sari Dewi,,2990-01-01,P,32.73'].join('\n');
    const id = (await upload(csv)).json().id as number;
    await sys.ctx.jobs.drain();
    const inIndonesian = (await bandung.request('GET', `/api/beneficiaries/imports/${id}`, undefined, { 'accept-language': 'id' })).json();
    const inEnglish = (await bandung.request('GET', `/api/beneficiaries/imports/${id}`, undefined, { 'accept-language': 'en' })).json();
    expect(inIndonesian.counts).toMatchObject({ rows: 3, invalid: 3 });
    expect(inIndonesian.problems.map((p: { line: number }) => p.line)).toEqual([2, 3, 4]);
    const first = (b: { problems: { errors: { path: string; code: string; message: string }[] }[] }, i: number) => b.problems[i].errors[0];
    expect(first(inIndonesian, 0)).toMatchObject({ path: 'nik', code: 'nik_format', message: 'NIK harus 16 angka.' });
    expect(first(inEnglish, 0)).toMatchObject({ path: 'nik', message: 'A NIK has 16 digits.' });
    // A message of the schema itself (a name too short), in both languages.
    expect(first(inIndonesian, 1)).toMatchObject({ path: 'fullName', code: 'too_small' });
    expect(first(inIndonesian, 1).message).not.toBe(first(inEnglish, 1).message);
    expect(first(inEnglish, 2)).toMatchObject({ path: 'birthDate', code: 'birth_date_range', message: 'The birth date must lie between 1900 and today.' });
  });

  it('lists the caller’s own recent imports, newest first', async () => {
    const mine = await bandung.request('GET', '/api/beneficiaries/imports');
    expect(mine.statusCode, mine.body).toBe(200);
    const items = mine.json().items as { id: number; status: string; consent: unknown; counts: unknown }[];
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.map((b) => b.id)).toEqual([...items.map((b) => b.id)].sort((a, b) => b - a));
    expect(items[0]).toMatchObject({ status: 'done', consent: { purpose: 'programmes', version: 1 } });
    expect(items[0]).not.toHaveProperty('problems');
    // Another coordinator of the same regency sees neither the list nor a batch of someone else.
    expect((await otherBandung.request('GET', '/api/beneficiaries/imports')).json().items).toEqual([]);
    expect((await otherBandung.request('GET', `/api/beneficiaries/imports/${items[0].id}`)).statusCode).toBe(404);
    expect((await member.request('GET', '/api/beneficiaries/imports')).statusCode).toBe(403);
  });

  it('offers a template whose every column the importer recognises', async () => {
    const res = await bandung.request('GET', '/api/beneficiaries/imports/template');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const headers = res.body.replace(/^\uFEFF/, '').trim().split(',');
    const mapping = mapHeaders(headers, BENEFICIARY_FIELDS);
    expect(Object.keys(mapping.fields).sort()).toEqual(BENEFICIARY_FIELDS.map((f) => f.key).sort());
  });

  it('answers other requests while a long import runs, with its progress', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `Penerima Uji ${i},,1980-01-${String((i % 28) + 1).padStart(2, '0')},L,32.73`);
    const id = (await upload(['Nama,NIK,Tanggal Lahir,Jenis Kelamin,Kode Kabupaten', ...rows].join('\n'))).json().id as number;
    let finished = false;
    const draining = sys.ctx.jobs.drain().then(() => (finished = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const polled = (await bandung.request('GET', `/api/beneficiaries/imports/${id}`)).json();
    // Answered while the rows are still being registered (on PGlite the job shares this thread).
    expect(finished).toBe(false);
    expect(polled).toMatchObject({ status: 'running', progress: { phase: 'registering', total: 60 } });
    await draining;
    expect((await bandung.request('GET', `/api/beneficiaries/imports/${id}`)).json()).toMatchObject({ status: 'done', counts: { rows: 60 } });
  });
});
