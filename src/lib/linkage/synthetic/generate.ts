/**
 * Synthetic Indonesian beneficiaries with ground truth, for testing and benchmarking linkage.
 *
 * People live in households (one KK, one address), in real regencies and districts, with NIKs that
 * agree with their birth region, birth date and sex. Some people are registered again — by another
 * programme or partner, or twice by the same one — and those extra records carry the errors real
 * registrations carry: typos, old spellings, Muhammad variants, titles, swapped day and month, a
 * wrong or transposed NIK digit, missing fields, another address format or phone number.
 * `personId` (and `householdId`) is the truth: records with the same personId are the same person.
 *
 * Output order is registration order: a household's first records come together (registrations
 * are done household by household), and each duplicate comes later, after a random delay of up to
 * `shuffleWindow` records, so duplicates are spread through the output, never next to each other.
 *
 * Deterministic: the same options (including `seed`) always give the same records. The iterator
 * keeps only the delayed duplicates and two fixed-size serial tables in memory, whatever `records` is.
 */
import { Rng, cumulativeWeights, hashString } from './prng.ts';
import { MUSLIM_GROUPS, HAMLET_NAMES, STREET_NAMES, familyName, makeName, type FamilyName } from './names.ts';
import { PROVINCE_NAME_MIX, PROVINCE_POPULATION, REGENCIES, type District, type NameGroup, type Regency } from './regions.ts';

export type Sex = 'L' | 'P';

export interface SyntheticRecord {
  /** Record number in output order, 0-based. */
  id: number;
  /** Ground truth: the same person has the same personId in every record. */
  personId: number;
  /** Ground truth: the household (KK) the person belongs to, even when `kk` is missing. */
  householdId: number;
  /** Programme or partner that registered this record. */
  source: string;
  name: string;
  nik: string | null;
  kk: string | null;
  /** YYYY-MM-DD, as registered (possibly with day and month swapped or a digit wrong). */
  birthDate: string | null;
  sex: Sex;
  /** "32.73" — where the person lives now (the NIK may carry another region: where it was issued). */
  regencyCode: string;
  /** "32.73.01" */
  districtCode: string;
  address: string | null;
  phone: string | null;
}

/** Probabilities that an extra (duplicate) record of a person gets each kind of error. */
export interface ErrorRates {
  /** One typo in the name (keyboard neighbour, deletion, doubled letter or transposition); sometimes two. */
  nameTypo: number;
  /** Old (pre-1972) spelling: u→oe, j→dj, c→tj, ny→nj, sy→sj, kh→ch. */
  oldSpelling: number;
  /** Muhammad written another way (M., Moh., Mochamad, …), when the name has it. */
  muhammadVariant: number;
  /** A title or degree added: H., Hj., Dr., Ir., S.Pd., S.E., … */
  title: number;
  /** Name typed in capitals. */
  upperCase: number;
  /** A middle or last name left out or shortened to an initial. */
  nameShortened: number;
  /** Day and month swapped (only when the day is 12 or less and differs from the month). */
  birthDateSwap: number;
  /** One digit of the birth day or year wrong. */
  birthDateTypo: number;
  /** One wrong NIK digit. */
  nikDigit: number;
  /** Two adjacent NIK digits transposed. */
  nikTranspose: number;
  /** The address written another way (Jalan/Jl., RT 003/RW 005 vs RT.3 RW.5, …). */
  addressFormat: number;
  /** The phone written another way (+62, dashes, spaces). */
  phoneFormat: number;
  /** Another phone number altogether. */
  phoneChanged: number;
  /** The person moved to another regency and registered there. */
  moved: number;
  missingNik: number;
  missingKk: number;
  missingBirthDate: number;
  missingPhone: number;
  missingAddress: number;
}

/** Fields missing in a person's first record (duplicates use ErrorRates.missing*). */
export interface MissingRates {
  nik: number;
  kk: number;
  birthDate: number;
  phone: number;
  address: number;
}

