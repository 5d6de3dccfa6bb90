/**
 * The `simpul` command line: operator tasks that need no browser.
 *   simpul admin create --email E --name N   (password from SIMPUL_ADMIN_PASSWORD or asked for)
 *   simpul backup [FILE]                      (embedded database: a tarball of the data folder; server: pg_dump)
 *   simpul restore FILE [--force]
 *   simpul audit verify
 *   simpul demo [--members N] [--communities N] [--chapters N] [--seed S]   (an empty registry only)
 *   simpul dedup [--region CODE]              (a deduplication run of the beneficiary registry, with progress)
 *   simpul import beneficiaries FILE [--consent-purpose P] [--consent-version N] [--as EMAIL] [--skip-invalid] [--lang id|en]
 *   simpul import members|communities FILE [--as EMAIL] [--skip-invalid] [--lang id|en]
 *                                             (a CSV or XLSX through the same service and background job as the web's import, with progress)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { contextFor, pgliteFolder } from './app.ts';
import { AuditLog } from './platform/audit.ts';
import { loadConfig, type Config } from './platform/config.ts';
import { acquireFolderLock, openEngine, PGLITE_EXTENSIONS, type Engine } from './platform/db.ts';
import { migrate } from './platform/migrate.ts';
import { loadReferenceData } from './modules/reference.ts';
import { DEMO_DEFAULTS, DemoRefusedError, seedDemoData } from './modules/registry/demo.ts';
import { actorOfUser, createNationalAdmin } from './modules/identity/service.ts';
import { MIN_PASSWORD_LENGTH, SetupInput } from './modules/identity/schemas.ts';
import { AppError, errorMessage, fieldMessage, isFieldErrorCode, type FieldError, type Locale } from './platform/errors.ts';
import { registerDedupJobs, startDedupRun } from './modules/beneficiaries/dedup-run.service.ts';
import { findRun } from './modules/beneficiaries/dedup-run.repository.ts';
import { BENEFICIARY_FIELDS, createBeneficiaryImport, getBeneficiaryImport, registerBeneficiaryImportJobs } from './modules/beneficiaries/beneficiary-import.service.ts';
import { currentConsentVersion } from './modules/beneficiaries/repository.ts';
import { commitImport, createImport, getImport, presentBatch, registerImportJobs } from './modules/registry/import.service.ts';
import type * as repo from './modules/registry/import.repository.ts';
import type { Actor } from './platform/access.ts';
import type { AppContext } from './platform/context.ts';
import { JobFollower, ProgressPrinter } from './cli-progress.ts';
import { PGlite } from '@electric-sql/pglite';

const IMPORT_USAGE_LINES = `  simpul import beneficiaries FILE [--consent-purpose P] [--consent-version N] [--as EMAIL] [--skip-invalid] [--lang id|en]
  simpul import members FILE [--as EMAIL] [--skip-invalid] [--lang id|en]
  simpul import communities FILE [--as EMAIL] [--skip-invalid] [--lang id|en]
                                                  import a CSV or XLSX as a background job, with progress; acts as the one national admin
                                                  unless --as names a user; consent defaults to "programmes" at its current version;
                                                  invalid rows stop a member or community import (exit 1) unless --skip-invalid`;
const IMPORT_USAGE = `Usage:\n${IMPORT_USAGE_LINES}`;

const USAGE = `Usage:
  simpul admin create --email EMAIL --name NAME   create a national admin (password: SIMPUL_ADMIN_PASSWORD or prompt)
  simpul backup [FILE]                            write a backup (default: <data>/backups/simpul-<time>.tar.gz)
  simpul restore FILE [--force]                   replace the database with a backup
  simpul audit verify                             check the audit log's hash chain
  simpul demo [--members N] [--communities N] [--chapters N] [--seed S]
                                                  fill an empty registry with demo data (default 100000 members, 5000 communities, 300 chapters)
  simpul dedup [--region CODE]                    find duplicate beneficiaries (a province or regency, default all) and queue them for review
${IMPORT_USAGE_LINES}`;

export class CliError extends Error {}

async function withEngine<T>(config: Config, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await openEngine({
    databaseUrl: config.databaseUrl,
    pgliteDir: pgliteFolder(config),
    poolSize: 2,
  });
  try {
    await migrate(engine);
    await loadReferenceData(engine);
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

async function askPassword(): Promise<string> {
  if (process.env.SIMPUL_ADMIN_PASSWORD) return process.env.SIMPUL_ADMIN_PASSWORD;
  if (!process.stdin.isTTY) throw new CliError('Set SIMPUL_ADMIN_PASSWORD or run in a terminal to type the password.');
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(`Password (at least ${MIN_PASSWORD_LENGTH} characters): `);
  } finally {
    rl.close();
  }
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..+/, '').replace('T', '-');
}

export async function backup(config: Config, file?: string): Promise<string> {
  const target = path.resolve(file ?? path.join(config.dataDir, 'backups', `simpul-${timestamp()}.${config.databaseUrl ? 'dump' : 'tar.gz'}`));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (config.databaseUrl) {
    const r = spawnSync('pg_dump', ['--format=custom', '--no-owner', '--file', target, config.databaseUrl], { stdio: 'inherit' });
    if (r.error || r.status !== 0) throw new CliError(`pg_dump failed${r.error ? `: ${r.error.message}` : ''}`);
    return target;
  }
  const dir = pgliteFolder(config);
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) throw new CliError(`No database in ${dir}.`);
  // Opening takes the folder lock: a running server makes this fail with a clear message instead of copying a moving target.
  const engine = await openEngine({ pgliteDir: dir });
  try {
    const dump = await engine.pglite!.dumpDataDir('gzip');
    const tmp = `${target}.partial`;
    fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(tmp, target);
  } finally {
    await engine.close();
  }
  return target;
}

export async function restore(config: Config, file: string, opts: { force: boolean }): Promise<{ movedAside?: string }> {
  const source = path.resolve(file);
  if (!fs.existsSync(source)) throw new CliError(`No such file: ${source}`);
  if (config.databaseUrl) {
    const r = spawnSync('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--dbname', config.databaseUrl, source], {
      stdio: 'inherit',
    });
    if (r.error || r.status !== 0) throw new CliError(`pg_restore failed${r.error ? `: ${r.error.message}` : ''}`);
    return {};
  }
  const dir = pgliteFolder(config);
  const hasData = fs.existsSync(path.join(dir, 'PG_VERSION'));
  if (hasData && !opts.force) throw new CliError(`${dir} already holds a database. Use --force to replace it (it is kept aside, not deleted).`);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const release = acquireFolderLock(dir);
  const staging = `${dir}.restoring`;
  let movedAside: string | undefined;
  try {
    fs.rmSync(staging, { recursive: true, force: true });
    // Restore into a staging folder first: a bad or truncated backup must not cost the current database.
    const pglite = await PGlite.create({ dataDir: staging, loadDataDir: new Blob([fs.readFileSync(source)]), extensions: PGLITE_EXTENSIONS });
    await pglite.query('SELECT 1 FROM schema_migrations LIMIT 1');
    await pglite.close();
    if (hasData) {
      movedAside = `${dir}.before-restore-${timestamp()}`;
      fs.renameSync(dir, movedAside);
    }
    fs.renameSync(staging, dir);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (err instanceof CliError) throw err;
    throw new CliError(`The backup could not be restored: ${(err as Error).message}`);
  } finally {
    release();
  }
  return { movedAside };
}

export async function runCli(argv: string[], config: Config = loadConfig()): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === 'admin' && sub === 'create') {
    const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' } } });
    if (!values.email || !values.name) throw new CliError('admin create needs --email and --name');
    // The same rules as the setup page: a bad address or a short password is refused here too.
    const input = SetupInput.safeParse({ email: values.email, name: values.name, password: await askPassword() });
    if (!input.success) {
      throw new CliError(input.error.issues.map((i) => `${i.path.join('.')}: ${isFieldErrorCode(i.message) ? fieldMessage(i.message, 'en') : i.message}`).join('\n'));
    }
    const id = await withEngine(config, (engine) =>
      createNationalAdmin(contextFor(config, engine), input.data, { onlyIfEmpty: false, actorLabel: 'cli' }),
    );
    console.log(`National admin ${values.email} created (user ${id}).`);
    return 0;
  }
  if (command === 'backup') {
    const file = await backup(config, sub);
    console.log(`Backup written: ${file} (${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB)`);
    return 0;
  }
  if (command === 'restore') {
    const { values, positionals } = parseArgs({ args: [sub, ...rest].filter(Boolean), options: { force: { type: 'boolean' } }, allowPositionals: true });
    if (!positionals[0]) throw new CliError('restore needs a backup file');
    const { movedAside } = await restore(config, positionals[0], { force: !!values.force });
    console.log(`Restored from ${positionals[0]}.${movedAside ? ` The previous database was kept in ${movedAside}.` : ''}`);
    return 0;
  }
  if (command === 'audit' && sub === 'verify') {
    const result = await withEngine(config, async (engine) => {
      const last = await engine.db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
      return { ...(await new AuditLog(engine.db).verify()), head: last };
    });
    if (result.ok) {
      // The head hash is worth writing down elsewhere: it also proves later that nothing was cut off the end.
      console.log(`Audit log OK: ${result.checked} entries, head #${result.head?.id ?? 0} ${result.head?.hash ?? '(empty)'}`);
      return 0;
    }
    console.error(`Audit log BROKEN at entry #${result.brokenAt}: ${result.problem} (${result.checked} entries verified before it)`);
    return 1;
  }
  if (command === 'demo') {
    const { values } = parseArgs({
      args: [sub, ...rest].filter(Boolean),
      options: { members: { type: 'string' }, communities: { type: 'string' }, chapters: { type: 'string' }, seed: { type: 'string' } },
    });
    const count = (name: 'members' | 'communities' | 'chapters') => {
      const text = values[name];
      if (text === undefined) return DEMO_DEFAULTS[name];
      if (!/^\d+$/.test(text)) throw new CliError(`--${name} needs a whole number, not "${text}"`);
      return Number(text);
    };
    const opts = { members: count('members'), communities: count('communities'), chapters: count('chapters'), seed: values.seed ?? DEMO_DEFAULTS.seed };
    const started = performance.now();
    const report = await withEngine(config, (engine) =>
      seedDemoData(engine, opts).catch((err: unknown) => {
        throw err instanceof DemoRefusedError ? new CliError(`${err.message} Use a new data folder or database for a demo.`) : err;
      }),
    );
    console.log(
      `Demo data (seed "${opts.seed}"): ${report.chapters} chapters, ${report.communities} communities, ${report.members} members ` +
        `(${report.memberSubsectors} subsector links, ${report.memberCommunities} community memberships), ${report.partners} partners.`,
    );
    console.log(
      `Seeded in ${(report.totalMs / 1000).toFixed(1)} s (generate ${(report.generateMs / 1000).toFixed(1)} s, insert ${(report.insertMs / 1000).toFixed(1)} s); ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s in all, with opening the database.`,
    );
    return 0;
  }
  if (command === 'dedup') {
    const { values } = parseArgs({ args: [sub, ...rest].filter(Boolean), options: { region: { type: 'string' } } });
    return withEngine(config, (engine) => dedup(contextFor(config, engine), values.region ?? null));
  }
  if (command === 'import') {
    const opts = parseImportArgs([sub, ...rest].filter(Boolean));
    // Every import runs as a background job, whatever its size: it survives a restart, and the command shows its progress.
    const importConfig = { ...config, importBackgroundBytes: 0 };
    return withEngine(importConfig, (engine) => runImport(contextFor(importConfig, engine), opts));
  }
  console.log(USAGE);
  return command ? 2 : 0;
}

/**
 * A deduplication run from the command line. The run is enqueued like one started from the web,
 * then this process works the queue itself (only dedup runs): on the embedded database it owns the
 * folder (opening it fails while the server runs), on PostgreSQL a server's worker may take the
 * job first, and this process then follows the progress the worker stores until the run ends.
 */
