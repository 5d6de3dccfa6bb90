import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { cellToString, detectDelimiter, readTable, readTableStream, TableError } from './read.ts';
import { parseDate } from './values.ts';

const fixtures = join(import.meta.dirname, 'fixtures', 'csv-spectrum');
const csv = (text: string, fileName = 'data.csv') => readTable(Buffer.from(text, 'utf8'), { fileName });
const records = (t: { headers: string[]; rows: string[][] }) =>
  t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));

describe('readTable: csv-spectrum', () => {
  const names = readdirSync(fixtures).filter((f) => f.endsWith('.csv')).map((f) => f.slice(0, -4)).sort();

  it('has the whole set', () => {
    expect(names).toEqual(['comma_in_quotes', 'empty', 'empty_crlf', 'escaped_quotes', 'json', 'newlines', 'newlines_crlf', 'quotes_and_newlines', 'simple', 'simple_crlf', 'utf8']);
  });

  for (const name of names) {
    it(name, async () => {
      const t = await readTable(readFileSync(join(fixtures, `${name}.csv`)), { fileName: `${name}.csv` });
      // Newlines inside cells come out as "\n" whatever the file's line endings (see README).
      const expected = (JSON.parse(readFileSync(join(fixtures, `${name}.json`), 'utf8')) as Array<Record<string, string>>)
        .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.replace(/\r\n/g, '\n')])));
      expect(t.format).toBe('csv');
      expect(t.delimiter).toBe(',');
      expect(records(t)).toEqual(expected);
      expect(t.ragged).toEqual([]);
    });
  }
});

