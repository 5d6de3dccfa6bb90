/**
 * Blocking: which record pairs are worth comparing at all. Comparing every pair of a million
 * records is 5·10^11 comparisons; blocking compares only pairs that share a key under at least one
 * rule (rules are OR-ed, as in Splink): e.g. same NIK, OR same KK, OR same name key + birth date,
 * OR same phonetic name + regency. Each rule catches the pairs the others miss because of a typo
 * or a missing value in their fields.
 *
 * Memory: no string per pair. A pair is the number `left * rightCount + right` (exact below 2^53,
 * so up to ~9·10^7 records per side), pairs from all rules are appended to one Float64Array, sorted
 * and de-duplicated, so a pair found by two rules is compared once. Blocks are stored as linked
 * lists in Int32Arrays (one `next` slot per record), not as arrays of arrays.
 *
 * Block-size guard: a block with too many pairs (everyone in a big city with a common surname,
 * or a placeholder value like "-" used for unknown) is sub-blocked with the rule's `subKey` if it
 * has one, otherwise skipped; either way it is reported in `oversizedBlocks`.
 */

export interface BlockingRule<R> {
  name: string;
  /** The block key of a record, or null when the record cannot be blocked by this rule (missing value). */
  key: (record: R) => string | null;
  /** Optional finer key used only inside an oversized block (e.g. add the birth year). */
  subKey?: (record: R) => string | null;
}

export interface BlockingOptions {
  /** Largest number of pairs one block may generate before it is sub-blocked or skipped. Default 100,000. */
  maxBlockPairs?: number;
  /** How many oversized blocks to list in the report (all are counted). Default 50. */
  reportLimit?: number;
}

export interface OversizedBlock {
  rule: string;
  key: string;
  /** Records in the block (dedup) or on each side (linkage). */
  size: number | [number, number];
  pairs: number;
  action: 'skipped' | 'sub-blocked';
}

export interface CandidatePairs {
  count: number;
  /** Record index on the left side (dedup: the smaller index of the two). */
  left: Uint32Array;
  right: Uint32Array;
  /** Bit r is set when rule r generated the pair (for the first 32 rules). */
  rules: Uint32Array;
  /** Pairs per rule before de-duplication across rules. */
  pairsPerRule: Record<string, number>;
  oversizedBlocks: OversizedBlock[];
  oversizedBlockCount: number;
}

/** Records grouped by key: `head[b]` is the first record of block b, `next[i]` the following one (-1 ends). */
interface Blocks {
  keys: string[];
  head: Int32Array;
  size: Int32Array;
  next: Int32Array;
  byKey: Map<string, number>;
}

function groupByKey<R>(records: readonly R[], key: (record: R) => string | null, subset?: Iterable<number>): Blocks {
  const byKey = new Map<string, number>();
  const keys: string[] = [];
  const headList: number[] = [];
  const sizeList: number[] = [];
  const next = new Int32Array(records.length).fill(-1);
  const add = (i: number) => {
    const k = key(records[i]);
    if (k === null || k === '') return;
    let b = byKey.get(k);
    if (b === undefined) {
      b = keys.length;
      byKey.set(k, b);
      keys.push(k);
      headList.push(-1);
      sizeList.push(0);
    }
    next[i] = headList[b];
    headList[b] = i;
    sizeList[b]++;
  };
  if (subset) for (const i of subset) add(i);
  else for (let i = 0; i < records.length; i++) add(i);
  return { keys, head: Int32Array.from(headList), size: Int32Array.from(sizeList), next, byKey };
}

function membersOf(blocks: Blocks, b: number): number[] {
  const out: number[] = [];
  for (let i = blocks.head[b]; i !== -1; i = blocks.next[i]) out.push(i);
  return out;
}

/** A growable Float64Array of pair codes (code = pairId * ruleCount + rule). */
class PairCodes {
  data = new Float64Array(1024);
  length = 0;
  push(code: number) {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = code;
  }
}