async function dedup(base: AppContext, regionCode: string | null): Promise<number> {
  const follower = new JobFollower(base);
  const { ctx } = follower;
  registerDedupJobs(ctx);
  let run;
  try {
    run = await startDedupRun(ctx, { cli: true }, { regionCode }, { requestId: 'cli' });
  } catch (err) {
    throw cliErrorOf(err, 'en');
  }
  const jobId = Number((await findRun(ctx.db, run.id))!.job_id);
  console.log(`Deduplication run #${run.id} (${regionCode ?? 'whole registry'}) queued as job ${jobId}.`);
  const printer = new ProgressPrinter();
  await follower.follow(jobId, printer, async () => ['done', 'failed'].includes((await findRun(ctx.db, run.id))!.status));
  const done = (await findRun(ctx.db, run.id))!;
  if (done.status === 'failed') {
    console.error(`Deduplication run #${run.id} failed: ${done.error}`);
    return 1;
  }
  const c = done.counts as { records: number; candidatePairs: number; clearMatches: number; greyZone: number; queued: number; alreadyInQueue: number; timings: { total: number } };
  console.log(
    `Done in ${printer.elapsed()} s: ${c.records} records, ${c.candidatePairs} candidate pairs compared, ` +
      `${c.clearMatches} clear matches and ${c.greyZone} in the grey zone; ${c.queued} pairs queued for review (${c.alreadyInQueue} already queued or decided).`,
  );
  return 0;
}

