/**
 * Compressed sparse row adjacency of one relation of the product graph: the neighbours of item i are
 * `indices[indptr[i] .. indptr[i+1])`, sorted ascending, with edge weights `weights` alongside.
 */
export interface Csr {
  indptr: Int32Array;
  indices: Int32Array;
  weights: Float32Array;
}

/** Number of rows (items) of a CSR. */
export function csrRows(c: Csr): number {
  return c.indptr.length - 1;
}

/** Degree of row `i`. */
export function degree(c: Csr, i: number): number {
  return c.indptr[i + 1] - c.indptr[i];
}

/** Weight of edge (i, j), or 0 when absent (binary search in the sorted row). */
export function edgeWeight(c: Csr, i: number, j: number): number {
  let lo = c.indptr[i];
  let hi = c.indptr[i + 1] - 1;
  const idx = c.indices;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = idx[mid];
    if (v === j) return c.weights[mid];
    if (v < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** True when (i, j) is an edge. */
export function hasEdge(c: Csr, i: number, j: number): boolean {
  return edgeWeight(c, i, j) !== 0;
}

/** An empty CSR over `n` rows. */
export function emptyCsr(n: number): Csr {
  return { indptr: new Int32Array(n + 1), indices: new Int32Array(0), weights: new Float32Array(0) };
}

/**
 * Builds a symmetric CSR from undirected pairs given as sorted, unique keys `i * n + j` (i < j) with
 * their weights: each pair becomes the two directed entries (i, j) and (j, i). Rows come out sorted.
 */
export function symmetricCsrFromSortedKeys(n: number, keys: Float64Array, weights: Float32Array): Csr {
  const indptr = new Int32Array(n + 1);
  for (let k = 0; k < keys.length; k++) {
    const i = Math.floor(keys[k] / n);
    const j = keys[k] - i * n;
    indptr[i + 1]++;
    indptr[j + 1]++;
  }
  for (let i = 0; i < n; i++) indptr[i + 1] += indptr[i];
  const fill = indptr.slice(0, n);
  const indices = new Int32Array(indptr[n]);
  const w = new Float32Array(indptr[n]);
  // Keys ascend by (i, j): row r receives its smaller neighbours (as j) before any key with first = r,
  // and its larger neighbours in ascending order afterwards, so every row is sorted without a sort.
  for (let k = 0; k < keys.length; k++) {
    const i = Math.floor(keys[k] / n);
    const j = keys[k] - i * n;
    indices[fill[i]] = j;
    w[fill[i]++] = weights[k];
    indices[fill[j]] = i;
    w[fill[j]++] = weights[k];
  }
  return { indptr, indices, weights: w };
}

/** Symmetric CSR from an explicit list of undirected weighted edges (duplicates summed, self loops dropped). */
export function csrFromEdges(n: number, edges: ReadonlyArray<readonly [number, number, number?]>): Csr {
  const acc = new Map<number, number>();
  for (const [a, b, w = 1] of edges) {
    if (a === b) continue;
    const i = Math.min(a, b);
    const j = Math.max(a, b);
    const key = i * n + j;
    acc.set(key, (acc.get(key) ?? 0) + w);
  }
  const keys = Float64Array.from(acc.keys()).sort();
  const weights = new Float32Array(keys.length);
  for (let k = 0; k < keys.length; k++) weights[k] = acc.get(keys[k]) ?? 0;
  return symmetricCsrFromSortedKeys(n, keys, weights);
}
