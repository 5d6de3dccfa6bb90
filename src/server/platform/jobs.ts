/**
 * Background jobs in the application's own database (decision 0009).
 *
 * - `enqueue` inserts a job in the caller's transaction, so the job exists exactly when the
 *   change that asked for it does.
 * - A worker claims one job at a time with FOR UPDATE SKIP LOCKED and a lease. On PostgreSQL a
 *   heartbeat renews the lease while the job runs; a worker that dies lets its lease run out and
 *   another process (or the same one after a restart) takes the job again.
 * - A handler that writes its result calls `job.finish(tx)` inside that transaction: the job is
 *   marked done only if this worker still holds it, otherwise the transaction rolls back. A job
 *   that runs twice therefore never applies twice.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { DB, EngineKind, Queryable } from './db.ts';
import { AppError } from './errors.ts';

export interface JobProgress {
  phase: string;
  done: number;
  total: number | null;
}

export interface JobProgressView extends JobProgress {
  /** Seconds left at the current pace, once there is a pace to measure. */
  etaSeconds: number | null;
}

export interface RunningJob<P> {
  id: number;
  payload: P;
  attempt: number;
  /** Aborted when the worker stops (shutdown) or loses the job. */
  signal: AbortSignal;
  progress(p: JobProgress): void;
  /** Marks the job done inside the transaction that writes its result; throws if it was lost. */
  finish(tx: Queryable): Promise<void>;
}

export interface JobHandler<P> {
  run(job: RunningJob<P>): Promise<void>;
  /** Called once when the job gives up (attempts used up, or a permanent error). */
  onFailed?(db: DB, payload: P, error: unknown): Promise<void>;
}

export interface JobQueueOptions {
  leaseMs?: number;
  pollMs?: number;
  /** Delay before a failed attempt is tried again. */
  retryDelayMs?: number;
  log?: (msg: string, err?: unknown) => void;
}

/** The job was taken over by another worker (its lease ran out). */
export class JobLostError extends Error {
  constructor(id: number) {
    super(`job ${id} is no longer held by this worker`);
    this.name = 'JobLostError';
  }
}

interface ClaimedRow {
  id: number;
  kind: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

interface ProgressState extends JobProgress {
  startedAt: number;
  phaseStartedAt: number;
}

export class JobQueue {
  readonly workerId = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  private readonly handlers = new Map<string, JobHandler<unknown>>();
  private readonly progressById = new Map<number, ProgressState>();
  private readonly lastWrite = new Map<number, number>();
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly retryDelayMs: number;
  private readonly log: (msg: string, err?: unknown) => void;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private current: { id: number; abort: AbortController } | null = null;

  constructor(
    private readonly db: DB,
    private readonly engine: EngineKind,
    opts: JobQueueOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.pollMs = opts.pollMs ?? 2_000;
    this.retryDelayMs = opts.retryDelayMs ?? 5_000;
    this.log = opts.log ?? ((msg, err) => console.warn(msg, err));
  }

  register<P>(kind: string, handler: JobHandler<P>): void {
    this.handlers.set(kind, handler as JobHandler<unknown>);
  }

  /** Adds a job in the caller's transaction; call `wake()` after it commits. */
  async enqueue(db: Queryable, kind: string, payload: unknown, opts: { createdBy?: number; maxAttempts?: number } = {}): Promise<number> {
    const r = await sql<{ id: number }>`
      INSERT INTO jobs (kind, payload, created_by, max_attempts)
      VALUES (${kind}, ${JSON.stringify(payload)}::jsonb, ${opts.createdBy ?? null}, ${opts.maxAttempts ?? 3})
      RETURNING id`.execute(db);
    return Number(r.rows[0]!.id);
  }

  /** Starts the worker loop now instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Starts working, first taking back jobs a dead process left running (see `reclaimAbandoned`). */
  async start(): Promise<void> {
    if (this.running) return;
    await this.reclaimAbandoned();
    this.running = true;
    this.loop = this.work();
  }

