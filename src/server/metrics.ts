import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { TailorService } from './service.js';

/** Prometheus metrics of one app (its own registry, so several apps can live in one process). */
export interface ServiceMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  eventsAccepted: Counter;
}

/**
 * Request latency histograms, adaptation time, queue depth, users in memory and bytes per user; the gauges are
 * read from the engine at scrape time, so they cost nothing between scrapes.
 */
export function createMetrics(service: TailorService, opts: { defaultMetrics?: boolean } = {}): ServiceMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'tailor_' });
  const httpDuration = new Histogram({
    name: 'tailor_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const adaptation = new Histogram({
    name: 'tailor_adaptation_duration_seconds',
    help: 'per-user adaptation time from scheduling to swap-in (eq. 6-7)',
    buckets: [0.003, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  service.onAdaptation((r) => adaptation.observe(r.totalMs / 1000));
  const eventsAccepted = new Counter({ name: 'tailor_events_accepted_total', help: 'events made durable (202)', registers: [registry] });
  new Gauge({
    name: 'tailor_events_applied_total',
    help: 'events applied to this process engine (owned partitions)',
    registers: [registry],
    collect() {
      this.set(service.counters.applied);
    },
  });
  new Gauge({
    name: 'tailor_stale_reads_total',
    help: 'recommendations answered from local state because the shared store was unreachable',
    registers: [registry],
    collect() {
      this.set(service.counters.staleReads);
    },
  });
  new Gauge({
    name: 'tailor_queue_depth',
    help: 'stream records received but not yet applied, plus queued adaptations',
    registers: [registry],
    collect() {
      this.set(service.queueDepth());
    },
  });
  const stats = () => service.engine.stats();
  new Gauge({
    name: 'tailor_users_in_memory',
    help: 'users held by the engine, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      const s = stats();
      this.set({ kind: 'all' }, s.users);
      this.set({ kind: 'personalised' }, s.personalisedUsers);
      this.set({ kind: 'active' }, s.activeUsers);
    },
  });
  new Gauge({
    name: 'tailor_bytes_per_user',
    help: 'mean bytes per user (active: projection + weights + history; idle: weights + history)',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      const s = stats();
      this.set({ kind: 'active' }, s.bytesPerActiveUser);
      this.set({ kind: 'idle' }, s.bytesPerIdleUser);
    },
  });
  new Gauge({
    name: 'tailor_model_info',
    help: 'the model version being served (value 1)',
    labelNames: ['version'] as const,
    registers: [registry],
    collect() {
      this.reset();
      this.set({ version: service.engine.modelVersion }, 1);
    },
  });
  return { registry, httpDuration, eventsAccepted };
}
