/**
 * Communities: profile, subsectors, contacts and the coordinator's decision on a registration.
 * Coordinators create communities in their region; a community's own admin (a community-scoped
 * grant) edits its profile but cannot move it to another regency, deactivate or approve it.
 */
import type { z } from 'zod';
import type { Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { LegalStatus } from '../../platform/schema.ts';
import {
  audit,
  checkRegencyAndDistrict,
  checkSubsectors,
  FieldErrors,
  iso,
  maskPhone,
  nameSearch,
  phoneOf,
  regionQueryFilter,
  scopeCondition,
  searchNameOf,
  type RequestMeta,
} from './common.ts';
import { revokeCommunityGrants } from '../identity/service.ts';
import { assertCanMoveTo, assertInRegion, assertOnCommunity, listScope } from './policy.ts';
import { invalidateRegistryDashboard } from './dashboard.service.ts';
import * as repo from './repository.ts';
import type * as s from './schemas.ts';

export type PublicCommunity = z.infer<typeof s.Community>;
export type CommunitySummary = z.infer<typeof s.CommunitySummary>;

export interface CommunityInput {
  name: string;
  regencyCode: string;
  districtCode?: string | null;
  description?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  contactEmail?: string | null;
  socialLinks: { kind: string; url: string }[];
  legalStatus: LegalStatus;
  foundingYear?: number | null;
  subsectors: string[];
}

export type CommunityPatch = Partial<CommunityInput> & { status?: 'active' | 'inactive' };

export function presentCommunity(c: repo.CommunityRow): PublicCommunity {
  return {
    id: c.id,
    name: c.name,
    regency: { code: c.regency_code, name: c.regency_name },
    district: c.district_code ? { code: c.district_code, name: c.district_name } : null,
    description: c.description,
    contactName: c.contact_name,
    // The contact person's number is personal data, masked as a member's is: POST …/reveal shows it, logged.
    contactPhone: maskPhone(c.contact_phone),
    contactEmail: c.contact_email,
    socialLinks: c.social_links,
    legalStatus: c.legal_status,
    foundingYear: c.founding_year,
    subsectors: c.subsectors,
    status: c.status,
    memberCount: c.member_count,
    createdAt: iso(c.created_at)!,
    updatedAt: iso(c.updated_at)!,
  };
}

function auditSnapshot(c: repo.CommunityRow) {
  return {
    name: c.name,
    regency_code: c.regency_code,
    district_code: c.district_code,
    description: c.description,
    contact_name: c.contact_name,
    // The contact person's number and address are personal data: the audit module masks these keys.
    phone: c.contact_phone,
    email: c.contact_email,
    social_links: c.social_links,
    legal_status: c.legal_status,
    founding_year: c.founding_year,
    subsectors: c.subsectors,
    status: c.status,
  };
}

async function loadCommunity(db: Queryable, id: number): Promise<repo.CommunityRow> {
  const c = await repo.findCommunity(db, id);
  if (!c) throw new AppError('not_found');
  return c;
}

export async function getCommunity(ctx: AppContext, actor: Actor, id: number): Promise<PublicCommunity> {
  const c = await loadCommunity(ctx.db, id);
  assertOnCommunity(actor, 'registry.read', c);
  return presentCommunity(c);
}

/** The contact person's phone in clear, for those who may see personal data in the community's regency; logged with the reason. */
export async function revealCommunityContact(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: { field: 'contactPhone'; reason: string },
  meta: RequestMeta,
): Promise<{ field: 'contactPhone'; value: string | null }> {
  return ctx.db.transaction().execute(async (tx) => {
    const c = await loadCommunity(tx, id);
    assertInRegion(actor, 'personal_data.reveal', c.regency_code);
    await audit(ctx, tx, actor, meta, { action: 'community.reveal', entityType: 'community', entityId: id, after: { field: input.field }, reason: input.reason });
    return { field: input.field, value: c.contact_phone };
  });
}

export interface CommunityQuery {
  q?: string;
  regionCode?: string;
  subsector?: string;
  status?: 'pending' | 'active' | 'rejected' | 'inactive';
  limit: number;
  offset: number;
}

export async function listCommunities(ctx: AppContext, actor: Actor, query: CommunityQuery): Promise<{ items: CommunitySummary[]; total: number }> {
  const scope = await scopeCondition(ctx.db, listScope(actor, 'registry.read'));
  const search = nameSearch(query.q);
  if (search === null) return { items: [], total: 0 };
  const region = await regionQueryFilter(ctx.db, query.regionCode);
  const { items, total } = await repo.listCommunities(ctx.db, {
    scope,
    search,
    ...region,
    subsector: query.subsector,
    status: query.status,
    limit: query.limit,
    offset: query.offset,
  });
  return {
    items: items.map((r) => ({
      id: r.id,
      name: r.name,
      regency: { code: r.regency_code, name: r.regency_name },
      subsectors: r.subsectors,
      legalStatus: r.legal_status,
      status: r.status,
      memberCount: r.member_count,
      score: r.score === null ? null : Math.round(r.score * 1000) / 1000,
    })),
    total,
  };
}

export async function createCommunity(
  ctx: AppContext,
  actor: Actor,
  input: CommunityInput,
  meta: RequestMeta,
  opts: { status?: 'pending' | 'active' } = {},
): Promise<PublicCommunity> {
  assertInRegion(actor, 'registry.manage', input.regencyCode);
  const id = await ctx.db.transaction().execute(async (tx) => {
    const { id: communityId } = await insertCommunityChecked(tx, input, { status: opts.status ?? 'active' });
    const after = await loadCommunity(tx, communityId);
    await audit(ctx, tx, actor, meta, { action: 'community.create', entityType: 'community', entityId: communityId, after: auditSnapshot(after) });
    return communityId;
  });
  invalidateRegistryDashboard();
  return presentCommunity(await loadCommunity(ctx.db, id));
}

/**
 * The checked insert shared by `createCommunity` and the public self-registration, inside the
 * caller's transaction: region, subsectors and contact phone are validated, then the community and
 * its subsectors are written. Audit (and consents) stay with the caller. `opts.errors` lets the
 * caller report its own field errors (e.g. consents) in the same 422 response.
 */
export async function insertCommunityChecked(
  tx: Queryable,
  input: CommunityInput,
  opts: { status: 'pending' | 'active'; errors?: FieldErrors },
): Promise<{ id: number; subsectors: string[] }> {
  const errors = opts.errors ?? new FieldErrors();
  await checkRegencyAndDistrict(tx, errors, input.regencyCode, input.districtCode);
  const subsectors = await checkSubsectors(tx, errors, input.subsectors);
  const contactPhone = phoneOf(errors, 'contactPhone', input.contactPhone) ?? null;
  errors.throwIfAny();
  const id = await repo.insertCommunity(tx, {
    name: input.name,
    search_name: searchNameOf(input.name),
    regency_code: input.regencyCode,
    district_code: input.districtCode ?? null,
    description: input.description ?? null,
    contact_name: input.contactName ?? null,
    contact_phone: contactPhone,
    contact_email: input.contactEmail ?? null,
    social_links: input.socialLinks,
    legal_status: input.legalStatus,
    founding_year: input.foundingYear ?? null,
    status: opts.status,
  });
  await repo.setCommunitySubsectors(tx, id, subsectors);
  return { id, subsectors };
}

export async function updateCommunity(ctx: AppContext, actor: Actor, id: number, patch: CommunityPatch, meta: RequestMeta): Promise<PublicCommunity> {
  await ctx.db.transaction().execute(async (tx) => {
    const before = await loadCommunity(tx, id);
    assertOnCommunity(actor, 'registry.manage', before);
    const regencyCode = patch.regencyCode ?? before.regency_code;
    const regencyChanged = regencyCode !== before.regency_code;
    if (regencyChanged) assertCanMoveTo(actor, regencyCode);
    if (patch.status !== undefined && patch.status !== before.status) {
      // Switching a community off or on again is a coordinator's decision, like approving it.
      assertInRegion(actor, 'registry.approve', before.regency_code);
      if (before.status === 'pending' || before.status === 'rejected') {
        throw AppError.invalid({ path: 'status', code: before.status === 'pending' ? 'decision_pending' : 'not_pending' });
      }
    }
    const errors = new FieldErrors();
    const districtCode = patch.districtCode !== undefined ? patch.districtCode : regencyChanged ? null : before.district_code;
    if (patch.regencyCode !== undefined || patch.districtCode !== undefined) {
      await checkRegencyAndDistrict(tx, errors, regencyCode, districtCode);
    }
    const subsectors = patch.subsectors ? await checkSubsectors(tx, errors, patch.subsectors) : undefined;
    const contactPhone = phoneOf(errors, 'contactPhone', patch.contactPhone);
    errors.throwIfAny();
    await repo.updateCommunity(tx, id, {
      ...(patch.name !== undefined && { name: patch.name, search_name: searchNameOf(patch.name) }),
      ...(regencyChanged && { regency_code: regencyCode }),
      ...(districtCode !== before.district_code && { district_code: districtCode }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.contactName !== undefined && { contact_name: patch.contactName }),
      ...(contactPhone !== undefined && { contact_phone: contactPhone }),
      ...(patch.contactEmail !== undefined && { contact_email: patch.contactEmail }),
      ...(patch.socialLinks !== undefined && { social_links: patch.socialLinks }),
      ...(patch.legalStatus !== undefined && { legal_status: patch.legalStatus }),
      ...(patch.foundingYear !== undefined && { founding_year: patch.foundingYear }),
      ...(patch.status !== undefined && { status: patch.status }),
    });
    if (subsectors) await repo.setCommunitySubsectors(tx, id, subsectors);
    if (patch.status === 'inactive' && before.status === 'active') {
      await revokeCommunityGrants(ctx, tx, actor, id, { requestId: meta.requestId, reason: `community ${id} deactivated` });
    }
    const after = await loadCommunity(tx, id);
    await audit(ctx, tx, actor, meta, {
      action: 'community.update',
      entityType: 'community',
      entityId: id,
      before: auditSnapshot(before),
      after: auditSnapshot(after),
    });
  });
  invalidateRegistryDashboard();
  return presentCommunity(await loadCommunity(ctx.db, id));
}

export async function decideCommunity(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: { decision: 'approve' | 'reject'; note?: string | null },
  meta: RequestMeta,
): Promise<PublicCommunity> {
  await ctx.db.transaction().execute(async (tx) => {
    const before = await loadCommunity(tx, id);
    assertInRegion(actor, 'registry.approve', before.regency_code);
    if (before.status !== 'pending') throw new AppError('conflict', { errors: [{ path: 'decision', code: 'not_pending' }] });
    const status = input.decision === 'approve' ? 'active' : 'rejected';
    await repo.decideCommunity(tx, id, status, actor.userId, input.note ?? null);
    // Someone may have been made admin of the pending community: a rejected one has no admins.
    if (status === 'rejected') await revokeCommunityGrants(ctx, tx, actor, id, { requestId: meta.requestId, reason: `community ${id} rejected` });
    await audit(ctx, tx, actor, meta, {
      action: `community.${input.decision}`,
      entityType: 'community',
      entityId: id,
      before: { status: before.status },
      after: { status },
      reason: input.note ?? null,
    });
  });
  // Approvals change the counts on the map: the next dashboard request recounts.
  invalidateRegistryDashboard();
  return presentCommunity(await loadCommunity(ctx.db, id));
}
