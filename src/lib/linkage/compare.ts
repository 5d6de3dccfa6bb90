/**
 * String, date and identifier comparators for record linkage. Pure, no I/O, no imports.
 *
 * Conventions:
 * - Inputs are expected to be normalised already (see normalize.ts): the comparators are
 *   case-sensitive and compare UTF-16 code units, which is exact for the ASCII output of the
 *   normalisers.
 * - Missing values are the caller's business (a Fellegi-Sunter model gives "null" its own level);
 *   here two empty strings are identical (similarity 1) and one empty string against a non-empty
 *   one has similarity 0.
 * - The hot comparators (`jaro`, `jaroWinkler`, `levenshtein`, `damerauLevenshtein`, `compareNik`)
 *   allocate nothing per call, because they run tens of millions of times when scoring candidate
 *   pairs: they work on `charCodeAt`, 32-bit masks and module-level typed arrays that only grow.
 *   JavaScript runs one call at a time per isolate, so sharing the buffers is safe (each worker
 *   thread has its own module instance). None of them calls back into user code while a buffer
 *   is in use, so re-entrancy cannot happen either.
 */

/** A similarity between two strings, from 0 (nothing alike) to 1 (identical). */
export type StringSimilarity = (a: string, b: string) => number;

// ---------------------------------------------------------------------------------------------
// Reusable scratch buffers (grown on demand, never shrunk).

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);
let rowPrevPrev = new Int32Array(65);
let rowPrev = new Int32Array(65);
let rowCurrent = new Int32Array(65);

function ensureFlags(lengthA: number, lengthB: number): void {
  if (flagsA.length < lengthA) flagsA = new Uint8Array(Math.max(lengthA, flagsA.length * 2));
  if (flagsB.length < lengthB) flagsB = new Uint8Array(Math.max(lengthB, flagsB.length * 2));
}

function ensureRows(columns: number): void {
  if (rowCurrent.length < columns) {
    const size = Math.max(columns, rowCurrent.length * 2);
    rowPrevPrev = new Int32Array(size);
    rowPrev = new Int32Array(size);
    rowCurrent = new Int32Array(size);
  }
}

// ---------------------------------------------------------------------------------------------
// Jaro and Jaro-Winkler

/**
 * Jaro similarity (Jaro 1989), 0..1.
 *
 * Two characters match when they are equal and no further apart than
 * `floor(max(|a|, |b|) / 2) - 1` positions; with m matches and t half-transpositions,
 * `jaro = (m/|a| + m/|b| + (m - t)/m) / 3`.
 *
 * @example jaro('MARTHA', 'MARHTA') // 0.944…
 */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  const lengthA = a.length;
  const lengthB = b.length;
  if (lengthA === 0 || lengthB === 0) return 0;
  // Names almost always fit in 32 characters: then the matching runs on 32-bit masks.
  if (lengthA <= 32 && lengthB <= 32) return jaroShort(a, b, lengthA, lengthB);
  return jaroLong(a, b, lengthA, lengthB);
}

/**
 * UTF-16 code unit → bit mask of its positions in the short string being compared. Shared by the
 * bit-parallel Jaro and edit distances; every function clears the entries it set before returning,
 * so all entries are zero between calls.
 */
let positionsOf: Int32Array | null = null;

/**
 * Jaro for strings of at most 32 characters, bit-parallel (as rapidfuzz does): the positions of
 * each character of `b` are a bit mask, so finding "the first unmatched equal character of b in
 * the window" is a mask AND and a lowest-set-bit instead of a scan over the window. Gives exactly
 * the matches of the textbook greedy scan (the lowest bit is the leftmost candidate).
 */
