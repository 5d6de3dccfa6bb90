/**
 * Text normalisation for region search. The same function produces the stored `search_name`
 * and the text a query is compared with, so whatever it folds together (case, accents,
 * punctuation, abbreviations, old spellings) matches in both directions.
 *
 * Bump NORMALIZER_VERSION whenever the output changes for any input: the reference loader
 * then recomputes every stored `search_name` on the next start.
 */
export const NORMALIZER_VERSION = 1;

/** Abbreviations people type for administrative words and province names. */
const ABBREVIATIONS = new Map<string, string>(Object.entries({
  kab: 'kabupaten',
  kec: 'kecamatan',
  kel: 'kelurahan',
  prov: 'provinsi',
  prop: 'provinsi',
  propinsi: 'provinsi',
  kep: 'kepulauan',
  dki: 'daerah khusus ibukota',
  diy: 'daerah istimewa yogyakarta',
  ntb: 'nusa tenggara barat',
  ntt: 'nusa tenggara timur',
  jabar: 'jawa barat',
  jateng: 'jawa tengah',
  jatim: 'jawa timur',
  sumut: 'sumatera utara',
  sumbar: 'sumatera barat',
  sumsel: 'sumatera selatan',
  kalbar: 'kalimantan barat',
  kalteng: 'kalimantan tengah',
  kalsel: 'kalimantan selatan',
  kaltim: 'kalimantan timur',
  kaltara: 'kalimantan utara',
  sulut: 'sulawesi utara',
  sulteng: 'sulawesi tengah',
  sulsel: 'sulawesi selatan',
  sultra: 'sulawesi tenggara',
  sulbar: 'sulawesi barat',
  babel: 'kepulauan bangka belitung',
  kepri: 'kepulauan riau',
  // "Sumatra" is the common international spelling of the official "Sumatera".
  sumatra: 'sumatera',
}));

/**
 * Spellings from before the 1972 reform (EYD) mapped to today's: Soerabaja → Surabaya,
 * Tjilatjap → Cilacap, Djakarta → Jakarta, Bandoeng → Bandung, Atjeh → Aceh, Chairul → Khairul.
 * Old "j" is today's "y" while old "dj" is today's "j", so j and y cannot be told apart and still
 * match: today's "y" folds into "j" (Yogyakarta → jogjakarta, which Djogjakarta and Jogja also
 * become). That also folds "ny"/"nj" and "sy"/"sj" together, as the old spellings require.
 */
const OLD_SPELLING = /oe|dj|tj|ch|y/g;
const HAS_OLD_SPELLING = /oe|dj|tj|ch|y/;
const MODERN: Record<string, string> = { oe: 'u', dj: 'j', tj: 'c', ch: 'kh', y: 'j' };

/** Lower-cased, accent-free, punctuation-free, abbreviations expanded, old spellings folded. */
export function normalizeName(text: string): string {
  // Nearly every name is plain ASCII: skip Unicode decomposition for those (the loader runs this 90k times).
  const plain = /^[\x20-\x7e]*$/.test(text) ? text : text.normalize('NFKD').replace(/\p{M}+/gu, '');
  const words = plain
    .toLowerCase()
    // Apostrophes inside a name join its parts: Regapu’u and Regapu'u are one word.
    .replace(/['’‘`´]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  const expanded = words.map((word, i) =>
    // "DI Yogyakarta": only as the first word, since "di" is also the everyday word "in".
    word === 'di' && i === 0 && words.length > 1 ? 'daerah istimewa' : (ABBREVIATIONS.get(word) ?? word),
  );
  let out = expanded.join(' ');
  // Folding can create a new match ("tdj" → "tj", "ty" → "tj"): repeat until nothing changes,
  // so that normalising twice gives what normalising once gave.
  while (HAS_OLD_SPELLING.test(out)) out = out.replace(OLD_SPELLING, (m) => MODERN[m]);
  return out;
}

/** Words that only say which level the user means; stored names of that level do not contain them. */
const LEVEL_WORDS = new Map<string, 1 | 3 | 4>([
  ['provinsi', 1],
  ['kecamatan', 3],
  ['distrik', 3],
  ['kelurahan', 4],
  ['desa', 4],
]);

export interface RegionQuery {
  /** What to compare with `search_name`. */
  text: string;
  /** The level the user named ("kecamatan coblong" → 3), when they named one. */
  levelHint?: 1 | 2 | 3 | 4;
}

/**
 * Normalises a search query and reads a level hint from a leading administrative word.
 * "kabupaten"/"kota" stay in the text because regency names are stored with them.
 */
export function parseRegionQuery(raw: string): RegionQuery {
  const text = normalizeName(raw);
  const [first, ...rest] = text.split(' ');
  const level = LEVEL_WORDS.get(first);
  if (level && rest.length > 0) return { text: rest.join(' '), levelHint: level };
  if (first === 'kabupaten' && rest.length > 0) return { text, levelHint: 2 };
  return { text };
}

/**
 * The lowest word similarity (pg_trgm) a name needs to be a candidate for `text`. A typo costs
 * about three of the query's trigrams, and a query has one trigram per letter plus one per word;
 * so a short query needs a low bar to survive one typo ("bandng", "surabya"), while a long one
 * can afford a higher bar that keeps out names sharing one common word ("… barat").
 */
export function wordSimilarityThreshold(text: string): number {
  const trigrams = text.split(' ').reduce((n, word) => n + word.length + 1, 0);
  return Math.round(Math.min(0.7, Math.max(0.5, 1 - 3.5 / trigrams)) * 100) / 100;
}
