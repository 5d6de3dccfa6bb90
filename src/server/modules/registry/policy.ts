/**
 * Who may see and change which registry records, by role and region (platform/access.ts) and, for
 * community admins, by community.
 *
 * - Region grants (national, province, regency) reach every record whose regency they cover.
 * - A community grant (scope_type 'community', scope_code = the community's id) reaches that
 *   community and the members linked to it, never the rest of its regency.
 * - A member reaches their own record through members.user_id, read only.
 * - Anonymous callers reach only what is explicitly public (the chapter list, without contacts).
 *
 * Refusals: `unauthenticated` without a session, `forbidden` when the role cannot do this anywhere,
 * `out_of_scope` when it can, but not here.
 */
import { can, hasPermission, regionCovers, regionFilter, type Actor, type Permission, type RegionFilter } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';

/** Where an actor may use a permission: region codes (or everything) plus individual communities. */
export interface RegistryScope {
  regions: RegionFilter;
  communityIds: number[];
}

/** Communities in which the actor holds `permission` through a community-scoped grant. */
export function communityIdsWith(actor: Actor | null, permission: Permission): number[] {
  if (!actor) return [];
  const ids = actor.grants
    .filter((g) => g.scopeType === 'community' && /^\d{1,15}$/.test(g.scopeCode) && hasPermission({ ...actor, grants: [g] }, permission))
    .map((g) => Number(g.scopeCode));
  return [...new Set(ids)];
}

export function scopeOf(actor: Actor | null, permission: Permission): RegistryScope {
  return { regions: regionFilter(actor, permission), communityIds: communityIdsWith(actor, permission) };
}

export function scopeIsEmpty(scope: RegistryScope): boolean {
  return scope.regions.kind === 'none' && scope.communityIds.length === 0;
}

function refusal(actor: Actor, permission: Permission): AppError {
  return new AppError(hasPermission(actor, permission) ? 'out_of_scope' : 'forbidden');
}

/** The scope a list query must be restricted to; refuses callers who can see no record at all. */
export function listScope(actor: Actor, permission: Permission): RegistryScope {
  const scope = scopeOf(actor, permission);
  if (scopeIsEmpty(scope)) throw new AppError('forbidden');
  return scope;
}

// ---------------------------------------------------------------- communities

export interface CommunityTarget {
  id: number;
  regency_code: string;
}

export function canOnCommunity(actor: Actor, permission: Permission, c: CommunityTarget): boolean {
  return can(actor, permission, c.regency_code) || communityIdsWith(actor, permission).includes(c.id);
}

export function assertOnCommunity(actor: Actor, permission: Permission, c: CommunityTarget) {
  if (!canOnCommunity(actor, permission, c)) throw refusal(actor, permission);
}

// ---------------------------------------------------------------- members

export interface MemberTarget {
  regency_code: string;
  user_id: number | null;
  communityIds: number[];
}

export function canOnMember(actor: Actor, permission: Permission, m: MemberTarget): boolean {
  if (can(actor, permission, m.regency_code)) return true;
  const mine = communityIdsWith(actor, permission);
  return m.communityIds.some((id) => mine.includes(id));
}

export function assertCanReadMember(actor: Actor, m: MemberTarget) {
  if (m.user_id !== null && m.user_id === actor.userId) return;
  if (!canOnMember(actor, 'registry.read', m)) throw refusal(actor, 'registry.read');
}

export function assertCanManageMember(actor: Actor, m: MemberTarget) {
  if (!canOnMember(actor, 'registry.manage', m)) throw refusal(actor, 'registry.manage');
}

/**
 * Creating a member needs power over the member's regency, or (for a community admin) a link to a
 * community the actor manages. The links themselves are checked by `assertCanLinkCommunities`.
 */
export function assertCanCreateMember(actor: Actor, regencyCode: string, links: CommunityTarget[]) {
  if (can(actor, 'registry.manage', regencyCode)) return;
  if (links.some((c) => canOnCommunity(actor, 'registry.manage', c))) return;
  throw refusal(actor, 'registry.manage');
}

/**
 * Linking a member to a community (or unlinking, or changing the role) shows the member to that
 * community's admins, so it takes power over the community, not only over the member.
 */
export function assertCanLinkCommunities(actor: Actor, changed: CommunityTarget[]) {
  for (const c of changed) {
    if (!canOnCommunity(actor, 'registry.manage', c)) {
      throw new AppError(hasPermission(actor, 'registry.manage') ? 'out_of_scope' : 'forbidden', { communityId: c.id });
    }
  }
}

/** Moving a record to another regency hands it to other coordinators: it takes region power over the destination. */
export function assertCanMoveTo(actor: Actor, regencyCode: string) {
  if (!can(actor, 'registry.manage', regencyCode)) throw refusal(actor, 'registry.manage');
}

/** Region-only permissions: reveal and approve are never reached through a community grant. */
export function assertInRegion(actor: Actor, permission: Permission, regencyCode: string) {
  if (!can(actor, permission, regencyCode)) throw refusal(actor, permission);
}

// ---------------------------------------------------------------- chapters

/** Chapters are public; their contacts are for those who work in the regency. */
export function canSeeChapterContacts(actor: Actor | null, regencyCode: string): boolean {
  return can(actor, 'registry.read', regencyCode);
}

// ---------------------------------------------------------------- partners

/**
 * A partner is visible to whoever works where the partner works: a national partner to every
 * coordinator, a provincial one also to the regency coordinators of that province, a regency one
 * to the coordinators of that regency and of its province.
 */
export function canReadPartner(actor: Actor, regionCode: string | null): boolean {
  const f = regionFilter(actor, 'registry.read');
  if (f.kind === 'all') return true;
  if (f.kind === 'none') return false;
  if (regionCode === null) return true;
  return f.codes.some((code) => regionCovers({ scopeType: 'regency', scopeCode: code }, regionCode) || code.startsWith(`${regionCode}.`));
}

export function assertCanReadPartner(actor: Actor, regionCode: string | null) {
  if (!canReadPartner(actor, regionCode)) throw refusal(actor, 'registry.read');
}

/**
 * A partner's contact person's phone is personal data: shown in clear only to those who may reveal
 * personal data over the partner's whole region (a national partner's to national admins).
 */
export function assertCanRevealPartnerContact(actor: Actor, regionCode: string | null) {
  if (!can(actor, 'personal_data.reveal', regionCode)) throw refusal(actor, 'personal_data.reveal');
}

/** Partners in a region are managed by those whose scope covers it; national partners by national admins. */
export function assertCanManagePartner(actor: Actor, regionCode: string | null) {
  if (!can(actor, 'partners.manage', regionCode)) throw refusal(actor, 'partners.manage');
}

/**
 * An agreement can only cover what the actor covers, and one that opens personal data to the
 * partner also needs the actor's own right to see personal data there: nobody hands out more
 * than they hold.
 */
export function assertCanSetAgreement(actor: Actor, scopeCode: string | null, allowsPersonalData: boolean) {
  if (!can(actor, 'partners.manage', scopeCode)) throw refusal(actor, 'partners.manage');
  if (allowsPersonalData && !can(actor, 'personal_data.reveal', scopeCode)) throw refusal(actor, 'personal_data.reveal');
}
