import { readFileSync } from 'node:fs';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import type { InteractionType } from '../../src/core/types.js';
import { EventLog } from '../../src/events/event-log.js';

const BEHAVIOUR: Record<string, InteractionType> = { pv: 'click', view: 'click', fav: 'favorite', cart: 'cart', buy: 'purchase' };

/**
 * A deliberately small, independent reader of the Taobao / RetailRocket CSV layouts for the harness cross-check,
 * so that the check does not depend on the production loaders it may one day be used to validate.
 */
export function readSimpleLog(
  file: string,
  layout: 'taobao' | 'retailrocket',
  window?: { start: number; end: number },
): { log: EventLog; catalogue: Catalogue } {
  const log = new EventLog({ capacity: 100_000 });
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = layout === 'retailrocket' ? 1 : 0; i < lines.length; i++) {
    const f = lines[i].trim().split(',');
    if (f.length < 4) continue;
    const [user, item, behaviour, ts] = layout === 'taobao' ? [f[0], f[1], f[3], f[4]] : [f[0], f[1], f[2], f[3]];
    const t = Number(ts) * 1000;
    if (window && (t < window.start || t >= window.end)) continue;
    log.push(user, item, BEHAVIOUR[behaviour], t);
  }
  log.sortByTime();
  return { log, catalogue: new Catalogue(1, { ids: log.items }) };
}
