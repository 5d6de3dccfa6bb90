/**
 * The issued links as a spreadsheet file, built in the browser from the very answer that issued
 * them: links exist in clear only in that answer (the server keeps their hashes), so downloading
 * the file must not ask the server to issue again — that would cancel the links just shown.
 * Same columns and protections as the server's POST …/links.csv: UTF-8 with BOM, CRLF, quoted
 * where needed, formula-looking cells defused.
 */
export interface IssuedLink {
  memberId: number;
  fullName: string;
  phone: string | null;
  phoneMasked: boolean;
  url: string;
  whatsappUrl: string;
  expiresAt: string;
}

function cell(value: string): string {
  const safe = /^[=@\t\r]/.test(value) || (/^[+-]/.test(value) && !/^[+-][\d ]*$/.test(value)) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function linksCsv(header: string[], items: IssuedLink[]): Blob {
  const rows = [header, ...items.map((i) => [String(i.memberId), i.fullName, i.phone ?? '', i.url, i.whatsappUrl, i.expiresAt])];
  const text = `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
  return new Blob([text], { type: 'text/csv;charset=utf-8' });
}

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