/** A rule that said no, as one line in the operator's language. */
function cliErrorOf(err: unknown, lang: Locale): unknown {
  if (!(err instanceof AppError)) return err;
  const first = (err.details?.errors as FieldError[] | undefined)?.[0];
  return new CliError(first && isFieldErrorCode(first.code) ? fieldMessage(first.code, lang, first.params) : errorMessage(err.code, lang, err.params));
}

// ---------------------------------------------------------------- imports

const IMPORT_KINDS = ['beneficiaries', 'members', 'communities'] as const;
type CliImportKind = (typeof IMPORT_KINDS)[number];
/** How many problem rows the summary prints; the web's import page and report.csv have them all. */
const PROBLEMS_SHOWN = 10;

interface ImportOptions {
  kind: CliImportKind;
  file: string;
  as?: string;
  lang: Locale;
  skipInvalid: boolean;
  consentPurpose?: string;
  consentVersion?: number;
}

function parseImportArgs(args: string[]): ImportOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        as: { type: 'string' },
        lang: { type: 'string' },
        'skip-invalid': { type: 'boolean' },
        'consent-purpose': { type: 'string' },
        'consent-version': { type: 'string' },
      },
    });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${IMPORT_USAGE}`);
  }
  const { values, positionals } = parsed;
  const [kind, file, ...extra] = positionals;
  if (!IMPORT_KINDS.includes(kind as CliImportKind) || !file || extra.length) throw new CliError(IMPORT_USAGE);
  const lang = values.lang ?? 'id';
  if (lang !== 'id' && lang !== 'en') throw new CliError(`--lang is id or en, not "${lang}"`);
  const consentVersion = values['consent-version'];
  if (consentVersion !== undefined && !/^[1-9]\d*$/.test(consentVersion)) throw new CliError(`--consent-version needs a whole number, not "${consentVersion}"`);
  if (kind !== 'beneficiaries' && (values['consent-purpose'] !== undefined || consentVersion !== undefined)) {
    throw new CliError('--consent-purpose and --consent-version are for beneficiary imports only');
  }
  return {
    kind: kind as CliImportKind,
    file,
    as: values.as,
    lang,
    skipInvalid: !!values['skip-invalid'],
    consentPurpose: values['consent-purpose'],
    consentVersion: consentVersion === undefined ? undefined : Number(consentVersion),
  };
}

/**
 * Who the import acts as. Every import belongs to a user (the job acts as them, with their scope,
 * and the batch shows on their import page), unlike a dedup run, which needs no account: the named
 * user, or the one national admin when there is exactly one.
 */
async function actingUser(ctx: AppContext, email: string | undefined): Promise<Actor> {
  let userId: number;
  if (email !== undefined) {
    const user = await ctx.db.selectFrom('users').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
    if (!user) throw new CliError(`No user with the email address ${email}.`);
    userId = Number(user.id);
  } else {
    const admins = await ctx.db
      .selectFrom('role_assignments as ra')
      .innerJoin('users', 'users.id', 'ra.user_id')
      .select(['users.id', 'users.email'])
      .distinct()
      .where('ra.role', '=', 'national_admin')
      .where('users.status', '=', 'active')
      .orderBy('users.id')
      .execute();
    if (admins.length === 0) throw new CliError('There is no national admin yet: create one with `simpul admin create`, or name the importing user with --as EMAIL.');
    if (admins.length > 1) throw new CliError(`There are ${admins.length} national admins (${admins.map((a) => a.email).join(', ')}): name the importing user with --as EMAIL.`);
    userId = Number(admins[0]!.id);
  }
  const actor = await actorOfUser(ctx, userId);
  if (!actor) throw new CliError(`${email ?? 'The national admin'} is not an active user.`);
  return actor;
}

const rowsText = (n: number) => (n === 1 ? '1 row' : `${n} rows`);
const sizeOf = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** "line 5, NIK: NIK harus 16 angka." for the first problem rows, and how many more there are. */
function printProblems(rows: { line: number; issues: { field: string | null; message: string }[] }[], total: number) {
  if (!rows.length) return;
  console.log(`Problems in ${total > PROBLEMS_SHOWN ? `the first ${PROBLEMS_SHOWN} of ${total} rows` : rowsText(total)}:`);
  for (const r of rows.slice(0, PROBLEMS_SHOWN)) {
    for (const i of r.issues) console.log(`  line ${r.line}${i.field ? `, ${i.field}` : ''}: ${i.message}`);
  }
  if (total > PROBLEMS_SHOWN) console.log(`  … and ${total - PROBLEMS_SHOWN} more rows.`);
}

const STOP_HINT = 'Stopping this command does not lose the job: the server, or the next simpul command that works the queue, carries it on.';

async function runImport(base: AppContext, opts: ImportOptions): Promise<number> {
  const follower = new JobFollower(base);
  const { ctx } = follower;
  const file = path.resolve(opts.file);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new CliError(`No such file: ${file}`);
  const body = fs.readFileSync(file);
  const actor = await actingUser(ctx, opts.as);
  const input = { fileName: path.basename(file), body };
  try {
    return opts.kind === 'beneficiaries'
      ? await importBeneficiaries(follower, actor, input, opts)
      : await importRegistry(follower, actor, opts.kind, input, opts);
  } catch (err) {
    throw cliErrorOf(err, opts.lang);
  }
}

async function importBeneficiaries(follower: JobFollower, actor: Actor, input: { fileName: string; body: Buffer }, opts: ImportOptions): Promise<number> {
  const { ctx } = follower;
  registerBeneficiaryImportJobs(ctx);
  const purpose = opts.consentPurpose ?? 'programmes';
  // Without a version, the text people are asked to agree to today: every row is checked against it anyway.
  const version = opts.consentVersion ?? (await currentConsentVersion(ctx.db, purpose));
  if (version === undefined) throw new CliError(fieldMessage('unknown_consent_purpose', opts.lang, { purpose }));
  const batch = await createBeneficiaryImport(ctx, actor, { ...input, consentPurpose: purpose, consentVersion: version }, { requestId: 'cli' });
  const jobId = Number((await ctx.db.selectFrom('beneficiary_import_batches').select('job_id').where('id', '=', batch.id).executeTakeFirstOrThrow()).job_id);
  console.log(
    `Beneficiary import #${batch.id} (${input.fileName}, ${sizeOf(input.body.length)}) as ${actor.email}, consent "${purpose}" version ${version}: queued as job ${jobId}.`,
  );
  console.log(STOP_HINT);
  const printer = new ProgressPrinter({ unit: 'rows' });
  const current = () => getBeneficiaryImport(ctx, actor, batch.id, opts.lang);
  await follower.follow(jobId, printer, async () => ['done', 'failed'].includes((await current()).status));
  const done = await current();
  if (done.status === 'failed') {
    console.error(`Beneficiary import #${batch.id} failed: ${done.error}`);
    return 1;
  }
  const c = { rows: 0, new: 0, linked: 0, queued: 0, invalid: 0, replayed: 0, ...done.counts };
  console.log(
    `Done in ${printer.elapsed()} s: ${rowsText(c.rows)}; ${c.new} new ${c.new === 1 ? 'person' : 'people'}, ${c.linked} linked to a registered person, ` +
      `${c.queued} queued for review as possible duplicates, ${c.invalid} not registered.`,
  );
  const label = (path: string) => {
    const key = path.split('.')[0];
    return key === 'row' ? null : (BENEFICIARY_FIELDS.find((f) => f.key === key)?.label[opts.lang] ?? path);
  };
  printProblems(
    done.problems.map((p) => ({ line: p.line, issues: p.errors.map((e) => ({ field: label(e.path), message: e.message })) })),
    c.invalid,
  );
  if (c.invalid > 0 && !opts.skipInvalid) {
    console.error(`Not registered: ${rowsText(c.invalid)}. Correct them and import those rows again (or accept this with --skip-invalid).`);
    return 1;
  }
  return 0;
}

