import type { TFunction } from 'i18next';
import type { Grant } from './api/types.ts';

const numberFormat = new Intl.NumberFormat('id-ID');
const rupiahFormat = new Intl.NumberFormat('id-ID', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 });

/** Numbers are written the Indonesian way (1.234.567) in both languages: the network reads them so. */
export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

export function formatRupiah(amount: number): string {
  return rupiahFormat.format(amount);
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
