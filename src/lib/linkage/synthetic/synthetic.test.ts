import { describe, expect, it } from 'vitest';
import { Rng, REGENCIES, addTypo, countTruePairs, generateDataset, generateRecords, toCsvLine, toOldSpelling, type SyntheticRecord } from './index.ts';

const KNOWN_DISTRICTS = new Set(REGENCIES.flatMap((r) => r.districts.map((d) => d.code)));

/** Reads a NIK the way the civil registry writes it: PPRRDD DDMMYY SSSS, women +40 on the day. */
function readNik(nik: string) {
  const day = Number(nik.slice(6, 8));
  const yy = nik.slice(10, 12);
  return {
    districtCode: `${nik.slice(0, 2)}.${nik.slice(2, 4)}.${nik.slice(4, 6)}`,
    sex: day > 40 ? 'P' : 'L',
    dayMonth: `${String(day > 40 ? day - 40 : day).padStart(2, '0')}${nik.slice(8, 10)}`,
    yy,
    serial: nik.slice(12),
  };
}

function byPerson(records: SyntheticRecord[]): Map<number, SyntheticRecord[]> {
  const map = new Map<number, SyntheticRecord[]>();
  for (const r of records) {
    const list = map.get(r.personId) ?? [];
    list.push(r);
    map.set(r.personId, list);
  }
  return map;
}

