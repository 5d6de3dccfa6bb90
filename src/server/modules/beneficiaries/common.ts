/**
 * Rules shared by the beneficiary services: NIK/KK validation (src/lib/linkage parsers, with the
 * region reference data), masking of personal data, audit entries, and the scope of a list.
 */
import { parseKk, parseNik, cleanIdNumber } from '../../../lib/linkage/index.ts';
import { maskNik } from '../../../lib/nik/index.ts';
import type { Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import type { BeneficiaryScope } from './policy.ts';
import * as repo from './repository.ts';

export interface RequestMeta {
  requestId?: string;
}

/** A problem worth showing that did not stop the save (a NIK that disagrees with the declared sex, …). */
export type Warning = FieldError;

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

/** Audit entries name people by account id: the log is append-only, it should hold little personal data. */
export async function audit(
  ctx: AppContext,
  tx: Queryable,
  actor: Actor,
  meta: RequestMeta,
  entry: { action: string; entityType: string; entityId: number; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null; reason?: string | null },
) {
  await ctx.audit.record(tx, { actorId: actor.userId, actorLabel: `user:${actor.userId}`, requestId: meta.requestId, ...entry });
}

// ---------------------------------------------------------------- masking

/** "3273********0002": NIK and KK share the format. */
export const maskId = (value: string | null) => (value === null ? null : maskNik(value));

/** "+6281******890": enough to recognise a number, not enough to call it. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  return phone.length > 8 ? `${phone.slice(0, 5)}${'*'.repeat(phone.length - 8)}${phone.slice(-3)}` : '****';
}

// ---------------------------------------------------------------- NIK and KK

/** Today's date (UTC) for the century of a two-digit year; injectable for tests through `referenceDate`. */
export interface IdCheckOptions {
  referenceDate?: string;
}

async function knownRegionsOf(db: Queryable, digits: string): Promise<(code: string) => boolean> {
  if (!/^\d{16}$/.test(digits)) return () => true;
  const regency = `${digits.slice(0, 2)}.${digits.slice(2, 4)}`;
  const known = await repo.existingRegions(db, [regency, `${regency}.${digits.slice(4, 6)}`]);
  return (code) => known.has(code);
}

/**
 * A NIK: structure, province and a real birth date are errors; an unknown regency or district
 * (old codes exist), and a NIK that disagrees with the declared sex or birth date, are warnings:
 * the NIK is what the card says, the person entering it may have typed the rest wrongly.
 */
export async function checkNik(
  db: Queryable,
  errors: FieldErrors,
  warnings: Warning[],
  raw: string,
  declared: { sex: 'L' | 'P' | null; birthDate: string | null },
  opts: IdCheckOptions = {},
): Promise<string | null> {
  const digits = cleanIdNumber(raw);
  const parsed = parseNik(digits, { knownRegion: await knownRegionsOf(db, digits), referenceDate: opts.referenceDate });
  if (!parsed.ok) {
    for (const code of parsed.errors) errors.add('nik', code);
    return null;
  }
  const v = parsed.value;
  for (const w of parsed.warnings) {
    warnings.push({ path: 'nik', code: w, params: { code: w === 'nik_regency_unknown' ? v.regencyCode : v.districtCode } });
  }
  if (declared.sex && declared.sex !== v.sex) {
    warnings.push({ path: 'sex', code: 'nik_gender_mismatch', params: { fromNik: v.sex, given: declared.sex } });
  }
  if (declared.birthDate && declared.birthDate !== v.birthDate) {
    warnings.push({ path: 'birthDate', code: 'nik_birth_date_mismatch', params: { fromNik: v.birthDate, given: declared.birthDate } });
  }
  return v.nik;
}

/** A KK: structure, province and a real issue date are errors; unknown regions and a 0000 serial are warnings. */
export async function checkKk(db: Queryable, errors: FieldErrors, warnings: Warning[], raw: string, opts: IdCheckOptions = {}): Promise<string | null> {
  const digits = cleanIdNumber(raw);
  const parsed = parseKk(digits, { knownRegion: await knownRegionsOf(db, digits), referenceDate: opts.referenceDate });
  if (!parsed.ok) {
    for (const code of parsed.errors) errors.add('kk', code);
    return null;
  }
  const v = parsed.value;
  for (const w of parsed.warnings) {
    warnings.push({ path: 'kk', code: w, ...(w !== 'kk_serial_zero' && { params: { code: w === 'kk_regency_unknown' ? v.regencyCode : v.districtCode } }) });
  }
  return v.kk;
}

// ---------------------------------------------------------------- regions and scope

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

/** The caller's scope as regencies (provinces expanded), for SQL filters. */
export async function scopeCondition(db: Queryable, scope: BeneficiaryScope): Promise<repo.ScopeCondition> {
  if (scope.kind === 'all') return { kind: 'all' };
  return { kind: 'some', regencies: await repo.regenciesWithin(db, scope.codes) };
}

/** A `regionCode` query filter (province, regency or district). */
export async function regionQueryFilter(db: Queryable, code: string | undefined): Promise<{ regencies?: string[]; districtCode?: string }> {
  if (!code) return {};
  const region = (await repo.findRegions(db, [code])).get(code);
  if (!region) throw AppError.invalid({ path: 'querystring.regionCode', code: 'unknown_region', params: { code } });
  if (region.level === 3) return { districtCode: code };
  if (region.level > 3) throw AppError.invalid({ path: 'querystring.regionCode', code: 'province_or_regency_required', params: { code } });
  return { regencies: await repo.regenciesWithin(db, [code]) };
}

export const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
