/**
 * Spreadsheet import of members and communities: upload → validate every row (a preview with a
 * report) → optionally correct the column mapping → commit all-or-nothing or the valid rows only.
 *
 * Small files are validated and committed in the request. Larger ones (over
 * `config.importBackgroundBytes`) run as background jobs that report progress, survive a restart
 * (the file stays in the batch until the commit) and never apply twice: the commit, the batch's
 * new status and the job's completion are one transaction.
 */
import { mapHeaders, readTableStream, TableError, type FieldSpec, type HeaderMapping, type TableStream } from '../../../lib/tabular/index.ts';
import { can, regionFilter, type Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError, fieldMessage, isFieldErrorCode, type FieldError, type Locale } from '../../platform/errors.ts';
import type { JobProgressView, RunningJob } from '../../platform/jobs.ts';
import { actorOfUser } from '../identity/service.ts';
import { audit, type RequestMeta } from './common.ts';
import { invalidateRegistryDashboard } from './dashboard.service.ts';
import * as repo from './import.repository.ts';
import { FIELDS_OF, TooManyRowsError, validateRows, type ImportKind, type RowIssue, type StoredRow } from './import.rows.ts';

export type { StoredRow } from './import.rows.ts';

/** How many rows of the report the preview returns; the CSV report has them all. */
export const PREVIEW_ROWS = 100;
export const MAX_ROWS = 200_000;
/** A commit of more valid rows than this runs in the background even for a small file. */
const COMMIT_INLINE_ROWS = 20_000;
const JOB_KIND = 'registry.import';

type ImportJob = { batchId: number; step: 'validate' } | { batchId: number; step: 'commit'; mode: CommitInput['mode']; skipDuplicates: boolean };

export interface CommitInput {
  mode: 'all_or_nothing' | 'valid_only';
  skipDuplicates?: boolean;
}

function assertMayImport(actor: Actor) {
  if (regionFilter(actor, 'registry.manage').kind === 'none') throw new AppError('forbidden');
}

async function loadOwnBatch(db: Queryable, actor: Actor, id: number) {
  const b = await repo.findBatch(db, id);
  // Another coordinator's batch holds personal data of their region: it does not exist for others.
  if (!b || (b.created_by !== actor.userId && regionFilter(actor, 'registry.manage').kind !== 'all')) throw new AppError('not_found');
  return b;
}

const tableProblem = (reason: string) => AppError.invalid({ path: 'body', code: 'table_unreadable', params: { reason } });

async function openTable(body: Uint8Array, fileName: string, onBytes?: (consumed: number) => void): Promise<TableStream> {
  // Slices, so the reader's progress through the file can be measured.
  const slices = (function* () {
    const step = 256 * 1024;
    for (let at = 0; at < body.length; at += step) {
      onBytes?.(Math.min(at + step, body.length));
      yield body.subarray(at, at + step);
    }
  })();
  try {
    return await readTableStream(slices, { fileName });
  } catch (err) {
    if (err instanceof TableError) throw tableProblem(err.code);
    throw err;
  }
}

/** The mapping as the batch shows it: field → header, and the headers that feed nothing. */
const summaryOf = (headers: string[], mapping: HeaderMapping): repo.BatchRecord['summary'] => ({
  mapping: Object.fromEntries(Object.entries(mapping.fields).map(([k, i]) => [k, headers[i] ?? String(i)])),
  unmapped: mapping.unmapped.map((u) => u.header),
});

/** The user's corrections as mapHeaders takes them: column index → field key or null. */
const overridesOf = (b: repo.BatchRecord): Record<number, string | null> =>
  Object.fromEntries(Object.entries(b.mapping_override).map(([k, v]) => [Number(k), v]));

// ---------------------------------------------------------------- upload and validation

export interface ImportInput {
  kind: ImportKind;
  fileName: string;
  body: Uint8Array;
}

