/**
 * Exact k-nearest-neighbour search by squared Euclidean distance over a row-major n×d float32 matrix, skipping
 * rows that are out of stock, excluded or filtered out. Brute force: exact by construction, and at catalogue
 * sizes up to ~10⁵ rows fast enough for the engine (numbers in docs/engine.md).
 */

export interface KnnHit {
  index: number;
  /** Squared Euclidean distance. */
  dist: number;
}

export interface KnnQuery {
  /** Row-major n×d matrix (may hold more rows than `rows`). */
  data: Float32Array;
  rows: number;
  dim: number;
  query: ArrayLike<number>;
  k: number;
  /** Only rows with `allowed[i] === 1` are eligible (the in-stock flags). */
  allowed?: Uint8Array;
  /** Rows to leave out (purchased items, the query item itself). */
  exclude?: ReadonlySet<number>;
  filter?: (index: number) => boolean;
}

/** The k nearest eligible rows to `query`, nearest first. */
export function exactKnn(q: KnnQuery): KnnHit[] {
  const { data, rows, dim, query, allowed, exclude, filter } = q;
  const k = Math.max(0, Math.floor(q.k));
  if (k === 0 || rows === 0) return [];
  // bounded max-heap of the best k so far (worst at the root)
  const heapIdx = new Int32Array(k);
  const heapDist = new Float64Array(k);
  let size = 0;
  const qv = Float32Array.from(query as ArrayLike<number>);
  for (let i = 0; i < rows; i++) {
    if (allowed !== undefined && allowed[i] !== 1) continue;
    const o = i * dim;
    // blocks of 8 dimensions; once the heap is full a row stops as soon as it is beyond the k-th best (exact)
    const worst = size === k ? heapDist[0] : Number.POSITIVE_INFINITY;
    let s = 0;
    let j = 0;
    for (; j + 7 < dim; j += 8) {
      const t0 = data[o + j] - qv[j];
      const t1 = data[o + j + 1] - qv[j + 1];
      const t2 = data[o + j + 2] - qv[j + 2];
      const t3 = data[o + j + 3] - qv[j + 3];
      const t4 = data[o + j + 4] - qv[j + 4];
      const t5 = data[o + j + 5] - qv[j + 5];
      const t6 = data[o + j + 6] - qv[j + 6];
      const t7 = data[o + j + 7] - qv[j + 7];
      s += t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3 + t4 * t4 + t5 * t5 + t6 * t6 + t7 * t7;
      if (s >= worst) break;
    }
    if (s >= worst) continue;
    for (; j < dim; j++) {
      const t = data[o + j] - qv[j];
      s += t * t;
    }
    if (s >= worst) continue;
    if (exclude?.has(i)) continue;
    if (filter && !filter(i)) continue;
    if (size < k) {
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (heapDist[p] >= s) break;
        heapDist[c] = heapDist[p];
        heapIdx[c] = heapIdx[p];
        c = p;
      }
      heapDist[c] = s;
      heapIdx[c] = i;
    } else {
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= k) break;
        const r = l + 1;
        const m = r < k && heapDist[r] > heapDist[l] ? r : l;
        if (heapDist[m] <= s) break;
        heapDist[c] = heapDist[m];
        heapIdx[c] = heapIdx[m];
        c = m;
      }
      heapDist[c] = s;
      heapIdx[c] = i;
    }
  }
  const out: KnnHit[] = [];
  for (let i = 0; i < size; i++) out.push({ index: heapIdx[i], dist: heapDist[i] });
  out.sort((x, y) => x.dist - y.dist || x.index - y.index);
  return out;
}
