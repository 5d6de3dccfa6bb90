#!/usr/bin/env node
/**
 * Member import of a 100,000-row CSV (the shape coordinators send: `;`-separated, Indonesian headers,
 * d/m/yyyy dates, region names written several ways, a third of rows with a NIK), through the real
 * endpoints: preview (parse + validate + duplicate check + store) then commit (valid rows). A file
 * this size runs as background jobs: the bench polls the batch as the web page does and prints
 * the progress it reports and how long the polls took while the job ran.
 * Baseline in the same run: PostgreSQL `COPY` of the same file into a plain staging table (psql's
 * \copy; PGlite: COPY FROM a blob) — the floor for moving the bytes into the database.
 *
 *   node bench/registry-import.mjs [--rows 100000] [--engine postgres|pglite]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';
import { findPostgresBinDir, startThrowawayPostgres } from '../scripts/with-postgres.mjs';
import { saveResults, table, withCleanup } from './lib.mjs';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, engine: { type: 'string', default: 'postgres' } } });
const N = Number(args.rows);

function makeCsv(n) {
  const first = ['Budi', 'Siti', 'Agus', 'Dewi', 'Rizki', 'Nur', 'Andi', 'Rina', 'Joko', 'Sri', 'Eko', 'Wati', 'Hendra', 'Lestari', 'Fajar', 'Putri', 'Yusuf', 'Indah', 'Bayu', 'Ratna'];
  const mid = ['Ayu', 'Cahya', 'Dwi', 'Eka', 'Gita', 'Hadi', 'Ilham', 'Jaya', 'Kurnia', 'Lina', 'Maya', 'Nanda', 'Oki', 'Prasetyo', 'Rahma', 'Surya', 'Tri', 'Utami', 'Wahyu', 'Yanti'];
  const last = ['Santoso', 'Wijaya', 'Saputra', 'Lestari', 'Hidayat', 'Kusuma', 'Pratama', 'Setiawan', 'Nugroho', 'Rahayu', 'Permana', 'Susanto', 'Gunawan', 'Purnama', 'Firmansyah', 'Maulana', 'Hakim', 'Siregar', 'Nasution', 'Sembiring'];
  const regencies = ['Kota Bandung', 'Kab. Bandung', 'Bandung Barat', 'KOTA BEKASI', 'Kabupaten Bogor', 'Kota Surabaya', 'Kota Malang', 'Kota Semarang', 'Kota Yogyakarta', 'Kab. Sleman'];
  const lines = ['Nama;NIK;No. HP;Email;Jenis Kelamin;Tanggal Lahir;Kabupaten/Kota;Subsektor'];
  for (let i = 0; i < n; i++) {
    const name = `${first[i % 20]} ${mid[Math.floor(i / 20) % 20]} ${last[Math.floor(i / 400) % 20]} ${first[Math.floor(i / 8000) % 20]}`;
    const d = (i % 28) + 1;
    const m = (Math.floor(i / 28) % 12) + 1;
    const y = 1960 + (Math.floor(i / 336) % 45);
    const sex = i % 2 ? 'L' : 'P';
    const nik = `327301${String(sex === 'P' ? d + 40 : d).padStart(2, '0')}${String(m).padStart(2, '0')}${String(y % 100).padStart(2, '0')}${String((i % 9999) + 1).padStart(4, '0')}`;
    lines.push([name, i % 3 === 0 ? nik : '', `0812${String(i).padStart(8, '0')}`, `orang${i}@contoh.id`, sex, `${d}/${m}/${y}`, regencies[i % 10], i % 2 ? 'Kuliner' : 'Fesyen, Kriya'].join(';'));
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

const STAGING = `CREATE TABLE import_staging (nama text, nik text, no_hp text, email text, jenis_kelamin text, tanggal_lahir text, kabupaten_kota text, subsektor text)`;

await withCleanup(async (onCleanup) => {
  const body = makeCsv(N);
  const file = path.join(os.tmpdir(), `simpul-bench-import-${process.pid}.csv`);
  fs.writeFileSync(file, body);
  onCleanup(() => fs.rmSync(file, { force: true }));
  console.log(`Member import benchmark — Node ${process.version}; ${N} rows, ${(body.length / 1e6).toFixed(1)} MB, ${args.engine}`);

  let pg = null;
  if (args.engine === 'postgres') {
    pg = await startThrowawayPostgres({ quiet: true });
    onCleanup(() => pg.stop());
    process.env.SIMPUL_TEST_DATABASE_URL = pg.url;
  }
  register();
  const { prepareTemplate, createTestSystem, dropTemplate } = await import('../test/system.ts');
  const { makeUser, login, grants } = await import('../test/factories.ts');
  await prepareTemplate();
  onCleanup(() => dropTemplate());
  const sys = await createTestSystem();
  onCleanup(() => sys.close());
  const admin = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));

  await sys.ctx.jobs.start();
  /** Polls the batch until it leaves `status`, as the import page does; returns it and the poll latencies. */
  const settle = async (id, status) => {
    const polls = [];
    let last = '';
    for (;;) {
      const t0 = performance.now();
      const b = (await admin.request('GET', `/api/registry/imports/${id}`)).json();
      polls.push(performance.now() - t0);
      if (b.status !== status) return { batch: b, polls };
      const p = b.progress;
      const line = p ? `  ${status}: ${p.phase} ${p.done}/${p.total ?? '?'}${p.etaSeconds !== null ? `, ~${p.etaSeconds} s left` : ''}` : '';
      if (line && line !== last) console.log(line);
      last = line;
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? 0;

  let t = performance.now();
  const res = await admin.request('POST', '/api/registry/imports?kind=members&fileName=bench.csv', body, { 'content-type': 'text/csv' });
  if (res.statusCode !== 202) throw new Error(`upload answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  const validated = await settle(res.json().id, 'validating');
  const previewS = (performance.now() - t) / 1000;
  const batch = validated.batch;
  if (batch.status !== 'preview') throw new Error(`validation ended ${batch.status}: ${JSON.stringify(batch.error)}`);
  console.log(`preview: ${batch.rows} rows, ${batch.valid} valid, ${batch.invalid} invalid, ${batch.duplicates} duplicates`);
  t = performance.now();
  const commit = await admin.request('POST', `/api/registry/imports/${batch.id}/commit`, { mode: 'valid_only' });
  if (commit.statusCode !== 202) throw new Error(`commit answered ${commit.statusCode}: ${commit.body.slice(0, 300)}`);
  const committed = await settle(batch.id, 'committing');
  const commitS = (performance.now() - t) / 1000;
  if (committed.batch.status !== 'committed') throw new Error(`commit ended ${committed.batch.status}: ${JSON.stringify(committed.batch.error)}`);
  console.log(`commit: ${JSON.stringify(committed.batch.result)}`);
  for (const [phase, polls] of [['validation', validated.polls], ['commit', committed.polls]]) {
    console.log(`progress polls during the ${phase}: ${polls.length}, p95 ${p95(polls).toFixed(0)} ms, max ${Math.max(...polls).toFixed(0)} ms`);
  }

  // Baseline: COPY of the same bytes into a staging table on the same engine.
  let copyS;
  if (pg) {
    const psql = path.join(findPostgresBinDir(), 'psql');
    const copy = `\\copy import_staging FROM '${file}' WITH (FORMAT csv, HEADER true, DELIMITER ';')`;
    t = performance.now();
    const r = spawnSync(psql, [sys.engine.url ?? pg.url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', STAGING, '-c', copy], { encoding: 'utf8' });
    copyS = (performance.now() - t) / 1000;
    if (r.status !== 0) throw new Error(`psql \\copy failed: ${r.stderr}`);
  } else {
    await sys.engine.pglite.exec(STAGING);
    t = performance.now();
    await sys.engine.pglite.query(`COPY import_staging FROM '/dev/blob' WITH (FORMAT csv, HEADER true, DELIMITER ';')`, [], { blob: new Blob([body]) });
    copyS = (performance.now() - t) / 1000;
  }

  const rate = (s) => `${Math.round(N / s).toLocaleString('en')} rows/s`;
  console.log(
    `\n${table([
      ['step', 'time', 'rate'],
      ['preview (parse, validate, duplicates, store)', `${previewS.toFixed(1)} s`, rate(previewS)],
      ['commit (valid rows, one transaction)', `${commitS.toFixed(1)} s`, rate(commitS)],
      ['import end to end', `${(previewS + commitS).toFixed(1)} s`, rate(previewS + commitS)],
      ['baseline: COPY of the same file', `${copyS.toFixed(2)} s`, rate(copyS)],
    ])}`,
  );
  console.log(`import / COPY: ${((previewS + commitS) / copyS).toFixed(1)}× the time`);
  saveResults('registry-import', { rows: N, engine: args.engine, previewS, commitS, copyS });
});