export interface SyntheticOptions {
  /** Total number of records to produce (first registrations plus duplicates). */
  records: number;
  seed?: number | string;
  /** Share of people registered more than once. Default 0.2. */
  duplicateRate?: number;
  /** Most extra records per person. Default 3. */
  maxDuplicates?: number;
  /** Share of extra records that come from another programme than the first one. Default 0.8. */
  crossSourceRate?: number;
  /** Programme and partner names; the first ones register more people. */
  sources?: string[];
  errors?: Partial<ErrorRates>;
  missing?: Partial<MissingRates>;
  /**
   * A duplicate is emitted after a random delay of up to this many records (never past the end), so
   * a person's records do not sit next to each other (a linker could cheat by looking at neighbours).
   * Memory holds about duplicateShare × window / 2 delayed records. 0 = duplicates right after
   * their household. Default 200,000.
   */
  shuffleWindow?: number;
  /** Only these provinces ("32", "35", …). Default: all, weighted by population. */
  provinces?: string[];
  /** Ages are counted up to this year, so output does not depend on the clock. Default 2025. */
  referenceYear?: number;
}

export const DEFAULT_ERROR_RATES: Readonly<ErrorRates> = {
  nameTypo: 0.25,
  oldSpelling: 0.12,
  muhammadVariant: 0.5,
  title: 0.08,
  upperCase: 0.3,
  nameShortened: 0.06,
  birthDateSwap: 0.05,
  birthDateTypo: 0.03,
  nikDigit: 0.05,
  nikTranspose: 0.03,
  addressFormat: 0.6,
  phoneFormat: 0.4,
  phoneChanged: 0.15,
  moved: 0.03,
  missingNik: 0.15,
  missingKk: 0.25,
  missingBirthDate: 0.05,
  missingPhone: 0.3,
  missingAddress: 0.05,
};

export const DEFAULT_MISSING_RATES: Readonly<MissingRates> = { nik: 0.05, kk: 0.15, birthDate: 0.01, phone: 0.3, address: 0.02 };

export const DEFAULT_SOURCES: readonly string[] = ['RESCUE', 'DAMPING', 'PULIH', 'MITRA-DINSOS', 'MITRA-BAZNAS', 'MITRA-KAMPUS'];

// ---------------------------------------------------------------------------------------------
// Small helpers kept allocation-light: they run millions of times.

const TWO_DIGITS: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));
const pad4 = (n: number): string => (n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : String(n));

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const isoDate = (y: number, m: number, d: number): string => `${y}-${TWO_DIGITS[m]}-${TWO_DIGITS[d]}`;

/**
 * Hands out NIK/KK serials: 0001, 0002, … per 12-digit prefix, as the civil registry does, so
 * neighbours' NIKs can differ in one digit (the hard case for linkage). A fixed-size table of
 * counters indexed by a hash of the prefix keeps memory bounded; two prefixes that share a slot
 * only get larger serials — a prefix always maps to the same slot, so its serials never repeat.
 */
class SerialTable {
  private readonly counters: Uint16Array;
  private readonly mask: number;

  constructor(bits: number) {
    this.counters = new Uint16Array(1 << bits);
    this.mask = (1 << bits) - 1;
  }

  next(prefix: string): string {
    const slot = hashString(prefix) & this.mask;
    const n = this.counters[slot] + 1;
    // Past 9999 a real registry would be out of serials too; wrap (practically never reached).
    this.counters[slot] = n > 9999 ? 1 : n;
    return pad4(this.counters[slot]);
  }
}

// ---------------------------------------------------------------------------------------------
// Regions and households.

interface RegionPicker {
  regencies: Regency[];
  byProvince: Map<string, Regency[]>;
  cumulative: Float64Array;
  groupsByProvince: Map<string, { groups: NameGroup[]; cumulative: Float64Array }>;
}

