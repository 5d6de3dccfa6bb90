/**
 * Privacy-preserving record linkage (PPRL): find the people two organisations have in common
 * without either side showing the other a raw NIK, name or birth date.
 *
 * Both sides hold the same secret key (agreed out of band, fresh for each exchange). Each side
 * encodes its own records with `encodeRecords` and sends only the encodings; either side (or a
 * third party that does not hold the key) runs `matchEncodings` to learn the overlap and the
 * matched index pairs.
 *
 * - NIK: HMAC-SHA256 of the digits. Equal NIKs give equal codes; a NIK with one wrong digit gives
 *   an unrelated code, so typo tolerance comes from the names and birth dates.
 * - Names and birth dates: Bloom filters (Schnell et al. 2009). The value's q-grams (bigrams by
 *   default) are hashed with k keyed hash functions into a bit array of `bits` bits; similar
 *   strings share most q-grams and so most bits, and the Dice coefficient of two filters
 *   approximates the q-gram similarity of the two strings. By default each field has its own
 *   filter (`mode: 'fields'`): each field's similarity can be shown, a missing field counts as
 *   "don't know", and a short name with the same birth date cannot pass for a match on the date
 *   alone. `mode: 'clk'` puts all fields into one record-level filter (a cryptographic long-term
 *   key): harder to attack field by field, about as accurate on synthetic data, but a short or
 *   only partly similar name with the same birth date can pass (see README for figures).
 * - Every field hashes with its own key derived from the secret and the field name, so the same
 *   bigram sets different bits in a name and in a birth date.
 *
 * Security caveats (see README): Bloom-filter encodings can be attacked by frequency analysis
 * (common names set common bit patterns) by anyone holding many encodings; use a fresh key per
 * exchange, keep encodings for as short a time as possible and treat them as personal data.
 *
 * Uses node:crypto (HMAC) and nothing from the rest of the product.
 */
import { createHmac } from 'node:crypto';

export type SecretKey = string | Uint8Array;

/** Fields that can be put into Bloom filters. */
export type PprlField = 'name' | 'birthDate';

export interface PprlRecord {
  nik?: string | null;
  name?: string | null;
  /** YYYY-MM-DD, or DD-MM-YYYY / DD/MM/YYYY as Indonesians write it. */
  birthDate?: string | null;
}

/** Turns a name into the string whose q-grams are encoded. Both sides must use the same one. */
export type Normaliser = (value: string) => string;

/** Exchange-level blocking tokens: keyed hashes that only let equal values meet. */
export type BlockingKey = 'birthDate' | 'birthYear';

export interface EncodeOptions {
  /** One filter per field ('fields', default) or one record-level filter ('clk'). */
  mode?: 'clk' | 'fields';
  /** Filter length in bits. Default 1000. */
  bits?: number;
  /**
   * Hash functions per q-gram, per field. Default name 20, birthDate 30. In clk mode this is how
   * fields are weighed: a date has fewer q-grams than a name, and namesakes are common (the same
   * full name with another birth date must not reach the threshold), so each date q-gram sets more bits.
   */
  hashes?: Partial<Record<PprlField, number>>;
  /** q-gram length. Default 2 (bigrams). */
  q?: number;
  /**
   * 'double' (default): positions h1 + i·h2 from one HMAC-SHA256 per q-gram (Kirsch-Mitzenmacher).
   * 'random': k independent positions from HMAC-SHA512 output; resists the pattern attack on double
   * hashing (Niedermeyer et al. 2014) at a small cost.
   */
  hashing?: 'double' | 'random';
  /** Name normaliser, e.g. the library's Indonesian one. Default: `simpleNormalise`. */
  normalise?: Normaliser;
  /**
   * Keyed blocking tokens to send along. Default ['birthDate'] (year + day and month in either
   * order). 'birthYear' makes blocks of about n/80 records: for small lists only.
   */
  blockingKeys?: BlockingKey[];
  /** How the NIK HMAC is written. Default 'base64url'. */
  nikEncoding?: 'hex' | 'base64url';
}

