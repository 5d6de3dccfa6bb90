/**
 * The access model in one place: what each role may do (permissions) and where (scope).
 * A grant is a role held within a scope. A scope covers a region code when the code is the
 * scope itself or lies beneath it (province "32" covers regency "32.73" and district "32.73.01").
 * Modules ask `can()` for one target and `regionFilter()` to restrict a list query.
 */
import { AppError } from './errors.ts';

export const ROLES = [
  'national_admin',
  'regional_coordinator',
  'community_admin',
  'member',
  'partner',
  'curator',
  'cashier',
  'instructor',
  'field_volunteer',
] as const;
export type Role = (typeof ROLES)[number];

export const SCOPE_TYPES = ['national', 'province', 'regency', 'community'] as const;
export type ScopeType = (typeof SCOPE_TYPES)[number];

export interface Grant {
  role: Role;
  scopeType: ScopeType;
  /** '' for national, a province code ('32'), a regency code ('32.73') or a community id. */
  scopeCode: string;
  /**
   * For a community scope: the community's regency. It decides who may grant or revoke the role;
   * it never widens what the holder may see (a community admin is not a regency coordinator).
   */
  scopeRegion?: string | null;
}

export interface Actor {
  /** 0 for a partner key, which is no person's account. */
  userId: number;
  name: string;
  email: string;
  locale: 'id' | 'en';
  regionCode: string | null;
  grants: Grant[];
  /** Set when a partner's API key is calling; such an actor holds no grants, so every `can()` refuses it. */
  partnerKey?: PartnerKeyIdentity;
}

/**
 * What a partner's API key may be used for. A key reaches only the routes that name one of its
 * scopes (platform/http.ts), and what it learns there is bounded by the partner's agreements.
 */
export const PARTNER_KEY_SCOPES = ['overlap.check', 'pprl.exchange'] as const;
export type PartnerKeyScope = (typeof PARTNER_KEY_SCOPES)[number];

export interface PartnerKeyIdentity {
  keyId: number;
  partnerId: number;
  scopes: PartnerKeyScope[];
}

export const PERMISSIONS = [
  'users.read', // see people's accounts in scope
  'users.manage', // create, edit, disable accounts in scope
  'roles.grant', // assign and revoke roles in scope
  'audit.read', // read the audit trail of a scope
  'personal_data.reveal', // unmask NIK/KK/phone (logged)
  'programmes.configure', // national programme settings
  // Jejaring (registry). Reading and changing are separate so that later roles (a partner with a
  // data-sharing agreement, a field volunteer) can be given sight without the power to edit.
  'registry.read', // see chapters, communities and members in scope (personal fields masked)
  'registry.manage', // create and edit chapters, communities and members in scope
  // Deciding on a registration is a coordinator's call, not a community leader's: a community
  // admin may edit their community and its members but never approve or reject them.
  'registry.approve', // approve or reject pending members and communities in scope
  // Partners and their agreements (which may open personal data to a partner) are the network's
  // relationships, kept by coordinators, never by a community.
  'partners.manage', // create and edit partners and their agreements in scope
  // Beneficiary registry (RESCUE, DAMPING): who receives aid. Seeing records (masked) and changing
  // them (registering, deciding on duplicates, merging and splitting persons) are separate, like the registry's.
  'beneficiaries.read', // see beneficiary records, persons and duplicate candidates in scope
  'beneficiaries.manage', // register beneficiaries, decide on duplicates, merge and split persons in scope
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  national_admin: PERMISSIONS,
  regional_coordinator: [
    'users.read',
    'users.manage',
    'roles.grant',
    'audit.read',
    'personal_data.reveal',
    'registry.read',
    'registry.manage',
    'registry.approve',
    'partners.manage',
    'beneficiaries.read',
    'beneficiaries.manage',
  ],
  // Held in a community scope, which covers no region: these reach only the community itself and
  // its members (see modules/registry/policy.ts). No reveal: a leader sees masked NIK and phone.
  community_admin: ['registry.read', 'registry.manage'],
  member: [],
  partner: [],
  curator: [],
  cashier: [],
  instructor: [],
  field_volunteer: [],
};

/** Which roles a holder of a role may hand out (always within the holder's own scope). */
const GRANTABLE: Record<Role, readonly Role[]> = {
  national_admin: ROLES,
  regional_coordinator: ['regional_coordinator', 'community_admin', 'member', 'instructor', 'field_volunteer', 'cashier'],
  community_admin: [],
  member: [],
  partner: [],
  curator: [],
  cashier: [],
  instructor: [],
  field_volunteer: [],
};

