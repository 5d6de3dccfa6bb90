/**
 * The review queue of possible duplicates, merging persons, and splitting a record off a person.
 *
 * - A decision locks the candidate row: two reviewers deciding at once take turns, and the second
 *   finds the pair decided (409). 'later' leaves the pair open for another decision.
 * - A merge moves every record of one person to the other (the older person, lower id, stays:
 *   programmes that stored either id keep a working id, since the younger one now points to it),
 *   and records which records it moved, so it can be undone. Merge and undo are each one
 *   transaction with their audit entries.
 * - An undo moves the records back and reopens the pair for review: the merge was wrong, which
 *   does not yet say the two are different people. A merge whose surviving person was itself
 *   merged again must wait for that later merge to be undone.
 * - A split takes one record off its person into a person of its own: how a wrong automatic link
 *   (or a registration onto the wrong person) is undone. Every pair of that record with the
 *   person's other records is marked "not the same person", so a later dedup run does not queue
 *   them again. A record that came with a merge leaves by undoing that merge instead.
 */
import type { z } from 'zod';
import type { Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { DuplicateStatus } from '../../platform/schema.ts';
import { audit, iso, scopeCondition, type RequestMeta } from './common.ts';
import { assertInRegions, listScope } from './policy.ts';
import { presentMerge, presentRecord, presentSplit } from './records.service.ts';
import { explainLevels, type FellegiSunterModel } from '../../../lib/linkage/index.ts';
import { findRun } from './dedup-run.repository.ts';
import { modelOfParameters, type LearnedParameters } from './dedup-run.model.ts';
import { explain } from './linkage.ts';
import { linkRecordOf } from './registration.service.ts';
import * as repo from './repository.ts';
import type * as s from './schemas.ts';

type PublicCandidate = z.infer<typeof s.DuplicateCandidate>;
type PublicMerge = z.infer<typeof s.Merge>;

/**
 * A pair's explanation as stored: in full (found on entry, or written by a split), or — pairs of a
 * deduplication run, hundreds of thousands at a time — each field's level only, explained here with
 * the model the run learned (its parameters are stored with the run).
 */
type StoredExplanation = { priorWeight: number; contributions: PublicCandidate['contributions'] } | { levels: number[]; dedupRunId: number };

async function explanationsOf(db: Queryable, rows: repo.CandidateRow[]) {
  const stored = new Map(rows.map((c) => [c.id, c.explanation as unknown as StoredExplanation]));
  const runIds = new Set([...stored.values()].flatMap((e) => ('levels' in e ? [e.dedupRunId] : [])));
  const models = new Map<number, FellegiSunterModel>();
  for (const id of runIds) {
    const run = await findRun(db, id);
    if (run?.parameters) models.set(id, modelOfParameters(run.parameters as unknown as LearnedParameters));
  }
  return (c: repo.CandidateRow): { priorWeight: number; contributions: PublicCandidate['contributions'] } => {
    const e = stored.get(c.id)!;
    if (!('levels' in e)) return e;
    const model = models.get(e.dedupRunId);
    if (!model) throw new Error(`dedup run ${e.dedupRunId} of candidate ${c.id} has no parameters`);
    const { priorWeight, contributions } = explainLevels(model, e.levels);
    return { priorWeight, contributions };
  };
}

async function presentCandidates(db: Queryable, rows: repo.CandidateRow[]): Promise<PublicCandidate[]> {
  const records = await repo.findRecords(db, rows.flatMap((c) => [c.record_a, c.record_b]));
  const names = await repo.regionNames(db, [...records.values()].map((r) => r.regency_code));
  const explanationOf = await explanationsOf(db, rows);
  const out: PublicCandidate[] = [];
  for (const c of rows) {
    const explanation = explanationOf(c);
    const merge = c.status === 'merged' ? await repo.mergesOfCandidate(db, c.id) : undefined;
    out.push({
      id: c.id,
      status: c.status,
      score: c.score,
      probability: c.probability,
      priorWeight: explanation.priorWeight,
      contributions: explanation.contributions,
      recordA: presentRecord(records.get(c.record_a)!, names),
      recordB: presentRecord(records.get(c.record_b)!, names),
      samePerson: records.get(c.record_a)!.person_id === records.get(c.record_b)!.person_id,
      decidedBy: c.decided_by,
      decidedAt: iso(c.decided_at),
      note: c.note,
      mergeId: merge && merge.undone_at === null ? merge.id : null,
      createdAt: iso(c.created_at)!,
    });
  }
  return out;
}

/** Pairs whose two records are both in the caller's scope. */
export async function listDuplicates(
  ctx: AppContext,
  actor: Actor,
  query: { status?: DuplicateStatus; limit: number; offset: number },
): Promise<z.infer<typeof s.DuplicateList>> {
  const scope = await scopeCondition(ctx.db, listScope(actor, 'beneficiaries.read'));
  const { items, total } = await repo.listCandidates(ctx.db, { scope, ...query });
  return { items: await presentCandidates(ctx.db, items), total };
}

async function pairRecords(db: Queryable, c: repo.CandidateRow) {
  const records = await repo.findRecords(db, [c.record_a, c.record_b]);
  return [records.get(c.record_a)!, records.get(c.record_b)!] as const;
}

export async function getDuplicate(ctx: AppContext, actor: Actor, id: number): Promise<PublicCandidate> {
  const c = await repo.findCandidate(ctx.db, id);
  if (!c) throw new AppError('not_found');
  const [a, b] = await pairRecords(ctx.db, c);
  assertInRegions(actor, 'beneficiaries.read', [a.regency_code, b.regency_code]);
  return (await presentCandidates(ctx.db, [c]))[0];
}

export async function decideDuplicate(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: { decision: 'merge' | 'not_same' | 'later'; note?: string | null },
  meta: RequestMeta,
): Promise<z.infer<typeof s.DecisionResult>> {
  const mergeId = await ctx.db.transaction().execute(async (tx) => {
    const c = await repo.lockCandidate(tx, id);
    if (!c) throw new AppError('not_found');
    const [a, b] = await pairRecords(tx, c);
    assertInRegions(actor, 'beneficiaries.manage', [a.regency_code, b.regency_code]);
    if (c.status !== 'pending' && c.status !== 'later') {
      throw new AppError('conflict', { errors: [{ path: 'decision', code: 'duplicate_decided', params: { status: c.status } }] });
    }
    const note = input.note ?? null;
    const status: DuplicateStatus = input.decision === 'merge' ? 'merged' : input.decision;
    await repo.decideCandidate(tx, id, status, actor.userId, note);
    await audit(ctx, tx, actor, meta, {
      action: `beneficiary.duplicate_${input.decision}`,
      entityType: 'duplicate_candidate',
      entityId: id,
      before: { status: c.status },
      after: { status, record_a: c.record_a, record_b: c.record_b },
      reason: note,
    });
    if (input.decision !== 'merge' || a.person_id === b.person_id) return null;
    return mergePersons(ctx, tx, actor, meta, { candidateId: id, persons: [a.person_id, b.person_id], note });
  });
  const candidate = (await presentCandidates(ctx.db, [(await repo.findCandidate(ctx.db, id))!]))[0];
  const merge = mergeId === null ? null : await repo.findMerge(ctx.db, mergeId);
  return { candidate, merge: merge ? presentMerge({ ...merge, note: candidate.note }) : null };
}

async function mergePersons(
  ctx: AppContext,
  tx: Queryable,
  actor: Actor,
  meta: RequestMeta,
  m: { candidateId: number; persons: [number, number]; note: string | null },
): Promise<number> {
  const locked = await repo.lockPersons(tx, m.persons);
  if (locked.length !== 2 || locked.some((p) => p.status !== 'active')) {
    // A record's person is always active: records move with every merge. Anything else is a bug.
    throw new Error(`persons ${m.persons.join(', ')} are not both active`);
  }
  const into = Math.min(...m.persons);
  const from = Math.max(...m.persons);
  const moving = (await repo.recordsOfPerson(tx, from)).map((r) => r.id);
  // Whoever merges takes responsibility for every record that changes person.
  const regencies = (await repo.findRecords(tx, moving)).values();
  assertInRegions(actor, 'beneficiaries.manage', [...regencies].map((r) => r.regency_code));
  const moved = await repo.moveRecords(tx, moving, from, into);
  await repo.setPersonMerged(tx, from, into);
  const mergeId = await repo.insertMerge(tx, { candidate_id: m.candidateId, from_person: from, into_person: into, moved_record_ids: moved, merged_by: actor.userId });
  await audit(ctx, tx, actor, meta, {
    action: 'beneficiary.merge',
    entityType: 'person',
    entityId: into,
    before: { from_person: from, into_person: into },
    after: { merge_id: mergeId, moved_record_ids: moved, candidate_id: m.candidateId },
    reason: m.note,
  });
  return mergeId;
}

export async function undoMerge(ctx: AppContext, actor: Actor, id: number, meta: RequestMeta): Promise<PublicMerge> {
  await ctx.db.transaction().execute(async (tx) => {
    const merge = await repo.lockMerge(tx, id);
    if (!merge) throw new AppError('not_found');
    const moved = [...(await repo.findRecords(tx, merge.moved_record_ids)).values()];
    const candidate = merge.candidate_id === null ? undefined : await repo.findCandidate(tx, merge.candidate_id);
    const pair = candidate ? await pairRecords(tx, candidate) : [];
    assertInRegions(actor, 'beneficiaries.manage', [...moved, ...pair].map((r) => r.regency_code));
    if (merge.undone_at !== null) throw new AppError('conflict', { errors: [{ path: 'id', code: 'merge_undone' }] });
    await repo.lockPersons(tx, [merge.from_person, merge.into_person]);
    const later = await repo.laterMergeOf(tx, merge.into_person);
    if (later) throw new AppError('conflict', { errors: [{ path: 'id', code: 'merge_superseded', params: { id: later.id } }] });
    const back = await repo.moveRecords(tx, merge.moved_record_ids, merge.into_person, merge.from_person);
    await repo.setPersonMerged(tx, merge.from_person, null);
    await repo.markMergeUndone(tx, id, actor.userId);
    if (candidate) await repo.decideCandidate(tx, candidate.id, 'pending', null, null);
    await audit(ctx, tx, actor, meta, {
      action: 'beneficiary.merge_undo',
      entityType: 'person',
      entityId: merge.into_person,
      before: { merge_id: id, into_person: merge.into_person },
      after: { from_person: merge.from_person, moved_back_record_ids: back, candidate_reopened: candidate?.id ?? null },
    });
  });
  return presentMerge((await repo.findMerge(ctx.db, id))!);
}

export async function splitRecord(
  ctx: AppContext,
  actor: Actor,
  recordId: number,
  input: { note?: string | null },
  meta: RequestMeta,
): Promise<z.infer<typeof s.SplitResult>> {
  const split = await ctx.db.transaction().execute(async (tx) => {
    const first = await repo.findRecord(tx, recordId);
    if (!first) throw new AppError('not_found');
    await repo.lockPersons(tx, [first.person_id]);
    // Read again under the person's lock: a merge or another split may have moved it meanwhile.
    const record = (await repo.findRecord(tx, recordId))!;
    if (record.person_id !== first.person_id) throw new AppError('conflict', { errors: [{ path: 'id', code: 'record_moved' }] });
    const siblings = (await repo.recordsOfPerson(tx, record.person_id)).filter((r) => r.id !== record.id);
    // Whoever splits decides about every record the split record is separated from.
    assertInRegions(actor, 'beneficiaries.manage', [record.regency_code, ...siblings.map((r) => r.regency_code)]);
    if (siblings.length === 0) throw new AppError('conflict', { errors: [{ path: 'id', code: 'record_alone' }] });
    const merge = await repo.activeMergeMoving(tx, record.id, record.person_id);
    if (merge) throw new AppError('conflict', { errors: [{ path: 'id', code: 'record_merged', params: { id: merge.id } }] });

    const note = input.note ?? null;
    const newPerson = await repo.insertPerson(tx);
    await repo.moveRecords(tx, [record.id], record.person_id, newPerson);
    const mine = linkRecordOf(record);
    for (const other of siblings) {
      const e = explain(mine, linkRecordOf(other));
      await repo.recordNotSame(tx, {
        record_a: Math.min(record.id, other.id),
        record_b: Math.max(record.id, other.id),
        score: e.matchWeight,
        probability: e.matchProbability,
        explanation: { priorWeight: e.priorWeight, matchWeight: e.matchWeight, contributions: e.contributions },
        decided_by: actor.userId,
        note,
      });
    }
    const row = await repo.insertSplit(tx, { record_id: record.id, from_person: record.person_id, new_person: newPerson, split_by: actor.userId, note });
    await audit(ctx, tx, actor, meta, {
      action: 'beneficiary.split',
      entityType: 'beneficiary_record',
      entityId: record.id,
      before: { person_id: record.person_id },
      after: { person_id: newPerson, split_id: row.id, not_same_as_record_ids: siblings.map((r) => r.id) },
      reason: note,
    });
    return row;
  });
  return { split: presentSplit(split), person: split.new_person };
}
