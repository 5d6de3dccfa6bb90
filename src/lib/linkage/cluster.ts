/**
 * Clustering matched pairs into persons.
 *
 * Plain connected components (union-find over every match) has a known failure: chains.
 * A~B, B~C, C~D, … each link looks fine on its own (one typo apart), yet A and Z share nothing,
 * and one bad link can fuse two families into one "person". In aid distribution that means
 * someone is refused aid because a stranger already received it.
 *
 * The rule used here (documented in README "Clustering"):
 * 1. Links are taken strongest first (highest match weight first).
 * 2. A link between two records already in the same cluster changes nothing.
 * 3. A link between two different clusters X and Y merges them only if enough of the cross pairs
 *    (x, y) — every member of X with every member of Y — are themselves linked with a weight of at
 *    least `supportWeight`: linked cross pairs / (|X|·|Y|) ≥ `minLinkFraction` (default 0.5).
 *    Two singletons always merge (their only cross pair is the link itself). A record joining a
 *    pair {A,B} must be linked to at least one of them (½), joining {A,B,C} to two of three, and
 *    so on: a cluster stays "mostly complete", which a chain is not.
 * 4. Optionally no cluster grows beyond `maxClusterSize`.
 * Refused links are counted and (the first ones) listed so they can go to human review.
 *
 * `minLinkFraction: 0` gives plain connected components, for comparison.
 */

export interface ClusterOptions {
  /** Links with weight ≥ this may merge clusters. */
  matchWeight: number;
  /** Links with weight ≥ this count as support for a merge. Default: matchWeight. Lower it to let near-matches vouch. */
  supportWeight?: number;
  /** Fraction of cross pairs that must be linked for two clusters to merge. Default 0.5; 0 = connected components. */
  minLinkFraction?: number;
  maxClusterSize?: number;
  /** For linkage between two data sets: right-hand indices are shifted by this (usually left.length). Default 0. */
  rightOffset?: number;
  /** How many refused links to list. Default 100. */
  reportLimit?: number;
}

export interface RefusedLink {
  left: number;
  right: number;
  weight: number;
  /** Fraction of cross pairs that were linked (below minLinkFraction), or -1 when refused by maxClusterSize. */
  linkedFraction: number;
}

export interface ClusterResult {
  /** Cluster of each record, named by its smallest record index (a singleton is its own cluster). */
  clusterOf: Int32Array;
  clusterCount: number;
  /** Links that would have merged two clusters but were refused by the chain guard. */
  refusedCount: number;
  refused: RefusedLink[];
}

/**
 * Clusters `recordCount` records (0 … recordCount-1; for linkage, left then right shifted by
 * `rightOffset`) using the scored pairs. `weights[p]` is pair p's match weight.
 */
export function clusterPairs(
  recordCount: number,
  pairs: { left: ArrayLike<number>; right: ArrayLike<number>; count?: number },
  weights: ArrayLike<number>,
  options: ClusterOptions,
): ClusterResult {
  const pairCount = pairs.count ?? pairs.left.length;
  const offset = options.rightOffset ?? 0;
  const supportWeight = options.supportWeight ?? options.matchWeight;
  const minFraction = options.minLinkFraction ?? 0.5;
  const maxSize = options.maxClusterSize ?? Infinity;
  const reportLimit = options.reportLimit ?? 100;
  if (supportWeight > options.matchWeight) throw new Error('supportWeight must not exceed matchWeight');

  // Adjacency (CSR) of support links, to count linked cross pairs without a pair hash map.
  const degree = new Int32Array(recordCount + 1);
  const support: number[] = [];
  for (let p = 0; p < pairCount; p++) {
    if (weights[p] >= supportWeight) {
      support.push(p);
      degree[pairs.left[p]]++;
      degree[pairs.right[p] + offset]++;
    }
  }
  const start = new Int32Array(recordCount + 1);
  for (let i = 0; i < recordCount; i++) start[i + 1] = start[i] + degree[i];
  const fill = start.slice(0, recordCount);
  const neighbours = new Int32Array(start[recordCount]);
  for (const p of support) {
    const a = pairs.left[p];
    const b = pairs.right[p] + offset;
    neighbours[fill[a]++] = b;
    neighbours[fill[b]++] = a;
  }

  // Union-find with a circular member list per cluster, so a cluster's members can be walked.
  const parent = new Int32Array(recordCount);
  const size = new Int32Array(recordCount).fill(1);
  const nextMember = new Int32Array(recordCount);
  for (let i = 0; i < recordCount; i++) {
    parent[i] = i;
    nextMember[i] = i;
  }
  const find = (x: number) => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };

  const links = support.filter((p) => weights[p] >= options.matchWeight).sort((p, q) => weights[q] - weights[p]);
  const refused: RefusedLink[] = [];
  let refusedCount = 0;
  const refuse = (p: number, linkedFraction: number) => {
    refusedCount++;
    if (refused.length < reportLimit) refused.push({ left: pairs.left[p], right: pairs.right[p], weight: weights[p], linkedFraction });
  };
  for (const p of links) {
    const a = pairs.left[p];
    const b = pairs.right[p] + offset;
    let ra = find(a);
    let rb = find(b);
    if (ra === rb) continue;
    if (size[ra] + size[rb] > maxSize) {
      refuse(p, -1);
      continue;
    }
    if (minFraction > 0 && size[ra] * size[rb] > 1) {
      // Walk the smaller cluster's members and count their support links into the other cluster.
      const [small, other] = size[ra] <= size[rb] ? [ra, rb] : [rb, ra];
      let linked = 0;
      let member = small;
      do {
        for (let k = start[member]; k < start[member + 1]; k++) if (find(neighbours[k]) === other) linked++;
        member = nextMember[member];
      } while (member !== small);
      const fraction = linked / (size[ra] * size[rb]);
      if (fraction < minFraction) {
        refuse(p, fraction);
        continue;
      }
    }
    if (size[ra] < size[rb]) [ra, rb] = [rb, ra];
    parent[rb] = ra;
    size[ra] += size[rb];
    const t = nextMember[ra];
    nextMember[ra] = nextMember[rb];
    nextMember[rb] = t;
  }

  // Name each cluster by its smallest member so results do not depend on merge order.
  const smallest = new Int32Array(recordCount).fill(-1);
  const clusterOf = new Int32Array(recordCount);
  let clusterCount = 0;
  for (let i = 0; i < recordCount; i++) {
    const r = find(i);
    if (smallest[r] === -1) {
      smallest[r] = i;
      clusterCount++;
    }
    clusterOf[i] = smallest[r];
  }
  return { clusterOf, clusterCount, refusedCount, refused };
}

/** Members of each cluster with more than one record, keyed by cluster id. */
export function clusterMembers(clusterOf: Int32Array): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < clusterOf.length; i++) {
    const c = clusterOf[i];
    const list = out.get(c);
    if (list) list.push(i);
    else out.set(c, [i]);
  }
  for (const [c, list] of out) if (list.length < 2) out.delete(c);
  return out;
}
