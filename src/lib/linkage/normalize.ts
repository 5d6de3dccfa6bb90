/**
 * Normalisation of Indonesian personal names and addresses for record linkage. Pure, no I/O,
 * no imports.
 *
 * Names go through small composable steps; `normalizeName` runs them all:
 *  1. `cleanText`: Unicode NFKD, accents dropped, lower case, apostrophes inside words removed
 *     (Ma'ruf → maruf).
 *  2. `stripTitles`: titles before the name (H., Hj., Dr., Ir., Prof., KH., Tgk., R., Rr., Ny., Bpk.,
 *     Ibu, …) and degrees after it (S.Kom., M.M., A.Md., Lc., …, also after commas:
 *     "Budi Santoso, S.Kom., M.M.") are removed. A name is never emptied: "Ibu" alone stays "ibu".
 *  3. `foldOldSpelling` per token: pre-1972 spellings to today's (oe→u, dj→j, tj→c, sj→sy, nj→ny,
 *     ch→kh; see that function for when nj and ch are folded and when "j" means "y").
 *  4. `canonicalToken` per token: Muhammad and Abdul written any way become "muhammad" / "abdul";
 *     glued Arabic forms are split ("abdurrahman" → "abdul rahman").
 *  5. `collapseRepeatedLetters(…, 2)`: three or more of the same letter become two ("Siiiti" →
 *     "siiti"), keeping the doubles that are real spellings (Muhammad, Annisa, Hasanuddin).
 *     Single versus double letters (Anisa/Annisa) is the phonetic key's job, not this one's.
 *  6. Single spaces between tokens; only letters remain (digits and punctuation are dropped).
 *
 * Nothing is ever invented: a single-name person ("Sukarno", "Ngatini") stays one token, and no
 * family name is inferred. The output is stable: normalising twice equals normalising once.
 *
 * Addresses: `normalizeAddress` expands the usual abbreviations (Jl./Jln. → jalan, Gg. → gang,
 * No. → nomor, Kel. → kelurahan, Kec. → kecamatan, Kab. → kabupaten, …) and pulls RT/RW out into
 * numbers, whatever way they were written.
 */

// ---------------------------------------------------------------------------------------------
// Step 1: clean

