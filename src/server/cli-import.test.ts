/**
 * `simpul import` on the engine under test: beneficiaries, members and communities from a CSV
 * through the same services and background jobs as the web, with progress and a summary; invalid
 * rows printed with their line; a second run of the same file adds nobody; a job left behind by a
 * killed command is carried on; and the embedded database refuses while another process holds it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { grants, makeUser } from '../../test/factories.ts';
import { createTestEngine, engineUnderTest } from '../../test/system.ts';
import { contextFor, pgliteFolder } from './app.ts';
import { CliError, restore, runCli } from './cli.ts';
import { ProgressPrinter, type ProgressOutput } from './cli-progress.ts';
import { actorOfUser } from './modules/identity/service.ts';
import { createBeneficiaryImport } from './modules/beneficiaries/beneficiary-import.service.ts';
import { loadConfig, type Config } from './platform/config.ts';
import { openEngine, type Engine } from './platform/db.ts';

const root = path.resolve(import.meta.dirname, '../..');

let dir: string;
let config: Config;
let pg: Awaited<ReturnType<typeof createTestEngine>> | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simpul-cli-import-'));
  if (engineUnderTest === 'postgres') {
    pg = await createTestEngine();
    config = loadConfig({ SIMPUL_DATA_DIR: dir, DATABASE_URL: pg.url!, LOG_LEVEL: 'silent' });
  } else {
    config = loadConfig({ SIMPUL_DATA_DIR: dir, LOG_LEVEL: 'silent' });
    // The migrated template every test file starts from, instead of building a database here.
    const template = process.env.SIMPUL_TEST_TEMPLATE_FILE;
    if (template && fs.existsSync(template)) await restore(config, template, { force: false });
  }
  process.env.SIMPUL_ADMIN_PASSWORD = 'sandi-panjang-impor-1';
  try {
    expect(await simpul(['admin', 'create', '--email', 'pusat@iccn.or.id', '--name', 'Admin Pusat'])).toMatchObject({ code: 0 });
  } finally {
    delete process.env.SIMPUL_ADMIN_PASSWORD;
  }
}, 120_000);
afterAll(async () => {
  await pg?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The command in this process, with what it prints. */
