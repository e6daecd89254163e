import type { Rng } from '../core/rng.js';
import type { WorldParams } from './params.js';
import { COLOURS, DEPARTMENTS, GARMENT_TYPES, type OutfitSlot, PATTERNS, styleName } from './vocabulary.js';

const DAY_MS = 24 * 3600 * 1000;

/** How each latent style looks and sells: preferred colours, patterns and garment types, price level, popularity. */
export interface StyleProfiles {
  count: number;
  /** S×C colour weights (row-major). */
  colour: Float64Array;
  /** S×P pattern weights. */
  pattern: Float64Array;
  /** S×T garment-type multipliers. */
  type: Float64Array;
  /** Price multiplier of each style. */
  priceLevel: Float64Array;
  /** Share of shoppers (and of items) per style; sums to 1. */
  popularity: Float64Array;
}

/** The generated catalogue, column by column (item index i everywhere), with its hidden ground truth. */
export interface SyntheticItems {
  n: number;
  ids: string[];
  type: Int32Array;
  colour: Int32Array;
  pattern: Int32Array;
  department: Uint8Array;
  style: Int32Array;
  price: Float64Array;
  /** price / (type base price): where the item sits in its type's price range; shoppers match it to their budget. */
  priceLevel: Float64Array;
  name: string[];
  /** n×D content vectors (row-major). */
  vectors: Float32Array;
  /** Outfit group of each item, -1 when none. */
  outfit: Int32Array;
  /** Members of each outfit group (item indices, one per slot, 3–4 items). */
  outfits: Int32Array[];
  /** Epoch ms from which the item is on sale (the start of the period for the initial assortment). */
  arrival: Float64Array;
  /** Epoch ms when the item sells out (Infinity: never), and when it is back in stock (Infinity: not in the period). */
  stockOutAt: Float64Array;
  restockAt: Float64Array;
  /** Base popularity (lognormal) and its trend (change of log-popularity per week). */
  popularity: Float64Array;
  trend: Float64Array;
  styles: StyleProfiles;
}

/** Draws the style profiles: each style favours a few colours and patterns and tilts the garment-type mix. */
export function generateStyles(p: WorldParams, rng: Rng): StyleProfiles {
  const S = p.styles;
  const C = COLOURS.length;
  const P = PATTERNS.length;
  const T = GARMENT_TYPES.length;
  const colour = new Float64Array(S * C).fill(0.15);
  const pattern = new Float64Array(S * P).fill(0.2);
  const type = new Float64Array(S * T);
  const priceLevel = new Float64Array(S);
  const popularity = new Float64Array(S);
  let popSum = 0;
  for (let s = 0; s < S; s++) {
    for (let k = 0; k < 3; k++) colour[s * C + rng.int(C)] += 3 - k * 0.7;
    pattern[s * P] += 1.5; // solid is common in every style
    for (let k = 0; k < 2; k++) pattern[s * P + rng.int(P)] += 2;
    for (let t = 0; t < T; t++) type[s * T + t] = Math.exp(rng.normal(0, 0.6));
    priceLevel[s] = Math.exp(rng.normal(0, 0.35));
    // Zipf-like style sizes: a few mainstream styles and a long tail of niche ones.
    popularity[s] = 1 / (1 + s) ** 0.7;
    popSum += popularity[s];
  }
  for (let s = 0; s < S; s++) popularity[s] /= popSum;
  return { count: S, colour, pattern, type, priceLevel, popularity };
}