describe('readTable: CSV that people have', () => {
  it('strips a UTF-8 BOM', async () => {
    const t = await csv('\uFEFFnama,kota\nBudi,Bandung\n');
    expect(t.headers).toEqual(['nama', 'kota']);
    expect(t.encoding).toBe('utf-8');
  });

  it('reads semicolon-separated files (Indonesian Excel) with decimal commas', async () => {
    const t = await csv('Nama;Kota;Nilai\r\nBudi;Bandung;3,5\r\n"Siti; Aminah";"Kab. Bandung";4,0\r\n');
    expect(t.delimiter).toBe(';');
    expect(t.rows).toEqual([['Budi', 'Bandung', '3,5'], ['Siti; Aminah', 'Kab. Bandung', '4,0']]);
  });

  it('reads tab-separated files, and UTF-16 "Unicode text" from Excel', async () => {
    const t = await csv('nama\tkota\nBudi\tBandung, Jawa Barat\n');
    expect(t.delimiter).toBe('\t');
    expect(t.rows).toEqual([['Budi', 'Bandung, Jawa Barat']]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('nama\tkota\r\nBudi\tCirebon\r\n', 'utf16le')]);
    const u = await readTable(utf16, { fileName: 'export.txt' });
    expect(u).toMatchObject({ encoding: 'utf-16le', delimiter: '\t', headers: ['nama', 'kota'], rows: [['Budi', 'Cirebon']] });
  });

  it('reads Windows-1252 files', async () => {
    const t = await readTable(Buffer.from([...Buffer.from('nama,kota\nJos'), 0xe9, ...Buffer.from(',Dili\n')]), { fileName: 'a.csv' });
    expect(t.encoding).toBe('windows-1252');
    expect(t.rows).toEqual([['José', 'Dili']]);
  });

  it('keeps quoted newlines, quotes and delimiters, and counts lines', async () => {
    const t = await csv('nama;alamat;catatan\nBudi;"Jl. Merdeka 1\nRT 01/RW 02";"ia bilang ""hadir""; oke"\nSiti;Jl. Asia Afrika;\n');
    expect(t.rows).toEqual([
      ['Budi', 'Jl. Merdeka 1\nRT 01/RW 02', 'ia bilang "hadir"; oke'],
      ['Siti', 'Jl. Asia Afrika', ''],
    ]);
    expect(t.lines).toEqual([2, 4]);
  });

  it('reads CRLF, LF, CR and mixed line endings alike', async () => {
    for (const eol of ['\r\n', '\n', '\r']) {
      const t = await csv(['a,b', '1,2', '3,4', ''].join(eol));
      expect(t.rows, JSON.stringify(eol)).toEqual([['1', '2'], ['3', '4']]);
      expect(t.lines).toEqual([2, 3]);
    }
    expect((await csv('a,b\r\n1,2\n3,4\r5,6')).rows).toEqual([['1', '2'], ['3', '4'], ['5', '6']]);
  });

  it('ignores empty lines, trailing empty lines and rows of empty cells', async () => {
    const t = await csv('a;b;c\n\n1;2;3\n;;\n \n4;5;6\n\n\n;;\n');
    expect(t.rows).toEqual([['1', '2', '3'], ['4', '5', '6']]);
    expect(t.lines).toEqual([3, 6]);
  });

  it('reports ragged rows, pads short ones, drops empty extra cells', async () => {
    const t = await csv('a,b,c\n1,2\n1,2,3,4\n1,2,3,,\n1,2,3\n');
    expect(t.rows).toEqual([['1', '2', ''], ['1', '2', '3', '4'], ['1', '2', '3'], ['1', '2', '3']]);
    expect(t.ragged).toEqual([
      { index: 1, line: 2, expected: 3, actual: 2 },
      { index: 2, line: 3, expected: 3, actual: 4 },
    ]);
  });

  it('skips a title row above the header and trailing empty header cells', async () => {
    const t = await csv('DATA ANGGOTA ICCN 2024;;;\n;;;\nNama;Kota;Subsektor;\nBudi;Bandung;Kuliner;\n');
    expect(t.headers).toEqual(['Nama', 'Kota', 'Subsektor']);
    expect(t.headerLine).toBe(3);
    expect(t.rows).toEqual([['Budi', 'Bandung', 'Kuliner']]);
    // a one-column file keeps its first row as the header
    expect(await csv('nama\nBudi\nSiti\n')).toMatchObject({ headers: ['nama'], rows: [['Budi'], ['Siti']] });
  });

  it('detects the delimiter by consistency, not by count', () => {
    expect(detectDelimiter('nama;alamat\nBudi;"Jl. A, B, C"\nSiti;"Jl. D, E"\n')).toBe(';');
    expect(detectDelimiter('a,b,c\n"x;y",2,3\n')).toBe(',');
    expect(detectDelimiter('nama\nBudi\n')).toBe(',');
    expect(detectDelimiter('a|b\n1|2\n')).toBe('|');
  });

  it('takes a forced delimiter', async () => {
    const t = await readTable(Buffer.from('a;b,c\n1;2,3\n'), { fileName: 'x.csv', delimiter: ',' });
    expect(t.headers).toEqual(['a;b', 'c']);
  });

  it('fails clearly', async () => {
    await expect(csv('')).rejects.toMatchObject({ code: 'table_empty' });
    await expect(csv('\n\n;;\n')).rejects.toMatchObject({ code: 'table_empty' });
    await expect(csv('a,b\n1,"open\n2,3\n')).rejects.toBeInstanceOf(TableError);
    await expect(csv('a,b\n1,"open\n2,3\n')).rejects.toMatchObject({ code: 'csv_invalid' });
    await expect(readTable(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), { fileName: 'lama.xls' })).rejects.toMatchObject({ code: 'table_unsupported_format' });
    await expect(readTable(Buffer.from('%PDF-1.4'), { fileName: 'a.pdf' })).rejects.toMatchObject({ code: 'table_unsupported_format' });
    await expect(readTable(Buffer.from('a\n1\n2\n3\n'), { fileName: 'a.csv', maxRows: 2 })).rejects.toMatchObject({ code: 'table_too_many_rows', line: 4 });
  });
});