function jaroShort(a: string, b: string, lengthA: number, lengthB: number): number {
  // 65,536 entries (256 KB) once, so any UTF-16 code unit can index it without a branch.
  const table = positionsOf ?? (positionsOf = new Int32Array(65536));
  for (let j = 0; j < lengthB; j++) table[b.charCodeAt(j)] |= 1 << j;

  const matchWindow = Math.max(0, (Math.max(lengthA, lengthB) >> 1) - 1);
  let matchedA = 0;
  let matchedB = 0;
  let matches = 0;
  for (let i = 0; i < lengthA; i++) {
    const from = i > matchWindow ? i - matchWindow : 0;
    const to = i + matchWindow + 1 < lengthB ? i + matchWindow + 1 : lengthB;
    if (from >= to) break; // past the end of b: no window left for this or any later i
    // Bits from..to-1 (1 << 32 is 1 in JavaScript, hence the special case).
    const windowMask = (to >= 32 ? -1 : (1 << to) - 1) & ~((1 << from) - 1);
    const candidates = table[a.charCodeAt(i)] & windowMask & ~matchedB;
    if (candidates !== 0) {
      matchedB |= candidates & -candidates;
      matchedA |= 1 << i;
      matches++;
    }
  }
  for (let j = 0; j < lengthB; j++) table[b.charCodeAt(j)] = 0;
  if (matches === 0) return 0;

  // Walk both strings' matched characters in order; each out-of-order pair is half a transposition.
  let outOfOrder = 0;
  let remainingB = matchedB;
  for (let i = 0; i < lengthA; i++) {
    if ((matchedA & (1 << i)) === 0) continue;
    const lowest = remainingB & -remainingB;
    remainingB ^= lowest;
    if (a.charCodeAt(i) !== b.charCodeAt(31 - Math.clz32(lowest))) outOfOrder++;
  }
  const transpositions = outOfOrder >> 1;
  return (matches / lengthA + matches / lengthB + (matches - transpositions) / matches) / 3;
}

