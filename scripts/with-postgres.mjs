#!/usr/bin/env node
/**
 * Runs a command against a throwaway PostgreSQL cluster:
 *
 *   node scripts/with-postgres.mjs vitest run
 *
 * When SIMPUL_TEST_DATABASE_URL is already set the command just runs against that server.
 * Otherwise this finds the PostgreSQL server binaries (installing Debian's `postgresql` when
 * they are missing and we are root), creates a cluster in a temp folder, starts it on a free
 * port of 127.0.0.1, runs the command with SIMPUL_TEST_DATABASE_URL set, then stops the
 * cluster and deletes the folder, also on Ctrl-C, and exits with the command's exit code.
 *
 * Other scripts (benchmarks) reuse `startThrowawayPostgres()`.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './lib/net.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function log(msg) {
  process.stderr.write(`[with-postgres] ${msg}\n`);
}

function hasServer(dir) {
  return Boolean(dir) && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'postgres'));
}

/** The folder holding `initdb` and `postgres`, newest major version first; null when none is installed. */
export function findPostgresBinDir() {
  if (hasServer(process.env.PG_BINDIR)) return process.env.PG_BINDIR;
  const base = '/usr/lib/postgresql';
  if (fs.existsSync(base)) {
    const versions = fs
      .readdirSync(base)
      .filter((v) => hasServer(path.join(base, v, 'bin')))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    if (versions.length) return path.join(base, versions[0], 'bin');
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (hasServer(dir)) return dir;
  } catch {
    // no pg_config on PATH
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (hasServer(dir)) return dir;
  }
  return null;
}

function installPostgres() {
  if (!isRoot) {
    throw new Error(
      'PostgreSQL server binaries (initdb, postgres) were not found. Install them (Debian: apt-get install postgresql) or set SIMPUL_TEST_DATABASE_URL.',
    );
  }
  log('PostgreSQL server binaries not found: installing Debian package "postgresql"…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'postgresql']]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  }
}

/** uid/gid of the `postgres` system user: the server refuses to run as root. */
function postgresUser() {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('Running as root but there is no "postgres" user to run the server as (install the postgresql package).');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitUntilAccepting(url, server, logFile, timeoutMs) {
  const { default: pg } = await import('pg');
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`PostgreSQL exited during start-up (${server.exitCode ?? server.signalCode}):\n${tail(logFile)}`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (err) {
      lastErr = err;
      await client.end().catch(() => {});
      await sleep(100);
    }
  }
  throw new Error(`PostgreSQL did not accept connections within ${timeoutMs / 1000} s (${lastErr?.message}):\n${tail(logFile)}`);
}

/**
 * Creates and starts a throwaway PostgreSQL cluster on 127.0.0.1 (trust auth, fsync off).
 * Returns its URL (`postgres://postgres@127.0.0.1:<port>/postgres`) and `stop()`, which shuts it
 * down and deletes its folder. Stop it also when your script fails.
 */
export async function startThrowawayPostgres({ quiet = false, settings = {} } = {}) {
  const startedAt = performance.now();
  let binDir = findPostgresBinDir();
  if (!binDir) {
    installPostgres();
    binDir = findPostgresBinDir();
    if (!binDir) throw new Error('PostgreSQL was installed but initdb/postgres are still not found.');
  }
  const owner = isRoot ? postgresUser() : null;
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simpul-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);

  try {
    const init = spawnSync(
      path.join(binDir, 'initdb'),
      ['-D', dataDir, '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'],
      { ...asOwner, cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (init.status !== 0) throw new Error(`initdb failed (exit ${init.status ?? init.signal}):\n${init.stdout}\n${init.stderr}`);
  } catch (err) {
    removeDir();
    throw err;
  }

  const options = {
    listen_addresses: '127.0.0.1',
    max_connections: '200',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    shared_buffers: '128MB',
    ...settings,
  };

  let server;
  let port;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const logFd = fs.openSync(logFile, 'a');
    if (owner) fs.fchownSync(logFd, owner.uid, owner.gid);
    const args = ['-D', dataDir, '-p', String(port), '-k', dir];
    for (const [k, v] of Object.entries(options)) args.push('-c', `${k}=${v}`);
    server = spawn(path.join(binDir, 'postgres'), args, { ...asOwner, cwd: dir, stdio: ['ignore', logFd, logFd] });
    fs.closeSync(logFd);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    try {
      await waitUntilAccepting(url, server, logFile, 30_000);
      break;
    } catch (err) {
      await stopServer(server);
      // Another process may have taken the port between probing and binding: try once more.
      if (attempt < 2 && /could not bind|Address already in use/i.test(tail(logFile))) continue;
      removeDir();
      throw err;
    }
  }

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const version = path.basename(path.dirname(binDir));
  if (!quiet) log(`PostgreSQL ${version} ready on 127.0.0.1:${port} in ${((performance.now() - startedAt) / 1000).toFixed(1)} s (${dir})`);

  let stopped;
  return {
    url,
    port,
    dir,
    binDir,
    stop() {
      stopped ??= stopServer(server).finally(removeDir);
      return stopped;
    },
  };
}

/** Fast shutdown (SIGINT); escalate if the server does not go within 10 s. */
function stopServer(server) {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
    server.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    server.kill('SIGINT');
  });
}

async function main(argv) {
  if (argv.length === 0) {
    console.error('usage: node scripts/with-postgres.mjs <command> [args…]');
    return 2;
  }
  const env = { ...process.env };
  // So `node scripts/with-postgres.mjs vitest run` works also outside `npm run`.
  env.PATH = [path.join(ROOT, 'node_modules', '.bin'), env.PATH].filter(Boolean).join(path.delimiter);

  let pgServer = null;
  if (!env.SIMPUL_TEST_DATABASE_URL) {
    pgServer = await startThrowawayPostgres();
    env.SIMPUL_TEST_DATABASE_URL = pgServer.url;
  }

  let interrupted = null;
  const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit', env });
  const forward = (signal) => {
    interrupted = signal;
    // A terminal's Ctrl-C reaches the whole process group already; a SIGTERM sent only to us does not.
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  process.on('SIGHUP', forward);

  const code = await new Promise((resolve) => {
    child.on('error', (err) => {
      console.error(`[with-postgres] could not run ${argv[0]}: ${err.message}`);
      resolve(127);
    });
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 128 + (os.constants.signals[signal] ?? 1) : 1)));
  });
  if (pgServer) await pgServer.stop();
  if (interrupted && code === 0) return 128 + (os.constants.signals[interrupted] ?? 1);
  return code;
}

const invokedDirectly = process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`[with-postgres] ${err.message}`);
      process.exit(1);
    },
  );
}