describe('Rng', () => {
  it('is reproducible from a seed and differs between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng('42');
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('error helpers', () => {
  it('writes old spellings (u→oe, j→dj, c→tj, ny→nj, sy→sj, kh→ch)', () => {
    expect(toOldSpelling('Joko Susilo')).toBe('Djoko Soesilo');
    expect(toOldSpelling('Nyoman Cahya')).toBe('Njoman Tjahya');
    expect(toOldSpelling('Syarifah Khadijah')).toBe('Sjarifah Chadidjah');
    expect(toOldSpelling('SUKARNO')).toBe('SOEKARNO');
    expect(toOldSpelling('Mochamad Cahya')).toBe('Mochamad Tjahya');
  });

  it('makes one small typo and keeps the first letter', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 200; i++) {
      const typo = addTypo(rng, 'Nurhaliza');
      expect(typo[0]).toBe('N');
      expect(Math.abs(typo.length - 9)).toBeLessThanOrEqual(1);
    }
  });
});

describe('generateRecords', () => {
  it('is deterministic from the seed and gives exactly the number of records asked, ids in order', () => {
    const a = generateDataset({ records: 2000, seed: 'simpul' });
    const b = generateDataset({ records: 2000, seed: 'simpul' });
    const c = generateDataset({ records: 2000, seed: 'other' });
    expect(a).toEqual(b);
    expect(c.map((r) => r.name)).not.toEqual(a.map((r) => r.name));
    expect(a).toHaveLength(2000);
    expect(a.map((r) => r.id)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('gives NIKs consistent with birth date and sex, in real districts, unique per person', () => {
    const records = generateDataset({ records: 50_000, seed: 1, duplicateRate: 0, missing: { nik: 0, birthDate: 0 } });
    const owner = new Map<string, number>();
    let elsewhere = 0;
    for (const r of records) {
      const nik = r.nik!;
      expect(nik).toMatch(/^\d{16}$/);
      const parsed = readNik(nik);
      expect(parsed.sex).toBe(r.sex);
      const [year, month, day] = r.birthDate!.split('-');
      expect(parsed.dayMonth).toBe(`${day}${month}`);
      expect(parsed.yy).toBe(year.slice(2));
      expect(parsed.serial).not.toBe('0000');
      expect(KNOWN_DISTRICTS.has(parsed.districtCode)).toBe(true);
      if (parsed.districtCode !== r.districtCode) elsewhere++;
      expect(owner.get(nik) ?? r.personId).toBe(r.personId);
      owner.set(nik, r.personId);
    }
    // Some people hold a NIK issued where they used to live; most do not.
    expect(elsewhere / records.length).toBeGreaterThan(0.05);
    expect(elsewhere / records.length).toBeLessThan(0.2);
    // Serials count up per prefix as the registry does: most are small.
    const small = records.filter((r) => Number(r.nik!.slice(12)) <= 3).length;
    expect(small / records.length).toBeGreaterThan(0.9);
  });

  it('groups people into households sharing a KK number, address and region', () => {
    const records = generateDataset({ records: 20_000, seed: 2, duplicateRate: 0, missing: { kk: 0, address: 0 } });
    const households = new Map<number, SyntheticRecord[]>();
    for (const r of records) households.set(r.householdId, [...(households.get(r.householdId) ?? []), r]);
    const sizes = [...households.values()].map((h) => h.length);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(mean).toBeGreaterThan(2.5);
    expect(mean).toBeLessThan(4.5);
    for (const members of households.values()) {
      expect(new Set(members.map((m) => m.kk)).size).toBe(1);
      expect(new Set(members.map((m) => m.address)).size).toBe(1);
      expect(new Set(members.map((m) => m.districtCode)).size).toBe(1);
      expect(members[0].kk!.slice(0, 6)).toBe(members[0].districtCode.replace(/\./g, ''));
    }
    // KK numbers are unique per household.
    expect(new Set([...households.values()].map((h) => h[0].kk)).size).toBe(households.size);
  });

  it('writes addresses and phones the way Indonesians do', () => {
    const records = generateDataset({ records: 5000, seed: 4, duplicateRate: 0 });
    const addresses = records.map((r) => r.address).filter((a): a is string => a !== null);
    expect(addresses.some((a) => a.startsWith('Jl. '))).toBe(true);
    expect(addresses.some((a) => a.startsWith('Gg. '))).toBe(true);
    expect(addresses.every((a) => /RT|Rt/.test(a) && /RW|Rw/.test(a))).toBe(true);
    const phones = records.map((r) => r.phone).filter((p): p is string => p !== null);
    expect(phones.length / records.length).toBeGreaterThan(0.4);
    expect(phones.every((p) => /^08\d{8,11}$/.test(p))).toBe(true);
  });

  it('names people after regional traditions', () => {
    const bali = generateDataset({ records: 3000, seed: 5, duplicateRate: 0, provinces: ['51'] });
    const balinese = bali.filter((r) => /^(I|Ni)( Luh)? (Gusti (Ayu )?)?(Wayan|Putu|Gede|Made|Kadek|Nengah|Nyoman|Komang|Ketut) /.test(r.name));
    expect(balinese.length / bali.length).toBeGreaterThan(0.8);
    expect(bali.every((r) => r.regencyCode.startsWith('51.'))).toBe(true);
    // Women carry "Ni", men "I".
    expect(balinese.every((r) => (r.name.startsWith('Ni ') ? r.sex === 'P' : r.sex === 'L'))).toBe(true);

    const java = generateDataset({ records: 5000, seed: 6, duplicateRate: 0, provinces: ['33', '34'] });
    const singleOld = java.filter((r) => !r.name.includes(' ') && r.birthDate !== null && r.birthDate < '1965');
    expect(singleOld.length).toBeGreaterThan(50);

    const tapanuli = generateDataset({ records: 5000, seed: 7, duplicateRate: 0, provinces: ['12'] });
    expect(tapanuli.filter((r) => / (Siregar|Nasution|Simanjuntak|Sitorus|Harahap|Lubis|Sinaga|Ginting|Tarigan|Purba)$/.test(r.name)).length).toBeGreaterThan(200);
  });

  it('registers some people again, with the errors real registrations carry', () => {
    const records = generateDataset({ records: 100_000, seed: 8, duplicateRate: 0.3 });
    const people = byPerson(records);
    const groups = [...people.values()].filter((g) => g.length > 1);
    const share = groups.length / people.size;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
    expect(countTruePairs(records)).toBeGreaterThan(groups.length - 1);

    let otherSource = 0;
    let oldSpelling = 0;
    let muhammad = 0;
    let swapped = 0;
    let nikOneOff = 0;
    let titles = 0;
    let adjacent = 0;
    for (const [first, ...dups] of groups) {
      for (const d of dups) {
        if (d.source !== first.source) otherSource++;
        if (/oe|dj|tj|nj|sj|Oe|Dj|Tj|Nj|Sj|OE|DJ|TJ|NJ|SJ/.test(d.name) && !/oe|dj|tj|nj|sj/i.test(first.name)) oldSpelling++;
        if (/\b(M\.|Moh\.|Muh\.|Moch\.|Mhd\.)/i.test(d.name)) muhammad++;
        if (/^(H|Hj|Dr|Ir|Drs)\. |, [A-Z]\./i.test(d.name)) {
          titles++;
          // Titles and degrees only for adults.
          if (first.birthDate) expect(Number(first.birthDate.slice(0, 4))).toBeLessThanOrEqual(2002);
        }
        if (first.birthDate && d.birthDate && first.birthDate !== d.birthDate) {
          const [y, m, dd] = first.birthDate.split('-');
          if (d.birthDate === `${y}-${dd}-${m}`) swapped++;
        }
        if (first.nik && d.nik && first.nik !== d.nik) {
          let diff = 0;
          for (let i = 0; i < 16; i++) if (first.nik[i] !== d.nik[i]) diff++;
          if (diff <= 2) nikOneOff++;
        }
        if (Math.abs(d.id - first.id) === 1) adjacent++;
      }
    }
    const dupCount = groups.reduce((n, g) => n + g.length - 1, 0);
    expect(otherSource / dupCount).toBeGreaterThan(0.7);
    expect(oldSpelling).toBeGreaterThan(100);
    expect(muhammad).toBeGreaterThan(50);
    expect(titles).toBeGreaterThan(100);
    expect(swapped).toBeGreaterThan(50);
    expect(nikOneOff).toBeGreaterThan(200);
    // Duplicates are spread through the output, not next to the first record.
    expect(adjacent / dupCount).toBeLessThan(0.01);
    // Missing fields happen.
    expect(records.some((r) => r.nik === null)).toBe(true);
    expect(records.some((r) => r.birthDate === null)).toBe(true);
  });

  it('streams: a million-record iterator yields lazily and the same records every time', () => {
    const take = (n: number): SyntheticRecord[] => {
      const out: SyntheticRecord[] = [];
      for (const r of generateRecords({ records: 1_000_000, seed: 9 })) {
        out.push(r);
        if (out.length === n) break;
      }
      return out;
    };
    const started = performance.now();
    const first = take(1000);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(take(1000)).toEqual(first);
  });

  it('writes CSV lines with quoting and empty cells for missing values', () => {
    const line = toCsvLine({
      id: 1, personId: 2, householdId: 3, source: 'RESCUE', name: 'Budi, S.Pd.', nik: null, kk: '3273011206090001',
      birthDate: '1980-01-02', sex: 'L', regencyCode: '32.73', districtCode: '32.73.01', address: 'Jl. "Melati" No. 1', phone: null,
    });
    expect(line).toBe('1,2,3,RESCUE,"Budi, S.Pd.",,3273011206090001,1980-01-02,L,32.73,32.73.01,"Jl. ""Melati"" No. 1",');
  });
});
