/**
 * Members: the people of the network. Rules for reading (masked), writing (validated, audited, in
 * one transaction), revealing personal data (permission in scope, audited) and deciding on
 * registrations. Self-registration, update links and imports reuse `createMember` and
 * `updateMember` with their own `source`, `status` and actor.
 */
import type { z } from 'zod';
import { cleanNik, parseNik } from '../../../lib/nik/index.ts';
import type { Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import {
  audit,
  checkRegencyAndDistrict,
  checkSubsectors,
  FieldErrors,
  iso,
  maskNikOrNull,
  maskPhone,
  nameSearch,
  phoneOf,
  regionQueryFilter,
  scopeCondition,
  searchNameOf,
  uniqueText,
  type RequestMeta,
  type Warning,
} from './common.ts';
import {
  assertCanCreateMember,
  assertCanLinkCommunities,
  assertCanManageMember,
  assertCanMoveTo,
  assertCanReadMember,
  assertInRegion,
  listScope,
  type CommunityTarget,
  type MemberTarget,
} from './policy.ts';
import { invalidateRegistryDashboard } from './dashboard.service.ts';
import * as repo from './repository.ts';
import type * as s from './schemas.ts';

export type PublicMember = z.infer<typeof s.Member>;
export type MemberSummary = z.infer<typeof s.MemberSummary>;
type CommunityRole = (typeof s.COMMUNITY_ROLES)[number];

export interface MemberInput {
  fullName: string;
  nik?: string | null;
  phone?: string | null;
  email?: string | null;
  gender?: 'L' | 'P' | null;
  birthDate?: string | null;
  regencyCode: string;
  districtCode?: string | null;
  subsectors: string[];
  skills: string[];
  portfolioLinks: string[];
  communities: { communityId: number; role: CommunityRole }[];
}

export type MemberPatch = Partial<MemberInput>;

export interface MemberWriteOptions {
  /** Default 'active': a coordinator entering a member has vetted them. Self-registration passes 'pending'. */
  status?: 'pending' | 'active';
  source?: 'self_registration' | 'admin' | 'import' | 'demo';
  /** The account this member record belongs to (self-registration). */
  userId?: number | null;
}

export function presentMember(m: repo.MemberRow): PublicMember {
  return {
    id: m.id,
    fullName: m.full_name,
    nik: maskNikOrNull(m.nik),
    phone: maskPhone(m.phone),
    email: m.email,
    gender: m.gender,
    birthDate: m.birth_date,
    regency: { code: m.regency_code, name: m.regency_name },
    district: m.district_code ? { code: m.district_code, name: m.district_name } : null,
    subsectors: m.subsectors,
    skills: m.skills,
    portfolioLinks: m.portfolio_links,
    communities: m.communities.map((c) => ({ id: Number(c.id), name: c.name, role: c.role })),
    status: m.status as PublicMember['status'],
    source: m.source,
    userId: m.user_id,
    verifiedAt: iso(m.verified_at),
    createdAt: iso(m.created_at)!,
    updatedAt: iso(m.updated_at)!,
  };
}

/** What the audit log keeps of a member; nik, phone, email and birth_date are masked by the audit module. */
function auditSnapshot(m: repo.MemberRow) {
  return {
    full_name: m.full_name,
    nik: m.nik,
    phone: m.phone,
    email: m.email,
    gender: m.gender,
    birth_date: m.birth_date,
    regency_code: m.regency_code,
    district_code: m.district_code,
    subsectors: m.subsectors,
    skills: m.skills,
    portfolio_links: m.portfolio_links,
    communities: m.communities.map((c) => `${c.id}:${c.role}`),
    status: m.status,
  };
}

const targetOf = (m: repo.MemberRow): MemberTarget => ({
  regency_code: m.regency_code,
  user_id: m.user_id,
  communityIds: m.communities.map((c) => Number(c.id)),
});

async function loadMember(db: Queryable, id: number): Promise<repo.MemberRow> {
  const m = await repo.findMember(db, id);
  if (!m) throw new AppError('not_found');
  return m;
}

// ---------------------------------------------------------------- validation

/**
 * Structure, province and a real birth date are errors; a regency or district code the reference
 * data does not know (old codes exist), and a NIK that disagrees with the declared sex or birth
 * date, are warnings: the NIK is what the card says, the person may have typed the rest wrongly.
 */
async function checkNik(
  db: Queryable,
  errors: FieldErrors,
  warnings: Warning[],
  raw: string,
  declared: { gender: 'L' | 'P' | null; birthDate: string | null },
): Promise<string | null> {
  const nik = cleanNik(raw);
  const known = /^\d{16}$/.test(nik)
    ? await repo.findRegions(db, [`${nik.slice(0, 2)}.${nik.slice(2, 4)}`, `${nik.slice(0, 2)}.${nik.slice(2, 4)}.${nik.slice(4, 6)}`])
    : new Map();
  const parsed = parseNik(nik, { knownRegion: (code) => known.has(code) });
  if (!parsed.ok) {
    for (const code of parsed.errors) errors.add('nik', code);
    return null;
  }
  const v = parsed.value;
  for (const w of parsed.warnings) {
    warnings.push({ path: 'nik', code: w, params: { code: w === 'nik_regency_unknown' ? v.regencyCode : v.districtCode } });
  }
  if (declared.gender && declared.gender !== v.sex) {
    warnings.push({ path: 'gender', code: 'nik_gender_mismatch', params: { fromNik: v.sex, given: declared.gender } });
  }
  if (declared.birthDate && declared.birthDate !== v.birthDate) {
    warnings.push({ path: 'birthDate', code: 'nik_birth_date_mismatch', params: { fromNik: v.birthDate, given: declared.birthDate } });
  }
  return nik;
}

function checkBirthDate(errors: FieldErrors, birthDate: string | null | undefined) {
  if (!birthDate) return;
  const today = new Date().toISOString().slice(0, 10);
  if (birthDate < '1900-01-01' || birthDate > today) errors.add('birthDate', 'birth_date_range');
}

async function assertNikFree(db: Queryable, nik: string | null, exceptId?: number) {
  if (nik && (await repo.findMemberIdByNik(db, nik, exceptId)) !== undefined) {
    throw new AppError('conflict', { errors: [{ path: 'nik', code: 'nik_taken' }] });
  }
}

/** Links by community id (the last role given wins), with the communities they point to. */
async function resolveLinks(db: Queryable, errors: FieldErrors, links: { communityId: number; role: CommunityRole }[]) {
  const byId = new Map(links.map((l) => [l.communityId, l.role]));
  const refs = await repo.findCommunityRefs(db, [...byId.keys()]);
  links.forEach((l, i) => {
    const ref = refs.get(l.communityId);
    // A rejected registration is not a community anyone can join.
    if (!ref || ref.status === 'rejected') errors.add(`communities.${i}.communityId`, 'unknown_community', { code: l.communityId });
  });
  const resolved = [...byId].map(([communityId, role]) => ({ communityId, role }));
  return { resolved, refs };
}

async function writeInsideTransaction<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    // Two saves of the same NIK at once: the unique index decides, the loser gets a clear answer.
    if (repo.isUniqueViolation(err, 'members_nik_idx')) throw new AppError('conflict', { errors: [{ path: 'nik', code: 'nik_taken' }] });
    throw err;
  }
}