/** Jaro for longer strings: the textbook scan over the window, with reused flag arrays. */
function jaroLong(a: string, b: string, lengthA: number, lengthB: number): number {
  const matchWindow = Math.max(0, (Math.max(lengthA, lengthB) >> 1) - 1);
  ensureFlags(lengthA, lengthB);
  const matchedA = flagsA;
  const matchedB = flagsB;
  matchedA.fill(0, 0, lengthA);
  matchedB.fill(0, 0, lengthB);

  let matches = 0;
  for (let i = 0; i < lengthA; i++) {
    const code = a.charCodeAt(i);
    const from = i > matchWindow ? i - matchWindow : 0;
    const to = Math.min(i + matchWindow + 1, lengthB);
    for (let j = from; j < to; j++) {
      if (matchedB[j] === 0 && b.charCodeAt(j) === code) {
        matchedA[i] = 1;
        matchedB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;

  let outOfOrder = 0;
  let j = 0;
  for (let i = 0; i < lengthA; i++) {
    if (matchedA[i] === 0) continue;
    while (matchedB[j] === 0) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) outOfOrder++;
    j++;
  }
  const transpositions = outOfOrder >> 1;
  return (matches / lengthA + matches / lengthB + (matches - transpositions) / matches) / 3;
}

/**
 * Jaro-Winkler similarity (Winkler 1990), 0..1: Jaro plus a bonus for a common prefix of up to
 * 4 characters, `jw = jaro + prefix * prefixScale * (1 - jaro)`.
 *
 * As in Winkler's original, in jellyfish and in rapidfuzz (which DuckDB, and so Splink, uses), the
 * bonus is only given when the Jaro similarity is above `boostThreshold` (0.7): two strings that
 * share "Mu" but nothing else should not be pulled up.
 *
 * `prefixScale` must be at most 0.25 so the result stays within 0..1.
 *
 * Known values: MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.84, DIXON/DICKSONX 0.813.
 *
 * @example jaroWinkler('agus', 'agoes') // 0.827 (jaro 0.783 + prefix "ag")
 */
export function jaroWinkler(a: string, b: string, prefixScale = 0.1, boostThreshold = 0.7): number {
  const similarity = jaro(a, b);
  if (similarity <= boostThreshold || similarity === 1) return similarity;
  const limit = Math.min(4, a.length, b.length);
  let prefix = 0;
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return similarity + prefix * prefixScale * (1 - similarity);
}

// ---------------------------------------------------------------------------------------------
// Edit distances

/**
 * Levenshtein distance: the least number of single-character insertions, deletions and
 * substitutions turning `a` into `b`.
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  // Keep the shorter string as the row so the buffers stay small.
  if (a.length < b.length) {
    const swap = a;
    a = b;
    b = swap;
  }
  const lengthA = a.length;
  const lengthB = b.length;
  if (lengthB === 0) return lengthA;
  if (lengthB <= 32) return bitParallelDistance(b, a, false);
  ensureRows(lengthB + 1);
  let previous = rowPrev;
  let current = rowCurrent;
  for (let j = 0; j <= lengthB; j++) previous[j] = j;
  for (let i = 1; i <= lengthA; i++) {
    current[0] = i;
    const code = a.charCodeAt(i - 1);
    for (let j = 1; j <= lengthB; j++) {
      const cost = code === b.charCodeAt(j - 1) ? 0 : 1;
      let best = previous[j - 1] + cost;
      const deletion = previous[j] + 1;
      if (deletion < best) best = deletion;
      const insertion = current[j - 1] + 1;
      if (insertion < best) best = insertion;
      current[j] = best;
    }
    const swap = previous;
    previous = current;
    current = swap;
  }
  return previous[lengthB];
}

/**
 * Damerau-Levenshtein distance in its **optimal string alignment** (OSA, "restricted") form:
 * Levenshtein plus transposition of two adjacent characters, where no substring is edited twice.
 * It differs from the unrestricted ("true") distance only on cases like CA → ABC (OSA 3, true 2),
 * which typing errors do not produce; OSA needs no alphabet-sized table and, when the shorter
 * string has at most 32 characters, runs bit-parallel (Hyyrö 2003), so it is the cheaper one for
 * a hot loop. Longer strings use the three-row table.
 *
 * @example damerauLevenshtein('siti', 'stii') // 1 (one transposition)
 */
export function damerauLevenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length < b.length) {
    const swap = a;
    a = b;
    b = swap;
  }
  const lengthA = a.length;
  const lengthB = b.length;
  if (lengthB === 0) return lengthA;
  if (lengthB <= 32) return bitParallelDistance(b, a, true);
  ensureRows(lengthB + 1);
  let twoBack = rowPrevPrev;
  let previous = rowPrev;
  let current = rowCurrent;
  for (let j = 0; j <= lengthB; j++) previous[j] = j;
  for (let i = 1; i <= lengthA; i++) {
    current[0] = i;
    const code = a.charCodeAt(i - 1);
    const codeBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= lengthB; j++) {
      const codeB = b.charCodeAt(j - 1);
      const cost = code === codeB ? 0 : 1;
      let best = previous[j - 1] + cost;
      const deletion = previous[j] + 1;
      if (deletion < best) best = deletion;
      const insertion = current[j - 1] + 1;
      if (insertion < best) best = insertion;
      if (j > 1 && code === b.charCodeAt(j - 2) && codeBefore === codeB) {
        const transposition = twoBack[j - 2] + 1;
        if (transposition < best) best = transposition;
      }
      current[j] = best;
    }
    const rotate = twoBack;
    twoBack = previous;
    previous = current;
    current = rotate;
  }
  return previous[lengthB];
}

/**
 * Levenshtein (or, with `transpositions`, OSA Damerau-Levenshtein) distance when the shorter
 * string, the `pattern`, has at most 32 characters: the dynamic-programming column is held in
 * 32-bit vectors of +1/-1 differences and advanced one character of `text` at a time with a few
 * bit operations (Myers 1999, in Hyyrö's formulation; the transposition term is Hyyrö 2003, as in
 * rapidfuzz's `osa_hyrroe2003`). Same results as the table, a fraction of the work.
 */
