/**
 * Rules shared by every registry service: turning a caller's scope into a list restriction,
 * region/subsector/contact checks, name search, and the masking of personal data.
 */
import { maskNik } from '../../../lib/nik/index.ts';
import { normalizePersonName } from '../../../lib/names/index.ts';
import { normalizePhone } from '../../../lib/phone/index.ts';
import type { Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import type { RegistryScope } from './policy.ts';
import * as repo from './repository.ts';

export interface RequestMeta {
  requestId?: string;
}

/** A problem worth showing that did not stop the save (an unknown regency inside a NIK, …). */
export type Warning = FieldError;

/** Audit entries name people by account id: the log is append-only, it should hold little personal data. */
export const actorLabel = (actor: Actor) => (actor.partnerKey ? `partner_key:${actor.partnerKey.keyId}` : `user:${actor.userId}`);

export async function audit(
  ctx: AppContext,
  tx: Queryable,
  actor: Actor,
  meta: RequestMeta,
  entry: { action: string; entityType: string; entityId: number; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null; reason?: string | null },
) {
  await ctx.audit.record(tx, { actorId: actor.partnerKey ? null : actor.userId, actorLabel: actorLabel(actor), requestId: meta.requestId, ...entry });
}

// ---------------------------------------------------------------- masking

/** "+6281******890": enough to recognise a number, not enough to call it. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  return phone.length > 8 ? `${phone.slice(0, 5)}${'*'.repeat(phone.length - 8)}${phone.slice(-3)}` : '****';
}

export function maskNikOrNull(nik: string | null): string | null {
  return nik === null ? null : maskNik(nik);
}

// ---------------------------------------------------------------- names and search

/** The stored, searchable form of a person's or community's name (src/lib/names). */
export function searchNameOf(name: string): string {
  return normalizePersonName(name) || name.trim().toLowerCase();
}

/**
 * The lowest pg_trgm word similarity a name needs to match. A one-letter typo in a short name
 * ("rizky" for "rizki") scores about 0.67 and in a two-word name about 0.63 ("dewi kartika" for
 * "dewi sartika"); 0.5 for short queries and 0.6 for longer ones keeps those and leaves out names
 * that merely share a common word ("joko widodo" vs "joko susilo": 0.42).
 */
export function nameSearchThreshold(text: string): number {
  const trigrams = text.split(' ').reduce((n, word) => n + word.length + 1, 0);
  return trigrams <= 8 ? 0.5 : 0.6;
}

/** The normalised query and its threshold; null when nothing searchable is left ("--"). */
export function nameSearch(q: string | undefined): repo.NameSearch | null | undefined {
  if (q === undefined) return undefined;
  const text = normalizePersonName(q);
  if (text.replace(/ /g, '').length < 2) return null;
  return { text, threshold: nameSearchThreshold(text) };
}

// ---------------------------------------------------------------- scope and region filters

/** Turns the caller's scope into a list restriction: provinces expanded to their regencies. */
export async function scopeCondition(db: Queryable, scope: RegistryScope): Promise<repo.ScopeCondition> {
  if (scope.regions.kind === 'all') return { kind: 'all' };
  const regencies = scope.regions.kind === 'prefixes' ? await repo.regenciesWithin(db, scope.regions.codes) : [];
  return { kind: 'some', regencies, communityIds: scope.communityIds };
}

/** A `regionCode` query filter as regencies (province or regency) or a district. */
export async function regionQueryFilter(db: Queryable, code: string | undefined): Promise<{ regencies?: string[]; districtCode?: string }> {
  if (!code) return {};
  const region = (await repo.findRegions(db, [code])).get(code);
  if (!region) throw AppError.invalid({ path: 'querystring.regionCode', code: 'unknown_region', params: { code } });
  if (region.level === 3) return { districtCode: code };
  if (region.level > 3) throw AppError.invalid({ path: 'querystring.regionCode', code: 'province_or_regency_required', params: { code } });
  return { regencies: await repo.regenciesWithin(db, [code]) };
}

/** Collects field errors so one response lists every problem, not only the first. */
export class FieldErrors {
  readonly list: FieldError[] = [];
  add(path: string, code: FieldError['code'], params?: FieldError['params']) {
    this.list.push({ path, code, ...(params && { params }) });
  }
  throwIfAny() {
    if (this.list.length) throw AppError.invalid(...this.list);
  }
}

/** A regency (level 2) and, when given, a district (level 3) inside it. */
export async function checkRegencyAndDistrict(db: Queryable, errors: FieldErrors, regencyCode: string, districtCode: string | null | undefined) {
  const regions = await repo.findRegions(db, [regencyCode, districtCode ?? '']);
  const regency = regions.get(regencyCode);
  if (!regency) errors.add('regencyCode', 'unknown_region', { code: regencyCode });
  else if (regency.level !== 2) errors.add('regencyCode', 'regency_required', { code: regencyCode });
  if (districtCode) {
    const district = regions.get(districtCode);
    if (!district) errors.add('districtCode', 'unknown_region', { code: districtCode });
    else if (district.level !== 3 || district.parent_code !== regencyCode) {
      errors.add('districtCode', 'district_not_in_regency', { code: districtCode, regency: regencyCode });
    }
  }
}

/** A province or regency code (partners, agreement scopes); null means national. */
export async function checkProvinceOrRegency(db: Queryable, errors: FieldErrors, path: string, code: string | null | undefined) {
  if (!code) return;
  const region = (await repo.findRegions(db, [code])).get(code);
  if (!region) errors.add(path, 'unknown_region', { code });
  else if (region.level > 2) errors.add(path, 'province_or_regency_required', { code });
}

export async function checkSubsectors(db: Queryable, errors: FieldErrors, codes: string[]): Promise<string[]> {
  const unique = [...new Set(codes)];
  const known = await repo.existingSubsectors(db, unique);
  codes.forEach((code, i) => {
    if (!known.has(code)) errors.add(`subsectors.${i}`, 'unknown_subsector', { code });
  });
  return unique;
}

/** E.164 or a field error; null (clear) and undefined (unchanged) pass through. */
export function phoneOf(errors: FieldErrors, path: string, input: string | null | undefined): string | null | undefined {
  if (input === undefined || input === null) return input;
  const result = normalizePhone(input);
  if (!result.ok) {
    errors.add(path, 'phone_format');
    return null;
  }
  return result.e164;
}

/** Case-insensitive de-duplication that keeps the first spelling. */
export function uniqueText(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v.toLocaleLowerCase('id');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
