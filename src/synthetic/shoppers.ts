import type { Rng } from '../core/rng.js';
import { EventLog } from '../events/event-log.js';
import type { IdDictionary } from '../events/id-dictionary.js';
import type { SyntheticItems } from './items.js';
import type { WorldParams } from './params.js';
import { DEPARTMENTS } from './vocabulary.js';

const SECOND = 1000;
const DAY_MS = 24 * 3600 * SECOND;
const WEEK_MS = 7 * DAY_MS;
/** Most taste modes a shopper has (1–3). */
export const MAX_MODES = 3;

/**
 * Funnel and browsing constants, tuned so the default world lands near Taobao UserBehavior's mix
 * (pv 89.8 %, cart 5.3 %, fav 2.8 %, buy 2.1 %); docs/synthetic.md has the measured rates.
 */
const FUNNEL = {
  fav: 0.05,
  cart: 0.085,
  buyAfterCart: 0.3,
  buyDirect: 0.012,
  /** Affinity of a view whose style is the session's mode / another of the shopper's modes / none of them. */
  affinityMode: 1,
  affinityOtherMode: 0.6,
  affinityOff: 0.2,
  /** Outfit partners viewed after a conversion convert as if this much more liked. */
  outfitBoost: 3,
  /** Chance that the next view follows a pending outfit partner, re-views an item, or explores by popularity. */
  followOutfit: 0.75,
  repeatView: 0.08,
  explore: 0.17,
};

/** Relative session starts by hour of day (UTC): quiet nights, a lunch bump and an evening peak. */
const HOUR_PROFILE = [1, 0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 1.5, 2, 2.2, 2.4, 2.6, 3, 2.8, 2.6, 2.6, 2.8, 3.2, 3.8, 4.5, 5, 4.8, 3.5, 2];

/** The hidden tastes of the shoppers (user index u = the event log's user index). */
export interface ShopperTruth {
  /** Home department of each shopper (index into DEPARTMENTS). */
  department: Uint8Array;
  /** U×MAX_MODES style ids of each shopper's taste modes at the start (-1 = unused slot) and at the end of the period. */
  modesInitial: Int32Array;
  modesFinal: Int32Array;
  /** U×MAX_MODES weight of each mode slot (sums to 1 over used slots). */
  modeWeights: Float32Array;
  /** Preferred price level (1 = a type's typical price). */
  priceLevel: Float32Array;
  /** Activity multiplier on sessions per week (mean 1). */
  activity: Float32Array;
  /** Number of taste changes (drifts) during the period. */
  drifts: Uint16Array;
  /** Number of sessions simulated. */
  sessions: number;
}

export interface ShopperOutput {
  log: EventLog;
  truth: ShopperTruth;
}

/**
 * Simulates the shoppers: sessions over the period (hour-of-day and weekend profile), each browsing one taste
 * mode of its shopper (plus popularity-driven exploration and re-views), a click → favourite → cart → purchase
 * funnel driven by style and price affinity, outfit completion after a conversion, popularity trends, new-arrival
 * boosts and stock-outs. Returns the time-sorted event log whose item dictionary is `itemIds`.
 */
