import { createHmac, randomBytes } from 'node:crypto';

/** A random key per process: log lines of one process can be correlated, but guessable ids cannot be brute-forced. */
const LOG_KEY = randomBytes(16);

/** A user id as it may appear in logs: a short keyed hash (HMAC-SHA-256), never the id itself. */
export function hashUser(user: string): string {
  return createHmac('sha256', LOG_KEY).update(user).digest('hex').slice(0, 12);
}

/** Compares stream offsets: numbers, or Redis ids `ms-seq`. */
export function compareOffsets(a: string, b: string): number {
  const [a1, a2 = '0'] = a.split('-');
  const [b1, b2 = '0'] = b.split('-');
  return Number(a1) - Number(b1) || Number(a2) - Number(b2);
}
