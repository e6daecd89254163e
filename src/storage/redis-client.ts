import type { Redis, RedisOptions } from 'ioredis';
import { TailorError } from '../core/errors.js';
import { redactUrl } from './store.js';

/** A Redis URL split into the client URL and Tailor's key prefix (`?prefix=name`, default `tailor`). */
export function parseRedisUrl(url: string): { clientUrl: string; prefix: string } {
  const u = new URL(url);
  const prefix = u.searchParams.get('prefix') ?? 'tailor';
  u.searchParams.delete('prefix');
  const scheme = u.protocol === 'redis-stream:' ? 'redis:' : u.protocol;
  return { clientUrl: `${scheme}//${u.username ? `${u.username}:${u.password}@` : ''}${u.host}${u.pathname}${u.search}`, prefix };
}

/**
 * Connects to Redis with ioredis, loaded lazily. Commands fail (rather than queue forever) while the server is
 * unreachable, so a request answers 503 instead of hanging; the client keeps reconnecting in the background.
 */
export async function connectRedis(url: string, extra: RedisOptions = {}): Promise<Redis> {
  const { Redis: RedisClient } = await import('ioredis');
  const { clientUrl } = parseRedisUrl(url);
  const client = new RedisClient(clientUrl, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(50 * times, 1000),
    ...extra,
  });
  client.on('error', () => {
    // reported through failing commands; without a listener ioredis prints every reconnect attempt
  });
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    throw new TailorError(
      'STORAGE_UNAVAILABLE',
      `cannot reach Redis at ${redactUrl(url)}: ${(err as Error).message}`,
      {},
      {},
      { cause: err },
    );
  }
  return client;
}

/** Runs a Redis command, turning connection failures into STORAGE_UNAVAILABLE (HTTP 503). */
export async function redisCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new TailorError('STORAGE_UNAVAILABLE', `Redis ${what} failed: ${(err as Error).message}`, {}, {}, { cause: err });
  }
}
