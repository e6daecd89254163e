import { Catalogue } from '../../src/catalogue/catalogue.js';
import { Rng } from '../../src/core/rng.js';
import { INTERACTION_TYPES, type Interaction } from '../../src/core/types.js';
import { EventLog } from '../../src/events/event-log.js';
import type { TrainingData } from '../../src/recommender/contract.js';

const DAY = 24 * 3600 * 1000;
export const WORLD_START = Date.UTC(2024, 0, 1);

/**
 * A hand-made world small enough for unit tests: `items` products in `clusters` content clusters (D = `dim`),
 * `users` shoppers who each favour one cluster, a 7-day training log and a 3-day test stream, seeded.
 */
export function smallWorld(opts: { items?: number; users?: number; dim?: number; clusters?: number; seed?: number } = {}): {
  catalogue: Catalogue;
  train: TrainingData;
  test: Interaction[];
  clusterOf: (item: string) => number;
} {
  const nItems = opts.items ?? 60;
  const nUsers = opts.users ?? 24;
  const dim = opts.dim ?? 8;
  const nClusters = opts.clusters ?? 4;
  const rng = new Rng(opts.seed ?? 7);
  const catalogue = new Catalogue(dim);
  const centres = Array.from({ length: nClusters }, () => Float32Array.from({ length: dim }, () => rng.normal(0, 3)));
  for (let i = 0; i < nItems; i++) {
    const c = centres[i % nClusters];
    catalogue.upsert({
      id: `item-${i}`,
      vector: Float32Array.from(c, (v) => v + rng.normal(0, 0.5)),
      attributes: { cluster: i % nClusters },
    });
  }
  const log = new EventLog({ items: catalogue.ids });
  const test: Interaction[] = [];
  const events: Interaction[] = [];
  for (let u = 0; u < nUsers; u++) {
    const taste = u % nClusters;
    const n = 12 + rng.int(10);
    for (let e = 0; e < n; e++) {
      const inTaste = rng.bernoulli(0.85);
      const cluster = inTaste ? taste : rng.int(nClusters);
      const item = cluster + nClusters * rng.int(Math.floor(nItems / nClusters));
      const r = rng.next();
      const type = INTERACTION_TYPES[r < 0.7 ? 0 : r < 0.8 ? 1 : r < 0.9 ? 2 : 3];
      events.push({ user: `user-${u}`, item: `item-${item}`, type, timestamp: WORLD_START + rng.uniform(0, 10 * DAY) });
    }
  }
  events.sort((a, b) => a.timestamp - b.timestamp);
  for (const e of events) {
    if (e.timestamp < WORLD_START + 7 * DAY) log.add(e);
    else test.push(e);
  }
  return {
    catalogue,
    train: { log, catalogue, window: { start: WORLD_START, end: WORLD_START + 7 * DAY }, seed: 11 },
    test,
    clusterOf: (item) => Number(item.slice(5)) % nClusters,
  };
}
