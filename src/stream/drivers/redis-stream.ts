import type { Redis } from 'ioredis';
import { TailorError } from '../../core/errors.js';
import { componentLogger } from '../../core/log.js';
import type { Interaction } from '../../core/types.js';
import { connectRedis, parseRedisUrl } from '../../storage/redis-client.js';
import { redactUrl } from '../../storage/store.js';
import { ConsumerSet, OneByOne } from '../consumer-set.js';
import {
  type ConsumeOptions,
  type Consumer,
  decodeEvent,
  type EventStream,
  encodeEvent,
  partitionOf,
  type StreamRecord,
} from '../stream.js';

const log = componentLogger('stream.redis');

/**
 * `redis-stream://host:port[?prefix=name]` — one Redis stream per partition (`<prefix>:ev:{p<n>}`, a hash tag
 * each, so partitions spread over a cluster), consumer groups with XREADGROUP / XACK. How durable an XADD is
 * depends on the server's persistence settings (appendonly + appendfsync).
 */
export class RedisStream implements EventStream {
  private readonly consumers = new ConsumerSet<RedisConsumer>();

  private constructor(
    readonly url: string,
    readonly partitions: number,
    private readonly client: Redis,
    private readonly rawUrl: string,
    readonly prefix: string,
  ) {}

  static async open(url: string, partitions: number): Promise<RedisStream> {
    const client = await connectStream(url);
    return new RedisStream(redactUrl(url), partitions, client, url, parseRedisUrl(url).prefix);
  }

  /** The stream key of partition `p`. */
  key(p: number): string {
    return `${this.prefix}:ev:{p${p}}`;
  }

  async append(events: ReadonlyArray<Interaction>): Promise<void> {
    if (events.length === 0) return;
    const pipe = this.client.pipeline();
    for (const e of events) pipe.xadd(this.key(partitionOf(e.user, this.partitions)), '*', 'e', encodeEvent(e));
    try {
      const res = await pipe.exec();
      for (const [err] of res ?? []) if (err) throw err;
    } catch (err) {
      throw new TailorError('STREAM_UNAVAILABLE', `Redis XADD failed: ${(err as Error).message}`, {}, {}, { cause: err });
    }
  }

  async consume(opts: ConsumeOptions, handler: (batch: StreamRecord[]) => Promise<void>): Promise<Consumer> {
    for (const p of opts.partitions) {
      try {
        await this.client.xgroup('CREATE', this.key(p), opts.group, '0', 'MKSTREAM');
      } catch (err) {
        if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
      }
    }
    // blocking reads need their own connection
    const reader = await connectStream(this.rawUrl, { maxRetriesPerRequest: null });
    return this.consumers.add((onStop) => new RedisConsumer(this, this.client, reader, opts, handler, onStop));
  }

  async close(): Promise<void> {
    await this.consumers.stopAll();
    await this.client.quit().catch(() => this.client.disconnect());
  }

  /** Deletes every partition's stream (tests and tear-down only). */
  async destroy(): Promise<void> {
    for (let p = 0; p < this.partitions; p++) await this.client.del(this.key(p));
  }
}

async function connectStream(url: string, extra: Parameters<typeof connectRedis>[1] = {}): Promise<Redis> {
  try {
    return await connectRedis(url, extra);
  } catch (err) {
    throw new TailorError('STREAM_UNAVAILABLE', (err as Error).message, {}, {}, { cause: err });
  }
}

class RedisConsumer implements Consumer {
  private stopped = false;
  private readonly delivery: OneByOne;
  private readonly loop: Promise<void>;

  constructor(
    private readonly stream: RedisStream,
    private readonly client: Redis,
    private readonly reader: Redis,
    private readonly opts: ConsumeOptions,
    handler: (batch: StreamRecord[]) => Promise<void>,
    private readonly onStop: () => void,
  ) {
    this.delivery = new OneByOne(handler);
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const keys = this.opts.partitions.map((p) => this.stream.key(p));
    const partOf = new Map(this.opts.partitions.map((p) => [this.stream.key(p), p]));
    // first what this consumer received before a crash and never acknowledged, then new entries
    let backlog = true;
    while (!this.stopped) {
      let res: [string, [string, string[]][]][] | null;
      try {
        res = (await this.reader.call(
          'XREADGROUP',
          'GROUP',
          this.opts.group,
          'owner',
          'COUNT',
          this.opts.batchSize ?? 256,
          ...(backlog ? [] : ['BLOCK', 1000]),
          'STREAMS',
          ...keys,
          ...keys.map(() => (backlog ? '0' : '>')),
        )) as [string, [string, string[]][]][] | null;
      } catch (err) {
        if (this.stopped) return;
        log.warn({ err: (err as Error).message }, 'XREADGROUP failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      const entries = (res ?? []).flatMap(([key, list]) => list.map(([id, fields]) => ({ key, id, fields })));
      if (backlog && entries.length === 0) {
        backlog = false;
        continue;
      }
      for (const { key, id, fields } of entries) {
        if (this.stopped) return;
        const err = await this.delivery.deliver(
          () => ({ offset: id, partition: partOf.get(key) ?? -1, event: decodeEvent(fields[1]) }),
          () => this.client.xack(key, this.opts.group, id),
        );
        if (err) {
          log.error({ err: err.message }, 'event handler failed; will read the entry again');
          backlog = true;
          await new Promise((r) => setTimeout(r, 500));
          break;
        }
      }
    }
  }

  pending(): number {
    return this.delivery.inFlight;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reader.disconnect();
    await this.loop.catch(() => {});
    this.onStop();
  }
}