function regionPicker(provinces: string[] | undefined): RegionPicker {
  const wanted = provinces ? new Set(provinces) : null;
  const regencies = REGENCIES.filter((r) => !wanted || wanted.has(r.provinceCode));
  if (regencies.length === 0) throw new Error(`no known regencies in provinces ${provinces?.join(', ')}`);
  const perProvince = new Map<string, number>();
  for (const r of regencies) perProvince.set(r.provinceCode, (perProvince.get(r.provinceCode) ?? 0) + 1);
  // A province's population is shared equally between its regencies: rough, but Java stays Java.
  const weights = regencies.map((r) => (PROVINCE_POPULATION[r.provinceCode] ?? 1) / (perProvince.get(r.provinceCode) ?? 1));
  const groupsByProvince = new Map<string, { groups: NameGroup[]; cumulative: Float64Array }>();
  for (const code of perProvince.keys()) {
    const mix = PROVINCE_NAME_MIX[code] ?? { muslim: 1 };
    const groups = Object.keys(mix) as NameGroup[];
    groupsByProvince.set(code, { groups, cumulative: cumulativeWeights(groups.map((g) => mix[g] ?? 0)) });
  }
  const byProvince = new Map<string, Regency[]>();
  for (const r of regencies) byProvince.set(r.provinceCode, [...(byProvince.get(r.provinceCode) ?? []), r]);
  return { regencies, byProvince, cumulative: cumulativeWeights(weights), groupsByProvince };
}

interface AddressParts {
  kind: 'street' | 'alley' | 'hamlet' | 'housing';
  place: string;
  houseNumber: number;
  block: string;
  rt: number;
  rw: number;
  district: string;
  regency: string;
}

/** Address as one clerk would type it; `style` 0 is the tidy form, others are what people also write. */
function formatAddress(a: AddressParts, style: number): string {
  const rtRw =
    style === 0 ? `RT ${pad3(a.rt)}/RW ${pad3(a.rw)}` : style === 1 ? `RT.${TWO_DIGITS[a.rt]} RW.${TWO_DIGITS[a.rw]}` : style === 2 ? `Rt ${a.rt} Rw ${a.rw}` : `RT${pad3(a.rt)} RW${pad3(a.rw)}`;
  let head: string;
  switch (a.kind) {
    case 'street':
      head = `${style === 1 ? 'Jalan' : style === 3 ? 'JL.' : 'Jl.'} ${a.place} No. ${a.houseNumber}`;
      break;
    case 'alley':
      head = `${style === 1 ? 'Gang' : 'Gg.'} ${a.place} No. ${a.houseNumber}`;
      break;
    case 'housing':
      head = `${style === 2 ? 'Perumahan' : 'Perum'} ${a.place} Blok ${a.block}${style === 3 ? '-' : ' No. '}${a.houseNumber}`;
      break;
    default:
      head = `${style === 2 ? 'Dsn.' : 'Dusun'} ${a.place}`;
  }
  if (style === 2) return `${head} ${rtRw} Kec. ${a.district}`;
  if (style === 3) return `${head}, ${rtRw}, ${a.district}, ${a.regency}`.toUpperCase();
  return `${head}, ${rtRw}, Kec. ${a.district}, ${a.regency}`;
}

const PHONE_PREFIXES = ['811', '812', '813', '821', '822', '823', '852', '853', '851', '855', '856', '857', '858', '877', '878', '895', '896', '897', '898', '899', '881', '882', '887', '888'];

function makePhone(rng: Rng): string {
  const len = rng.range(7, 9);
  let digits = rng.pick(PHONE_PREFIXES);
  for (let i = 0; i < len; i++) digits += rng.int(10);
  return `0${digits}`;
}