async function simpul(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: await runCli(args, config), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** The database between commands (the embedded one is opened only while no command holds it). */
async function withEngine<T>(fn: (engine: Engine) => Promise<T>): Promise<T> {
  if (pg) return fn(pg);
  const engine = await openEngine({ pgliteDir: pgliteFolder(config) });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

const count = (table: 'persons' | 'beneficiary_records' | 'members' | 'communities', where = sql`true`) =>
  withEngine(async (e) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${where}`.execute(e.db)).rows[0]!.n));

function file(name: string, lines: string[]): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}

const BENEFICIARIES = [
  'Nama,NIK,Tanggal Lahir,Jenis Kelamin,Kode Kabupaten,Alamat',
  'Siti Rahmawati,3273015205900002,1990-05-12,P,32.73,Jl. Melati 3',
  'Joko Susilo,3273011708500001,1950-08-17,L,32.73,Gg. Mawar',
  'Rina Marlina,3273014203920004,1992-03-02,P,32.73,',
];

describe('simpul import beneficiaries', () => {
  it('registers every row in a background job, with progress and a summary', async () => {
    const persons = await count('persons');
    const r = await simpul(['import', 'beneficiaries', file('penerima.csv', BENEFICIARIES)]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Beneficiary import #\d+ \(penerima\.csv, 1 KB\) as pusat@iccn\.or\.id, consent "programmes" version 1: queued as job \d+\.$/m);
    expect(r.out).toMatch(/^\[\s*[\d.]+ s\] registering 0\/3 {2}time left \?$/m);
    expect(r.out).toMatch(/^Done in [\d.]+ s: 3 rows; 3 new people, 0 linked to a registered person, 0 queued for review as possible duplicates, 0 not registered\.$/m);
    expect(await count('persons')).toBe(persons + 3);
  });

  it('run again on the same file, links the rows to the people already registered and adds nobody', async () => {
    const [persons, records] = [await count('persons'), await count('beneficiary_records')];
    const r = await simpul(['import', 'beneficiaries', file('penerima.csv', BENEFICIARIES)]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/3 rows; 0 new people, 3 linked to a registered person/);
    expect(await count('persons')).toBe(persons);
    // Each import is a source of its own: its records are kept, linked to the same people.
    expect(await count('beneficiary_records')).toBe(records + 3);
  });

  it('prints the rows it could not register with their line and field, in Indonesian or English, and exits 1', async () => {
    const bad = file('penerima-salah.csv', [BENEFICIARIES[0]!, 'Budi Hartono,12345,1980-01-01,L,32.73,', 'Ani Wulandari,3273014506950001,1995-06-05,P,32.73,']);
    const persons = await count('persons');
    const id = await simpul(['import', 'beneficiaries', bad]);
    expect(id.code).toBe(1);
    expect(id.out).toMatch(/2 rows; 1 new person, .* 1 not registered\./);
    expect(id.out).toContain('  line 2, NIK: NIK harus 16 angka.');
    expect(id.err).toMatch(/^Not registered: 1 row\. Correct them/);
    expect(await count('persons')).toBe(persons + 1);

    const en = await simpul(['import', 'beneficiaries', bad, '--lang', 'en', '--skip-invalid']);
    expect(en.code).toBe(0);
    expect(en.out).toContain('  line 2, NIK: A NIK has 16 digits.');
    expect(await count('persons')).toBe(persons + 1);
  });

  it('refuses before queueing anything: a wrong consent version, a file without a required column, options that do not apply', async () => {
    const csv = file('penerima-2.csv', BENEFICIARIES);
    await expect(simpul(['import', 'beneficiaries', csv, '--consent-version', '9'])).rejects.toThrow(/versi 1/);
    await expect(simpul(['import', 'beneficiaries', file('tanpa-kabupaten.csv', ['Nama,NIK', 'Siti,3273015205900002'])])).rejects.toThrow(/Kolom wajib tidak ditemukan/);
    await expect(simpul(['import', 'members', csv, '--consent-version', '1'])).rejects.toThrow(/beneficiary imports only/);
    await expect(simpul(['import', 'beneficiaries', path.join(dir, 'tidak-ada.csv')])).rejects.toThrow(/No such file/);
    await expect(simpul(['import', 'beneficiaries', csv, '--lang', 'jv'])).rejects.toThrow(CliError);
    await expect(simpul(['import', 'penerima', csv])).rejects.toThrow(/Usage/);
  });
});

const MEMBERS = [
  'Nama;NIK;Kabupaten/Kota;Tanggal Lahir;Email',
  'Rina Anggota;3273014203920004;Kota Bandung;02/03/1992;rina@contoh.id',
  'Asep Anggota;;Kota Bandung;05/04/1988;asep@contoh.id',
  'Dewi Anggota;;Kabupaten Bandung;01/01/1985;dewi@contoh.id',
];
const members = sql`full_name LIKE '% Anggota'`;

describe('simpul import members and communities', () => {
  it('checks the rows in one job and commits them in another, with a summary; the same file again adds nobody', async () => {
    const r = await simpul(['import', 'members', file('anggota.csv', MEMBERS)]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Member import #\d+ \(anggota\.csv, 1 KB\) as pusat@iccn\.or\.id: checking the rows in job \d+\.$/m);
    expect(r.out).toMatch(/^\[\s*[\d.]+ s\] (reading|checking) /m);
    expect(r.out).toMatch(/^Checked in [\d.]+ s: 3 rows, 3 valid, 0 invalid, 0 possible duplicates\.$/m);
    expect(r.out).toMatch(/^Importing 3 valid rows in job \d+\.$/m);
    expect(r.out).toMatch(/^Done in [\d.]+ s: 3 members added; 0 rows left out/m);
    expect(await count('members', members)).toBe(3);

    const again = await simpul(['import', 'members', file('anggota.csv', MEMBERS)]);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/3 valid, 0 invalid, 3 possible duplicates/);
    expect(again.out).toMatch(/Done in [\d.]+ s: 0 members added; 3 rows left out/);
    expect(await count('members', members)).toBe(3);
  });

  it('with invalid rows prints them and commits nothing (exit 1), unless told to import the valid rows only', async () => {
    const bad = file('anggota-salah.csv', [MEMBERS[0]!, 'Bayu Anggota;;Kota Bandung;07/07/1991;bukan-surel', 'Wati Anggota;;Kota Bandung;08/08/1993;wati@contoh.id']);
    const r = await simpul(['import', 'members', bad]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/2 rows, 1 valid, 1 invalid/);
    expect(r.out).toContain('Problems in 1 row:\n  line 2, Surel: Alamat surel tidak valid.');
    expect(r.err).toMatch(/^Nothing imported: 1 row invalid\./);
    expect(r.out).not.toMatch(/Importing/);
    expect(await count('members', members)).toBe(3);

    const valid = await simpul(['import', 'members', bad, '--skip-invalid', '--lang', 'en']);
    expect(valid.code, valid.err).toBe(0);
    expect(valid.out).toContain('  line 2, E-mail: Invalid e-mail address.');
    expect(valid.out).toMatch(/1 members added; 1 row left out/);
    expect(await count('members', members)).toBe(4);
  });

  it('imports communities', async () => {
    const r = await simpul(['import', 'communities', file('komunitas.csv', ['Nama Komunitas;Kab/Kota;Subsektor', 'Kopi Kreatif Impor;Kota Bandung;Kuliner'])]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Community import #\d+ /m);
    expect(r.out).toMatch(/1 communities added/);
    expect(await count('communities', sql`name = 'Kopi Kreatif Impor'`)).toBe(1);
  });

  it('acts as the named user, in their scope; without --as only while there is one national admin', async () => {
    await withEngine((e) => makeUser(contextFor(config, e), { email: 'koordinator@iccn.or.id', grants: [grants.regencyCoordinator('35.73')] }));
    const r = await simpul(['import', 'members', file('anggota-malang.csv', [MEMBERS[0]!, 'Sari Anggota;;Kota Bandung;03/03/1993;sari@contoh.id']), '--as', 'Koordinator@iccn.or.id']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/as koordinator@iccn\.or\.id/);
    expect(r.out).toMatch(/line 2, Kabupaten\/kota: /);
    await expect(simpul(['import', 'members', file('x.csv', MEMBERS), '--as', 'siapa@iccn.or.id'])).rejects.toThrow(/No user with the email address siapa@iccn\.or\.id/);

    await withEngine((e) => makeUser(contextFor(config, e), { email: 'pusat2@iccn.or.id', grants: [grants.nationalAdmin()] }));
    await expect(simpul(['import', 'members', file('x.csv', MEMBERS)])).rejects.toThrow(/There are 2 national admins \(pusat@iccn\.or\.id, pusat2@iccn\.or\.id\): name the importing user with --as EMAIL/);
  });
});

describe('a job left behind', () => {
  it('by a command that was killed is carried on by the next command, and applies once', async () => {
    // As a killed command leaves it: the batch queued, its job claimed by a process that is gone.
    const batchId = await withEngine(async (e) => {
      const ctx = contextFor(config, e);
      const admin = await e.db.selectFrom('users').select('id').where('email', '=', 'pusat@iccn.or.id').executeTakeFirstOrThrow();
      const actor = (await actorOfUser(ctx, Number(admin.id)))!;
      const body = Buffer.from(['Nama,NIK,Tanggal Lahir,Jenis Kelamin,Kode Kabupaten', 'Yusuf Tertinggal,3273010101800009,1980-01-01,L,32.73', ''].join('\n'));
      const b = await createBeneficiaryImport(ctx, actor, { fileName: 'tertinggal.csv', body, consentPurpose: 'programmes', consentVersion: 1 }, { requestId: 'test' });
      await sql`UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'dead-process', locked_until = now() - interval '1 second'
        WHERE id = (SELECT job_id FROM beneficiary_import_batches WHERE id = ${b.id})`.execute(e.db);
      return b.id;
    });
    const r = await simpul(['import', 'beneficiaries', file('penerima-3.csv', BENEFICIARIES), '--as', 'pusat@iccn.or.id']);
    expect(r.code, r.err).toBe(0);
    const left = await withEngine((e) => e.db.selectFrom('beneficiary_import_batches').select(['status', 'counts']).where('id', '=', batchId).executeTakeFirstOrThrow());
    expect(left).toMatchObject({ status: 'done', counts: { rows: 1, new: 1 } });
    expect(await count('beneficiary_records', sql`full_name = 'Yusuf Tertinggal'`)).toBe(1);
  });
});

describe.runIf(engineUnderTest === 'pglite')('simpul import on the embedded database', () => {
  it('refuses while another process (the server) holds the data folder', async () => {
    const engine = await openEngine({ pgliteDir: pgliteFolder(config) });
    try {
      await expect(simpul(['import', 'members', file('anggota.csv', MEMBERS)])).rejects.toThrow(/in use by process/);
    } finally {
      await engine.close();
    }
  });

  it('killed while it registers, is carried on by the next command and applies every row once', async () => {
    const rows = ['Nama,NIK,Tanggal Lahir,Jenis Kelamin,Kode Kabupaten'];
    const names = ['Budi', 'Siti', 'Agus', 'Dewi', 'Rizki', 'Nur', 'Andi', 'Rina', 'Joko', 'Sri'];
    for (let i = 0; i < 300; i++) {
      const [d, m, y] = [(i % 28) + 1, (i % 12) + 1, 1960 + (i % 40)];
      const nik = `327302${String(i % 2 ? d : d + 40).padStart(2, '0')}${String(m).padStart(2, '0')}${String(y % 100).padStart(2, '0')}${String(i + 1).padStart(4, '0')}`;
      rows.push(`Putus ${names[i % 10]} ${names[Math.floor(i / 10) % 10]} ${i},${nik},${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')},${i % 2 ? 'L' : 'P'},32.73`);
    }
    const csv = file('putus.csv', rows);
    const env: NodeJS.ProcessEnv = { ...process.env, SIMPUL_DATA_DIR: dir, LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    const proc = spawn(process.execPath, [path.join(root, 'bin/simpul.mjs'), 'import', 'beneficiaries', csv, '--as', 'pusat@iccn.or.id'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<number | null>((resolve) => proc.on('close', resolve));
    // Killed a moment after the job starts registering: some rows are registered, the rest are not.
    await new Promise<void>((resolve, reject) => {
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/registering 0\/300/.test(out)) setTimeout(resolve, 2000);
      });
      void exited.then(() => reject(new Error(`the command ended before it was killed:\n${out}`)));
    });
    proc.kill('SIGKILL');
    await exited;
    const batchId = Number(/Beneficiary import #(\d+)/.exec(out)![1]);
    const before = await count('beneficiary_records', sql`full_name LIKE 'Putus %'`);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(300);
    // The next command takes the job at once: on the embedded engine a running job in a folder
    // nobody holds was left by a dead process (its lease has not run out yet).
    const r = await simpul(['import', 'beneficiaries', file('penerima-4.csv', BENEFICIARIES), '--as', 'pusat@iccn.or.id']);
    expect(r.code, r.err).toBe(0);
    const batch = await withEngine((e) => e.db.selectFrom('beneficiary_import_batches').select(['status', 'counts']).where('id', '=', batchId).executeTakeFirstOrThrow());
    expect(batch.status).toBe('done');
    expect(batch.counts).toMatchObject({ rows: 300, replayed: before });
    expect(await count('beneficiary_records', sql`full_name LIKE 'Putus %'`)).toBe(300);
  }, 120_000);
});

