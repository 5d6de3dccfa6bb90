/**
 * Reading beneficiary records and persons (masked, scoped), revealing one personal field (logged),
 * and the linkage settings.
 */
import type { z } from 'zod';
import { normalizeName, phoneticKeyOfNormalized } from '../../../lib/linkage/index.ts';
import { authorize, type Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { audit, iso, maskId, maskPhone, regionQueryFilter, scopeCondition, type RequestMeta } from './common.ts';
import { DEFAULT_THRESHOLDS, type LinkThresholds } from './linkage.ts';
import { assertInRegion, listScope, visibleRecords } from './policy.ts';
import * as repo from './repository.ts';
import * as s from './schemas.ts';

export type PublicRecord = z.infer<typeof s.BeneficiaryRecord>;

/** Addresses are personal data too: shown as a mark that one exists, revealed like a NIK. */
const MASKED_ADDRESS = '***';

export function presentRecord(r: repo.RecordRow, regencyNames: Map<string, string>): PublicRecord {
  return {
    id: r.id,
    personId: r.person_id,
    householdId: r.household_id,
    source: { kind: r.source_kind, ref: r.source_ref, externalId: r.external_id },
    fullName: r.full_name,
    nik: maskId(r.nik),
    kk: maskId(r.kk),
    birthDate: r.birth_date,
    sex: r.sex,
    regency: { code: r.regency_code, name: regencyNames.get(r.regency_code) ?? null },
    districtCode: r.district_code,
    address: r.address === null ? null : MASKED_ADDRESS,
    phone: maskPhone(r.phone),
    consent: { purpose: r.consent_purpose, version: r.consent_text_version, givenAt: iso(r.consented_at)! },
    link: { outcome: r.link_outcome, probability: r.link_probability },
    createdAt: iso(r.created_at)!,
  };
}

export function presentMerge(m: repo.MergeRow & { note?: string | null }): z.infer<typeof s.Merge> {
  return {
    id: m.id,
    candidateId: m.candidate_id,
    fromPerson: m.from_person,
    intoPerson: m.into_person,
    movedRecordIds: m.moved_record_ids,
    mergedAt: iso(m.merged_at)!,
    undoneAt: iso(m.undone_at),
    note: m.note ?? null,
  };
}

export function presentSplit(x: repo.SplitRow): z.infer<typeof s.Split> {
  return { id: x.id, recordId: x.record_id, fromPerson: x.from_person, newPerson: x.new_person, splitAt: iso(x.split_at)!, note: x.note };
}

export async function presentRecords(db: Queryable, rows: repo.RecordRow[]): Promise<PublicRecord[]> {
  const names = await repo.regionNames(db, rows.map((r) => r.regency_code));
  return rows.map((r) => presentRecord(r, names));
}

/** What the audit log keeps of a record; nik, kk, phone, address and birth_date are masked by the audit module. */
export function auditSnapshot(r: repo.RecordRow) {
  return {
    person_id: r.person_id,
    household_id: r.household_id,
    source_kind: r.source_kind,
    source_ref: r.source_ref,
    external_id: r.external_id,
    full_name: r.full_name,
    nik: r.nik,
    kk: r.kk,
    birth_date: r.birth_date,
    sex: r.sex,
    regency_code: r.regency_code,
    district_code: r.district_code,
    address: r.address,
    phone: r.phone,
    consent: `${r.consent_purpose}:v${r.consent_text_version}`,
  };
}

// ---------------------------------------------------------------- persons

/** A person id as a programme stored it: merged persons resolve to the person they became. */
export async function resolvePerson(db: Queryable, id: number) {
  let person = await repo.findPerson(db, id);
  // Merges form chains only as long as the number of merges; the bound guards against a cycle.
  for (let hops = 0; person && person.status === 'merged' && person.merged_into !== null && hops < 100; hops++) {
    person = await repo.findPerson(db, person.merged_into);
  }
  if (!person || person.status !== 'active') throw new AppError('not_found');
  return person;
}

export async function getPerson(ctx: AppContext, actor: Actor, id: number): Promise<z.infer<typeof s.Person>> {
  const person = await resolvePerson(ctx.db, id);
  const records = await repo.recordsOfPerson(ctx.db, person.id);
  const visible = visibleRecords(actor, records);
  return {
    id: person.id,
    requestedId: id,
    status: person.status,
    records: await presentRecords(ctx.db, visible),
    hiddenRecords: records.length - visible.length,
    merges: (await repo.mergesOfPerson(ctx.db, person.id)).map(presentMerge),
    splits: (await repo.splitsOfPerson(ctx.db, person.id)).map(presentSplit),
  };
}

// ---------------------------------------------------------------- records

export async function listRecords(
  ctx: AppContext,
  actor: Actor,
  query: { q?: string; regionCode?: string; limit: number; offset: number },
): Promise<z.infer<typeof s.RecordList>> {
  const scope = await scopeCondition(ctx.db, listScope(actor, 'beneficiaries.read'));
  const region = await regionQueryFilter(ctx.db, query.regionCode);
  let text: string | undefined;
  if (query.q !== undefined) {
    text = normalizeName(query.q);
    if (text.replace(/ /g, '').length < 2) return { items: [], total: 0 };
  }
  const { items, total } = await repo.searchRecords(ctx.db, {
    scope,
    text,
    phoneticKey: text === undefined ? undefined : phoneticKeyOfNormalized(text),
    ...region,
    limit: query.limit,
    offset: query.offset,
  });
  const names = await repo.regionNames(ctx.db, items.map((r) => r.regency_code));
  return {
    items: items.map((r) => ({ ...presentRecord(r, names), score: r.score === null ? null : Math.round(r.score * 1000) / 1000 })),
    total,
  };
}

export async function getRecord(ctx: AppContext, actor: Actor, id: number): Promise<PublicRecord> {
  const r = await repo.findRecord(ctx.db, id);
  if (!r) throw new AppError('not_found');
  assertInRegion(actor, 'beneficiaries.read', r.regency_code);
  return (await presentRecords(ctx.db, [r]))[0];
}

/**
 * Shows one personal field in clear to a caller allowed to see personal data in the record's
 * regency, and writes who, when, which field and why to the audit log in the same transaction.
 */
export async function revealRecordField(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: { field: 'nik' | 'kk' | 'phone' | 'address'; reason: string },
  meta: RequestMeta,
): Promise<{ field: 'nik' | 'kk' | 'phone' | 'address'; value: string | null }> {
  return ctx.db.transaction().execute(async (tx) => {
    const r = await repo.findRecord(tx, id);
    if (!r) throw new AppError('not_found');
    assertInRegion(actor, 'beneficiaries.read', r.regency_code);
    assertInRegion(actor, 'personal_data.reveal', r.regency_code);
    await audit(ctx, tx, actor, meta, {
      action: 'beneficiary.reveal',
      entityType: 'beneficiary_record',
      entityId: id,
      after: { field: input.field },
      reason: input.reason,
    });
    return { field: input.field, value: r[input.field] };
  });
}

// ---------------------------------------------------------------- settings

export async function linkThresholds(db: Queryable): Promise<LinkThresholds> {
  const parsed = s.Settings.safeParse(await repo.readSettings(db));
  return parsed.success ? { autoLink: parsed.data.autoLinkProbability, review: parsed.data.reviewProbability } : DEFAULT_THRESHOLDS;
}

export async function getSettings(ctx: AppContext, actor: Actor): Promise<z.infer<typeof s.Settings>> {
  listScope(actor, 'beneficiaries.read');
  const t = await linkThresholds(ctx.db);
  return { autoLinkProbability: t.autoLink, reviewProbability: t.review };
}

/** National programme settings: only those who configure programmes nationally. */
export async function updateSettings(
  ctx: AppContext,
  actor: Actor,
  patch: z.infer<typeof s.SettingsPatch>,
  meta: RequestMeta,
): Promise<z.infer<typeof s.Settings>> {
  authorize(actor, 'programmes.configure', null);
  return ctx.db.transaction().execute(async (tx) => {
    const current = await linkThresholds(tx);
    const before = { autoLinkProbability: current.autoLink, reviewProbability: current.review };
    const after = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    if (after.reviewProbability > after.autoLinkProbability) throw AppError.invalid({ path: 'reviewProbability', code: 'review_above_auto_link' });
    await repo.writeSettings(tx, after);
    await audit(ctx, tx, actor, meta, { action: 'beneficiary.settings', entityType: 'setting', entityId: 0, before, after });
    return after;
  });
}