// ---------------------------------------------------------------- reading

export async function getMember(ctx: AppContext, actor: Actor, id: number): Promise<PublicMember> {
  const m = await loadMember(ctx.db, id);
  assertCanReadMember(actor, targetOf(m));
  return presentMember(m);
}

/** The caller's own member record (linked through members.user_id). */
export async function getOwnMember(ctx: AppContext, actor: Actor): Promise<PublicMember> {
  const id = await repo.findMemberIdByUser(ctx.db, actor.userId);
  if (id === undefined) throw new AppError('not_found');
  return presentMember(await loadMember(ctx.db, id));
}

export interface MemberQuery {
  q?: string;
  regionCode?: string;
  subsector?: string;
  communityId?: number;
  status?: 'pending' | 'active' | 'rejected';
  limit: number;
  offset: number;
}

/** Members in the caller's scope that match the filters; never a row outside the scope. */
export async function listMembers(ctx: AppContext, actor: Actor, query: MemberQuery): Promise<{ items: MemberSummary[]; total: number }> {
  const scope = await scopeCondition(ctx.db, listScope(actor, 'registry.read'));
  const search = nameSearch(query.q);
  if (search === null) return { items: [], total: 0 };
  const region = await regionQueryFilter(ctx.db, query.regionCode);
  const { items, total } = await repo.listMembers(ctx.db, {
    scope,
    search,
    ...region,
    subsector: query.subsector,
    communityId: query.communityId,
    status: query.status,
    limit: query.limit,
    offset: query.offset,
  });
  return {
    items: items.map((r) => ({
      id: r.id,
      fullName: r.full_name,
      phone: maskPhone(r.phone),
      gender: r.gender,
      regency: { code: r.regency_code, name: r.regency_name },
      districtCode: r.district_code,
      subsectors: r.subsectors,
      communityIds: r.community_ids,
      status: r.status,
      score: r.score === null ? null : Math.round(r.score * 1000) / 1000,
    })),
    total,
  };
}

