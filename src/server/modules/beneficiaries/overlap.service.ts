/**
 * Targeting without overlap (DAMPING): the same person never receives the same kind of aid twice
 * in a period, across programmes and partners.
 *
 * - The eligible list of a distribution says, for each candidate record, included or excluded and
 *   why: already received this kind of aid in an overlapping period (from which programme and
 *   partner, on which date), or the same person is already in this list. Candidates must be in the
 *   caller's scope; the benefits that exclude them are looked up everywhere — a person served in
 *   Malang must not be served again in Bandung — and the reason names the programme, partner and
 *   date only, never the other region's record.
 * - A partner's overlap check: the partner's own rows (NIK, name, birth date, region) are linked to
 *   the registry with the registry's own model (exact NIK, then name + birth date scored by the
 *   Fellegi-Sunter model of linkage.ts), and each row learns whether that person already received
 *   the kind of aid in the period. Only benefits inside the partner's valid agreements count, and
 *   when staff act for the partner, inside their own scope too. Without an agreement that allows
 *   personal data the partner learns the programmes and partners only; with one, also person ids,
 *   dates and how the match was made.
 */
import type { z } from 'zod';
import { hasPermission, regionCovers, regionFilter, requirePartnerKeyScope, type Actor, type PartnerKeyScope } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError, fieldMessage, type Locale } from '../../platform/errors.ts';
import { audit, checkNik, FieldErrors, iso, type RequestMeta, type Warning } from './common.ts';
import * as brepo from './benefits.repository.ts';
import { checkProgrammeKindPeriod } from './benefits.service.ts';
import { explain } from './linkage.ts';
import { assertInRegion } from './policy.ts';
import { linkThresholds } from './records.service.ts';
import { incomingLinkRecord, linkRecordOf } from './registration.service.ts';
import * as repo from './repository.ts';
import type * as os from './overlap.schemas.ts';

/** One list holds at most this many records; a larger region is answered in part (`truncated`). */
export const MAX_LIST = 5000;

type Reason = z.infer<typeof os.EligibleList>['items'][number]['reasons'][number];

function requireSomeRead(actor: Actor) {
  if (!hasPermission(actor, 'beneficiaries.read')) throw new AppError('forbidden');
}

const today = () => new Date().toISOString().slice(0, 10);

function alreadyReceived(b: brepo.BenefitView, kindName: string, locale: Locale): Reason {
  const partner = b.partner_id === null ? null : { id: b.partner_id, name: b.partner_name ?? '' };
  const date = (b.delivered_at ?? b.created_at) as Date | string;
  return {
    code: 'already_received',
    message: fieldMessage('benefit_already_received', locale, {
      aidKind: kindName,
      periodStart: b.period_start,
      periodEnd: b.period_end,
      programme: `${b.programme_code} (${b.programme_name})`,
      partner: partner ? (locale === 'en' ? ` / partner ${partner.name}` : ` / mitra ${partner.name}`) : '',
      date: new Date(date).toISOString().slice(0, 10),
    }),
    benefitId: b.id,
    programme: { code: b.programme_code, name: b.programme_name },
    partner,
    period: { start: b.period_start, end: b.period_end },
    deliveredAt: iso(b.delivered_at),
  };
}

async function candidateRecords(db: Queryable, actor: Actor, candidates: z.infer<typeof os.EligibleListInput>['candidates']) {
  if ('recordIds' in candidates) {
    const ids = [...new Set(candidates.recordIds)];
    const found = await repo.findRecords(db, ids);
    for (const r of found.values()) assertInRegion(actor, 'beneficiaries.read', r.regency_code);
    return { ids, found, truncated: false };
  }
  const code = candidates.regionCode;
  assertInRegion(actor, 'beneficiaries.read', code);
  const region = (await repo.findRegions(db, [code])).get(code);
  if (!region || region.level > 3) throw AppError.invalid({ path: 'candidates.regionCode', code: 'unknown_region', params: { code } });
  const filter = region.level === 3 ? { districtCode: code } : { regencies: await repo.regenciesWithin(db, [code]) };
  const rows = await brepo.recordsInRegion(db, filter, MAX_LIST + 1);
  const kept = rows.slice(0, MAX_LIST);
  return { ids: kept.map((r) => r.id), found: new Map(kept.map((r) => [r.id, r])), truncated: rows.length > MAX_LIST };
}

