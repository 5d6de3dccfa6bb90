/**
 * Registering a beneficiary record: validate, find likely duplicates among every existing record
 * (blocking by NIK, KK, name + birth date, phonetic name + regency; Fellegi-Sunter scoring), then
 * link to a clear match, queue the grey zone for review, or start a new person — all in one
 * transaction with its audit entries.
 *
 * A retried request writes nothing: the same `Idempotency-Key` (per caller), or the same source
 * record (`source.kind`, `source.ref`, `source.externalId`), answers with the record made the
 * first time, or a 409 when the retry carries different content.
 */
import crypto from 'node:crypto';
import type { z } from 'zod';
import { normalizeAddress, normalizeName, phoneticKeyOfNormalized } from '../../../lib/linkage/index.ts';
import { normalizePhone } from '../../../lib/phone/index.ts';
import type { Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { audit, checkKk, checkNik, checkRegencyAndDistrict, FieldErrors, type RequestMeta, type Warning } from './common.ts';
import { explain, type LinkRecord } from './linkage.ts';
import { assertInRegion } from './policy.ts';
import { auditSnapshot, linkThresholds, presentRecords, type PublicRecord } from './records.service.ts';
import * as repo from './repository.ts';
import type * as s from './schemas.ts';

export type BeneficiaryInput = z.infer<typeof s.NewBeneficiaryInput>;

export interface Registration {
  record: PublicRecord;
  personId: number;
  outcome: 'new' | 'linked' | 'queued';
  probability: number | null;
  queuedCandidates: number;
  replayed: boolean;
  warnings: Warning[];
}

export interface RegisterOptions {
  idempotencyKey?: string;
  /** "Today" for NIK/KK dates (tests). */
  referenceDate?: string;
}

/** The fields the linkage model compares, from a stored record. */
export function linkRecordOf(r: repo.RecordRow): LinkRecord {
  return {
    searchName: r.search_name,
    phoneticKey: r.phonetic_key,
    nik: r.nik,
    kk: r.kk,
    birthDate: r.birth_date,
    sex: r.sex,
    regencyCode: r.regency_code,
    phone: r.phone,
    address: r.address ? normalizeAddress(r.address).text || null : null,
  };
}

/**
 * The fields the linkage model compares, from a new record's cleaned values (NIK, KK and phone
 * already validated): registration, imports and a partner's overlap check build it alike.
 */
export function incomingLinkRecord(v: {
  fullName: string;
  nik: string | null;
  kk: string | null;
  birthDate: string | null;
  sex: 'L' | 'P' | null;
  regencyCode: string;
  phone: string | null;
  address: string | null;
}): LinkRecord {
  const searchName = normalizeName(v.fullName) || v.fullName.trim().toLowerCase();
  return {
    searchName,
    phoneticKey: phoneticKeyOfNormalized(searchName),
    nik: v.nik,
    kk: v.kk,
    birthDate: v.birthDate,
    sex: v.sex,
    regencyCode: v.regencyCode,
    phone: v.phone,
    address: v.address ? normalizeAddress(v.address).text || null : null,
  };
}

/**
 * The records blocked with a new one, each with its explanation, the likeliest first: what
 * on-entry linkage decides from (the "check one new person against the registry" of the scale
 * bench, bench/beneficiary-entry.mjs).
 */
export async function scoredCandidates(db: Queryable, incoming: LinkRecord) {
  return (await repo.blockingCandidates(db, incoming))
    .map((row) => ({ row, explanation: explain(incoming, linkRecordOf(row)) }))
    .sort((a, b) => b.explanation.matchWeight - a.explanation.matchWeight || a.row.id - b.row.id);
}

const requestHash = (input: BeneficiaryInput) => crypto.createHash('sha256').update(JSON.stringify(input)).digest('hex');

async function replay(ctx: AppContext, actor: Actor, row: repo.RecordRow, hash: string, conflict: AppError): Promise<Registration> {
  assertInRegion(actor, 'beneficiaries.manage', row.regency_code);
  if (row.request_hash !== hash) throw conflict;
  const queued = await ctx.db
    .selectFrom('duplicate_candidates')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([eb('record_a', '=', row.id), eb('record_b', '=', row.id)]))
    .executeTakeFirstOrThrow();
  return {
    record: (await presentRecords(ctx.db, [row]))[0],
    personId: row.person_id,
    outcome: row.link_outcome,
    probability: row.link_probability,
    queuedCandidates: Number(queued.n),
    replayed: true,
    warnings: [],
  };
}