const ASCII_ONLY = /^[ -~]*$/; // printable ASCII
const ASCII_APOSTROPHE_INSIDE_WORD = /([a-z])['`](?=[a-z])/g;

/**
 * Lower case, accents removed (NFKD then combining marks dropped), a few letters without a
 * decomposition mapped (ß, æ, ø, đ, ł, ı), apostrophes and backticks inside words removed so
 * "Ma'ruf" and "Maruf" meet. Punctuation is kept here: the title stripper needs the dots and
 * commas.
 */
export function cleanText(raw: string): string {
  // Fast path for plain ASCII (most input): no accents to remove, no special letters to map.
  if (ASCII_ONLY.test(raw)) return raw.toLowerCase().replace(ASCII_APOSTROPHE_INSIDE_WORD, '$1');
  return raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/đ/g, 'd')
    .replace(/ł/g, 'l')
    .replace(/ı/g, 'i')
    .replace(/(\p{L})['’‘`´ʼ](?=\p{L})/gu, '$1');
}

// ---------------------------------------------------------------------------------------------
// Step 2: titles and degrees

// Titles written before a name. Keys are lower case without dots.
const PREFIX_TITLES = new Set([
  // religious: Haji/Hajjah, Kyai Haji, Teungku (Aceh), ustadz
  'h', 'hj', 'hjh', 'haji', 'hadji', 'hajjah', 'hajah', 'kh', 'kyai', 'kiai', 'tgk', 'teungku', 'ust', 'ustad', 'ustadz', 'ustaz',
  'ustadzah', 'ustazah',
  // academic and professional: Dr. and dr. (physician), drg. (dentist), Drs./Dra. (old bachelor), Ir., Prof.
  'dr', 'drg', 'drh', 'drs', 'dra', 'ir', 'prof', 'ns', 'apt',
  // Javanese nobility: Raden, Raden Roro, Raden Ajeng, Raden Mas
  'r', 'rr', 'raden', 'ra', 'rm', 'rmh',
  // forms of address
  'tn', 'tuan', 'ny', 'nyonya', 'nn', 'nona', 'sdr', 'sdri', 'saudara', 'saudari', 'bpk', 'bp', 'bapak', 'pak', 'ibu', 'bu',
  'mr', 'mrs', 'ms', 'miss',
  // the late …
  'alm', 'almh', 'almarhum', 'almarhumah',
]);

// Single-letter and short titles that are also initials or names: removed only when written with a
// dot ("R. Ajeng" but not "Ra Ajeng"; "H. Budi" and "H Budi" both, as H. is overwhelmingly Haji;
// "Pak Budi" and "Bu Ani" both, as they are hardly ever written with a dot).
const PREFIX_TITLES_NEEDING_DOT = new Set(['r', 'ra', 'rm', 'ms', 'ns']);

// Academic and professional degrees. Keys are lower case without dots.
const DEGREES = new Set([
  // bachelor (S1) and diploma (D3/D4)
  'se', 'sh', 'st', 'sp', 'spd', 'spdi', 'skom', 'ssos', 'ssi', 'sip', 'sikom', 'ssn', 'sds', 'spsi', 'sag', 'sked', 'skg',
  'sfarm', 'shum', 'sth', 'stp', 'spt', 'shut', 'skep', 'skm', 'sgz', 'sak', 'sakun', 'sab', 'sars', 'str', 'sst', 'ssy',
  'shi', 'sei', 'sksi', 'sos', 'ama', 'amd', 'amdkom', 'amdkep', 'amdkeb', 'amdfarm', 'amdak', 'amdpar', 'lc',
  // master (S2) and doctor (S3)
  'mm', 'msi', 'mkom', 'mt', 'mpd', 'mpdi', 'mhum', 'msn', 'mds', 'mag', 'mkes', 'mh', 'me', 'msc', 'ma', 'mba', 'meng',
  'mikom', 'mak', 'mars', 'mpsi', 'mip', 'mph', 'mphil', 'msos', 'mkn', 'mtr', 'mfa', 'phd', 'dphil', 'edd',
  'bsc', 'ba', 'beng', 'bba', 'llb', 'llm', 'hc',
  // medical specialists and professions
  'spa', 'spog', 'sppd', 'spb', 'spjp', 'spm', 'spkk', 'sps', 'spkj', 'sprad', 'span', 'sptht', 'spthtkl', 'spbs',
  'ak', 'ca', 'cpa', 'cfa',
]);

// Undotted degrees accepted at the end of a name without a comma. Other short keys could be name
// parts (Ma, Ba, Ak, Me, Lc…) and count only when written with dots or after a comma.
const UNDOTTED_TRAILING_DEGREES = new Set(['se', 'sh', 'st', 'mm', 'mt', 'spd', 'skom', 'ssos', 'amd', 'msi', 'mkom', 'sag', 'mpd']);

interface RawToken {
  /** Lower case, letters and digits only (no spelling folded yet). */
  key: string;
  /** Written with a dot right after it (an abbreviation). */
  dotted: boolean;
}

// The tokeniser runs on every name of every record, so the plain lower-case words that make up
// most names take fast paths (a regex test) before any Unicode-aware replace.
const PLAIN_WORD = /^[a-z]+$/;
const WORD_SEPARATORS = /[^\p{L}\p{N}.]+/u;
const keyOf = (word: string) => (PLAIN_WORD.test(word) ? word : word.replace(/[^\p{L}\p{N}]/gu, ''));
const isTitleOrDegree = (key: string) => PREFIX_TITLES.has(key) || DEGREES.has(key);

/** Splits a comma segment into tokens, keeping dotted titles and degrees ("s.kom.", "a.md.") whole. */
function tokenizeSegment(segment: string): RawToken[] {
  const tokens: RawToken[] = [];
  for (const word of segment.split(WORD_SEPARATORS)) {
    const whole = keyOf(word);
    if (!whole) continue;
    if (!word.includes('.')) {
      tokens.push({ key: whole, dotted: false });
      continue;
    }
    if (isTitleOrDegree(whole)) {
      tokens.push({ key: whole, dotted: true });
      continue;
    }
    // "Dr.Budi" is two tokens; "B.Santoso" too.
    const parts = word.split('.');
    for (let i = 0; i < parts.length; i++) {
      const key = keyOf(parts[i]);
      if (key) tokens.push({ key, dotted: i < parts.length - 1 });
    }
  }
  // "S. Kom." and "A. Md." typed with a space: merge a dotted letter with the next dotted part when
  // together they form a known degree.
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (!tokens[i].dotted || tokens[i].key.length !== 1 || !tokens[i + 1].dotted) continue;
    const merged = tokens[i].key + tokens[i + 1].key;
    if (DEGREES.has(merged)) tokens.splice(i, 2, { key: merged, dotted: true });
  }
  return tokens;
}

/** A comma segment made of degrees or dotted abbreviations ("S.Kom.", " M.M.", "SH") is dropped. */
function isDegreeSegment(segment: string): boolean {
  const words = segment.split(WORD_SEPARATORS).filter((word) => keyOf(word));
  if (words.length === 0) return true;
  // A dotted single letter is an initial ("Santoso, B."), not a degree.
  return words.every((word) => {
    const key = keyOf(word);
    return DEGREES.has(key) || PREFIX_TITLES.has(key) || (word.includes('.') && key.length > 1);
  });
}

function isPrefixTitle(token: RawToken): boolean {
  if (PREFIX_TITLES.has(token.key)) return token.dotted || !PREFIX_TITLES_NEEDING_DOT.has(token.key);
  // A dotted degree written first ("A.Md. Rini", from forms that put it there); but a leading
  // "St." is Siti abbreviated ("St. Nurbaya"), not the S.T. degree.
  return token.dotted && token.key.length > 1 && token.key !== 'st' && DEGREES.has(token.key);
}

// "(Alm.)" / "almarhumah" after a name: the late …
const TRAILING_MARKERS = new Set(['alm', 'almh', 'almarhum', 'almarhumah']);

function isTrailingDegree(token: RawToken): boolean {
  if (TRAILING_MARKERS.has(token.key)) return true;
  return DEGREES.has(token.key) && (token.dotted || UNDOTTED_TRAILING_DEGREES.has(token.key));
}

function stripTitleTokens(text: string): string[] {
  // Plain loops rather than flatMap/filter chains: this runs once or twice per record.
  const segments = text.split(',');
  let tokens = tokenizeSegment(segments[0]);
  // "Santoso, Budi" keeps its second segment; "Budi Santoso, S.Kom., M.M." drops the degrees.
  for (let s = 1; s < segments.length; s++) {
    if (!isDegreeSegment(segments[s])) tokens = tokens.concat(tokenizeSegment(segments[s]));
  }
  let start = 0;
  let end = tokens.length;
  // Never empty a name: at least one token always stays.
  while (end - start > 1 && isPrefixTitle(tokens[start])) start++;
  while (end - start > 1 && isTrailingDegree(tokens[end - 1])) end--;
  const keys: string[] = [];
  for (let i = start; i < end; i++) {
    const token = tokens[i];
    // A dotted degree in the middle ("Budi S.Kom Santoso" happens when fields are glued).
    if (i > start && i < end - 1 && token.dotted && token.key.length > 1 && DEGREES.has(token.key)) continue;
    keys.push(token.key);
  }
  return keys;
}

/**
 * Removes titles and degrees from a name and returns its remaining tokens joined by single spaces,
 * cleaned (lower case, no accents, no punctuation) but with spelling untouched.
 *
 * @example stripTitles('Prof. Dr. Ir. H. Budi Santoso, M.Sc.') // 'budi santoso'
 * @example stripTitles('Hj. Siti Aminah S.Pd.') // 'siti aminah'
 * @example stripTitles('Ibu') // 'ibu' (never emptied)
 */
export function stripTitles(raw: string): string {
  return stripTitleTokens(cleanText(raw)).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Step 3: old spellings

// Old-spelling marks that only pre-1972 (Van Ophuijsen / Soewandi) spelling produces.
const OLD_SPELLING_MARK = /oe|dj|tj|sj/;

// "ch" at the start of a token is kept as "c" for these non-Arabic names (Sanskrit, Chinese,
// European) where it was never a "kh" sound: Chandra = Candra, Chen, Chong.
const CH_AS_C = new Set([
  'chandra', 'candra', 'chan', 'chen', 'cheng', 'chang', 'chong', 'chung', 'chua', 'chiu', 'chou', 'chow', 'chai', 'chin',
  'charles', 'charlie', 'chatarina', 'chaterine', 'chika', 'chiko', 'chelsea', 'cheryl',
]);

const MAY_NEED_FOLDING = /oe|dj|tj|sj|nj|ch/;

// Foreign names where "oe" is not the old spelling of u (and their j is not a y).
const OE_NOT_OLD_SPELLING = new Set(['joe', 'joel', 'joey', 'noel', 'zoe', 'zoey', 'chloe', 'phoebe', 'monroe']);

/**
 * Folds one lower-case token from old (pre-1972 EYD) spellings to today's:
 * - oe → u, dj → j, tj → c, sj → sy (always: only old spelling writes these).
 * - A token with one of those marks is old spelling throughout, so its other "j" was a "y":
 *   Tjahjono → cahyono, Djojohadikoesoemo → joyohadikusumo, Joesoef → yusuf.
 * - nj → ny only at the start of a token (Njoman → nyoman; no today's word starts with nj) or in an
 *   old-spelling token (Soenjoto → sunyoto). Panji, Anjani and Banjar are today's spellings and stay.
 * - ch → kh, the old way of writing the Arabic kh (Chairul → khairul, Achmad → akhmad, Cholid →
 *   kholid), except where "ch" is not an Arabic sound: at the start before e, i or y it becomes c
 *   (Chintya → cintya), "chr"/"chl" become "kr"/"kl" (Christina → kristina), and a short list of
 *   non-Arabic names keeps c (Chandra → candra, Chen → cen). Inside a word ch is always kh
 *   (Rachmat → rakhmat): the phonetic key treats kh like h, so Rachmat, Rakhmat and Rahmat meet
 *   there. Why not ch → c everywhere: Arabic names are the large majority of Indonesian names
 *   with "ch", and for them the kh reading is the one that matches today's spelling.
 * - A few foreign names with "oe" (Joel, Noel, Zoe, Chloe) are not old spelling and keep it.
 */
export function foldOldSpelling(token: string): string {
  // Fast path: most tokens have nothing to fold.
  if (!MAY_NEED_FOLDING.test(token)) return token;
  if (OE_NOT_OLD_SPELLING.has(token)) return foldCh(token).toLowerCase();
  let current = token;
  // Repeat until stable so folding twice equals folding once.
  for (let round = 0; round < 4; round++) {
    const oldToken = OLD_SPELLING_MARK.test(current);
    // Upper-case placeholders keep the j that came from dj apart from a j that means y.
    let next = current.replace(/oe|dj|tj|sj/g, (m) => ({ oe: 'U', dj: 'J', tj: 'C', sj: 'SY' })[m] ?? m);
    if (oldToken) next = next.replace(/nj/g, 'NY').replace(/j/g, 'y');
    else if (next.startsWith('nj')) next = 'NY' + next.slice(2);
    next = foldCh(next).toLowerCase();
    if (next === current) break;
    current = next;
  }
  return current;
}

function foldCh(token: string): string {
  if (!token.includes('ch')) return token;
  let rest = token;
  let head = '';
  if (token.startsWith('ch')) {
    const lower = token.toLowerCase();
    if (CH_AS_C.has(lower)) return 'C' + token.slice(2);
    const next = token.charAt(2);
    if (next === 'r' || next === 'l') head = 'K';
    else if (next === 'e' || next === 'i' || next === 'y') head = 'C';
    else head = 'KH';
    rest = token.slice(2);
  }
  return head + rest.replace(/ch/g, 'KH');
}

// ---------------------------------------------------------------------------------------------
// Step 4: canonical Muhammad / Abdul

const MUHAMMAD_FULL = [
  'muhammad', 'muhamad', 'mohammad', 'mohamad', 'mochammad', 'mochamad', 'muchammad', 'muchamad', 'mokhammad', 'mokhamad',
  'mukhammad', 'mukhamad', 'muhammed', 'mohammed', 'mohamed', 'muhamed', 'muhamat', 'muhammat', 'mohamat', 'mochamat',
  'moehammad', 'moehamad', 'mohammat',
];
// Abbreviations: Muhammad only as the first token of a longer name ("M. Yamin"), since elsewhere
// "M." is just as likely another name's initial.
const MUHAMMAD_ABBREVIATED = ['m', 'moch', 'mochd', 'moh', 'mohd', 'mhd', 'muh', 'muhd', 'mhmd', 'mch', 'much', 'mokh', 'mukh'];
const AHMAD = ['ahmad', 'achmad', 'akhmad', 'ahmat', 'achmat', 'akhmat', 'ahmed', 'ahmet'];

// Each list holds both the written and the folded form ("mochammad" and "mokhammad"), so
// canonicalToken works on tokens folded or not.
const withFolded = (list: string[]) => new Set([...list, ...list.map(foldOldSpelling)]);
const MUHAMMAD_FULL_SET = withFolded(MUHAMMAD_FULL);
const MUHAMMAD_ABBREVIATED_SET = withFolded(MUHAMMAD_ABBREVIATED);
const AHMAD_SET = withFolded(AHMAD);
const ABDUL_SET = withFolded(['abd', 'abdu', 'abdul', 'abdoel', 'abdol']);

/**
 * Canonical form of one token given its position: Muhammad in any spelling → "muhammad"
 * (abbreviations such as "m", "moch", "moh", "mhd" only as the first of several tokens);
 * "st" as the first of several tokens → "siti";
 * Achmad/Akhmad/Ahmat → "ahmad" (as the product's name search does); "abd", "abdu", "abdoel" →
 * "abdul"; glued Arabic forms are split: "abdurrahman" →
 * "abdul rahman", "abdulaziz" → "abdul aziz" (but "abdullah" stays: it is one name).
 * Returns one or more tokens joined by a space.
 */
export function canonicalToken(token: string, index = 0, tokenCount = 1): string {
  if (MUHAMMAD_FULL_SET.has(token)) return 'muhammad';
  if (index === 0 && tokenCount > 1 && MUHAMMAD_ABBREVIATED_SET.has(token)) return 'muhammad';
  // "St." as the first of several tokens is Siti (St. Nurbaya), as "M." is Muhammad.
  if (index === 0 && tokenCount > 1 && token === 'st') return 'siti';
  if (AHMAD_SET.has(token)) return 'ahmad';
  if (ABDUL_SET.has(token)) return 'abdul';
  if (token.startsWith('abd') && !token.startsWith('abdull')) {
    // Sun letters assimilate the l of "al": abdur-rahman, abdus-salam, abdun-nur, abduz-zaki.
    const assimilated = /^abdu?([rsntdz])\1([a-z]{3,})$/.exec(token);
    if (assimilated) return `abdul ${assimilated[1]}${assimilated[2]}`;
    const glued = /^abdul([a-z]{3,})$/.exec(token);
    if (glued) return `abdul ${glued[1]}`;
  }
  return token;
}

// ---------------------------------------------------------------------------------------------
// Step 5: repeated letters

const TRIPLE_LETTER = /(.)\1\1/;

/**
 * Shortens every run of the same letter to at most `maxRun` letters: with 2 (what normalizeName
 * uses) "siiiti" → "siiti" and "muhammmad" → "muhammad"; with 1 "annisa" → "anisa".
 */
export function collapseRepeatedLetters(text: string, maxRun = 2): string {
  if (maxRun < 1) throw new RangeError('maxRun must be at least 1');
  // Fast path: nothing repeated more than twice, the usual case with the default.
  if (maxRun >= 2 && !TRIPLE_LETTER.test(text)) return text;
  let out = '';
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    run = i > 0 && text[i - 1] === char ? run + 1 : 1;
    if (run <= maxRun) out += char;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The whole pipeline

/**
 * The normalised form of an Indonesian personal name (all steps above); "" for a name without
 * letters.
 *
 * @example normalizeName('Hj. SITI  Aminah, S.Pd.') // 'siti aminah'
 * @example normalizeName('Moch. Djoko Tjahjono') // 'muhammad joko cahyono'
 * @example normalizeName('Abd. Rachman') // 'abdul rakhman'
 * @example normalizeName('Soekarno') // 'sukarno' (a single name stays a single name)
 */
export function normalizeName(raw: string): string {
  let current = normalizeNameOnce(raw);
  // Each step only removes, shortens or splits, so this settles at once; the loop makes
  // idempotence a guarantee (a title revealed by folding, say, is removed on the second pass).
  for (let i = 0; i < 3; i++) {
    const next = normalizeNameOnce(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

function normalizeNameOnce(raw: string): string {
  const tokens = stripTitleTokens(cleanText(raw))
    .map((token) => (PLAIN_WORD.test(token) ? token : token.replace(/[^\p{L}]/gu, '')))
    .filter((token) => token.length > 0)
    .map((token) => collapseRepeatedLetters(foldOldSpelling(token), 2));
  return tokens.map((token, i) => canonicalToken(token, i, tokens.length)).join(' ');
}

/**
 * The normalised tokens of a name, in their order.
 *
 * @example nameTokens('Budi Santoso, S.Kom., M.M.') // ['budi', 'santoso']
 */
export function nameTokens(raw: string): string[] {
  const normalized = normalizeName(raw);
  return normalized ? normalized.split(' ') : [];
}

// ---------------------------------------------------------------------------------------------
// Addresses

/** A normalised address: the text with abbreviations expanded, and RT/RW as numbers. */
export interface NormalizedAddress {
  /** Lower case, abbreviations expanded, punctuation removed, RT/RW taken out, single spaces. */
  text: string;
  /** Rukun Tetangga (neighbourhood) number, or null when the address has none. */
  rt: number | null;
  /** Rukun Warga (hamlet) number, or null when the address has none. */
  rw: number | null;
}

// Abbreviation (no dot) → full word. Only whole words are replaced.
const ADDRESS_WORDS: Record<string, string> = {
  jl: 'jalan', jln: 'jalan', jlan: 'jalan', djalan: 'jalan', djl: 'jalan', jalan: 'jalan',
  gg: 'gang', gang: 'gang',
  no: 'nomor', nmr: 'nomor', nomer: 'nomor', nomor: 'nomor',
  kel: 'kelurahan', kelurahan: 'kelurahan', kelr: 'kelurahan',
  ds: 'desa', desa: 'desa',
  dsn: 'dusun', dusun: 'dusun',
  kec: 'kecamatan', kecamatan: 'kecamatan', kcm: 'kecamatan',
  kab: 'kabupaten', kabupaten: 'kabupaten',
  kota: 'kota', kodya: 'kota', kotamadya: 'kota', kot: 'kota',
  prov: 'provinsi', propinsi: 'provinsi', provinsi: 'provinsi',
  komp: 'kompleks', komplek: 'kompleks', kompleks: 'kompleks',
  perum: 'perumahan', perumahan: 'perumahan',
  blk: 'blok', blok: 'blok',
  kp: 'kampung', kmp: 'kampung', kampung: 'kampung',
};

// RT and RW in the forms seen on forms and KTPs: "RT 03/RW 05", "Rt.3 Rw.5", "RT003/RW005",
// "RT/RW 003/005", "RT.03 RW.05", "rt 3 rw 5", "RT03RW05".
const RT_RW_COMBINED = /\brt\s*[./]?\s*rw\b\.?\s*:?\s*(\d{1,3})\s*[/\-.]\s*(\d{1,3})(?!\d)/;
const RT_PART = /\brt\s*\.?\s*:?\s*(\d{1,3})(?!\d)/;
const RW_PART = /(?<![a-z])rw\s*\.?\s*:?\s*(\d{1,3})(?!\d)/;
// "RT 03/05" without "RW".
const RT_SLASH = /\brt\s*\.?\s*:?\s*(\d{1,3})\s*\/\s*(\d{1,3})(?!\d)/;

/**
 * Normalises an Indonesian address: abbreviations expanded (Jl./Jln. → jalan, Gg. → gang,
 * No. → nomor, Kel. → kelurahan, Kec. → kecamatan, Kab. → kabupaten, Kodya → kota, Ds. → desa,
 * Dsn. → dusun, Komp. → kompleks, Perum. → perumahan, Blk. → blok, Kp. → kampung, Prov. →
 * provinsi), old spellings folded (Tjikini → cikini), RT/RW pulled out as numbers, punctuation
 * removed.
 *
 * @example normalizeAddress('Jl. Merdeka No.12 RT 03/RW 05, Kel. Sukajadi')
 *   // { text: 'jalan merdeka nomor 12 kelurahan sukajadi', rt: 3, rw: 5 }
 * @example normalizeAddress('Gg. Mawar Rt.3 Rw.5') // { text: 'gang mawar', rt: 3, rw: 5 }
 */
export function normalizeAddress(raw: string): NormalizedAddress {
  let text = cleanText(raw);
  let rt: number | null = null;
  let rw: number | null = null;

  const combined = RT_RW_COMBINED.exec(text);
  if (combined) {
    rt = Number(combined[1]);
    rw = Number(combined[2]);
    text = text.replace(RT_RW_COMBINED, ' ');
  } else {
    const rtPart = RT_PART.exec(text);
    const rwPart = RW_PART.exec(text);
    if (rtPart && rwPart) {
      rt = Number(rtPart[1]);
      rw = Number(rwPart[1]);
      text = text.replace(RT_PART, ' ').replace(RW_PART, ' ');
    } else if (!rwPart && RT_SLASH.test(text)) {
      const slash = RT_SLASH.exec(text)!;
      rt = Number(slash[1]);
      rw = Number(slash[2]);
      text = text.replace(RT_SLASH, ' ');
    } else if (rtPart) {
      rt = Number(rtPart[1]);
      text = text.replace(RT_PART, ' ');
    } else if (rwPart) {
      rw = Number(rwPart[1]);
      text = text.replace(RW_PART, ' ');
    }
  }

  const words = text
    // Separate glued abbreviations and numbers: "jl.merdeka", "no.12", "no12".
    .replace(/\./g, ' ')
    .replace(/\b(no|nmr)(\d)/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .map((word) => ADDRESS_WORDS[word] ?? (/^\p{L}+$/u.test(word) ? foldOldSpelling(word) : word));
  return { text: words.join(' '), rt, rw };
}
