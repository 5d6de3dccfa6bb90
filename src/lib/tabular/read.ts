/**
 * Reading the spreadsheets people actually have: CSV (any of , ; tab |, any encoding Excel writes)
 * and XLSX (first worksheet). Streams with bounded memory; readTable collects for small files.
 */
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import { excelSerialToIso } from './values.ts';

export type TableFormat = 'csv' | 'xlsx';
export type TableErrorCode =
  | 'table_unsupported_format' // .xls, .ods, .numbers, a PDF…
  | 'table_empty' // no header row
  | 'table_too_many_rows'
  | 'csv_invalid' // e.g. a quote never closed
  | 'csv_record_too_large'
  | 'xlsx_invalid';

export class TableError extends Error {
  constructor(
    readonly code: TableErrorCode,
    message: string,
    /** 1-based line (CSV) or sheet row (XLSX) where the problem is, when known. */
    readonly line?: number,
  ) {
    super(message);
    this.name = 'TableError';
  }
}

export interface TableRow {
  /** 1-based data row number: the first row under the header is 1. */
  index: number;
  /** 1-based line where the record starts (CSV) or the sheet's row number (XLSX), for reports. */
  line: number;
  /** One string per header (padded with ""); more when the row is longer than the header. */
  cells: string[];
  /** Set when the row had a different number of cells than the header (CSV), or extra non-empty cells (XLSX). */
  ragged?: { expected: number; actual: number };
}

export interface TableStream {
  format: TableFormat;
  /** CSV only: the delimiter found. */
  delimiter?: string;
  /** CSV only: the text encoding found. */
  encoding?: string;
  headers: string[];
  /** Line (CSV) or sheet row (XLSX) of the header: leading title rows are skipped. */
  headerLine: number;
  /** The data rows; breaking out of the loop closes the input. */
  rows: AsyncGenerator<TableRow, void, undefined>;
}

export interface Table {
  format: TableFormat;
  delimiter?: string;
  encoding?: string;
  headers: string[];
  headerLine: number;
  rows: string[][];
  /** Line of each row, in the same order as rows. */
  lines: number[];
  ragged: Array<{ index: number; line: number; expected: number; actual: number }>;
}

export interface ReadOptions {
  /** The uploaded file's name: its extension helps tell the format (the content decides first). */
  fileName: string;
  /** Force a CSV delimiter instead of detecting it. */
  delimiter?: string;
  /** readTable only: refuse files with more data rows than this (TableError table_too_many_rows). */
  maxRows?: number;
}

export type TableSource = Buffer | Uint8Array | string | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>;

const SNIFF_BYTES = 64 * 1024;
const MAX_RECORD_CHARS = 1_000_000;
const TITLE_ROW_LOOKAHEAD = 10;
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;

/** Reads a whole table into memory (for files up to a few tens of thousands of rows). */
export async function readTable(input: TableSource, opts: ReadOptions): Promise<Table> {
  const stream = await readTableStream(input, opts);
  const rows: string[][] = [];
  const lines: number[] = [];
  const ragged: Table['ragged'] = [];
  for await (const row of stream.rows) {
    if (opts.maxRows !== undefined && rows.length >= opts.maxRows) {
      await stream.rows.return();
      throw new TableError('table_too_many_rows', `more than ${opts.maxRows} rows`, row.line);
    }
    rows.push(row.cells);
    lines.push(row.line);
    if (row.ragged) ragged.push({ index: row.index, line: row.line, ...row.ragged });
  }
  const { format, delimiter, encoding, headers, headerLine } = stream;
  return { format, ...(delimiter ? { delimiter } : {}), ...(encoding ? { encoding } : {}), headers, headerLine, rows, lines, ragged };
}

/**
 * Opens a table for streaming: reads just enough to know the format, delimiter and header, and
 * returns the rows as an async generator. Memory stays bounded by one record (CSV) or one row (XLSX).
 */
