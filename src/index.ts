/**
 * Tailor as a library: load data, train the weekly model, and serve personalised recommendations in-process,
 * without the CLI or the HTTP service (those live in src/cli and src/server and import from here, never the reverse).
 */

export * from './artifact/index.js';
export { Catalogue } from './catalogue/catalogue.js';
export { type ConfigInput, loadConfig, type TailorConfig } from './core/config.js';
export { ERROR_CATALOGUE, type ErrorCode, isTailorError, TailorError } from './core/errors.js';
export type { Matrix } from './core/matrix.js';
export { Rng } from './core/rng.js';
export * from './core/types.js';
export { Engine } from './engine/engine.js';
export { TailorRecommender } from './engine/tailor-recommender.js';
export { EventLog } from './events/event-log.js';
export { IdDictionary } from './events/id-dictionary.js';
export { type Dataset, loadDataset } from './events/loaders/index.js';
export { buildProductGraph, type ProductGraph, RELATIONS } from './graph/index.js';
export { createMlp, type Mlp, mlpForward } from './nn/mlp.js';
export type { RecommendationList, Recommender, RecommendOptions, ScoredItem, TrainingData } from './recommender/contract.js';
export { generateWorld, writeWorld } from './synthetic/index.js';
export { trainModel } from './train/train.js';
export { trainModelFromPairs } from './train/train-from-pairs.js';
