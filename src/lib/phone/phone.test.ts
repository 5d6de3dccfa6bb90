import { describe, expect, it } from 'vitest';
import { normalizePhone } from './index.ts';

describe('normalizePhone', () => {
  it.each([
    ['0812-3456-789', '+628123456789'],
    ['0812 3456 7890', '+6281234567890'],
    ['+62 812 3456 7890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['81234567890', '+6281234567890'],
    ['+62 0812 3456 7890', '+6281234567890'],
    ['(0857) 1234-5678', '+6285712345678'],
  ])('%s → %s (mobile)', (input, e164) => {
    expect(normalizePhone(input)).toEqual({ ok: true, e164, mobile: true });
  });

  it('keeps fixed lines and foreign numbers written with +', () => {
    expect(normalizePhone('022-2501234')).toEqual({ ok: true, e164: '+62222501234', mobile: false });
    expect(normalizePhone('+31 20 123 4567')).toEqual({ ok: true, e164: '+31201234567', mobile: false });
  });

  it.each(['', 'abc', '0812', '0840 1234 5678', '+62 12345', '08123456789012345'])('refuses %j', (input) => {
    expect(normalizePhone(input)).toEqual({ ok: false, error: 'phone_format' });
  });
});
