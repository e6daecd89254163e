import type { TrainingData } from '../recommender/contract.js';
import { toCatalogue } from './user-history.js';

/**
 * The user–item interaction graph of a training window, as the collaborative baselines (LightGCN, PinSage) see
 * it: one undirected edge per distinct (user, item) pair, any interaction type. Node ids: users 0..U−1 and items
 * by catalogue index; CSR in both directions.
 */
export interface Bipartite {
  users: number;
  items: number;
  /** user → items CSR. */
  uPtr: Int32Array;
  uIdx: Int32Array;
  /** item → users CSR. */
  iPtr: Int32Array;
  iIdx: Int32Array;
  edges: number;
}

/** Builds the bipartite graph of `data.log` (items by catalogue index). */
export function buildBipartite(data: TrainingData): Bipartite {
  const log = data.log;
  const cols = log.columns();
  const nItems = data.catalogue.size;
  const userIndex = new Map<number, number>();
  const pairs = new Set<number>();
  const us: number[] = [];
  const is: number[] = [];
  for (let r = 0; r < log.length; r++) {
    const item = toCatalogue(log, data.catalogue, cols.item[r]);
    if (item < 0) continue;
    let u = userIndex.get(cols.user[r]);
    if (u === undefined) userIndex.set(cols.user[r], (u = userIndex.size));
    const key = u * nItems + item;
    if (pairs.has(key)) continue;
    pairs.add(key);
    us.push(u);
    is.push(item);
  }
  const nUsers = userIndex.size;
  const csr = (n: number, from: number[], to: number[]) => {
    const ptr = new Int32Array(n + 1);
    for (const f of from) ptr[f + 1]++;
    for (let i = 0; i < n; i++) ptr[i + 1] += ptr[i];
    const idx = new Int32Array(from.length);
    const fill = ptr.slice(0, n);
    for (let e = 0; e < from.length; e++) idx[fill[from[e]]++] = to[e];
    return { ptr, idx };
  };
  const u = csr(nUsers, us, is);
  const i = csr(nItems, is, us);
  return { users: nUsers, items: nItems, uPtr: u.ptr, uIdx: u.idx, iPtr: i.ptr, iIdx: i.idx, edges: us.length };
}
