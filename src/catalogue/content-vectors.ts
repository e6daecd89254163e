import type { Matrix } from '../core/matrix.js';
import { hashString, Rng } from '../core/rng.js';
import { DEFAULT_TYPE_WEIGHTS, INTERACTION_TYPES, type TypeWeights } from '../core/types.js';
import type { EventLog } from '../events/event-log.js';

/** Which evidence the fallback content vectors are built from. */
export type ContentVectorMethod = 'attributes' | 'interactions' | 'both';

export interface DeriveContentVectorsOptions {
  /** Item ids in index order (the catalogue's dictionary ids). */
  ids: readonly string[];
  dim: number;
  method: ContentVectorMethod;
  seed?: number;
  /** Attribute columns aligned with item indices; `attributeNames` picks which (default: all). */
  attributes?: ReadonlyMap<string, ArrayLike<string | number | undefined>>;
  attributeNames?: string[];
  /** Interactions whose item indices match `ids`; only events with timestamp < `before` are used (no look-ahead). */
  log?: EventLog;
  before?: number;
  typeWeights?: TypeWeights;
  /** Non-zero coordinates per user in the sparse random projection (default 8). */
  userNnz?: number;
}

export interface DerivedVectors {
  vectors: Matrix;
  /** Items whose vector used attributes / interactions / neither (a unique id-seeded random vector). */
  fromAttributes: number;
  fromInteractions: number;
  fromIdOnly: number;
}

/**
 * Fallback content vectors x_i for items without one (SPEC §1), unit L2 norm, deterministic by seed:
 * - attributes: the sum of one seeded Gaussian D-vector per (attribute, value) token — a random projection of the
 *   item's attribute one-hot, so items sharing more attribute values are closer;
 * - interactions: a sparse random projection (feature hashing, `userNnz` ±1 coordinates per user) of the item's
 *   type-weighted user-incidence row before `before`, so items bought or viewed by the same people are close
 *   (their dot product estimates the weighted co-occurrence count);
 * - both: the normalised sum of the two parts (each normalised first); an item with neither gets a unique
 *   vector seeded by its id so it is never a zero row.
 */
export function deriveContentVectors(opts: DeriveContentVectorsOptions): DerivedVectors {
  const n = opts.ids.length;
  const dim = opts.dim;
  const seed = opts.seed ?? 42;
  const out = new Float32Array(n * dim);
  const useAttr = opts.method !== 'interactions' && opts.attributes !== undefined;
  const useInter = opts.method !== 'attributes' && opts.log !== undefined;
  const attrPart = useAttr ? attributePart(opts, n, dim, seed) : undefined;
  const interPart = useInter ? interactionPart(opts, n, dim, seed) : undefined;
  let fromAttributes = 0;
  let fromInteractions = 0;
  let fromIdOnly = 0;
  for (let i = 0; i < n; i++) {
    const row = out.subarray(i * dim, (i + 1) * dim);
    const a = attrPart && normalizeInto(attrPart.subarray(i * dim, (i + 1) * dim));
    const b = interPart && normalizeInto(interPart.subarray(i * dim, (i + 1) * dim));
    if (a) fromAttributes++;
    if (b) fromInteractions++;
    if (a && attrPart) row.set(attrPart.subarray(i * dim, (i + 1) * dim));
    if (b && interPart) for (let k = 0; k < dim; k++) row[k] += interPart[i * dim + k];
    if (!a && !b) {
      fromIdOnly++;
      gaussianInto(row, new Rng(hashString(`${seed}:id:${opts.ids[i]}`)));
    }
    normalizeInto(row);
  }
  return { vectors: { rows: n, cols: dim, data: out }, fromAttributes, fromInteractions, fromIdOnly };
}

function attributePart(opts: DeriveContentVectorsOptions, n: number, dim: number, seed: number): Float32Array {
  const part = new Float32Array(n * dim);
  const names = opts.attributeNames ?? [...(opts.attributes?.keys() ?? [])];
  const tokens = new Map<string, Float32Array>();
  for (const name of names) {
    const col = opts.attributes?.get(name);
    if (!col) continue;
    for (let i = 0; i < n && i < col.length; i++) {
      const v = col[i];
      if (v === undefined || v === '') continue;
      const key = `${name}=${v}`;
      let t = tokens.get(key);
      if (!t) {
        t = gaussianInto(new Float32Array(dim), new Rng(hashString(`${seed}:attr:${key}`)));
        tokens.set(key, t);
      }
      const base = i * dim;
      for (let k = 0; k < dim; k++) part[base + k] += t[k];
    }
  }
  return part;
}