/** What one side sends: codes only, no raw values. Filters are stored flat: record i at i·words. */
export interface EncodedRecords {
  version: 1;
  /** A fingerprint of the key (not the key): both sides can check they used the same one. */
  keyId: string;
  count: number;
  mode: 'clk' | 'fields';
  bits: number;
  words: number;
  q: number;
  hashing: 'double' | 'random';
  hashes: Record<PprlField, number>;
  fields: PprlField[];
  nik: (string | null)[];
  /** 'clk' in clk mode, else one entry per field. */
  filters: Record<string, Uint32Array>;
  blocks: Partial<Record<BlockingKey, (string | null)[]>>;
}

export interface MatchOptions {
  /** A pair matches when its similarity (Dice) reaches this. Default 0.8 (tuned on synthetic data, see README). */
  threshold?: number;
  /** A pair whose NIK codes are equal matches from this similarity (guards against NIK errors). Default 0.5. */
  nikThreshold?: number;
  /**
   * A pair whose NIK codes both exist and differ needs this similarity: different NIKs are strong
   * evidence of different people (namesakes), but a mistyped digit happens. Default 0.9.
   */
  nikMismatchThreshold?: number;
  /** Keep at most one match per record on each side, best first. Default false. */
  oneToOne?: boolean;
  /**
   * Hamming LSH on the filters: extra candidate pairs the exact blocks miss (a mistyped birth
   * date and no common NIK). Off by default: on synthetic data it found few extra true pairs
   * (+0.15% recall) but many namesakes (precision 0.997 → 0.981) and took 5× longer (README).
   * `{}` turns it on with defaults (24 bands × 24 rows).
   */
  lsh?: false | { bands?: number; rows?: number; seed?: number; maxBucketPairs?: number };
  /** Field weights for 'fields' mode. Default name 1, birthDate 1. */
  weights?: Partial<Record<PprlField, number>>;
  /**
   * Fields mode: the score a field counts for when either record lacks it. 0.5 ("don't know")
   * means a name alone cannot reach the threshold — namesakes are common — unless the NIK agrees.
   * Default 0.5.
   */
  missingScore?: number;
  /**
   * Fields mode: lowest Dice a present field may have in a match, unless the NIK agrees. A shared
   * birth date must not carry a weak name over the threshold ("Siti Aminah" / "Siti Rahayu" born
   * the same day). Default name 0.7, birthDate 0.
   */
  minimum?: Partial<Record<PprlField, number>>;
}

export interface MatchedPair {
  mine: number;
  theirs: number;
  /** Dice similarity of the filters (clk) or the weighted mean of field Dice scores. */
  score: number;
  /** true: same NIK code; false: both have a NIK and they differ; null: one is missing. */
  nik: boolean | null;
  /** Per-field Dice ('fields' mode only). */
  fields?: Partial<Record<PprlField, number>>;
}

export interface MatchResult {
  pairs: MatchedPair[];
  /** How many of my records have at least one match. */
  overlap: number;
  /** How many of their records have at least one match. */
  theirsMatched: number;
  /** Pairs scored (with repeats when several blocks propose the same pair). */
  comparisons: number;
  /** LSH buckets skipped because they would have produced more than maxBucketPairs pairs. */
  skippedBuckets: number;
}

const VERSION_LABEL = 'simpul-pprl/v1';
/** LSH packs a band key and a record index into one float64: 2^21 indexes, a 31-bit key. */
const LSH_MAX_RECORDS = 2_097_152;

// ---------------------------------------------------------------------------------------------
// Keys and normalisation.

/** A key for one purpose, so the same secret never hashes two kinds of values the same way. */
export function deriveKey(key: SecretKey, purpose: string): Buffer {
  return createHmac('sha256', key).update(`${VERSION_LABEL}/${purpose}`).digest();
}

export function keyFingerprint(key: SecretKey): string {
  return deriveKey(key, 'key-id').subarray(0, 8).toString('base64url');
}

/** Digits only: people type NIKs with spaces, dots and dashes. */
export function normaliseNik(nik: string): string {
  return nik.replace(/\D/g, '');
}

