import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';

/** Resolves to a skip reason when nothing answers on 127.0.0.1:`port`, else false. */
export function probe(port: number, name: string): Promise<string | false> {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok ? false : `${name} not reachable on 127.0.0.1:${port} (scripts/ensure-services.sh starts it)`);
    };
    s.setTimeout(1000, () => done(false));
    s.once('error', () => done(false));
    s.connect(port, '127.0.0.1', () => done(true));
  });
}

export const redisSkip = await probe(6379, 'Redis');
export const natsSkip = await probe(4222, 'NATS');

/** A prefix unique to this test run, so parallel runs never share keys or streams. */
export function uniquePrefix(tag: string): string {
  return `tailortest_${tag}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Deletes every Redis key under `prefix` (test clean-up). */
export async function dropRedisPrefix(prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const r = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  await r.connect();
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await r.del(...keys);
  } while (cursor !== '0');
  await r.quit();
}