function finish(codes: PairCodes, ruleNames: string[], rightCount: number, oversized: OversizedBlock[], oversizedCount: number, pairsPerRule: Record<string, number>): CandidatePairs {
  const ruleCount = ruleNames.length;
  const sorted = codes.data.subarray(0, codes.length).sort();
  // Codes of one pair are adjacent after sorting (same pairId, different rule): merge them.
  let unique = 0;
  let previous = -1;
  for (let i = 0; i < sorted.length; i++) {
    const pairId = Math.floor(sorted[i] / ruleCount);
    if (pairId !== previous) unique++;
    previous = pairId;
  }
  const left = new Uint32Array(unique);
  const right = new Uint32Array(unique);
  const rules = new Uint32Array(unique);
  let k = -1;
  previous = -1;
  for (let i = 0; i < sorted.length; i++) {
    const pairId = Math.floor(sorted[i] / ruleCount);
    const rule = sorted[i] - pairId * ruleCount;
    if (pairId !== previous) {
      k++;
      left[k] = Math.floor(pairId / rightCount);
      right[k] = pairId - left[k] * rightCount;
      previous = pairId;
    }
    if (rule < 32) rules[k] |= 1 << rule;
  }
  return { count: unique, left, right, rules, pairsPerRule, oversizedBlocks: oversized, oversizedBlockCount: oversizedCount };
}

function checkSize(recordCount: number, otherCount: number, ruleCount: number) {
  if (recordCount * otherCount * Math.max(ruleCount, 1) >= Number.MAX_SAFE_INTEGER) throw new Error('too many records for numeric pair ids');
}

/** 1 for the pairs that rule `ruleIndex` generated (for training on one rule's pairs), else 0. */
export function pairsFoundByRule(candidates: CandidatePairs, ruleIndex: number): Uint8Array {
  if (ruleIndex >= 32) throw new Error('rule masks cover the first 32 rules');
  const out = new Uint8Array(candidates.count);
  const bit = 1 << ruleIndex;
  for (let p = 0; p < candidates.count; p++) out[p] = candidates.rules[p] & bit ? 1 : 0;
  return out;
}

/** Candidate pairs within one data set (i < j), from rules OR-ed. */
export function blockDedup<R>(records: readonly R[], rules: readonly BlockingRule<R>[], options: BlockingOptions = {}): CandidatePairs {
  const n = records.length;
  checkSize(n, n, rules.length);
  const maxPairs = options.maxBlockPairs ?? 100_000;
  const reportLimit = options.reportLimit ?? 50;
  const codes = new PairCodes();
  const oversized: OversizedBlock[] = [];
  let oversizedCount = 0;
  const pairsPerRule: Record<string, number> = {};
  const ruleCount = rules.length;
  rules.forEach((rule, r) => {
    let generated = 0;
    const emit = (members: number[]) => {
      for (let x = 0; x < members.length; x++) {
        for (let y = x + 1; y < members.length; y++) {
          const a = Math.min(members[x], members[y]);
          const b = Math.max(members[x], members[y]);
          codes.push((a * n + b) * ruleCount + r);
          generated++;
        }
      }
    };
    const blocks = groupByKey(records, rule.key);
    for (let b = 0; b < blocks.keys.length; b++) {
      const size = blocks.size[b];
      if (size < 2) continue;
      const pairs = (size * (size - 1)) / 2;
      if (pairs <= maxPairs) {
        emit(membersOf(blocks, b));
        continue;
      }
      oversizedCount++;
      const report: OversizedBlock = { rule: rule.name, key: blocks.keys[b], size, pairs, action: 'skipped' };
      if (rule.subKey) {
        report.action = 'sub-blocked';
        const subKey = rule.subKey;
        const sub = groupByKey(records, subKey, membersOf(blocks, b));
        // Sub-blocks still over the limit are dropped: the guard must hold whatever the data.
        for (let s = 0; s < sub.keys.length; s++) {
          const subSize = sub.size[s];
          if (subSize >= 2 && (subSize * (subSize - 1)) / 2 <= maxPairs) emit(membersOf(sub, s));
        }
      }
      if (oversized.length < reportLimit) oversized.push(report);
    }
    pairsPerRule[rule.name] = generated;
  });
  return finish(
    codes,
    rules.map((r) => r.name),
    n,
    oversized,
    oversizedCount,
    pairsPerRule,
  );
}

