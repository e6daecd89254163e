import { createServer, type Server, Socket } from 'node:net';

/** The fault scenarios' tools: a write load that remembers every 202, and a Redis connection that can be cut. */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Posts uniquely stamped events from `workers` loops until `stop()`; remembers which ones got a 202. */
export function writeLoad(getUrl: () => string, items: string[], workers: number) {
  const accepted: Array<{ user: string; ts: number }> = [];
  let refused = 0;
  let failed = 0;
  let seq = 0;
  let running = true;
  const loops = Array.from({ length: workers }, async (_, w) => {
    while (running) {
      const ev = { user: `w${w}-${seq % 50}`, item: items[seq % items.length], type: 'cart', timestamp: 1_800_000_000_000 + seq++ };
      try {
        const r = await fetch(`${getUrl()}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(ev),
        });
        await r.text();
        if (r.status === 202) accepted.push({ user: ev.user, ts: ev.timestamp });
        else refused++;
      } catch {
        failed++;
        await sleep(20);
      }
    }
  });
  return {
    accepted,
    counts: () => ({ accepted: accepted.length, refused, failed }),
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** A TCP proxy to Redis that can cut every connection and refuse new ones (the "Redis connection" fault). */
export function redisProxy(): Promise<{ port: number; cut: (on: boolean) => void; close: () => void }> {
  const sockets = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    upstream.connect(6379, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as { port: number }).port,
        cut: (on) => {
          down = on;
          if (on) for (const s of sockets) s.destroy();
        },
        close: () => {
          for (const s of sockets) s.destroy();
          server.close();
        },
      }),
    ),
  );
}