export async function createImport(ctx: AppContext, actor: Actor, input: ImportInput, meta: RequestMeta): Promise<repo.BatchRecord> {
  assertMayImport(actor);
  // The header is read now, so an unreadable file is answered at once.
  const table = await openTable(input.body, input.fileName);
  await table.rows.return();
  // Without a column for a required field the batch waits, failed, for the user to map one.
  const detected = mapHeaders(table.headers, FIELDS_OF[input.kind]);
  const { missingRequired } = detected;
  const missing = missingRequired.length ? { code: 'missing_columns', params: { fields: missingRequired.join(', ') } } : null;
  const background = !missing && input.body.length > ctx.config.importBackgroundBytes;
  const id = await ctx.db.transaction().execute(async (tx) => {
    const batchId = await repo.insertBatch(tx, {
      kind: input.kind,
      file_name: input.fileName,
      created_by: actor.userId,
      file: input.body,
      headers: table.headers,
      background,
      summary: summaryOf(table.headers, detected),
    });
    if (missing) await repo.moveBatch(tx, batchId, ['validating'], 'failed', { error: missing });
    else if (background) await enqueue(ctx, tx, actor, { batchId, step: 'validate' });
    await audit(ctx, tx, actor, meta, { action: 'import.upload', entityType: 'import_batch', entityId: batchId, after: { kind: input.kind, bytes: input.body.length, background } });
    return batchId;
  });
  if (background) ctx.jobs.wake();
  else if (!missing) await validateBatch(ctx, id, meta);
  return (await repo.findBatch(ctx.db, id))!;
}

async function enqueue(ctx: AppContext, tx: Queryable, actor: Actor, job: ImportJob): Promise<number> {
  const jobId = await ctx.jobs.enqueue(tx, JOB_KIND, job, { createdBy: actor.userId });
  await repo.setBatchJob(tx, job.batchId, jobId);
  return jobId;
}

/**
 * Validates a batch that is waiting for it. Inline (no job) a failure marks the batch failed and
 * is thrown to the caller; in a job the queue reports it through `onFailed`.
 */
async function validateBatch(ctx: AppContext, batchId: number, meta: RequestMeta, job?: RunningJob<ImportJob>): Promise<void> {
  try {
    await validateBatchOnce(ctx, batchId, meta, job);
  } catch (err) {
    if (!job) await repo.moveBatch(ctx.db, batchId, ['validating'], 'failed', { error: errorOf(err) });
    throw err;
  }
}

async function validateBatchOnce(ctx: AppContext, batchId: number, meta: RequestMeta, job?: RunningJob<ImportJob>): Promise<void> {
  const b = await repo.findBatch(ctx.db, batchId);
  if (!b || b.status !== 'validating') return; // done already, or superseded by a new mapping
  const actor = await actorOfUser(ctx, b.created_by);
  if (!actor) throw new AppError('forbidden');
  const file = await repo.batchFile(ctx.db, batchId);
  if (!file) throw tableProblem('file_missing');
  let consumed = 0;
  const table = await openTable(file, b.file_name, (n) => (consumed = n));
  const mapping = mapHeaders(table.headers, FIELDS_OF[b.kind], overridesOf(b));
  if (mapping.missingRequired.length) {
    await table.rows.return();
    throw AppError.invalid({ path: 'mapping', code: 'missing_columns', params: { fields: mapping.missingRequired.join(', ') } });
  }
  // The total to show while reading: a CSV's line count (a quoted newline makes it a little high),
  // else the pace through the file's bytes.
  const csvLines = table.format === 'csv' ? countLines(file) - table.headerLine : null;
  let rows: StoredRow[];
  try {
    rows = await validateRows(ctx.db, actor, b.kind, table.rows, mapping.fields, {
      maxRows: MAX_ROWS,
      signal: job?.signal,
      progress: (phase, done, total) => job?.progress({ phase, done, total }),
      estimateTotal: (done) => Math.max(done, csvLines ?? (consumed > 0 ? Math.round((done * file.length) / consumed) : done)),
    });
  } catch (err) {
    if (err instanceof TableError) throw tableProblem(err.code);
    if (err instanceof TooManyRowsError) throw tableProblem('table_too_many_rows');
    throw err;
  }
  const valid = rows.filter((r) => !r.errors.length).length;
  const duplicates = rows.filter((r) => r.duplicateOf).length;
  const summary = { ...summaryOf(table.headers, mapping), report: rows.filter(hasProblem).slice(0, PREVIEW_ROWS).map(withoutValues) };
  job?.progress({ phase: 'saving', done: 0, total: null });
  await ctx.db.transaction().execute(async (tx) => {
    const saved = await repo.savePreview(tx, batchId, { total_rows: rows.length, valid_rows: valid, invalid_rows: rows.length - valid, duplicate_rows: duplicates, summary, rows });
    if (saved) {
      await audit(ctx, tx, actor, meta, {
        action: 'import.preview',
        entityType: 'import_batch',
        entityId: batchId,
        after: { kind: b.kind, rows: rows.length, valid, invalid: rows.length - valid, duplicates },
      });
    }
    await job?.finish(tx);
  });
}

