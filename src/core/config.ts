import { z } from 'zod';
import { TailorError } from './errors.js';

/**
 * The one typed, validated configuration. Every field has a documented default (docs/config.md);
 * environment variables override the defaults and a config file / CLI flags override those.
 * Sections follow the data flow: graph → teacher → student → online → knn → server / storage.
 */

const typeWeights = z.object({
  click: z.number().nonnegative().default(1),
  favorite: z.number().nonnegative().default(2),
  cart: z.number().nonnegative().default(3),
  purchase: z.number().nonnegative().default(4),
});

export const configSchema = z.object({
  seed: z.number().int().default(42),
  typeWeights: typeWeights.default({ click: 1, favorite: 2, cart: 3, purchase: 4 }),

  graph: z
    .object({
      /** Pair a user's items of one type only within their last `maxItemsPerUser` items of that type (SPEC §2 bound). */
      maxItemsPerUser: z.number().int().positive().default(30),
      /** Pair only items whose events are at most this many ms apart (a session); 0 = no limit. */
      sessionGapMs: z.number().int().nonnegative().default(0),
    })
    .prefault({}),

  teacher: z
    .object({
      hidden: z.array(z.number().int().positive()).default([256]),
      outDim: z.number().int().positive().default(64),
      neighbourAgg: z.enum(['mean', 'max', 'sum']).default('mean'),
      relationAgg: z.enum(['mean', 'sum', 'max']).default('mean'),
      loss: z.enum(['margin', 'difference']).default('margin'),
      margin: z.number().positive().default(1),
      relationWeights: z
        .object({
          click: z.number().nonnegative().default(0.1),
          favorite: z.number().nonnegative().default(0.5),
          cart: z.number().nonnegative().default(0.5),
          purchase: z.number().nonnegative().default(1),
        })
        .prefault({}),
      weightedSampling: z.boolean().default(true),
      numNeighbors: z.array(z.number().int().positive()).default([10, 5]),
      batchSize: z.number().int().positive().default(128),
      epochs: z.number().int().positive().default(20),
      patience: z.number().int().positive().default(5),
      lr: z.number().positive().default(5e-3),
      weightDecay: z.number().nonnegative().default(1e-5),
      validationFraction: z.number().min(0).max(0.5).default(0.1),
      /** Cap on optimisation steps per epoch (0 = one pass over every item with an edge). */
      maxStepsPerEpoch: z.number().int().nonnegative().default(0),
      /** Keep a trained positive edge out of its own ends' sampled neighbourhoods (no target leakage). */
      excludeTargetEdges: z.boolean().default(true),
      /** What early stopping watches on the validation graph: its loss, or the AUC of its edges vs negatives. */
      earlyStopping: z.enum(['loss', 'auc']).default('loss'),
      /** Feed the teacher the top-`inputDim` principal components of the content vectors when D is larger (0 = raw). */
      inputDim: z.number().int().nonnegative().default(128),
    })
    .prefault({}),

  train: z
    .object({
      /** Wall-clock budget of one training job in seconds (graph build to artifact); 0 = none. Sized for 105k items. */
      maxSeconds: z.number().nonnegative().default(840),
      /** Share of what is left after the graph build that the teacher may use; the student gets the rest. */
      teacherShare: z.number().gt(0).lt(1).default(0.8),
    })
    .prefault({}),

  student: z
    .object({
      hidden: z.array(z.number().int().positive()).default([256]),
      epochs: z.number().int().positive().default(100),
      batchSize: z.number().int().positive().default(256),
      lr: z.number().positive().default(5e-4),
      weightDecay: z.number().nonnegative().default(1e-5),
      patience: z.number().int().positive().default(5),
      /** β of a margin contrastive term on the student's own outputs over training-graph edges, added to eq. 4 (0 = eq. 4 only). */
      contrastiveWeight: z.number().nonnegative().default(1),
      /** 'pca': start from a content-preserving linear skip path (docs/training.md); 'none': a plain Glorot MLP. */
      skip: z.enum(['pca', 'none']).default('pca'),
      /**
       * What early stopping watches on held-out items: alignment error (eq. 4), the AUC of their training-graph links
       * against random items, or the recall@10 of those links over the whole catalogue (finer, costs a full projection).
       */
      earlyStopping: z.enum(['alignment', 'link', 'recall']).default('link'),
      /**
       * Form of the graph term: 'margin' (eq. 2–3, one uniform negative a pair) or 'softmax' (each pair ranked against
       * the batch's items at once, `softmaxNegatives`; src/student/softmax-loss.ts).
       */
      graphLoss: z.enum(['margin', 'softmax']).default('softmax'),
      /**
       * The softmax's wrong answers: 'batch' = every other pair's linked item and every random item of the batch;
       * 'uniform' = the random items only (in-batch linked items are drawn by degree, so they push popular items away).
       */
      softmaxNegatives: z.enum(['batch', 'uniform']).default('uniform'),
      /** Softmax temperature τ as a share of the mean squared distance between two random teacher embeddings. */
      temperature: z.number().positive().default(0.1),
      /** Anchors drawn for the graph term each step (one linked pair and one random item each). */
      graphAnchors: z.number().int().positive().default(64),
    })
    .prefault({}),

  online: z
    .object({
      /** EMA factor α of eq. 5. */
      alpha: z.number().gt(0).lte(1).default(0.3),
      /** Adapt every b interactions. */
      adaptEvery: z.number().int().positive().default(5),
      /** SGD steps for a batch of clicks; grows with the batch's interaction weights. */
      minSteps: z.number().int().positive().default(10),
      maxSteps: z.number().int().positive().default(80),
      lr: z.number().positive().default(0.01),
      weightDecay: z.number().nonnegative().default(0),
      /** Triplet margin m of eq. 7; `Infinity` pulls positives only. */
      margin: z.number().positive().default(1),
      /** Which layers adapt: 'last' (cheap re-projection) or 'all'. */
      adaptLayers: z.enum(['last', 'all']).default('last'),
      historySize: z.number().int().positive().default(50),
      /** Rank r of the personal last-layer delta W_u = W + A·B (src/personal/low-rank.ts). */
      deltaRank: z.number().int().positive().default(8),
      /** Backpressure: no new adaptation is queued while this many wait or run; users' batches grow meanwhile. */
      maxQueuedAdaptations: z.number().int().positive().default(64),
      /** At most this many recommended-but-ignored items serve as negatives of eq. 7 per adaptation. */
      maxNegatives: z.number().int().nonnegative().default(20),
      /** Personal models live this long (ms); 0 = until the next model swap. */
      lifetimeMs: z
        .number()
        .int()
        .nonnegative()
        .default(14 * 24 * 3600 * 1000),
      /** Reset personal models at midnight UTC ("daily cold start"). */
      dailyReset: z.boolean().default(false),
      idleTtlMs: z
        .number()
        .int()
        .nonnegative()
        .default(30 * 60 * 1000),
      memoryBudgetBytes: z
        .number()
        .int()
        .positive()
        .default(4 * 1024 ** 3),
      workers: z.number().int().nonnegative().default(1),
    })
    .prefault({}),

  knn: z
    .object({
      /** Coordinates of the global projection scanned per query, as int8 (the first, highest-variance ones; ≤ d). */
      projectionDims: z.number().int().positive().default(32),
      /** Candidates from the int8 scan re-ranked by the exact distance. */
      rerank: z.number().int().positive().default(32),
    })
    .prefault({}),

  server: z
    .object({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8080),
      apiKeys: z.array(z.string().min(8)).default([]),
      requireKeyForReads: z.boolean().default(false),
      maxBodyBytes: z
        .number()
        .int()
        .positive()
        .default(1024 * 1024),
      maxK: z.number().int().positive().default(100),
      rateLimitPerMinute: z.number().int().positive().default(60_000),
    })
    .prefault({}),

  storage: z
    .object({
      /** State store URL: `sqlite:<file>` (embedded default), `memory:` or `redis://host:port`. */
      store: z.string().default('sqlite:./var/tailor.db'),
      /** Event stream URL: `log:` (embedded, in the store), `nats://host:port` or `redis-stream://host:port`. */
      events: z.string().default('log:'),
    })
    .prefault({}),
});

