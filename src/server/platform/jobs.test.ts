import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestEngine, engineUnderTest } from '../../../test/system.ts';
import { AppError } from './errors.ts';
import { JobQueue, type RunningJob } from './jobs.ts';

let engine: Awaited<ReturnType<typeof createTestEngine>>;

beforeAll(async () => {
  engine = await createTestEngine();
  await sql`CREATE TABLE job_effects (job_id bigint NOT NULL, note text NOT NULL)`.execute(engine.db);
});
afterAll(async () => {
  await engine?.dispose();
});
beforeEach(async () => {
  await sql`DELETE FROM job_effects`.execute(engine.db);
  await sql`DELETE FROM jobs`.execute(engine.db);
});

const queue = (opts: ConstructorParameters<typeof JobQueue>[2] = {}) =>
  new JobQueue(engine.db, engine.kind, { retryDelayMs: 0, log: () => {}, ...opts });

const jobRow = async (id: number) =>
  (await sql<{ status: string; attempts: number; last_error: string | null }>`SELECT status, attempts, last_error FROM jobs WHERE id = ${id}`.execute(engine.db)).rows[0]!;

const effects = async () => (await sql<{ job_id: number; note: string }>`SELECT job_id, note FROM job_effects ORDER BY note`.execute(engine.db)).rows;

/** A handler that writes one row and finishes in the same transaction. */
const writeOnce = (note = 'done') => async (job: RunningJob<unknown>) => {
  await engine.db.transaction().execute(async (tx) => {
    await sql`INSERT INTO job_effects VALUES (${job.id}, ${note})`.execute(tx);
    await job.finish(tx);
  });
};