function bitParallelDistance(pattern: string, text: string, transpositions: boolean): number {
  const table = positionsOf ?? (positionsOf = new Int32Array(65536));
  const patternLength = pattern.length;
  for (let i = 0; i < patternLength; i++) table[pattern.charCodeAt(i)] |= 1 << i;

  let positiveVertical = -1; // VP: every cell of the first column is one more than the one above
  let negativeVertical = 0; // VN
  let previousMatches = 0; // PM of the previous text character, for transpositions
  let diagonalZero = 0; // D0
  let distance = patternLength;
  const lastBit = 1 << (patternLength - 1);
  const textLength = text.length;
  for (let j = 0; j < textLength; j++) {
    const matches = table[text.charCodeAt(j)];
    // The sum can carry past 32 bits; | 0 keeps it modulo 2^32, as a machine word would.
    let d0 = ((((matches & positiveVertical) + positiveVertical) | 0) ^ positiveVertical) | matches | negativeVertical;
    if (transpositions) d0 |= ((~diagonalZero & matches) << 1) & previousMatches;
    const positiveHorizontal = negativeVertical | ~(d0 | positiveVertical);
    const negativeHorizontal = d0 & positiveVertical;
    if (positiveHorizontal & lastBit) distance++;
    else if (negativeHorizontal & lastBit) distance--;
    const shiftedPositive = (positiveHorizontal << 1) | 1;
    const shiftedNegative = negativeHorizontal << 1;
    positiveVertical = shiftedNegative | ~(d0 | shiftedPositive);
    negativeVertical = shiftedPositive & d0;
    diagonalZero = d0;
    previousMatches = matches;
  }
  for (let i = 0; i < patternLength; i++) table[pattern.charCodeAt(i)] = 0;
  return distance;
}

/** `1 - levenshtein(a, b) / max(|a|, |b|)`, 0..1; two empty strings are identical (1). */
export function levenshteinSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 1;
  return 1 - levenshtein(a, b) / longest;
}

/** `1 - damerauLevenshtein(a, b) / max(|a|, |b|)`, 0..1; two empty strings are identical (1). */
export function damerauLevenshteinSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 1;
  return 1 - damerauLevenshtein(a, b) / longest;
}

/** Exact equality of two (already normalised) values. */
export function exact(a: string, b: string): boolean {
  return a === b;
}

// ---------------------------------------------------------------------------------------------
// Dates

/** How two ISO dates (YYYY-MM-DD) relate; from closest to furthest. */
export type DateComparison = 'exact' | 'day_month_swapped' | 'year_off_by_one_digit' | 'one_part_differs' | 'different';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Compares two ISO dates (YYYY-MM-DD) the way people get birth dates wrong:
 * - `exact`: the same date;
 * - `day_month_swapped`: same year, day and month swapped (03-04 vs 04-03), a classic of forms
 *   filled in with the other convention;
 * - `year_off_by_one_digit`: same day and month, the year differs in exactly one digit
 *   (1985 vs 1986, 1985 vs 1995): a typo;
 * - `one_part_differs`: exactly one of year, month, day differs (otherwise);
 * - `different`: anything else, including a value that is not an ISO date (missing values should
 *   be handled before calling this).
 * A more specific answer wins: a one-digit year typo is `year_off_by_one_digit`, not
 * `one_part_differs`.
 */
export function compareDates(a: string, b: string): DateComparison {
  if (a === b) return ISO_DATE.test(a) ? 'exact' : 'different';
  const partsA = ISO_DATE.exec(a);
  const partsB = ISO_DATE.exec(b);
  if (!partsA || !partsB) return 'different';
  const [, yearA, monthA, dayA] = partsA;
  const [, yearB, monthB, dayB] = partsB;
  if (yearA === yearB && dayA === monthB && monthA === dayB) return 'day_month_swapped';
  const sameYear = yearA === yearB;
  const sameMonth = monthA === monthB;
  const sameDay = dayA === dayB;
  if (sameMonth && sameDay && !sameYear) {
    let differingDigits = 0;
    for (let i = 0; i < 4; i++) if (yearA.charCodeAt(i) !== yearB.charCodeAt(i)) differingDigits++;
    if (differingDigits === 1) return 'year_off_by_one_digit';
  }
  const differingParts = (sameYear ? 0 : 1) + (sameMonth ? 0 : 1) + (sameDay ? 0 : 1);
  return differingParts === 1 ? 'one_part_differs' : 'different';
}

// ---------------------------------------------------------------------------------------------
// NIK and other digit identifiers

/** How two identifiers (NIK, KK) relate. */
export type IdentifierComparison = 'exact' | 'one_digit' | 'transposed' | 'different';

/**
 * Compares two identifiers of the same length (a NIK or KK, digits only, already cleaned):
 * - `exact`;
 * - `one_digit`: one character substituted (a typo or a misread digit);
 * - `transposed`: two adjacent characters swapped (…1234… vs …1324…);
 * - `different`: anything else, including different lengths or an empty value.
 * Insertions and deletions are not considered: a NIK with a digit missing is not a valid NIK and
 * should fail parsing first.
 */