/** The scope types that make sense for each role. */
export const ROLE_SCOPES: Record<Role, readonly ScopeType[]> = {
  national_admin: ['national'],
  regional_coordinator: ['province', 'regency'],
  community_admin: ['community'],
  member: ['national', 'province', 'regency'],
  partner: ['national', 'province', 'regency'],
  curator: ['national', 'province'],
  cashier: ['national', 'province', 'regency'],
  instructor: ['national', 'province', 'regency'],
  field_volunteer: ['province', 'regency'],
};

export function regionCovers(scope: Pick<Grant, 'scopeType' | 'scopeCode'>, regionCode: string | null | undefined): boolean {
  if (scope.scopeType === 'national') return true;
  if (scope.scopeType === 'community' || !regionCode) return false;
  return regionCode === scope.scopeCode || regionCode.startsWith(`${scope.scopeCode}.`);
}

/** True when scope `inner` lies entirely within scope `outer`. */
export function scopeWithin(
  inner: Pick<Grant, 'scopeType' | 'scopeCode' | 'scopeRegion'>,
  outer: Pick<Grant, 'scopeType' | 'scopeCode'>,
): boolean {
  if (outer.scopeType === 'national') return true;
  if (inner.scopeType === 'national') return false;
  if (inner.scopeType === 'community') {
    if (outer.scopeType === 'community') return outer.scopeCode === inner.scopeCode;
    return regionCovers(outer, inner.scopeRegion);
  }
  return regionCovers(outer, inner.scopeCode);
}

export function hasPermission(actor: Actor | null, permission: Permission): boolean {
  return !!actor?.grants.some((g) => ROLE_PERMISSIONS[g.role]?.includes(permission));
}

export function can(actor: Actor | null, permission: Permission, regionCode: string | null | undefined): boolean {
  if (!actor) return false;
  return actor.grants.some((g) => ROLE_PERMISSIONS[g.role]?.includes(permission) && regionCovers(g, regionCode));
}

export type RegionFilter = { kind: 'all' } | { kind: 'prefixes'; codes: string[] } | { kind: 'none' };

/** The regions in which the actor holds a permission, for restricting list queries. */
export function regionFilter(actor: Actor | null, permission: Permission): RegionFilter {
  if (!actor) return { kind: 'none' };
  const codes: string[] = [];
  for (const g of actor.grants) {
    if (!ROLE_PERMISSIONS[g.role]?.includes(permission)) continue;
    if (g.scopeType === 'national') return { kind: 'all' };
    if (g.scopeType === 'province' || g.scopeType === 'regency') codes.push(g.scopeCode);
  }
  return codes.length ? { kind: 'prefixes', codes: [...new Set(codes)] } : { kind: 'none' };
}

export function canGrant(actor: Actor | null, grant: Grant): boolean {
  if (!actor) return false;
  if (!ROLE_SCOPES[grant.role].includes(grant.scopeType)) return false;
  return actor.grants.some(
    (g) =>
      ROLE_PERMISSIONS[g.role]?.includes('roles.grant') &&
      GRANTABLE[g.role].includes(grant.role) &&
      scopeWithin(grant, g),
  );
}

/** Whether the actor may hand out this role somewhere (the scope is checked when granting). */
export function mayGrantRole(actor: Actor, role: Role): boolean {
  return actor.grants.some((g) => ROLE_PERMISSIONS[g.role]?.includes('roles.grant') && GRANTABLE[g.role].includes(role));
}

/** A partner key's actor: its scope must include `scope` (the route already checked; services check again). */
export function requirePartnerKeyScope(actor: Actor, scope: PartnerKeyScope): PartnerKeyIdentity {
  const key = actor.partnerKey;
  if (!key) throw new AppError('forbidden');
  if (!key.scopes.includes(scope)) throw new AppError('partner_key_scope', undefined, { scope });
  return key;
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new AppError('unauthenticated');
  return actor;
}

/** Throws `forbidden` when the actor lacks the permission anywhere, `out_of_scope` when only the region is wrong. */
export function authorize(actor: Actor | null, permission: Permission, regionCode: string | null | undefined): Actor {
  const a = requireActor(actor);
  if (can(a, permission, regionCode)) return a;
  throw new AppError(hasPermission(a, permission) ? 'out_of_scope' : 'forbidden');
}
