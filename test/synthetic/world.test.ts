import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateWorld, summarizeWorld } from '../../src/synthetic/index.js';

const SMALL = { items: 600, users: 400, weeks: 2, dim: 32, seed: 7 };

test('generateWorld is deterministic by seed and differs across seeds', () => {
  const a = generateWorld(SMALL);
  const b = generateWorld(SMALL);
  const c = generateWorld({ ...SMALL, seed: 8 });
  assert.equal(a.log.length, b.log.length);
  assert.deepEqual(a.log.columns(), b.log.columns());
  assert.deepEqual(a.catalogue.vectors.data, b.catalogue.vectors.data);
  assert.notDeepEqual(a.log.columns().item, c.log.columns().item);
});

test('the world log is time-sorted, shares the catalogue dictionary and stays inside the period', () => {
  const w = generateWorld(SMALL);
  assert.equal(w.log.items, w.catalogue.ids);
  assert.ok(w.log.isSorted());
  const r = w.log.timeRange();
  assert.ok(r && r.start >= w.truth.period.start && r.end < w.truth.period.end);
  const s = summarizeWorld(w);
  assert.equal(s.users, SMALL.users);
  assert.equal(s.items, SMALL.items);
});