export async function eligibleList(
  ctx: AppContext,
  actor: Actor,
  input: z.infer<typeof os.EligibleListInput>,
  locale: Locale,
): Promise<z.infer<typeof os.EligibleList>> {
  requireSomeRead(actor);
  const errors = new FieldErrors();
  const { programme, kind } = await checkProgrammeKindPeriod(ctx.db, errors, input);
  errors.throwIfAny();
  const { ids, found, truncated } = await candidateRecords(ctx.db, actor, input.candidates);

  const personIds = [...new Set([...found.values()].map((r) => r.person_id))];
  const benefits = await brepo.overlappingBenefitsOfPersons(ctx.db, personIds, { aidKind: input.aidKind, periodStart: input.period.start, periodEnd: input.period.end });
  const byPerson = new Map<number, brepo.BenefitView[]>();
  for (const b of benefits) byPerson.set(b.current_person_id, [...(byPerson.get(b.current_person_id) ?? []), b]);

  const kindName = locale === 'en' ? kind!.name_en : kind!.name_id;
  const firstInList = new Map<number, number>();
  const items = ids.map((id) => {
    const r = found.get(id);
    if (!r) {
      const message = fieldMessage('unknown_record', locale, { id });
      return { recordId: id, personId: null, fullName: null, regencyCode: null, included: false, reasons: [{ code: 'not_found' as const, message }] };
    }
    const reasons: Reason[] = (byPerson.get(r.person_id) ?? []).map((b) => alreadyReceived(b, kindName, locale));
    const first = firstInList.get(r.person_id);
    if (first !== undefined) {
      reasons.push({
        code: 'duplicate_in_list',
        message: fieldMessage('benefit_duplicate_in_list', locale, { recordId: first, personId: r.person_id }),
        duplicateOfRecordId: first,
      });
    } else {
      firstInList.set(r.person_id, r.id);
    }
    return { recordId: r.id, personId: r.person_id, fullName: r.full_name, regencyCode: r.regency_code, included: reasons.length === 0, reasons };
  });
  const included = items.filter((i) => i.included).length;
  return {
    programme: { code: programme!.code, name: programme!.name },
    aidKind: input.aidKind,
    period: input.period,
    included,
    excluded: items.length - included,
    truncated,
    items,
  };
}

// ---------------------------------------------------------------- partners

export type Agreement = Awaited<ReturnType<typeof brepo.validAgreements>>[number];

const agreementScope = (a: Agreement) => ({ scopeType: a.scope_type, scopeCode: a.scope_code });

/** A partner, and its agreements valid today; refuses a partner without one. */
export async function partnerWithAgreements(db: Queryable, partnerId: number) {
  const partner = await brepo.findPartner(db, partnerId);
  if (!partner) throw AppError.invalid({ path: 'partnerId', code: 'unknown_partner', params: { id: partnerId } });
  const agreements = await brepo.validAgreements(db, partnerId, today());
  if (agreements.length === 0) throw new AppError('partner_agreement_required');
  return { partner, agreements };
}

/**
 * The partner a call is made for. A partner's key acts for its own partner only, with the scope the
 * operation needs; staff (beneficiaries.read somewhere) name the partner they act for.
 */
export function partnerOfCall(actor: Actor, partnerId: number | undefined, scope: PartnerKeyScope): number {
  if (actor.partnerKey) {
    const key = requirePartnerKeyScope(actor, scope);
    if (partnerId !== undefined && partnerId !== key.partnerId) throw new AppError('partner_key_other_partner');
    return key.partnerId;
  }
  requireSomeRead(actor);
  if (partnerId === undefined) throw AppError.invalid({ path: 'partnerId', code: 'partner_required' });
  return partnerId;
}

/**
 * Regencies one of the agreements covers and, for staff acting for the partner, their own scope
 * (beneficiaries.read) covers too. A partner calling with its key has no scope of its own in the
 * network: its agreements are all it may reach.
 */
export async function sharedScope(db: Queryable, actor: Actor, agreements: Agreement[]): Promise<repo.ScopeCondition> {
  const mine = actor.partnerKey ? ({ kind: 'all' } as const) : regionFilter(actor, 'beneficiaries.read');
  if (mine.kind === 'none') throw new AppError('forbidden');
  const national = agreements.some((a) => a.scope_type === 'national');
  const theirs = national ? null : await repo.regenciesWithin(db, agreements.map((a) => a.scope_code));
  const ours = mine.kind === 'all' ? null : await repo.regenciesWithin(db, mine.codes);
  if (!theirs && !ours) return { kind: 'all' };
  if (!theirs) return { kind: 'some', regencies: ours! };
  if (!ours) return { kind: 'some', regencies: theirs };
  const set = new Set(ours);
  return { kind: 'some', regencies: theirs.filter((c) => set.has(c)) };
}

const inScope = (scope: repo.ScopeCondition, regency: string) => scope.kind === 'all' || scope.regencies.includes(regency);

