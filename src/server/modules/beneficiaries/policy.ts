/**
 * Who may see and change beneficiary records, by role and region (platform/access.ts).
 *
 * - A record belongs to its regency: region grants that cover it reach it; community grants never
 *   do (who receives aid is not a community leader's business).
 * - A person is seen through its records: a caller sees a person when at least one of its records
 *   is in scope, and then only those records. A person registered in Bandung and in Malang shows
 *   a Bandung coordinator the Bandung record only.
 * - A duplicate pair is reviewed by those who cover both records; so is a merge and its undo.
 * - Linkage itself is national: a new record is compared with every record, whoever holds it, so
 *   the same person is found across regions; the caller learns the person id, never the other
 *   records' data.
 */
import { can, hasPermission, regionFilter, type Actor, type Permission } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';

export type BeneficiaryScope = { kind: 'all' } | { kind: 'some'; codes: string[] };

function refusal(actor: Actor, permission: Permission): AppError {
  return new AppError(hasPermission(actor, permission) ? 'out_of_scope' : 'forbidden');
}

/** The regions where a list may look; refuses callers who can see no record at all. */
export function listScope(actor: Actor, permission: Permission): BeneficiaryScope {
  const f = regionFilter(actor, permission);
  if (f.kind === 'none') throw new AppError('forbidden');
  return f.kind === 'all' ? { kind: 'all' } : { kind: 'some', codes: f.codes };
}

export function assertInRegion(actor: Actor, permission: Permission, regencyCode: string) {
  if (!can(actor, permission, regencyCode)) throw refusal(actor, permission);
}

/** Every one of the regencies: a pair, a merge. */
export function assertInRegions(actor: Actor, permission: Permission, regencyCodes: readonly string[]) {
  for (const code of regencyCodes) assertInRegion(actor, permission, code);
}

/** The records of a person the caller may see; refuses when there is none. */
export function visibleRecords<R extends { regency_code: string }>(actor: Actor, records: R[]): R[] {
  const visible = records.filter((r) => can(actor, 'beneficiaries.read', r.regency_code));
  if (visible.length === 0) throw refusal(actor, 'beneficiaries.read');
  return visible;
}