export function simulateShoppers(
  p: WorldParams,
  items: SyntheticItems,
  itemIds: IdDictionary,
  rng: Rng,
  onProgress?: (done: number, total: number) => void,
): ShopperOutput {
  const U = p.users;
  const S = items.styles.count;
  const days = p.weeks * 7;
  const end = p.startTime + days * DAY_MS;
  const ur = rng.fork('users');

  // --- shoppers ---
  const department = new Uint8Array(U);
  const modesInitial = new Int32Array(U * MAX_MODES).fill(-1);
  const modeWeights = new Float32Array(U * MAX_MODES);
  const priceLevel = new Float32Array(U);
  const activity = new Float32Array(U);
  const drifts = new Uint16Array(U);
  const deptShare = [0.55, 0.33, 0.12];
  for (let u = 0; u < U; u++) {
    department[u] = ur.weighted(deptShare, 1);
    const k = 1 + (ur.bernoulli(0.6) ? 1 : 0) + (ur.bernoulli(0.3) ? 1 : 0);
    let wsum = 0;
    let filled = 0;
    for (let m = 0; m < k; m++) {
      let s = ur.weighted(items.styles.popularity, 1);
      for (let tries = 0; tries < 8 && hasMode(modesInitial, u, s); tries++) s = ur.weighted(items.styles.popularity, 1);
      if (hasMode(modesInitial, u, s)) continue;
      modesInitial[u * MAX_MODES + filled] = s;
      const w = Math.exp(ur.normal(0, 0.6));
      modeWeights[u * MAX_MODES + filled++] = w;
      wsum += w;
    }
    for (let m = 0; m < MAX_MODES; m++) modeWeights[u * MAX_MODES + m] /= wsum;
    priceLevel[u] = Math.sqrt(items.styles.priceLevel[modesInitial[u * MAX_MODES]]) * Math.exp(ur.normal(0, 0.3));
    activity[u] = Math.exp(ur.normal(0, 0.8) - 0.32);
  }
  const modes = modesInitial.slice();

  // --- session starts, then sorted by time so popularity tables can be built one day at a time ---
  const dayWeight = new Float64Array(days);
  for (let d = 0; d < days; d++) {
    const dow = new Date(p.startTime + d * DAY_MS).getUTCDay();
    dayWeight[d] = dow === 0 || dow === 6 ? 1.3 : 1;
  }
  const sr = rng.fork('sessions');
  const counts = new Int32Array(U);
  let total = 0;
  for (let u = 0; u < U; u++) {
    counts[u] = Math.max(1, sr.poisson(p.sessionsPerWeek * p.weeks * activity[u]));
    total += counts[u];
  }
  const sessUser = new Int32Array(total);
  const sessStart = new Float64Array(total);
  for (let u = 0, k = 0; u < U; u++) {
    for (let c = 0; c < counts[u]; c++, k++) {
      const d = sr.weighted(dayWeight);
      const h = sr.weighted(HOUR_PROFILE);
      sessUser[k] = u;
      sessStart[k] = p.startTime + d * DAY_MS + h * 3600 * SECOND + Math.floor(sr.next() * 3600 * SECOND);
    }
  }
  const order = new Uint32Array(total);
  for (let k = 0; k < total; k++) order[k] = k;
  order.sort((a, b) => sessStart[a] - sessStart[b] || a - b);

  // --- item pools: (department, style) pools for taste-driven browsing, department pools for exploration ---
  const poolOf = (d: number, s: number) => d * S + s;
  const deptPool = (d: number) => DEPARTMENTS.length * S + d;
  const nPools = DEPARTMENTS.length * (S + 1);
  const poolLists: number[][] = Array.from({ length: nPools }, () => []);
  for (let i = 0; i < items.n; i++) {
    poolLists[poolOf(items.department[i], items.style[i])].push(i);
    poolLists[deptPool(items.department[i])].push(i);
  }
  const pools = poolLists.map((l) => Int32Array.from(l));
  const cum = pools.map((l) => new Float64Array(l.length));
  const mid = p.startTime + (days * DAY_MS) / 2;
  const buildDay = (d: number) => {
    const t = p.startTime + d * DAY_MS;
    const tMid = t + DAY_MS / 2;
    for (let q = 0; q < nPools; q++) {
      const l = pools[q];
      const c = cum[q];
      let acc = 0;
      for (let k = 0; k < l.length; k++) {
        const i = l[k];
        if (items.arrival[i] <= t) {
          let w = items.popularity[i] * Math.exp((items.trend[i] * (tMid - mid)) / WEEK_MS);
          if (items.arrival[i] > p.startTime) w *= 1 + 3 * Math.exp(-(t - items.arrival[i]) / (4 * DAY_MS));
          if (outOfStock(items, i, tMid)) w *= 0.15;
          acc += w;
        }
        c[k] = acc;
      }
    }
  };
  const draw = (q: number, r: Rng): number => {
    const c = cum[q];
    const n = c.length;
    if (n === 0 || c[n - 1] <= 0) return -1;
    const x = r.next() * c[n - 1];
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (c[m] > x) hi = m;
      else lo = m + 1;
    }
    return pools[q][lo];
  };

  // --- the sessions, in time order ---
  const log = new EventLog({ items: itemIds, capacity: Math.ceil(total * p.viewsPerSession * 1.2) + 1024 });
  for (let u = 0; u < U; u++) log.users.intern(userId(u, U));
  const lastSession = new Float64Array(U).fill(Number.NaN);
  const er = rng.fork('events');
  let curDay = -1;
  const viewed: number[] = [];
  const pending: number[] = [];
  const lnStop = Math.log(1 - 1 / p.viewsPerSession);
  for (let k = 0; k < total; k++) {
    const sidx = order[k];
    const u = sessUser[sidx];
    const t0 = sessStart[sidx];
    const d = Math.floor((t0 - p.startTime) / DAY_MS);
    if (d !== curDay) {
      buildDay(d);
      curDay = d;
    }
    // Taste drift: one mode slot moves to another style, at a rate of driftPerWeek.
    const prev = lastSession[u];
    if (!Number.isNaN(prev) && p.driftPerWeek > 0 && er.bernoulli(1 - Math.exp((-p.driftPerWeek * (t0 - prev)) / WEEK_MS))) {
      const used = countModes(modes, u);
      const slot = er.int(used);
      let s = er.weighted(items.styles.popularity, 1);
      for (let tries = 0; tries < 8 && hasMode(modes, u, s); tries++) s = er.weighted(items.styles.popularity, 1);
      if (!hasMode(modes, u, s)) {
        modes[u * MAX_MODES + slot] = s;
        drifts[u]++;
      }
    }
    lastSession[u] = t0;
    const dept = er.bernoulli(0.9) ? department[u] : er.int(DEPARTMENTS.length);
    // Weights are float32: sum them rather than trusting 1, so rounding can never pick an unused (-1) slot.
    const picked = modes[u * MAX_MODES + er.weighted(modeWeights.subarray(u * MAX_MODES, (u + 1) * MAX_MODES))];
    const mode = picked >= 0 ? picked : modes[u * MAX_MODES];
    const nViews = 1 + Math.floor(Math.log(1 - er.next()) / lnStop);
    viewed.length = 0;
    pending.length = 0;
    let t = t0;
    for (let v = 0; v < nViews; v++) {
      t += 5 * SECOND + Math.round(-Math.log(1 - er.next()) * 40 * SECOND);
      if (t >= end) break;
      let item = -1;
      let boosted = false;
      if (pending.length > 0 && er.bernoulli(FUNNEL.followOutfit)) {
        item = pending.shift() as number;
        boosted = true;
      } else {
        const r = er.next();
        if (r < FUNNEL.repeatView && viewed.length > 0) item = viewed[er.int(viewed.length)];
        else if (r < FUNNEL.repeatView + FUNNEL.explore) item = draw(deptPool(dept), er);
        else item = draw(poolOf(dept, mode), er);
        if (item < 0) item = draw(deptPool(dept), er);
      }
      if (item < 0 || items.arrival[item] > t) continue;
      viewed.push(item);
      log.pushIndexed(u, item, 0, t);
      // Conversion: style affinity (session mode > other modes > off-taste) times price fit.
      const s = items.style[item];
      let a = s === mode ? FUNNEL.affinityMode : hasMode(modes, u, s) ? FUNNEL.affinityOtherMode : FUNNEL.affinityOff;
      const z = Math.log(items.priceLevel[item] / priceLevel[u]) / 0.4;
      a *= 0.4 + 0.6 * Math.exp(-0.5 * z * z);
      if (boosted) a = Math.max(a, 0.5) * FUNNEL.outfitBoost;
      const available = !outOfStock(items, item, t);
      // Events that would fall after the period, or a cart/purchase of an item that sold out seconds after the
      // click, are dropped without changing the random draws (so the rest of the world stays the same).
      const keep = (at: number, buying: boolean) => at < end && !(buying && outOfStock(items, item, at));
      let converted = false;
      let tt = t;
      if (er.bernoulli(Math.min(1, FUNNEL.fav * a))) {
        tt += SECOND + er.int(20 * SECOND);
        if (keep(tt, false)) log.pushIndexed(u, item, 1, tt);
        converted = true;
      }
      if (available && er.bernoulli(Math.min(1, FUNNEL.cart * a))) {
        tt += 2 * SECOND + er.int(30 * SECOND);
        if (keep(tt, true)) log.pushIndexed(u, item, 2, tt);
        converted = true;
        if (er.bernoulli(FUNNEL.buyAfterCart)) {
          tt += 10 * SECOND + er.int(120 * SECOND);
          if (keep(tt, true)) log.pushIndexed(u, item, 3, tt);
        }
      } else if (available && er.bernoulli(Math.min(1, FUNNEL.buyDirect * a))) {
        tt += 10 * SECOND + er.int(60 * SECOND);
        if (keep(tt, true)) log.pushIndexed(u, item, 3, tt);
        converted = true;
      }
      t = Math.max(t, Math.min(tt, end - 1));
      // Liking one piece of a planted outfit sends the shopper to its other pieces (the co-interaction signal).
      const g = items.outfit[item];
      if (converted && g >= 0) {
        for (const j of items.outfits[g]) if (j !== item && !viewed.includes(j) && !pending.includes(j)) pending.push(j);
      }
    }
    if (onProgress && (k % 4096 === 0 || k === total - 1)) onProgress(k + 1, total);
  }
  log.sortByTime().trim();
  return {
    log,
    truth: { department, modesInitial, modesFinal: modes, modeWeights, priceLevel, activity, drifts, sessions: total },
  };
}

