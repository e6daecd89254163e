import type { Rng } from '../core/rng.js';
import type { EventLog } from '../events/event-log.js';

/**
 * User-based split of a training window (SPEC §4 validation graph): a `fraction` of the users, chosen with `rng`,
 * and all their events go to `validation`; everyone else's to `train`. Both logs share the input's dictionaries.
 */
export function splitByUser(log: EventLog, fraction: number, rng: Rng): { train: EventLog; validation: EventLog; validationUsers: number } {
  const nUsers = log.users.size;
  const isVal = new Uint8Array(nUsers);
  let count = 0;
  for (let u = 0; u < nUsers; u++)
    if (rng.next() < fraction) {
      isVal[u] = 1;
      count++;
    }
  return {
    train: log.filter((i) => isVal[log.userAt(i)] === 0),
    validation: log.filter((i) => isVal[log.userAt(i)] === 1),
    validationUsers: count,
  };
}