/** Builds the catalogue: attributes, latent-factor content vectors, outfits, arrivals, stock-outs, popularity. */
export function generateItems(p: WorldParams, rng: Rng, onProgress?: (done: number, total: number) => void): SyntheticItems {
  const n = p.items;
  const styles = generateStyles(p, rng.fork('styles'));
  const T = GARMENT_TYPES.length;
  const C = COLOURS.length;
  const P = PATTERNS.length;
  const S = styles.count;
  const ids: string[] = new Array(n);
  const type = new Int32Array(n);
  const colour = new Int32Array(n);
  const pattern = new Int32Array(n);
  const department = new Uint8Array(n);
  const style = new Int32Array(n);
  const price = new Float64Array(n);
  const priceLevel = new Float64Array(n);
  const name: string[] = new Array(n);
  const popularity = new Float64Array(n);
  const trend = new Float64Array(n);
  const deptShare = [0.5, 0.35, 0.15];
  const typeW = new Float64Array(T);
  const width = Math.max(6, String(n).length);
  const ar = rng.fork('attributes');
  for (let i = 0; i < n; i++) {
    ids[i] = `i${String(i + 1).padStart(width, '0')}`;
    const s = ar.weighted(styles.popularity, 1);
    const d = ar.weighted(deptShare, 1);
    for (let t = 0; t < T; t++) typeW[t] = GARMENT_TYPES[t].departments.includes(d) ? GARMENT_TYPES[t].share * styles.type[s * T + t] : 0;
    const t = ar.weighted(typeW);
    const c = ar.weighted(styles.colour.subarray(s * C, (s + 1) * C));
    const pt = ar.weighted(styles.pattern.subarray(s * P, (s + 1) * P));
    style[i] = s;
    department[i] = d;
    type[i] = t;
    colour[i] = c;
    pattern[i] = pt;
    const level = styles.priceLevel[s] * Math.exp(ar.normal(0, 0.25));
    priceLevel[i] = level;
    const raw = GARMENT_TYPES[t].basePrice * level * (d === 2 ? 0.6 : 1);
    price[i] = Math.max(2.99, Math.round(raw) - 0.01);
    const cname = COLOURS[c].name;
    name[i] =
      `${cname[0].toUpperCase()}${cname.slice(1)} ${PATTERNS[pt] === 'solid' ? '' : `${PATTERNS[pt]} `}${styleName(s)} ${GARMENT_TYPES[t].name}`;
    popularity[i] = Math.exp(ar.normal(0, 1.1));
    trend[i] = ar.normal(0, 0.3);
  }

  const vectors = contentVectors(p, rng.fork('vectors'), { type, colour, pattern, department, style, priceLevel }, S, onProgress);
  const { outfit, outfits } = plantOutfits(p, rng.fork('outfits'), { type, department, style });

  // New arrivals appear at the start of a day after the first one, so "no events before arrival" is exact.
  const arrival = new Float64Array(n).fill(p.startTime);
  const days = p.weeks * 7;
  const tr = rng.fork('arrivals');
  const nNew = Math.round(p.newArrivalFraction * n);
  for (const i of sample(tr, n, nNew)) arrival[i] = p.startTime + (1 + tr.int(days - 1)) * DAY_MS;
  const end = p.startTime + days * DAY_MS;
  const stockOutAt = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const restockAt = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const nOut = Math.round(p.stockOutFraction * n);
  for (const i of sample(tr, n, nOut)) {
    const from = arrival[i];
    stockOutAt[i] = Math.round(from + tr.uniform(0.2, 0.95) * (end - from));
    if (tr.bernoulli(0.4)) restockAt[i] = Math.round(stockOutAt[i] + tr.uniform(2, 7) * DAY_MS);
  }
  return {
    n,
    ids,
    type,
    colour,
    pattern,
    department,
    style,
    price,
    priceLevel,
    name,
    vectors,
    outfit,
    outfits,
    arrival,
    stockOutAt,
    restockAt,
    popularity,
    trend,
    styles,
  };
}

/** Random unit-norm direction in R^D. */
function direction(rng: Rng, D: number): Float32Array {
  const v = new Float32Array(D);
  let s = 0;
  for (let j = 0; j < D; j++) {
    v[j] = rng.normal();
    s += v[j] * v[j];
  }
  const inv = 1 / Math.sqrt(s);
  for (let j = 0; j < D; j++) v[j] *= inv;
  return v;
}

/**
 * Content vectors from latent visual factors, standing in for image embeddings: one random direction per
 * garment type, colour, pattern, style and department, a price direction, an 8-d continuous "cut" factor,
 * plus isotropic noise. Items sharing factors are close; the noise keeps look-alikes from being identical.
 */
