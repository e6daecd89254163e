import type { ModelArtifact } from '../artifact/types.js';
import { loadConfig, type TailorConfig } from '../core/config.js';
import { TailorError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { INTERACTION_TYPES, type Interaction } from '../core/types.js';
import { createMlp, mlpShape } from '../nn/mlp.js';
import type { RecommendationList, Recommender, RecommendOptions, TrainingData } from '../recommender/contract.js';
import { Engine } from './engine.js';

/** Trains a model artifact from a training window (src/train/train.ts by default). */
export type TrainFn = (data: TrainingData, config: TailorConfig) => Promise<ModelArtifact>;

export interface TailorRecommenderOptions {
  /** Name in results tables; defaults to one derived from the variant, e.g. `tailor-2w`. */
  name?: string;
  config?: TailorConfig;
  /** Use this artifact instead of training one in `fit`. */
  artifact?: ModelArtifact;
  train?: TrainFn;
  /** false: the "no personalisation" ablation (global student + EMA, never adapted). */
  personalise?: boolean;
  /** false: the "no pre-training" ablation (the student's weights replaced by a seeded random init, then adapted). */
  pretrained?: boolean;
  /** Personal-model lifetime: reset at midnight UTC, or live `weeks` weeks (overrides the config). */
  lifetime?: 'daily' | { weeks: number };
  /**
   * Blend re-engagement candidates into the k-NN list: up to `slots` items the shopper recently carted or favourited
   * (newest first, within `maxAgeMs`), not bought, in stock, put at the top. Off by default.
   */
  reengagement?: { slots: number; maxAgeMs?: number };
  /** Wait for each scheduled adaptation inside `ingest` (default true: a replay is then reproducible). */
  deterministic?: boolean;
}

const WEEK_MS = 7 * 86_400_000;

/**
 * Tailor as a `Recommender` (the evaluation's view): `fit` trains (or takes) the global student and creates the
 * online Engine; `ingest` and `recommend` go straight to it. Variants cover the paper's scenarios and ablations.
 */
export class TailorRecommender implements Recommender {
  readonly name: string;
  private engine: Engine | undefined;
  private readonly config: TailorConfig;
  private readonly opts: TailorRecommenderOptions;

  constructor(opts: TailorRecommenderOptions = {}) {
    this.opts = opts;
    const base = opts.config ?? loadConfig();
    const online = { ...base.online };
    if (opts.lifetime === 'daily') online.dailyReset = true;
    else if (opts.lifetime) {
      online.dailyReset = false;
      online.lifetimeMs = Math.round(opts.lifetime.weeks * WEEK_MS);
    }
    this.config = { ...base, online };
    this.name = opts.name ?? variantName(opts);
  }

  /** The running engine (after `fit`). */
  get current(): Engine {
    if (!this.engine) throw new TailorError('NOT_READY', `${this.name}: fit() has not run`);
    return this.engine;
  }

  async fit(data: TrainingData): Promise<void> {
    if (this.engine) await this.engine.close();
    let artifact = this.opts.artifact ?? (await (this.opts.train ?? defaultTrain)(data, this.config));
    if (this.opts.pretrained === false) {
      const { sizes } = mlpShape(artifact.student);
      artifact = { ...artifact, version: `${artifact.version}-random`, student: createMlp(sizes, new Rng(data.seed ?? this.config.seed)) };
    }
    const popularity = new Float64Array(data.catalogue.size);
    const cols = data.log.columns();
    const tw = this.config.typeWeights;
    for (let r = 0; r < cols.item.length; r++) {
      const id = data.log.items.id(cols.item[r]);
      const i = data.catalogue.indexOf(id);
      if (i !== undefined) popularity[i] += tw[INTERACTION_TYPES[cols.type[r]]];
    }
    this.engine = await Engine.open({
      artifact,
      catalogue: data.catalogue,
      config: this.config,
      popularity,
      personalise: this.opts.personalise,
    });
  }

  async ingest(event: Interaction): Promise<void> {
    const engine = this.current;
    engine.ingest(event);
    if (this.opts.deterministic ?? true) await engine.drain();
  }

  recommend(user: string, opts: RecommendOptions): RecommendationList {
    const engine = this.current;
    const blend = this.opts.reengagement;
    if (!blend || blend.slots <= 0) return engine.recommend(user, opts);
    const res = engine.recommend(user, opts);
    const cands = this.reengagement(user, blend.slots, blend.maxAgeMs, opts);
    if (cands.length === 0) return res;
    const top = res.items[0]?.score ?? 0;
    const taken = new Set(cands);
    const items = cands.map((item) => ({ item, score: top }));
    for (const it of res.items) if (items.length < opts.k && !taken.has(it.item)) items.push(it);
    return { items: items.slice(0, opts.k), source: res.source };
  }

  private reengagement(user: string, slots: number, maxAgeMs: number | undefined, opts: RecommendOptions): string[] {
    const engine = this.current;
    const cat = engine.catalogue;
    const hist = engine.history(user);
    const now = hist.length ? hist[hist.length - 1].timestamp : 0;
    const out: string[] = [];
    for (let i = hist.length - 1; i >= 0 && out.length < slots; i--) {
      const h = hist[i];
      if (h.type !== 'cart' && h.type !== 'favorite') continue;
      if (maxAgeMs !== undefined && now - h.timestamp > maxAgeMs) break;
      const idx = cat.indexOf(h.item);
      if (idx === undefined || !cat.isInStock(idx) || engine.hasPurchased(user, idx) || out.includes(h.item)) continue;
      if (opts.filter && !opts.filter(idx)) continue;
      out.push(h.item);
    }
    return out;
  }

  resetUsers(): void {
    this.engine?.resetUsers();
  }

  async close(): Promise<void> {
    await this.engine?.close();
    this.engine = undefined;
  }
}

function variantName(o: TailorRecommenderOptions): string {
  if (o.personalise === false) return 'tailor-no-personalisation';
  const parts = ['tailor'];
  if (o.pretrained === false) parts.push('no-pretraining');
  if (o.lifetime === 'daily') parts.push('daily');
  else if (o.lifetime) parts.push(`${o.lifetime.weeks}w`);
  if (o.reengagement?.slots) parts.push('reengage');
  return parts.join('-');
}

/** Loads the trainer lazily (src/train/train.ts, `trainModel`), so the engine builds without it. */
const defaultTrain: TrainFn = async (data, config) => {
  const path = '../train/train.js';
  const mod = (await import(path)) as { trainModel?: TrainFn };
  if (typeof mod.trainModel !== 'function') throw new TailorError('TRAINING_FAILED', 'src/train/train.ts exports no trainModel');
  return mod.trainModel(data, config);
};
