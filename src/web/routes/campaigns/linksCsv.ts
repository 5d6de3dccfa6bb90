/**
 * The issued links as a spreadsheet file, built in the browser from the very answer that issued
 * them: links exist in clear only in that answer (the server keeps their hashes), so downloading
 * the file must not ask the server to issue again — that would cancel the links just shown.
 * Same columns and protections as the server's POST …/links.csv: UTF-8 with BOM, CRLF, quoted
 * where needed, formula-looking cells defused.
 */
import { csvText } from '../../files.ts';

export interface IssuedLink {
  memberId: number;
  fullName: string;
  phone: string | null;
  phoneMasked: boolean;
  url: string;
  whatsappUrl: string;
  expiresAt: string;
}

export function linksCsv(header: string[], items: IssuedLink[]): string {
  return csvText(
    header,
    items.map((i) => [String(i.memberId), i.fullName, i.phone ?? '', i.url, i.whatsappUrl, i.expiresAt]),
  );
}
