import type { Catalogue } from '../catalogue/catalogue.js';
import { TYPE_CODE } from '../core/types.js';
import type { EventLog } from '../events/event-log.js';

/**
 * Per-user interaction history shared by the history-based baselines: distinct items, most recent first
 * (bounded), and the set of purchased items. Indices are catalogue indices.
 */
export class UserHistory {
  private readonly recent = new Map<string, number[]>();
  private readonly bought = new Map<string, Set<number>>();

  constructor(readonly maxItems = 200) {}

  /** Replays a training log (time-sorted) into the histories. */
  addLog(log: EventLog, catalogue: Catalogue): void {
    const cols = log.columns();
    for (let i = 0; i < log.length; i++) {
      const idx = toCatalogue(log, catalogue, cols.item[i]);
      if (idx >= 0) this.add(log.users.id(cols.user[i]), idx, cols.type[i]);
    }
  }

  /** Records that `user` interacted with item `idx` (type code `type`) now. */
  add(user: string, idx: number, type: number): void {
    let list = this.recent.get(user);
    if (!list) this.recent.set(user, (list = []));
    const at = list.indexOf(idx);
    if (at >= 0) list.splice(at, 1);
    list.unshift(idx);
    if (list.length > this.maxItems) list.length = this.maxItems;
    if (type === TYPE_CODE.purchase) {
      let s = this.bought.get(user);
      if (!s) this.bought.set(user, (s = new Set()));
      s.add(idx);
    }
  }

  /** Distinct items of `user`, most recent first (empty for an unknown user). */
  items(user: string): readonly number[] {
    return this.recent.get(user) ?? [];
  }

  /** Items `user` purchased. */
  purchased(user: string): ReadonlySet<number> | undefined {
    return this.bought.get(user);
  }

  has(user: string): boolean {
    return this.recent.has(user);
  }

  clear(): void {
    this.recent.clear();
    this.bought.clear();
  }
}

/** Catalogue index of the log's item index `i` (identity when both share one dictionary); −1 when unknown. */
export function toCatalogue(log: EventLog, catalogue: Catalogue, i: number): number {
  if (log.items === catalogue.ids) return i;
  return catalogue.indexOf(log.items.id(i)) ?? -1;
}
