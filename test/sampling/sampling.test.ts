import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { csrFromEdges, emptyCsr, hasEdge } from '../../src/graph/csr.js';
import { sampleNegatives } from '../../src/sampling/negative-sampler.js';
import { NeighbourSampler } from '../../src/sampling/neighbour-sampler.js';
import { meanEdgeWeights, samplePairs } from '../../src/sampling/pair-sampler.js';

function randomGraph(n: number, edges: number, seed: number) {
  const rng = new Rng(seed);
  const rel = [0, 1, 2, 3].map(() => {
    const list: Array<[number, number, number]> = [];
    for (let e = 0; e < edges; e++) list.push([rng.int(n), rng.int(n), 1 + rng.int(5)]);
    return csrFromEdges(n, list);
  });
  return { numItems: n, relations: rel };
}

test('NeighbourSampler: sampled edges never exceed frontier · fan-out per hop, whatever the graph', () => {
  for (const [n, edges] of [
    [50, 2000],
    [2000, 20000],
    [500, 200],
  ] as const) {
    const g = randomGraph(n, edges, n);
    for (const weighted of [true, false]) {
      const fanouts = [6, 3];
      const s = new NeighbourSampler(g, { fanouts, weighted });
      const rng = new Rng(1);
      const seeds = Int32Array.from({ length: 32 }, () => rng.int(n));
      const sub = s.sample(seeds, rng);
      const R = g.relations.length;
      assert.equal(sub.hopEnds[0], 32);
      assert.ok(sub.edgesPerHop[0] <= 32 * fanouts[0]);
      assert.ok(sub.edgesPerHop[1] <= (sub.hopEnds[1] - sub.hopEnds[0]) * fanouts[1]);
      assert.ok(sub.edgesPerHop[1] <= 32 * fanouts[0] * fanouts[1], 'at most batch · Π fan-out edges');
      // every sampled edge is a real edge, neighbours are distinct and inside the next hop
      for (let r = 0; r < R; r++) {
        const a = sub.adj[r];
        assert.equal(a.indptr.length, sub.hopEnds[1] + 1);
        for (let v = 0; v < sub.hopEnds[1]; v++) {
          const row = Array.from(a.indices.subarray(a.indptr[v], a.indptr[v + 1]));
          assert.equal(new Set(row).size, row.length);
          const limit = v < sub.hopEnds[0] ? sub.hopEnds[1] : sub.hopEnds[2];
          for (const u of row) {
            assert.ok(u < limit);
            assert.ok(hasEdge(g.relations[r], sub.nodes[v], sub.nodes[u]));
          }
          assert.ok(row.length <= (v < sub.hopEnds[0] ? fanouts[0] : fanouts[1]));
        }
      }
      // the per-node budget covers all relations together
      for (let v = 0; v < sub.hopEnds[1]; v++) {
        let total = 0;
        for (let r = 0; r < R; r++) total += sub.adj[r].indptr[v + 1] - sub.adj[r].indptr[v];
        assert.ok(total <= (v < sub.hopEnds[0] ? fanouts[0] : fanouts[1]));
      }
    }
  }
});

test('NeighbourSampler: weighted sampling prefers heavy edges; same seed, same sample', () => {
  const edges: Array<[number, number, number]> = [];
  for (let j = 1; j <= 20; j++) edges.push([0, j, j === 1 ? 200 : 1]);
  const g = { numItems: 21, relations: [csrFromEdges(21, edges), emptyCsr(21), emptyCsr(21), emptyCsr(21)] };
  const s = new NeighbourSampler(g, { fanouts: [2], weighted: true });
  let heavy = 0;
  const rng = new Rng(5);
  for (let t = 0; t < 200; t++) {
    const sub = s.sample([0], rng);
    if (Array.from(sub.adj[0].indices).some((u) => sub.nodes[u] === 1)) heavy++;
  }
  assert.ok(heavy > 180, `heavy edge sampled ${heavy}/200 times`);
  const u = new NeighbourSampler(g, { fanouts: [2], weighted: false });
  let heavyU = 0;
  for (let t = 0; t < 200; t++) {
    const sub = u.sample([0], rng);
    if (Array.from(sub.adj[0].indices).some((k) => sub.nodes[k] === 1)) heavyU++;
  }
  assert.ok(heavyU < 60, `uniform sampling picked the heavy edge ${heavyU}/200 times`);
  const a = s.sample([0, 3], new Rng(9));
  const b = s.sample([0, 3], new Rng(9));
  assert.deepEqual(a, b);
});

test('negative and pair samplers: one non-edge per anchor, one positive edge of the same relation', () => {
  const g = randomGraph(300, 900, 3);
  const rng = new Rng(2);
  const anchors = Int32Array.from({ length: 200 }, (_, i) => i);
  const neg = sampleNegatives(g.relations[3], anchors, g.numItems, rng);
  let bad = 0;
  anchors.forEach((a, i) => {
    if (neg[i] === a || hasEdge(g.relations[3], a, neg[i])) bad++;
  });
  assert.equal(bad, 0);
  const b = samplePairs(g, anchors, rng, { relationWeights: [0, 1, 1, 1], meanWeights: meanEdgeWeights(g) });
  assert.ok(b.anchor.length > 0);
  for (let i = 0; i < b.anchor.length; i++) {
    assert.notEqual(b.relation[i], 0, 'λ = 0 relations are not trained on');
    assert.ok(hasEdge(g.relations[b.relation[i]], b.anchor[i], b.positive[i]));
    assert.ok(!hasEdge(g.relations[b.relation[i]], b.anchor[i], b.negative[i]));
    assert.ok(b.weight[i] > 0 && b.weight[i] <= 10);
  }
});
