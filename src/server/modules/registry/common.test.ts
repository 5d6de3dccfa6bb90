import { describe, expect, it } from 'vitest';
import { maskPhone, nameSearch, nameSearchThreshold, searchNameOf } from './common.ts';

describe('registry helpers', () => {
  it('masks a phone number so it can be recognised but not called', () => {
    expect(maskPhone('+6281234567890')).toBe('+6281******890');
    expect(maskPhone('+62224204000')).toBe('+6222****000');
    expect(maskPhone('+6212')).toBe('****');
    expect(maskPhone(null)).toBe(null);
  });

  it('stores names in the searchable form of src/lib/names', () => {
    expect(searchNameOf('Moch. Rizki, S.Kom.')).toBe('muhammad rizki');
    expect(searchNameOf('Ir. Soekarno')).toBe('sukarno');
    // A name the normaliser empties entirely still gets something to match on.
    expect(searchNameOf('---')).toBe('---');
  });

  it('asks short queries for less similarity than long ones, and refuses an empty one', () => {
    expect(nameSearchThreshold('joko')).toBe(0.5);
    expect(nameSearchThreshold('dewi sartika')).toBe(0.6);
    expect(nameSearch('Djoko')).toEqual({ text: 'joko', threshold: 0.5 });
    expect(nameSearch('-- .')).toBe(null);
    expect(nameSearch(undefined)).toBe(undefined);
  });
});
