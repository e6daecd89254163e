import type Database from 'better-sqlite3';
import { componentLogger } from '../../core/log.js';
import { INTERACTION_TYPES, type Interaction, TYPE_CODE } from '../../core/types.js';
import { acquireSqlite } from '../../storage/sqlite-db.js';
import { SerialPump } from '../serial-pump.js';
import { type ConsumeOptions, type Consumer, type EventStream, partitionOf, type StreamRecord } from '../stream.js';

const log = componentLogger('stream.log');

interface Row {
  seq: number;
  part: number;
  user: string;
  item: string;
  type: number;
  ts: number;
}

/**
 * `log:` — the embedded event log: an append-only table in the same SQLite file as the state store, committed
 * with fsync before `append` resolves; consumer-group offsets live in the same file.
 */
/** Consumers by database, so an append through any handle of the file wakes every consumer of this process. */
const consumersOf = new WeakMap<Database.Database, Set<LogConsumer>>();

/** How often a consumer looks for rows appended by another process sharing the file. */
const POLL_MS = 250;

/** The longest `append` waits for in-process consumers (a failing handler must not hold up the 202). */
const LOCAL_WAIT_MS = 2000;

export class LogStream implements EventStream {
  private readonly consumers: Set<LogConsumer>;
  private readonly own = new Set<LogConsumer>();
  private readonly insert: Database.Statement;

  private constructor(
    readonly url: string,
    readonly partitions: number,
    private readonly db: Database.Database,
    private readonly release: () => void,
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, part INTEGER NOT NULL, user TEXT NOT NULL,
        item TEXT NOT NULL, type INTEGER NOT NULL, ts REAL NOT NULL);
      CREATE TABLE IF NOT EXISTS stream_offsets (grp TEXT NOT NULL, part INTEGER NOT NULL, seq INTEGER NOT NULL,
        PRIMARY KEY (grp, part)) WITHOUT ROWID;
    `);
    let set = consumersOf.get(db);
    if (!set) {
      set = new Set();
      consumersOf.set(db, set);
    }
    this.consumers = set;
    this.insert = db.prepare('INSERT INTO events (part, user, item, type, ts) VALUES (?, ?, ?, ?, ?)');
  }

  static open(file: string, partitions: number): LogStream {
    const { db, release } = acquireSqlite(file);
    return new LogStream(`log:${file === ':memory:' ? '' : file}`, partitions, db, release);
  }

  async append(events: ReadonlyArray<Interaction>): Promise<void> {
    if (events.length === 0) return;
    this.db.transaction(() => {
      for (const e of events) this.insert.run(partitionOf(e.user, this.partitions), e.user, e.item, TYPE_CODE[e.type], e.timestamp);
    })();
    // durable now; wait (boundedly) for this process's consumers so the caller's next read reflects the events
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.consumers].map((c) => c.pump.kick())),
      new Promise((r) => {
        timer = setTimeout(r, LOCAL_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  async consume(opts: ConsumeOptions, handler: (batch: StreamRecord[]) => Promise<void>): Promise<Consumer> {
    const c = new LogConsumer(this.db, opts, handler, () => {
      this.consumers.delete(c);
      this.own.delete(c);
    });
    this.consumers.add(c);
    this.own.add(c);
    void c.pump.kick();
    return c;
  }

  async trim(cutoff: number): Promise<number> {
    const parts = this.db.prepare('SELECT DISTINCT part FROM stream_offsets').all() as { part: number }[];
    const del = this.db.prepare(
      'DELETE FROM events WHERE part = ? AND ts < ? AND seq <= (SELECT MIN(seq) FROM stream_offsets WHERE part = ?)',
    );
    return this.db.transaction(() => parts.reduce((n, { part }) => n + del.run(part, cutoff, part).changes, 0))();
  }

  async close(): Promise<void> {
    await Promise.all([...this.own].map((c) => c.stop()));
    this.release();
  }
}

class LogConsumer implements Consumer {
  readonly pump: SerialPump;
  private readonly offsets = new Map<number, number>();
  private cursor: number;
  private inFlight = 0;
  private readonly select: Database.Statement;
  private readonly saveOffset: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly opts: ConsumeOptions,
    private readonly handler: (batch: StreamRecord[]) => Promise<void>,
    private readonly onStop: () => void,
  ) {
    const parts = [...opts.partitions];
    const stored = db.prepare('SELECT part, seq FROM stream_offsets WHERE grp = ?').all(opts.group) as { part: number; seq: number }[];
    for (const p of parts) this.offsets.set(p, 0);
    for (const r of stored) if (this.offsets.has(r.part)) this.offsets.set(r.part, r.seq);
    this.cursor = Math.min(...this.offsets.values());
    const list = parts.length > 0 ? parts.join(',') : '-1';
    this.select = db.prepare(`SELECT seq, part, user, item, type, ts FROM events WHERE seq > ? AND part IN (${list}) ORDER BY seq LIMIT ?`);
    this.saveOffset = db.prepare(
      'INSERT INTO stream_offsets (grp, part, seq) VALUES (?, ?, ?) ON CONFLICT(grp, part) DO UPDATE SET seq = excluded.seq',
    );
    this.pump = new SerialPump(() => this.step());
    this.timer = setInterval(() => void this.pump.kick(), POLL_MS);
    this.timer.unref();
  }
  private readonly timer: NodeJS.Timeout;

  private async step(): Promise<boolean> {
    const rows = this.select.all(this.cursor, this.opts.batchSize ?? 256) as Row[];
    if (rows.length === 0) return false;
    const batch: StreamRecord[] = [];
    for (const r of rows)
      if (r.seq > (this.offsets.get(r.part) ?? 0))
        batch.push({
          offset: String(r.seq),
          partition: r.part,
          event: { user: r.user, item: r.item, type: INTERACTION_TYPES[r.type], timestamp: r.ts },
        });
    this.inFlight = batch.length;
    try {
      if (batch.length > 0) await this.handler(batch);
    } catch (err) {
      log.error({ err: (err as Error).message }, 'event handler failed; retrying the batch');
      await new Promise((r) => setTimeout(r, 500));
      return !this.pump.stopped;
    } finally {
      this.inFlight = 0;
    }
    const last = new Map<number, number>();
    for (const r of rows) last.set(r.part, r.seq);
    this.db.transaction(() => {
      for (const [p, s] of last) {
        this.offsets.set(p, s);
        this.saveOffset.run(this.opts.group, p, s);
      }
    })();
    this.cursor = rows[rows.length - 1].seq;
    return true;
  }

  pending(): number {
    return this.inFlight;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.pump.stop();
    this.onStop();
  }
}