export async function readTableStream(input: TableSource, opts: ReadOptions): Promise<TableStream> {
  const source = toByteIterator(input);
  const sample: Uint8Array[] = [];
  let sampleSize = 0;
  let done = false;
  while (sampleSize < SNIFF_BYTES) {
    const next = await source.next();
    if (next.done) {
      done = true;
      break;
    }
    sample.push(next.value);
    sampleSize += next.value.length;
  }
  const head = concat(sample);
  const replay = (async function* () {
    if (head.length) yield head;
    if (done) return;
    try {
      for (;;) {
        const next = await source.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await source.return?.();
    }
  })();
  const format = detectFormat(head, opts.fileName);
  if (format === 'xlsx') return openXlsx(replay);
  return openCsv(head, done, replay, opts);
}

// ---------------------------------------------------------------- format

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

export function detectFormat(head: Uint8Array, fileName: string): TableFormat {
  const ext = fileName.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
  if (startsWith(head, ZIP_MAGIC)) {
    if (ext === 'ods' || ext === 'numbers') throw new TableError('table_unsupported_format', `.${ext} files are not supported: save as .xlsx or .csv`);
    return 'xlsx';
  }
  if (startsWith(head, OLE_MAGIC)) throw new TableError('table_unsupported_format', 'old Excel .xls files are not supported: save as .xlsx or .csv');
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) throw new TableError('table_unsupported_format', 'a PDF is not a spreadsheet');
  if (['xlsx', 'xlsm', 'xls', 'ods', 'numbers', 'pdf', 'docx', 'doc'].includes(ext)) {
    if (head.length === 0) throw new TableError('table_empty', 'the file is empty');
    throw new TableError('table_unsupported_format', `the file is not a readable .${ext}`);
  }
  return 'csv';
}

// ---------------------------------------------------------------- CSV

function detectEncoding(head: Uint8Array): { encoding: string; bomLength: number } {
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return { encoding: 'utf-8', bomLength: 3 };
  if (startsWith(head, [0xff, 0xfe])) return { encoding: 'utf-16le', bomLength: 2 };
  if (startsWith(head, [0xfe, 0xff])) return { encoding: 'utf-16be', bomLength: 2 };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', bomLength: 0 };
  } catch {
    // Older Excel on Windows saves "CSV" in the ANSI code page.
    return { encoding: 'windows-1252', bomLength: 0 };
  }
}

/**
 * Picks the delimiter whose field count is the most consistent over the first records (and, among
 * equals, gives the most fields). Quotes are respected. A one-column file gets ",".
 */
