import { TailorError } from '../core/errors.js';
import type { Interaction } from '../core/types.js';
import { redactUrl } from '../storage/store.js';

/**
 * The event stream: accepted interactions, durable once `append` resolves, consumed by the Tailor processes
 * that own the user's partition (events are partitioned by user, so one process adapts a given user and
 * per-user order is kept). Delivery is at least once: a record is acknowledged when the handler resolves,
 * and a consumer group that restarts resumes after its last acknowledged record.
 */

export interface StreamRecord {
  /** Driver-specific position (log sequence, JetStream sequence, Redis entry id). */
  offset: string;
  partition: number;
  event: Interaction;
}

export interface ConsumeOptions {
  /** Durable consumer-group name; progress is kept per group and partition. */
  group: string;
  /** Partitions this process owns. */
  partitions: readonly number[];
  /** Most records handed to the handler at once. */
  batchSize?: number;
}

export interface Consumer {
  /** Stops delivery; the records not yet acknowledged are delivered again to the next consumer of the group. */
  stop(): Promise<void>;
  /** Records received and not yet handled (a gauge for /metrics). */
  pending(): number;
}

export interface EventStream {
  readonly url: string;
  /** Number of user partitions. */
  readonly partitions: number;
  /**
   * Appends events; resolves once they are durable. For the embedded log, consumers in this process have
   * also handled them by then (so a 202 means the next recommendation reflects the event).
   */
  append(events: ReadonlyArray<Interaction>): Promise<void>;
  /** Starts delivering the owned partitions' records to `handler`, in order within each partition. */
  consume(opts: ConsumeOptions, handler: (batch: StreamRecord[]) => Promise<void>): Promise<Consumer>;
  /**
   * Retention, where the driver does it itself: deletes events whose event time is before `cutoff` (epoch ms) and
   * that every consumer group has acknowledged; returns how many went. (JetStream and Redis streams are bounded by
   * their own server-side limits instead.)
   */
  trim?(cutoff: number): Promise<number>;
  close(): Promise<void>;
}

export const DEFAULT_PARTITIONS = 16;

/** The partition of `user` among `n` (FNV-1a of the id: stable across processes and restarts). */
export function partitionOf(user: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < user.length; i++) {
    h ^= user.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % n;
}

/** The partitions process `index` of `count` owns (round robin: p ≡ index mod count). */
export function ownedPartitions(partitions: number, index: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count)
    throw new TailorError('CONFIG_INVALID', `process index ${index} must be in [0, ${count})`, { field: 'processIndex' });
  const out: number[] = [];
  for (let p = index; p < partitions; p += count) out.push(p);
  return out;
}

/**
 * Opens the stream named by `url`: `log:` (embedded, in the SQLite file of `storeUrl`, or in memory),
 * `log:<file>`, `nats://host:port[?stream=NAME]` (JetStream, durable consumers) or
 * `redis-stream://host:port[?prefix=name]` (one Redis stream per partition, consumer groups).
 */
export async function openStream(url: string, opts: { storeUrl?: string; partitions?: number } = {}): Promise<EventStream> {
  const partitions = opts.partitions ?? DEFAULT_PARTITIONS;
  if (!Number.isInteger(partitions) || partitions < 1)
    throw new TailorError('CONFIG_INVALID', `partitions must be a positive integer, got ${partitions}`, { field: 'partitions' });
  const scheme = url.slice(0, url.indexOf(':') + 1);
  switch (scheme) {
    case 'log:': {
      const { LogStream } = await import('./drivers/log.js');
      let file = url.slice('log:'.length);
      if (file === '') file = opts.storeUrl?.startsWith('sqlite:') ? opts.storeUrl.slice('sqlite:'.length) || ':memory:' : ':memory:';
      return LogStream.open(file, partitions);
    }
    case 'nats:': {
      const { NatsStream } = await import('./drivers/nats.js');
      return NatsStream.open(url, partitions);
    }
    case 'redis-stream:': {
      const { RedisStream } = await import('./drivers/redis-stream.js');
      return RedisStream.open(url, partitions);
    }
    default:
      throw new TailorError(
        'UNSUPPORTED_URL',
        `no event-stream driver for "${redactUrl(url)}" (use log:, nats://host:port or redis-stream://host:port)`,
        {
          field: 'events',
        },
      );
  }
}

/** Encodes an event for text/bytes transports. */
export function encodeEvent(e: Interaction): string {
  return JSON.stringify([e.user, e.item, e.type, e.timestamp]);
}

/** Inverse of `encodeEvent`. */
export function decodeEvent(s: string): Interaction {
  const [user, item, type, timestamp] = JSON.parse(s) as [string, string, Interaction['type'], number];
  return { user, item, type, timestamp };
}