  /**
   * On the embedded engine one process owns the database (the data folder's lock), so a job still
   * marked running was left by a process that died: it is made available at once rather than
   * after its lease. Call before working the queue, while no job of this process runs.
   */
  async reclaimAbandoned(): Promise<void> {
    // In the past, not now(): a claim in the same clock tick compares locked_until < now() strictly.
    if (this.engine === 'pglite') await sql`UPDATE jobs SET locked_until = now() - interval '1 second' WHERE status = 'running'`.execute(this.db);
  }

  /** Stops taking jobs, aborts the running one (it will be taken again later) and waits. */
  async stop(): Promise<void> {
    this.running = false;
    this.current?.abort.abort();
    this.wake();
    await this.loop;
    this.loop = null;
  }

  /** Runs queued jobs in this process until none is left (tests, CLI). */
  async drain(): Promise<number> {
    let ran = 0;
    while (await this.runOne()) ran += 1;
    return ran;
  }

  /** Deletes jobs that finished more than `days` ago; returns how many. */
  async cleanUp(days = 30): Promise<number> {
    const r = await sql`DELETE FROM jobs WHERE status IN ('done', 'failed') AND finished_at < now() - make_interval(days => ${days})`.execute(this.db);
    return Number(r.numAffectedRows ?? 0);
  }

  /** Progress of a job: from this process's memory when it runs here, else as last stored. */
  async progress(jobId: number): Promise<JobProgressView | null> {
    const live = this.progressById.get(jobId);
    if (live) return withEta(live);
    if (this.engine === 'pglite') return null;
    const r = await sql<{ progress: (JobProgress & { startedAt?: number; phaseStartedAt?: number }) | null }>`
      SELECT progress FROM jobs WHERE id = ${jobId} AND status = 'running'`.execute(this.db);
    const p = r.rows[0]?.progress;
    return p ? withEta({ startedAt: Date.now(), phaseStartedAt: p.phaseStartedAt ?? Date.now(), ...p }) : null;
  }

