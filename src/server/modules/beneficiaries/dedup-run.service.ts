/**
 * Deduplication runs over the beneficiary registry, or one region of it (issue 4, items 3 and 9).
 *
 * A run is a background job (platform/jobs.ts): load the records in pages → block → compare →
 * learn the model by EM (no labels) → score → cluster → save. Everything it finds is written in
 * ONE transaction together with the run's new status, its audit entry and `job.finish(tx)`:
 * - the run row is locked first and a run already 'done' writes nothing (a job delivered twice);
 * - a restart mid-run loses only computation: the job is taken again and starts over;
 * - pairs go to `duplicate_candidates` with ON CONFLICT (record_a, record_b) DO NOTHING: a pair
 *   already queued or already decided (merged, not the same, later) is never queued again.
 *
 * Clear matches are queued 'pending' with `clear_match = true`, not merged by the run. The on-entry rule
 * (linkage.ts) links a new record automatically only on a hand-calibrated model; a run's model is
 * learned from the data of the day, and one bad EM fit would merge thousands of persons in one
 * transaction — each undoable, but only one by one, and benefits recorded meanwhile would follow
 * the wrong person. Queued with the flag and their probability, they sort first in the review
 * queue and a reviewer confirms each with the existing merge (which can be undone), or — having
 * looked at the run's counts and learned model — merges all of them at once (startClearMerge below).
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import { can, hasPermission, regionFilter, type Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { JobProgressView, RunningJob } from '../../platform/jobs.ts';
import { actorOfUser } from '../identity/service.ts';
import { audit, type RequestMeta } from './common.ts';
import { dedupRecords, type DedupPhase } from './dedup-run.model.ts';
import * as repo from './dedup-run.repository.ts';
import type * as s from './dedup-run.schemas.ts';
import { linkThresholds } from './records.service.ts';
import { findRegions, regenciesWithin } from './repository.ts';
import { decideDuplicate } from './review.service.ts';

export const DEDUP_JOB_KIND = 'beneficiaries.dedup_run';
const PAGE = 5000;
const INSERT_CHUNK = 500;

interface DedupJob {
  runId: number;
}

export type PublicRun = z.infer<typeof s.DedupRun>;

/** Who starts a run: a user, or the command line (no account). */
export type RunStarter = { actor: Actor } | { cli: true };

const actorId = (by: RunStarter) => ('actor' in by ? by.actor.userId : null);
const actorLabel = (by: RunStarter | null, userId: number | null) => (by && 'cli' in by ? 'cli' : userId === null ? 'system' : `user:${userId}`);

