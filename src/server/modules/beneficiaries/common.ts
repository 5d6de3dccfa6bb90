/**
 * Rules shared by the beneficiary services: NIK/KK validation (src/lib/linkage parsers, with the
 * region reference data), masking of personal data, audit entries, and the scope of a list.
 */
import { parseKk, parseNik, cleanIdNumber } from '../../../lib/linkage/index.ts';
import { maskNik } from '../../../lib/nik/index.ts';
import type { Queryable } from '../../platform/db.ts';
import type { BeneficiaryScope } from './policy.ts';
import * as repo from './repository.ts';

// Request meta, field errors, the audit call, phone masking and region checks are the registry's:
// the same rules for every module that keeps personal records.
export {
  audit,
  checkRegencyAndDistrict,
  FieldErrors,
  iso,
  maskPhone,
  regionQueryFilter,
  type RequestMeta,
  type Warning,
} from '../registry/common.ts';
import { FieldErrors, type Warning } from '../registry/common.ts';

// ---------------------------------------------------------------- masking

/** "3273********0002": NIK and KK share the format. */
export const maskId = (value: string | null) => (value === null ? null : maskNik(value));

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

/** The caller's scope as regencies (provinces expanded), for SQL filters. */
export async function scopeCondition(db: Queryable, scope: BeneficiaryScope): Promise<repo.ScopeCondition> {
  if (scope.kind === 'all') return { kind: 'all' };
  return { kind: 'some', regencies: await repo.regenciesWithin(db, scope.codes) };
}

