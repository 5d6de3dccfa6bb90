/**
 * Partners (the pentahelix: government, academia, business, community, media, aggregators) and
 * their agreements. An agreement has a scope (national, a province or a regency), a validity
 * period, and says whether it is a data-sharing agreement that lets the partner see personal data.
 */
import type { z } from 'zod';
import { regionFilter, type Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { PartnerType } from '../../platform/schema.ts';
import { audit, checkProvinceOrRegency, FieldErrors, iso, maskPhone, phoneOf, type RequestMeta } from './common.ts';
import { assertCanManagePartner, assertCanReadPartner, assertCanRevealPartnerContact, assertCanSetAgreement } from './policy.ts';
import * as repo from './repository.ts';
import type * as s from './schemas.ts';

export type PublicPartner = z.infer<typeof s.Partner>;
type PublicAgreement = z.infer<typeof s.Agreement>;

export interface AgreementInput {
  title: string;
  scopeCode?: string | null;
  validFrom: string;
  validUntil?: string | null;
  allowsPersonalData: boolean;
}

export interface PartnerInput {
  name: string;
  type: PartnerType;
  regionCode?: string | null;
  website?: string | null;
  contactName?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  agreements: AgreementInput[];
}

export type PartnerPatch = Partial<Omit<PartnerInput, 'agreements'>>;
export type AgreementPatch = Partial<AgreementInput>;

/** The scope type follows from the code: none is national, "32" a province, "32.73" a regency. */
function scopeTypeOf(code: string | null | undefined): repo.AgreementValues['scope_type'] {
  if (!code) return 'national';
  return code.length === 2 ? 'province' : 'regency';
}

function presentAgreement(a: repo.AgreementRow): PublicAgreement {
  return {
    id: a.id,
    title: a.title,
    scopeType: a.scope_type,
    scopeCode: a.scope_code || null,
    validFrom: a.valid_from,
    validUntil: a.valid_until,
    allowsPersonalData: a.allows_personal_data,
    active: a.active,
  };
}

export function presentPartner(p: repo.PartnerRow, agreements: repo.AgreementRow[]): PublicPartner {
  return {
    id: p.id,
    name: p.name,
    type: p.type,
    region: p.region_code ? { code: p.region_code, name: p.region_name } : null,
    website: p.website,
    contactName: p.contact_name,
    contactEmail: p.contact_email,
    // A contact person's number is personal data, masked as a member's is: POST …/reveal shows it, logged.
    contactPhone: maskPhone(p.contact_phone),
    agreements: agreements.filter((a) => a.partner_id === p.id).map(presentAgreement),
    createdAt: iso(p.created_at)!,
    updatedAt: iso(p.updated_at)!,
  };
}

function auditPartner(p: repo.PartnerRow) {
  return {
    name: p.name,
    type: p.type,
    region_code: p.region_code,
    website: p.website,
    contact_name: p.contact_name,
    email: p.contact_email,
    phone: p.contact_phone,
  };
}

function auditAgreement(a: Pick<repo.AgreementRow, 'title' | 'scope_type' | 'scope_code' | 'valid_from' | 'valid_until' | 'allows_personal_data'>) {
  return {
    title: a.title,
    scope_type: a.scope_type,
    scope_code: a.scope_code,
    valid_from: a.valid_from,
    valid_until: a.valid_until,
    allows_personal_data: a.allows_personal_data,
  };
}

async function loadPartner(db: Queryable, id: number) {
  const p = await repo.findPartner(db, id);
  if (!p) throw new AppError('not_found');
  return p;
}

async function present(db: Queryable, id: number) {
  return presentPartner(await loadPartner(db, id), await repo.agreementsOf(db, [id]));
}

export async function getPartner(ctx: AppContext, actor: Actor, id: number): Promise<PublicPartner> {
  const p = await loadPartner(ctx.db, id);
  assertCanReadPartner(actor, p.region_code);
  return presentPartner(p, await repo.agreementsOf(ctx.db, [id]));
}

/** The contact person's phone in clear, for those who may see personal data where the partner works; logged with the reason. */
export async function revealPartnerContact(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: { field: 'contactPhone'; reason: string },
  meta: RequestMeta,
): Promise<{ field: 'contactPhone'; value: string | null }> {
  return ctx.db.transaction().execute(async (tx) => {
    const p = await loadPartner(tx, id);
    assertCanReadPartner(actor, p.region_code);
    assertCanRevealPartnerContact(actor, p.region_code);
    await audit(ctx, tx, actor, meta, { action: 'partner.reveal', entityType: 'partner', entityId: id, after: { field: input.field }, reason: input.reason });
    return { field: input.field, value: p.contact_phone };
  });
}

/**
 * The partners a caller may list: national ones, and those working in the caller's regions or in
 * a province that contains them. Forbidden without registry.read anywhere.
 */
export function partnerReach(actor: Actor): repo.PartnerReach {
  const f = regionFilter(actor, 'registry.read');
  if (f.kind === 'none') throw new AppError('forbidden');
  if (f.kind === 'all') return { kind: 'all' };
  return { kind: 'some', codes: f.codes, ancestors: [...new Set(f.codes.filter((c) => c.length > 2).map((c) => c.slice(0, 2)))] };
}

export async function listPartners(
  ctx: AppContext,
  actor: Actor,
  query: { q?: string; type?: PartnerType; regionCode?: string; limit: number; offset: number },
): Promise<{ items: PublicPartner[]; total: number }> {
  const { items, total } = await repo.listPartners(ctx.db, { reach: partnerReach(actor), ...query });
  const agreements = await repo.agreementsOf(
    ctx.db,
    items.map((p) => p.id),
  );
  return { items: items.map((p) => presentPartner(p, agreements)), total };
}

async function checkAgreement(db: Queryable, errors: FieldErrors, path: string, a: { scopeCode?: string | null; validFrom: string; validUntil?: string | null }) {
  await checkProvinceOrRegency(db, errors, `${path}scopeCode`, a.scopeCode);
  if (a.validUntil && a.validUntil < a.validFrom) errors.add(`${path}validUntil`, 'valid_until_before_from');
}

function agreementValues(a: AgreementInput): repo.AgreementValues {
  return {
    title: a.title,
    scope_type: scopeTypeOf(a.scopeCode),
    scope_code: a.scopeCode ?? '',
    valid_from: a.validFrom,
    valid_until: a.validUntil ?? null,
    allows_personal_data: a.allowsPersonalData,
  };
}

export async function createPartner(ctx: AppContext, actor: Actor, input: PartnerInput, meta: RequestMeta): Promise<PublicPartner> {
  assertCanManagePartner(actor, input.regionCode ?? null);
  for (const a of input.agreements) assertCanSetAgreement(actor, a.scopeCode ?? null, a.allowsPersonalData);
  const id = await ctx.db.transaction().execute(async (tx) => {
    const errors = new FieldErrors();
    await checkProvinceOrRegency(tx, errors, 'regionCode', input.regionCode);
    const contactPhone = phoneOf(errors, 'contactPhone', input.contactPhone) ?? null;
    for (const [i, a] of input.agreements.entries()) await checkAgreement(tx, errors, `agreements.${i}.`, a);
    errors.throwIfAny();
    const partnerId = await repo.insertPartner(tx, {
      name: input.name,
      type: input.type,
      region_code: input.regionCode ?? null,
      website: input.website ?? null,
      contact_name: input.contactName ?? null,
      contact_email: input.contactEmail ?? null,
      contact_phone: contactPhone,
    });
    for (const a of input.agreements) await repo.insertAgreement(tx, partnerId, agreementValues(a));
    await audit(ctx, tx, actor, meta, {
      action: 'partner.create',
      entityType: 'partner',
      entityId: partnerId,
      after: { ...auditPartner(await loadPartner(tx, partnerId)), agreements: input.agreements.map((a) => auditAgreement(agreementValues(a))) },
    });
    return partnerId;
  });
  return present(ctx.db, id);
}

export async function updatePartner(ctx: AppContext, actor: Actor, id: number, patch: PartnerPatch, meta: RequestMeta): Promise<PublicPartner> {
  await ctx.db.transaction().execute(async (tx) => {
    const before = await loadPartner(tx, id);
    assertCanManagePartner(actor, before.region_code);
    // Moving a partner hands it to the coordinators of the new region: the actor must cover both.
    if (patch.regionCode !== undefined && patch.regionCode !== before.region_code) assertCanManagePartner(actor, patch.regionCode);
    const errors = new FieldErrors();
    if (patch.regionCode) await checkProvinceOrRegency(tx, errors, 'regionCode', patch.regionCode);
    const contactPhone = phoneOf(errors, 'contactPhone', patch.contactPhone);
    errors.throwIfAny();
    await repo.updatePartner(tx, id, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.type !== undefined && { type: patch.type }),
      ...(patch.regionCode !== undefined && { region_code: patch.regionCode }),
      ...(patch.website !== undefined && { website: patch.website }),
      ...(patch.contactName !== undefined && { contact_name: patch.contactName }),
      ...(patch.contactEmail !== undefined && { contact_email: patch.contactEmail }),
      ...(contactPhone !== undefined && { contact_phone: contactPhone }),
    });
    await audit(ctx, tx, actor, meta, {
      action: 'partner.update',
      entityType: 'partner',
      entityId: id,
      before: auditPartner(before),
      after: auditPartner(await loadPartner(tx, id)),
    });
  });
  return present(ctx.db, id);
}

