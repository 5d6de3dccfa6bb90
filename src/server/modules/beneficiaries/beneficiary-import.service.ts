/**
 * Import of beneficiary records from a CSV or XLSX file (issue 4, item 3 "on import"), as a
 * background job: every row goes through the same registration as a single record
 * (registration.service.ts: validation, blocking and scoring against every registered record; a
 * clear match is linked, the grey zone is queued for review), in chunks with progress.
 *
 * Idempotent per batch and row: row n is registered with source ('import', 'import-<batch>',
 * 'row-<n>'), unique in beneficiary_records. A job delivered twice, or taken again after a
 * restart, replays the rows already registered (same outcome, nothing written) and carries on.
 * The batch's final counts, its audit entry and `job.finish(tx)` are one transaction.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { mapHeaders, readTableStream, TableError, type FieldSpec } from '../../../lib/tabular/index.ts';
import { hasPermission, type Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, errorMessage, fieldMessage, isFieldErrorCode, type FieldError, type Locale } from '../../platform/errors.ts';
import type { JobProgressView, RunningJob } from '../../platform/jobs.ts';
import { actorOfUser } from '../identity/service.ts';
import { audit, type RequestMeta } from './common.ts';
import { registerBeneficiary } from './registration.service.ts';
import { currentConsentVersion } from './repository.ts';
import { NewBeneficiaryInput } from './schemas.ts';

export const IMPORT_JOB_KIND = 'beneficiaries.import';
const CHUNK = 100;
const MAX_PROBLEMS = 100;
const RECENT = 20;

export const BENEFICIARY_FIELDS: readonly FieldSpec[] = [
  { key: 'fullName', label: { id: 'Nama lengkap', en: 'Full name' }, kind: 'text', aliases: ['nama', 'nama lengkap', 'name', 'full name'], required: true },
  { key: 'nik', label: { id: 'NIK', en: 'NIK' }, kind: 'nik', aliases: ['nik', 'no ktp', 'nomor induk kependudukan'] },
  { key: 'kk', label: { id: 'No. KK', en: 'Family card (KK)' }, kind: 'nik', aliases: ['kk', 'no kk', 'nomor kk', 'kartu keluarga'] },
  { key: 'birthDate', label: { id: 'Tanggal lahir', en: 'Birth date' }, kind: 'date', aliases: ['tanggal lahir', 'tgl lahir', 'birth date', 'birthdate', 'dob'] },
  { key: 'sex', label: { id: 'Jenis kelamin', en: 'Sex' }, kind: 'gender', aliases: ['jenis kelamin', 'jk', 'sex', 'gender', 'l p'] },
  { key: 'regencyCode', label: { id: 'Kode kabupaten/kota', en: 'Regency code' }, kind: 'region', aliases: ['kode kabupaten', 'kabupaten', 'kab kota', 'regency', 'regency code'], required: true },
  { key: 'districtCode', label: { id: 'Kode kecamatan', en: 'District code' }, kind: 'region', aliases: ['kode kecamatan', 'kecamatan', 'district', 'district code'] },
  { key: 'address', label: { id: 'Alamat', en: 'Address' }, kind: 'text', aliases: ['alamat', 'address'] },
  { key: 'phone', label: { id: 'No. HP', en: 'Phone' }, kind: 'phone', aliases: ['no hp', 'hp', 'telepon', 'phone', 'nomor hp'] },
  { key: 'source', label: { id: 'Program', en: 'Programme' }, kind: 'text', aliases: ['program', 'programme', 'sumber', 'source'] },
];

interface ImportJob {
  batchId: number;
}

/**
 * A CSV with one recognised header per field and no rows, for people starting a file from scratch.
 * The Indonesian labels are the headers in both languages: the network's spreadsheets are in
 * Indonesian, and every label is one the importer maps (beneficiary-import.test.ts checks it).
 */