  private async work(): Promise<void> {
    while (this.running) {
      let ran = false;
      try {
        ran = await this.runOne();
      } catch (err) {
        this.log('job worker error', err);
      }
      if (!ran && this.running) {
        await new Promise<void>((resolve) => {
          // Waiting for work never keeps the process alive by itself.
          const timer = setTimeout(resolve, this.pollMs).unref();
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeUp = null;
      }
    }
  }

  private async claim(): Promise<ClaimedRow | undefined> {
    const kinds = [...this.handlers.keys()];
    if (!kinds.length) return undefined;
    const r = await sql<ClaimedRow>`
      UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = ${this.workerId},
        locked_until = now() + make_interval(secs => ${this.leaseMs / 1000}), started_at = coalesce(started_at, now())
      WHERE id = (
        SELECT id FROM jobs
        WHERE kind = ANY(${kinds}::text[])
          AND ((status = 'queued' AND run_after <= now()) OR (status = 'running' AND locked_until < now()))
        ORDER BY id
        FOR UPDATE SKIP LOCKED
        LIMIT 1)
      RETURNING id, kind, payload, attempts, max_attempts`.execute(this.db);
    const row = r.rows[0];
    return row && { ...row, id: Number(row.id) };
  }

  private async runOne(): Promise<boolean> {
    const row = await this.claim();
    if (!row) return false;
    const handler = this.handlers.get(row.kind)!;
    const abort = new AbortController();
    this.current = { id: row.id, abort };
    const now = Date.now();
    this.progressById.set(row.id, { phase: 'start', done: 0, total: null, startedAt: now, phaseStartedAt: now });
    // A step that reports no progress for longer than the lease must not lose the job to another worker.
    const heartbeat = setInterval(() => this.renew(row.id), this.leaseMs / 3).unref();
    let finished = false;
    const job: RunningJob<unknown> = {
      id: row.id,
      payload: row.payload,
      attempt: row.attempts,
      signal: abort.signal,
      progress: (p) => this.report(row.id, p),
      finish: async (tx) => {
        const done = await sql`
          UPDATE jobs SET status = 'done', finished_at = now(), locked_until = NULL, progress = NULL
          WHERE id = ${row.id} AND locked_by = ${this.workerId} AND status = 'running'`.execute(tx);
        if (Number(done.numAffectedRows ?? 0) !== 1) throw new JobLostError(row.id);
        finished = true;
      },
    };
    try {
      if (row.attempts > row.max_attempts) throw new Error(`gave up after ${row.max_attempts} attempts`);
      await handler.run(job);
      if (!finished) await job.finish(this.db);
    } catch (err) {
      if (err instanceof JobLostError || abort.signal.aborted) {
        // Shutting down (it will be taken again), or another worker has it now.
        if (!this.running) await this.release(row.id);
      } else await this.fail(row, handler, err);
    } finally {
      clearInterval(heartbeat);
      this.current = null;
      this.progressById.delete(row.id);
      this.lastWrite.delete(row.id);
    }
    return true;
  }

  private report(id: number, p: JobProgress) {
    const prev = this.progressById.get(id);
    const now = Date.now();
    const phaseStartedAt = prev && prev.phase === p.phase ? prev.phaseStartedAt : now;
    this.progressById.set(id, { ...p, startedAt: prev?.startedAt ?? now, phaseStartedAt });
    // At most once a second; the heartbeat stores it too.
    if (now - (this.lastWrite.get(id) ?? 0) >= 1000) this.renew(id);
  }

  /**
   * PostgreSQL: renews the lease and stores the progress for the other processes, on another
   * connection than the job's own transaction. PGlite has one connection, held by that transaction
   * while it writes, and one process: progress stays in memory and no lease needs renewing.
   */
  private renew(id: number) {
    if (this.engine !== 'postgres') return;
    this.lastWrite.set(id, Date.now());
    const p = this.progressById.get(id);
    const progress = p ? JSON.stringify({ phase: p.phase, done: p.done, total: p.total, phaseStartedAt: p.phaseStartedAt }) : null;
    void sql`
      UPDATE jobs SET progress = ${progress}::jsonb, locked_until = now() + make_interval(secs => ${this.leaseMs / 1000})
      WHERE id = ${id} AND locked_by = ${this.workerId} AND status = 'running'`
      .execute(this.db)
      .then((r) => {
        // Another worker holds the job now (our lease ran out): stop working on it.
        if (Number(r.numAffectedRows ?? 0) === 0 && this.current?.id === id) this.current.abort.abort();
      })
      .catch((err: unknown) => this.log(`job ${id}: lease not renewed`, err));
  }

  private async release(id: number) {
    await sql`UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), locked_by = NULL, locked_until = NULL
      WHERE id = ${id} AND locked_by = ${this.workerId} AND status = 'running'`
      .execute(this.db)
      .catch((err: unknown) => this.log(`job ${id}: not released`, err));
  }

  private async fail(row: ClaimedRow, handler: JobHandler<unknown>, err: unknown) {
    // An AppError is a rule saying no (bad input, a conflict): trying again would say no again.
    const permanent = err instanceof AppError || row.attempts >= row.max_attempts;
    const message = err instanceof Error ? err.message : String(err);
    if (!permanent) {
      this.log(`job ${row.id} (${row.kind}) attempt ${row.attempts} failed; will retry`, err);
      await sql`UPDATE jobs SET status = 'queued', locked_by = NULL, locked_until = NULL, last_error = ${message},
        run_after = now() + make_interval(secs => ${this.retryDelayMs / 1000})
        WHERE id = ${row.id} AND locked_by = ${this.workerId}`.execute(this.db);
      return;
    }
    this.log(`job ${row.id} (${row.kind}) failed`, err);
    const r = await sql`UPDATE jobs SET status = 'failed', finished_at = now(), locked_until = NULL, last_error = ${message}
      WHERE id = ${row.id} AND locked_by = ${this.workerId} AND status = 'running'`.execute(this.db);
    if (Number(r.numAffectedRows ?? 0) === 1) await handler.onFailed?.(this.db, row.payload, err);
  }
}

function withEta(p: ProgressState): JobProgressView {
  const elapsed = (Date.now() - p.phaseStartedAt) / 1000;
  const etaSeconds = p.total && p.done > 0 && elapsed >= 1 ? Math.max(0, Math.round((elapsed / p.done) * (p.total - p.done))) : null;
  return { phase: p.phase, done: p.done, total: p.total, etaSeconds };
}
