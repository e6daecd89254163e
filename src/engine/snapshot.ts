import type { Catalogue } from '../catalogue/catalogue.js';
import { TailorError } from '../core/errors.js';
import { INTERACTION_TYPES, isInteractionType, TYPE_CODE } from '../core/types.js';
import type { ModelState } from './model-state.js';
import type { UserStateSnapshot } from './types.js';
import { UserState } from './user-state.js';

/**
 * A user's state as compact JSON (history by item id, EMA and the low-rank delta as base64 float32), so that the
 * service can snapshot users to storage and restore them. Projections are never stored: they are rebuilt on use.
 */

function f32ToB64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function b64ToF32(s: string, length: number, field: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  if (buf.byteLength !== length * 4)
    throw new TailorError('VALIDATION', `expected ${length} float32 values, got ${buf.byteLength / 4}`, { field });
  const out = new Float32Array(length);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** The snapshot of one user. */
export function exportUser(st: UserState, catalogue: Catalogue, modelVersion: string): UserStateSnapshot {
  return {
    user: st.id,
    modelVersion,
    history: st.history().map((h) => ({ item: catalogue.ids.id(h.item), type: INTERACTION_TYPES[h.type], timestamp: h.time })),
    purchased: Array.from(st.purchased.subarray(0, st.purchasedCount), (i) => catalogue.ids.id(i)),
    ema: st.ema && st.emaVersion === modelVersion ? f32ToB64(st.ema) : null,
    delta: st.delta
      ? { rank: st.delta.rank, hidden: st.delta.hidden, out: st.delta.out, a: f32ToB64(st.delta.a), b: f32ToB64(st.delta.b) }
      : null,
    personalSince: st.personalSince,
    lastSeen: st.lastSeen,
  };
}

/** Rebuilds a user from a snapshot. Items no longer in the catalogue are skipped; a delta of another model is dropped. */
export function importUser(s: UserStateSnapshot, catalogue: Catalogue, model: ModelState, historySize: number): UserState {
  if (typeof s?.user !== 'string' || s.user === '') throw new TailorError('VALIDATION', 'snapshot has no user id', { field: 'user' });
  if (!Array.isArray(s.history)) throw new TailorError('VALIDATION', 'snapshot history must be an array', { field: 'history' });
  const st = new UserState(s.user, historySize);
  s.history.forEach((h, n) => {
    if (!isInteractionType(h.type))
      throw new TailorError('VALIDATION', `unknown interaction type "${h.type}"`, { field: `history.${n}.type` });
    const i = catalogue.indexOf(h.item);
    if (i !== undefined) st.push(i, TYPE_CODE[h.type], Number(h.timestamp) || 0);
  });
  for (const id of s.purchased ?? []) {
    const i = catalogue.indexOf(id);
    if (i !== undefined) st.addPurchase(i);
  }
  st.lastSeen = Number(s.lastSeen) || 0;
  const sameModel = s.modelVersion === model.version;
  const d = s.delta;
  if (sameModel && d && d.hidden === model.hidden && d.out === model.dim && d.rank > 0) {
    st.delta = {
      rank: d.rank,
      hidden: d.hidden,
      out: d.out,
      a: b64ToF32(d.a, d.hidden * d.rank, 'delta.a'),
      b: b64ToF32(d.b, d.rank * d.out, 'delta.b'),
    };
    st.personalSince = Number(s.personalSince) || st.lastSeen;
  }
  if (sameModel && s.ema && (st.delta !== null || d === null)) {
    st.ema = b64ToF32(s.ema, model.dim, 'ema');
    st.emaVersion = model.version;
  }
  return st;
}