/** Candidate pairs between two data sets (left index into `left`, right into `right`), from rules OR-ed. */
export function blockLinkage<R>(left: readonly R[], right: readonly R[], rules: readonly BlockingRule<R>[], options: BlockingOptions = {}): CandidatePairs {
  const nLeft = left.length;
  const nRight = right.length;
  checkSize(nLeft, nRight, rules.length);
  const maxPairs = options.maxBlockPairs ?? 100_000;
  const reportLimit = options.reportLimit ?? 50;
  const codes = new PairCodes();
  const oversized: OversizedBlock[] = [];
  let oversizedCount = 0;
  const pairsPerRule: Record<string, number> = {};
  const ruleCount = rules.length;
  rules.forEach((rule, r) => {
    let generated = 0;
    const emit = (a: number[], b: number[]) => {
      for (const i of a) for (const j of b) codes.push((i * nRight + j) * ruleCount + r);
      generated += a.length * b.length;
    };
    const leftBlocks = groupByKey(left, rule.key);
    const rightBlocks = groupByKey(right, rule.key);
    for (let b = 0; b < leftBlocks.keys.length; b++) {
      const other = rightBlocks.byKey.get(leftBlocks.keys[b]);
      if (other === undefined) continue;
      const pairs = leftBlocks.size[b] * rightBlocks.size[other];
      if (pairs <= maxPairs) {
        emit(membersOf(leftBlocks, b), membersOf(rightBlocks, other));
        continue;
      }
      oversizedCount++;
      const report: OversizedBlock = { rule: rule.name, key: leftBlocks.keys[b], size: [leftBlocks.size[b], rightBlocks.size[other]], pairs, action: 'skipped' };
      if (rule.subKey) {
        report.action = 'sub-blocked';
        const subLeft = groupByKey(left, rule.subKey, membersOf(leftBlocks, b));
        const subRight = groupByKey(right, rule.subKey, membersOf(rightBlocks, other));
        for (let s = 0; s < subLeft.keys.length; s++) {
          const o = subRight.byKey.get(subLeft.keys[s]);
          if (o !== undefined && subLeft.size[s] * subRight.size[o] <= maxPairs) emit(membersOf(subLeft, s), membersOf(subRight, o));
        }
      }
      if (oversized.length < reportLimit) oversized.push(report);
    }
    pairsPerRule[rule.name] = generated;
  });
  return finish(
    codes,
    rules.map((r) => r.name),
    nRight,
    oversized,
    oversizedCount,
    pairsPerRule,
  );
}

/**
 * An index of registered records by every rule's key, to find the candidates for one new record
 * without re-blocking everything (checking a new registration against the registry). Blocks larger
 * than `maxBlockSize` are not searched (reported by `candidates`), as in the batch guard.
 */
export class BlockIndex<R> {
  private readonly perRule: Blocks[];
  constructor(
    private readonly records: readonly R[],
    private readonly rules: readonly BlockingRule<R>[],
    private readonly maxBlockSize = 1000,
  ) {
    this.perRule = rules.map((rule) => groupByKey(records, rule.key));
  }

  /** Indices of the records sharing a key with `record` under any rule, each once, ascending. */
  candidates(record: R): { indices: number[]; skippedBlocks: { rule: string; key: string; size: number }[] } {
    const found = new Set<number>();
    const skippedBlocks: { rule: string; key: string; size: number }[] = [];
    this.rules.forEach((rule, r) => {
      const key = rule.key(record);
      if (key === null || key === '') return;
      const blocks = this.perRule[r];
      const b = blocks.byKey.get(key);
      if (b === undefined) return;
      if (blocks.size[b] > this.maxBlockSize) {
        skippedBlocks.push({ rule: rule.name, key, size: blocks.size[b] });
        return;
      }
      for (let i = blocks.head[b]; i !== -1; i = blocks.next[i]) found.add(i);
    });
    return { indices: [...found].sort((a, b) => a - b), skippedBlocks };
  }

  get size() {
    return this.records.length;
  }
}
