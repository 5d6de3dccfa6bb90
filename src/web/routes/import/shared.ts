/** Small pure helpers of the import pages: file types, the template, fallbacks for older servers. */
import type { ImportBatch, ImportField, ImportKind, ImportStatus } from '../../api/types.ts';
import { COMMUNITY_FIELDS, MEMBER_FIELDS, type FieldSpec } from '../../../lib/tabular/headers.ts';

/** The server's raw-body limit (import.routes.ts). */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const ACCEPT = `.csv,.xlsx,${CSV_TYPE},${XLSX_TYPE}`;

/** Where a batch is still being worked on by the server (poll it). */
export function isBusy(status: ImportStatus): boolean {
  return status === 'validating' || status === 'committing';
}

export type FileCheck = { ok: true; contentType: string } | { ok: false; reason: 'type' | 'xls' | 'size' | 'empty' };

/**
 * The content type to send, by extension first: Windows labels CSV files
 * `application/vnd.ms-excel`, which the server does not take.
 */
export function checkFile(file: File): FileCheck {
  const name = file.name.toLowerCase();
  if (file.size === 0) return { ok: false, reason: 'empty' };
  if (file.size > MAX_UPLOAD_BYTES) return { ok: false, reason: 'size' };
  if (name.endsWith('.csv') || name.endsWith('.txt')) return { ok: true, contentType: CSV_TYPE };
  if (name.endsWith('.xlsx')) return { ok: true, contentType: XLSX_TYPE };
  if (name.endsWith('.xls')) return { ok: false, reason: 'xls' };
  if (file.type === CSV_TYPE) return { ok: true, contentType: CSV_TYPE };
  if (file.type === XLSX_TYPE) return { ok: true, contentType: XLSX_TYPE };
  return { ok: false, reason: 'type' };
}

const specs = (kind: ImportKind): readonly FieldSpec[] => (kind === 'communities' ? COMMUNITY_FIELDS : MEMBER_FIELDS);

/** The target fields of a batch: the server's list, or the shared field list when it sends none. */
export function fieldsOf(batch: Pick<ImportBatch, 'kind' | 'fields'>, lang: string): ImportField[] {
  if (batch.fields?.length) return batch.fields;
  return specs(batch.kind).map((f) => ({ key: f.key, label: lang === 'en' ? f.label.en : f.label.id, required: !!f.required }));
}

/** Every header of the file, in order: the server's list, or what the mapping and unmapped lists reveal. */
export function headersOf(batch: Pick<ImportBatch, 'headers' | 'mapping' | 'unmapped'>): string[] {
  if (batch.headers?.length) return batch.headers;
  return [...new Set([...Object.values(batch.mapping ?? {}), ...(batch.unmapped ?? [])])];
}

/**
 * A CSV with the recognised headers and no rows. The Indonesian labels are used in both languages:
 * every one of them is a header the importer recognises, and the network's spreadsheets are in
 * Indonesian.
 */
export function templateCsv(kind: ImportKind): string {
  const quote = (s: string) => (/[",;\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `\uFEFF${specs(kind).map((f) => quote(f.label.id)).join(',')}\r\n`;
}

export function templateFileName(kind: ImportKind): string {
  return kind === 'communities' ? 'templat-impor-komunitas.csv' : 'templat-impor-anggota.csv';
}

/** Where the imported records are listed. */
export function listPathOf(kind: ImportKind): string {
  return kind === 'communities' ? '/komunitas' : '/anggota';
}

/** How many report rows the server sends with a batch (import.service.ts PREVIEW_ROWS). */
export const PREVIEW_ROWS = 100;

/**
 * How many records a commit would write. Exact when the preview holds every problem row (fewer
 * than the preview limit); otherwise an upper bound. NIK duplicates are never written.
 */
export function plannedWrites(batch: ImportBatch, skipDuplicates: boolean): { count: number; exact: boolean; duplicatesSkipped: number } {
  const report = batch.report ?? [];
  const exact = report.length < PREVIEW_ROWS;
  const validDuplicates = report.filter((r) => r.duplicateOf && r.errors.length === 0);
  const alwaysSkipped = validDuplicates.filter((r) => r.duplicateOf!.kind === 'nik').length;
  // Beyond the preview, at least this many duplicates are valid rows (the rest could be invalid ones).
  const validDuplicateCount = exact ? validDuplicates.length : Math.max(validDuplicates.length, batch.duplicates - batch.invalid);
  const skipped = skipDuplicates ? validDuplicateCount : alwaysSkipped;
  return { count: Math.max(0, batch.valid - skipped), exact, duplicatesSkipped: skipped };
}