async function sampleWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Anggota');
  ws.addRow(['Data Anggota Komunitas']);
  ws.addRow(['Nama', 'Tanggal Lahir', 'Serial', 'Rumus', 'Catatan', 'NIK', 'Aktif', 'Nilai', 'Tautan']);
  ws.addRow([
    { richText: [{ text: 'Siti ' }, { font: { bold: true }, text: 'Nurhaliza' }] },
    new Date(Date.UTC(1990, 0, 12)),
    32874,
    { formula: 'C3+1', result: 32875 },
    { formula: 'A3&" (ketua)"', result: 'Siti Nurhaliza (ketua)' },
    3273015201900002,
    true,
    0.1 + 0.2,
    { text: 'portofolio', hyperlink: 'https://example.org' },
  ]);
  ws.getCell('B3').numFmt = 'dd/mm/yyyy';
  ws.getCell('D3').numFmt = 'd mmmm yyyy';
  ws.addRow([]);
  ws.addRow(['Budi', new Date(Date.UTC(1985, 6, 17, 8, 30)), null, { formula: 'C5*2' }, 'baris; dua']);
  ws.addRow(['Ani', null, null, null, null, null, null, null, null, 'lebih']);
  wb.addWorksheet('Lain').addRow(['bukan', 'ini']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('readTable: XLSX', () => {
  it('reads the first worksheet, turning every cell into a string', async () => {
    const t = await readTable(await sampleWorkbook(), { fileName: 'anggota.xlsx' });
    expect(t.format).toBe('xlsx');
    expect(t.headers).toEqual(['Nama', 'Tanggal Lahir', 'Serial', 'Rumus', 'Catatan', 'NIK', 'Aktif', 'Nilai', 'Tautan']);
    expect(t.headerLine).toBe(2);
    expect(t.rows[0]).toEqual([
      'Siti Nurhaliza', // rich text flattened
      '1990-01-12', // a real date cell
      '32874', // a serial without a date format stays a number…
      '1990-01-02', // …a formula's result, in a date format, is a date
      'Siti Nurhaliza (ketua)', // a formula's text result
      '3273015201900002', // NIK-sized numbers without exponent
      'TRUE',
      '0.3', // float noise removed
      'portofolio', // hyperlink text
    ]);
    expect(parseDate(t.rows[0][2])).toEqual({ ok: true, value: '1990-01-01' }); // …and parses as a date
    expect(t.rows[1].slice(0, 5)).toEqual(['Budi', '1985-07-17T08:30:00', '', '', 'baris; dua']);
    expect(parseDate(t.rows[1][1])).toEqual({ ok: true, value: '1985-07-17' });
    expect(t.lines).toEqual([3, 5, 6]);
    expect(t.ragged).toEqual([{ index: 3, line: 6, expected: 9, actual: 10 }]);
  });

  it('turns cell values into strings', () => {
    expect(cellToString(null)).toBe('');
    expect(cellToString(32874, 'dd/mm/yyyy')).toBe('1990-01-01');
    expect(cellToString(32874, '#,##0')).toBe('32874');
    expect(cellToString(32874, 'General')).toBe('32874');
    expect(cellToString(0.5, 'h:mm')).toBe('0.5');
    expect(cellToString({ error: '#N/A' })).toBe('#N/A');
    expect(cellToString({ sharedFormula: 'A1', result: { richText: [{ text: 'a' }, { text: 'b' }] } })).toBe('ab');
  });

  it('reads a workbook whose xl/workbook.xml comes after its worksheet (the streaming reader’s race, exceljs#3064)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Anggota');
    ws.addRow(['nama', 'tanggal lahir']);
    ws.addRow(['Dewi Lestari', new Date(Date.UTC(1988, 6, 17))]);
    ws.addRow(['Rina Marlina', 'kota bandung']);
    // Shared strings and relationships first, then the sheet, the workbook last: the order that
    // makes ExcelJS's streaming reader parse the sheet before it knows the workbook.
    const original = await JSZip.loadAsync(Buffer.from(await wb.xlsx.writeBuffer()));
    const names = Object.keys(original.files).filter((n) => !original.files[n].dir);
    const rank = (n: string) => (n === 'xl/workbook.xml' ? 3 : n.startsWith('xl/worksheets/sheet') ? 2 : 1);
    const reordered = new JSZip();
    for (const n of [...names].sort((a, b) => rank(a) - rank(b))) reordered.file(n, await original.files[n].async('uint8array'));
    const bytes = await reordered.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });

    const direct = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), { sharedStrings: 'cache', worksheets: 'emit' });
    await expect(
      (async () => {
        for await (const sheet of direct) for await (const row of sheet as AsyncIterable<unknown>) void row;
      })(),
    ).rejects.toThrow(/reading 'sheets'/);

    const table = await readTable(bytes, { fileName: 'urutan-lain.xlsx' });
    expect(table.headers).toEqual(['nama', 'tanggal lahir']);
    expect(table.rows).toEqual([
      ['Dewi Lestari', '1988-07-17'],
      ['Rina Marlina', 'kota bandung'],
    ]);
  });

  it('refuses a broken xlsx', async () => {
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 1)]);
    await expect(readTable(broken, { fileName: 'rusak.xlsx' })).rejects.toMatchObject({ code: 'xlsx_invalid' });
  });

  it('streams a larger sheet', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('A');
    ws.addRow(['nama', 'tanggal lahir']);
    for (let i = 0; i < 5000; i++) ws.addRow([`Anggota ${i}`, new Date(Date.UTC(1990, 0, 1 + (i % 365)))]);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const stream = await readTableStream(buffer, { fileName: 'besar.xlsx' });
    let n = 0;
    for await (const row of stream.rows) {
      n++;
      if (row.index === 5000) expect(row.cells).toEqual(['Anggota 4999', '1990-09-12']);
    }
    expect(n).toBe(5000);
  });
});

