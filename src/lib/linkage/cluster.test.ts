import { describe, expect, it } from 'vitest';
import { clusterMembers, clusterPairs } from './cluster.ts';

/** Pairs and weights from [a, b, weight] triples. */
function links(triples: [number, number, number][]) {
  return {
    pairs: { left: triples.map((t) => t[0]), right: triples.map((t) => t[1]) },
    weights: triples.map((t) => t[2]),
  };
}

describe('clusterPairs', () => {
  it('groups a well-linked person (every pair matched) into one cluster', () => {
    const { pairs, weights } = links([
      [0, 1, 12],
      [0, 2, 11],
      [1, 2, 10],
      [3, 4, 9],
      [2, 5, -3], // below the match weight: ignored
    ]);
    const result = clusterPairs(6, pairs, weights, { matchWeight: 5 });
    expect([...result.clusterOf]).toEqual([0, 0, 0, 3, 3, 5]);
    expect(result.clusterCount).toBe(3);
    expect(result.refusedCount).toBe(0);
    expect([...clusterMembers(result.clusterOf).values()]).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });

  it('does not chain A~B~C~…~Z into one person', () => {
    // Ten records, each matched only to the next one: a chain. Connected components fuse them all.
    const chain: [number, number, number][] = Array.from({ length: 9 }, (_, i) => [i, i + 1, 10 - i * 0.1]);
    const { pairs, weights } = links(chain);
    const components = clusterPairs(10, pairs, weights, { matchWeight: 5, minLinkFraction: 0 });
    expect(components.clusterCount).toBe(1);

    const guarded = clusterPairs(10, pairs, weights, { matchWeight: 5 });
    // The guard keeps clusters small: no cluster holds records that are not mostly linked to each other.
    const clusters = [...clusterMembers(guarded.clusterOf).values()];
    for (const members of clusters) expect(members.length).toBeLessThanOrEqual(3);
    expect(guarded.clusterOf[0]).not.toBe(guarded.clusterOf[9]);
    expect(guarded.refusedCount).toBeGreaterThan(0);
    expect(guarded.refused[0].linkedFraction).toBeLessThan(0.5);
  });

  it('does not let one bad link fuse two families', () => {
    // {0,1,2} and {3,4,5} are each fully linked; one weaker link 2~3 bridges them.
    const { pairs, weights } = links([
      [0, 1, 15],
      [0, 2, 15],
      [1, 2, 15],
      [3, 4, 15],
      [3, 5, 15],
      [4, 5, 15],
      [2, 3, 6],
    ]);
    const result = clusterPairs(6, pairs, weights, { matchWeight: 5 });
    expect([...result.clusterOf]).toEqual([0, 0, 0, 3, 3, 3]);
    expect(result.refused).toEqual([{ left: 2, right: 3, weight: 6, linkedFraction: 1 / 9 }]);
  });

  it('lets near-matches vouch for a merge through supportWeight', () => {
    // 0~1 and 1~2 are matches; 0~2 is only a near-match. With support from near-matches the
    // third record joins (2 of 2 cross pairs supported); the strict rule also accepts 1 of 2.
    const { pairs, weights } = links([
      [0, 1, 10],
      [1, 2, 9],
      [0, 2, 2],
    ]);
    expect([...clusterPairs(3, pairs, weights, { matchWeight: 5 }).clusterOf]).toEqual([0, 0, 0]);
    // A stricter fraction needs the near-match as support.
    expect([...clusterPairs(3, pairs, weights, { matchWeight: 5, minLinkFraction: 1 }).clusterOf]).toEqual([0, 0, 2]);
    expect([...clusterPairs(3, pairs, weights, { matchWeight: 5, minLinkFraction: 1, supportWeight: 1 }).clusterOf]).toEqual([0, 0, 0]);
  });

  it('caps cluster size when asked', () => {
    const all: [number, number, number][] = [];
    for (let a = 0; a < 5; a++) for (let b = a + 1; b < 5; b++) all.push([a, b, 10]);
    const { pairs, weights } = links(all);
    const result = clusterPairs(5, pairs, weights, { matchWeight: 5, maxClusterSize: 3 });
    for (const members of clusterMembers(result.clusterOf).values()) expect(members.length).toBeLessThanOrEqual(3);
    expect(result.refused.some((r) => r.linkedFraction === -1)).toBe(true);
  });

  it('clusters linkage pairs between two data sets with a right-hand offset', () => {
    // left 0,1; right 0,1 become records 2,3.
    const { pairs, weights } = links([
      [0, 1, 10],
      [1, 0, 8],
    ]);
    const result = clusterPairs(4, pairs, weights, { matchWeight: 5, rightOffset: 2 });
    expect([...result.clusterOf]).toEqual([0, 1, 1, 0]);
  });
});