/** HMAC-SHA256 of the normalised NIK, or null when there are no digits. */
export function hmacNik(key: SecretKey, nik: string, encoding: 'hex' | 'base64url' = 'base64url'): string | null {
  const digits = normaliseNik(nik);
  if (digits === '') return null;
  return createHmac('sha256', deriveKey(key, 'nik')).update(digits).digest(encoding);
}

/** Lower case, accents dropped, anything but letters and digits becomes one space. */
export function simpleNormalise(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A birth date as YYYYMMDD; accepts YYYY-MM-DD and D-M-YYYY / D/M/YYYY. null when unreadable. */
export function normaliseBirthDate(value: string): string | null {
  const iso = /^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*$/.exec(value);
  if (iso) return `${iso[1]}${iso[2].padStart(2, '0')}${iso[3].padStart(2, '0')}`;
  const dmy = /^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$/.exec(value);
  if (dmy) return `${dmy[3]}${dmy[2].padStart(2, '0')}${dmy[1].padStart(2, '0')}`;
  const digits = value.replace(/\D/g, '');
  return digits.length === 8 ? digits : null;
}

/** The distinct q-grams of a value, padded with "_" so first and last letters count too. */
export function qgrams(value: string, q = 2): string[] {
  if (value === '') return [];
  const padded = `${'_'.repeat(q - 1)}${value.replace(/ /g, '_')}${'_'.repeat(q - 1)}`;
  const out = new Set<string>();
  for (let i = 0; i + q <= padded.length; i++) out.add(padded.slice(i, i + q));
  return [...out];
}

// ---------------------------------------------------------------------------------------------
// Bloom filters.

/**
 * Sets the bits of one field's q-grams. Positions are cached per q-gram: names reuse a few
 * thousand bigrams, so 100,000 records need only a few thousand HMACs.
 */
export class BloomEncoder {
  readonly words: number;
  private readonly fieldKey: Buffer;
  private readonly cache = new Map<string, Uint16Array>();

  constructor(
    key: SecretKey,
    readonly field: string,
    readonly bits: number,
    readonly hashes: number,
    readonly hashing: 'double' | 'random' = 'double',
  ) {
    if (!Number.isInteger(bits) || bits < 64 || bits > 16384) throw new RangeError('bits must be an integer from 64 to 16384');
    if (!Number.isInteger(hashes) || hashes < 1 || hashes > 256) throw new RangeError('hashes must be an integer from 1 to 256');
    this.words = Math.ceil(bits / 32);
    // Salting with the field name: "an" in a name and "an" elsewhere land on different bits.
    this.fieldKey = deriveKey(key, `bloom/${field}`);
  }

  positions(token: string): Uint16Array {
    let cached = this.cache.get(token);
    if (cached) return cached;
    cached = new Uint16Array(this.hashes);
    if (this.hashing === 'double') {
      const digest = createHmac('sha256', this.fieldKey).update(token).digest();
      const h1 = digest.readUInt32LE(0) % this.bits;
      const h2 = digest.readUInt32LE(4) % this.bits || 1;
      for (let i = 0; i < this.hashes; i++) cached[i] = (h1 + i * h2) % this.bits;
    } else {
      let filled = 0;
      for (let block = 0; filled < this.hashes; block++) {
        const digest = createHmac('sha512', this.fieldKey).update(`${block}:${token}`).digest();
        for (let j = 0; j + 4 <= digest.length && filled < this.hashes; j += 4) cached[filled++] = digest.readUInt32LE(j) % this.bits;
      }
    }
    // A bounded cache: a stream of odd values must not grow memory without end.
    if (this.cache.size >= 200_000) this.cache.clear();
    this.cache.set(token, cached);
    return cached;
  }

  /** ORs the tokens' bits into `target` at word `offset` (so many records share one array). */
  addTokens(tokens: readonly string[], target: Uint32Array, offset = 0): void {
    for (const token of tokens) {
      const positions = this.positions(token);
      for (let h = 0; h < positions.length; h++) {
        const p = positions[h];
        target[offset + (p >>> 5)] |= 1 << (p & 31);
      }
    }
  }

  encode(tokens: readonly string[]): Uint32Array {
    const filter = new Uint32Array(this.words);
    this.addTokens(tokens, filter);
    return filter;
  }
}

/** Number of set bits in a 32-bit word (SWAR: no table, no loop). */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function popcount(filter: Uint32Array, offset = 0, words = filter.length - offset): number {
  let n = 0;
  for (let w = 0; w < words; w++) n += popcount32(filter[offset + w]);
  return n;
}

function commonBits(a: Uint32Array, b: Uint32Array, aOffset: number, bOffset: number, words: number): number {
  let common = 0;
  for (let w = 0; w < words; w++) common += popcount32(a[aOffset + w] & b[bOffset + w]);
  return common;
}

/** Dice coefficient 2|A∩B| / (|A|+|B|) of two filters (or two slices of flat arrays). 0 when both are empty. */
export function dice(a: Uint32Array, b: Uint32Array, aOffset = 0, bOffset = 0, words = Math.min(a.length - aOffset, b.length - bOffset)): number {
  let common = 0;
  let total = 0;
  for (let w = 0; w < words; w++) {
    const x = a[aOffset + w];
    const y = b[bOffset + w];
    common += popcount32(x & y);
    total += popcount32(x) + popcount32(y);
  }
  return total === 0 ? 0 : (2 * common) / total;
}

/** Bloom filter of one value's q-grams: a one-off helper; use encodeRecords for many records. */
export function bloomEncode(key: SecretKey, field: PprlField, value: string, options: EncodeOptions = {}): Uint32Array {
  const q = options.q ?? 2;
  const encoder = new BloomEncoder(key, field, options.bits ?? 1000, options.hashes?.[field] ?? DEFAULT_HASHES[field], options.hashing);
  return encoder.encode(fieldTokens(field, value, options.normalise ?? simpleNormalise, q));
}

const DEFAULT_HASHES: Record<PprlField, number> = { name: 20, birthDate: 30 };
const FIELDS: PprlField[] = ['name', 'birthDate'];

function fieldTokens(field: PprlField, value: string, normalise: Normaliser, q: number): string[] {
  if (field === 'name') return qgrams(normalise(value), q);
  const date = normaliseBirthDate(value);
  return date ? qgrams(date, q) : [];
}

function blockingToken(kind: BlockingKey, date: string | null, key: Buffer): string | null {
  if (!date) return null;
  const year = date.slice(0, 4);
  let value = year;
  if (kind === 'birthDate') {
    // Day and month sorted: a record with the two swapped lands in the same block.
    const [a, b] = [date.slice(4, 6), date.slice(6, 8)].sort();
    value = `${year}${a}${b}`;
  }
  // 12 bytes are plenty to keep blocks apart; fewer bytes sent, less to attack.
  return createHmac('sha256', key).update(value).digest().subarray(0, 12).toString('base64url');
}

// ---------------------------------------------------------------------------------------------
// The exchange.

/** Encodes records for exchange: returns codes only. Both sides must pass the same options. */
export function encodeRecords(key: SecretKey, records: readonly PprlRecord[], options: EncodeOptions = {}): EncodedRecords {
  const mode = options.mode ?? 'fields';
  const bits = options.bits ?? 1000;
  const q = options.q ?? 2;
  const hashing = options.hashing ?? 'double';
  const normalise = options.normalise ?? simpleNormalise;
  const hashes: Record<PprlField, number> = { ...DEFAULT_HASHES, ...options.hashes };
  const blockingKeys = options.blockingKeys ?? ['birthDate'];
  const nikKey = deriveKey(key, 'nik');
  const nikEncoding = options.nikEncoding ?? 'base64url';

  const encoders = Object.fromEntries(FIELDS.map((f) => [f, new BloomEncoder(key, f, bits, hashes[f], hashing)])) as Record<PprlField, BloomEncoder>;
  const words = encoders.name.words;
  const n = records.length;
  const filters: Record<string, Uint32Array> = {};
  if (mode === 'clk') filters.clk = new Uint32Array(n * words);
  else for (const f of FIELDS) filters[f] = new Uint32Array(n * words);

  const blockKeys = Object.fromEntries(blockingKeys.map((b) => [b, deriveKey(key, `block/${b}`)])) as Record<BlockingKey, Buffer>;
  const blocks: Partial<Record<BlockingKey, (string | null)[]>> = {};
  for (const b of blockingKeys) blocks[b] = new Array<string | null>(n);
  const nik = new Array<string | null>(n);
  // Names and dates repeat (and normalising is the slow part for rich normalisers): cache per exchange.
  const nameTokens = new Map<string, string[]>();
  const dateTokens = new Map<string, string[]>();

  for (let i = 0; i < n; i++) {
    const r = records[i];
    const digits = r.nik ? normaliseNik(r.nik) : '';
    nik[i] = digits ? createHmac('sha256', nikKey).update(digits).digest(nikEncoding) : null;

    let tokens: string[] = [];
    if (r.name) {
      tokens = nameTokens.get(r.name) ?? qgrams(normalise(r.name), q);
      if (nameTokens.size < 500_000) nameTokens.set(r.name, tokens);
    }
    encoders.name.addTokens(tokens, mode === 'clk' ? filters.clk : filters.name, i * words);

    const date = r.birthDate ? normaliseBirthDate(r.birthDate) : null;
    if (date) {
      let dateGrams = dateTokens.get(date);
      if (!dateGrams) {
        dateGrams = qgrams(date, q);
        if (dateTokens.size < 500_000) dateTokens.set(date, dateGrams);
      }
      encoders.birthDate.addTokens(dateGrams, mode === 'clk' ? filters.clk : filters.birthDate, i * words);
    }
    for (const b of blockingKeys) blocks[b]![i] = blockingToken(b, date, blockKeys[b]);
  }

  return { version: 1, keyId: keyFingerprint(key), count: n, mode, bits, words, q, hashing, hashes, fields: [...FIELDS], nik, filters, blocks };
}

/** JSON-safe form for sending (filters as base64 of their little-endian words). */
export interface SerializedEncodings extends Omit<EncodedRecords, 'filters'> {
  filters: Record<string, string>;
}

export function serializeEncodings(enc: EncodedRecords): SerializedEncodings {
  const filters: Record<string, string> = {};
  for (const [name, data] of Object.entries(enc.filters)) filters[name] = Buffer.from(toLittleEndian(data)).toString('base64');
  return { ...enc, filters };
}

export function deserializeEncodings(data: SerializedEncodings): EncodedRecords {
  if (data.version !== 1) throw new Error(`unsupported PPRL encoding version ${String(data.version)}`);
  const filters: Record<string, Uint32Array> = {};
  for (const [name, b64] of Object.entries(data.filters)) {
    const bytes = Buffer.from(b64, 'base64');
    if (bytes.length !== data.count * data.words * 4) throw new Error(`filter ${name} has the wrong length`);
    const words = new Uint32Array(data.count * data.words);
    for (let i = 0; i < words.length; i++) words[i] = bytes.readUInt32LE(i * 4);
    filters[name] = words;
  }
  return { ...data, filters };
}

function toLittleEndian(words: Uint32Array): Uint8Array {
  const out = Buffer.alloc(words.length * 4);
  for (let i = 0; i < words.length; i++) out.writeUInt32LE(words[i], i * 4);
  return out;
}

function assertCompatible(a: EncodedRecords, b: EncodedRecords): void {
  if (a.keyId !== b.keyId) throw new Error('the two encodings were made with different keys');
  const same = a.mode === b.mode && a.bits === b.bits && a.q === b.q && a.hashing === b.hashing && FIELDS.every((f) => a.hashes[f] === b.hashes[f]);
  if (!same) throw new Error('the two encodings were made with different options (mode, bits, q, hashing or hashes)');
}

/**
 * Finds the pairs of records that are probably the same person. Candidate pairs come from equal
 * NIK codes and equal blocking tokens (by default the birth date with day and month in either
 * order), optionally also from LSH on the filters — never from all n×m pairs. A typo'd name is
 * found through the blocks it still shares, then scored on its filters.
 */
export function matchEncodings(mine: EncodedRecords, theirs: EncodedRecords, options: MatchOptions = {}): MatchResult {
  const scorer = new PairScorer(mine, theirs, options);
  scorer.countAll();
  const best = new Map<number, MatchedPair>();
  const nTheirs = theirs.count;
  const words = mine.words;
  const filterNames = mine.mode === 'clk' ? ['clk'] : FIELDS;

  const score = (i: number, j: number): void => {
    const pair = scorer.score(i, j, false);
    // Several blocks may propose the same pair: the map keeps one entry per pair.
    if (pair) best.set(i * nTheirs + j, pair);
  };

  // 1. Exact keyed codes: NIK and the blocking tokens both sides sent.
  const exactKeys: (string | null)[][][] = [[mine.nik, theirs.nik]];
  for (const b of Object.keys(mine.blocks) as BlockingKey[]) {
    const x = mine.blocks[b];
    const y = theirs.blocks[b];
    if (x && y) exactKeys.push([x, y]);
  }
  for (const [x, y] of exactKeys) {
    const index = new Map<string, number[]>();
    for (let j = 0; j < y.length; j++) {
      const k = y[j];
      if (k === null) continue;
      const list = index.get(k);
      if (list) list.push(j);
      else index.set(k, [j]);
    }
    for (let i = 0; i < x.length; i++) {
      const k = x[i];
      if (k === null) continue;
      const list = index.get(k);
      if (list) for (const j of list) score(i, j);
    }
  }

  // 2. Hamming LSH: records whose filters agree on all `rows` sampled bits of a band meet.
  let skippedBuckets = 0;
  if (options.lsh) {
    if (mine.count > LSH_MAX_RECORDS || theirs.count > LSH_MAX_RECORDS) throw new RangeError(`LSH handles at most ${LSH_MAX_RECORDS} records per side`);
    const lsh = options.lsh;
    const bands = lsh.bands ?? 24;
    const rows = Math.min(lsh.rows ?? 24, 31);
    const maxBucketPairs = lsh.maxBucketPairs ?? 20_000;
    // In fields mode a position reads the OR of the field filters: like a CLK, a band then holds
    // name and date bits together, so common names alone do not make huge buckets.
    const positions = lshPositions(mine.bits, bands * rows, lsh.seed ?? 0x5151);
    const mineFilters = filterNames.map((f) => mine.filters[f]);
    const theirFilters = filterNames.map((f) => theirs.filters[f]);
    for (let band = 0; band < bands; band++) {
      const bandBits = BandBits.of(positions.subarray(band * rows, band * rows + rows));
      const a = bandKeys(mineFilters, mine.count, words, bandBits);
      const b = bandKeys(theirFilters, theirs.count, words, bandBits);
      skippedBuckets += joinSorted(a, b, maxBucketPairs, score);
    }
  }

  let pairs = [...best.values()];
  if (options.oneToOne) {
    pairs.sort((p, q) => q.score - p.score || (q.nik ? 1 : 0) - (p.nik ? 1 : 0));
    const usedMine = new Set<number>();
    const usedTheirs = new Set<number>();
    pairs = pairs.filter((p) => {
      if (usedMine.has(p.mine) || usedTheirs.has(p.theirs)) return false;
      usedMine.add(p.mine);
      usedTheirs.add(p.theirs);
      return true;
    });
  }
  pairs.sort((p, q) => p.mine - q.mine || p.theirs - q.theirs);
  return {
    pairs,
    overlap: new Set(pairs.map((p) => p.mine)).size,
    theirsMatched: new Set(pairs.map((p) => p.theirs)).size,
    comparisons: scorer.comparisons,
    skippedBuckets,
  };
}

/**
 * Scores one pair as matchEncodings does, whether or not it matches: to explain a pair (each
 * field's Dice in fields mode) or to check a pair found some other way.
 */
export function comparePair(mine: EncodedRecords, i: number, theirs: EncodedRecords, j: number, options: MatchOptions = {}): MatchedPair & { match: boolean } {
  const scorer = new PairScorer(mine, theirs, options);
  scorer.countRecord('mine', i);
  scorer.countRecord('theirs', j);
  const pair = scorer.score(i, j, true)!;
  return { ...pair, match: scorer.score(i, j, false) !== null };
}

/** The pair decision, shared by matchEncodings and comparePair. */
class PairScorer {
  comparisons = 0;
  private readonly threshold: number;
  private readonly nikThreshold: number;
  private readonly nikMismatchThreshold: number;
  private readonly weights: Record<PprlField, number>;
  private readonly missingScore: number;
  private readonly minimum: Record<PprlField, number>;
  private readonly filterNames: string[];
  // Bits set per record and filter (countAll / countRecord): a pair then only needs popcount(a & b).
  private readonly mineCounts: Uint16Array[];
  private readonly theirCounts: Uint16Array[];

  constructor(
    private readonly mine: EncodedRecords,
    private readonly theirs: EncodedRecords,
    options: MatchOptions,
  ) {
    assertCompatible(mine, theirs);
    this.threshold = options.threshold ?? 0.8;
    this.nikThreshold = options.nikThreshold ?? 0.5;
    this.nikMismatchThreshold = options.nikMismatchThreshold ?? 0.9;
    this.weights = { name: 1, birthDate: 1, ...options.weights };
    this.missingScore = options.missingScore ?? 0.5;
    this.minimum = { name: 0.7, birthDate: 0, ...options.minimum };
    this.filterNames = mine.mode === 'clk' ? ['clk'] : FIELDS;
    this.mineCounts = this.filterNames.map(() => new Uint16Array(mine.count));
    this.theirCounts = this.filterNames.map(() => new Uint16Array(theirs.count));
  }

  countRecord(side: 'mine' | 'theirs', i: number): void {
    const enc = side === 'mine' ? this.mine : this.theirs;
    const counts = side === 'mine' ? this.mineCounts : this.theirCounts;
    for (let f = 0; f < this.filterNames.length; f++) counts[f][i] = popcount(enc.filters[this.filterNames[f]], i * enc.words, enc.words);
  }

  countAll(): void {
    for (let i = 0; i < this.mine.count; i++) this.countRecord('mine', i);
    for (let j = 0; j < this.theirs.count; j++) this.countRecord('theirs', j);
  }

  /** The pair, or null when it does not match (unless `always`). */
  score(i: number, j: number, always: boolean): MatchedPair | null {
    const { mine, theirs } = this;
    const words = mine.words;
    const a = mine.nik[i];
    const b = theirs.nik[j];
    const nik = a && b ? a === b : null;
    const needed = nik === true ? this.nikThreshold : nik === false ? this.nikMismatchThreshold : this.threshold;
    if (mine.mode === 'clk') {
      const pa = this.mineCounts[0][i];
      const pb = this.theirCounts[0][j];
      // Dice is at most 2·min/sum: filters of very different fullness cannot match; skip the AND.
      if (!always && (pa + pb === 0 || (2 * Math.min(pa, pb)) / (pa + pb) < needed)) return null;
      this.comparisons++;
      const score = pa + pb === 0 ? 0 : (2 * commonBits(mine.filters.clk, theirs.filters.clk, i * words, j * words, words)) / (pa + pb);
      return always || score >= needed ? { mine: i, theirs: j, score, nik } : null;
    }
    // Fields mode with two fields, unrolled: this runs millions of times, so no allocation
    // unless the pair is returned, and an upper bound first (Dice ≤ 2·min/sum per field).
    const wName = this.weights.name;
    const wDate = this.weights.birthDate;
    const na = this.mineCounts[0][i];
    const nb = this.theirCounts[0][j];
    const da = this.mineCounts[1][i];
    const db = this.theirCounts[1][j];
    const nameKnown = na > 0 && nb > 0;
    const dateKnown = da > 0 && db > 0;
    const weight = wName + wDate;
    if (!always && weight > 0) {
      const nameBound = nameKnown ? (2 * Math.min(na, nb)) / (na + nb) : this.missingScore;
      const dateBound = dateKnown ? (2 * Math.min(da, db)) / (da + db) : this.missingScore;
      if ((wName * nameBound + wDate * dateBound) / weight < needed) return null;
    }
    this.comparisons++;
    const name = nameKnown ? (2 * commonBits(mine.filters.name, theirs.filters.name, i * words, j * words, words)) / (na + nb) : -1;
    const date = dateKnown ? (2 * commonBits(mine.filters.birthDate, theirs.filters.birthDate, i * words, j * words, words)) / (da + db) : -1;
    const score = weight === 0 ? 0 : (wName * (nameKnown ? name : this.missingScore) + wDate * (dateKnown ? date : this.missingScore)) / weight;
    if (!always && score < needed) return null;
    const floorsMet = nik === true || ((!nameKnown || name >= this.minimum.name) && (!dateKnown || date >= this.minimum.birthDate));
    if (!always && !floorsMet) return null;
    const fields: Partial<Record<PprlField, number>> = {};
    if (nameKnown) fields.name = name;
    if (dateKnown) fields.birthDate = date;
    return { mine: i, theirs: j, score, nik, fields };
  }
}

/** Bit positions from a small seeded generator: both sides' filters are sampled alike (they need not be secret). */
function lshPositions(bits: number, count: number, seed: number): Uint32Array {
  const out = new Uint32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = Math.floor((state / 4294967296) * bits);
  }
  return out;
}