export function templateCsv(): string {
  const quote = (v: string) => (/[",;\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `\uFEFF${BENEFICIARY_FIELDS.map((f) => quote(f.label.id)).join(',')}\r\n`;
}

/**
 * One problem of a row as stored: a field code is translated when read (with its params); any other
 * message (Zod's own, a refusal without field errors) is stored in both languages when it happens.
 */
interface StoredRowError {
  path: string;
  code: string;
  params?: Record<string, string | number>;
  text?: { id: string; en: string };
}

interface StoredProblem {
  row: number;
  line: number;
  errors: StoredRowError[];
}

const zodIndonesian = z.locales.id();

function schemaIssue(issue: z.core.$ZodIssue): StoredRowError {
  const path = issue.path.join('.');
  if (isFieldErrorCode(issue.message)) return { path, code: issue.message };
  const translated = zodIndonesian.localeError(issue as never);
  const id = typeof translated === 'string' ? translated : translated?.message;
  return { path, code: issue.code, text: { id: id || issue.message, en: issue.message } };
}

function refusal(err: AppError): StoredRowError[] {
  const errors = err.details?.errors as FieldError[] | undefined;
  if (errors?.length) return errors.map((e) => ({ path: e.path, code: e.code, ...(e.params ? { params: e.params } : {}) }));
  return [{ path: 'row', code: err.code, text: { id: errorMessage(err.code, 'id', err.params), en: errorMessage(err.code, 'en', err.params) } }];
}

function presentProblems(stored: unknown, locale: Locale) {
  return ((stored ?? []) as StoredProblem[]).map((p) => ({
    row: p.row,
    line: p.line,
    errors: p.errors.map((e) => ({
      path: e.path,
      code: e.code,
      message: isFieldErrorCode(e.code) ? fieldMessage(e.code, locale, e.params) : (e.text?.[locale] ?? e.code),
    })),
  }));
}

export interface ImportInput {
  fileName: string;
  body: Uint8Array;
  consentPurpose: string;
  consentVersion: number;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

const tableProblem = (reason: string) => AppError.invalid({ path: 'body', code: 'table_unreadable', params: { reason } });

async function open(body: Uint8Array, fileName: string) {
  try {
    return await readTableStream(Buffer.from(body), { fileName });
  } catch (err) {
    if (err instanceof TableError) throw tableProblem(err.code);
    throw err;
  }
}

/** Stores the file and enqueues its job; the header is checked now, so a wrong file is answered at once. */
export async function createBeneficiaryImport(ctx: AppContext, actor: Actor, input: ImportInput, meta: RequestMeta) {
  if (!hasPermission(actor, 'beneficiaries.manage')) throw new AppError('forbidden');
  const table = await open(input.body, input.fileName);
  await table.rows.return();
  const mapping = mapHeaders(table.headers, BENEFICIARY_FIELDS);
  if (mapping.missingRequired.length) throw AppError.invalid({ path: 'body', code: 'missing_columns', params: { fields: mapping.missingRequired.join(', ') } });
  // Checked now rather than on every row: an outdated consent would refuse the whole file, row by row.
  const current = await currentConsentVersion(ctx.db, input.consentPurpose);
  if (current === undefined) throw AppError.invalid({ path: 'querystring.consentPurpose', code: 'unknown_consent_purpose', params: { purpose: input.consentPurpose } });
  if (current !== input.consentVersion) {
    throw AppError.invalid({ path: 'querystring.consentVersion', code: 'consent_version_outdated', params: { purpose: input.consentPurpose, current } });
  }
  const id = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('beneficiary_import_batches')
      .values({ file_name: input.fileName, file: input.body, consent_purpose: input.consentPurpose, consent_text_version: input.consentVersion, created_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const jobId = await ctx.jobs.enqueue(tx, IMPORT_JOB_KIND, { batchId: row.id } satisfies ImportJob, { createdBy: actor.userId });
    await tx.updateTable('beneficiary_import_batches').set({ job_id: jobId }).where('id', '=', row.id).execute();
    await audit(ctx, tx, actor, meta, {
      action: 'beneficiary.import_upload',
      entityType: 'beneficiary_import_batch',
      entityId: row.id,
      after: { file_name: input.fileName, bytes: input.body.length },
    });
    return row.id;
  });
  ctx.jobs.wake();
  return getBeneficiaryImport(ctx, actor, id);
}

type BatchRow = Awaited<ReturnType<typeof findBatch>>;

const findBatch = (ctx: AppContext, id: number) => ctx.db.selectFrom('beneficiary_import_batches').selectAll().where('id', '=', id).executeTakeFirst();

async function presentBatch(ctx: AppContext, b: NonNullable<BatchRow>) {
  const running = (b.status === 'queued' || b.status === 'running') && b.job_id !== null;
  const progress: JobProgressView | null = running ? await ctx.jobs.progress(Number(b.job_id)) : null;
  return {
    id: Number(b.id),
    fileName: b.file_name,
    status: b.status,
    consent: { purpose: b.consent_purpose, version: b.consent_text_version },
    createdAt: new Date(b.created_at).toISOString(),
    finishedAt: b.finished_at ? new Date(b.finished_at).toISOString() : null,
    progress,
    counts: (b.counts ?? null) as Record<string, number> | null,
    error: b.error,
  };
}

/** A batch with its problems in the caller's language; only its uploader sees it (the rows are theirs). */
export async function getBeneficiaryImport(ctx: AppContext, actor: Actor, id: number, locale: Locale = actor.locale) {
  const b = await findBatch(ctx, id);
  if (!b || b.created_by !== actor.userId) throw new AppError('not_found');
  return { ...(await presentBatch(ctx, b)), problems: presentProblems(b.problems, locale) };
}

/** The caller's recent batches, newest first, without their problems (open one to see them). */
export async function listBeneficiaryImports(ctx: AppContext, actor: Actor) {
  if (!hasPermission(actor, 'beneficiaries.manage')) throw new AppError('forbidden');
  const rows = await ctx.db
    .selectFrom('beneficiary_import_batches')
    .select(['id', 'file_name', 'status', 'consent_purpose', 'consent_text_version', 'created_at', 'finished_at', 'counts', 'error', 'job_id', 'created_by'])
    .where('created_by', '=', actor.userId)
    .orderBy('id', 'desc')
    .limit(RECENT)
    .execute();
  return Promise.all(rows.map((b) => presentBatch(ctx, { ...b, file: null, problems: null })));
}

const str = (cells: string[], at: number | undefined) => {
  const v = at === undefined ? '' : (cells[at] ?? '').trim();
  return v === '' ? null : v;
};

function sexOf(v: string | null): 'L' | 'P' | null | string {
  if (v === null) return null;
  const k = v.toLowerCase();
  if (['l', 'laki-laki', 'laki laki', 'pria', 'm', 'male'].includes(k)) return 'L';
  if (['p', 'perempuan', 'wanita', 'f', 'female'].includes(k)) return 'P';
  return v;
}

async function runImport(ctx: AppContext, job: RunningJob<ImportJob>) {
  const { batchId } = job.payload;
  const b = await ctx.db.selectFrom('beneficiary_import_batches').selectAll().where('id', '=', batchId).executeTakeFirst();
  if (!b || b.status === 'done' || b.status === 'failed' || !b.file) return job.finish(ctx.db);
  const actor = b.created_by === null ? null : await actorOfUser(ctx, Number(b.created_by));
  if (!actor) throw new AppError('forbidden');
  await ctx.db.updateTable('beneficiary_import_batches').set({ status: 'running' }).where('id', '=', batchId).execute();
  const file = b.file;
  const table = await open(file, b.file_name);
  const { fields } = mapHeaders(table.headers, BENEFICIARY_FIELDS);
  const total = table.format === 'csv' ? Math.max(0, new TextDecoder().decode(file).trimEnd().split('\n').length - table.headerLine) : null;
  const counts = { rows: 0, new: 0, linked: 0, queued: 0, invalid: 0, replayed: 0 };
  const problems: StoredProblem[] = [];
  const meta = { requestId: `job:${job.id}` };
  job.progress({ phase: 'registering', done: 0, total });
  for await (const row of table.rows) {
    if (job.signal.aborted) throw new Error('import aborted');
    if (counts.rows > 0 && counts.rows % CHUNK === 0) job.progress({ phase: 'registering', done: counts.rows, total: total && Math.max(total, counts.rows) });
    // On PGlite the queries run on this thread and their promises settle without waiting for I/O:
    // without a turn of the event loop per row, no other request (a poll of this very batch) would
    // be answered until the whole file is in.
    await tick();
    const c = row.cells;
    const candidate = {
      source: { kind: 'import', ref: `import-${batchId}`, externalId: `row-${row.index}` },
      fullName: str(c, fields.fullName) ?? '',
      nik: str(c, fields.nik),
      kk: str(c, fields.kk),
      birthDate: str(c, fields.birthDate),
      sex: sexOf(str(c, fields.sex)),
      regencyCode: str(c, fields.regencyCode) ?? '',
      districtCode: str(c, fields.districtCode),
      address: str(c, fields.address),
      phone: str(c, fields.phone),
      consent: { purpose: b.consent_purpose, version: b.consent_text_version, given: true },
    };
    counts.rows++;
    const parsed = NewBeneficiaryInput.safeParse(candidate);
    const problem = (errors: StoredRowError[]) => {
      counts.invalid++;
      if (problems.length < MAX_PROBLEMS) problems.push({ row: row.index, line: row.line, errors });
    };
    if (!parsed.success) {
      problem(parsed.error.issues.map(schemaIssue));
      continue;
    }
    try {
      const r = await registerBeneficiary(ctx, actor, parsed.data, meta);
      if (r.replayed) counts.replayed++;
      counts[r.outcome]++;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      problem(refusal(err));
    }
  }
  job.progress({ phase: 'saving', done: counts.rows, total: counts.rows });
  await ctx.db.transaction().execute(async (tx) => {
    const locked = await sql<{ status: string }>`SELECT status FROM beneficiary_import_batches WHERE id = ${batchId} FOR UPDATE`.execute(tx);
    if (locked.rows[0]?.status !== 'done') {
      await tx
        .updateTable('beneficiary_import_batches')
        .set({ status: 'done', finished_at: sql<Date>`now()`, counts: JSON.stringify(counts), problems: JSON.stringify(problems), file: null })
        .where('id', '=', batchId)
        .execute();
      await audit(ctx, tx, actor, meta, {
        action: 'beneficiary.import_done',
        entityType: 'beneficiary_import_batch',
        entityId: batchId,
        after: counts,
      });
    }
    await job.finish(tx);
  });
}

export function registerBeneficiaryImportJobs(ctx: AppContext): void {
  ctx.jobs.register<ImportJob>(IMPORT_JOB_KIND, {
    run: (job) => runImport(ctx, job),
    async onFailed(db, payload, err) {
      await db
        .updateTable('beneficiary_import_batches')
        .set({ status: 'failed', finished_at: sql<Date>`now()`, error: err instanceof Error ? err.message : String(err) })
        .where('id', '=', payload.batchId)
        .where('status', 'in', ['queued', 'running'])
        .execute();
    },
  });
}