function formatPhone(rng: Rng, phone: string): string {
  const rest = phone.slice(1);
  switch (rng.int(4)) {
    case 0:
      return `+62${rest}`;
    case 1:
      return `62${rest}`;
    case 2:
      return `${phone.slice(0, 4)}-${phone.slice(4, 8)}-${phone.slice(8)}`;
    default:
      return `+62 ${rest.slice(0, 3)} ${rest.slice(3, 7)} ${rest.slice(7)}`;
  }
}

interface Person {
  personId: number;
  householdId: number;
  name: string;
  group: NameGroup;
  sex: Sex;
  year: number;
  month: number;
  day: number;
  nik: string;
  kk: string;
  regency: Regency;
  district: District;
  address: AddressParts;
  addressStyle: number;
  /** The household's address as first written, shared by its members' first records. */
  addressText: string;
  phone: string | null;
  source: string;
}

// ---------------------------------------------------------------------------------------------
// Errors for duplicate records.

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const NEIGHBOURS: Record<string, string> = {};
for (let r = 0; r < KEYBOARD_ROWS.length; r++) {
  for (let c = 0; c < KEYBOARD_ROWS[r].length; c++) {
    let near = '';
    for (const [dr, dc] of [[0, -1], [0, 1], [-1, 0], [-1, 1], [1, -1], [1, 0]]) {
      const ch = KEYBOARD_ROWS[r + dr]?.[c + dc];
      if (ch) near += ch;
    }
    NEIGHBOURS[KEYBOARD_ROWS[r][c]] = near;
  }
}

/** One typo at a random letter: a keyboard neighbour, a dropped or doubled letter, or two letters swapped. */
export function addTypo(rng: Rng, name: string): string {
  if (name.length < 3) return name;
  // Avoid the first letter: people rarely get it wrong, and a first-letter typo is what breaks phonetic blocking.
  const i = rng.range(1, name.length - 1);
  const ch = name[i];
  if (ch === ' ' || ch === '.') return name;
  switch (rng.int(4)) {
    case 0: {
      const lower = ch.toLowerCase();
      const near = NEIGHBOURS[lower];
      if (!near) return name;
      const sub = near[rng.int(near.length)];
      return name.slice(0, i) + (ch === lower ? sub : sub.toUpperCase()) + name.slice(i + 1);
    }
    case 1:
      return name.slice(0, i) + name.slice(i + 1);
    case 2:
      return name.slice(0, i) + ch + name.slice(i);
    default: {
      if (i + 1 >= name.length || name[i + 1] === ' ') return name.slice(0, i - 1) + ch + name[i - 1] + name.slice(i + 1);
      return name.slice(0, i) + name[i + 1] + ch + name.slice(i + 2);
    }
  }
}

const OLD_SPELLING: Record<string, string> = { u: 'oe', j: 'dj', c: 'tj', ny: 'nj', sy: 'sj', kh: 'ch' };

/** Pre-1972 spelling, as still found on old documents and in older people's names: "Djoko Soesilo". */
export function toOldSpelling(name: string): string {
  const allCaps = name === name.toUpperCase();
  // "ch" is already the old form of "kh" (Mochamad): its c stays.
  return name.replace(/ny|sy|kh|c(?!h)|[uj]/gi, (m) => {
    const old = OLD_SPELLING[m.toLowerCase()];
    if (allCaps) return old.toUpperCase();
    if (m === m.toLowerCase()) return old;
    return old[0].toUpperCase() + old.slice(1);
  });
}

const MUHAMMAD_RE = /\b(Muhammad|Muhamad|Mohammad|Mohamad|Mochamad|Mochammad)\b/;
const MUHAMMAD_VARIANTS = ['M.', 'Moh.', 'Muh.', 'Moch.', 'Mhd.', 'Mochamad', 'Mochammad', 'Mohammad', 'Muhamad', 'Mohamad', 'Muhammad'];
const HONORIFIC_PREFIXES = ['Dr.', 'Ir.', 'Drs.'];
const DEGREE_SUFFIXES = ['S.Pd.', 'S.E.', 'S.Kom.', 'S.H.', 'A.Md.', 'S.Sos.', 'S.Ag.', 'S.T.', 'M.Pd.'];

