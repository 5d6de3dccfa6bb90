/**
 * Indonesian phone numbers to E.164. Pure, no I/O.
 * Mobile numbers are 8[1-35-9] followed by 7–10 digits after +62, 62 or 0
 * (0812-3456-789 → +628123456789). Other countries' numbers written with + are kept if plausible.
 */
export type PhoneResult = { ok: true; e164: string; mobile: boolean } | { ok: false; error: 'phone_format' };

const INDONESIAN_MOBILE = /^8[1-35-9]\d{7,10}$/;
// Fixed lines: area code 2x–9x (no leading 0) and a subscriber number; 8–11 digits in all.
const INDONESIAN_FIXED = /^[2-79]\d{7,10}$/;

export function normalizePhone(input: string): PhoneResult {
  const trimmed = input.trim();
  const plus = trimmed.startsWith('+');
  const digits = trimmed.replace(/[\s().\-/]/g, '').replace(/^\+/, '');
  if (!/^\d+$/.test(digits)) return { ok: false, error: 'phone_format' };
  let national: string | null = null;
  if (digits.startsWith('62')) national = digits.slice(2);
  else if (digits.startsWith('0')) national = digits.slice(1);
  else if (!plus && INDONESIAN_MOBILE.test(digits)) national = digits;
  if (national !== null) {
    if (national.startsWith('0')) national = national.slice(1); // "+62 0812…" is a common slip
    if (INDONESIAN_MOBILE.test(national)) return { ok: true, e164: `+62${national}`, mobile: true };
    if (INDONESIAN_FIXED.test(national)) return { ok: true, e164: `+62${national}`, mobile: false };
    return { ok: false, error: 'phone_format' };
  }
  if (plus && /^[1-9]\d{7,14}$/.test(digits)) return { ok: true, e164: `+${digits}`, mobile: false };
  return { ok: false, error: 'phone_format' };
}
