/**
 * Indonesian personal names, normalised for fuzzy search and deduplication. Pure, no I/O.
 *
 * The result is stored in a `search_name` column and compared with pg_trgm, so stored names and
 * queries must go through the same function: it is deterministic, locale-independent and stable
 * (normalising twice equals once). Bump NAME_NORMALIZER_VERSION whenever the output can change, and
 * recompute the stored column.
 *
 * Steps, in order:
 *  1. Unicode NFKD, accents dropped, lower case; apostrophes removed inside words (Ma'ruf → maruf).
 *  2. Degrees after a comma: a comma segment that holds a known degree or a dotted abbreviation is
 *     dropped ("Budi Santoso, S.Kom., M.M." → "budi santoso"); any other segment is kept
 *     ("Santoso, Budi" → "santoso budi").
 *  3. Tokens split on spaces and punctuation; dots split a token unless the dotted whole is a known
 *     title or degree ("Dr.Budi" → dr, budi; "S.Kom." stays one).
 *  4. Every token is folded from old spellings to today's: oe→u, dj→j, tj→c, nj→ny, sj→sy, ch→kh.
 *     A token with a strong old-spelling mark (oe, dj, tj, sj) is wholly old spelling, so its other
 *     "j" is a today's "y": Tjahjono → cahyono, Djojohadikoesoemo → joyohadikusumo, Joesoef → yusuf.
 *     (nj is not a mark: Panji and Anjani are written with nj today.)
 *  5. Titles before the name (H., Hj., Dr., Ir., Prof., Tn., Ny., Bpk., Ibu, …) are dropped from the
 *     front; degrees without a comma (S.Kom., M.M., SE, …) from the end; a dotted known degree
 *     anywhere. A name is never emptied: "Ibu" alone stays "ibu".
 *  6. Muhammad written any way (Muhamad, Mohammad, Mochammad, Moch., Moh., Mhd., and M. as the first
 *     token) → "muhammad"; Achmad/Akhmad → "ahmad".
 *  7. Single spaces between tokens.
 */

export const NAME_NORMALIZER_VERSION = 1;

// Titles written before a name (keys: lower case, no dots).
const PREFIX_TITLES = [
  'h', 'hj', 'hjh', 'haji', 'hajjah', 'hajah', 'kh', 'kyai', 'kiai', 'ust', 'ustad', 'ustadz', 'ustaz', 'ustadzah', 'ustazah',
  'dr', 'drg', 'drh', 'drs', 'dra', 'ir', 'prof', 'hc', 'ns', 'apt',
  'tn', 'tuan', 'ny', 'nyonya', 'nn', 'nona', 'sdr', 'sdri', 'saudara', 'saudari',
  'bpk', 'bp', 'bapak', 'pak', 'ibu', 'bu', 'mr', 'mrs', 'ms', 'miss', 'alm', 'almh', 'almarhum', 'almarhumah',
];

// Academic and professional degrees (keys: lower case, no dots).
const DEGREES = [
  // bachelor (S1) and applied (D3/D4)
  'se', 'sh', 'st', 'sp', 'spd', 'spdi', 'skom', 'ssos', 'ssi', 'sip', 'sikom', 'ssn', 'sds', 'spsi', 'sag', 'sked', 'skg',
  'sfarm', 'shum', 'sth', 'stp', 'spt', 'shut', 'skep', 'skm', 'sgz', 'sak', 'sakun', 'sab', 'sars', 'str', 'sst', 'str',
  'ssy', 'shi', 'sei', 'sksi', 'sos', 'ama', 'amd', 'amdkom', 'amdkep', 'amdkeb', 'amdfarm', 'amdak', 'amdpar',
  // master (S2) and doctor (S3)
  'mm', 'msi', 'mkom', 'mt', 'mpd', 'mpdi', 'mhum', 'msn', 'mds', 'mag', 'mkes', 'mh', 'me', 'msc', 'ma', 'mba', 'meng',
  'mikom', 'mak', 'mars', 'mpsi', 'mip', 'mph', 'mphil', 'msos', 'mkn', 'mtr', 'march', 'mfa', 'phd', 'dphil', 'edd',
  'bsc', 'ba', 'beng', 'bba', 'llb', 'llm',
  // specialists and professions
  'spa', 'spog', 'sppd', 'spb', 'spjp', 'spm', 'spkk', 'sps', 'spkj', 'sprad', 'span', 'sptht', 'spthtkl', 'spbs',
  'ak', 'ca', 'cpa', 'cfa', 'cht', 'mcl', 'hc',
];

// Undotted degrees accepted at the end of a name without a comma: short keys that could be part of a
// name (Ma, Ba, Ak, Me, …) count only when written with dots or after a comma.
const UNDOTTED_TRAILING_SHORT = new Set(['se', 'sh', 'st', 'mm', 'mt']);

const MUHAMMAD_FULL = [
  'muhammad', 'muhamad', 'mohammad', 'mohamad', 'mochammad', 'mochamad', 'muchammad', 'muchamad',
  'mokhammad', 'mokhamad', 'mukhammad', 'mukhamad', 'muhammed', 'mohammed', 'mohamed', 'muhamed',
  'muhamat', 'muhammat', 'mohamat', 'mochamat', 'moehammad', 'moehamad',
];
// Abbreviations, recognised as the first token only.
const MUHAMMAD_ABBREVIATED = ['m', 'moch', 'mochd', 'moh', 'mohd', 'mhd', 'muh', 'muhd', 'mhmd', 'mch', 'much'];
const AHMAD = ['ahmad', 'achmad', 'akhmad', 'ahmat', 'achmat', 'akhmat', 'ahmed'];

