/**
 * Pure helpers of the distribution pages: the month a period defaults to, the key that makes
 * recording a distribution safe to retry, and a small CSV reader for a partner's list — small on
 * purpose: the page is opened on phones over mobile data, and the server's full reader
 * (src/lib/tabular) is not shipped to the browser.
 */

/** The first and last day of the month that holds `day` (YYYY-MM-DD). */
export function monthPeriod(day: string): { start: string; end: string } {
  const [y, m] = day.split('-').map(Number);
  const last = new Date(Date.UTC(y!, m!, 0)).getUTCDate();
  const mm = String(m).padStart(2, '0');
  return { start: `${y}-${mm}-01`, end: `${y}-${mm}-${String(last).padStart(2, '0')}` };
}

/** Today in Indonesia's western time (WIB), where a day of distribution is counted. */
export function todayWib(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** The delimiter of the first line: comma, semicolon (Excel in Indonesian) or tab, outside quotes. */
function delimiterOf(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

/** CSV text → rows of cells: quotes with doubled quotes, delimiters and newlines inside; blank lines dropped. */
export function parseCsv(input: string): string[][] {
  const text = input.replace(/^\uFEFF/, '');
  const delimiter = delimiterOf(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endRow = () => {
    row.push(field);
    if (row.some((c) => c.trim() !== '')) rows.push(row);
    row = [];
    field = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      endRow();
    } else field += ch;
  }
  if (field !== '' || row.length) endRow();
  return rows;
}

export type PartnerColumn = 'ref' | 'nik' | 'fullName' | 'birthDate' | 'regencyCode';

const HEADER_NAMES: Record<PartnerColumn, string[]> = {
  ref: ['ref', 'no', 'nomor', 'id', 'id mitra', 'no urut'],
  nik: ['nik', 'no nik', 'nomor nik', 'no ktp', 'ktp'],
  fullName: ['nama', 'nama lengkap', 'name', 'full name', 'fullname', 'nama penerima'],
  birthDate: ['tanggal lahir', 'tgl lahir', 'tgl. lahir', 'lahir', 'birth date', 'birthdate', 'date of birth', 'dob'],
  regencyCode: ['kabupaten/kota', 'regency/city', 'kab/kota', 'kode kabupaten/kota', 'kode wilayah', 'kabupaten', 'kota', 'regency', 'regency code', 'wilayah'],
};

const norm = (h: string) => h.trim().toLowerCase().replace(/[_]+/g, ' ').replace(/\s+/g, ' ');

/** Which column holds which field, by the header's usual Indonesian or English names. */
export function mapPartnerHeaders(headers: string[]): Partial<Record<PartnerColumn, number>> {
  const out: Partial<Record<PartnerColumn, number>> = {};
  for (const [field, names] of Object.entries(HEADER_NAMES) as [PartnerColumn, string[]][]) {
    const i = headers.findIndex((h) => names.includes(norm(h)));
    if (i >= 0) out[field] = i;
  }
  return out;
}

/** "1990-03-02", "02/03/1990", "2-3-1990" (day first, as written in Indonesia) → YYYY-MM-DD; else null. */
export function parseDay(raw: string): string | null {
  const s = raw.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s))) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** "32.73" or "3273" → "32.73"; a name or anything else → null (the NIK tells the regency then). */
export function parseRegencyCode(raw: string): string | null {
  const s = raw.trim();
  if (/^\d{2}\.\d{2}$/.test(s)) return s;
  if (/^\d{4}$/.test(s)) return `${s.slice(0, 2)}.${s.slice(2)}`;
  return null;
}

export interface PartnerRow {
  ref: string | null;
  nik: string | null;
  fullName: string;
  birthDate: string | null;
  regencyCode: string | null;
}

export interface PartnerFile {
  rows: PartnerRow[];
  /** Header names missing for required columns. */
  missing: PartnerColumn[];
  /** Data rows without a usable name (1-based line in the file). */
  skipped: number[];
}

/** A partner's CSV as the overlap API takes it: a name is required, the rest helps the match. */
export function readPartnerFile(text: string): PartnerFile {
  const [headers = [], ...data] = parseCsv(text);
  const cols = mapPartnerHeaders(headers);
  if (cols.fullName === undefined) return { rows: [], missing: ['fullName'], skipped: [] };
  const at = (r: string[], c: PartnerColumn) => (cols[c] === undefined ? '' : (r[cols[c]!] ?? '').trim());
  const rows: PartnerRow[] = [];
  const skipped: number[] = [];
  data.forEach((r, i) => {
    const fullName = at(r, 'fullName');
    if (fullName.length < 2) {
      skipped.push(i + 2);
      return;
    }
    rows.push({
      ref: at(r, 'ref') || String(i + 2),
      nik: at(r, 'nik').replace(/[\s.'-]/g, '') || null,
      fullName: fullName.slice(0, 160),
      birthDate: parseDay(at(r, 'birthDate')),
      regencyCode: parseRegencyCode(at(r, 'regencyCode')),
    });
  });
  return { rows, missing: [], skipped };
}

/** A key for one distribution's recording, made once per confirmation (crypto.randomUUID needs a secure context). */
export function newBatchKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return `dist-${c.randomUUID()}`;
  return `dist-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
