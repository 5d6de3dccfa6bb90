/**
 * Row-by-row validation of an imported spreadsheet, for members and for communities: values are
 * parsed and normalised, region names matched to codes within the caller's scope, and duplicates
 * flagged (within the file and against the registry). Nothing is written here.
 */
import { nameKey, normalizePersonName, trigramSimilarity } from '../../../lib/names/index.ts';
import { cleanNik, parseNik } from '../../../lib/nik/index.ts';
import { normalizePhone } from '../../../lib/phone/index.ts';
import {
  COMMUNITY_FIELDS,
  MEMBER_FIELDS,
  isBlank,
  parseDate,
  parseEmail,
  parseGender,
  parseInteger,
  parseList,
  parseText,
  type FieldSpec,
  type TableRow,
} from '../../../lib/tabular/index.ts';
import { can, type Actor } from '../../platform/access.ts';
import type { Queryable } from '../../platform/db.ts';
import type { FieldErrorCode } from '../../platform/errors.ts';
import type { LegalStatus } from '../../platform/schema.ts';
import { searchNameOf, uniqueText } from './common.ts';
import * as repo from './import.repository.ts';
import { LEGAL_STATUSES, SOCIAL_KINDS } from './schemas.ts';

export type ImportKind = 'members' | 'communities';

export const FIELDS_OF: Record<ImportKind, readonly FieldSpec[]> = { members: MEMBER_FIELDS, communities: COMMUNITY_FIELDS };

export interface RowIssue {
  field: string;
  code: FieldErrorCode;
  params?: Record<string, string | number>;
}

export interface DuplicateRef {
  memberId?: number;
  communityId?: number;
  row?: number;
  kind: 'nik' | 'person' | 'name';
}

export interface StoredRow {
  row: number;
  line: number;
  errors: RowIssue[];
  warnings: RowIssue[];
  duplicateOf?: DuplicateRef;
  values?: repo.ImportMemberValues | repo.ImportCommunityValues;
}

// ---------------------------------------------------------------- region matching

export function normalizeRegionName(text: string): { type: 'kabupaten' | 'kota' | null; core: string } {
  let words = keyOf(text).split(' ').filter(Boolean);
  let type: 'kabupaten' | 'kota' | null = null;
  const first = words[0];
  if (first === 'kab' || first === 'kabupaten') type = 'kabupaten';
  else if (first === 'kota' || first === 'kodya' || first === 'kotamadya' || first === 'kot') type = 'kota';
  if (type) words = words.slice(1);
  if (words[0] === 'adm' || words[0] === 'administrasi') words = words.slice(1);
  return { type, core: words.join(' ') };
}

const keyOf = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

export interface RegencyIndex {
  byCore: Map<string, repo.RegionRecord[]>;
  all: { region: repo.RegionRecord; core: string; type: 'kabupaten' | 'kota' | null }[];
}

export function indexRegencies(regions: repo.RegionRecord[]): RegencyIndex {
  const byCore = new Map<string, repo.RegionRecord[]>();
  const all = regions.map((region) => {
    const { type, core } = normalizeRegionName(region.name);
    byCore.set(core, [...(byCore.get(core) ?? []), region]);
    return { region, core, type };
  });
  return { byCore, all };
}

type RegionMatch = { ok: true; code: string } | { ok: false; issue: RowIssue };

/**
 * A regency name (or code) as a code: the exact normalised name first ("Kab. Bandung",
 * "KOTA BANDUNG", "Bandung Barat"), else the most similar names by trigrams; only regencies the
 * caller may manage count, ambiguity is an error listing the candidates.
 */