async function importRegistry(
  follower: JobFollower,
  actor: Actor,
  kind: 'members' | 'communities',
  input: { fileName: string; body: Buffer },
  opts: ImportOptions,
): Promise<number> {
  const { ctx } = follower;
  registerImportJobs(ctx);
  const started = Date.now();
  const noun = kind === 'members' ? 'Member' : 'Community';
  const meta = { requestId: 'cli' };
  let batch = await createImport(ctx, actor, { kind, ...input }, meta);
  console.log(`${noun} import #${batch.id} (${input.fileName}, ${sizeOf(input.body.length)}) as ${actor.email}: checking the rows in job ${batch.job_id ?? '–'}.`);
  const printer = () => new ProgressPrinter({ unit: 'rows' });
  const follow = async (jobId: number | null, busy: repo.BatchStatus, p: ProgressPrinter) => {
    if (jobId !== null) await follower.follow(jobId, p, async () => (await getImport(ctx, actor, batch.id)).batch.status !== busy);
    return (await getImport(ctx, actor, batch.id)).batch;
  };
  if (batch.status === 'validating') {
    console.log(STOP_HINT);
    const checking = printer();
    batch = await follow(batch.job_id, 'validating', checking);
    if (batch.status === 'preview') {
      console.log(`Checked in ${checking.elapsed()} s: ${rowsText(batch.total_rows)}, ${batch.valid_rows} valid, ${batch.invalid_rows} invalid, ${batch.duplicate_rows} possible duplicates.`);
    }
  }
  const shown = presentBatch(batch, opts.lang);
  if (batch.status !== 'preview') {
    console.error(`${noun} import #${batch.id} failed: ${shown.error?.message ?? batch.status}`);
    return 1;
  }
  const labels = new Map(shown.fields.map((f) => [f.key, f.label]));
  const invalidRows = shown.report.filter((r) => r.errors.length);
  printProblems(
    invalidRows.map((r) => ({ line: r.line, issues: r.errors.map((e) => ({ field: labels.get(e.field) ?? e.field, message: e.message })) })),
    batch.invalid_rows,
  );
  if (batch.invalid_rows > 0 && !opts.skipInvalid) {
    console.error(`Nothing imported: ${rowsText(batch.invalid_rows)} invalid. Correct them and import again, or import the valid rows only with --skip-invalid.`);
    return 1;
  }
  if (batch.valid_rows === 0) {
    console.log('Nothing to import.');
    return batch.invalid_rows > 0 ? 1 : 0;
  }
  // All or nothing when every row is valid: should that change before the commit, it refuses rather than leave rows out.
  batch = await commitImport(ctx, actor, batch.id, { mode: batch.invalid_rows > 0 ? 'valid_only' : 'all_or_nothing' }, meta);
  if (batch.status === 'committing') {
    console.log(`Importing ${batch.valid_rows} valid ${batch.valid_rows === 1 ? 'row' : 'rows'} in job ${batch.job_id ?? '–'}.`);
    batch = await follow(batch.job_id, 'committing', printer());
  }
  if (batch.status !== 'committed') {
    console.error(`${noun} import #${batch.id} was not committed: ${presentBatch(batch, opts.lang).error?.message ?? batch.status}`);
    return 1;
  }
  const result = batch.result as { inserted: number; skipped: number };
  console.log(
    `Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.inserted} ${kind} added; ${rowsText(result.skipped)} left out (invalid, or already in the registry).`,
  );
  return 0;
}
