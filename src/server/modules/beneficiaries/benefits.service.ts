/**
 * The benefit ledger: aid programmes and kinds of aid, and each benefit given (person × programme
 * × kind × period × partner, through one beneficiary record).
 *
 * Writing a benefit is one transaction with its audit entry, and idempotent twice over: the same
 * `Idempotency-Key` (per caller), and the same natural key (record, programme, kind, period) are
 * one benefit. A repeat with the same content answers the first benefit (`replayed`); with other
 * content it is a 409.
 *
 * Benefits are read through their record's current person, so a merge shows the merged person's
 * benefits on the surviving person, and undoing it takes them back.
 */
import crypto from 'node:crypto';
import type { z } from 'zod';
import { can, hasPermission, type Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError, type Locale } from '../../platform/errors.ts';
import { audit, FieldErrors, iso, type RequestMeta } from './common.ts';
import * as brepo from './benefits.repository.ts';
import type * as bs from './benefits.schemas.ts';
import { assertInRegion, visibleRecords } from './policy.ts';
import { resolvePerson } from './records.service.ts';
import * as repo from './repository.ts';

export type NewBenefitInput = z.infer<typeof bs.NewBenefitInput>;
export type PublicBenefit = z.infer<typeof bs.Benefit>;

function requireSomeRead(actor: Actor) {
  if (!hasPermission(actor, 'beneficiaries.read')) throw new AppError('forbidden');
}

// ---------------------------------------------------------------- aid kinds and programmes

export async function listAidKinds(ctx: AppContext, actor: Actor, locale: Locale): Promise<z.infer<typeof bs.AidKindList>> {
  requireSomeRead(actor);
  const rows = await brepo.listAidKinds(ctx.db);
  return { items: rows.map((k) => ({ code: k.code, name: locale === 'en' ? k.name_en : k.name_id, unit: k.unit })) };
}

const presentProgramme = (p: brepo.ProgrammeRow) => ({ id: p.id, code: p.code, name: p.name, aidKinds: p.aid_kinds });

export async function listProgrammes(ctx: AppContext, actor: Actor): Promise<z.infer<typeof bs.ProgrammeList>> {
  requireSomeRead(actor);
  return { items: (await brepo.listProgrammes(ctx.db)).map(presentProgramme) };
}

/** A new aid programme: national programme configuration. */
export async function createProgramme(ctx: AppContext, actor: Actor, input: z.infer<typeof bs.NewProgrammeInput>, meta: RequestMeta) {
  // A national setting: only a national grant covers "no region".
  if (!can(actor, 'programmes.configure', null)) throw new AppError('forbidden');
  const kinds = [...new Set(input.aidKinds)];
  const errors = new FieldErrors();
  for (const [i, code] of kinds.entries()) if (!(await brepo.findAidKind(ctx.db, code))) errors.add(`aidKinds.${i}`, 'unknown_aid_kind', { code });
  errors.throwIfAny();
  return ctx.db.transaction().execute(async (tx) => {
    const id = await brepo.insertProgramme(tx, input.code, input.name, kinds);
    if (id === undefined) throw new AppError('conflict');
    await audit(ctx, tx, actor, meta, { action: 'aid_programme.create', entityType: 'aid_programme', entityId: id, after: { code: input.code, name: input.name, aidKinds: kinds } });
    return presentProgramme((await brepo.findProgramme(tx, input.code))!);
  });
}

// ---------------------------------------------------------------- benefits

export function presentBenefit(b: brepo.BenefitView): PublicBenefit {
  return {
    id: b.id,
    personId: b.current_person_id,
    recordId: b.record_id,
    programme: { code: b.programme_code, name: b.programme_name },
    aidKind: b.aid_kind,
    period: { start: b.period_start, end: b.period_end },
    partner: b.partner_id === null ? null : { id: b.partner_id, name: b.partner_name ?? '' },
    regencyCode: b.regency_code,
    quantity: b.quantity,
    amount: b.amount,
    deliveredAt: iso(b.delivered_at),
    createdAt: iso(b.created_at)!,
  };
}

/** Programme, kind, period and partner: the checks shared by the ledger, the eligible list and the overlap APIs. */
export async function checkProgrammeKindPeriod(
  db: Queryable,
  errors: FieldErrors,
  input: { programme?: string; aidKind: string; period: { start: string; end: string }; partnerId?: number | null },
): Promise<{ programme?: brepo.ProgrammeRow; kind?: { code: string; name_id: string; name_en: string } }> {
  const kind = await brepo.findAidKind(db, input.aidKind);
  if (!kind) errors.add('aidKind', 'unknown_aid_kind', { code: input.aidKind });
  let programme: brepo.ProgrammeRow | undefined;
  if (input.programme !== undefined) {
    programme = await brepo.findProgramme(db, input.programme);
    if (!programme) errors.add('programme', 'unknown_programme', { code: input.programme });
    else if (kind && !programme.aid_kinds.includes(kind.code)) {
      errors.add('aidKind', 'programme_lacks_aid_kind', { programme: programme.code, aidKind: kind.code });
    }
  }
  if (input.period.end < input.period.start) errors.add('period.end', 'period_reversed');
  if (input.partnerId && !(await brepo.findPartner(db, input.partnerId))) errors.add('partnerId', 'unknown_partner', { id: input.partnerId });
  return { programme, kind };
}

