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
import { mapHeaders, readTableStream, TableError, type FieldSpec } from '../../../lib/tabular/index.ts';
import { hasPermission, type Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import type { JobProgressView, RunningJob } from '../../platform/jobs.ts';
import { actorOfUser } from '../identity/service.ts';
import type { RequestMeta } from './common.ts';
import { registerBeneficiary } from './registration.service.ts';
import { NewBeneficiaryInput } from './schemas.ts';

export const IMPORT_JOB_KIND = 'beneficiaries.import';
const CHUNK = 100;
const MAX_PROBLEMS = 100;

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

export interface ImportInput {
  fileName: string;
  body: Uint8Array;
  consentPurpose: string;
  consentVersion: number;
}

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
  const id = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('beneficiary_import_batches')
      .values({ file_name: input.fileName, file: input.body, consent_purpose: input.consentPurpose, consent_text_version: input.consentVersion, created_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const jobId = await ctx.jobs.enqueue(tx, IMPORT_JOB_KIND, { batchId: row.id } satisfies ImportJob, { createdBy: actor.userId });
    await tx.updateTable('beneficiary_import_batches').set({ job_id: jobId }).where('id', '=', row.id).execute();
    await ctx.audit.record(tx, {
      actorId: actor.userId,
      actorLabel: `user:${actor.userId}`,
      requestId: meta.requestId,
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

export async function getBeneficiaryImport(ctx: AppContext, actor: Actor, id: number) {
  const b = await ctx.db.selectFrom('beneficiary_import_batches').selectAll().where('id', '=', id).executeTakeFirst();
  if (!b || b.created_by !== actor.userId) throw new AppError('not_found');
  const running = (b.status === 'queued' || b.status === 'running') && b.job_id !== null;
  const progress: JobProgressView | null = running ? await ctx.jobs.progress(Number(b.job_id)) : null;
  return {
    id: Number(b.id),
    fileName: b.file_name,
    status: b.status,
    createdAt: new Date(b.created_at).toISOString(),
    finishedAt: b.finished_at ? new Date(b.finished_at).toISOString() : null,
    progress,
    counts: (b.counts ?? null) as Record<string, number> | null,
    problems: (b.problems ?? []) as { row: number; line: number; errors: { path: string; code: string }[] }[],
    error: b.error,
  };
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
  const problems: { row: number; line: number; errors: { path: string; code: string }[] }[] = [];
  const meta = { requestId: `job:${job.id}` };
  job.progress({ phase: 'registering', done: 0, total });
  for await (const row of table.rows) {
    if (job.signal.aborted) throw new Error('import aborted');
    if (counts.rows > 0 && counts.rows % CHUNK === 0) job.progress({ phase: 'registering', done: counts.rows, total: total && Math.max(total, counts.rows) });
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
    const problem = (errors: { path: string; code: string }[]) => {
      counts.invalid++;
      if (problems.length < MAX_PROBLEMS) problems.push({ row: row.index, line: row.line, errors });
    };
    if (!parsed.success) {
      // Zod's message is the field error code where the schema names one, else its own text.
      problem(parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.message })));
      continue;
    }
    try {
      const r = await registerBeneficiary(ctx, actor, parsed.data, meta);
      if (r.replayed) counts.replayed++;
      counts[r.outcome]++;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      problem(((err.details?.errors as FieldError[] | undefined) ?? [{ path: 'row', code: err.code }]).map((e) => ({ path: e.path, code: e.code })));
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
      await ctx.audit.record(tx, {
        actorId: actor.userId,
        actorLabel: `user:${actor.userId}`,
        requestId: meta.requestId,
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