// ---------------------------------------------------------------- writing

export async function createMember(
  ctx: AppContext,
  actor: Actor,
  input: MemberInput,
  meta: RequestMeta,
  opts: MemberWriteOptions = {},
): Promise<{ member: PublicMember; warnings: Warning[] }> {
  const warnings: Warning[] = [];
  const id = await ctx.db.transaction().execute((tx) => insertMemberChecked(ctx, tx, actor, input, meta, opts, warnings));
  invalidateRegistryDashboard();
  return { member: presentMember(await loadMember(ctx.db, id)), warnings };
}

/**
 * The body of `createMember` inside a caller's transaction (self-registration creates the account,
 * the member and the consents together). `actor` null means the public self-registration: no
 * permission check, no community links, audited as 'self-registration'. The caller invalidates
 * the dashboard after commit.
 */
export async function insertMemberChecked(
  ctx: AppContext,
  tx: Queryable,
  actor: Actor | null,
  input: MemberInput,
  meta: RequestMeta,
  opts: MemberWriteOptions,
  warnings: Warning[],
): Promise<number> {
  return writeInsideTransaction(async () => {
    const errors = new FieldErrors();
    if (actor) {
      const { resolved, refs } = await resolveLinks(tx, errors, input.communities);
      const linkTargets: CommunityTarget[] = resolved.flatMap((l) => refs.get(l.communityId) ?? []);
      assertCanCreateMember(actor, input.regencyCode, linkTargets);
      assertCanLinkCommunities(actor, linkTargets);
      input = { ...input, communities: resolved };
    } else if (opts.source !== 'self_registration' || opts.status !== 'pending' || input.communities.length > 0) {
      throw new AppError('forbidden');
    }

    await checkRegencyAndDistrict(tx, errors, input.regencyCode, input.districtCode);
    const subsectors = await checkSubsectors(tx, errors, input.subsectors);
    const phone = phoneOf(errors, 'phone', input.phone) ?? null;
    checkBirthDate(errors, input.birthDate);
    const declared = { gender: input.gender ?? null, birthDate: input.birthDate ?? null };
    let nik = input.nik ? await checkNik(tx, errors, warnings, input.nik, declared) : null;
    errors.throwIfAny();
    // A public registration must not tell anyone whether a NIK is registered: "NIK taken" would
    // answer "is this person in the network?" for any NIK typed in. The registration is kept
    // without its NIK, and the coordinator who reviews it learns from the audit log which member
    // holds that NIK (the same registered twice, or someone using another's NIK).
    const nikHolder = !actor && nik ? await repo.findMemberIdByNik(tx, nik) : undefined;
    if (nikHolder !== undefined) nik = null;
    else await assertNikFree(tx, nik);

    const memberId = await repo.insertMember(tx, {
      full_name: input.fullName,
      search_name: searchNameOf(input.fullName),
      nik,
      phone,
      email: input.email ?? null,
      gender: input.gender ?? null,
      birth_date: input.birthDate ?? null,
      regency_code: input.regencyCode,
      district_code: input.districtCode ?? null,
      skills: uniqueText(input.skills),
      portfolio_links: [...new Set(input.portfolioLinks)],
      status: opts.status ?? 'active',
      source: opts.source ?? 'admin',
      user_id: opts.userId ?? null,
    });
    await repo.setMemberSubsectors(tx, memberId, subsectors);
    await repo.setMemberCommunities(tx, memberId, input.communities);
    const after = await loadMember(tx, memberId);
    const entry = { action: 'member.create', entityType: 'member', entityId: memberId, after: auditSnapshot(after) };
    if (actor) await audit(ctx, tx, actor, meta, entry);
    else await ctx.audit.record(tx, { actorId: null, actorLabel: 'self-registration', requestId: meta.requestId, ...entry });
    if (nikHolder !== undefined) {
      await ctx.audit.record(tx, {
        actorId: null,
        actorLabel: 'self-registration',
        requestId: meta.requestId,
        action: 'member.registration_nik_exists',
        entityType: 'member',
        entityId: memberId,
        after: { nik_held_by_member_id: nikHolder },
        reason: 'the NIK given is registered to another member: stored without it; the reviewing coordinator checks',
      });
    }
    return memberId;
  });
}

