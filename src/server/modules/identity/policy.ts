import { can, canGrant, hasPermission, type Actor, type Grant } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';
import type { GrantRow, UserRow } from './repository.ts';

/** Who may see and change which accounts. Built on the shared access model (platform/access.ts). */

export function canReadUser(actor: Actor, user: Pick<UserRow, 'id' | 'region_code'>): boolean {
  return actor.userId === user.id || can(actor, 'users.read', user.region_code);
}

/**
 * Managing an account needs `users.manage` over the user's home region, and the power to grant
 * every role the user holds: a regency coordinator cannot disable or rewrite a national admin who
 * happens to live in their regency.
 */
export function canManageUser(actor: Actor, user: Pick<UserRow, 'region_code'>, grants: GrantRow[]): boolean {
  if (!can(actor, 'users.manage', user.region_code)) return false;
  return grants.every((g) => canGrant(actor, toGrant(g)));
}

export function assertCanReadUser(actor: Actor, user: Pick<UserRow, 'id' | 'region_code'>) {
  if (!canReadUser(actor, user)) throw new AppError(hasPermission(actor, 'users.read') ? 'out_of_scope' : 'forbidden');
}

export function assertCanManageUser(actor: Actor, user: Pick<UserRow, 'region_code'>, grants: GrantRow[]) {
  if (!canManageUser(actor, user, grants)) throw new AppError(hasPermission(actor, 'users.manage') ? 'out_of_scope' : 'forbidden');
}

export function assertCanGrant(actor: Actor, grant: Grant) {
  if (!canGrant(actor, grant)) {
    throw new AppError(hasPermission(actor, 'roles.grant') ? 'out_of_scope' : 'forbidden', {
      role: grant.role,
      scopeType: grant.scopeType,
      scopeCode: grant.scopeCode,
    });
  }
}

export function toGrant(g: Pick<GrantRow, 'role' | 'scope_type' | 'scope_code'> & { scope_region?: string | null }): Grant {
  return { role: g.role as Grant['role'], scopeType: g.scope_type, scopeCode: g.scope_code, scopeRegion: g.scope_region ?? null };
}
