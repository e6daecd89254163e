import type { Catalogue } from '../catalogue/catalogue.js';
import type { TailorConfig } from '../core/config.js';
import { hashString, Rng } from '../core/rng.js';
import { INTERACTION_TYPES } from '../core/types.js';
import { stepsFor, weightedCentroid } from '../personal/centroid.js';
import { cloneDelta, initDelta, type LowRankDelta } from '../personal/low-rank.js';
import type { AdaptTask } from './adapt-task.js';
import type { ModelState } from './model-state.js';
import type { UserState } from './user-state.js';

/**
 * Turns a user's pending batch into an adaptation task (SPEC §6): positives = the batch, negatives = items recommended
 * since the last adaptation that the user did not touch (most recent first, at most `maxNegatives`), anchor = the
 * eq. 6 centroid pushed through the frozen layers, steps from the batch's interaction weights. Takes the batch and
 * the negatives out of `st`.
 */
export function planAdaptation(
  m: ModelState,
  catalogue: Catalogue,
  config: TailorConfig,
  st: UserState,
  out: Int8Array,
): { task: AdaptTask; meta: { steps: number; positives: number; negatives: number } } {
  const o = config.online;
  const items = st.pendingItems.splice(0);
  const types = st.pendingTypes.splice(0);
  const touched = new Set(items);
  const negs: number[] = [];
  for (let i = st.recommended.length - 1; i >= 0 && negs.length < o.maxNegatives; i--) {
    const n = st.recommended[i];
    if (!touched.has(n)) {
      touched.add(n);
      negs.push(n);
    }
  }
  st.recommended = [];
  const tw = config.typeWeights;
  const weights = types.map((t) => tw[INTERACTION_TYPES[t]]);
  const D = catalogue.dim;
  const x = new Float32Array(items.length * D);
  items.forEach((it, r) => {
    x.set(catalogue.vector(it), r * D);
  });
  const gather = (idx: number[]) => {
    const rows = new Float32Array(idx.length * m.hidden);
    idx.forEach((it, r) => {
      rows.set(m.basisRow(it), r * m.hidden);
    });
    return rows;
  };
  const delta = st.delta
    ? cloneDelta(st.delta)
    : initDelta(m.hidden, m.dim, o.deltaRank, new Rng(hashString(`${m.version}:${st.id}`) ^ config.seed));
  const steps = stepsFor(weights, tw.click, o.minSteps, o.maxSteps);
  const task: AdaptTask = {
    ...common(m, delta, out),
    anchor: m.basisOf(weightedCentroid(x, weights, D)),
    pos: gather(items),
    neg: gather(negs),
    steps,
    lr: o.lr,
    weightDecay: o.weightDecay,
    margin: o.margin,
  };
  return { task, meta: { steps, positives: items.length, negatives: negs.length } };
}

/** A task with no SGD step: only re-projects the catalogue through an existing delta (an evicted user coming back). */
export function planReprojection(m: ModelState, delta: LowRankDelta, out: Int8Array): AdaptTask {
  return {
    ...common(m, cloneDelta(delta), out),
    anchor: new Float32Array(m.hidden),
    pos: new Float32Array(0),
    neg: new Float32Array(0),
    steps: 0,
    lr: 0,
    weightDecay: 0,
    margin: 1,
  };
}

function common(m: ModelState, delta: LowRankDelta, out: Int8Array) {
  return {
    modelKey: `${m.version}:${m.basis.length}`,
    basis: m.basis,
    pg: m.pg,
    rows: m.rows,
    weight: m.weight,
    delta,
    out,
  };
}