function interactionPart(opts: DeriveContentVectorsOptions, n: number, dim: number, seed: number): Float32Array {
  const part = new Float32Array(n * dim);
  const log = opts.log!;
  const before = opts.before ?? Number.POSITIVE_INFINITY;
  const weights = opts.typeWeights ?? DEFAULT_TYPE_WEIGHTS;
  const w = INTERACTION_TYPES.map((t) => weights[t]);
  const nnz = Math.min(opts.userNnz ?? 8, dim);
  const { user, item, type, time } = log.columns();
  // Per-user hashed coordinates and signs, computed once per user index (4 bytes × nnz per user).
  const nUsers = log.users.size;
  const coords = new Int32Array(nUsers * nnz).fill(-1);
  for (let r = 0; r < user.length; r++) {
    if (time[r] >= before) continue;
    const i = item[r];
    if (i >= n) continue;
    const u = user[r];
    const base = u * nnz;
    if (coords[base] < 0) {
      let h = hashString(`${seed}:user:${log.users.id(u)}`);
      for (let k = 0; k < nnz; k++) {
        h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
        h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
        // Low bit = sign, the rest picks the coordinate.
        coords[base + k] = (((h >>> 1) % dim) << 1) | (h & 1);
      }
    }
    const wt = w[type[r]];
    for (let k = 0; k < nnz; k++) {
      const c = coords[base + k];
      part[i * dim + (c >> 1)] += c & 1 ? wt : -wt;
    }
  }
  return part;
}

/**
 * Fills rows of `vectors` that lack a real vector (`has[i] === 0`) in the same space: the mean of the real vectors
 * of the items sharing each of its attribute values (averaged over attributes), else the mean of all real vectors.
 * Returns how many rows were filled.
 */
export function imputeMissingVectors(
  vectors: Matrix,
  has: Uint8Array,
  attributes?: ReadonlyMap<string, ArrayLike<string | number | undefined>>,
  attributeNames?: string[],
): number {
  const { rows: n, cols: dim, data } = vectors;
  const global = new Float64Array(dim);
  let known = 0;
  for (let i = 0; i < n; i++) {
    if (!has[i]) continue;
    known++;
    for (let k = 0; k < dim; k++) global[k] += data[i * dim + k];
  }
  if (known > 0) for (let k = 0; k < dim; k++) global[k] /= known;
  const names = attributeNames ?? [...(attributes?.keys() ?? [])];
  const means = names.map((name) => {
    const col = attributes?.get(name);
    const sums = new Map<string | number, { sum: Float64Array; count: number }>();
    if (col)
      for (let i = 0; i < n && i < col.length; i++) {
        const v = col[i];
        if (!has[i] || v === undefined || v === '') continue;
        let s = sums.get(v);
        if (!s) sums.set(v, (s = { sum: new Float64Array(dim), count: 0 }));
        s.count++;
        for (let k = 0; k < dim; k++) s.sum[k] += data[i * dim + k];
      }
    return { col, sums };
  });
  let filled = 0;
  const acc = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    if (has[i]) continue;
    acc.fill(0);
    let parts = 0;
    for (const { col, sums } of means) {
      const v = col?.[i];
      const s = v === undefined ? undefined : sums.get(v);
      if (!s) continue;
      parts++;
      for (let k = 0; k < dim; k++) acc[k] += s.sum[k] / s.count;
    }
    for (let k = 0; k < dim; k++) data[i * dim + k] = parts > 0 ? acc[k] / parts : global[k];
    filled++;
  }
  return filled;
}

function gaussianInto(v: Float32Array, rng: Rng): Float32Array {
  for (let k = 0; k < v.length; k++) v[k] = rng.normal();
  return v;
}

/** Scales `v` to unit norm in place; returns false (leaving it) when it is all zeros. */
function normalizeInto(v: Float32Array): boolean {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * v[k];
  if (s === 0) return false;
  const inv = 1 / Math.sqrt(s);
  for (let k = 0; k < v.length; k++) v[k] *= inv;
  return true;
}
