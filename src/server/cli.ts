/**
 * The `simpul` command line: operator tasks that need no browser.
 *   simpul admin create --email E --name N   (password from SIMPUL_ADMIN_PASSWORD or asked for)
 *   simpul backup [FILE]                      (embedded database: a tarball of the data folder; server: pg_dump)
 *   simpul restore FILE [--force]
 *   simpul audit verify
 *   simpul demo [--members N] [--communities N] [--chapters N] [--seed S]   (an empty registry only)
 *   simpul dedup [--region CODE]              (a deduplication run of the beneficiary registry, with progress)
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
import { createNationalAdmin } from './modules/identity/service.ts';
import { MIN_PASSWORD_LENGTH, SetupInput } from './modules/identity/schemas.ts';
import { AppError, errorMessage, fieldMessage, isFieldErrorCode, type FieldError } from './platform/errors.ts';
import { onDedupProgress, registerDedupJobs, runProgress, startDedupRun } from './modules/beneficiaries/dedup-run.service.ts';
import { findRun } from './modules/beneficiaries/dedup-run.repository.ts';
import { PGlite } from '@electric-sql/pglite';

const USAGE = `Usage:
  simpul admin create --email EMAIL --name NAME   create a national admin (password: SIMPUL_ADMIN_PASSWORD or prompt)
  simpul backup [FILE]                            write a backup (default: <data>/backups/simpul-<time>.tar.gz)
  simpul restore FILE [--force]                   replace the database with a backup
  simpul audit verify                             check the audit log's hash chain
  simpul demo [--members N] [--communities N] [--chapters N] [--seed S]
                                                  fill an empty registry with demo data (default 100000 members, 5000 communities, 300 chapters)
  simpul dedup [--region CODE]                    find duplicate beneficiaries (a province or regency, default all) and queue them for review`;

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
  console.log(USAGE);
  return command ? 2 : 0;
}

const clock = (seconds: number | null) => (seconds === null ? '?' : seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`);

/**
 * A deduplication run from the command line. The run is enqueued like one started from the web,
 * then this process works the queue itself (only dedup runs): on the embedded database it owns the
 * folder (opening it fails while the server runs), on PostgreSQL a server's worker may take the
 * job first, and this process then follows the progress the worker stores until the run ends.
 */
async function dedup(ctx: ReturnType<typeof contextFor>, regionCode: string | null): Promise<number> {
  registerDedupJobs(ctx);
  let run;
  try {
    run = await startDedupRun(ctx, { cli: true }, { regionCode }, { requestId: 'cli' });
  } catch (err) {
    if (err instanceof AppError) {
      const first = (err.details?.errors as FieldError[] | undefined)?.[0];
      throw new CliError(first && isFieldErrorCode(first.code) ? fieldMessage(first.code, 'en', first.params) : errorMessage(err.code, 'en'));
    }
    throw err;
  }
  const jobId = Number((await findRun(ctx.db, run.id))!.job_id);
  console.log(`Deduplication run #${run.id} (${regionCode ?? 'whole registry'}) queued as job ${jobId}.`);
  const started = Date.now();
  const line = (p: { phase: string; done: number; total: number | null; etaSeconds: number | null }) =>
    console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${p.phase.padEnd(10)} ${p.done}${p.total === null ? '' : `/${p.total}`}  time left ${clock(p.etaSeconds)}`);
  // In this process: a line at each phase, and at most one a second within a phase.
  let last = { phase: '', at: 0 };
  const off = onDedupProgress((runId, p) => {
    if (runId !== run.id) return;
    const now = Date.now();
    if (p.phase === last.phase && now - last.at < 1000 && p.done !== p.total) return;
    last = { phase: p.phase, at: now };
    // The queue's view adds the time left at the pace of the phase (read from memory, at once).
    void ctx.jobs.progress(jobId).then((view) => line(view ?? { ...p, etaSeconds: null }));
  });
  try {
    await ctx.jobs.drain();
  } finally {
    off();
  }
  // Another process took the job (PostgreSQL): follow it.
  for (;;) {
    const row = (await findRun(ctx.db, run.id))!;
    if (row.status === 'done' || row.status === 'failed') break;
    const p = await runProgress(ctx, row);
    if (p) line(p);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const done = (await findRun(ctx.db, run.id))!;
  if (done.status === 'failed') {
    console.error(`Deduplication run #${run.id} failed: ${done.error}`);
    return 1;
  }
  const c = done.counts as { records: number; candidatePairs: number; clearMatches: number; greyZone: number; queued: number; alreadyInQueue: number; timings: { total: number } };
  console.log(
    `Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${c.records} records, ${c.candidatePairs} candidate pairs compared, ` +
      `${c.clearMatches} clear matches and ${c.greyZone} in the grey zone; ${c.queued} pairs queued for review (${c.alreadyInQueue} already queued or decided).`,
  );
  return 0;
}