function countLines(bytes: Uint8Array): number {
  let lines = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines += 1;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? lines + 1 : lines;
}

const hasProblem = (r: StoredRow) => r.errors.length > 0 || r.warnings.length > 0;
const withoutValues = ({ values: _values, ...rest }: StoredRow): StoredRow => rest;

function errorOf(err: unknown): NonNullable<repo.BatchRecord['error']> {
  if (err instanceof AppError) {
    const first = (err.details?.errors as FieldError[] | undefined)?.[0];
    if (first && isFieldErrorCode(first.code)) return { code: first.code, ...(first.params && { params: first.params }) };
    return { code: err.code };
  }
  return { code: 'import_failed' };
}

// ---------------------------------------------------------------- column mapping

/**
 * Re-validates a batch with the user's mapping: field key → the header that feeds it, or null to
 * import nothing into that field. Fields not named keep the detected column.
 */
export async function setMapping(ctx: AppContext, actor: Actor, id: number, mapping: Record<string, string | null>, meta: RequestMeta): Promise<repo.BatchRecord> {
  assertMayImport(actor);
  const b = await loadOwnBatch(ctx.db, actor, id);
  if (b.status !== 'preview' && b.status !== 'failed') throw new AppError('conflict', { errors: [{ path: 'status', code: 'import_not_ready', params: { status: b.status } }] });
  if (b.file_size === 0) throw new AppError('conflict', { errors: [{ path: 'status', code: 'import_expired', params: { days: STALE_BATCH_DAYS } }] });
  const fields = FIELDS_OF[b.kind];
  const overrides = overridesOf(b);
  const current = mapHeaders(b.headers, fields, overrides);
  for (const [field, header] of Object.entries(mapping)) {
    if (!fields.some((f) => f.key === field)) throw AppError.invalid({ path: `mapping.${field}`, code: 'unknown_field', params: { field } });
    if (header === null) {
      const column = current.fields[field];
      if (column !== undefined) overrides[column] = null;
      continue;
    }
    const column = b.headers.indexOf(header);
    if (column < 0) throw AppError.invalid({ path: `mapping.${field}`, code: 'unknown_column', params: { name: header } });
    // The column moves to this field; the field's previous column (if another) stops feeding it.
    const previous = current.fields[field];
    if (previous !== undefined && previous !== column) overrides[previous] = null;
    overrides[column] = field;
  }
  const next = mapHeaders(b.headers, fields, overrides);
  if (next.missingRequired.length) throw AppError.invalid({ path: 'mapping', code: 'missing_columns', params: { fields: next.missingRequired.join(', ') } });

  const background = b.file_size > ctx.config.importBackgroundBytes;
  await ctx.db.transaction().execute(async (tx) => {
    const moved = await repo.moveBatch(tx, id, ['preview', 'failed'], 'validating', { mapping_override: overrides, error: null, job_id: null, background });
    if (!moved) throw new AppError('conflict', { errors: [{ path: 'status', code: 'import_not_ready', params: { status: 'validating' } }] });
    if (background) await enqueue(ctx, tx, actor, { batchId: id, step: 'validate' });
    await audit(ctx, tx, actor, meta, { action: 'import.mapping', entityType: 'import_batch', entityId: id, after: { mapping } });
  });
  if (background) ctx.jobs.wake();
  else await validateBatch(ctx, id, meta);
  return (await repo.findBatch(ctx.db, id))!;
}

// ---------------------------------------------------------------- commit