/** Progress lines for the command line: called in this process at every report. */
type Listener = (runId: number, p: { phase: string; done: number; total: number | null }) => void;
const listeners = new Set<Listener>();
export function onDedupProgress(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function mayRunAll(actor: Actor) {
  return regionFilter(actor, 'beneficiaries.manage').kind === 'all';
}

async function checkRegion(db: Queryable, code: string) {
  const region = (await findRegions(db, [code])).get(code);
  if (!region) throw AppError.invalid({ path: 'body.regionCode', code: 'unknown_region', params: { code } });
  if (region.level > 2) throw AppError.invalid({ path: 'body.regionCode', code: 'province_or_regency_required', params: { code } });
}

/** Enqueues a run in one transaction with its job and audit entry; refuses a second active run over the same region. */
export async function startDedupRun(ctx: AppContext, by: RunStarter, input: { regionCode?: string | null }, meta: RequestMeta): Promise<PublicRun> {
  const regionCode = input.regionCode ?? null;
  if ('actor' in by) {
    const { actor } = by;
    if (!hasPermission(actor, 'beneficiaries.manage')) throw new AppError('forbidden');
    // A coordinator runs over their own region; only a national scope runs over everyone.
    if (regionCode === null ? !mayRunAll(actor) : !can(actor, 'beneficiaries.manage', regionCode)) throw new AppError('out_of_scope');
  }
  if (regionCode !== null) await checkRegion(ctx.db, regionCode);
  const id = await ctx.db.transaction().execute(async (tx) => {
    // Serialise starts (a row lock would not: there may be no row to lock yet): two clicks at once make one run.
    await sql`SELECT pg_advisory_xact_lock(hashtext('simpul.dedup_runs.start'))`.execute(tx);
    const active = await repo.activeRun(tx, regionCode);
    if (active) throw new AppError('conflict', { errors: [{ path: 'regionCode', code: 'dedup_run_active', params: { id: active.id } }] });
    const runId = await repo.insertRun(tx, { region_code: regionCode, created_by: actorId(by) });
    const jobId = await ctx.jobs.enqueue(tx, DEDUP_JOB_KIND, { runId } satisfies DedupJob, { createdBy: actorId(by) ?? undefined, maxAttempts: 3 });
    await repo.setRunJob(tx, runId, jobId);
    await ctx.audit.record(tx, {
      actorId: actorId(by),
      actorLabel: actorLabel(by, actorId(by)),
      requestId: meta.requestId,
      action: 'beneficiary.dedup_run_start',
      entityType: 'dedup_run',
      entityId: runId,
      after: { region_code: regionCode, job_id: jobId },
    });
    return runId;
  });
  ctx.jobs.wake();
  return present((await repo.findRun(ctx.db, id))!, null);
}

async function loadOwnRun(ctx: AppContext, actor: Actor, id: number): Promise<repo.RunRow> {
  if (!hasPermission(actor, 'beneficiaries.read')) throw new AppError('forbidden');
  const run = await repo.findRun(ctx.db, id);
  // Another coordinator's run does not exist for others (its counts describe their region).
  if (!run || (run.created_by !== actor.userId && !mayRunAll(actor))) throw new AppError('not_found');
  return run;
}

export async function getDedupRun(ctx: AppContext, actor: Actor, id: number): Promise<PublicRun> {
  return presentWithProgress(ctx, await loadOwnRun(ctx, actor, id));
}

/** Progress as the job's process knows it (any process on PostgreSQL). */
export async function runProgress(ctx: AppContext, run: repo.RunRow): Promise<JobProgressView | null> {
  return (run.status === 'queued' || run.status === 'running') && run.job_id !== null ? ctx.jobs.progress(Number(run.job_id)) : null;
}

async function presentWithProgress(ctx: AppContext, run: repo.RunRow): Promise<PublicRun> {
  return present(run, await runProgress(ctx, run));
}

export async function listDedupRuns(ctx: AppContext, actor: Actor): Promise<PublicRun[]> {
  if (!hasPermission(actor, 'beneficiaries.read')) throw new AppError('forbidden');
  const rows = await repo.recentRuns(ctx.db, mayRunAll(actor) ? null : actor.userId, 20);
  return Promise.all(rows.map((r) => presentWithProgress(ctx, r)));
}

export function present(run: repo.RunRow, progress: JobProgressView | null): PublicRun {
  const counts = (run.counts ?? null) as PublicRun['counts'];
  const parameters = (run.parameters ?? null) as PublicRun['parameters'];
  return {
    id: Number(run.id),
    regionCode: run.region_code,
    status: run.status,
    createdBy: run.created_by === null ? null : Number(run.created_by),
    createdAt: new Date(run.created_at).toISOString(),
    startedAt: run.started_at ? new Date(run.started_at).toISOString() : null,
    finishedAt: run.finished_at ? new Date(run.finished_at).toISOString() : null,
    progress,
    counts,
    parameters,
    error: run.error,
  };
}

// ---------------------------------------------------------------- the job

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function runJob(ctx: AppContext, job: RunningJob<DedupJob>): Promise<void> {
  const { runId } = job.payload;
  const run = await repo.findRun(ctx.db, runId);
  if (!run || run.status === 'done' || run.status === 'failed') {
    await job.finish(ctx.db); // nothing to do: delivered again after it applied
    return;
  }
  await repo.markRunning(ctx.db, runId);
  const started = performance.now();
  const report = (phase: string, done: number, total: number | null) => {
    job.progress({ phase, done, total });
    for (const l of listeners) l(runId, { phase, done, total });
  };
  const check = () => {
    if (job.signal.aborted) throw new Error('dedup run aborted');
  };

  // 1. Loading, in pages by id (short queries: the server keeps answering on PGlite).
  const regencies = run.region_code === null ? null : await regenciesWithin(ctx.db, [run.region_code]);
  const total = await repo.countRecords(ctx.db, regencies);
  const records: Awaited<ReturnType<typeof repo.recordPage>> = [];
  report('loading', 0, total);
  for (let after = 0; ; ) {
    check();
    const page = await repo.recordPage(ctx.db, regencies, after, PAGE);
    records.push(...page);
    report('loading', records.length, Math.max(total, records.length));
    if (page.length < PAGE) break;
    after = page[page.length - 1].id;
  }
  const loadMs = performance.now() - started;

  // 2–6. Blocking → clustering: synchronous library work, one phase at a time.
  const thresholds = await linkThresholds(ctx.db);
  const result = await dedupRecords(records, {
    clearProbability: thresholds.autoLink,
    reviewProbability: thresholds.review,
    phase: async (phase: DedupPhase, n) => {
      check();
      report(phase, 0, n);
      await tick();
    },
  });

  // 7. Saving: one transaction with the run's status and the job's completion.
  const pairs = result.pairs.sort((a, b) => Number(b.clear) - Number(a.clear) || b.matchWeight - a.matchWeight);
  report('saving', 0, pairs.length);
  await tick();
  const saveStarted = performance.now();
  const creator = run.created_by === null ? null : await actorOfUser(ctx, Number(run.created_by));
  await ctx.db.transaction().execute(async (tx) => {
    const locked = await repo.findRun(tx, runId, { lock: true });
    if (!locked || locked.status === 'done') {
      await job.finish(tx);
      return;
    }
    let queued = 0;
    let queuedClear = 0;
    for (let at = 0; at < pairs.length; at += INSERT_CHUNK) {
      const chunk = pairs.slice(at, at + INSERT_CHUNK);
      const clear = chunk.filter((p) => p.clear);
      const rows = (list: typeof chunk) =>
        list.map((p) => ({
          record_a: p.recordA,
          record_b: p.recordB,
          score: p.matchWeight,
          probability: p.matchProbability,
          // Levels only: the contributions are rebuilt from the run's parameters when read.
          explanation: { matchWeight: p.matchWeight, levels: p.levels, dedupRunId: runId },
          clear_match: p.clear,
        }));
      const insertedClear = await repo.insertCandidates(tx, runId, rows(clear));
      queuedClear += insertedClear;
      queued += insertedClear + (await repo.insertCandidates(tx, runId, rows(chunk.filter((p) => !p.clear))));
      report('saving', Math.min(at + INSERT_CHUNK, pairs.length), pairs.length);
    }
    const counts = {
      records: records.length,
      candidatePairs: result.candidatePairs,
      clearMatches: result.clearMatches,
      greyZone: result.greyZone,
      queued,
      queuedClearMatches: queuedClear,
      alreadyInQueue: pairs.length - queued,
      clusters: result.clusters,
      refusedLinks: result.refusedLinks,
      timings: { loading: Math.round(loadMs), ...result.timings, saving: Math.round(performance.now() - saveStarted), total: Math.round(performance.now() - started) },
    };
    await repo.markDone(tx, runId, { counts, parameters: { ...result.parameters } });
    await ctx.audit.record(tx, {
      actorId: creator?.userId ?? null,
      actorLabel: actorLabel(null, creator?.userId ?? null),
      requestId: `job:${job.id}`,
      action: 'beneficiary.dedup_run_done',
      entityType: 'dedup_run',
      entityId: runId,
      after: { region_code: run.region_code, ...counts, timings: undefined, thresholds },
    });
    await job.finish(tx);
  });
}

export function registerDedupJobs(ctx: AppContext): void {
  ctx.jobs.register<DedupJob>(DEDUP_JOB_KIND, {
    run: (job) => runJob(ctx, job),
    async onFailed(db, payload, err) {
      await repo.markFailed(db, payload.runId, err instanceof Error ? err.message : String(err));
    },
  });
  // Its state is its job row and the candidates themselves: nothing to record when it gives up.
  ctx.jobs.register<ClearMergeJob>(CLEAR_MERGE_JOB_KIND, { run: (job) => runClearMerge(ctx, job) });
}

// ---------------------------------------------------------------- merging a run's clear matches
/*
 * "Merge all clear matches of this run": a background job that takes the run's clear matches still
 * pending and merges each through the reviewer's own path (review.service.ts decideDuplicate): one
 * transaction per pair with its audit entries, each undoable from the person's page. A person asks
 * for it, seeing how many pairs it will merge, so every merge remains a human decision, made in bulk.
 *
 * Never twice: decideDuplicate locks the pair and refuses one already decided, and the job only takes
 * pairs still pending that were never merged (a merge undone reopens its pair as pending: a reviewer
 * doubted it, so a bulk merge leaves it to them). A job taken again after a restart therefore carries
 * on where it stopped; two clicks at once make one job.
 */

export const CLEAR_MERGE_JOB_KIND = 'beneficiaries.dedup_merge_clear';

interface ClearMergeJob {
  runId: number;
  requestedBy: number;
}

export type PublicClearMerge = z.infer<typeof s.ClearMatchMerge>;

/** A run the caller sees and may change: beneficiaries.manage over the run's whole region. */
async function loadRunToManage(ctx: AppContext, actor: Actor, id: number): Promise<repo.RunRow> {
  const run = await loadOwnRun(ctx, actor, id);
  if (!hasPermission(actor, 'beneficiaries.manage')) throw new AppError('forbidden');
  if (run.region_code === null ? !mayRunAll(actor) : !can(actor, 'beneficiaries.manage', run.region_code)) throw new AppError('out_of_scope');
  return run;
}

async function presentClearMerge(ctx: AppContext, db: Queryable, runId: number): Promise<PublicClearMerge> {
  const job = await repo.latestJobOfRun(db, CLEAR_MERGE_JOB_KIND, runId);
  const active = job?.status === 'queued' || job?.status === 'running';
  return {
    runId,
    status: job?.status ?? 'none',
    jobId: job?.id ?? null,
    requestedBy: job?.created_by ?? null,
    requestedAt: job ? new Date(job.created_at).toISOString() : null,
    finishedAt: job?.finished_at ? new Date(job.finished_at).toISOString() : null,
    progress: job && active ? await ctx.jobs.progress(job.id) : null,
    pairs: await repo.clearMatchCounts(db, runId),
    error: job?.status === 'failed' ? job.last_error : null,
  };
}

export async function getClearMerge(ctx: AppContext, actor: Actor, runId: number): Promise<PublicClearMerge> {
  await loadOwnRun(ctx, actor, runId);
  return presentClearMerge(ctx, ctx.db, runId);
}

/**
 * Enqueues the merge of the run's clear matches. A merge already queued or running is answered as
 * it is (no second job), and so is a run with nothing left to merge.
 */
export async function startClearMerge(
  ctx: AppContext,
  actor: Actor,
  runId: number,
  meta: RequestMeta,
): Promise<PublicClearMerge & { started: boolean; toMerge: number }> {
  const run = await loadRunToManage(ctx, actor, runId);
  if (run.status !== 'done') throw new AppError('conflict', { errors: [{ path: 'id', code: 'dedup_run_not_done', params: { id: run.id, status: run.status } }] });
  const { started, toMerge } = await ctx.db.transaction().execute(async (tx) => {
    // Two clicks at once make one job (a row lock would not do: there is no row to lock yet).
    await sql`SELECT pg_advisory_xact_lock(hashtext('simpul.dedup_runs.merge_clear'), ${runId}::int)`.execute(tx);
    const { mergeable } = await repo.clearMatchCounts(tx, runId);
    const last = await repo.latestJobOfRun(tx, CLEAR_MERGE_JOB_KIND, runId);
    if ((last && (last.status === 'queued' || last.status === 'running')) || mergeable === 0) return { started: false, toMerge: mergeable };
    const jobId = await ctx.jobs.enqueue(tx, CLEAR_MERGE_JOB_KIND, { runId, requestedBy: actor.userId } satisfies ClearMergeJob, { createdBy: actor.userId, maxAttempts: 3 });
    await audit(ctx, tx, actor, meta, {
      action: 'beneficiary.dedup_run_merge_clear_start',
      entityType: 'dedup_run',
      entityId: runId,
      after: { job_id: jobId, pairs: mergeable },
    });
    return { started: true, toMerge: mergeable };
  });
  if (started) ctx.jobs.wake();
  return { ...(await presentClearMerge(ctx, ctx.db, runId)), started, toMerge };
}

const mergeNote = (locale: 'id' | 'en', runId: number) =>
  locale === 'en' ? `Clear match of deduplication run #${runId}, merged with all of the run's clear matches` : `Kecocokan jelas dari pemeriksaan duplikat #${runId}, digabung bersama semua kecocokan jelasnya`;

async function runClearMerge(ctx: AppContext, job: RunningJob<ClearMergeJob>): Promise<void> {
  const { runId, requestedBy } = job.payload;
  // The merges are the requester's: audited under their name, within their regions at this moment.
  const actor = await actorOfUser(ctx, requestedBy);
  if (!actor) throw new AppError('forbidden');
  const ids = await repo.mergeableClearMatches(ctx.db, runId);
  const outcome = { merged: 0, skipped: 0 };
  const meta = { requestId: `job:${job.id}` };
  job.progress({ phase: 'merging', done: 0, total: ids.length });
  for (const [i, id] of ids.entries()) {
    if (job.signal.aborted) throw new Error('merge of clear matches aborted');
    // Decided by a reviewer since the job started: theirs stands.
    if (!(await repo.isMergeable(ctx.db, id))) outcome.skipped++;
    else {
      try {
        await decideDuplicate(ctx, actor, id, { decision: 'merge', note: mergeNote(actor.locale, runId) }, meta);
        outcome.merged++;
      } catch (err) {
        // Decided at the same instant (409), or a person with records outside the requester's
        // regions (403): the pair stays in the queue for a reviewer who may decide it.
        if (!(err instanceof AppError)) throw err;
        outcome.skipped++;
      }
    }
    job.progress({ phase: 'merging', done: i + 1, total: ids.length });
    await tick();
  }
  await ctx.db.transaction().execute(async (tx) => {
    await audit(ctx, tx, actor, meta, {
      action: 'beneficiary.dedup_run_merge_clear_done',
      entityType: 'dedup_run',
      entityId: runId,
      after: { job_id: job.id, attempt: job.attempt, ...outcome },
    });
    await job.finish(tx);
  });
}