describe('readTableStream: 100,000 rows with bounded memory', () => {
  it('streams a generated 100,000-row CSV without holding it', async () => {
    const total = 100_000;
    let produced = 0;
    const filler = 'x'.repeat(120);
    async function* file() {
      yield Buffer.from('\uFEFFNama;NIK;No HP;Tanggal Lahir;Kabupaten/Kota;Catatan\r\n');
      for (let i = 0; i < total; i += 1000) {
        let chunk = '';
        for (let j = i; j < i + 1000; j++) chunk += `"Anggota ${j}";3273011201${String(j % 10000).padStart(6, '0')};0812${String(j).padStart(8, '0')};12/01/1990;KOTA BANDUNG;"${filler}\r\n${j}"\r\n`;
        produced += 1000;
        yield Buffer.from(chunk);
      }
    }
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const stream = await readTableStream(file(), { fileName: 'anggota.csv' });
    expect(stream.delimiter).toBe(';');
    expect(stream.headers).toHaveLength(6);
    let count = 0;
    let lastLine = 0;
    let maxAhead = 0;
    for await (const row of stream.rows) {
      count++;
      lastLine = row.line;
      maxAhead = Math.max(maxAhead, produced - count);
      if (count % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      if (row.ragged) throw new Error(`ragged row ${row.index}`);
    }
    expect(count).toBe(total);
    expect(lastLine).toBe(1 + 2 * total - 1); // every record spans two lines
    // The reader never runs far ahead of the consumer (backpressure), so the ~17 MB file is never held.
    expect(maxAhead).toBeLessThan(20_000);
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
  }, 120_000);

  it('closes the input when the consumer stops early', async () => {
    let closed = false;
    async function* file() {
      try {
        yield Buffer.from('a,b\n');
        for (let i = 0; ; i++) yield Buffer.from(`${i},${i}\n`.repeat(100));
      } finally {
        closed = true;
      }
    }
    const stream = await readTableStream(file(), { fileName: 'endless.csv' });
    let n = 0;
    for await (const _row of stream.rows) if (++n === 500) break;
    expect(n).toBe(500);
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(true);
  });
});