/** The id of shopper `u` of `U` (zero-padded so ids sort like indices). */
export function userId(u: number, U: number): string {
  return `u${String(u + 1).padStart(Math.max(6, String(U).length), '0')}`;
}

/** True when item `i` is sold out at time `t`. */
export function outOfStock(items: SyntheticItems, i: number, t: number): boolean {
  return t >= items.stockOutAt[i] && t < items.restockAt[i];
}

function hasMode(modes: Int32Array, u: number, s: number): boolean {
  for (let m = 0; m < MAX_MODES; m++) if (modes[u * MAX_MODES + m] === s) return true;
  return false;
}

function countModes(modes: Int32Array, u: number): number {
  let c = 0;
  for (let m = 0; m < MAX_MODES; m++) if (modes[u * MAX_MODES + m] >= 0) c++;
  return c;
}

/** The styles shopper `u` likes: at the start of the period, at its end (after drift), or both (a set, no order). */
export function shopperStyles(truth: ShopperTruth, u: number, when: 'initial' | 'final' | 'both' = 'both'): number[] {
  const out = new Set<number>();
  for (const modes of when === 'initial'
    ? [truth.modesInitial]
    : when === 'final'
      ? [truth.modesFinal]
      : [truth.modesInitial, truth.modesFinal])
    for (let m = 0; m < MAX_MODES; m++) if (modes[u * MAX_MODES + m] >= 0) out.add(modes[u * MAX_MODES + m]);
  return [...out];
}