export async function updateMember(
  ctx: AppContext,
  actor: Actor,
  id: number,
  patch: MemberPatch,
  meta: RequestMeta,
): Promise<{ member: PublicMember; warnings: Warning[] }> {
  return applyMemberUpdate(ctx, actor, id, patch, meta, 'coordinator');
}

/** Fields a member may correct on their own record (no regency move, no community links, no NIK). */
export type OwnMemberPatch = Pick<MemberPatch, 'fullName' | 'phone' | 'email' | 'gender' | 'birthDate' | 'districtCode' | 'subsectors' | 'skills' | 'portfolioLinks'>;

/** A member correcting their own record (members.user_id = the caller), with the same validation and audit. */
export async function updateOwnMember(
  ctx: AppContext,
  actor: Actor,
  patch: OwnMemberPatch,
  meta: RequestMeta,
): Promise<{ member: PublicMember; warnings: Warning[] }> {
  const id = await repo.findMemberIdByUser(ctx.db, actor.userId);
  if (id === undefined) throw new AppError('not_found');
  const allowed: OwnMemberPatch = {
    fullName: patch.fullName,
    phone: patch.phone,
    email: patch.email,
    gender: patch.gender,
    birthDate: patch.birthDate,
    districtCode: patch.districtCode,
    subsectors: patch.subsectors,
    skills: patch.skills,
    portfolioLinks: patch.portfolioLinks,
  };
  return applyMemberUpdate(ctx, actor, id, allowed, meta, 'self');
}

/**
 * A change made through a personal update link (the caller has checked the link): the same fields
 * as a member's own correction, audited as 'update-link'.
 */
export async function updateMemberThroughLink(
  ctx: AppContext,
  id: number,
  patch: OwnMemberPatch,
  meta: RequestMeta,
): Promise<{ member: PublicMember; warnings: Warning[] }> {
  const allowed: OwnMemberPatch = {
    fullName: patch.fullName,
    phone: patch.phone,
    email: patch.email,
    gender: patch.gender,
    birthDate: patch.birthDate,
    districtCode: patch.districtCode,
    subsectors: patch.subsectors,
    skills: patch.skills,
    portfolioLinks: patch.portfolioLinks,
  };
  return applyMemberUpdate(ctx, null, id, allowed, meta, 'link');
}

