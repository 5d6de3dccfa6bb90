/**
 * Spreadsheet import of members: read (CSV/XLSX), map headers, validate every row, flag duplicates,
 * keep the batch for a preview; later commit it in one transaction, exactly once.
 *
 * Rows are processed in the request. Background processing with progress (pg-boss) is not wired
 * yet: a 100,000-row file is validated and committed synchronously.
 */
import { nameKey, normalizePersonName, trigramSimilarity } from '../../../lib/names/index.ts';
import { cleanNik, parseNik } from '../../../lib/nik/index.ts';
import { normalizePhone } from '../../../lib/phone/index.ts';
import {
  MEMBER_FIELDS,
  TableError,
  isBlank,
  mapHeaders,
  parseDate,
  parseEmail,
  parseGender,
  parseList,
  parseText,
  readTableStream,
  type TableSource,
} from '../../../lib/tabular/index.ts';
import { can, regionFilter, type Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError, fieldMessage, type FieldErrorCode, type Locale } from '../../platform/errors.ts';
import { audit, searchNameOf, uniqueText, type RequestMeta } from './common.ts';
import { invalidateRegistryDashboard } from './dashboard.service.ts';
import * as repo from './import.repository.ts';

/** How many rows of the report the preview returns; the CSV report has them all. */
export const PREVIEW_ROWS = 100;
/** Above this, a file should go to a background job (not wired yet; processed in the request). */
export const BACKGROUND_THRESHOLD = 20_000;
export const MAX_ROWS = 200_000;

export interface RowIssue {
  field: string;
  code: FieldErrorCode;
  params?: Record<string, string | number>;
}

export interface StoredRow {
  row: number;
  line: number;
  errors: RowIssue[];
  warnings: RowIssue[];
  duplicateOf?: { memberId?: number; row?: number; kind: 'nik' | 'person' };
  values?: repo.ImportMemberValues;
}

// ---------------------------------------------------------------- matching helpers

