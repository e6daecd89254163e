import type { ConsumerMessages, JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import { TailorError } from '../../core/errors.js';
import { componentLogger } from '../../core/log.js';
import type { Interaction } from '../../core/types.js';
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

const log = componentLogger('stream.nats');

/** How long JetStream waits for an ack before redelivering (also the stall of a partition after its owner crashed). */
const ACK_WAIT_MS = 5000;

/**
 * `nats://host:port[?stream=NAME]` — NATS JetStream (the `nats` client, loaded lazily). One file-backed stream
 * with a subject per partition (`<name>.p.<n>`); `append` resolves once JetStream has acknowledged every
 * message; each owned partition has a durable pull consumer `<group>-p<n>` with explicit acks and one message in
 * flight, so a partition is applied strictly in order even across crashes and redeliveries.
 */
export class NatsStream implements EventStream {
  private readonly consumers = new ConsumerSet<NatsConsumer>();

  private constructor(
    readonly url: string,
    readonly partitions: number,
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    readonly streamName: string,
  ) {}

  static async open(url: string, partitions: number): Promise<NatsStream> {
    const u = new URL(url);
    const name = u.searchParams.get('stream') ?? 'TAILOR_EVENTS';
    if (!/^[A-Za-z0-9_-]+$/.test(name))
      throw new TailorError('CONFIG_INVALID', `NATS stream name "${name}" may hold only letters, digits, _ and -`, { field: 'events' });
    const nats = await import('nats');
    let nc: NatsConnection;
    try {
      nc = await nats.connect({
        servers: `${u.hostname}:${u.port || 4222}`,
        user: u.username || undefined,
        pass: u.password || undefined,
        timeout: 2000,
        maxReconnectAttempts: -1,
      });
    } catch (err) {
      throw new TailorError(
        'STREAM_UNAVAILABLE',
        `cannot reach NATS at ${redactUrl(url)}: ${(err as Error).message}`,
        {},
        {},
        { cause: err },
      );
    }
    const jsm = await nc.jetstreamManager();
    try {
      await jsm.streams.info(name);
    } catch {
      await jsm.streams.add({ name, subjects: [`${name}.p.*`], storage: nats.StorageType.File });
    }
    return new NatsStream(redactUrl(url), partitions, nc, nc.jetstream(), jsm, name);
  }

  async append(events: ReadonlyArray<Interaction>): Promise<void> {
    try {
      await Promise.all(
        events.map((e) => this.js.publish(`${this.streamName}.p.${partitionOf(e.user, this.partitions)}`, Buffer.from(encodeEvent(e)))),
      );
    } catch (err) {
      throw new TailorError('STREAM_UNAVAILABLE', `NATS publish failed: ${(err as Error).message}`, {}, {}, { cause: err });
    }
  }

  async consume(opts: ConsumeOptions, handler: (batch: StreamRecord[]) => Promise<void>): Promise<Consumer> {
    const { AckPolicy, DeliverPolicy, nanos } = await import('nats');
    const subs: ConsumerMessages[] = [];
    for (const p of opts.partitions) {
      const durable = `${opts.group}-p${p}`;
      try {
        await this.jsm.consumers.info(this.streamName, durable);
      } catch {
        await this.jsm.consumers.add(this.streamName, {
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          filter_subject: `${this.streamName}.p.${p}`,
          // one unacknowledged message per partition keeps per-user order through redeliveries (a redelivered
          // older event must not arrive after a newer one, or the offset check would skip it); a message left
          // unacknowledged by a killed process is redelivered after ack_wait
          max_ack_pending: 1,
          ack_wait: nanos(ACK_WAIT_MS),
        });
      }
      const c = await this.js.consumers.get(this.streamName, durable);
      subs.push(await c.consume({ max_messages: opts.batchSize ?? 256 }));
    }
    return this.consumers.add((onStop) => new NatsConsumer(subs, opts.partitions, handler, onStop));
  }

  async close(): Promise<void> {
    await this.consumers.stopAll();
    await this.nc.drain().catch(() => this.nc.close());
  }

  /** Deletes the stream and its consumers (tests and tear-down only). */
  async destroy(): Promise<void> {
    await this.jsm.streams.delete(this.streamName).catch(() => false);
  }
}

class NatsConsumer implements Consumer {
  private readonly loops: Promise<void>[];
  private readonly delivery: OneByOne;

  constructor(
    private readonly subs: ConsumerMessages[],
    partitions: readonly number[],
    handler: (batch: StreamRecord[]) => Promise<void>,
    private readonly onStop: () => void,
  ) {
    this.delivery = new OneByOne(handler);
    this.loops = subs.map(async (msgs, i) => {
      for await (const m of msgs) {
        const err = await this.delivery.deliver(
          () => ({ offset: String(m.seq), partition: partitions[i], event: decodeEvent(m.string()) }),
          () => m.ack(),
        );
        if (err) {
          log.error({ err: err.message }, 'event handler failed; asking for redelivery');
          m.nak(500);
        }
      }
    });
  }

  pending(): number {
    return this.delivery.inFlight + this.subs.reduce((s, m) => s + m.getPending(), 0);
  }

  async stop(): Promise<void> {
    for (const s of this.subs) s.stop();
    await Promise.allSettled(this.loops);
    this.onStop();
  }
}