async function applyMemberUpdate(
  ctx: AppContext,
  actor: Actor | null,
  id: number,
  patch: MemberPatch,
  meta: RequestMeta,
  mode: 'coordinator' | 'self' | 'link',
): Promise<{ member: PublicMember; warnings: Warning[] }> {
  const warnings: Warning[] = [];
  await ctx.db.transaction().execute((tx) =>
    writeInsideTransaction(async () => {
      const before = await loadMember(tx, id);
      if (mode === 'coordinator') assertCanManageMember(actor!, targetOf(before));
      else if (mode === 'self' && before.user_id !== actor!.userId) throw new AppError('not_found');
      if (mode !== 'coordinator' && before.status !== 'active' && before.status !== 'pending') throw new AppError('not_found');
      if (mode !== 'coordinator' && (patch.regencyCode !== undefined || patch.communities !== undefined || patch.nik !== undefined)) throw new AppError('forbidden');
      const regencyCode = patch.regencyCode ?? before.regency_code;
      const regencyChanged = regencyCode !== before.regency_code;
      if (regencyChanged) assertCanMoveTo(actor!, regencyCode);

      const errors = new FieldErrors();
      let links: { communityId: number; role: CommunityRole }[] | undefined;
      if (patch.communities) {
        const { resolved, refs } = await resolveLinks(tx, errors, patch.communities);
        const old = new Map(before.communities.map((c) => [Number(c.id), c.role]));
        const changedIds = [
          ...resolved.filter((l) => old.get(l.communityId) !== l.role).map((l) => l.communityId),
          ...[...old.keys()].filter((cid) => !resolved.some((l) => l.communityId === cid)),
        ];
        const oldRefs = await repo.findCommunityRefs(tx, changedIds.filter((cid) => !refs.has(cid)));
        assertCanLinkCommunities(
          actor!,
          changedIds.flatMap((cid) => refs.get(cid) ?? oldRefs.get(cid) ?? []),
        );
        links = resolved;
      }

      // A new regency without a district clears the old district, which lay in the old regency.
      const districtCode = patch.districtCode !== undefined ? patch.districtCode : regencyChanged ? null : before.district_code;
      if (patch.regencyCode !== undefined || patch.districtCode !== undefined) {
        await checkRegencyAndDistrict(tx, errors, regencyCode, districtCode);
      }
      const subsectors = patch.subsectors ? await checkSubsectors(tx, errors, patch.subsectors) : undefined;
      const phone = phoneOf(errors, 'phone', patch.phone);
      checkBirthDate(errors, patch.birthDate);
      const declared = {
        gender: patch.gender !== undefined ? patch.gender : before.gender,
        birthDate: patch.birthDate !== undefined ? patch.birthDate : before.birth_date,
      };
      let nik: string | null | undefined;
      if (patch.nik !== undefined) {
        nik = patch.nik ? await checkNik(tx, errors, warnings, patch.nik, declared) : null;
      } else if (before.nik && (patch.gender !== undefined || patch.birthDate !== undefined)) {
        await checkNik(tx, new FieldErrors(), warnings, before.nik, declared);
      }
      errors.throwIfAny();
      if (nik) await assertNikFree(tx, nik, id);

      const values: Partial<repo.MemberValues> = {
        ...(patch.fullName !== undefined && { full_name: patch.fullName, search_name: searchNameOf(patch.fullName) }),
        ...(nik !== undefined && { nik }),
        ...(phone !== undefined && { phone }),
        ...(patch.email !== undefined && { email: patch.email }),
        ...(patch.gender !== undefined && { gender: patch.gender }),
        ...(patch.birthDate !== undefined && { birth_date: patch.birthDate }),
        ...(regencyChanged && { regency_code: regencyCode }),
        ...(districtCode !== before.district_code && { district_code: districtCode }),
        ...(patch.skills !== undefined && { skills: uniqueText(patch.skills) }),
        ...(patch.portfolioLinks !== undefined && { portfolio_links: [...new Set(patch.portfolioLinks)] }),
      };
      await repo.updateMember(tx, id, values);
      if (subsectors) await repo.setMemberSubsectors(tx, id, subsectors);
      if (links) await repo.setMemberCommunities(tx, id, links);
      const after = await loadMember(tx, id);
      const entry = { action: 'member.update', entityType: 'member', entityId: id, before: auditSnapshot(before), after: auditSnapshot(after) };
      if (actor) await audit(ctx, tx, actor, meta, entry);
      else await ctx.audit.record(tx, { actorId: null, actorLabel: 'update-link', requestId: meta.requestId, ...entry });
    }),
  );
  invalidateRegistryDashboard();
  return { member: presentMember(await loadMember(ctx.db, id)), warnings };
}

/**
 * Shows one personal field in clear to a caller allowed to see personal data in the member's
 * region, and writes who, when, which field and why to the audit log in the same transaction.
 * The value itself never reaches the log.
 */
export async function revealMemberField(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: { field: 'nik' | 'phone'; reason: string },
  meta: RequestMeta,
): Promise<{ field: 'nik' | 'phone'; value: string | null }> {
  return ctx.db.transaction().execute(async (tx) => {
    const m = await loadMember(tx, id);
    assertInRegion(actor, 'personal_data.reveal', m.regency_code);
    await audit(ctx, tx, actor, meta, {
      action: 'member.reveal',
      entityType: 'member',
      entityId: id,
      after: { field: input.field },
      reason: input.reason,
    });
    return { field: input.field, value: input.field === 'nik' ? m.nik : m.phone };
  });
}

/** Approves or rejects a pending member; only coordinators of the member's region decide. */
export async function decideMember(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: { decision: 'approve' | 'reject'; note?: string | null },
  meta: RequestMeta,
): Promise<PublicMember> {
  await ctx.db.transaction().execute(async (tx) => {
    const before = await loadMember(tx, id);
    assertInRegion(actor, 'registry.approve', before.regency_code);
    if (before.status !== 'pending') throw new AppError('conflict', { errors: [{ path: 'decision', code: 'not_pending' }] });
    const status = input.decision === 'approve' ? 'active' : 'rejected';
    await repo.decideMember(tx, id, status, actor.userId, input.note ?? null);
    await audit(ctx, tx, actor, meta, {
      action: `member.${input.decision}`,
      entityType: 'member',
      entityId: id,
      before: { status: before.status },
      after: { status },
      reason: input.note ?? null,
    });
  });
  // Approvals change the counts on the map: the next dashboard request recounts.
  invalidateRegistryDashboard();
  return presentMember(await loadMember(ctx.db, id));
}