export function normalizeRegionName(text: string): { type: 'kabupaten' | 'kota' | null; core: string } {
  let words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
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

interface RegencyIndex {
  byCore: Map<string, repo.RegionRecord[]>;
  all: { region: repo.RegionRecord; core: string; type: 'kabupaten' | 'kota' | null }[];
}

function indexRegencies(regions: repo.RegionRecord[]): RegencyIndex {
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

// ---------------------------------------------------------------- preview

function assertMayImport(actor: Actor) {
  if (regionFilter(actor, 'registry.manage').kind === 'none') throw new AppError('forbidden');
}

export interface ImportInput {
  kind: 'members';
  fileName: string;
  body: TableSource;
}

export async function createImport(ctx: AppContext, actor: Actor, input: ImportInput, meta: RequestMeta) {
  assertMayImport(actor);
  let stream;
  try {
    stream = await readTableStream(input.body, { fileName: input.fileName });
  } catch (err) {
    if (err instanceof TableError) throw AppError.invalid({ path: 'body', code: 'table_unreadable', params: { reason: err.code } });
    throw err;
  }
  const mapping = mapHeaders(stream.headers, MEMBER_FIELDS);
  if (mapping.missingRequired.length) {
    throw AppError.invalid({ path: 'body', code: 'missing_columns', params: { fields: mapping.missingRequired.join(', ') } });
  }
  const f = mapping.fields as Record<string, number | undefined>;
  const cell = (cells: string[], key: string) => (f[key] === undefined ? '' : (cells[f[key]] ?? ''));

  const db = ctx.db;
  const regencies = indexRegencies(await repo.regionsAtLevel(db, 2));
  const knownRegencies = new Set(regencies.all.map((r) => r.region.code));
  const subsectors = await repo.allSubsectors(db);
  const subsectorByKey = new Map<string, string>();
  for (const s of subsectors) for (const k of [s.code, s.name_id, s.name_en]) subsectorByKey.set(keyOf(k), s.code);
  const subsectorNames = subsectors.flatMap((x) => [x.name_id, x.name_en]);
  const inScope = (code: string) => can(actor, 'registry.manage', code);

  const rows: StoredRow[] = [];
  const districtNames: { row: StoredRow; regency: string; raw: string }[] = [];
  let count = 0;
  for await (const r of stream.rows) {
    count += 1;
    if (count > MAX_ROWS) throw AppError.invalid({ path: 'body', code: 'table_unreadable', params: { reason: 'table_too_many_rows' } });
    const errors: RowIssue[] = [];
    const warnings: RowIssue[] = [];
    const c = (key: string) => cell(r.cells, key);
    const out: StoredRow = { row: r.index, line: r.line, errors, warnings };

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

    let phone: string | null = null;
    if (!isBlank(c('phone'))) {
      const p = normalizePhone(c('phone'));
      if (p.ok) phone = p.e164;
      else errors.push({ field: 'phone', code: 'phone_format' });
    }

    let nik: string | null = null;
    if (!isBlank(c('nik'))) {
      const cleaned = cleanNik(c('nik').replace(/^'/, ''));
      const parsed = parseNik(cleaned, { knownRegion: (code) => code.length === 5 ? knownRegencies.has(code) : true });
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

    let regencyCode: string | null = null;
    if (isBlank(c('regency'))) errors.push({ field: 'regency', code: 'required' });
    else {
      const m = matchRegency(regencies, c('regency'), inScope);
      if (m.ok) regencyCode = m.code;
      else errors.push(m.issue);
    }
    if (regencyCode && !isBlank(c('district'))) districtNames.push({ row: out, regency: regencyCode, raw: c('district') });

    const codes: string[] = [];
    const list = parseList(c('subsectors'), { known: subsectorNames });
    for (const item of list.ok ? (list.value ?? []) : []) {
      const code = subsectorByKey.get(keyOf(item));
      if (code) codes.push(code);
      else errors.push({ field: 'subsectors', code: 'unknown_subsector', params: { code: item } });
    }
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
        subsectors: [...new Set(codes)],
      };
    }
    rows.push(out);
  }

  // Districts, within the matched regency.
  if (districtNames.length) {
    const districts = await repo.regionsAtLevel(db, 3, [...new Set(districtNames.map((d) => d.regency))]);
    for (const d of districtNames) {
      const m = matchDistrict(districts, d.regency, d.raw);
      if (m.ok) {
        if (d.row.values) d.row.values.district_code = m.code;
      } else d.row.errors.push(m.issue);
    }
  }

  await flagDuplicates(db, rows);
  for (const r of rows) if (r.errors.length) delete r.values;

  const valid = rows.filter((r) => !r.errors.length).length;
  const duplicates = rows.filter((r) => r.duplicateOf).length;
  const columnOf = (i: number) => stream.headers[i] ?? String(i);
  const summary = {
    mapping: Object.fromEntries(Object.entries(mapping.fields).map(([k, i]) => [k, columnOf(i as number)])),
    unmapped: mapping.unmapped.map((u) => u.header),
  };
  const record: Omit<repo.BatchRecord, 'id' | 'status' | 'result'> = {
    kind: 'members',
    file_name: input.fileName,
    created_by: actor.userId,
    total_rows: rows.length,
    valid_rows: valid,
    invalid_rows: rows.length - valid,
    duplicate_rows: duplicates,
    summary,
    rows,
  };
  const id = await ctx.db.transaction().execute(async (tx) => {
    const batchId = await repo.insertBatch(tx, record);
    await audit(ctx, tx, actor, meta, {
      action: 'import.preview',
      entityType: 'import_batch',
      entityId: batchId,
      after: { kind: 'members', rows: rows.length, valid, invalid: rows.length - valid, duplicates },
    });
    return batchId;
  });
  // The batch as stored, without reading 100,000 rows of jsonb back.
  return { ...record, id, status: 'preview', result: null } satisfies repo.BatchRecord;
}

async function flagDuplicates(db: Queryable, rows: StoredRow[]) {
  const byNik = new Map<string, number>();
  const byPerson = new Map<string, number>();
  for (const r of rows) {
    const v = r.values;
    if (!v) continue;
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
  const candidates = rows.filter((r) => r.values && !r.duplicateOf);
  const niks = candidates.flatMap((r) => (r.values!.nik ? [r.values!.nik] : []));
  for (let i = 0; i < niks.length; i += 10_000) {
    const found = await repo.membersByNik(db, niks.slice(i, i + 10_000));
    for (const r of candidates) {
      const id = r.values!.nik ? found.get(r.values!.nik) : undefined;
      if (id !== undefined) {
        r.duplicateOf = { memberId: id, kind: 'nik' };
        r.warnings.push({ field: 'nik', code: 'duplicate_existing_nik', params: { id } });
      }
    }
  }
  const people = candidates
    .filter((r) => !r.duplicateOf && r.values!.birth_date)
    .map((r) => ({ idx: r.row, search_name: normalizePersonName(r.values!.full_name) || r.values!.search_name, birth_date: r.values!.birth_date!, regency_code: r.values!.regency_code }));
  const byRow = new Map(rows.map((r) => [r.row, r]));
  for (let i = 0; i < people.length; i += 5_000) {
    const found = await repo.similarMembers(db, people.slice(i, i + 5_000));
    for (const [idx, id] of found) {
      const r = byRow.get(idx)!;
      r.duplicateOf = { memberId: id, kind: 'person' };
      r.warnings.push({ field: 'name', code: 'duplicate_existing_person', params: { id } });
    }
  }
}

// ---------------------------------------------------------------- reading a batch

async function loadOwnBatch(db: Queryable, actor: Actor, id: number, lock = false) {
  const b = await repo.findBatch(db, id, { lock });
  // Another coordinator's batch holds personal data of their region: it does not exist for others.
  if (!b || (b.created_by !== actor.userId && regionFilter(actor, 'registry.manage').kind !== 'all')) throw new AppError('not_found');
  return b;
}

const localise = (issues: RowIssue[], locale: Locale) =>
  issues.map((i) => ({ field: i.field, code: i.code, message: fieldMessage(i.code, locale, i.params) }));

export function presentRow(r: StoredRow, locale: Locale) {
  return {
    row: r.row,
    line: r.line,
    errors: localise(r.errors, locale),
    warnings: localise(r.warnings, locale),
    ...(r.duplicateOf && { duplicateOf: r.duplicateOf }),
  };
}

export function presentBatch(b: repo.BatchRecord, locale: Locale) {
  const rows = b.rows as StoredRow[];
  return {
    id: b.id,
    kind: b.kind,
    fileName: b.file_name,
    status: b.status,
    rows: b.total_rows,
    valid: b.valid_rows,
    invalid: b.invalid_rows,
    duplicates: b.duplicate_rows,
    mapping: b.summary.mapping,
    unmapped: b.summary.unmapped,
    background: false,
    result: b.result,
    report: rows.filter((r) => r.errors.length || r.warnings.length).slice(0, PREVIEW_ROWS).map((r) => presentRow(r, locale)),
  };
}

export async function getImport(ctx: AppContext, actor: Actor, id: number) {
  assertMayImport(actor);
  return loadOwnBatch(ctx.db, actor, id);
}

// ---------------------------------------------------------------- commit

export interface CommitInput {
  mode: 'all_or_nothing' | 'valid_only';
  skipDuplicates?: boolean;
}

export async function commitImport(ctx: AppContext, actor: Actor, id: number, input: CommitInput, meta: RequestMeta) {
  assertMayImport(actor);
  const skipDuplicates = input.skipDuplicates ?? true;
  const outcome = await ctx.db.transaction().execute(async (tx) => {
    const b = await loadOwnBatch(tx, actor, id, true);
    if (b.status === 'committed') return { batch: b, changed: false };
    const rows = b.rows as StoredRow[];
    const invalid = rows.filter((r) => r.errors.length).length;
    if (input.mode === 'all_or_nothing' && invalid > 0) {
      throw new AppError('conflict', { errors: [{ path: 'mode', code: 'import_has_invalid_rows', params: { count: invalid } }] });
    }
    // Scope again: grants may have changed since the preview.
    const writable = rows.filter((r) => r.values && !r.errors.length && can(actor, 'registry.manage', r.values.regency_code));
    // An existing NIK (or a NIK twice in the file) can never be inserted; other duplicates on request.
    const toInsert = writable.filter((r) => !(r.duplicateOf && (r.duplicateOf.kind === 'nik' || skipDuplicates)));
    const existing = await repo.membersByNik(tx, toInsert.flatMap((r) => (r.values!.nik ? [r.values!.nik] : [])));
    const final = toInsert.filter((r) => !(r.values!.nik && existing.has(r.values!.nik)));
    const inserted = await repo.bulkInsertMembers(tx, final.map((r) => r.values!));
    const result = { mode: input.mode, skipDuplicates, inserted, skipped: rows.length - inserted };
    await repo.markCommitted(tx, id, result);
    await audit(ctx, tx, actor, meta, { action: 'import.commit', entityType: 'import_batch', entityId: id, after: { kind: b.kind, ...result } });
    return { batch: { ...b, status: 'committed' as const, result }, changed: true };
  });
  if (outcome.changed) invalidateRegistryDashboard();
  return outcome.batch;
}
