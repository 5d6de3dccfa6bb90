import type { TFunction } from 'i18next';
import type { Grant } from './api/types.ts';

const numberFormat = new Intl.NumberFormat('id-ID');

/** Numbers are written the Indonesian way (1.234.567) in both languages: the network reads them so. */
export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

export function formatDate(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'id-ID', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'Asia/Jakarta',
  }).format(d);
}

/** "Koordinator Wilayah — Kota Bandung" */
export function grantLabel(t: TFunction, g: Pick<Grant, 'role' | 'scopeType' | 'scopeCode' | 'scopeName'>): string {
  return `${t(`roles.${g.role}`)} — ${scopeLabel(t, g)}`;
}

export function scopeLabel(t: TFunction, g: Pick<Grant, 'scopeType' | 'scopeCode' | 'scopeName'>): string {
  if (g.scopeType === 'national') return t('scopes.allIndonesia');
  return g.scopeName ?? g.scopeCode ?? t(`scopes.${g.scopeType}`);
}

/**
 * Turns what people type ("0812-3456-7890", "62 812…", "+62 812…") into E.164 ("+6281234567890"),
 * the form the server stores. Anything unrecognised is passed through for the server to judge.
 */
export function normalizePhone(input: string): string {
  const trimmed = input.trim();
  if (!trimmed) return '';
  const digits = trimmed.replace(/[\s().-]/g, '');
  if (/^\+\d+$/.test(digits)) return digits;
  if (/^0\d+$/.test(digits)) return `+62${digits.slice(1)}`;
  if (/^62\d+$/.test(digits)) return `+${digits}`;
  if (/^8\d+$/.test(digits)) return `+62${digits}`;
  return trimmed;
}
