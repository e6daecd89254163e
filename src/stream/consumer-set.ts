import type { Consumer, StreamRecord } from './stream.js';

/**
 * What the network stream drivers (NATS JetStream, Redis streams) share about their consumers: the stream handle
 * keeps the consumers it started so `close()` can stop them, and each consumer hands records to the handler one at a
 * time (per-partition order through redeliveries), acknowledging only after the handler resolved.
 */

/** The consumers one stream handle started; a consumer leaves the set when it stops. */
export class ConsumerSet<C extends Consumer> {
  private readonly live = new Set<C>();

  /** Builds a consumer with the callback it must call once stopped, and keeps it until then. */
  add(build: (onStop: () => void) => C): C {
    const c = build(() => this.live.delete(c));
    this.live.add(c);
    return c;
  }

  /** Stops every consumer still running. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.live].map((c) => c.stop()));
  }
}

/** Hands records to a consumer's handler one at a time and counts the one in hand (for `Consumer.pending()`). */
export class OneByOne {
  inFlight = 0;

  constructor(private readonly handler: (batch: StreamRecord[]) => Promise<void>) {}

  /**
   * Decodes the record (`read`), runs the handler on it, then `ack`; resolves to the error when any step failed (the
   * record then stays unacknowledged).
   */
  async deliver(read: () => StreamRecord, ack: () => unknown): Promise<Error | undefined> {
    this.inFlight++;
    try {
      await this.handler([read()]);
      await ack();
      return undefined;
    } catch (err) {
      return err as Error;
    } finally {
      this.inFlight--;
    }
  }
}