export function compareNik(a: string, b: string): IdentifierComparison {
  const length = a.length;
  if (length === 0 || length !== b.length) return 'different';
  let first = -1;
  let second = -1;
  for (let i = 0; i < length; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) {
      if (first === -1) first = i;
      else if (second === -1) second = i;
      else return 'different';
    }
  }
  if (first === -1) return 'exact';
  if (second === -1) return 'one_digit';
  if (second === first + 1 && a.charCodeAt(first) === b.charCodeAt(second) && a.charCodeAt(second) === b.charCodeAt(first)) {
    return 'transposed';
  }
  return 'different';
}

// ---------------------------------------------------------------------------------------------
// Names as token sets

function splitTokens(name: string): string[] {
  return name.split(' ').filter((token) => token.length > 0);
}

/**
 * Token-sort similarity: both names' tokens are sorted and re-joined before comparing, so word
 * order does not matter ("siti aminah" vs "aminah siti" → 1). Expects normalised names (single
 * spaces). Allocates (split/sort/join): use it on candidate pairs, not in the innermost loop.
 */
export function tokenSortSimilarity(a: string, b: string, similarity: StringSimilarity = jaroWinkler): number {
  const sortedA = splitTokens(a).sort().join(' ');
  const sortedB = splitTokens(b).sort().join(' ');
  return similarity(sortedA, sortedB);
}

/** Token-sort Jaro-Winkler: `tokenSortSimilarity` with `jaroWinkler`. */
export function tokenSortJaroWinkler(a: string, b: string): number {
  return tokenSortSimilarity(a, b, jaroWinkler);
}

/**
 * Symmetric Monge-Elkan similarity: every token of one name is paired with its most similar token
 * of the other and those best scores are averaged; this is done in both directions and the two
 * means are averaged, so an extra token on one side costs something but does not sink the score
 * ("siti nur aminah" vs "siti aminah" → (2/3 + 1) / 2 ≈ 0.83), and tokens may come in any order
 * with a typo in each ("aminah sity" vs "siti aminah" ≈ 0.94).
 */
export function mongeElkan(a: string, b: string, similarity: StringSimilarity = jaroWinkler): number {
  const tokensA = splitTokens(a);
  const tokensB = splitTokens(b);
  if (tokensA.length === 0 || tokensB.length === 0) return tokensA.length === tokensB.length ? 1 : 0;
  return (directedMongeElkan(tokensA, tokensB, similarity) + directedMongeElkan(tokensB, tokensA, similarity)) / 2;
}

function directedMongeElkan(from: string[], to: string[], similarity: StringSimilarity): number {
  let total = 0;
  for (const token of from) {
    let best = 0;
    for (const other of to) {
      const score = similarity(token, other);
      if (score > best) best = score;
    }
    total += best;
  }
  return total / from.length;
}

/**
 * Jaccard overlap of the two names' token sets: |A ∩ B| / |A ∪ B|, 0..1 ("budi santoso" vs
 * "santoso budi" → 1; "budi santoso" vs "budi" → 0.5). Two empty names are identical (1).
 */
export function tokenJaccard(a: string, b: string): number {
  const setA = new Set(splitTokens(a));
  const setB = new Set(splitTokens(b));
  if (setA.size === 0 && setB.size === 0) return 1;
  let shared = 0;
  for (const token of setA) if (setB.has(token)) shared++;
  return shared / (setA.size + setB.size - shared);
}

/**
 * Whether every token of the shorter name appears in the longer one (after normalisation), e.g.
 * "budi" ⊂ "budi santoso". Useful as a comparison level for single-name people registered once with
 * one name and once with a family or father's name added. Two empty names are not a subset match.
 */
export function tokenSubset(a: string, b: string): boolean {
  const tokensA = splitTokens(a);
  const tokensB = splitTokens(b);
  if (tokensA.length === 0 || tokensB.length === 0) return false;
  const [shorter, longer] = tokensA.length <= tokensB.length ? [tokensA, new Set(tokensB)] : [tokensB, new Set(tokensA)];
  return shorter.every((token) => longer.has(token));
}