const requestHash = (input: NewBenefitInput) =>
  crypto
    .createHash('sha256')
    .update(
      JSON.stringify([
        input.recordId,
        input.programme,
        input.aidKind,
        input.period.start,
        input.period.end,
        input.partnerId ?? null,
        input.quantity ?? null,
        input.amount ?? null,
        input.deliveredAt ? new Date(input.deliveredAt).toISOString() : null,
      ]),
    )
    .digest('hex');

async function replay(db: Queryable, actor: Actor, row: brepo.BenefitRow, hash: string, conflict: AppError) {
  assertInRegion(actor, 'beneficiaries.manage', row.regency_code);
  if (row.request_hash !== hash) throw conflict;
  return { benefit: presentBenefit((await brepo.findBenefitView(db, row.id))!), replayed: true };
}

export async function recordBenefit(
  ctx: AppContext,
  actor: Actor,
  input: NewBenefitInput,
  meta: RequestMeta,
  opts: { idempotencyKey?: string } = {},
): Promise<z.infer<typeof bs.BenefitResult>> {
  const hash = requestHash(input);
  const keyConflict = new AppError('conflict', { errors: [{ path: 'headers.idempotency-key', code: 'idempotency_key_reused' }] });
  if (opts.idempotencyKey) {
    const row = await brepo.findBenefitByIdempotencyKey(ctx.db, actor.userId, opts.idempotencyKey);
    if (row) return replay(ctx.db, actor, row, hash, keyConflict);
  }
  const record = await repo.findRecord(ctx.db, input.recordId);
  if (!record) throw AppError.invalid({ path: 'recordId', code: 'unknown_record', params: { id: input.recordId } });
  assertInRegion(actor, 'beneficiaries.manage', record.regency_code);

  const errors = new FieldErrors();
  const { programme } = await checkProgrammeKindPeriod(ctx.db, errors, input);
  errors.throwIfAny();
  const natural = { recordId: record.id, programmeId: programme!.id, aidKind: input.aidKind, periodStart: input.period.start, periodEnd: input.period.end };
  const naturalConflict = new AppError('benefit_conflict');

  const id = await ctx.db.transaction().execute(async (tx) => {
    // The record's person now: a record always belongs to an active person (merges move records).
    const current = await repo.findRecord(tx, record.id);
    const newId = await brepo.insertBenefit(tx, {
      person_id: current!.person_id,
      record_id: record.id,
      programme_id: programme!.id,
      aid_kind: input.aidKind,
      period_start: input.period.start,
      period_end: input.period.end,
      partner_id: input.partnerId ?? null,
      regency_code: record.regency_code,
      quantity: input.quantity ?? null,
      amount: input.amount ?? null,
      delivered_at: input.deliveredAt ? new Date(input.deliveredAt) : null,
      idempotency_key: opts.idempotencyKey ?? null,
      request_hash: hash,
      created_by: actor.userId,
    });
    if (newId === undefined) return undefined;
    await audit(ctx, tx, actor, meta, {
      action: 'benefit.record',
      entityType: 'benefit',
      entityId: newId,
      after: {
        personId: current!.person_id,
        recordId: record.id,
        programme: programme!.code,
        aidKind: input.aidKind,
        period: input.period,
        partnerId: input.partnerId ?? null,
        quantity: input.quantity ?? null,
        amount: input.amount ?? null,
        deliveredAt: input.deliveredAt ?? null,
      },
    });
    return newId;
  });
  if (id === undefined) {
    // Someone wrote it first (a retry, or a second volunteer): answer as a repeat.
    const byKey = opts.idempotencyKey ? await brepo.findBenefitByIdempotencyKey(ctx.db, actor.userId, opts.idempotencyKey) : undefined;
    if (byKey) return replay(ctx.db, actor, byKey, hash, keyConflict);
    const existing = await brepo.findBenefitByNaturalKey(ctx.db, natural);
    if (!existing) throw new AppError('conflict');
    return replay(ctx.db, actor, existing, hash, naturalConflict);
  }
  return { benefit: presentBenefit((await brepo.findBenefitView(ctx.db, id))!), replayed: false };
}

/**
 * A person's benefits (a merged id resolves to the person it became), as far as the caller's
 * scope goes: benefits given through records in regencies the caller covers.
 */
export async function personBenefits(ctx: AppContext, actor: Actor, personId: number, aidKind?: string): Promise<z.infer<typeof bs.BenefitList>> {
  const person = await resolvePerson(ctx.db, personId);
  visibleRecords(actor, await repo.recordsOfPerson(ctx.db, person.id));
  const rows = await brepo.benefitsOfPersons(ctx.db, [person.id], aidKind);
  return { items: rows.filter((b) => can(actor, 'beneficiaries.read', b.regency_code)).map(presentBenefit) };
}

