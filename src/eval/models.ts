import type { ModelArtifact } from '../artifact/types.js';
import { CnnEmaRecommender } from '../baselines/cnn-ema.js';
import { ItemCfRecommender } from '../baselines/item-cf.js';
import { LastKRecommender } from '../baselines/last-k.js';
import { LightGcnRecommender } from '../baselines/lightgcn.js';
import { PinSageRecommender } from '../baselines/pinsage.js';
import { PopularityRecommender } from '../baselines/popularity.js';
import { RandomRecommender } from '../baselines/random.js';
import { loadConfig, type TailorConfig } from '../core/config.js';
import { TailorError } from '../core/errors.js';
import { TailorRecommender, type TailorRecommenderOptions, type TrainFn } from '../engine/tailor-recommender.js';
import type { ModelSpec } from './evaluate.js';
import { trainForEval } from './train-artifact.js';

/** Model names of results.json, in table order (issue 5). */
export const MODEL_NAMES = [
  'random',
  'popularity',
  'last-k',
  'item-cf',
  'cnn-ema',
  'lightgcn',
  'pinsage',
  'tailor-no-personalisation',
  'tailor-no-pretraining',
  'tailor-daily',
  'tailor-1w',
  'tailor-2w',
  'tailor-3w',
] as const;

export const BASELINE_NAMES = ['random', 'popularity', 'last-k', 'item-cf', 'cnn-ema', 'lightgcn', 'pinsage'] as const;

/** Knobs that bound the cost of the trained baselines in an evaluation run. */
export interface BaselineBudget {
  /** Seconds of training per trained baseline and window (default 120). */
  trainSeconds?: number;
  /** EMA α for the embedding baselines (default 0.3). */
  alpha?: number;
  /** Quick mode: few epochs, for smoke tests. */
  quick?: boolean;
}

/** The ModelSpec of baseline `name`. */
export function baselineSpec(name: string, budget: BaselineBudget = {}): ModelSpec {
  const alpha = budget.alpha ?? 0.3;
  const secs = budget.trainSeconds ?? 120;
  switch (name) {
    case 'random':
      return { name, create: () => new RandomRecommender() };
    case 'popularity':
      return { name, create: () => new PopularityRecommender() };
    case 'last-k':
      return { name, create: () => new LastKRecommender() };
    case 'item-cf':
      return { name, create: () => new ItemCfRecommender() };
    case 'cnn-ema':
      return { name, create: () => new CnnEmaRecommender({ alpha }) };
    case 'lightgcn':
      return { name, create: () => new LightGcnRecommender({ alpha, maxSeconds: secs, epochs: budget.quick ? 3 : 30 }) };
    case 'pinsage':
      return { name, create: () => new PinSageRecommender({ alpha, maxSeconds: secs, epochs: budget.quick ? 1 : 5 }) };
    default:
      throw new TailorError('CONFIG_INVALID', `unknown baseline "${name}" (known: ${BASELINE_NAMES.join(', ')})`, { field: 'models' });
  }
}

/** The Tailor rows of the tables and the engine options that make each (lifetimes, ablations, blended mode). */
export const TAILOR_VARIANTS: Record<string, TailorRecommenderOptions> = {
  'tailor-no-personalisation': { personalise: false },
  'tailor-no-pretraining': { pretrained: false, lifetime: { weeks: 2 } },
  'tailor-daily': { lifetime: 'daily' },
  'tailor-1w': { lifetime: { weeks: 1 } },
  'tailor-2w': { lifetime: { weeks: 2 } },
  'tailor-3w': { lifetime: { weeks: 3 } },
  'tailor-2w-reengage': { lifetime: { weeks: 2 }, reengagement: { slots: 3, maxAgeMs: 7 * 86_400_000 } },
};

/** Options of the Tailor rows: the configuration (e.g. the one `tailor tune` wrote) and training verbosity. */
export interface TailorRowOptions {
  config?: TailorConfig;
  quiet?: boolean;
  /** Where the rows get their artifact (default: trained once per window and seed, shared by the rows). */
  train?: TrainFn;
}

/**
 * Every requested model as a ModelSpec (default: all baselines, then every Tailor row). Tailor variants of one
 * training window share one trained artifact (teacher + student): the first variant trains, the others reuse it.
 */
export function allModelSpecs(names: readonly string[] | undefined, budget: BaselineBudget & TailorRowOptions = {}): ModelSpec[] {
  const wanted = names ?? [...BASELINE_NAMES, ...Object.keys(TAILOR_VARIANTS)];
  const specs: ModelSpec[] = [];
  const config = budget.config ?? loadConfig();
  const artifacts = new Map<string, Promise<ModelArtifact>>();
  const train: TrainFn =
    budget.train ??
    ((data, cfg) => {
      const key = `${data.window.start}:${data.window.end}:${data.seed}`;
      let p = artifacts.get(key);
      if (!p) {
        p = trainForEval(data, cfg, { quiet: budget.quiet });
        artifacts.set(key, p);
      }
      return p;
    });
  for (const name of wanted) {
    if (!name.startsWith('tailor')) {
      specs.push(baselineSpec(name, budget));
      continue;
    }
    const variant = TAILOR_VARIANTS[name];
    if (!variant)
      throw new TailorError('CONFIG_INVALID', `unknown Tailor row "${name}" (known: ${Object.keys(TAILOR_VARIANTS).join(', ')})`, {
        field: 'models',
      });
    // a personal model learns from its own user's events only, and at a prediction point the user has a history, so
    // the engine's popularity fallback is never what answers: other users' later events cannot change a scored list
    specs.push({ name, independentUsers: true, create: () => new TailorRecommender({ ...variant, name, config, train }) });
  }
  return specs;
}
