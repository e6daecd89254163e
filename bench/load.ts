import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { saveArtifact } from '../src/artifact/store.js';
import { projectRoot } from '../src/core/paths.js';
import { Rng } from '../src/core/rng.js';
import { createMlp } from '../src/nn/mlp.js';
import { generateWorld } from '../src/synthetic/index.js';
import { writeWorld } from '../src/synthetic/write-world.js';
import type { BenchOptions, BenchResult } from './types.js';

/**
 * Load and fault benchmark of the service on loopback (issue 6):
 *  1. sustained mixed load (90 % GET recommendations, 10 % POST events) with autocannon against one `tailor serve`
 *     process on the embedded SQLite store: at a fixed 1,000 req/s and at the most it sustains;
 *  2. kill -9 and restart of that process in the middle of a write load: every 202 must be in the log afterwards;
 *  3. the Redis connection cut for a few seconds (a local TCP proxy between Tailor and Redis is closed, so the
 *     shared Redis server is untouched) under a write load on Redis store + Redis stream.
 * The model is a random student of the production shape (512→256→64): latency does not depend on its weights.
 */

interface Proc {
  proc: ChildProcess;
  url: string;
}

function serve(args: string[]): Promise<Proc> {
  const proc = spawn(process.execPath, [join(projectRoot(), 'bin', 'tailor.js'), 'serve', '--port', '0', '--no-storefront', ...args], {
    env: { ...process.env, TAILOR_API_KEYS: '', TAILOR_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr?.on('data', (d) => {
    err += String(d);
  });
  return new Promise((resolve, reject) => {
    proc.stdout?.on('data', (d) => {
      out += String(d);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ proc, url: m[1] });
    });
    proc.once('exit', (code) => reject(new Error(`tailor serve exited with ${code}: ${err.slice(-1500)}`)));
  });
}

function kill(p: Proc, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  if (p.proc.exitCode !== null || p.proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.proc.once('exit', () => resolve());
    p.proc.kill(signal);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Cumulative counts of the server's latency histogram for one route, by bucket bound (seconds). */
async function serverBuckets(url: string, route: string): Promise<Map<number, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('tailor_http_request_duration_seconds_bucket{') || !line.includes(`route="${route}"`)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (!le) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    out.set(bound, (out.get(bound) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return out;
}

/** Server-side quantile (a bucket's upper bound, ms) of the requests between two histogram snapshots. */
function serverQuantile(before: Map<number, number>, after: Map<number, number>, q: number): string {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Number.POSITIVE_INFINITY) ?? 0) - (before.get(Number.POSITIVE_INFINITY) ?? 0);
  if (total <= 0) return '';
  for (const b of bounds)
    if ((after.get(b) ?? 0) - (before.get(b) ?? 0) >= q * total) return b === Number.POSITIVE_INFINITY ? '>1000' : `≤${b * 1000}`;
  return '';
}

const REC_ROUTE = '/v1/users/:id/recommendations';

/** autocannon with 9 recommendation reads to 1 event write, random users and items. */
async function mixed(url: string, users: number, items: string[], seconds: number, rate?: number, connections = 16) {
  const before = await serverBuckets(url, REC_ROUTE);
  const rng = new Rng(7);
  let ts = Date.UTC(2026, 2, 1);
  const read = {
    method: 'GET' as const,
    setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/v1/users/u${rng.int(users)}/recommendations?k=10` }),
  };
  const write = {
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    setupRequest: (req: Record<string, unknown>) => ({
      ...req,
      path: '/v1/events',
      body: JSON.stringify({ user: `u${rng.int(users)}`, item: items[rng.int(items.length)], type: 'click', timestamp: ts++ }),
    }),
  };
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    overallRate: rate,
    requests: [read, read, read, read, read, read, read, read, read, write],
  });
  const after = await serverBuckets(url, REC_ROUTE);
  return {
    server50: serverQuantile(before, after, 0.5),
    server99: serverQuantile(before, after, 0.99),
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Posts uniquely stamped events from `workers` loops until `stop()`; remembers which ones got a 202. */
function writeLoad(getUrl: () => string, items: string[], workers: number) {
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
function redisProxy(): Promise<{ port: number; cut: (on: boolean) => void; close: () => void }> {
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

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const quick = opts.quick;
  const dir = mkdtempSync(join(tmpdir(), 'tailor-load-'));
  const rows: BenchResult['rows'] = [];
  const notes: string[] = [];
  const children: Proc[] = [];
  try {
    const params = quick ? { items: 2000, users: 500, dim: 128 } : { items: 12_000, users: 2000, dim: 512 };
    const world = generateWorld({ seed: 5, weeks: 1, ...params });
    const data = join(dir, 'world');
    await writeWorld(world, data, { thumbnails: false });
    const model = join(dir, 'model');
    await saveArtifact(model, {
      version: 'load-bench',
      formatVersion: 1,
      createdAt: new Date().toISOString(),
      featureDim: params.dim,
      embeddingDim: 64,
      student: createMlp([params.dim, 256, 64], new Rng(1)),
      config: {},
      metrics: {},
    });
    const items = Array.from({ length: world.catalogue.size }, (_, i) => world.catalogue.ids.id(i));
    const users = world.log.users.size;
    const seconds = quick ? 5 : 20;
    const db = join(dir, 'tailor.db');
    const embedded = ['--data', data, '--model', model, '--store', `sqlite:${db}`, '--rate-limit', '10000000'];

    // 1. sustained mixed load
    let p = await serve(embedded);
    children.push(p);
    await mixed(p.url, users, items, 2); // warm-up
    for (const [rate, conns] of [
      [undefined, 1],
      [1000, 16],
      [undefined, 16],
    ] as const) {
      const r = await mixed(p.url, users, items, seconds, rate, conns);
      rows.push({
        scenario: rate
          ? `mixed 90/10 at ${rate} req/s`
          : conns === 1
            ? 'mixed 90/10, one connection, back to back'
            : 'mixed 90/10, as fast as it goes',
        store: 'sqlite + log',
        'req/s': r.rps,
        'p50 ms': r.p50,
        'p90 ms': r.p90,
        'p99 ms': r.p99,
        'max ms': r.max,
        'server p50 ms': r.server50,
        'server p99 ms': r.server99,
        'non-2xx': r.non2xx,
        errors: r.errors,
        lost: '',
      });
    }

    // 2. kill -9 and restart mid-load
    const load = writeLoad(() => p.url, items, 8);
    await sleep(seconds * 200);
    const tKill = Date.now();
    await kill(p, 'SIGKILL');
    p = await serve(embedded);
    children.push(p);
    const downMs = Date.now() - tKill;
    await sleep(seconds * 200);
    await load.stop();
    const conn = new Database(db, { readonly: true });
    const logged = new Set(
      (conn.prepare('SELECT user, ts FROM events').all() as { user: string; ts: number }[]).map((r) => `${r.user}@${r.ts}`),
    );
    conn.close();
    const lostKill = load.accepted.filter((e) => !logged.has(`${e.user}@${e.ts}`)).length;
    const c = load.counts();
    rows.push({
      scenario: `kill -9 + restart under writes (down ${(downMs / 1000).toFixed(1)} s)`,
      store: 'sqlite + log',
      'req/s': '',
      'p50 ms': '',
      'p90 ms': '',
      'p99 ms': '',
      'max ms': '',
      'server p50 ms': '',
      'server p99 ms': '',
      'non-2xx': c.refused,
      errors: c.failed,
      lost: `${lostKill} of ${c.accepted} accepted`,
    });
    await kill(p, 'SIGTERM');

    // the same mixed load when every commit is fsynced (power-cut durability)
    const full = await serve([
      '--data',
      data,
      '--model',
      model,
      '--store',
      `sqlite:${join(dir, 'full.db')}?sync=full`,
      '--rate-limit',
      '10000000',
    ]);
    children.push(full);
    await mixed(full.url, users, items, 2);
    const rf = await mixed(full.url, users, items, seconds, 1000);
    rows.push({
      scenario: 'mixed 90/10 at 1000 req/s, fsync every commit',
      store: 'sqlite?sync=full + log',
      'req/s': rf.rps,
      'p50 ms': rf.p50,
      'p90 ms': rf.p90,
      'p99 ms': rf.p99,
      'max ms': rf.max,
      'server p50 ms': rf.server50,
      'server p99 ms': rf.server99,
      'non-2xx': rf.non2xx,
      errors: rf.errors,
      lost: '',
    });
    await kill(full, 'SIGTERM');

    // 3. Redis connection cut under writes
    const redisUp = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once('error', () => resolve(false));
      s.connect(6379, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
    });
    if (!redisUp) notes.push('Redis not reachable on 127.0.0.1:6379: the Redis fault scenario was skipped');
    else {
      const proxy = await redisProxy();
      const prefix = `tailorbench${process.pid}`;
      const url = `redis://127.0.0.1:${proxy.port}?prefix=${prefix}`;
      const rp = await serve([
        '--data',
        data,
        '--model',
        model,
        '--store',
        url,
        '--events',
        `redis-stream://127.0.0.1:${proxy.port}?prefix=${prefix}`,
      ]);
      children.push(rp);
      const wl = writeLoad(() => rp.url, items, 8);
      await sleep(seconds * 150);
      proxy.cut(true);
      await sleep(3000);
      proxy.cut(false);
      await sleep(seconds * 150);
      await wl.stop();
      await sleep(1000);
      const { Redis } = await import('ioredis');
      const r = new Redis('redis://127.0.0.1:6379');
      const inStream = new Set<string>();
      for (let part = 0; part < 16; part++) {
        const entries = (await r.xrange(`${prefix}:ev:{p${part}}`, '-', '+')) as [string, string[]][];
        for (const [, f] of entries) {
          const [user, , , ts] = JSON.parse(f[1]) as [string, string, string, number];
          inStream.add(`${user}@${ts}`);
        }
      }
      const lostRedis = wl.accepted.filter((e) => !inStream.has(`${e.user}@${e.ts}`)).length;
      const cc = wl.counts();
      rows.push({
        scenario: 'Redis connection cut for 3 s under writes',
        store: 'redis + redis stream',
        'req/s': '',
        'p50 ms': '',
        'p90 ms': '',
        'p99 ms': '',
        'max ms': '',
        'server p50 ms': '',
        'server p99 ms': '',
        'non-2xx': cc.refused,
        errors: cc.failed,
        lost: `${lostRedis} of ${cc.accepted} accepted`,
      });
      // stop the process first: it writes its last states on the way out
      await kill(rp, 'SIGTERM');
      proxy.close();
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await r.del(...keys);
      } while (cursor !== '0');
      await r.quit();
    }
    notes.push(
      `world: ${params.items} items, ${users} shoppers, D=${params.dim}; random student ${params.dim}→256→64; 16 connections; loopback, one process`,
      'non-2xx in the fault rows are refusals the client saw (503 while Redis was cut); errors are refused connections while the process was down',
      '"lost" counts 202-acknowledged events missing from the log / stream afterwards',
      "server p50/p99: recommendation requests only, from the service's own latency histogram (bucket upper bounds), i.e. without the load generator and the network stack",
    );
    return { name: 'load', rows, notes };
  } finally {
    for (const c of children) await kill(c, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const res = await run({ quick: process.argv.includes('--quick') });
  console.table(res.rows);
  for (const n of res.notes ?? []) console.log(`- ${n}`);
}