function addTitle(rng: Rng, name: string, sex: Sex, group: NameGroup): string {
  const x = rng.next();
  if (x < 0.45 && MUSLIM_GROUPS.has(group)) return `${sex === 'L' ? 'H.' : 'Hj.'} ${name}`;
  if (x < 0.6) return `${rng.pick(HONORIFIC_PREFIXES)} ${name}`;
  return `${name}, ${rng.pick(DEGREE_SUFFIXES)}`;
}

/** "Agus Budi Santoso" → "Agus B. Santoso" or "Agus Budi". */
function shortenName(rng: Rng, name: string): string {
  const parts = name.split(' ');
  if (parts.length < 2) return name;
  if (parts.length >= 3 && rng.chance(0.5)) {
    const i = rng.range(1, parts.length - 2);
    parts[i] = `${parts[i][0]}.`;
    return parts.join(' ');
  }
  return rng.chance(0.5) ? parts.slice(0, -1).join(' ') : `${parts.slice(0, -1).join(' ')} ${parts[parts.length - 1][0]}.`;
}

function changeNikDigit(rng: Rng, nik: string): string {
  const i = rng.int(16);
  const digit = (Number(nik[i]) + rng.range(1, 9)) % 10;
  return nik.slice(0, i) + digit + nik.slice(i + 1);
}

function transposeNikDigits(rng: Rng, nik: string): string {
  for (let attempt = 0; attempt < 8; attempt++) {
    const i = rng.int(15);
    if (nik[i] !== nik[i + 1]) return nik.slice(0, i) + nik[i + 1] + nik[i] + nik.slice(i + 2);
  }
  return nik;
}

/** Records waiting for their turn: a binary min-heap on the output position they are due at. */
class DelayQueue {
  private readonly due: number[] = [];
  private readonly records: SyntheticRecord[] = [];

  get size(): number {
    return this.due.length;
  }

  nextAt(): number {
    return this.due[0];
  }

  add(at: number, record: SyntheticRecord): void {
    const { due, records } = this;
    let i = due.length;
    due.push(at);
    records.push(record);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (due[parent] <= at) break;
      due[i] = due[parent];
      records[i] = records[parent];
      i = parent;
    }
    due[i] = at;
    records[i] = record;
  }

  take(): SyntheticRecord {
    const { due, records } = this;
    const top = records[0];
    const lastAt = due.pop()!;
    const last = records.pop()!;
    const n = due.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && due[child + 1] < due[child]) child++;
        if (due[child] >= lastAt) break;
        due[i] = due[child];
        records[i] = records[child];
        i = child;
      }
      due[i] = lastAt;
      records[i] = last;
    }
    return top;
  }
}

// ---------------------------------------------------------------------------------------------
// The generator.

/** Household sizes 1..7 (Indonesia's average household is about 3.8 people). */
const HOUSEHOLD_SIZE_CUMULATIVE = cumulativeWeights([12, 18, 22, 22, 14, 8, 4]);

