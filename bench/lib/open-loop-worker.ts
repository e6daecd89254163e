import { Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Rng } from '../../src/core/rng.js';
import type { OpenLoopOptions, OpenLoopRaw } from './open-loop.js';

/**
 * The open-loop load generator's thread (its own heap, so the bench process's world and garbage do not pause it).
 * Request i is due at t0 + i / rate whatever happened to the earlier ones; its latency runs from that due time to the
 * last byte of the response, so a stalled server (or a stalled generator) shows up in the percentiles instead of
 * silently lowering the offered rate (no coordinated omission). HTTP/1.1 keep-alive over raw sockets, one request in
 * flight per connection, Nagle off; requests due while every connection is busy wait in a queue, on the clock.
 */

interface Pending {
  due: number;
  sent: number;
}

class Connection {
  readonly socket: Socket;
  busy: Pending | undefined;
  private buf: Buffer | undefined;
  private need = -1;
  private status = 0;

  constructor(
    host: string,
    port: number,
    private readonly done: (c: Connection, p: Pending, status: number) => void,
    private readonly failed: (c: Connection, err: Error) => void,
  ) {
    this.socket = new Socket();
    this.socket.setNoDelay(true);
    this.socket.on('data', (d) => this.onData(d));
    this.socket.on('error', (err) => this.failed(this, err));
    this.socket.connect(port, host);
  }

  send(req: Buffer, p: Pending): void {
    this.busy = p;
    p.sent = performance.now();
    this.socket.write(req);
  }

  /** Parses `status line, headers, Content-Length body` responses (all the service sends on these routes). */
  private onData(d: Buffer): void {
    let buf = this.buf ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      if (this.need < 0) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          this.buf = buf;
          return;
        }
        const head = buf.toString('latin1', 0, end);
        this.status = Number(head.slice(9, 12));
        const m = /\r\ncontent-length: *(\d+)/i.exec(head);
        if (!m) {
          this.failed(this, new Error('response without content-length'));
          return;
        }
        this.need = end + 4 + Number(m[1]);
      }
      if (buf.length < this.need) {
        this.buf = buf;
        return;
      }
      const rest: Buffer | undefined = buf.length > this.need ? buf.subarray(this.need) : undefined;
      this.need = -1;
      this.buf = undefined;
      const p = this.busy;
      this.busy = undefined;
      if (p) this.done(this, p, this.status);
      if (!rest) return;
      buf = rest;
    }
  }
}

function main(o: OpenLoopOptions): void {
  const url = new URL(o.url);
  const rng = new Rng(o.seed);
  let ts = Date.UTC(2026, 2, 1);
  const hostHeader = `Host: ${url.host}\r\n`;
  const request = (i: number): Buffer => {
    if ((i + 1) % o.writeEvery === 0) {
      const body = JSON.stringify({ user: `u${rng.int(o.users)}`, item: o.items[rng.int(o.items.length)], type: 'click', timestamp: ts++ });
      return Buffer.from(
        `POST /v1/events HTTP/1.1\r\n${hostHeader}content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    return Buffer.from(`GET /v1/users/u${rng.int(o.users)}/recommendations?k=10 HTTP/1.1\r\n${hostHeader}\r\n`);
  };

  const total = Math.round(o.rate * o.seconds);
  // NaN = never answered (a timeout or a failed connection): counted as slower than everything else
  const latency = new Float64Array(total).fill(Number.NaN);
  const sendLag = new Float64Array(total).fill(Number.NaN);
  let completed = 0;
  let non2xx = 0;
  let errors = 0;
  let maxQueue = 0;
  // due requests waiting for a free connection, oldest first (a head index: shift() is O(n) when the server falls behind)
  const queue: Array<{ p: Pending; req: Buffer; i: number }> = [];
  let head = 0;
  const idle: Connection[] = [];
  const index = new Map<Pending, number>();
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });

  const dispatch = () => {
    while (head < queue.length && idle.length > 0) {
      const q = queue[head++];
      if (head === queue.length) {
        queue.length = 0;
        head = 0;
      }
      const c = idle.pop()!;
      index.set(q.p, q.i);
      c.send(q.req, q.p);
      sendLag[q.i] = q.p.sent - q.p.due;
    }
  };
  const onDone = (c: Connection, p: Pending, status: number) => {
    const i = index.get(p)!;
    index.delete(p);
    latency[i] = performance.now() - p.due;
    completed++;
    if (status < 200 || status >= 300) non2xx++;
    idle.push(c);
    dispatch();
  };
  const onFailed = (c: Connection, err: Error) => {
    errors++;
    if (c.busy) index.delete(c.busy);
    c.busy = undefined;
    c.socket.destroy();
    if (errors <= 3) parentPort?.postMessage({ log: `connection failed: ${err.message}` });
  };
  const conns = Array.from({ length: o.connections }, () => new Connection(url.hostname, Number(url.port), onDone, onFailed));
  let connected = 0;
  for (const c of conns)
    c.socket.once('connect', () => {
      idle.push(c);
      if (++connected === conns.length) start();
    });

  function start() {
    loopDelay.enable();
    const t0 = performance.now() + 5;
    const interval = 1000 / o.rate;
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && t0 + next * interval <= now) {
        queue.push({ p: { due: t0 + next * interval, sent: 0 }, req: request(next), i: next });
        next++;
      }
      if (queue.length - head > maxQueue) maxQueue = queue.length - head;
      dispatch();
      if (next < total) setTimeout(tick, Math.max(0, t0 + next * interval - performance.now()));
      else finish(t0);
    };
    setTimeout(tick, 5);
  }

  function finish(t0: number) {
    // give the last requests up to 5 s; any still unanswered count as timeouts at the end
    const deadline = performance.now() + 5000;
    const wait = () => {
      if (completed + errors < total && (head < queue.length || index.size > 0) && performance.now() < deadline) {
        setTimeout(wait, 5);
        return;
      }
      loopDelay.disable();
      const elapsed = (performance.now() - t0) / 1000;
      for (const c of conns) c.socket.destroy();
      const raw: OpenLoopRaw = {
        total,
        completed,
        non2xx,
        errors,
        timeouts: total - completed - errors,
        elapsed,
        maxQueue,
        latency,
        sendLag,
        loopDelayP99: loopDelay.percentile(99) / 1e6,
        loopDelayMax: loopDelay.max / 1e6,
      };
      parentPort?.postMessage({ result: raw }, [latency.buffer, sendLag.buffer]);
    };
    wait();
  }
}

main(workerData as OpenLoopOptions);
