/**
 * Spreadsheets people actually have, for imports: CSV and XLSX reading (streamed, bounded memory),
 * header mapping in Indonesian and English, and cell value parsers. Pure: no database, no server.
 */
export * from './read.ts';
export * from './headers.ts';
export * from './values.ts';