/** Records one at a time, with bounded memory: use this for millions. */
export function* generateRecords(options: SyntheticOptions): Generator<SyntheticRecord> {
  const total = Math.max(0, Math.floor(options.records));
  const rng = new Rng(options.seed ?? 1);
  const errors: ErrorRates = { ...DEFAULT_ERROR_RATES, ...options.errors };
  const missing: MissingRates = { ...DEFAULT_MISSING_RATES, ...options.missing };
  const duplicateRate = options.duplicateRate ?? 0.2;
  const maxDuplicates = Math.max(1, options.maxDuplicates ?? 3);
  const crossSourceRate = options.crossSourceRate ?? 0.8;
  const sources = options.sources?.length ? options.sources : DEFAULT_SOURCES;
  // Earlier sources register more people (a main programme and smaller partners).
  const sourceCumulative = cumulativeWeights(sources.map((_, i) => 1 / (i + 1)));
  const window = Math.max(0, Math.floor(options.shuffleWindow ?? 200_000));
  const referenceYear = options.referenceYear ?? 2025;
  const regions = regionPicker(options.provinces);
  // ~4 slots per expected person keeps serials small and realistic; capped at 2^22 (8 MB).
  const serialBits = Math.min(22, Math.max(12, Math.ceil(Math.log2(total * 4 + 1))));
  const nikSerials = new SerialTable(serialBits);
  const kkSerials = new SerialTable(serialBits);

  let produced = 0;
  let emitted = 0;
  let nextPersonId = 0;
  let nextHouseholdId = 0;
  /** First records of the household being generated, emitted as soon as it is complete. */
  const ready: SyntheticRecord[] = [];
  const delayed = new DelayQueue();

  const pickRegion = (): { regency: Regency; district: District } => {
    const regency = regions.regencies[rng.weighted(regions.cumulative)];
    return { regency, district: rng.pick(regency.districts) };
  };

  const makeNik = (district: District, sex: Sex, y: number, m: number, d: number): string => {
    const prefix = `${district.digits}${TWO_DIGITS[sex === 'P' ? d + 40 : d]}${TWO_DIGITS[m]}${TWO_DIGITS[y % 100]}`;
    return prefix + nikSerials.next(prefix);
  };

  const makeAddress = (regency: Regency, district: District, group: NameGroup): AddressParts => {
    const x = rng.next();
    const kind: AddressParts['kind'] = x < 0.45 ? 'street' : x < 0.65 ? 'alley' : x < 0.85 ? 'hamlet' : 'housing';
    return {
      kind,
      place: kind === 'hamlet' ? rng.pick(HAMLET_NAMES) : kind === 'housing' ? `${rng.pick(STREET_NAMES)} ${rng.chance(0.5) ? 'Indah' : 'Asri'}` : rng.pick(STREET_NAMES),
      houseNumber: rng.range(1, group === 'balinese' ? 60 : 150),
      block: String.fromCharCode(65 + rng.int(8)),
      rt: rng.range(1, 15),
      rw: rng.range(1, 12),
      district: district.name,
      regency: regency.name,
    };
  };

  const birth = (minAge: number, maxAge: number): { year: number; month: number; day: number } => {
    const year = referenceYear - rng.range(minAge, maxAge);
    const month = rng.range(1, 12);
    return { year, month, day: rng.range(1, daysInMonth(year, month)) };
  };

  const push = (record: SyntheticRecord, duplicate: boolean): void => {
    if (produced >= total) return;
    produced++;
    if (!duplicate) ready.push(record);
    else delayed.add(emitted + (window > 0 ? 1 + rng.int(Math.min(window, total - produced + 1)) : 0), record);
  };

  const emit = (record: SyntheticRecord): SyntheticRecord => {
    // Ids follow output order; set here rather than copying the record (this runs a million times).
    record.id = emitted++;
    return record;
  };

  const firstRecord = (p: Person): SyntheticRecord => ({
    id: -1,
    personId: p.personId,
    householdId: p.householdId,
    source: p.source,
    name: p.name,
    nik: rng.chance(missing.nik) ? null : p.nik,
    kk: rng.chance(missing.kk) ? null : p.kk,
    birthDate: rng.chance(missing.birthDate) ? null : isoDate(p.year, p.month, p.day),
    sex: p.sex,
    regencyCode: p.regency.code,
    districtCode: p.district.code,
    address: rng.chance(missing.address) ? null : p.addressText,
    phone: p.phone === null || rng.chance(missing.phone) ? null : p.phone,
  });

  const duplicateRecord = (p: Person): SyntheticRecord => {
    let name = p.name;
    if (rng.chance(errors.muhammadVariant) && MUHAMMAD_RE.test(name)) name = name.replace(MUHAMMAD_RE, rng.pick(MUHAMMAD_VARIANTS));
    if (rng.chance(errors.oldSpelling)) name = toOldSpelling(name);
    if (rng.chance(errors.nameShortened)) name = shortenName(rng, name);
    if (rng.chance(errors.nameTypo)) {
      name = addTypo(rng, name);
      if (rng.chance(0.2)) name = addTypo(rng, name);
    }
    // Degrees and the Hajj title belong to adults.
    if (rng.chance(errors.title) && referenceYear - p.year >= 23) name = addTitle(rng, name, p.sex, p.group);
    if (rng.chance(errors.upperCase)) name = name.toUpperCase();

    let { year, month, day } = p;
    if (rng.chance(errors.birthDateSwap) && day <= 12 && day !== month) [day, month] = [month, day];
    if (rng.chance(errors.birthDateTypo)) {
      if (rng.chance(0.5)) year += rng.chance(0.5) ? 1 : -1;
      else day = Math.min(daysInMonth(year, month), Math.max(1, day + (rng.chance(0.5) ? 1 : -1) * (day % 10 === 0 ? 1 : rng.range(1, 9))));
    }

    let nik: string | null = p.nik;
    if (rng.chance(errors.nikDigit)) nik = changeNikDigit(rng, nik);
    else if (rng.chance(errors.nikTranspose)) nik = transposeNikDigits(rng, nik);
    if (rng.chance(errors.missingNik)) nik = null;

    let { regency, district, address, addressStyle } = p;
    if (rng.chance(errors.moved)) {
      ({ regency, district } = pickRegion());
      address = makeAddress(regency, district, p.group);
    }
    if (rng.chance(errors.addressFormat)) addressStyle = (addressStyle + rng.range(1, 3)) % 4;

    let phone = p.phone;
    if (rng.chance(errors.phoneChanged) || (phone === null && rng.chance(0.3))) phone = makePhone(rng);
    if (phone !== null && rng.chance(errors.phoneFormat)) phone = formatPhone(rng, phone);

    let source = p.source;
    if (sources.length > 1 && rng.chance(crossSourceRate)) {
      while (source === p.source) source = sources[rng.weighted(sourceCumulative)];
    }

    return {
      id: -1,
      personId: p.personId,
      householdId: p.householdId,
      source,
      name,
      nik,
      kk: rng.chance(errors.missingKk) ? null : p.kk,
      birthDate: rng.chance(errors.missingBirthDate) ? null : isoDate(year, month, day),
      sex: p.sex,
      regencyCode: regency.code,
      districtCode: district.code,
      address: rng.chance(errors.missingAddress) ? null : formatAddress(address, addressStyle),
      phone: rng.chance(errors.missingPhone) ? null : phone,
    };
  };

  const addPerson = (
    h: { id: number; regency: Regency; district: District; address: AddressParts; addressStyle: number; addressText: string; kk: string; phone: string | null },
    sex: Sex,
    b: { year: number; month: number; day: number },
    family: FamilyName,
    birthOrder: number | undefined,
    ownPhone: boolean,
  ): void => {
    const year = b.year;
    // About one in eight people hold a NIK issued in another regency (they moved; the NIK stays),
    // most of them from elsewhere in the same province.
    let nikDistrict = h.district;
    if (rng.chance(0.12)) {
      nikDistrict = rng.chance(0.6) ? rng.pick(rng.pick(regions.byProvince.get(h.regency.provinceCode)!).districts) : pickRegion().district;
    }
    const person: Person = {
      personId: nextPersonId++,
      householdId: h.id,
      name: makeName(rng, { sex, birthYear: year, family, birthOrder }),
      group: family.group,
      sex,
      year,
      month: b.month,
      day: b.day,
      nik: makeNik(nikDistrict, sex, year, b.month, b.day),
      kk: h.kk,
      regency: h.regency,
      district: h.district,
      address: h.address,
      addressStyle: h.addressStyle,
      addressText: h.addressText,
      phone: ownPhone ? makePhone(rng) : h.phone,
      source: sources[rng.weighted(sourceCumulative)],
    };
    push(firstRecord(person), false);
    if (rng.chance(duplicateRate)) {
      let extra = 1;
      while (extra < maxDuplicates && rng.chance(0.3)) extra++;
      for (let i = 0; i < extra; i++) push(duplicateRecord(person), true);
    }
  };

  while (produced < total) {
    const { regency, district } = pickRegion();
    const mix = regions.groupsByProvince.get(regency.provinceCode)!;
    const group = mix.groups[rng.weighted(mix.cumulative)];
    const family = familyName(rng, group);
    const size = rng.weighted(HOUSEHOLD_SIZE_CUMULATIVE) + 1;
    const kkPrefix = `${district.digits}${TWO_DIGITS[rng.range(1, 28)]}${TWO_DIGITS[rng.range(1, 12)]}${TWO_DIGITS[rng.range(5, 24)]}`;
    const address = makeAddress(regency, district, group);
    const addressStyle = rng.chance(0.7) ? 0 : rng.range(1, 3);
    const household = {
      id: nextHouseholdId++,
      regency,
      district,
      address,
      addressStyle,
      addressText: formatAddress(address, addressStyle),
      kk: kkPrefix + kkSerials.next(kkPrefix),
      phone: rng.chance(0.8) ? makePhone(rng) : null,
    };

    const headSex: Sex = size === 1 ? (rng.chance(0.5) ? 'L' : 'P') : rng.chance(0.85) ? 'L' : 'P';
    const head = birth(size === 1 ? 20 : 24, 80);
    addPerson(household, headSex, head, family, undefined, false);
    let members = 1;
    if (size >= 2 && rng.chance(0.85)) {
      const age = Math.max(18, Math.min(85, referenceYear - head.year + rng.range(-8, 3)));
      // The spouse keeps her own family name (a Batak wife keeps her marga).
      addPerson(household, headSex === 'L' ? 'P' : 'L', birth(age, age), familyName(rng, group), undefined, rng.chance(0.5));
      members++;
    }
    const headAge = referenceYear - head.year;
    let order = 1;
    while (members < size && headAge >= 20) {
      const oldest = Math.min(headAge - 18, 30);
      const age = Math.max(0, oldest - (order - 1) * rng.range(2, 4));
      addPerson(household, rng.chance(0.5) ? 'L' : 'P', birth(age, age), family, order, age >= 17 && rng.chance(0.5));
      order++;
      members++;
    }
    for (const record of ready) yield emit(record);
    ready.length = 0;
    while (delayed.size > 0 && delayed.nextAt() <= emitted) yield emit(delayed.take());
  }
  while (delayed.size > 0) yield emit(delayed.take());
}

/** All records in memory (fine for tests and up to a few hundred thousand records). */
export function generateDataset(options: SyntheticOptions): SyntheticRecord[] {
  return Array.from(generateRecords(options));
}

/** Number of true matching pairs (records of the same person), for recall. */
export function countTruePairs(records: Iterable<Pick<SyntheticRecord, 'personId'>>): number {
  const counts = new Map<number, number>();
  for (const r of records) counts.set(r.personId, (counts.get(r.personId) ?? 0) + 1);
  let pairs = 0;
  for (const c of counts.values()) pairs += (c * (c - 1)) / 2;
  return pairs;
}

export const CSV_COLUMNS = ['id', 'personId', 'householdId', 'source', 'name', 'nik', 'kk', 'birthDate', 'sex', 'regencyCode', 'districtCode', 'address', 'phone'] as const;

const csvCell = (v: string | number | null): string => {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One CSV line (no newline), columns as CSV_COLUMNS; missing values are empty cells. */
export function toCsvLine(r: SyntheticRecord): string {
  return CSV_COLUMNS.map((c) => csvCell(r[c])).join(',');
}
