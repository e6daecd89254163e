import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTailorError } from '../../src/core/errors.js';
import { EventLog } from '../../src/events/event-log.js';
import { csrFromEdges, edgeWeight, hasEdge } from '../../src/graph/csr.js';
import { buildProductGraph, relationEdges } from '../../src/graph/product-graph.js';

const H = 3600_000;

function log(rows: Array<[string, string, 'click' | 'favorite' | 'cart' | 'purchase', number]>): EventLog {
  const l = new EventLog();
  for (let i = 0; i < 6; i++) l.items.intern(`i${i}`);
  for (const [u, i, t, ts] of rows) l.push(u, i, t, ts);
  return l;
}

test('buildProductGraph: weights count distinct users, per relation, undirected, no self loops', () => {
  const l = log([
    ['a', 'i0', 'purchase', 1 * H],
    ['a', 'i1', 'purchase', 2 * H],
    ['a', 'i0', 'purchase', 3 * H], // repeat: same pair, same user, counts once
    ['a', 'i1', 'purchase', 4 * H],
    ['b', 'i1', 'purchase', 5 * H],
    ['b', 'i0', 'purchase', 6 * H],
    ['b', 'i2', 'click', 7 * H],
    ['b', 'i3', 'click', 8 * H],
    ['c', 'i4', 'cart', 9 * H],
  ]);
  const g = buildProductGraph(l, 6, { maxItemsPerUser: 30, sessionGapMs: 0 });
  const purchase = g.relations[3];
  assert.equal(edgeWeight(purchase, 0, 1), 2);
  assert.equal(edgeWeight(purchase, 1, 0), 2);
  assert.equal(relationEdges(g, 3), 1);
  assert.ok(hasEdge(g.relations[0], 2, 3) && hasEdge(g.relations[0], 3, 2));
  assert.equal(relationEdges(g, 0), 1);
  assert.equal(relationEdges(g, 2), 0, 'one cart item makes no pair');
  assert.equal(relationEdges(g, 1), 0);
  for (const c of g.relations) for (let i = 0; i < 6; i++) assert.ok(!hasEdge(c, i, i));
  assert.equal(g.stats.connectedItems, 4);
});

test('buildProductGraph: the last-M bound, the session gap and the window limit pairs', () => {
  const rows: Array<[string, string, 'purchase', number]> = [];
  for (let i = 0; i < 6; i++) rows.push(['u', `i${i}`, 'purchase', i * H]);
  const l = log(rows);
  const all = buildProductGraph(l, 6, { maxItemsPerUser: 30, sessionGapMs: 0 });
  assert.equal(relationEdges(all, 3), 15);
  const last2 = buildProductGraph(l, 6, { maxItemsPerUser: 2, sessionGapMs: 0 });
  // each item pairs with the two before it: (0,1),(0,2),(1,2),(1,3),(2,3),(2,4),(3,4),(3,5),(4,5)
  assert.equal(relationEdges(last2, 3), 9);
  assert.ok(!hasEdge(last2.relations[3], 0, 3));
  const session = buildProductGraph(l, 6, { maxItemsPerUser: 30, sessionGapMs: 1.5 * H });
  assert.equal(relationEdges(session, 3), 5, 'only consecutive items are within 1.5 h');
  const windowed = buildProductGraph(l, 6, { maxItemsPerUser: 30, sessionGapMs: 0, window: { start: 2 * H, end: 5 * H } });
  assert.equal(relationEdges(windowed, 3), 3);
  assert.equal(windowed.stats.events, 3);
});

test('buildProductGraph: unsorted logs give the same graph; rows are sorted; bad item index is DATA_FIELD', () => {
  const l = log([
    ['a', 'i3', 'click', 5 * H],
    ['a', 'i1', 'click', 1 * H],
    ['a', 'i5', 'click', 3 * H],
  ]);
  const g = buildProductGraph(l, 6, { maxItemsPerUser: 1, sessionGapMs: 0 });
  // time order i1, i5, i3 with M = 1: pairs (1,5), (5,3)
  assert.ok(hasEdge(g.relations[0], 1, 5) && hasEdge(g.relations[0], 3, 5) && !hasEdge(g.relations[0], 1, 3));
  const c = g.relations[0];
  for (let i = 0; i < 6; i++) for (let e = c.indptr[i] + 1; e < c.indptr[i + 1]; e++) assert.ok(c.indices[e - 1] < c.indices[e]);
  assert.throws(
    () => buildProductGraph(l, 4, { maxItemsPerUser: 3, sessionGapMs: 0 }),
    (e) => isTailorError(e, 'DATA_FIELD'),
  );
});

test('csrFromEdges sums duplicates and drops self loops', () => {
  const c = csrFromEdges(4, [
    [0, 1, 2],
    [1, 0, 1],
    [2, 2, 5],
    [3, 1],
  ]);
  assert.equal(edgeWeight(c, 0, 1), 3);
  assert.equal(edgeWeight(c, 1, 3), 1);
  assert.equal(c.indices.length, 4);
});