export type TailorConfig = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Environment variables and the config path each one sets (documented in docs/config.md). */
export const ENV_VARS: Record<string, { path: string[]; type: 'number' | 'string' | 'boolean' | 'list' }> = {
  TAILOR_SEED: { path: ['seed'], type: 'number' },
  TAILOR_HOST: { path: ['server', 'host'], type: 'string' },
  TAILOR_PORT: { path: ['server', 'port'], type: 'number' },
  TAILOR_API_KEYS: { path: ['server', 'apiKeys'], type: 'list' },
  TAILOR_REQUIRE_KEY_FOR_READS: { path: ['server', 'requireKeyForReads'], type: 'boolean' },
  TAILOR_STORE: { path: ['storage', 'store'], type: 'string' },
  TAILOR_EVENTS: { path: ['storage', 'events'], type: 'string' },
  TAILOR_WORKERS: { path: ['online', 'workers'], type: 'number' },
  TAILOR_ADAPT_EVERY: { path: ['online', 'adaptEvery'], type: 'number' },
  TAILOR_ALPHA: { path: ['online', 'alpha'], type: 'number' },
  TAILOR_MEMORY_BUDGET_BYTES: { path: ['online', 'memoryBudgetBytes'], type: 'number' },
};

/** Builds the validated config: defaults, then environment variables, then `overrides`. Throws CONFIG_INVALID naming the field. */
export function loadConfig(overrides: ConfigInput = {}, env: NodeJS.ProcessEnv = process.env): TailorConfig {
  const fromEnv: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(ENV_VARS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    let value: unknown = raw;
    if (spec.type === 'number') {
      value = Number(raw);
      if (!Number.isFinite(value))
        throw new TailorError('CONFIG_INVALID', `environment variable ${name} must be a number, got "${raw}"`, { field: name });
    } else if (spec.type === 'boolean') value = raw === '1' || raw.toLowerCase() === 'true';
    else if (spec.type === 'list')
      value = raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    setPath(fromEnv, spec.path, value);
  }
  const merged = deepMerge(fromEnv, overrides as Record<string, unknown>);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.');
    throw new TailorError(
      'CONFIG_INVALID',
      issue.message,
      { field },
      { issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) },
    );
  }
  return parsed.data;
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let cur = obj;
  for (let i = 0; i < path.length - 1; i++) {
    cur[path[i]] ??= {};
    cur = cur[path[i]] as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = value;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' && !Array.isArray(prev)
        ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
