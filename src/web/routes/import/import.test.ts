import { describe, expect, it } from 'vitest';
import type { ImportBatch } from '../../api/types.ts';
import { COMMUNITY_FIELDS, MEMBER_FIELDS, mapHeaders } from '../../../lib/tabular/headers.ts';
import { checkFile, CSV_TYPE, fieldsOf, headersOf, plannedWrites, templateCsv, XLSX_TYPE } from './shared.ts';

const batch = (over: Partial<ImportBatch>): ImportBatch => ({
  id: 1,
  kind: 'members',
  fileName: 'a.csv',
  status: 'preview',
  rows: 0,
  valid: 0,
  invalid: 0,
  duplicates: 0,
  mapping: {},
  unmapped: [],
  result: null,
  ...over,
});

describe('import template', () => {
  it.each([
    ['members', MEMBER_FIELDS],
    ['communities', COMMUNITY_FIELDS],
  ] as const)('every %s template header is recognised by the importer', (kind, fields) => {
    const headers = templateCsv(kind).replace(/^\uFEFF/, '').trim().split(',');
    const m = mapHeaders(headers, fields);
    expect(m.unmapped).toEqual([]);
    expect(Object.keys(m.fields).sort()).toEqual(fields.map((f) => f.key).sort());
  });
});

describe('checkFile', () => {
  const file = (name: string, type = '', size = 10) => new File([new Uint8Array(size)], name, { type });
  it('sends CSV and XLSX by extension, whatever type Windows gives', () => {
    expect(checkFile(file('a.CSV', 'application/vnd.ms-excel'))).toEqual({ ok: true, contentType: CSV_TYPE });
    expect(checkFile(file('a.xlsx'))).toEqual({ ok: true, contentType: XLSX_TYPE });
  });
  it('refuses old Excel, other files and empty files with a reason', () => {
    expect(checkFile(file('a.xls'))).toEqual({ ok: false, reason: 'xls' });
    expect(checkFile(file('a.pdf', 'application/pdf'))).toEqual({ ok: false, reason: 'type' });
    expect(checkFile(file('a.csv', CSV_TYPE, 0))).toEqual({ ok: false, reason: 'empty' });
  });
});

describe('fallbacks for a server without fields and headers', () => {
  it('takes the shared field list and the headers the mapping reveals', () => {
    const b = batch({ mapping: { name: 'Nama' }, unmapped: ['Catatan'] });
    expect(fieldsOf(b, 'en')[0]).toEqual({ key: 'name', label: 'Name', required: true });
    expect(headersOf(b)).toEqual(['Nama', 'Catatan']);
  });
});

describe('plannedWrites', () => {
  const dup = (row: number, kind: string, errors = 0) => ({
    row,
    line: row + 1,
    errors: Array.from({ length: errors }, () => ({ field: 'x', code: 'c', message: 'm' })),
    warnings: [],
    duplicateOf: { memberId: 9, kind },
  });
  it('is exact when the preview holds every problem row; NIK duplicates are never written', () => {
    const b = batch({ rows: 10, valid: 8, invalid: 2, duplicates: 3, report: [dup(1, 'nik'), dup(2, 'person'), dup(3, 'person', 1)] });
    expect(plannedWrites(b, true)).toEqual({ count: 6, exact: true, duplicatesSkipped: 2 });
    expect(plannedWrites(b, false)).toEqual({ count: 7, exact: true, duplicatesSkipped: 1 });
  });
  it('is an upper bound when the preview is cut', () => {
    const report = Array.from({ length: 100 }, (_, i) => dup(i + 1, 'person'));
    const b = batch({ rows: 1000, valid: 900, invalid: 100, duplicates: 400, report });
    expect(plannedWrites(b, true)).toEqual({ count: 600, exact: false, duplicatesSkipped: 300 });
  });
});