/** Folds one lower-case, dotless token from old spellings to today's (see step 4). */
export function foldSpelling(token: string): string {
  let current = token;
  for (let i = 0; i < 4; i++) {
    const oldMark = /oe|dj|tj|sj/.test(current);
    // Upper-case placeholders keep the j that dj became apart from the j that means y.
    let next = current.replace(/oe|dj|tj|nj|sj|ch/g, (m) => ({ oe: 'U', dj: 'J', tj: 'C', nj: 'NY', sj: 'SY', ch: 'KH' })[m] ?? m);
    if (oldMark) next = next.replace(/j/g, 'y');
    next = next.toLowerCase();
    if (next === current) break;
    current = next;
  }
  return current;
}

const keySet = (list: string[]) => new Set(list.map(foldSpelling));
const PREFIX_SET = keySet(PREFIX_TITLES);
const DEGREE_SET = keySet(DEGREES);
const MUHAMMAD_FULL_SET = keySet(MUHAMMAD_FULL);
const MUHAMMAD_ABBREVIATED_SET = keySet(MUHAMMAD_ABBREVIATED);
const AHMAD_SET = keySet(AHMAD);

interface Token {
  /** Lower case, letters and digits only, spelling folded. */
  key: string;
  /** Written with a dot (an abbreviation). */
  dotted: boolean;
}

function basicClean(input: string): string {
  return input
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[æ]/g, 'ae')
    .replace(/[ø]/g, 'o')
    .replace(/[đ]/g, 'd')
    .replace(/[ł]/g, 'l')
    .replace(/[ı]/g, 'i')
    .replace(/(\p{L})['’‘`´ʼ](?=\p{L})/gu, '$1');
}

const keyOf = (raw: string) => foldSpelling(raw.replace(/[^\p{L}\p{N}]/gu, ''));
const isKnown = (key: string) => PREFIX_SET.has(key) || DEGREE_SET.has(key);

function tokenize(segment: string): Token[] {
  const tokens: Token[] = [];
  for (const word of segment.split(/[^\p{L}\p{N}.]+/u)) {
    if (!word.replace(/\./g, '')) continue;
    const whole = keyOf(word);
    if (word.includes('.') && isKnown(whole)) {
      tokens.push({ key: whole, dotted: true });
      continue;
    }
    const parts = word.split('.');
    parts.forEach((part, i) => {
      if (!part) return;
      tokens.push({ key: keyOf(part), dotted: i < parts.length - 1 });
    });
  }
  return tokens.filter((t) => t.key);
}

function isDegreeSegment(segment: string): boolean {
  return segment.split(/[^\p{L}\p{N}.]+/u).some((word) => {
    const key = keyOf(word);
    return key !== '' && (DEGREE_SET.has(key) || PREFIX_SET.has(key) || word.includes('.'));
  });
}

function normalizeOnce(input: string): string {
  const [head, ...rest] = basicClean(input).split(',');
  const kept = [head, ...rest.filter((segment) => !isDegreeSegment(segment))];
  let tokens = kept.flatMap(tokenize);
  // A dotted known degree anywhere after the first token ("Budi S.Kom Santoso" is rare but real).
  tokens = tokens.filter((t, i) => !(i > 0 && t.dotted && DEGREE_SET.has(t.key) && tokens.length > 1));
  while (tokens.length > 1 && PREFIX_SET.has(tokens[0].key)) tokens = tokens.slice(1);
  while (tokens.length > 1) {
    const last = tokens[tokens.length - 1];
    const degree = DEGREE_SET.has(last.key) && (last.dotted || last.key.length > 2 || UNDOTTED_TRAILING_SHORT.has(last.key));
    if (!degree) break;
    tokens = tokens.slice(0, -1);
  }
  const words = tokens.map((t, i) => {
    if (MUHAMMAD_FULL_SET.has(t.key)) return 'muhammad';
    if (i === 0 && tokens.length > 1 && MUHAMMAD_ABBREVIATED_SET.has(t.key)) return 'muhammad';
    if (AHMAD_SET.has(t.key)) return 'ahmad';
    return t.key;
  });
  return words.join(' ');
}

/** The normalised form of a personal name (see the steps above); "" for a name with no letters. */
export function normalizePersonName(name: string): string {
  let current = normalizeOnce(name);
  // Each rule only removes or shortens, so this settles at once; the loop makes stability a guarantee.
  for (let i = 0; i < 4; i++) {
    const next = normalizeOnce(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

/** The normalised tokens of a name, in their order. */
export function nameTokens(name: string): string[] {
  const normalized = normalizePersonName(name);
  return normalized ? normalized.split(' ') : [];
}

/**
 * A compact blocking key for deduplication: the distinct tokens, sorted and joined with a space,
 * leaving out "muhammad" and one-letter initials when other tokens remain (they are the parts people
 * drop or abbreviate). "M. Rizki Pratama", "Pratama, Rizki" and "Muhammad R. Rizki Pratama"… all
 * share "pratama rizki". Candidates found by the key are then compared with trigramSimilarity.
 */
export function nameKey(name: string): string {
  const tokens = [...new Set(nameTokens(name))];
  const core = tokens.filter((t) => t !== 'muhammad' && t.length > 1);
  return (core.length ? core : tokens).sort().join(' ');
}

/** pg_trgm's trigrams of a string: each word padded with two spaces before and one after. */
export function trigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!word) continue;
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  }
  return out;
}

/**
 * pg_trgm's `similarity(a, b)` computed in JavaScript (shared trigrams over all distinct trigrams),
 * for comparing rows of an import file with each other before they reach the database. Pass
 * normalised names to compare the way search does.
 */
export function trigramSimilarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared);
}