/** An earlier registration this request repeats, answered as it was; undefined when there is none. */
async function findRepeat(ctx: AppContext, actor: Actor, input: BeneficiaryInput, hash: string, opts: RegisterOptions) {
  if (opts.idempotencyKey) {
    const row = await repo.findRecordByIdempotencyKey(ctx.db, actor.userId, opts.idempotencyKey);
    if (row) return replay(ctx, actor, row, hash, new AppError('conflict', { errors: [{ path: 'headers.idempotency-key', code: 'idempotency_key_reused' }] }));
  }
  const externalId = input.source.externalId;
  if (externalId) {
    const row = await repo.findRecordBySource(ctx.db, input.source.kind, input.source.ref, externalId);
    if (row) {
      return replay(ctx, actor, row, hash, new AppError('conflict', { errors: [{ path: 'source.externalId', code: 'source_record_reused', params: { externalId } }] }));
    }
  }
  return undefined;
}

export async function registerBeneficiary(
  ctx: AppContext,
  actor: Actor,
  input: BeneficiaryInput,
  meta: RequestMeta,
  opts: RegisterOptions = {},
): Promise<Registration> {
  assertInRegion(actor, 'beneficiaries.manage', input.regencyCode);
  const hash = requestHash(input);
  const repeat = await findRepeat(ctx, actor, input, hash, opts);
  if (repeat) return repeat;
  const warnings: Warning[] = [];
  try {
    const result = await ctx.db.transaction().execute((tx) => registerInside(ctx, tx, actor, input, meta, opts, hash, warnings));
    return { ...result, record: (await presentRecords(ctx.db, [result.row]))[0], replayed: false, warnings };
  } catch (err) {
    // Two copies of one request at the same moment: the unique index lets one in; the other answers as a retry.
    if (repo.isUniqueViolation(err, 'beneficiary_records_idempotency_idx') || repo.isUniqueViolation(err, 'beneficiary_records_source_idx')) {
      const again = await findRepeat(ctx, actor, input, hash, opts);
      if (again) return again;
    }
    throw err;
  }
}

async function validate(tx: Queryable, input: BeneficiaryInput, opts: RegisterOptions, warnings: Warning[]) {
  const errors = new FieldErrors();
  await checkRegencyAndDistrict(tx, errors, input.regencyCode, input.districtCode);
  let phone: string | null = null;
  if (input.phone) {
    const p = normalizePhone(input.phone);
    if (p.ok) phone = p.e164;
    else errors.add('phone', 'phone_format');
  }
  const today = opts.referenceDate ?? new Date().toISOString().slice(0, 10);
  if (input.birthDate && (input.birthDate < '1900-01-01' || input.birthDate > today)) errors.add('birthDate', 'birth_date_range');
  // A clock a few minutes ahead on a field phone is not a consent from the future.
  if (input.consent.givenAt && Date.parse(input.consent.givenAt) > Date.now() + 10 * 60_000) errors.add('consent.givenAt', 'date_future');
  const declared = { sex: input.sex ?? null, birthDate: input.birthDate ?? null };
  const nik = input.nik ? await checkNik(tx, errors, warnings, input.nik, declared, opts) : null;
  const kk = input.kk ? await checkKk(tx, errors, warnings, input.kk, opts) : null;
  const current = await repo.currentConsentVersion(tx, input.consent.purpose);
  if (current === undefined) errors.add('consent.purpose', 'unknown_consent_purpose', { purpose: input.consent.purpose });
  else if (current !== input.consent.version) {
    errors.add('consent.version', 'consent_version_outdated', { purpose: input.consent.purpose, current });
  }
  errors.throwIfAny();
  return { phone, nik, kk };
}