export async function addAgreement(ctx: AppContext, actor: Actor, partnerId: number, input: AgreementInput, meta: RequestMeta): Promise<PublicPartner> {
  await ctx.db.transaction().execute(async (tx) => {
    const partner = await loadPartner(tx, partnerId);
    assertCanManagePartner(actor, partner.region_code);
    assertCanSetAgreement(actor, input.scopeCode ?? null, input.allowsPersonalData);
    const errors = new FieldErrors();
    await checkAgreement(tx, errors, '', input);
    errors.throwIfAny();
    const values = agreementValues(input);
    const agreementId = await repo.insertAgreement(tx, partnerId, values);
    await audit(ctx, tx, actor, meta, {
      action: 'partner.agreement.create',
      entityType: 'partner',
      entityId: partnerId,
      after: { agreement_id: agreementId, ...auditAgreement(values) },
    });
  });
  return present(ctx.db, partnerId);
}

export async function updateAgreement(
  ctx: AppContext,
  actor: Actor,
  partnerId: number,
  agreementId: number,
  patch: AgreementPatch,
  meta: RequestMeta,
): Promise<PublicPartner> {
  await ctx.db.transaction().execute(async (tx) => {
    const partner = await loadPartner(tx, partnerId);
    assertCanManagePartner(actor, partner.region_code);
    const before = await repo.findAgreement(tx, partnerId, agreementId);
    if (!before) throw new AppError('not_found');
    // Power over the agreement as it is and as it will be.
    assertCanSetAgreement(actor, before.scope_code || null, before.allows_personal_data);
    const merged: AgreementInput = {
      title: patch.title ?? before.title,
      scopeCode: patch.scopeCode !== undefined ? patch.scopeCode : before.scope_code || null,
      validFrom: patch.validFrom ?? before.valid_from,
      validUntil: patch.validUntil !== undefined ? patch.validUntil : before.valid_until,
      allowsPersonalData: patch.allowsPersonalData ?? before.allows_personal_data,
    };
    assertCanSetAgreement(actor, merged.scopeCode ?? null, merged.allowsPersonalData);
    const errors = new FieldErrors();
    await checkAgreement(tx, errors, '', merged);
    errors.throwIfAny();
    const values = agreementValues(merged);
    await repo.updateAgreement(tx, agreementId, values);
    await audit(ctx, tx, actor, meta, {
      action: 'partner.agreement.update',
      entityType: 'partner',
      entityId: partnerId,
      before: { agreement_id: agreementId, ...auditAgreement(before) },
      after: { agreement_id: agreementId, ...auditAgreement(values) },
    });
  });
  return present(ctx.db, partnerId);
}
