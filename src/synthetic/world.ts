import { Catalogue } from '../catalogue/catalogue.js';
import type { Matrix } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { INTERACTION_TYPES, type TimeWindow } from '../core/types.js';
import type { EventLog } from '../events/event-log.js';
import { IdDictionary } from '../events/id-dictionary.js';
import { generateItems, type SyntheticItems } from './items.js';
import { resolveWorldParams, type WorldParams } from './params.js';
import { type ShopperTruth, simulateShoppers } from './shoppers.js';
import { COLOURS, DEPARTMENTS, GARMENT_TYPES, PATTERNS, styleName } from './vocabulary.js';

const DAY_MS = 24 * 3600 * 1000;

/** What the generator planted and the data alone does not show: for tests that measure personalisation. */
export interface WorldTruth {
  /** The simulated period [start, end) in epoch ms. */
  period: TimeWindow;
  /** Per-item hidden columns: style, outfit group, arrival, stock-out interval, popularity and trend. */
  items: SyntheticItems;
  /** Per-shopper tastes (user index = `log.users` index). */
  shoppers: ShopperTruth;
  /** S×D mean content vector of each style's items: where a taste mode sits in content space. */
  styleCentroids: Matrix;
}

/** A generated world: catalogue (vectors, attributes, in-stock at the period's end), time-sorted events and the truth. */
export interface World {
  params: WorldParams;
  catalogue: Catalogue;
  /** Sorted by time; `log.items` is `catalogue.ids` and `log.users.id(u)` is shopper u of the truth. */
  log: EventLog;
  truth: WorldTruth;
}

/** Progress of a long generation, by phase. */
export type WorldProgress = (phase: 'items' | 'events', done: number, total: number) => void;

/**
 * Generates the synthetic fashion world in memory, deterministically from `params.seed` (defaults:
 * DEFAULT_WORLD_PARAMS). Pure: no I/O; `writeWorld` saves it.
 */
export function generateWorld(params: Partial<WorldParams> = {}, opts: { onProgress?: WorldProgress } = {}): World {
  const p = resolveWorldParams(params);
  const rng = new Rng(p.seed);
  opts.onProgress?.('items', 0, p.items);
  const items = generateItems(p, rng.fork('items'), (d, t) => opts.onProgress?.('items', d, t));
  const ids = new IdDictionary(items.ids);
  const catalogue = new Catalogue(p.dim, { ids, vectors: items.vectors });
  const end = p.startTime + p.weeks * 7 * DAY_MS;
  for (let i = 0; i < items.n; i++) {
    catalogue.setAttributes(i, {
      type: GARMENT_TYPES[items.type[i]].name,
      colour: COLOURS[items.colour[i]].name,
      pattern: PATTERNS[items.pattern[i]],
      department: DEPARTMENTS[items.department[i]],
      price: items.price[i],
      name: items.name[i],
      style: styleName(items.style[i]),
      arrival: items.arrival[i],
    });
    // The catalogue's stock flag is the state at the end of the period (events know the history).
    catalogue.setInStock(i, !(end - 1 >= items.stockOutAt[i] && end - 1 < items.restockAt[i]));
  }
  const { log, truth: shoppers } = simulateShoppers(p, items, ids, rng.fork('shoppers'), (d, t) => opts.onProgress?.('events', d, t));
  return {
    params: p,
    catalogue,
    log,
    truth: { period: { start: p.startTime, end }, items, shoppers, styleCentroids: styleCentroids(items, p.dim) },
  };
}

function styleCentroids(items: SyntheticItems, D: number): Matrix {
  const S = items.styles.count;
  const data = new Float32Array(S * D);
  const count = new Float64Array(S);
  for (let i = 0; i < items.n; i++) {
    const s = items.style[i];
    count[s]++;
    for (let j = 0; j < D; j++) data[s * D + j] += items.vectors[i * D + j];
  }
  for (let s = 0; s < S; s++) if (count[s] > 0) for (let j = 0; j < D; j++) data[s * D + j] /= count[s];
  return { rows: S, cols: D, data };
}

/** Headline numbers of a world (written to world.json and printed by `tailor generate`). */
export interface WorldSummary {
  items: number;
  users: number;
  events: number;
  eventsByType: Record<string, number>;
  sessions: number;
  start: string;
  end: string;
  newArrivals: number;
  outOfStockAtEnd: number;
  outfits: number;
  itemsInOutfits: number;
  drifts: number;
}

/** Counts what a world holds. */
export function summarizeWorld(w: World): WorldSummary {
  const byType = w.log.countByType();
  const eventsByType: Record<string, number> = {};
  INTERACTION_TYPES.forEach((t, k) => {
    eventsByType[t] = byType[k];
  });
  const it = w.truth.items;
  let newArrivals = 0;
  let inOutfits = 0;
  for (let i = 0; i < it.n; i++) {
    if (it.arrival[i] > w.truth.period.start) newArrivals++;
    if (it.outfit[i] >= 0) inOutfits++;
  }
  let out = 0;
  for (const s of w.catalogue.inStock) if (s === 0) out++;
  let drifts = 0;
  for (const d of w.truth.shoppers.drifts) drifts += d;
  return {
    items: w.catalogue.size,
    users: w.log.users.size,
    events: w.log.length,
    eventsByType,
    sessions: w.truth.shoppers.sessions,
    start: new Date(w.truth.period.start).toISOString(),
    end: new Date(w.truth.period.end).toISOString(),
    newArrivals,
    outOfStockAtEnd: out,
    outfits: it.outfits.length,
    itemsInOutfits: inOutfits,
    drifts,
  };
}