async function registerInside(
  ctx: AppContext,
  tx: Queryable,
  actor: Actor,
  input: BeneficiaryInput,
  meta: RequestMeta,
  opts: RegisterOptions,
  hash: string,
  warnings: Warning[],
) {
  const { phone, nik, kk } = await validate(tx, input, opts, warnings);
  const address = input.address ? normalizeAddress(input.address) : null;
  const incoming = incomingLinkRecord({
    fullName: input.fullName,
    nik,
    kk,
    birthDate: input.birthDate ?? null,
    sex: input.sex ?? null,
    regencyCode: input.regencyCode,
    phone,
    address: input.address ?? null,
  });

  await repo.lockIdentifiers(tx, [nik, kk].filter((k): k is string => k !== null));
  const thresholds = await linkThresholds(tx);
  const scored = await scoredCandidates(tx, incoming);
  const best = scored[0];
  const linked = best && best.explanation.matchProbability >= thresholds.autoLink ? best : undefined;
  const personId = linked ? linked.row.person_id : await repo.insertPerson(tx);
  const toReview = scored.filter((c) => c.row.person_id !== personId && c.explanation.matchProbability >= thresholds.review);
  const outcome = linked ? 'linked' : toReview.length > 0 ? 'queued' : 'new';

  const householdId = kk
    ? await repo.householdForKk(tx, {
        kk,
        regency_code: input.regencyCode,
        district_code: input.districtCode ?? null,
        address: input.address ?? null,
        rt: address?.rt ?? null,
        rw: address?.rw ?? null,
      })
    : null;
  const recordId = await repo.insertRecord(tx, {
    person_id: personId,
    household_id: householdId,
    source_kind: input.source.kind,
    source_ref: input.source.ref,
    external_id: input.source.externalId ?? null,
    full_name: input.fullName,
    search_name: incoming.searchName,
    phonetic_key: incoming.phoneticKey,
    nik,
    kk,
    birth_date: input.birthDate ?? null,
    sex: input.sex ?? null,
    regency_code: input.regencyCode,
    district_code: input.districtCode ?? null,
    address: input.address ?? null,
    phone,
    consent_purpose: input.consent.purpose,
    consent_text_version: input.consent.version,
    consented_at: input.consent.givenAt ? new Date(input.consent.givenAt) : new Date(),
    link_outcome: outcome,
    link_probability: best ? best.explanation.matchProbability : null,
    idempotency_key: opts.idempotencyKey ?? null,
    request_hash: hash,
    created_by: actor.userId,
  });
  const row = (await repo.findRecord(tx, recordId))!;

  await audit(ctx, tx, actor, meta, {
    action: 'beneficiary.register',
    entityType: 'beneficiary_record',
    entityId: recordId,
    after: { ...auditSnapshot(row), outcome },
  });
  if (linked) {
    await audit(ctx, tx, actor, meta, {
      action: 'beneficiary.auto_link',
      entityType: 'person',
      entityId: personId,
      after: {
        record_id: recordId,
        matched_record_id: linked.row.id,
        probability: linked.explanation.matchProbability,
        match_weight: linked.explanation.matchWeight,
        threshold: thresholds.autoLink,
        levels: Object.fromEntries(linked.explanation.contributions.map((c) => [c.field, c.label])),
      },
    });
  }
  let queuedCandidates = 0;
  for (const c of toReview) {
    const candidateId = await repo.insertCandidate(tx, {
      record_a: Math.min(c.row.id, recordId),
      record_b: Math.max(c.row.id, recordId),
      score: c.explanation.matchWeight,
      probability: c.explanation.matchProbability,
      explanation: { priorWeight: c.explanation.priorWeight, matchWeight: c.explanation.matchWeight, contributions: c.explanation.contributions },
    });
    if (candidateId === undefined) continue;
    queuedCandidates++;
    await audit(ctx, tx, actor, meta, {
      action: 'beneficiary.duplicate_queued',
      entityType: 'duplicate_candidate',
      entityId: candidateId,
      after: { record_a: Math.min(c.row.id, recordId), record_b: Math.max(c.row.id, recordId), probability: c.explanation.matchProbability },
    });
  }
  return { row, personId, outcome, probability: best ? best.explanation.matchProbability : null, queuedCandidates } as const;
}