describe('the progress line', () => {
  const fake = (tty: boolean) => {
    const written: string[] = [];
    let now = 0;
    const out: ProgressOutput = { tty, columns: 40, redraw: (t) => void written.push(t), line: (t) => void written.push(`${t}\n`) };
    return { written, out, tick: (ms: number) => (now += ms), now: () => now };
  };

  it('on a terminal redraws one line, cut to the width, a few times a second, and ends it before what follows', () => {
    const t = fake(true);
    const p = new ProgressPrinter({ unit: 'rows', out: t.out, now: t.now });
    p.update({ phase: 'registering', done: 0, total: 1000, etaSeconds: null });
    t.tick(50);
    p.update({ phase: 'registering', done: 10, total: 1000, etaSeconds: null });
    t.tick(1950);
    p.update({ phase: 'registering', done: 400, total: 1000, etaSeconds: 3 });
    p.end();
    p.update({ phase: 'saving', done: 0, total: 1, etaSeconds: null });
    expect(t.written).toEqual(['\r[   0.0 s] registering 0/1000  time lef\x1b[K', '\r[   2.0 s] registering 400/1000  time l\x1b[K', '\n']);
  });

  it('elsewhere prints a line when a phase starts or ends and one every few seconds between, with the pace', () => {
    const t = fake(false);
    const p = new ProgressPrinter({ unit: 'rows', out: t.out, now: t.now, everyMs: 5000 });
    p.update({ phase: 'reading', done: 0, total: 100, etaSeconds: null });
    for (let done = 10; done <= 100; done += 10) {
      t.tick(1000);
      p.update({ phase: 'reading', done, total: 100, etaSeconds: Math.round((100 - done) / 10) });
    }
    p.update({ phase: 'saving', done: 0, total: null, etaSeconds: null });
    p.end();
    expect(t.written).toEqual([
      '[   0.0 s] reading    0/100  time left ?\n',
      '[   5.0 s] reading    50/100  time left 5 s, 10.0 rows/s\n',
      '[  10.0 s] reading    100/100  time left 0 s, 10.0 rows/s\n',
      '[  10.0 s] saving     0\n',
    ]);
  });
});