export async function commitImport(ctx: AppContext, actor: Actor, id: number, input: CommitInput, meta: RequestMeta): Promise<repo.BatchRecord> {
  assertMayImport(actor);
  const b = await loadOwnBatch(ctx.db, actor, id);
  // A second commit (a retried request, a double tap) does nothing and returns the batch.
  if (b.status === 'committed' || b.status === 'committing') return b;
  if (b.status !== 'preview') throw new AppError('conflict', { errors: [{ path: 'status', code: 'import_not_ready', params: { status: b.status } }] });
  if (input.mode === 'all_or_nothing' && b.invalid_rows > 0) {
    throw new AppError('conflict', { errors: [{ path: 'mode', code: 'import_has_invalid_rows', params: { count: b.invalid_rows } }] });
  }
  const skipDuplicates = input.skipDuplicates ?? true;
  if (b.background || b.valid_rows > COMMIT_INLINE_ROWS) {
    const jobId = await ctx.db.transaction().execute(async (tx) => {
      if (!(await repo.moveBatch(tx, id, ['preview'], 'committing', { error: null }))) return null; // another request got there first
      return enqueue(ctx, tx, actor, { batchId: id, step: 'commit', mode: input.mode, skipDuplicates });
    });
    // Answer from what we know: reading the batch again could wait behind the job's own
    // transaction (on PGlite, for as long as the commit takes).
    const answer = jobId === null ? await repo.findBatch(ctx.db, id) : { ...b, status: 'committing' as const, error: null, job_id: jobId };
    ctx.jobs.wake();
    return answer!;
  }
  await commitBatch(ctx, actor, id, { mode: input.mode, skipDuplicates }, meta);
  return (await repo.findBatch(ctx.db, id))!;
}

/** Writes a batch in one transaction, exactly once: a committed batch is left alone. */
async function commitBatch(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: { mode: CommitInput['mode']; skipDuplicates: boolean },
  meta: RequestMeta,
  job?: RunningJob<ImportJob>,
): Promise<void> {
  const changed = await ctx.db.transaction().execute(async (tx) => {
    const b = (await repo.findBatch(tx, id, { lock: true }))!;
    if (b.status === 'committed') {
      await job?.finish(tx);
      return false;
    }
    if (b.status !== 'preview' && b.status !== 'committing') throw new AppError('conflict', { errors: [{ path: 'status', code: 'import_not_ready', params: { status: b.status } }] });
    const rows = (await repo.batchRows(tx, id)) as StoredRow[];
    const invalid = rows.filter((r) => r.errors.length).length;
    if (input.mode === 'all_or_nothing' && invalid > 0) {
      throw new AppError('conflict', { errors: [{ path: 'mode', code: 'import_has_invalid_rows', params: { count: invalid } }] });
    }
    // Scope again: grants may have changed since the preview.
    const writable = rows.filter((r) => r.values && !r.errors.length && can(actor, 'registry.manage', r.values.regency_code));
    // An existing NIK (or a NIK twice in the file) can never be inserted; other duplicates on request.
    const toInsert = writable.filter((r) => !(r.duplicateOf && (r.duplicateOf.kind === 'nik' || input.skipDuplicates)));
    const progress = (done: number) => job?.progress({ phase: 'saving', done, total: toInsert.length });
    let inserted: number;
    if (b.kind === 'members') {
      const existing = await repo.membersByNik(tx, toInsert.flatMap((r) => ((r.values as repo.ImportMemberValues).nik ? [(r.values as repo.ImportMemberValues).nik!] : [])));
      const final = toInsert.filter((r) => !((r.values as repo.ImportMemberValues).nik && existing.has((r.values as repo.ImportMemberValues).nik!)));
      inserted = await repo.bulkInsertMembers(tx, final.map((r) => r.values as repo.ImportMemberValues), progress);
    } else {
      inserted = await repo.bulkInsertCommunities(tx, toInsert.map((r) => r.values as repo.ImportCommunityValues), progress);
    }
    const result = { mode: input.mode, skipDuplicates: input.skipDuplicates, inserted, skipped: rows.length - inserted };
    await repo.markCommitted(tx, id, result, rows.map(withoutValues));
    await audit(ctx, tx, actor, meta, { action: 'import.commit', entityType: 'import_batch', entityId: id, after: { kind: b.kind, ...result } });
    await job?.finish(tx);
    return true;
  });
  if (changed) invalidateRegistryDashboard();
}

// ---------------------------------------------------------------- background jobs

/** How long an uncommitted batch keeps the uploaded file and its rows. */
export const STALE_BATCH_DAYS = 30;

/** Housekeeping: forget the personal data of batches nobody committed. */
export function expireStaleImports(ctx: AppContext): Promise<number> {
  return repo.expireStaleBatches(ctx.db, STALE_BATCH_DAYS);
}

