/** What the load benchmark reads from a running service's /metrics before and after a phase. */
export interface ServerSnapshot {
  /** Cumulative counts of the latency histogram of one route, by bucket bound (seconds). */
  buckets: Map<number, number>;
  /** Total garbage-collection pause time of the process so far (seconds, every kind). */
  gcSeconds: number;
  /** Young-generation collections (scavenges) so far. */
  scavenges: number;
}

/** Scrapes `url`/metrics for the latency histogram of `route` and the process's GC time. */
export async function scrapeServer(url: string, route: string): Promise<ServerSnapshot> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const buckets = new Map<number, number>();
  let gcSeconds = 0;
  let scavenges = 0;
  for (const line of text.split('\n')) {
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith('tailor_nodejs_gc_duration_seconds_sum{')) gcSeconds += value;
    if (line.startsWith('tailor_nodejs_gc_duration_seconds_count{kind="minor"}')) scavenges += value;
    if (!line.startsWith('tailor_http_request_duration_seconds_bucket{') || !line.includes(`route="${route}"`)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (!le) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + value);
  }
  return { buckets, gcSeconds, scavenges };
}

/** Server-side quantile (a bucket's upper bound, ms, as `≤b`) of the requests between two snapshots. */
export function serverQuantile(before: ServerSnapshot, after: ServerSnapshot, q: number): string {
  const bounds = [...after.buckets.keys()].sort((a, b) => a - b);
  const count = (s: ServerSnapshot, b: number) => s.buckets.get(b) ?? 0;
  const total = count(after, Number.POSITIVE_INFINITY) - count(before, Number.POSITIVE_INFINITY);
  if (total <= 0) return '';
  for (const b of bounds)
    if (count(after, b) - count(before, b) >= q * total) return b === Number.POSITIVE_INFINITY ? '>1000' : `≤${b * 1000}`;
  return '';
}