function contentVectors(
  p: WorldParams,
  rng: Rng,
  a: { type: Int32Array; colour: Int32Array; pattern: Int32Array; department: Uint8Array; style: Int32Array; priceLevel: Float64Array },
  S: number,
  onProgress?: (done: number, total: number) => void,
): Float32Array {
  const D = p.dim;
  const n = a.type.length;
  const typeB = GARMENT_TYPES.map(() => direction(rng, D));
  const colourB = COLOURS.map(() => direction(rng, D));
  const patternB = PATTERNS.map(() => direction(rng, D));
  const deptB = DEPARTMENTS.map(() => direction(rng, D));
  const styleB = Array.from({ length: S }, () => direction(rng, D));
  const priceB = direction(rng, D);
  const CUT = 8;
  const cutB = Array.from({ length: CUT }, () => direction(rng, D));
  // Signal norm is about 1.75; the noise is scaled to it so `vectorNoise` is a noise-to-signal ratio.
  const noiseStd = (p.vectorNoise * 1.75) / Math.sqrt(D);
  const out = new Float32Array(n * D);
  // Row = noise, then one axpy per factor: flat loops over D that the JIT turns into tight code.
  const axpy = (row: Float32Array, a: number, x: Float32Array) => {
    for (let j = 0; j < D; j++) row[j] += a * x[j];
  };
  for (let i = 0; i < n; i++) {
    const row = out.subarray(i * D, (i + 1) * D);
    for (let j = 0; j < D; j++) row[j] = noiseStd * rng.normal();
    axpy(row, 1.0, typeB[a.type[i]]);
    axpy(row, 0.8, colourB[a.colour[i]]);
    axpy(row, 0.6, patternB[a.pattern[i]]);
    axpy(row, 0.8, styleB[a.style[i]]);
    axpy(row, 0.3, deptB[a.department[i]]);
    axpy(row, 0.5 * Math.log(a.priceLevel[i]), priceB);
    for (let k = 0; k < CUT; k++) axpy(row, rng.normal(0, 0.35 / Math.sqrt(CUT)), cutB[k]);
    if (onProgress && (i % 2048 === 2047 || i === n - 1)) onProgress(i + 1, n);
  }
  return out;
}

/**
 * Plants outfit groups: an anchor plus one item for each other slot of a look (top + bottom + shoes, or a
 * dress + shoes, sometimes an outer layer or accessory), same department, half of the partners from the anchor's
 * style and half from any style, so that co-purchases are not predictable from content similarity alone.
 */
function plantOutfits(
  p: WorldParams,
  rng: Rng,
  a: { type: Int32Array; department: Uint8Array; style: Int32Array },
): { outfit: Int32Array; outfits: Int32Array[] } {
  const n = a.type.length;
  const outfit = new Int32Array(n).fill(-1);
  const outfits: Int32Array[] = [];
  const byDeptSlot = new Map<string, number[]>();
  const byDeptSlotStyle = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const slot = GARMENT_TYPES[a.type[i]].slot;
    push(byDeptSlot, `${a.department[i]}|${slot}`, i);
    push(byDeptSlotStyle, `${a.department[i]}|${slot}|${a.style[i]}`, i);
  }
  const target = Math.round(p.outfitFraction * n);
  let assigned = 0;
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  for (const anchor of order) {
    if (assigned >= target) break;
    if (outfit[anchor] >= 0) continue;
    const d = a.department[anchor];
    const aslot = GARMENT_TYPES[a.type[anchor]].slot;
    const slots: OutfitSlot[] = aslot === 'full' ? ['full', 'shoes'] : ['top', 'bottom', 'shoes'];
    if (aslot === 'outer' || aslot === 'accessory') slots.push(aslot);
    else if (rng.bernoulli(0.4)) slots.push(rng.bernoulli(0.5) ? 'outer' : 'accessory');
    if (!slots.includes(aslot)) continue;
    const members = [anchor];
    for (const slot of slots) {
      if (slot === aslot) continue;
      const sameStyle = rng.bernoulli(0.5);
      const pool = sameStyle ? byDeptSlotStyle.get(`${d}|${slot}|${a.style[anchor]}`) : byDeptSlot.get(`${d}|${slot}`);
      if (!pool) continue;
      for (let tries = 0; tries < 12; tries++) {
        const j = pool[rng.int(pool.length)];
        if (outfit[j] < 0 && !members.includes(j)) {
          members.push(j);
          break;
        }
      }
    }
    if (members.length < 2) continue;
    const g = outfits.length;
    for (const j of members) outfit[j] = g;
    outfits.push(Int32Array.from(members));
    assigned += members.length;
  }
  return { outfit, outfits };
}

function push(m: Map<string, number[]>, k: string, v: number): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** `k` distinct indices from [0, n), in random order (partial Fisher–Yates). */
export function sample(rng: Rng, n: number, k: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  const m = Math.min(k, n);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a.slice(0, m);
}