export function registerImportJobs(ctx: AppContext): void {
  ctx.jobs.register<ImportJob>(JOB_KIND, {
    async run(job) {
      const meta = { requestId: `job:${job.id}` };
      const { batchId } = job.payload;
      if (job.payload.step === 'validate') return validateBatch(ctx, batchId, meta, job);
      const b = await repo.findBatch(ctx.db, batchId);
      if (!b) return;
      const actor = await actorOfUser(ctx, b.created_by);
      if (!actor) throw new AppError('forbidden');
      await commitBatch(ctx, actor, batchId, { mode: job.payload.mode, skipDuplicates: job.payload.skipDuplicates }, meta, job);
    },
    async onFailed(db, payload, err) {
      // A failed validation leaves a failed batch (fix the mapping or upload again); a failed commit
      // goes back to the preview, nothing written, so it can be tried again.
      if (payload.step === 'validate') await repo.moveBatch(db, payload.batchId, ['validating'], 'failed', { error: errorOf(err) });
      else await repo.moveBatch(db, payload.batchId, ['committing'], 'preview', { error: errorOf(err) });
    },
  });
}

// ---------------------------------------------------------------- reading and presenting

export async function getImport(ctx: AppContext, actor: Actor, id: number): Promise<{ batch: repo.BatchRecord; progress: JobProgressView | null }> {
  assertMayImport(actor);
  const batch = await loadOwnBatch(ctx.db, actor, id);
  const running = batch.status === 'validating' || batch.status === 'committing';
  return { batch, progress: running && batch.job_id !== null ? await ctx.jobs.progress(batch.job_id) : null };
}

export async function listImports(ctx: AppContext, actor: Actor): Promise<repo.BatchRecord[]> {
  assertMayImport(actor);
  return repo.recentBatches(ctx.db, actor.userId, 20);
}

export async function importReportRows(ctx: AppContext, actor: Actor, id: number): Promise<{ batch: repo.BatchRecord; rows: StoredRow[] }> {
  const batch = await loadOwnBatch(ctx.db, actor, id);
  assertMayImport(actor);
  return { batch, rows: (await repo.batchRows(ctx.db, id)) as StoredRow[] };
}

const localise = (issues: RowIssue[], locale: Locale) =>
  issues.map((i) => ({ field: i.field, code: i.code, message: fieldMessage(i.code, locale, i.params) }));

export function presentRow(r: StoredRow, locale: Locale) {
  return {
    row: r.row,
    line: r.line,
    errors: localise(r.errors, locale),
    warnings: localise(r.warnings, locale),
    ...(r.duplicateOf && { duplicateOf: r.duplicateOf }),
  };
}

/** Field keys in a message's `fields` parameter ("name, regency") as the user's labels. */
function labelled(params: Record<string, string | number> | undefined, fields: readonly FieldSpec[], locale: Locale) {
  if (!params || typeof params.fields !== 'string') return params;
  const label = (key: string) => fields.find((f) => f.key === key)?.label[locale] ?? key;
  return { ...params, fields: params.fields.split(', ').map(label).join(', ') };
}

export function presentBatch(b: repo.BatchRecord, locale: Locale, opts: { progress?: JobProgressView | null; withReport?: boolean } = {}) {
  const fields = FIELDS_OF[b.kind];
  const error = b.error && {
    code: b.error.code,
    message: isFieldErrorCode(b.error.code) ? fieldMessage(b.error.code, locale, labelled(b.error.params, fields, locale)) : fieldMessage('import_failed', locale),
  };
  return {
    id: b.id,
    kind: b.kind,
    fileName: b.file_name,
    status: b.status,
    rows: b.total_rows,
    valid: b.valid_rows,
    invalid: b.invalid_rows,
    duplicates: b.duplicate_rows,
    mapping: b.summary.mapping,
    unmapped: b.summary.unmapped,
    headers: b.headers,
    fields: fields.map((f) => ({ key: f.key, label: f.label[locale], required: f.required ?? false })),
    createdAt: b.created_at,
    background: b.background,
    progress: opts.progress ?? null,
    error,
    result: b.result,
    report: opts.withReport === false ? [] : ((b.summary.report ?? []) as StoredRow[]).map((r) => presentRow(r, locale)),
  };
}
