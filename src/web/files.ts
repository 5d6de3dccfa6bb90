/**
 * Files and the clipboard in the browser: spreadsheet (CSV) text built from data the page already
 * holds, offered as a download without a round trip, and copying text.
 */

/**
 * A cell as spreadsheets read it: quoted when needed (comma, semicolon — Excel in Indonesian splits
 * on it — quotes, line breaks), and formula-looking text defused with a leading apostrophe, as the
 * server's CSV exports do.
 */
export function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  const safe = /^[=@\t\r]/.test(text) || (/^[+-]/.test(text) && !/^[+-][\d ]*$/.test(text)) ? `'${text}` : text;
  return /[",;\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** UTF-8 with BOM and CRLF: what Excel on Windows opens with the right letters. */
export function csvText(header: string[], rows: (string | number | null)[][]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** Offers text as a file download. */
export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Copies text; where the Clipboard API is missing (plain http), a hidden textarea does it. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
