/**
 * A phonetic key for Indonesian names: names that sound alike (or are the same name spelt the
 * ways Indonesians spell it) get the same key, for blocking and for a "sounds alike" comparison
 * level. Pure, no I/O. The only import is this library's normaliser.
 *
 * Soundex and Metaphone are built for English and throw away too much (all vowels): "Dewi" and
 * "Dewa", or "Sri" and "Siti", would collide. This key keeps vowels, which carry meaning in
 * Indonesian names, and only merges the spelling variants that really occur.
 *
 * The rules, applied to each token of the normalised name (old spellings already folded:
 * oe→u, dj→j, tj→c, sj→sy, nj→ny, ch→kh), in this order:
 *
 *  1. Letter pairs that write one sound:
 *       hj → hy     Wahju / Wahyu, Rahjat / Rahyat: old spelling wrote y as j, and today's
 *                   spelling never has "hj". Elsewhere j stays j: after r it is ambiguous
 *                   (Surjadi / Suryadi is old spelling, Nurjaman / Nurzaman is Sundanese z), and
 *                   between vowels too (Raja and Raya are different words), so Hidajat / Hidayat
 *                   stay apart unless the name carries another old-spelling mark (oe, dj, tj, sj),
 *                   which makes the normaliser read every j of that word as y.
 *       dz → z      Dzikri / Zikri
 *       dh → d      Ramadhan / Ramadan
 *       th → t      Fathur / Fatur
 *       ts → s      Tsabit / Sabit (Arabic tha)
 *       ph → f      Stephanie / Stefani
 *       sh, sy → s  Shinta / Sinta, Syarif / Sarif
 *       kh → h      Khairul / Hairul (after folding, also Chairul)
 *       gh → g      Ghani / Gani
 *       ck → k      Jackie / Jaki
 *       ae → ai     Khaerul / Khairul (Javanese and Sundanese ae for Arabic ai)
 *  2. Single letters:
 *       q → k       Qomar / Komar
 *       x → ks      Xaverius / Ksaverius
 *       v, f → p    Vina / Fina / Pina, Fitri / Pitri, Yusuf / Yusup (Sundanese f is p)
 *       z → j       Zainal / Jainal, Zulkifli / Julkifli (Sundanese z is j)
 *  3. Endings:
 *       ie, ey, y → i   Sofie / Sofi, Hendry / Hendri
 *       w → u           Firdaw / Firdau (after a vowel only the last letter changes)
 *       vowel + h → vowel   Fatimah / Fatima, Aisyah / Aisya
 *       d → t           Ahmad / Ahmat, Rasyid / Rasyit
 *  4. Doubled letters collapse to one: Muhammad / Muhamad, Annisa / Anisa, Hasanuddin / Hasanudin.
 *
 * What stays apart: every vowel (Dewi / Dewa, Budi / Bada), consonants outside the groups
 * above (Sri / Siti), o / u (Joko / Juku), e / i (Dedi / Didi), c / k (Candra / Kandra).
 *
 * Keys are deterministic and stable for a given normaliser version. A change to these rules
 * changes keys: anything that stores them (blocking indexes) must be rebuilt.
 */
import { foldOldSpelling, normalizeName } from './normalize.ts';

/** Bump when a rule changes the keys it produces; stored keys must then be recomputed. */
export const PHONETIC_KEY_VERSION = 1;

const PAIRS: Array<[RegExp, string]> = [
  [/hj/g, 'hy'],
  [/dz/g, 'z'],
  [/dh/g, 'd'],
  [/th/g, 't'],
  [/ts/g, 's'],
  [/ph/g, 'f'],
  [/s[hy]/g, 's'],
  [/kh/g, 'h'],
  [/gh/g, 'g'],
  [/ck/g, 'k'],
  [/ae/g, 'ai'],
];

const LETTERS: Array<[RegExp, string]> = [
  [/q/g, 'k'],
  [/x/g, 'ks'],
  [/[vf]/g, 'p'],
  [/z/g, 'j'],
];

const PLAIN_TOKEN = /^[a-z]*$/;
const ANY_PAIR = /hj|dz|dh|th|ts|ph|sh|sy|kh|gh|ck|ae/;
const ANY_LETTER = /[qxvfz]/;

/**
 * The phonetic key of one name token (lower case letters; old spellings are folded here too, so
 * a raw token works).
 *
 * @example phoneticToken('djoko') // 'joko'
 * @example phoneticToken('chairul') // 'hairul'
 * @example phoneticToken('muhammad') // 'muhamat'
 */
export function phoneticToken(token: string): string {
  let key = foldOldSpelling(PLAIN_TOKEN.test(token) ? token : token.toLowerCase().replace(/[^a-z]/g, ''));
  // One combined test first: most tokens have none of the pairs or letters (this runs per record).
  if (ANY_PAIR.test(key)) for (const [pattern, replacement] of PAIRS) key = key.replace(pattern, replacement);
  if (ANY_LETTER.test(key)) for (const [pattern, replacement] of LETTERS) key = key.replace(pattern, replacement);
  // Endings. A one-letter token (an initial) is left as it is.
  if (key.length > 1) {
    key = key.replace(/(?:ie|ey|y)$/, 'i');
    key = key.replace(/w$/, 'u');
    if (key.length > 2) key = key.replace(/([aiueo])h$/, '$1');
    key = key.replace(/d$/, 't');
  }
  // Doubled letters last, so that pairs created above (e.g. "ff" from "ph" + "f") collapse too.
  return key.replace(/(.)\1+/g, '$1');
}

/**
 * The phonetic key of a whole name: the name is normalised (titles, degrees, old spellings,
 * Muhammad variants…), then each token is keyed; tokens keep their order, joined by a space.
 * "" for a name without letters.
 *
 * @example phoneticKey('Hj. Siti Chodijah') // 'siti hodija' (= 'Siti Khodijah', 'Siti Hodijah')
 * @example phoneticKey('Moch. Yusuf') // 'muhamat yusup' (= 'Muhamad Yusup')
 */
export function phoneticKey(raw: string): string {
  return phoneticKeyOfNormalized(normalizeName(raw));
}

/**
 * The phonetic key of a name that already went through `normalizeName`, to avoid normalising
 * twice when both the normalised name and its key are needed (blocking a million records).
 *
 * @example phoneticKeyOfNormalized('muhammad yusuf') // 'muhamat yusup'
 */
export function phoneticKeyOfNormalized(normalized: string): string {
  if (!normalized) return '';
  const tokens = normalized.split(' ');
  let key = phoneticToken(tokens[0]);
  for (let i = 1; i < tokens.length; i++) key += ' ' + phoneticToken(tokens[i]);
  return key;
}

/** Whether two names have the same phonetic key (and are not both empty). */
export function soundsAlike(a: string, b: string): boolean {
  const keyA = phoneticKey(a);
  return keyA !== '' && keyA === phoneticKey(b);
}