export type NewBenefitBatchInput = z.infer<typeof bs.NewBenefitBatchInput>;

/**
 * A distribution recorded at once: one benefit per record, all in ONE transaction (all or none).
 *
 * Idempotent on the batch key: each benefit carries `<key>#<record id>` as its idempotency key
 * (so the single-benefit endpoint and the batch share one uniqueness rule), and its natural key
 * makes a record already given this benefit with the same content count as `replayed`. A repeat
 * of the batch therefore writes nothing; a key reused for other content (another record, another
 * quantity) is a 409, and so is a record that already has this benefit with other content
 * (`benefit_conflict`, its record ids in the details) — nothing of the batch is written then.
 *
 * One audit entry for the batch, listing the benefits written: the audit chain serialises every
 * entry under one lock, and thousands of entries would hold every other writer up.
 */
export async function recordBenefits(
  ctx: AppContext,
  actor: Actor,
  input: NewBenefitBatchInput,
  meta: RequestMeta,
): Promise<z.infer<typeof bs.BenefitBatchResult>> {
  const ids = input.recordIds;
  const itemOf = (recordId: number): NewBenefitInput => ({
    recordId,
    programme: input.programme,
    aidKind: input.aidKind,
    period: input.period,
    partnerId: input.partnerId,
    quantity: input.quantity,
    amount: input.amount,
    deliveredAt: input.deliveredAt,
  });
  const hashes = new Map(ids.map((id) => [id, requestHash(itemOf(id))]));
  const keyConflict = new AppError('conflict', { errors: [{ path: 'idempotencyKey', code: 'idempotency_key_reused' }] });

  // Benefits written earlier under this key must all belong to this very request.
  const earlier = await brepo.benefitsOfBatchKey(ctx.db, actor.userId, input.idempotencyKey);
  for (const row of earlier) assertInRegion(actor, 'beneficiaries.manage', row.regency_code);
  if (earlier.some((row) => hashes.get(row.record_id) !== row.request_hash)) throw keyConflict;

  const records = await repo.findRecords(ctx.db, ids);
  const errors = new FieldErrors();
  for (const [i, id] of ids.entries()) if (!records.has(id)) errors.add(`recordIds.${i}`, 'unknown_record', { id });
  errors.throwIfAny();
  for (const r of records.values()) assertInRegion(actor, 'beneficiaries.manage', r.regency_code);
  const { programme } = await checkProgrammeKindPeriod(ctx.db, errors, input);
  errors.throwIfAny();
  const natural = { programmeId: programme!.id, aidKind: input.aidKind, periodStart: input.period.start, periodEnd: input.period.end };

  return ctx.db.transaction().execute(async (tx) => {
    // The records' persons now: a merge may have moved a record since it was read above.
    const current = await repo.findRecords(tx, ids);
    const written = await brepo.insertBenefits(
      tx,
      ids.map((id) => ({
        person_id: current.get(id)!.person_id,
        record_id: id,
        programme_id: programme!.id,
        aid_kind: input.aidKind,
        period_start: input.period.start,
        period_end: input.period.end,
        partner_id: input.partnerId ?? null,
        regency_code: current.get(id)!.regency_code,
        quantity: input.quantity ?? null,
        amount: input.amount ?? null,
        delivered_at: input.deliveredAt ? new Date(input.deliveredAt) : null,
        idempotency_key: `${input.idempotencyKey}#${id}`,
        request_hash: hashes.get(id)!,
        created_by: actor.userId,
      })),
    );
    // A key used before answers only what it wrote then: anything new means other content.
    if (earlier.length > 0 && written.length > 0) throw keyConflict;
    const writtenByRecord = new Map(written.map((w) => [w.record_id, w.id]));
    const skipped = ids.filter((id) => !writtenByRecord.has(id));
    const existing = new Map((await brepo.benefitsByNaturalKeys(tx, { ...natural, recordIds: skipped })).map((b) => [b.record_id, b]));
    const conflicts = skipped.filter((id) => existing.get(id)?.request_hash !== hashes.get(id));
    if (conflicts.length > 0) throw new AppError('benefit_conflict', { recordIds: conflicts });

    if (written.length > 0) {
      await audit(ctx, tx, actor, meta, {
        action: 'benefit.record_batch',
        entityType: 'aid_programme',
        entityId: programme!.id,
        after: {
          programme: programme!.code,
          aidKind: input.aidKind,
          period: input.period,
          partnerId: input.partnerId ?? null,
          quantity: input.quantity ?? null,
          amount: input.amount ?? null,
          deliveredAt: input.deliveredAt ?? null,
          idempotencyKey: input.idempotencyKey,
          benefitIds: written.map((w) => w.id),
          recordIds: written.map((w) => w.record_id),
        },
      });
    }
    const items = ids.map((id) => {
      const benefitId = writtenByRecord.get(id) ?? existing.get(id)!.id;
      return { recordId: id, personId: current.get(id)!.person_id, benefitId, replayed: !writtenByRecord.has(id) };
    });
    return { recorded: written.length, replayed: items.length - written.length, items };
  });
}