type OverlapRow = z.infer<typeof os.PartnerOverlapResult>['rows'][number];

export async function partnerOverlap(
  ctx: AppContext,
  actor: Actor,
  input: z.infer<typeof os.PartnerOverlapInput>,
  locale: Locale,
  meta: RequestMeta,
): Promise<z.infer<typeof os.PartnerOverlapResult>> {
  const partnerId = partnerOfCall(actor, input.partnerId, 'overlap.check');
  const errors = new FieldErrors();
  await checkProgrammeKindPeriod(ctx.db, errors, { aidKind: input.aidKind, period: input.period });
  errors.throwIfAny();
  const { agreements } = await partnerWithAgreements(ctx.db, partnerId);
  const scope = await sharedScope(ctx.db, actor, agreements);
  const personalData = agreements.some((a) => a.allows_personal_data);
  const mayShowPerson = (regency: string) => agreements.some((a) => a.allows_personal_data && regionCovers(agreementScope(a), regency));
  const thresholds = await linkThresholds(ctx.db);

  const rows: OverlapRow[] = [];
  for (const [index, row] of input.rows.entries()) {
    const base = { index, ref: row.ref ?? null, sources: [], detail: personalData ? [] : null };
    const rowErrors = new FieldErrors();
    const warnings: Warning[] = [];
    const nik = row.nik ? await checkNik(ctx.db, rowErrors, warnings, row.nik, { sex: null, birthDate: row.birthDate ?? null }) : null;
    if (rowErrors.list.length) {
      rows.push({
        ...base,
        status: 'invalid',
        errors: rowErrors.list.map((e) => ({ path: `rows.${index}.${e.path}`, code: e.code, message: fieldMessage(e.code, locale, e.params) })),
      });
      continue;
    }
    const incoming = incomingLinkRecord({
      fullName: row.fullName,
      nik,
      kk: null,
      birthDate: row.birthDate ?? null,
      sex: nik ? (Number(nik.slice(6, 8)) > 40 ? 'P' : 'L') : null,
      regencyCode: row.regencyCode ?? (nik ? `${nik.slice(0, 2)}.${nik.slice(2, 4)}` : ''),
      phone: null,
      address: null,
    });
    const candidates = await repo.blockingCandidates(ctx.db, incoming);
    const matches = new Map<number, { match: 'nik' | 'name_birth_date'; probability: number }>();
    for (const c of candidates) {
      const probability = explain(incoming, linkRecordOf(c)).matchProbability;
      const byNik = !!nik && c.nik === nik;
      if (!byNik && probability < thresholds.review) continue;
      const prev = matches.get(c.person_id);
      const match = byNik ? ('nik' as const) : ('name_birth_date' as const);
      if (!prev || (match === 'nik' && prev.match !== 'nik') || (match === prev.match && probability > prev.probability)) {
        matches.set(c.person_id, { match, probability });
      }
    }
    const benefits = (
      await brepo.overlappingBenefitsOfPersons(ctx.db, [...matches.keys()], { aidKind: input.aidKind, periodStart: input.period.start, periodEnd: input.period.end })
    ).filter((b) => inScope(scope, b.regency_code));
    const sources = new Map<string, OverlapRow['sources'][number]>();
    for (const b of benefits) {
      sources.set(`${b.programme_id}/${b.partner_id ?? ''}`, {
        programme: { code: b.programme_code, name: b.programme_name },
        partner: b.partner_id === null ? null : { id: b.partner_id, name: b.partner_name ?? '' },
      });
    }
    rows.push({
      ...base,
      status: benefits.length ? 'already_received' : 'not_received',
      errors: [],
      sources: [...sources.values()],
      detail: personalData
        ? benefits
            .filter((b) => mayShowPerson(b.regency_code))
            .map((b) => ({
              personId: b.current_person_id,
              ...matches.get(b.current_person_id)!,
              benefitId: b.id,
              period: { start: b.period_start, end: b.period_end },
              deliveredAt: iso(b.delivered_at),
              regencyCode: b.regency_code,
            }))
        : null,
    });
  }

  const result = {
    partnerId,
    personalData,
    checked: rows.length,
    invalid: rows.filter((r) => r.status === 'invalid').length,
    alreadyReceived: rows.filter((r) => r.status === 'already_received').length,
    rows,
  };
  await ctx.db.transaction().execute((tx) =>
    audit(ctx, tx, actor, meta, {
      action: 'benefits.partner_overlap',
      entityType: 'partner',
      entityId: partnerId,
      after: { aidKind: input.aidKind, period: input.period, checked: result.checked, invalid: result.invalid, alreadyReceived: result.alreadyReceived, personalData },
    }),
  );
  return result;
}