export function matchRegency(index: RegencyIndex, raw: string, inScope: (code: string) => boolean, field = 'regency'): RegionMatch {
  const text = raw.trim();
  if (/^\d{2}\.\d{2}$/.test(text)) {
    const found = index.all.find((r) => r.region.code === text);
    if (!found) return { ok: false, issue: { field, code: 'region_not_found', params: { name: text } } };
    return inScope(text) ? { ok: true, code: text } : { ok: false, issue: { field, code: 'region_out_of_scope', params: { code: text } } };
  }
  const { type, core } = normalizeRegionName(text);
  let candidates = (index.byCore.get(core) ?? []).filter((r) => !type || normalizeRegionName(r.name).type === type);
  if (!candidates.length && core.length >= 3) {
    const scored = index.all
      .filter((r) => !type || r.type === type)
      .map((r) => ({ r: r.region, score: trigramSimilarity(core, r.core) }))
      .filter((x) => x.score >= 0.5)
      .sort((a, b) => b.score - a.score);
    const best = scored[0]?.score;
    candidates = scored.filter((x) => best !== undefined && x.score >= best - 0.05).map((x) => x.r);
  }
  if (!candidates.length) return { ok: false, issue: { field, code: 'region_not_found', params: { name: text } } };
  const mine = candidates.filter((r) => inScope(r.code));
  if (!mine.length) return { ok: false, issue: { field, code: 'region_out_of_scope', params: { code: candidates.map((c) => c.code).join(', ') } } };
  if (mine.length > 1) {
    return { ok: false, issue: { field, code: 'region_ambiguous', params: { name: text, candidates: mine.map((c) => `${c.name} (${c.code})`).join(', ') } } };
  }
  return { ok: true, code: mine[0]!.code };
}

function matchDistrict(districts: repo.RegionRecord[], regencyCode: string, raw: string): RegionMatch {
  const text = raw.trim();
  const inRegency = districts.filter((d) => d.parent_code === regencyCode);
  if (/^\d{2}\.\d{2}\.\d{2}$/.test(text)) {
    return inRegency.some((d) => d.code === text)
      ? { ok: true, code: text }
      : { ok: false, issue: { field: 'district', code: 'district_not_in_regency', params: { code: text, regency: regencyCode } } };
  }
  const core = keyOf(text).replace(/^(kecamatan|kec) /, '');
  const exact = inRegency.filter((d) => keyOf(d.name) === core);
  const found = exact.length
    ? exact
    : inRegency
        .map((d) => ({ d, score: trigramSimilarity(core, keyOf(d.name)) }))
        .filter((x) => x.score >= 0.6)
        .sort((a, b) => b.score - a.score)
        .slice(0, 1)
        .map((x) => x.d);
  if (found.length === 1) return { ok: true, code: found[0]!.code };
  if (found.length > 1) return { ok: false, issue: { field: 'district', code: 'region_ambiguous', params: { name: text, candidates: found.map((d) => d.code).join(', ') } } };
  return { ok: false, issue: { field: 'district', code: 'region_not_found', params: { name: text } } };
}

// ---------------------------------------------------------------- validation

export interface ValidationProgress {
  (phase: 'reading' | 'checking', done: number, total: number | null): void;
}

/** What a row validator needs, loaded once per file. */
interface Lookups {
  regencies: RegencyIndex;
  knownRegencies: Set<string>;
  subsectorByKey: Map<string, string>;
  subsectorNames: string[];
  inScope: (code: string) => boolean;
}

async function loadLookups(db: Queryable, actor: Actor): Promise<Lookups> {
  const regencies = indexRegencies(await repo.regionsAtLevel(db, 2));
  const subsectors = await repo.allSubsectors(db);
  const subsectorByKey = new Map<string, string>();
  for (const s of subsectors) for (const k of [s.code, s.name_id, s.name_en]) subsectorByKey.set(keyOf(k), s.code);
  return {
    regencies,
    knownRegencies: new Set(regencies.all.map((r) => r.region.code)),
    subsectorByKey,
    subsectorNames: subsectors.flatMap((x) => [x.name_id, x.name_en]),
    inScope: (code) => can(actor, 'registry.manage', code),
  };
}

type Cell = (key: string) => string;