/** A band's sampled bits, resolved once to (word, shift) so the per-record loop only reads. */
class BandBits {
  private constructor(
    readonly word: Uint16Array,
    readonly shift: Uint8Array,
  ) {}

  static of(positions: Uint32Array): BandBits {
    const n = positions.length;
    const band = new BandBits(new Uint16Array(n), new Uint8Array(n));
    for (let r = 0; r < n; r++) {
      band.word[r] = positions[r] >>> 5;
      band.shift[r] = positions[r] & 31;
    }
    return band;
  }
}

/** Per record: key = the band's bits as a number; returned as a sorted array of key·2^21 + index. */
function bandKeys(filters: Uint32Array[], count: number, words: number, band: BandBits): Float64Array {
  const out = new Float64Array(count);
  const { word: wordOf, shift: shiftOf } = band;
  const rows = wordOf.length;
  const first = filters[0];
  const second = filters.length > 1 ? filters[1] : null;
  for (let i = 0; i < count; i++) {
    const base = i * words;
    let key = 0;
    let empty = true;
    for (let r = 0; r < rows; r++) {
      const w = base + wordOf[r];
      const bit = ((second === null ? first[w] : first[w] | second[w]) >>> shiftOf[r]) & 1;
      key = key * 2 + bit;
      if (bit) empty = false;
    }
    // A record with no bits in the band (an empty filter) must not meet every other empty one.
    out[i] = empty ? -1 : key * LSH_MAX_RECORDS + i;
  }
  return out.sort();
}

function joinSorted(a: Float64Array, b: Float64Array, maxPairs: number, visit: (i: number, j: number) => void): number {
  let skipped = 0;
  let x = 0;
  let y = 0;
  while (x < a.length && a[x] < 0) x++;
  while (y < b.length && b[y] < 0) y++;
  while (x < a.length && y < b.length) {
    const ka = Math.floor(a[x] / LSH_MAX_RECORDS);
    const kb = Math.floor(b[y] / LSH_MAX_RECORDS);
    if (ka < kb) x++;
    else if (ka > kb) y++;
    else {
      let xe = x;
      while (xe < a.length && Math.floor(a[xe] / LSH_MAX_RECORDS) === ka) xe++;
      let ye = y;
      while (ye < b.length && Math.floor(b[ye] / LSH_MAX_RECORDS) === kb) ye++;
      if ((xe - x) * (ye - y) > maxPairs) skipped++;
      else {
        for (let s = x; s < xe; s++) {
          const i = a[s] % LSH_MAX_RECORDS;
          for (let t = y; t < ye; t++) visit(i, b[t] % LSH_MAX_RECORDS);
        }
      }
      x = xe;
      y = ye;
    }
  }
  return skipped;
}
