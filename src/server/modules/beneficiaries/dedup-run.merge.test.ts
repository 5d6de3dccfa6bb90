/**
 * "Merge all clear matches of this run": a background job that merges a finished run's pending clear
 * matches through the reviewer's own merge (audited, undoable), skips pairs a reviewer decided, put
 * aside or merged and undid, never merges twice (asked twice, delivered twice, taken again after a
 * restart mid-way), and respects who may see and change the run.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { grants, login, makeUser, type Client } from '../../../../test/factories.ts';
import { seedSyntheticRegistry } from './dedup-run.fixtures.ts';
import { CLEAR_MERGE_JOB_KIND } from './dedup-run.service.ts';

let sys: TestSystem;
let national: Client;
let bandung: Client;
let jakarta: Client;
let westJava: Client;
let member: Client;
let nationalRun: number;
let bandungRun: number;

interface Merge {
  runId: number;
  status: string;
  jobId: number | null;
  started?: boolean;
  toMerge?: number;
  pairs: { clear: number; pending: number; later: number; merged: number; notSame: number; mergeable: number };
  progress: unknown;
  error: string | null;
}

const url = (runId: number) => `/api/beneficiaries/dedup-runs/${runId}/merge-clear-matches`;
const clearOfRun = (runId: number) =>
  sys.ctx.db
    .selectFrom('duplicate_candidates')
    .select(['id', 'status', 'record_a', 'record_b'])
    .where('dedup_run_id', '=', runId)
    .where('clear_match', '=', true)
    .orderBy('probability', 'desc')
    .orderBy('id')
    .execute();
const mergeCount = async () => Number((await sys.ctx.db.selectFrom('person_merges').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
const auditCount = async (action: string) =>
  Number((await sys.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);
const mergesOfCandidates = async (ids: number[]) =>
  sys.ctx.db.selectFrom('person_merges').select(['candidate_id', 'undone_at']).where('candidate_id', 'in', ids.length ? ids : [0]).execute();

async function finishedRun(client: Client, regionCode?: string): Promise<number> {
  const started = await client.request('POST', '/api/beneficiaries/dedup-runs', regionCode ? { regionCode } : {});
  expect(started.statusCode, started.body).toBe(202);
  await sys.ctx.jobs.drain();
  const run = (await client.request('GET', `/api/beneficiaries/dedup-runs/${started.json().id}`)).json();
  expect(run.status).toBe('done');
  expect(run.counts.queuedClearMatches).toBeGreaterThan(3);
  return run.id;
}

beforeAll(async () => {
  sys = await createTestSystem();
  national = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.nationalAdmin()] }));
  bandung = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  jakarta = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.provinceCoordinator('31')] }));
  westJava = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.provinceCoordinator('32')] }));
  member = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.member('32.73')] }));
  await seedSyntheticRegistry(sys.ctx.db, { records: 1500, seed: 7, provinces: ['32'] });
  // Bandung's own run first (its pairs are then queued by it), then the whole registry.
  bandungRun = await finishedRun(bandung, '32.73');
  nationalRun = await finishedRun(national);
}, 120_000);
afterAll(async () => {
  await sys?.close();
});

describe('merging the clear matches of a run', () => {
  it('merges each pending clear match like a reviewer, skips decided, deferred and undone pairs, and applies once when asked twice or delivered twice', async () => {
    const clear = await clearOfRun(nationalRun);
    const [rejected, deferred, undone] = clear;
    expect((await national.request('POST', `/api/beneficiaries/duplicates/${rejected.id}/decision`, { decision: 'not_same' })).statusCode).toBe(200);
    expect((await national.request('POST', `/api/beneficiaries/duplicates/${deferred.id}/decision`, { decision: 'later' })).statusCode).toBe(200);
    const merged = await national.request('POST', `/api/beneficiaries/duplicates/${undone.id}/decision`, { decision: 'merge' });
    expect(merged.statusCode, merged.body).toBe(200);
    expect((await national.request('POST', `/api/beneficiaries/merges/${merged.json().merge.id}/undo`, {})).statusCode).toBe(200);

    const before = (await national.request('GET', url(nationalRun))).json() as Merge;
    expect(before).toMatchObject({ status: 'none', jobId: null, pairs: { clear: clear.length, notSame: 1, later: 1, pending: clear.length - 2, mergeable: clear.length - 3 } });

    const first = await national.request('POST', url(nationalRun));
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toMatchObject({ started: true, toMerge: clear.length - 3, status: 'queued' });
    // A second click while it waits: the same job, no other.
    const second = await national.request('POST', url(nationalRun));
    expect(second.statusCode).toBe(202);
    expect(second.json()).toMatchObject({ started: false, jobId: first.json().jobId, status: 'queued' });
    // And the same job delivered twice.
    await sys.ctx.db.transaction().execute((tx) => sys.ctx.jobs.enqueue(tx, CLEAR_MERGE_JOB_KIND, { runId: nationalRun, requestedBy: (first.json() as Merge & { requestedBy: number }).requestedBy }));

    const decisionsBefore = await auditCount('beneficiary.duplicate_merge');
    expect(await sys.ctx.jobs.drain()).toBe(2);

    const after = (await national.request('GET', url(nationalRun))).json() as Merge;
    expect(after).toMatchObject({ status: 'done', progress: null, error: null, pairs: { merged: clear.length - 3, mergeable: 0, notSame: 1, later: 1, pending: 1 } });
    // One reviewer's decision per pair, audited: none twice.
    expect(await auditCount('beneficiary.duplicate_merge')).toBe(decisionsBefore + clear.length - 3);
    const statuses = new Map((await clearOfRun(nationalRun)).map((c) => [c.id, c.status]));
    expect([statuses.get(rejected.id), statuses.get(deferred.id), statuses.get(undone.id)]).toEqual(['not_same', 'later', 'pending']);
    const merges = await mergesOfCandidates(clear.map((c) => c.id));
    const perCandidate = new Map<number, number>();
    for (const m of merges) perCandidate.set(Number(m.candidate_id), (perCandidate.get(Number(m.candidate_id)) ?? 0) + 1);
    expect(Math.max(...perCandidate.values())).toBe(1);
    // The two records of every merged pair are one person now.
    const recordIds = clear.filter((c) => statuses.get(c.id) === 'merged').flatMap((c) => [c.record_a, c.record_b]);
    const persons = new Map((await sys.ctx.db.selectFrom('beneficiary_records').select(['id', 'person_id']).where('id', 'in', recordIds).execute()).map((r) => [r.id, r.person_id]));
    for (const c of clear.filter((x) => statuses.get(x.id) === 'merged')) expect(persons.get(c.record_a)).toBe(persons.get(c.record_b));

    // Asked again: nothing left, no job.
    const again = await national.request('POST', url(nationalRun));
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ started: false, toMerge: 0, status: 'done', jobId: after.jobId });
    expect(await auditCount('beneficiary.duplicate_merge')).toBe(decisionsBefore + clear.length - 3);
  }, 60_000);

  it('a bulk merge is undone like any merge, and the undone pair is not merged again', async () => {
    const [pair] = (await clearOfRun(nationalRun)).filter((c) => c.status === 'merged');
    const candidate = (await national.request('GET', `/api/beneficiaries/duplicates/${pair.id}`)).json();
    expect(candidate.note).toMatch(/#\d+/);
    const undo = await national.request('POST', `/api/beneficiaries/merges/${candidate.mergeId}/undo`, {});
    expect(undo.statusCode, undo.body).toBe(200);
    const again = await national.request('POST', url(nationalRun));
    expect(again.json()).toMatchObject({ started: false, toMerge: 0, pairs: { mergeable: 0, pending: 2 } });
  });

  it('a job taken again after its process died mid-way carries on and merges each pair once', async () => {
    const clear = await clearOfRun(bandungRun);
    const started = await bandung.request('POST', url(bandungRun));
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json()).toMatchObject({ started: true, toMerge: clear.length });
    // The first half merged by the job's first attempt, then the process died holding the job.
    const half = clear.slice(0, Math.floor(clear.length / 2));
    for (const c of half) expect((await bandung.request('POST', `/api/beneficiaries/duplicates/${c.id}/decision`, { decision: 'merge' })).statusCode).toBe(200);
    await sql`UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'dead-process', locked_until = now() - interval '1 second'
      WHERE id = ${started.json().jobId}`.execute(sys.ctx.db);
    const mergesBefore = await mergeCount();
    const sameBefore = clear.filter((c) => !half.includes(c));
    expect(await sys.ctx.jobs.drain()).toBe(1);
    const after = (await bandung.request('GET', url(bandungRun))).json() as Merge;
    expect(after).toMatchObject({ status: 'done', pairs: { merged: clear.length, mergeable: 0, pending: 0 } });
    // No pair merged twice; at most one merge per remaining pair (pairs already joined through another need none).
    expect(await mergeCount()).toBeLessThanOrEqual(mergesBefore + sameBefore.length);
    const perCandidate = new Map<number, number>();
    for (const m of await mergesOfCandidates(clear.map((c) => c.id))) perCandidate.set(Number(m.candidate_id), (perCandidate.get(Number(m.candidate_id)) ?? 0) + 1);
    expect(Math.max(...perCandidate.values())).toBe(1);
    const done = await sys.ctx.db.selectFrom('audit_log').select('after').where('action', '=', 'beneficiary.dedup_run_merge_clear_done').where('entity_id', '=', String(bandungRun)).execute();
    expect(done).toHaveLength(1);
    expect(done[0].after).toMatchObject({ merged: sameBefore.length, skipped: 0, attempt: 2 });
  }, 60_000);
});

describe('who may merge a run’s clear matches', () => {
  it('only who may change the run’s whole region; others do not see it', async () => {
    // Another province's coordinator, a coordinator of the same province, and a regency coordinator
    // on a national run: the run is not theirs (404), as for reading it.
    expect((await jakarta.request('POST', url(nationalRun))).statusCode).toBe(404);
    expect((await jakarta.request('POST', url(bandungRun))).statusCode).toBe(404);
    expect((await jakarta.request('GET', url(bandungRun))).statusCode).toBe(404);
    expect((await westJava.request('POST', url(bandungRun))).statusCode).toBe(404);
    expect((await bandung.request('POST', url(nationalRun))).statusCode).toBe(404);
    // Without beneficiary permissions at all.
    expect((await member.request('POST', url(bandungRun))).statusCode).toBe(403);
    expect((await member.request('GET', url(bandungRun))).statusCode).toBe(403);
    // The national admin may act on a coordinator's run.
    expect((await national.request('GET', url(bandungRun))).statusCode).toBe(200);
    expect((await national.request('POST', '/api/beneficiaries/dedup-runs/999999/merge-clear-matches')).statusCode).toBe(404);
  });

  it('refuses a run that has not finished', async () => {
    const started = await westJava.request('POST', '/api/beneficiaries/dedup-runs', { regionCode: '32' });
    expect(started.statusCode, started.body).toBe(202);
    const res = await westJava.request('POST', url(started.json().id));
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0]).toMatchObject({ code: 'dedup_run_not_done' });
    expect(res.json().errors[0].message).toContain(`#${started.json().id} belum selesai`);
    await sys.ctx.jobs.drain();
  }, 60_000);
});