function regencyOf(l: Lookups, c: Cell, errors: RowIssue[]): string | null {
  if (isBlank(c('regency'))) {
    errors.push({ field: 'regency', code: 'required' });
    return null;
  }
  const m = matchRegency(l.regencies, c('regency'), l.inScope);
  if (m.ok) return m.code;
  errors.push(m.issue);
  return null;
}

function subsectorsOf(l: Lookups, c: Cell, errors: RowIssue[]): string[] {
  const codes: string[] = [];
  const list = parseList(c('subsectors'), { known: l.subsectorNames });
  for (const item of list.ok ? (list.value ?? []) : []) {
    const code = l.subsectorByKey.get(keyOf(item));
    if (code) codes.push(code);
    else errors.push({ field: 'subsectors', code: 'unknown_subsector', params: { code: item } });
  }
  return [...new Set(codes)];
}

function phoneOf(raw: string, field: string, errors: RowIssue[]): string | null {
  if (isBlank(raw)) return null;
  const p = normalizePhone(raw);
  if (p.ok) return p.e164;
  errors.push({ field, code: 'phone_format' });
  return null;
}

function memberRow(l: Lookups, c: Cell, out: StoredRow): void {
  const { errors, warnings } = out;
  const name = parseText(c('name'), { required: true, maxLength: 200 });
  if (!name.ok) errors.push({ field: 'name', code: name.error });
  const gender = parseGender(c('gender'));
  if (!gender.ok) errors.push({ field: 'gender', code: gender.error });
  const birth = parseDate(c('birthDate'), { notFuture: true });
  if (!birth.ok) errors.push({ field: 'birthDate', code: birth.error });
  else if (birth.value && birth.value.slice(0, 10) < '1900-01-01') errors.push({ field: 'birthDate', code: 'birth_date_range' });
  const birthDate = birth.ok && birth.value ? birth.value.slice(0, 10) : null;
  const email = parseEmail(c('email'));
  if (!email.ok) errors.push({ field: 'email', code: email.error });
  const phone = phoneOf(c('phone'), 'phone', errors);

  let nik: string | null = null;
  if (!isBlank(c('nik'))) {
    const cleaned = cleanNik(c('nik').replace(/^'/, ''));
    const parsed = parseNik(cleaned, { knownRegion: (code) => (code.length === 5 ? l.knownRegencies.has(code) : true) });
    if (!parsed.ok) for (const e of parsed.errors) errors.push({ field: 'nik', code: e });
    else {
      nik = cleaned;
      for (const w of parsed.warnings) warnings.push({ field: 'nik', code: w, params: { code: w === 'nik_regency_unknown' ? parsed.value.regencyCode : parsed.value.districtCode } });
      if (gender.ok && gender.value && gender.value !== parsed.value.sex) {
        warnings.push({ field: 'gender', code: 'nik_gender_mismatch', params: { fromNik: parsed.value.sex, given: gender.value } });
      }
      if (birthDate && birthDate !== parsed.value.birthDate) {
        warnings.push({ field: 'birthDate', code: 'nik_birth_date_mismatch', params: { fromNik: parsed.value.birthDate, given: birthDate } });
      }
    }
  }

  const regencyCode = regencyOf(l, c, errors);
  const subsectors = subsectorsOf(l, c, errors);
  const skills = parseList(c('skills'));
  const portfolio = parseList(c('portfolio'));
  if (name.ok && name.value && regencyCode) {
    out.values = {
      full_name: name.value,
      search_name: searchNameOf(name.value),
      nik,
      phone,
      email: email.ok ? email.value : null,
      gender: gender.ok ? gender.value : null,
      birth_date: birthDate,
      regency_code: regencyCode,
      district_code: null,
      skills: uniqueText(skills.ok ? (skills.value ?? []) : []),
      portfolio_links: [...new Set(portfolio.ok ? (portfolio.value ?? []) : [])],
      subsectors,
    };
  }
}

const LEGAL_ALIASES: Record<string, LegalStatus> = {
  '': 'none', tidak: 'none', 'tidak ada': 'none', belum: 'none', 'belum ada': 'none', none: 'none', '-': 'none',
  perkumpulan: 'perkumpulan', association: 'perkumpulan', yayasan: 'yayasan', foundation: 'yayasan',
  koperasi: 'koperasi', cooperative: 'koperasi', cv: 'cv', pt: 'pt', lainnya: 'other', lain: 'other', other: 'other',
};

function legalStatusOf(raw: string): LegalStatus | null {
  const key = keyOf(raw);
  if (key in LEGAL_ALIASES) return LEGAL_ALIASES[key]!;
  const first = key.split(' ')[0] ?? '';
  return (LEGAL_STATUSES as readonly string[]).includes(first) ? (first as LegalStatus) : (LEGAL_ALIASES[first] ?? null);
}

/** A social handle or link as a link: "@komunitas" in the Instagram column becomes its profile URL. */
function socialLinkOf(kind: (typeof SOCIAL_KINDS)[number], raw: string): string | null {
  const text = raw.trim();
  if (/^https?:\/\/\S+$/i.test(text)) return text;
  if (/^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(\/\S*)?$/i.test(text)) return `https://${text}`;
  const handle = text.replace(/^@/, '');
  if (kind === 'instagram' && /^[A-Za-z0-9._]{1,30}$/.test(handle)) return `https://instagram.com/${handle}`;
  return null;
}

function kindOfLink(url: string): (typeof SOCIAL_KINDS)[number] {
  const host = url.replace(/^https?:\/\//i, '').split('/')[0]!.toLowerCase();
  const known: [RegExp, (typeof SOCIAL_KINDS)[number]][] = [
    [/instagram\.com$/, 'instagram'], [/facebook\.com$|fb\.com$/, 'facebook'], [/tiktok\.com$/, 'tiktok'],
    [/youtube\.com$|youtu\.be$/, 'youtube'], [/(^|\.)x\.com$|twitter\.com$/, 'x'], [/linkedin\.com$/, 'linkedin'], [/wa\.me$|whatsapp\.com$/, 'whatsapp'],
  ];
  return known.find(([re]) => re.test(host))?.[1] ?? 'other';
}

function communityRow(l: Lookups, c: Cell, out: StoredRow): void {
  const { errors } = out;
  const name = parseText(c('name'), { required: true, maxLength: 200 });
  if (!name.ok) errors.push({ field: 'name', code: name.error });
  const regencyCode = regencyOf(l, c, errors);
  const subsectors = subsectorsOf(l, c, errors);
  const phone = phoneOf(c('phone'), 'phone', errors);
  const email = parseEmail(c('email'));
  if (!email.ok) errors.push({ field: 'email', code: email.error });
  const contactName = parseText(c('contactName'), { maxLength: 120 });
  if (!contactName.ok) errors.push({ field: 'contactName', code: contactName.error });
  const description = parseText(c('description'), { maxLength: 2000 });
  if (!description.ok) errors.push({ field: 'description', code: description.error });
  const year = parseInteger(c('foundingYear'), { min: 1900, max: new Date().getUTCFullYear() + 1 });
  if (!year.ok) errors.push({ field: 'foundingYear', code: year.error });
  const legal = legalStatusOf(c('legalStatus'));
  if (legal === null) errors.push({ field: 'legalStatus', code: 'legal_status_unknown' });

  const links: { kind: string; url: string }[] = [];
  const addLink = (field: string, kind: (typeof SOCIAL_KINDS)[number] | null, raw: string) => {
    if (isBlank(raw)) return;
    const url = socialLinkOf(kind ?? 'other', raw);
    if (!url) errors.push({ field, code: 'url_format' });
    else if (!links.some((x) => x.url === url)) links.push({ kind: kind ?? kindOfLink(url), url });
  };
  addLink('instagram', 'instagram', c('instagram'));
  addLink('website', 'website', c('website'));
  const more = parseList(c('socialLinks'));
  for (const item of more.ok ? (more.value ?? []) : []) addLink('socialLinks', null, item);
  if (links.length > 10) errors.push({ field: 'socialLinks', code: 'too_long' });

  if (name.ok && name.value && regencyCode) {
    out.values = {
      name: name.value,
      search_name: searchNameOf(name.value),
      regency_code: regencyCode,
      district_code: null,
      description: description.ok ? description.value : null,
      contact_name: contactName.ok ? contactName.value : null,
      contact_phone: phone,
      contact_email: email.ok ? email.value : null,
      social_links: links,
      legal_status: legal ?? 'none',
      founding_year: year.ok ? year.value : null,
      subsectors,
    };
  }
}

/**
 * Validates every row of a table whose columns are already mapped (`columns`: field key → column
 * index). Rows longer than the header are errors: an unquoted separator shifted their cells.
 */
export async function validateRows(
  db: Queryable,
  actor: Actor,
  kind: ImportKind,
  rows: AsyncIterable<TableRow>,
  columns: Record<string, number>,
  opts: { maxRows: number; progress: ValidationProgress; signal?: AbortSignal; estimateTotal: (done: number) => number | null },
): Promise<StoredRow[]> {
  const lookups = await loadLookups(db, actor);
  const validateRow = kind === 'members' ? memberRow : communityRow;
  const out: StoredRow[] = [];
  const districtNames: { row: StoredRow; regency: string; raw: string }[] = [];
  for await (const r of rows) {
    if (out.length >= opts.maxRows) throw new TooManyRowsError(opts.maxRows);
    const c: Cell = (key) => (columns[key] === undefined ? '' : (r.cells[columns[key]] ?? ''));
    const row: StoredRow = { row: r.index, line: r.line, errors: [], warnings: [] };
    // First, as it explains the errors that follow from the shifted cells.
    if (r.ragged && r.ragged.actual > r.ragged.expected && r.cells.slice(r.ragged.expected).some((x) => !isBlank(x))) {
      row.errors.push({ field: '*', code: 'row_too_many_cells', params: { expected: r.ragged.expected, actual: r.ragged.actual } });
    }
    validateRow(lookups, c, row);
    const regency = row.values?.regency_code;
    if (regency && !isBlank(c('district'))) districtNames.push({ row, regency, raw: c('district') });
    out.push(row);
    if (out.length % 1000 === 0) {
      opts.signal?.throwIfAborted();
      opts.progress('reading', out.length, opts.estimateTotal(out.length));
      // Let requests (progress polls) through between chunks of CPU-bound work.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  opts.progress('reading', out.length, out.length);

  if (districtNames.length) {
    const districts = await repo.regionsAtLevel(db, 3, [...new Set(districtNames.map((d) => d.regency))]);
    for (const d of districtNames) {
      const m = matchDistrict(districts, d.regency, d.raw);
      if (!m.ok) d.row.errors.push(m.issue);
      else if (d.row.values) d.row.values.district_code = m.code;
    }
  }
  if (kind === 'members') await flagMemberDuplicates(db, out, opts.progress);
  else await flagCommunityDuplicates(db, out);
  for (const r of out) if (r.errors.length) delete r.values;
  return out;
}

export class TooManyRowsError extends Error {
  constructor(readonly max: number) {
    super(`more than ${max} rows`);
  }
}

const memberValues = (r: StoredRow) => r.values as repo.ImportMemberValues;

async function flagMemberDuplicates(db: Queryable, rows: StoredRow[], progress: ValidationProgress) {
  const byNik = new Map<string, number>();
  const byPerson = new Map<string, number>();
  for (const r of rows) {
    if (!r.values || r.errors.length) continue;
    const v = memberValues(r);
    if (v.nik) {
      const first = byNik.get(v.nik);
      if (first !== undefined) r.duplicateOf = { row: first, kind: 'nik' };
      else byNik.set(v.nik, r.row);
    }
    if (!r.duplicateOf && v.birth_date) {
      const key = `${nameKey(v.full_name)}|${v.birth_date}|${v.regency_code}`;
      const first = byPerson.get(key);
      if (first !== undefined) r.duplicateOf = { row: first, kind: 'person' };
      else byPerson.set(key, r.row);
    }
    if (r.duplicateOf?.row !== undefined) r.warnings.push({ field: r.duplicateOf.kind === 'nik' ? 'nik' : 'name', code: 'duplicate_in_file', params: { row: r.duplicateOf.row } });
  }
  const candidates = rows.filter((r) => r.values && !r.errors.length && !r.duplicateOf);
  const niks = candidates.flatMap((r) => (memberValues(r).nik ? [memberValues(r).nik!] : []));
  const people = () =>
    candidates
      .filter((r) => !r.duplicateOf && memberValues(r).birth_date)
      .map((r) => {
        const v = memberValues(r);
        return { idx: r.row, search_name: normalizePersonName(v.full_name) || v.search_name, birth_date: v.birth_date!, regency_code: v.regency_code };
      });
  const NIK_CHUNK = 10_000;
  const PERSON_CHUNK = 5_000;
  const total = Math.ceil(niks.length / NIK_CHUNK) * NIK_CHUNK + candidates.length;
  let done = 0;
  for (let i = 0; i < niks.length; i += NIK_CHUNK) {
    const found = await repo.membersByNik(db, niks.slice(i, i + NIK_CHUNK));
    for (const r of candidates) {
      const nik = memberValues(r).nik;
      const id = nik ? found.get(nik) : undefined;
      if (id !== undefined) {
        r.duplicateOf = { memberId: id, kind: 'nik' };
        r.warnings.push({ field: 'nik', code: 'duplicate_existing_nik', params: { id } });
      }
    }
    done += NIK_CHUNK;
    progress('checking', done, total);
  }
  const byRow = new Map(rows.map((r) => [r.row, r]));
  const list = people();
  for (let i = 0; i < list.length; i += PERSON_CHUNK) {
    const found = await repo.similarMembers(db, list.slice(i, i + PERSON_CHUNK));
    for (const [idx, id] of found) {
      const r = byRow.get(idx)!;
      r.duplicateOf = { memberId: id, kind: 'person' };
      r.warnings.push({ field: 'name', code: 'duplicate_existing_person', params: { id } });
    }
    done += PERSON_CHUNK;
    progress('checking', Math.min(done, total), total);
  }
}

/** A community is a duplicate when a community of the same regency has the same (folded) name. */
async function flagCommunityDuplicates(db: Queryable, rows: StoredRow[]) {
  const seen = new Map<string, number>();
  const keyOfRow = (v: repo.ImportCommunityValues) => `${v.regency_code}|${v.search_name}`;
  for (const r of rows) {
    if (!r.values || r.errors.length) continue;
    const key = keyOfRow(r.values as repo.ImportCommunityValues);
    const first = seen.get(key);
    if (first !== undefined) {
      r.duplicateOf = { row: first, kind: 'name' };
      r.warnings.push({ field: 'name', code: 'duplicate_in_file', params: { row: first } });
    } else seen.set(key, r.row);
  }
  const candidates = rows.filter((r) => r.values && !r.errors.length && !r.duplicateOf);
  for (let i = 0; i < candidates.length; i += 5_000) {
    const part = candidates.slice(i, i + 5_000);
    const found = await repo.communitiesByName(
      db,
      part.map((r) => ({ regency_code: r.values!.regency_code, search_name: r.values!.search_name })),
    );
    for (const r of part) {
      const id = found.get(keyOfRow(r.values as repo.ImportCommunityValues));
      if (id !== undefined) {
        r.duplicateOf = { communityId: id, kind: 'name' };
        r.warnings.push({ field: 'name', code: 'duplicate_existing_community', params: { id } });
      }
    }
  }
}
