import { TailorError } from '../core/errors.js';
import { INTERACTION_TYPES, type InteractionType, type TimeWindow } from '../core/types.js';
import type { EventLog } from '../events/event-log.js';
import { type Csr, symmetricCsrFromSortedKeys } from './csr.js';

/** The four relations of the product graph (SPEC §2), indexed like the interaction type codes. */
export const RELATIONS = INTERACTION_TYPES;
export type Relation = InteractionType;

/** How the builder bounds the n(n−1)/2 pairs a busy user would make (SPEC §2). */
export interface GraphBuildOptions {
  /** Only events in this half-open window count; default: the whole log. */
  window?: TimeWindow;
  /** Pair an item only with the user's last `maxItemsPerUser` distinct items of the same type. */
  maxItemsPerUser: number;
  /** Pair only items whose events are at most this many ms apart; 0 = no time limit. */
  sessionGapMs: number;
}

export interface ProductGraph {
  numItems: number;
  /** One symmetric CSR per relation, in `RELATIONS` order (co-click, co-favorite, co-cart, co-purchase). */
  relations: Csr[];
  window?: TimeWindow;
  stats: GraphStats;
}

export interface GraphStats {
  /** Events inside the window. */
  events: number;
  /** Undirected edges per relation. */
  edges: number[];
  /** Pairs emitted before merging (after the per-user bound and per-user de-duplication). */
  pairs: number[];
  /** Items with at least one edge in any relation. */
  connectedItems: number;
  buildMs: number;
}

/**
 * Builds the weighted co-interaction graph of SPEC §2: for every relation r, an edge (i, j) when at least one
 * user had interaction type r with both i and j (subject to the pair bound), weight = number of distinct
 * such users. Undirected, no self loops, one CSR per relation. Item indices are the log's item indices.
 */
export function buildProductGraph(log: EventLog, numItems: number, opts: GraphBuildOptions): ProductGraph {
  const t0 = performance.now();
  const maxItems = opts.maxItemsPerUser;
  if (!Number.isInteger(maxItems) || maxItems < 1)
    throw new TailorError('CONFIG_INVALID', `maxItemsPerUser must be a positive integer, got ${maxItems}`, {
      field: 'graph.maxItemsPerUser',
    });
  const gap = opts.sessionGapMs > 0 ? opts.sessionGapMs : Number.POSITIVE_INFINITY;
  const cols = log.columns();
  const order = eventsByUserThenTime(cols.user, cols.item, cols.time, numItems, opts.window);

  const buffers = RELATIONS.map(() => new KeyBuffer());
  const recentItem = new Int32Array(maxItems);
  const recentTime = new Float64Array(maxItems);
  const seen = new Set<number>();
  let events = 0;
  let start = 0;
  // Walk one user at a time, one relation at a time: pairs are de-duplicated per user so that an edge weight
  // counts distinct users, however often one user repeats the pair.
  while (start < order.length) {
    const user = cols.user[order[start]];
    let end = start;
    while (end < order.length && cols.user[order[end]] === user) end++;
    events += end - start;
    for (let type = 0; type < RELATIONS.length; type++) {
      let count = 0;
      seen.clear();
      for (let k = start; k < end; k++) {
        const e = order[k];
        if (cols.type[e] !== type) continue;
        const item = cols.item[e];
        const time = cols.time[e];
        // drop the item's previous occurrence and everything outside the session gap
        let w = 0;
        for (let r = 0; r < count; r++) {
          if (recentItem[r] === item || time - recentTime[r] > gap) continue;
          recentItem[w] = recentItem[r];
          recentTime[w] = recentTime[r];
          w++;
        }
        count = w;
        for (let r = 0; r < count; r++) {
          const j = recentItem[r];
          const key = item < j ? item * numItems + j : j * numItems + item;
          if (!seen.has(key)) {
            seen.add(key);
            buffers[type].push(key);
          }
        }
        // keep the most recent `maxItems` distinct items (oldest first in the array)
        if (count === maxItems) {
          recentItem.copyWithin(0, 1, count);
          recentTime.copyWithin(0, 1, count);
          count--;
        }
        recentItem[count] = item;
        recentTime[count] = time;
        count++;
      }
    }
    start = end;
  }

  const relations: Csr[] = [];
  const edges: number[] = [];
  const pairs: number[] = [];
  for (const buf of buffers) {
    const keys = buf.view().sort();
    pairs.push(keys.length);
    const { unique, counts } = runLengths(keys);
    relations.push(symmetricCsrFromSortedKeys(numItems, unique, counts));
    edges.push(unique.length);
  }
  let connected = 0;
  for (let i = 0; i < numItems; i++) {
    for (const c of relations) {
      if (c.indptr[i + 1] > c.indptr[i]) {
        connected++;
        break;
      }
    }
  }
  return {
    numItems,
    relations,
    window: opts.window,
    stats: { events, edges, pairs, connectedItems: connected, buildMs: performance.now() - t0 },
  };
}

/** Undirected edge count of relation `r`. */
export function relationEdges(g: ProductGraph, r: number): number {
  return g.relations[r].indices.length / 2;
}

/** Bytes held by the graph's CSR arrays. */
export function graphBytes(g: ProductGraph): number {
  let b = 0;
  for (const c of g.relations) b += c.indptr.byteLength + c.indices.byteLength + c.weights.byteLength;
  return b;
}

/** Event rows inside the window, grouped by user (counting sort, stable) and in time order within a user. */
function eventsByUserThenTime(
  user: Int32Array,
  item: Int32Array,
  time: Float64Array,
  numItems: number,
  window: TimeWindow | undefined,
): Uint32Array {
  const n = user.length;
  let sorted = true;
  for (let i = 1; i < n; i++)
    if (time[i] < time[i - 1]) {
      sorted = false;
      break;
    }
  let byTime: Uint32Array = new Uint32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (window && (time[i] < window.start || time[i] >= window.end)) continue;
    if (item[i] < 0 || item[i] >= numItems)
      throw new TailorError('DATA_FIELD', `event row ${i} has item index ${item[i]}, outside the catalogue of ${numItems} items`, {
        field: 'item',
      });
    byTime[m++] = i;
  }
  byTime = byTime.subarray(0, m);
  if (!sorted) byTime.sort((a, b) => time[a] - time[b] || a - b);
  let maxUser = -1;
  for (let k = 0; k < m; k++) if (user[byTime[k]] > maxUser) maxUser = user[byTime[k]];
  const start = new Uint32Array(maxUser + 2);
  for (let k = 0; k < m; k++) start[user[byTime[k]] + 1]++;
  for (let u = 0; u <= maxUser; u++) start[u + 1] += start[u];
  const out = new Uint32Array(m);
  for (let k = 0; k < m; k++) out[start[user[byTime[k]]]++] = byTime[k];
  return out;
}

function runLengths(sortedKeys: Float64Array): { unique: Float64Array; counts: Float32Array } {
  let u = 0;
  const unique = new Float64Array(sortedKeys.length);
  const counts = new Float32Array(sortedKeys.length);
  for (let k = 0; k < sortedKeys.length; k++) {
    if (u > 0 && unique[u - 1] === sortedKeys[k]) counts[u - 1]++;
    else {
      unique[u] = sortedKeys[k];
      counts[u++] = 1;
    }
  }
  return { unique: unique.slice(0, u), counts: counts.slice(0, u) };
}

/** A growable Float64Array of pair keys (exact integers up to 2^53). */
class KeyBuffer {
  private buf = new Float64Array(1024);
  private n = 0;
  push(v: number): void {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = v;
  }
  view(): Float64Array {
    return this.buf.subarray(0, this.n);
  }
}