export function detectDelimiter(sample: string, complete = true): string {
  let best: string = CSV_DELIMITERS[0];
  let bestScore = 0;
  for (const d of CSV_DELIMITERS) {
    const counts = fieldCounts(sample, d, complete, 50);
    const width = counts.find((c) => c > 1);
    if (width === undefined) continue;
    const consistent = counts.filter((c) => c === width).length / counts.length;
    const score = consistent * 1000 + width;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

function fieldCounts(text: string, delimiter: string, complete: boolean, maxRecords: number): number[] {
  const counts: number[] = [];
  let fields = 1;
  let inQuotes = false;
  let atFieldStart = true;
  let empty = true;
  for (let i = 0; i < text.length && counts.length < maxRecords; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      inQuotes = true;
      atFieldStart = false;
      empty = false;
    } else if (c === delimiter) {
      fields++;
      atFieldStart = true;
      empty = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (!empty) counts.push(fields);
      fields = 1;
      atFieldStart = true;
      empty = true;
    } else {
      atFieldStart = false;
      if (c !== ' ') empty = false;
    }
  }
  if (complete && !empty && counts.length < maxRecords) counts.push(fields);
  return counts.length ? counts : [1];
}

async function openCsv(head: Uint8Array, complete: boolean, bytes: AsyncGenerator<Uint8Array>, opts: ReadOptions): Promise<TableStream> {
  const { encoding, bomLength } = detectEncoding(head);
  const sampleText = new TextDecoder(encoding).decode(head.subarray(bomLength, SNIFF_BYTES), { stream: !complete });
  const delimiter = opts.delimiter ?? detectDelimiter(sampleText, complete);

  // Line endings are made "\n" before parsing, so CRLF, LF and old-Mac CR files (even mixed) read the
  // same and line numbers are right; a newline inside a quoted cell therefore comes out as "\n".
  const text = (async function* () {
    const decoder = new TextDecoder(encoding); // drops a BOM by itself
    let pendingCr = false;
    const normalize = (s: string) => {
      if (pendingCr) s = '\r' + s;
      pendingCr = s.endsWith('\r');
      if (pendingCr) s = s.slice(0, -1);
      return s.replace(/\r\n?/g, '\n');
    };
    for await (const chunk of bytes) {
      const s = normalize(decoder.decode(chunk, { stream: true }));
      if (s) yield s;
    }
    const last = normalize(decoder.decode()) + (pendingCr ? '\n' : '');
    if (last) yield last;
  })();

  const parser = parseCsv({
    delimiter,
    record_delimiter: '\n',
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    max_record_size: MAX_RECORD_CHARS,
    info: true,
    raw: true,
  });
  const input = Readable.from(text);
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);

  const records = (async function* (): AsyncGenerator<RawRecord> {
    try {
      for await (const r of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
        // info.lines is the record's last line; raw carries skipped blank lines before it and its newline.
        yield { line: r.info.lines - countNewlines(r.raw.replace(/^\n+/, '').replace(/\n$/, '')), cells: r.record };
      }
    } catch (e) {
      throw toCsvError(e);
    } finally {
      input.unpipe(parser);
      input.destroy();
      parser.destroy();
    }
  })();
  return withHeader(records, { format: 'csv', delimiter, encoding, reportShort: true });
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function toCsvError(e: unknown): unknown {
  if (e instanceof TableError) return e;
  const err = e as { code?: string; lines?: number; message?: string };
  if (err?.code === 'CSV_MAX_RECORD_SIZE') return new TableError('csv_record_too_large', 'a record is too large (is a quote left open?)', err.lines);
  if (typeof err?.code === 'string' && err.code.startsWith('CSV_')) return new TableError('csv_invalid', err.message ?? err.code, err.lines);
  return e;
}

// ---------------------------------------------------------------- XLSX

/**
 * Rows of the first worksheet, streamed (a 100,000-row file is never held as a workbook model).
 *
 * ExcelJS's streaming reader has a race (exceljs/exceljs#3064, open): it may parse a worksheet
 * before `xl/workbook.xml` — which ExcelJS itself writes last — and then fails with "Cannot read
 * properties of undefined (reading 'sheets')" before the first row (1 read in ~300 here). The
 * bytes that went in are kept (references to the caller's chunks, no copy), and that one failure
 * is answered by reading the same bytes with the non-streaming reader, which goes through the
 * zip's central directory and has no such race.
 */
async function openXlsx(bytes: AsyncGenerator<Uint8Array>): Promise<TableStream> {
  const seen: Uint8Array[] = [];
  const input = Readable.from(
    (async function* () {
      for await (const chunk of bytes) {
        seen.push(chunk);
        yield chunk;
      }
    })(),
  );
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  const rowRecord = (row: ExcelJS.Row): RawRecord => {
    const cells: string[] = [];
    const count = row.cellCount;
    for (let c = 1; c <= count; c++) {
      const cell = row.getCell(c);
      cells.push(cellToString(cell.value, cell.numFmt));
    }
    return { line: row.number, cells };
  };
  const records = (async function* (): AsyncGenerator<RawRecord> {
    let yielded = false;
    try {
      for await (const sheet of reader) {
        for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
          yielded = true;
          yield rowRecord(row);
        }
        break; // the first worksheet only
      }
    } catch (e) {
      if (e instanceof TableError) throw e;
      if (!yielded && e instanceof TypeError && /reading 'sheets'/.test(e.message)) {
        yield* readWholeXlsx(seen, bytes, rowRecord);
        return;
      }
      throw new TableError('xlsx_invalid', `the .xlsx file cannot be read: ${(e as Error)?.message ?? e}`);
    } finally {
      input.destroy();
    }
  })();
  return withHeader(records, { format: 'xlsx', reportShort: false });
}

