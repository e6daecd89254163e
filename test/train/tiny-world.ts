import { Catalogue } from '../../src/catalogue/catalogue.js';
import { Rng } from '../../src/core/rng.js';
import { INTERACTION_TYPES } from '../../src/core/types.js';
import { EventLog } from '../../src/events/event-log.js';

/**
 * A small hand-made shop for training tests: items belong to latent styles that their content vectors reflect only
 * weakly (signal `signal`, the rest noise); each user shops one style, so co-interaction edges reveal the styles.
 */
export function tinyWorld(opts: { items?: number; users?: number; styles?: number; dim?: number; signal?: number; seed?: number } = {}) {
  const n = opts.items ?? 300;
  const users = opts.users ?? 400;
  const styles = opts.styles ?? 6;
  const dim = opts.dim ?? 16;
  const signal = opts.signal ?? 0.35;
  const rng = new Rng(opts.seed ?? 7);
  const centroids = Array.from({ length: styles }, () => Float32Array.from({ length: dim }, () => rng.normal()));
  const style = new Int32Array(n);
  const cat = new Catalogue(dim);
  for (let i = 0; i < n; i++) {
    style[i] = i % styles;
    const v = Float32Array.from({ length: dim }, (_, c) => signal * centroids[style[i]][c] + rng.normal());
    cat.upsert({ id: `item-${i}`, vector: v });
  }
  const byStyle = Array.from({ length: styles }, (_, s) => Array.from({ length: n }, (_, i) => i).filter((i) => style[i] === s));
  const log = new EventLog({ items: cat.ids });
  const t0 = Date.UTC(2026, 0, 5);
  const events: Array<[number, number, number, number]> = [];
  for (let u = 0; u < users; u++) {
    const s = rng.int(styles);
    const k = 4 + rng.int(8);
    for (let e = 0; e < k; e++) {
      const item = byStyle[s][rng.int(byStyle[s].length)];
      const type = rng.next() < 0.5 ? 0 : rng.next() < 0.5 ? 3 : 1 + rng.int(2);
      events.push([u, item, type, t0 + rng.int(7 * 24 * 3600 * 1000)]);
    }
  }
  events.sort((a, b) => a[3] - b[3]);
  for (const [u, item, type, t] of events) log.push(`user-${u}`, `item-${item}`, INTERACTION_TYPES[type], t);
  return { catalogue: cat, log, style, window: { start: t0, end: t0 + 7 * 24 * 3600 * 1000 } };
}