describe('job queue', () => {
  it('runs a queued job once, finishing it in the transaction of its effect', async () => {
    const q = queue();
    q.register('test.write', { run: writeOnce() });
    const id = await q.enqueue(engine.db, 'test.write', { any: 1 });
    expect(await q.drain()).toBe(1);
    expect(await q.drain()).toBe(0);
    expect(await jobRow(id)).toMatchObject({ status: 'done', attempts: 1 });
    expect(await effects()).toEqual([{ job_id: id, note: 'done' }]);
  });

  it('a job enqueued in a transaction that rolls back does not exist', async () => {
    const q = queue();
    q.register('test.write', { run: writeOnce() });
    await engine.db
      .transaction()
      .execute(async (tx) => {
        await q.enqueue(tx, 'test.write', {});
        throw new Error('rollback');
      })
      .catch(() => {});
    expect(await q.drain()).toBe(0);
  });

  it('retries a failing job and gives up after max attempts, calling onFailed once', async () => {
    const q = queue();
    const failed: unknown[] = [];
    let calls = 0;
    q.register('test.flaky', {
      run: async () => {
        calls += 1;
        throw new Error(`boom ${calls}`);
      },
      onFailed: async (_db, payload) => void failed.push(payload),
    });
    const id = await q.enqueue(engine.db, 'test.flaky', { n: 7 }, { maxAttempts: 2 });
    await q.drain();
    expect(calls).toBe(2);
    expect(await jobRow(id)).toMatchObject({ status: 'failed', attempts: 2, last_error: 'boom 2' });
    expect(failed).toEqual([{ n: 7 }]);
  });

  it('does not retry a rule that says no (AppError)', async () => {
    const q = queue();
    let calls = 0;
    q.register('test.refused', {
      run: async () => {
        calls += 1;
        throw new AppError('forbidden');
      },
    });
    const id = await q.enqueue(engine.db, 'test.refused', {});
    await q.drain();
    expect(calls).toBe(1);
    expect((await jobRow(id)).status).toBe('failed');
  });

  it('a job interrupted by a shutdown is taken again after a restart and applied exactly once', async () => {
    const first = queue({ pollMs: 10 });
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    first.register('test.slow', {
      run: async (job) => {
        job.progress({ phase: 'reading', done: 5, total: 10 });
        started();
        // Works until the worker is told to stop, as a long import would between chunks.
        await new Promise<void>((_resolve, reject) => job.signal.addEventListener('abort', () => reject(new Error('aborted'))));
      },
    });
    const id = await first.enqueue(engine.db, 'test.slow', {});
    await first.start();
    await running;
    expect(await first.progress(id)).toMatchObject({ phase: 'reading', done: 5, total: 10 });
    await first.stop();
    expect(await jobRow(id)).toMatchObject({ status: 'queued' });

    // "After the restart": another process (another worker id) with the real handler.
    const second = queue();
    second.register('test.slow', { run: writeOnce('after restart') });
    await second.start();
    await second.stop();
    expect(await second.drain()).toBe(0);
    expect(await jobRow(id)).toMatchObject({ status: 'done' });
    expect(await effects()).toEqual([{ job_id: id, note: 'after restart' }]);
  });

  it('a worker whose lease ran out cannot finish: its effect is rolled back, the new holder applies it once', async () => {
    const stale = queue({ leaseMs: 60_000 });
    const fresh = queue();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    stale.register('test.write', {
      run: async (job) => {
        await gate;
        await writeOnce('stale')(job);
      },
    });
    fresh.register('test.write', { run: writeOnce('fresh') });
    const id = await stale.enqueue(engine.db, 'test.write', {});
    const staleRun = stale.drain();
    // Let the stale worker claim it; then its lease runs out (a process frozen past it) and the fresh worker takes over.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sql`UPDATE jobs SET locked_until = now() - interval '1 second' WHERE id = ${id}`.execute(engine.db);
    expect(await fresh.drain()).toBe(1);
    release();
    await staleRun;
    expect(await effects()).toEqual([{ job_id: id, note: 'fresh' }]);
    expect((await jobRow(id)).status).toBe('done');
  });

  it('gives up on a job that keeps killing its worker', async () => {
    const q = queue();
    const failed: unknown[] = [];
    q.register('test.crash', { run: writeOnce(), onFailed: async (_db, p) => void failed.push(p) });
    const id = await q.enqueue(engine.db, 'test.crash', { x: 1 }, { maxAttempts: 2 });
    // Two workers claimed it and died (lease expired, status still running).
    await sql`UPDATE jobs SET status = 'running', attempts = 2, locked_by = 'dead', locked_until = now() - interval '1 second' WHERE id = ${id}`.execute(engine.db);
    await q.drain();
    expect((await jobRow(id)).status).toBe('failed');
    expect(await effects()).toEqual([]);
    expect(failed).toEqual([{ x: 1 }]);
  });

  it('on the embedded engine, a job a dead process left running is taken at once after reclaimAbandoned; on PostgreSQL only after its lease', async () => {
    const q = queue();
    q.register('test.write', { run: writeOnce() });
    const id = await q.enqueue(engine.db, 'test.write', {});
    // Claimed by a process that was killed a moment ago: its lease still runs for 30 s.
    await sql`UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'killed', locked_until = now() + interval '30 seconds' WHERE id = ${id}`.execute(engine.db);
    expect(await q.drain()).toBe(0);
    await q.reclaimAbandoned();
    // PostgreSQL is shared by several processes: the holder may be alive elsewhere, so the lease stands.
    expect(await q.drain()).toBe(engine.kind === 'pglite' ? 1 : 0);
    expect(await effects()).toEqual(engine.kind === 'pglite' ? [{ job_id: id, note: 'done' }] : []);
  });

  it('estimates the time left from the pace of the current phase', async () => {
    const q = queue();
    let seen: Awaited<ReturnType<JobQueue['progress']>> = null;
    q.register('test.progress', {
      run: async (job) => {
        job.progress({ phase: 'saving', done: 0, total: 100 });
        seen = await q.progress(job.id);
      },
    });
    await q.enqueue(engine.db, 'test.progress', {});
    await q.drain();
    expect(seen).toEqual({ phase: 'saving', done: 0, total: 100, etaSeconds: null });
  });

  it('housekeeping deletes jobs finished more than 30 days ago, and only those', async () => {
    const q = queue();
    q.register('test.write', { run: writeOnce() });
    const old = await q.enqueue(engine.db, 'test.write', {});
    const recent = await q.enqueue(engine.db, 'test.write', {});
    const waiting = await q.enqueue(engine.db, 'test.other', {});
    await q.drain();
    await sql`UPDATE jobs SET finished_at = now() - interval '31 days' WHERE id = ${old}`.execute(engine.db);
    expect(await q.cleanUp()).toBe(1);
    const left = await sql<{ id: number }>`SELECT id FROM jobs ORDER BY id`.execute(engine.db);
    expect(left.rows.map((r) => Number(r.id))).toEqual([recent, waiting]);
  });

  // PGlite has one process and no lease to renew (jobs left running are taken again at start-up).
  it.runIf(engineUnderTest === 'postgres')('a long step without progress keeps its lease through the heartbeat', async () => {
    const worker = queue({ leaseMs: 300 });
    const thief = queue();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    worker.register('test.write', {
      run: async (job) => {
        await gate;
        await writeOnce('kept')(job);
      },
    });
    thief.register('test.write', { run: writeOnce('stolen') });
    const id = await worker.enqueue(engine.db, 'test.write', {});
    const running = worker.drain();
    await new Promise((resolve) => setTimeout(resolve, 1000)); // over three leases, no progress reported
    expect(await thief.drain()).toBe(0);
    release();
    await running;
    expect(await effects()).toEqual([{ job_id: id, note: 'kept' }]);
  });
});
