import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { WasmArena } from '../../src/kernels/arena.js';
import { correctionBlockBytes, encodeCorrection, type PersonalCorrection } from '../../src/knn/correction.js';
import { exactKnn } from '../../src/knn/exact.js';
import { type QuantizedProjection, quantize, quantizedKnn } from '../../src/knn/quantized.js';
import { initDelta, personalRow } from '../../src/personal/low-rank.js';
import { correctionRows, deltaSubspace } from '../../src/personal/subspace.js';

/** A personal catalogue (random basis, global rows and delta), its exact rows, and its correction and global codes. */
function fixture(seed: number, n: number, dims: number) {
  const rng = new Rng(seed);
  const h = 24;
  const d = 32;
  const r = 8;
  const basis = Float32Array.from({ length: n * h }, () => Math.max(0, rng.normal()));
  const pg = Float32Array.from({ length: n * d }, (_, i) => rng.normal(0, 2 / (1 + (i % d) / 8)));
  const delta = initDelta(h, d, r, rng);
  for (let i = 0; i < delta.a.length; i++) delta.a[i] = rng.normal(0, 0.5);
  const full = new Float32Array(n * d);
  for (let i = 0; i < n; i++)
    personalRow(basis.subarray(i * h, (i + 1) * h), pg.subarray(i * d, (i + 1) * d), delta, full.subarray(i * d, (i + 1) * d));
  const sub = deltaSubspace(delta);
  const u = new Float32Array(n * r);
  const s = new Float32Array(n);
  correctionRows(basis, pg, sub, h, 0, n, u, s);
  return { rng, d, r, pg, full, correction: encodeCorrection(u, s, n, r, sub.q), codes: quantize(pg, n, d, dims) };
}

for (const dims of [16, 32])
  test(`a personal search over the shared global codes (${dims} coordinates) plus the correction finds the exact neighbours (kernel and TypeScript agree)`, () => {
    const n = 3000;
    const { d, r, pg, full, correction: plainCorr, codes: plainCodes } = fixture(8, n, dims);
    const answers = new Map<string, number[]>();
    const variants: Array<[string, QuantizedProjection, PersonalCorrection]> = [['TypeScript', plainCodes, plainCorr]];
    const arena = WasmArena.get();
    if (arena) {
      const at = arena.alloc(n * dims) as number;
      arena.int8(at, n * dims).set(plainCodes.codes);
      const bytes = correctionBlockBytes(n, r);
      const cat = arena.alloc(bytes) as number;
      arena.int8(cat, bytes).set(plainCorr.block);
      variants.push([
        'kernel',
        { ...plainCodes, codes: arena.int8(at, n * dims), arenaOffset: at },
        { ...plainCorr, block: arena.int8(cat, bytes), arenaOffset: cat },
      ]);
    }
    const allowed = new Uint8Array(n).fill(1);
    for (let i = 0; i < n; i += 7) allowed[i] = 0;
    const exclude = new Set([3, 5, 8]);
    for (const [name, q, correction, shortlist] of variants.flatMap(
      ([n, q, c]) =>
        [
          [n, q, c, undefined],
          [`${n} + shortlist`, q, c, 240],
        ] as const,
    )) {
      let found = 0;
      for (let t = 0; t < 20; t++) {
        // the same queries for every variant
        const qr = new Rng(100 + t);
        const query = full.slice((t * 37 + 1) * d, (t * 37 + 2) * d);
        for (let j = 0; j < d; j++) query[j] += qr.normal(0, 0.3);
        for (const filter of [undefined, (i: number) => i % 2 === 0]) {
          const exact = exactKnn({ data: full, rows: n, dim: d, query, k: 10, allowed, exclude, filter });
          const hits = quantizedKnn({
            q,
            correction,
            query,
            k: 10,
            candidates: 60,
            shortlist,
            globalRows: pg,
            exactRow: (i, out) => out.set(full.subarray(i * d, (i + 1) * d)),
            allowed,
            exclude,
            filter,
          });
          assert.equal(hits.length, 10);
          for (const x of hits) assert.ok(allowed[x.index] === 1 && !exclude.has(x.index) && (!filter || filter(x.index)), name);
          const want = new Set(exact.map((e) => e.index));
          found += hits.filter((x) => want.has(x.index)).length;
          answers.set(
            `${name} ${t} ${filter ? 'filter' : ''}`,
            hits.map((x) => x.index),
          );
        }
      }
      // 16 or 32 of 32 coordinates scanned, 60 candidates re-ranked exactly
      assert.ok(found / 400 >= 0.95, `${name}: recall@10 ${found / 400}`);
    }
    // the kernel rounds the query and the weights to int16, TypeScript does not: the same answers up to those roundings
    let same = 0;
    let total = 0;
    for (const [key, hits] of answers) {
      if (!key.startsWith('kernel')) continue;
      const ts = new Set(answers.get(key.replace('kernel', 'TypeScript')));
      same += hits.filter((i) => ts.has(i)).length;
      total += hits.length;
    }
    assert.ok(!arena || (total > 0 && same / total >= 0.98), `kernel vs TypeScript: ${same} of ${total}`);
  });

test('the bounded exact re-rank of a personal search returns the exact top k while computing few exact rows', () => {
  const n = 2000;
  const { rng, d, pg, full, correction, codes: q } = fixture(12, n, 16);
  let computed = 0;
  for (let t = 0; t < 20; t++) {
    const query = full.slice((t * 53 + 1) * d, (t * 53 + 2) * d);
    for (let j = 0; j < d; j++) query[j] += rng.normal(0, 0.3);
    const exact = exactKnn({ data: full, rows: n, dim: d, query, k: 10 });
    // every row reaches the middle step and all but one the re-rank: only the bound keeps the exact rows few
    const hits = quantizedKnn({
      q,
      correction,
      query,
      k: 10,
      candidates: n - 1,
      shortlist: n,
      globalRows: pg,
      exactRow: (i, out) => {
        computed++;
        out.set(full.subarray(i * d, (i + 1) * d));
      },
    });
    assert.deepEqual(
      hits.map((x) => x.index),
      exact.map((e) => e.index),
    );
  }
  assert.ok(computed / 20 < 100, `exact rows per query: ${computed / 20}`);
});
