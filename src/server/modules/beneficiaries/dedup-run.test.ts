/**
 * Deduplication runs: a run over a seeded registry (synthetic beneficiaries with known duplicates)
 * finds most of them, queues them for review with clear matches flagged, never queues a decided
 * pair again, applies once when delivered twice, reports progress, and respects scope.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { grants, login, makeUser, type Client } from '../../../../test/factories.ts';
import { seedSyntheticRegistry, truePairs, type SeededRegistry } from './dedup-run.fixtures.ts';
import { DEDUP_JOB_KIND, onDedupProgress } from './dedup-run.service.ts';

let sys: TestSystem;
let national: Client;
let bandung: Client;
let otherBandung: Client;
let seeded: SeededRegistry;

beforeAll(async () => {
  sys = await createTestSystem();
  national = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  otherBandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  seeded = await seedSyntheticRegistry(sys.ctx.db, { records: 2000, seed: 42, provinces: ['32'] });
}, 60_000);
afterAll(async () => {
  await sys?.close();
});

interface Run {
  id: number;
  status: string;
  regionCode: string | null;
  counts: Record<string, number> & { timings: Record<string, number> };
  parameters: { lambda: number; fields: { field: string; levels: { label: string; weight: number }[] }[] };
}

const candidatesOfRun = (runId: number) =>
  sys.ctx.db.selectFrom('duplicate_candidates').select(['id', 'record_a', 'record_b', 'probability', 'clear_match', 'status']).where('dedup_run_id', '=', runId).execute();
const allCandidates = async () => Number((await sys.ctx.db.selectFrom('duplicate_candidates').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
const auditCount = async (action: string, runId: number) =>
  (await sys.ctx.db.selectFrom('audit_log').select('id').where('action', '=', action).where('entity_id', '=', String(runId)).execute()).length;

describe('a deduplication run over the registry', () => {
  let first: Run;

  it('runs as a job with progress, finds most duplicates, flags clear matches and applies once when delivered twice', async () => {
    const started = await national.request('POST', '/api/beneficiaries/dedup-runs', {});
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json()).toMatchObject({ status: 'queued', regionCode: null, counts: null });
    const runId = started.json().id as number;

    // A second start while it waits is refused; the same job delivered a second time is harmless.
    const again = await national.request('POST', '/api/beneficiaries/dedup-runs', {});
    expect(again.statusCode, again.body).toBe(409);
    await sys.ctx.db.transaction().execute((tx) => sys.ctx.jobs.enqueue(tx, DEDUP_JOB_KIND, { runId }));
    const jobId = Number((await sys.ctx.db.selectFrom('dedup_runs').select('job_id').where('id', '=', runId).executeTakeFirstOrThrow()).job_id);

    const phases: { phase: string; done: number; total: number | null }[] = [];
    const views: unknown[] = [];
    const off = onDedupProgress((id, p) => {
      if (id !== runId) return;
      phases.push(p);
      void sys.ctx.jobs.progress(jobId).then((v) => views.push(v));
    });
    const t0 = performance.now();
    try {
      expect(await sys.ctx.jobs.drain()).toBe(2);
    } finally {
      off();
    }
    const ms = performance.now() - t0;
    expect([...new Set(phases.map((p) => p.phase))]).toEqual(['loading', 'blocking', 'comparing', 'training', 'scoring', 'clustering', 'saving']);
    expect(phases.find((p) => p.phase === 'loading' && p.done === seeded.records)).toMatchObject({ total: seeded.records });
    // What GET …/dedup-runs/:id shows while it runs: the queue's view, with time left.
    expect(views[0]).toMatchObject({ phase: 'loading', etaSeconds: null });

    const res = await national.request('GET', `/api/beneficiaries/dedup-runs/${runId}`);
    expect(res.statusCode, res.body).toBe(200);
    first = res.json();
    expect(first).toMatchObject({ status: 'done', progress: null, counts: { records: seeded.records } });
    expect(first.parameters.fields.map((f) => f.field)).toEqual(['name', 'birth_date', 'nik', 'sex', 'household']);

    const rows = await candidatesOfRun(runId);
    expect(rows.length).toBe(first.counts.queued);
    expect(rows.filter((r) => r.clear_match).length).toBe(first.counts.queuedClearMatches);
    expect(rows.every((r) => r.status === 'pending')).toBe(true);
    // Against the generator's truth: pairs queued (clear or grey, p ≥ review) that are the same person.
    const actual = truePairs(seeded);
    const correct = rows.filter((r) => seeded.truth.get(r.record_a) === seeded.truth.get(r.record_b)).length;
    const clear = rows.filter((r) => r.clear_match);
    const clearCorrect = clear.filter((r) => seeded.truth.get(r.record_a) === seeded.truth.get(r.record_b)).length;
    const precision = correct / rows.length;
    const recall = correct / actual;
    console.log(
      `dedup run: ${seeded.records} records, ${actual} true pairs, ${first.counts.candidatePairs} compared, ${rows.length} queued ` +
        `(${clear.length} clear, precision ${(clearCorrect / clear.length).toFixed(3)}); queued precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}; ` +
        `${Math.round(ms)} ms (job ${first.counts.timings.total} ms: ${JSON.stringify(first.counts.timings)})`,
    );
    if (process.env.DEDUP_DIAG) {
      const wrong = clear.filter((r) => seeded.truth.get(r.record_a) !== seeded.truth.get(r.record_b)).slice(0, 15);
      for (const w of wrong) {
        const c = (await national.request('GET', `/api/beneficiaries/duplicates/${w.id}`)).json() as { contributions: { field: string; label: string; weight: number }[] };
        const recs = await sys.ctx.db.selectFrom('beneficiary_records').select(['full_name', 'nik', 'birth_date', 'kk', 'regency_code']).where('id', 'in', [w.record_a, w.record_b]).execute();
        console.log(JSON.stringify(recs), c.contributions.map((x) => `${x.field}:${x.label}:${x.weight.toFixed(1)}`).join(' '));
      }
    }
    expect(recall).toBeGreaterThan(0.95);
    expect(precision).toBeGreaterThan(0.95);
    expect(clearCorrect / clear.length).toBeGreaterThan(0.99);
    // Applied once: one audit entry for the result, one for the start.
    expect(await auditCount('beneficiary.dedup_run_done', runId)).toBe(1);
    expect(await auditCount('beneficiary.dedup_run_start', runId)).toBe(1);
  }, 60_000);

  it('stores each pair compact (its levels) and explains it, when opened, with the model the run learned', async () => {
    const [row] = await sys.ctx.db
      .selectFrom('duplicate_candidates')
      .select(['id', 'explanation', 'score'])
      .where('dedup_run_id', '=', first.id)
      .orderBy('id')
      .limit(1)
      .execute();
    expect(Object.keys(row.explanation).sort()).toEqual(['dedupRunId', 'levels', 'matchWeight']);
    const opened = (await national.request('GET', `/api/beneficiaries/duplicates/${row.id}`)).json();
    expect(opened.contributions.map((c: { field: string }) => c.field)).toEqual(['name', 'birth_date', 'nik', 'sex', 'household']);
    const levels = (row.explanation as unknown as { levels: number[] }).levels;
    opened.contributions.forEach((c: { field: string; level: number; label: string; weight: number }, i: number) => {
      expect(c.level).toBe(levels[i]);
      const learned = first.parameters.fields[i].levels[c.level - 1];
      if (c.level > 0) expect({ label: c.label, weight: c.weight }).toEqual({ label: learned.label, weight: learned.weight });
    });
    const sum = opened.priorWeight + opened.contributions.reduce((s: number, c: { weight: number }) => s + c.weight, 0);
    expect(sum).toBeCloseTo(row.score, 6);
  });

  it('never queues a pair again, decided or pending', async () => {
    const rows = await candidatesOfRun(first.id);
    const [a, b] = rows;
    await national.request('POST', `/api/beneficiaries/duplicates/${a.id}/decision`, { decision: 'not_same' });
    const merged = await national.request('POST', `/api/beneficiaries/duplicates/${b.id}/decision`, { decision: 'merge' });
    expect(merged.statusCode, merged.body).toBe(200);
    const before = await allCandidates();

    const started = await national.request('POST', '/api/beneficiaries/dedup-runs', {});
    expect(started.statusCode).toBe(202);
    await sys.ctx.jobs.drain();
    const second = (await national.request('GET', `/api/beneficiaries/dedup-runs/${started.json().id}`)).json() as Run;
    expect(second.status).toBe('done');
    expect(second.counts.queued).toBe(0);
    expect(await allCandidates()).toBe(before);
    const statuses = await sys.ctx.db.selectFrom('duplicate_candidates').select(['id', 'status']).where('id', 'in', [a.id, b.id]).orderBy('id').execute();
    expect(statuses.map((s) => s.status)).toEqual(a.id < b.id ? ['not_same', 'merged'] : ['merged', 'not_same']);
  }, 60_000);

  it('a job taken again after its process died starts over and still applies once', async () => {
    const started = await national.request('POST', '/api/beneficiaries/dedup-runs', { regionCode: '32.04' });
    expect(started.statusCode, started.body).toBe(202);
    const runId = started.json().id as number;
    // A worker that claimed it and died: the lease ran out.
    await sql`UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'dead-process', locked_until = now() - interval '1 second'
      WHERE id = (SELECT job_id FROM dedup_runs WHERE id = ${runId})`.execute(sys.ctx.db);
    await sql`UPDATE dedup_runs SET status = 'running' WHERE id = ${runId}`.execute(sys.ctx.db);
    await sys.ctx.jobs.drain();
    const run = (await national.request('GET', `/api/beneficiaries/dedup-runs/${runId}`)).json() as Run;
    expect(run.status).toBe('done');
    expect(await auditCount('beneficiary.dedup_run_done', runId)).toBe(1);
  }, 60_000);
});

describe('scope', () => {
  it('a regency coordinator runs over their regency only, and sees only their own runs', async () => {
    expect((await bandung.request('POST', '/api/beneficiaries/dedup-runs', {})).statusCode).toBe(403);
    expect((await bandung.request('POST', '/api/beneficiaries/dedup-runs', { regionCode: '32.71' })).statusCode).toBe(403);
    expect((await bandung.request('POST', '/api/beneficiaries/dedup-runs', { regionCode: '32' })).statusCode).toBe(403);
    const started = await bandung.request('POST', '/api/beneficiaries/dedup-runs', { regionCode: '32.73' });
    expect(started.statusCode, started.body).toBe(202);
    await sys.ctx.jobs.drain();
    const run = (await bandung.request('GET', `/api/beneficiaries/dedup-runs/${started.json().id}`)).json() as Run;
    const inBandung = [...seeded.regencyOf.values()].filter((c) => c === '32.73').length;
    expect(run).toMatchObject({ status: 'done', regionCode: '32.73', counts: { records: inBandung } });
    // Every pair it queued lies inside 32.73.
    const rows = await candidatesOfRun(run.id);
    for (const r of rows) expect([seeded.regencyOf.get(r.record_a), seeded.regencyOf.get(r.record_b)]).toEqual(['32.73', '32.73']);

    const mine = (await bandung.request('GET', '/api/beneficiaries/dedup-runs')).json().items as Run[];
    expect(mine.map((r) => r.id)).toEqual([run.id]);
    expect((await otherBandung.request('GET', '/api/beneficiaries/dedup-runs')).json().items).toEqual([]);
    expect((await otherBandung.request('GET', `/api/beneficiaries/dedup-runs/${run.id}`)).statusCode).toBe(404);
    const all = (await national.request('GET', '/api/beneficiaries/dedup-runs')).json().items as Run[];
    expect(all.map((r) => r.id)).toContain(run.id);
  }, 60_000);
});