/** The non-streaming read of `openXlsx`'s fallback: the bytes seen so far and the rest. */
async function* readWholeXlsx(seen: Uint8Array[], rest: AsyncGenerator<Uint8Array>, rowRecord: (row: ExcelJS.Row) => RawRecord): AsyncGenerator<RawRecord> {
  for await (const chunk of rest) seen.push(chunk);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.concat(seen) as unknown as ArrayBuffer);
  } catch (e) {
    throw new TableError('xlsx_invalid', `the .xlsx file cannot be read: ${(e as Error)?.message ?? e}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return;
  const rows: ExcelJS.Row[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => rows.push(row));
  for (const row of rows) yield rowRecord(row);
}

/** Whether an Excel number format shows a date (not a plain number or a time of day only). */
export function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt || /^general$/i.test(numFmt)) return false;
  const bare = numFmt.replace(/"[^"]*"|\[[^\]]*]|\\./g, '');
  return /[dy]/i.test(bare) || (/m/i.test(bare) && !/[hs]/i.test(bare));
}

/** "1990-01-12" at midnight, else "1990-01-12T08:30:00" (Excel dates have no time zone). */
export function dateToIso(date: Date): string {
  const t = Math.round(date.getTime() / 1000) * 1000;
  const iso = new Date(t).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

/** A number as people typed it: no float noise (0.1+0.2 → "0.3"), no exponent for NIK-sized integers. */
export function numberToString(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(Number(n.toPrecision(15)));
}

/** An exceljs cell value as a string: dates as ISO, rich text flattened, formulas as their result. */
export function cellToString(value: unknown, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (isDateFormat(numFmt)) {
      const iso = excelSerialToIso(value);
      if (iso) return iso;
    }
    return numberToString(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : dateToIso(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return (v.richText as Array<{ text?: string }>).map((r) => r.text ?? '').join('');
    if ('formula' in v || 'sharedFormula' in v) return cellToString(v.result, numFmt);
    if ('text' in v) return cellToString(v.text, numFmt); // hyperlink
    if ('error' in v) return String(v.error);
    if ('result' in v) return cellToString(v.result, numFmt);
  }
  return String(value);
}

// ---------------------------------------------------------------- shared

interface RawRecord {
  line: number;
  cells: string[];
}

const nonEmptyCount = (cells: string[]) => cells.reduce((n, c) => (c.trim() ? n + 1 : n), 0);

/**
 * Takes the header from the records: leading title rows ("DATA ANGGOTA 2024" above the table, one
 * filled cell) are skipped when a row with two or more filled cells follows within ten rows.
 */
async function withHeader(
  records: AsyncGenerator<RawRecord>,
  meta: { format: TableFormat; delimiter?: string; encoding?: string; reportShort: boolean },
): Promise<TableStream> {
  const buffered: RawRecord[] = [];
  let exhausted = false;
  while (buffered.length < TITLE_ROW_LOOKAHEAD) {
    const next = await records.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    if (nonEmptyCount(next.value.cells) === 0) continue;
    buffered.push(next.value);
    if (nonEmptyCount(next.value.cells) >= 2) break;
  }
  if (buffered.length === 0) throw new TableError('table_empty', 'the file has no header row');
  let headerAt = buffered.findIndex((r) => nonEmptyCount(r.cells) >= 2);
  if (headerAt === -1) headerAt = 0;
  const headerRecord = buffered[headerAt];
  const headers = headerRecord.cells.map((h) => h.replace(/^\uFEFF/, '').replace(/\s+/g, ' ').trim());
  while (headers.length > 1 && headers[headers.length - 1] === '') headers.pop();
  const width = headers.length;
  const pending = buffered.slice(headerAt + 1);

  const rows = (async function* (): AsyncGenerator<TableRow, void, undefined> {
    let index = 0;
    const shape = (r: RawRecord): TableRow | null => {
      if (nonEmptyCount(r.cells) === 0) return null;
      const actual = r.cells.length;
      let cells = r.cells;
      // Extra empty cells at the end (a trailing delimiter, Excel's formatted empty columns) are noise.
      let end = cells.length;
      while (end > width && cells[end - 1].trim() === '') end--;
      if (end < cells.length) cells = cells.slice(0, end);
      const row: TableRow = { index: ++index, line: r.line, cells };
      if (cells.length > width) row.ragged = { expected: width, actual };
      else if (cells.length < width) {
        if (meta.reportShort && actual < width) row.ragged = { expected: width, actual };
        cells = cells.concat(Array<string>(width - cells.length).fill(''));
        row.cells = cells;
      }
      return row;
    };
    try {
      for (const r of pending) {
        const row = shape(r);
        if (row) yield row;
      }
      if (exhausted) return;
      for await (const r of records) {
        const row = shape(r);
        if (row) yield row;
      }
    } finally {
      await records.return(undefined);
    }
  })();
  return {
    format: meta.format,
    ...(meta.delimiter ? { delimiter: meta.delimiter } : {}),
    ...(meta.encoding ? { encoding: meta.encoding } : {}),
    headers,
    headerLine: headerRecord.line,
    rows,
  };
}

function toByteIterator(input: TableSource): AsyncIterator<Uint8Array> & { return?: () => Promise<unknown> } {
  if (typeof input === 'string') input = Buffer.from(input, 'utf8');
  if (input instanceof Uint8Array) {
    const whole = input;
    return (async function* () {
      if (whole.length) yield whole;
    })();
  }
  const iterable = input as AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>;
  return (async function* () {
    for await (const chunk of iterable as AsyncIterable<Uint8Array | string>) {
      yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    }
  })();
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  return Buffer.concat(chunks);
}
