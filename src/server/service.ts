import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ModelArtifact } from '../artifact/types.js';
import type { TailorConfig } from '../core/config.js';
import { isTailorError, TailorError } from '../core/errors.js';
import { componentLogger } from '../core/log.js';
import type { Interaction, ItemRecord } from '../core/types.js';
import type { Engine } from '../engine/engine.js';
import type { AdaptationReport, EngineRecommendation, UserStateSnapshot } from '../engine/types.js';
import type { RecommendOptions, ScoredItem } from '../recommender/contract.js';
import type { StateStore } from '../storage/store.js';
import { type Consumer, type EventStream, ownedPartitions, partitionOf, type StreamRecord } from '../stream/stream.js';
import { compareOffsets, hashUser } from './ids.js';

const log = componentLogger('service');

/** Store metadata keys that announce catalogue changes and model reloads to the other processes. */
const CATALOGUE_VERSION = 'catalogue.version';
const MODEL_VERSION = 'model.version';
const MODEL_DIR = 'model.dir';
/** How often a process sharing a store looks for other processes' catalogue changes and model reloads. */
const SHARED_POLL_MS = 1000;

/** What is stored per user: the engine's snapshot plus the stream position it reflects (for exactly-once replay). */
interface StoredState {
  offset: string;
  state: UserStateSnapshot;
}

export interface ServiceOptions {
  engine: Engine;
  store: StateStore;
  stream: EventStream;
  config: TailorConfig;
  /** This process's place among the processes sharing the stream (partitions p ≡ index mod count). */
  processIndex?: number;
  processCount?: number;
  /** Consumer-group name on the stream (default `tailor`). */
  group?: string;
  /** Loads a model artifact for POST /v1/models/reload. */
  loadModel?: (dir: string) => Promise<ModelArtifact>;
  /** The artifact directory reloaded when the request names none. */
  modelDir?: string;
  /** Acknowledged events older than this (event time, ms) are dropped from an embedded log (default 7 days; 0 keeps all). */
  retentionMs?: number;
}

const DAY_MS = 86_400_000;
/** Partition leases in a shared store: how long one lasts, and how long start-up waits for a crashed holder's to expire. */
const LEASE_TTL_MS = 5000;
const LEASE_WAIT_MS = LEASE_TTL_MS + 2000;
/** How often the embedded log is trimmed. */
const TRIM_EVERY_MS = 3_600_000;

/**
 * The service around one engine: accepted events go to the durable stream first; the partitions this process owns
 * are consumed into the engine, and every touched user's state is written to the store before the stream position is
 * acknowledged, so a killed process resumes exactly where it was. Users owned by another process are read from the
 * shared store when their stored version moved on (scale-out on Redis + a stream).
 */
export class TailorService {
  readonly engine: Engine;
  readonly store: StateStore;
  readonly stream: EventStream;
  readonly config: TailorConfig;
  readonly owned: ReadonlySet<number>;
  private consumer: Consumer | undefined;
  private readonly versions = new Map<string, number>();
  private readonly offsets = new Map<string, string>();
  private readonly loaded = new Set<string>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly adaptedDirty = new Set<string>();
  private persistChain: Promise<void> = Promise.resolve();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly adaptationHooks: Array<(r: AdaptationReport) => void> = [];
  private readonly opts: ServiceOptions;
  private isReady = false;
  private seen: { catalogue?: string; model?: string } = {};
  private pollTimer: NodeJS.Timeout | undefined;
  private trimTimer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private polling = false;
  private closed = false;
  /** Events accepted (durable) by this process and events applied to its engine. */
  readonly counters = { accepted: 0, applied: 0, skipped: 0, persisted: 0, staleReads: 0 };

  constructor(opts: ServiceOptions) {
    this.opts = opts;
    this.engine = opts.engine;
    this.store = opts.store;
    this.stream = opts.stream;
    this.config = opts.config;
    this.owned = new Set(ownedPartitions(opts.stream.partitions, opts.processIndex ?? 0, opts.processCount ?? 1));
    this.engine.onAdaptation((r) => {
      this.adaptedDirty.add(r.user);
      this.scheduleFlush();
      for (const h of this.adaptationHooks) h(r);
    });
  }

  /** Restores catalogue changes from the store and starts consuming the owned partitions (replaying the log tail). */
  async start(): Promise<void> {
    if (this.store.shared) await this.takeLeases();
    const items = await this.applyStoredCatalogue();
    this.seen = { catalogue: await this.store.getMeta(CATALOGUE_VERSION), model: await this.store.getMeta(MODEL_VERSION) };
    if (this.store.shared) {
      // other processes' stock changes, new items and model reloads arrive through the shared store
      this.pollTimer = setInterval(() => {
        this.pollShared().catch((err) => log.warn({ err: (err as Error).message }, 'shared-state poll failed'));
      }, SHARED_POLL_MS);
      this.pollTimer.unref();
    }
    const retention = this.opts.retentionMs ?? 7 * DAY_MS;
    if (this.stream.trim && retention > 0) {
      this.trimTimer = setInterval(() => void this.trimLog(retention), TRIM_EVERY_MS);
      this.trimTimer.unref();
    }
    this.consumer = await this.stream.consume({ group: this.opts.group ?? 'tailor', partitions: [...this.owned] }, (batch) =>
      this.apply(batch),
    );
    this.isReady = true;
    log.info({ partitions: this.owned.size, restoredItems: items.length }, 'service started');
  }

  get ready(): boolean {
    return this.isReady && !this.closed;
  }

  /** Registers a hook for each adaptation (metrics). */
  onAdaptation(hook: (r: AdaptationReport) => void): void {
    this.adaptationHooks.push(hook);
  }

  /** Makes events durable on the stream (resolves once they are; the 202 of POST /v1/events). */
  async accept(events: ReadonlyArray<Interaction>): Promise<void> {
    await this.stream.append(events);
    this.counters.accepted += events.length;
  }

  /**
   * Recommendations for `user`, after refreshing a user owned by another process from the shared store. When the
   * store cannot be reached, answers from what this process holds (possibly a little stale) rather than failing.
   */
  async recommend(user: string, opts: RecommendOptions): Promise<EngineRecommendation> {
    try {
      await this.refreshUser(user);
    } catch (err) {
      if (!isTailorError(err, 'STORAGE_UNAVAILABLE')) throw err;
      this.counters.staleReads++;
    }
    return this.engine.recommend(user, opts);
  }

  similar(item: string, k: number): ScoredItem[] {
    return this.engine.similar(item, k);
  }

  /** Stores stock flags, then applies them (visible to the next recommendation). */
  async setStock(ids: string[], inStock: boolean): Promise<{ updated: number; unknown: string[] }> {
    const known = ids.filter((id) => this.engine.catalogue.indexOf(id) !== undefined);
    await this.store.setStock(known, inStock);
    const r = this.engine.setStock(ids, inStock);
    await this.announceCatalogue();
    return r;
  }

  /** Validates and stores new products, then adds them to the engine (recommendable at once). */
  async addItems(records: ItemRecord[]): Promise<number> {
    const dim = this.engine.catalogue.dim;
    for (const r of records) if (r.vector && r.vector.length !== dim) return this.engine.addItems(records); // throws DATA_DIMENSION naming the line
    await this.store.putItems(records.map((r) => ({ id: r.id, vector: r.vector, attributes: r.attributes, inStock: r.inStock })));
    const n = this.engine.addItems(records);
    for (const r of records) if (r.inStock !== undefined) this.engine.setStock([r.id], r.inStock);
    await this.announceCatalogue();
    return n;
  }

  /** Loads an artifact and swaps it in; recommendations keep answering from the old model until the swap. */
  async reloadModel(dir?: string): Promise<{ previous: string; modelVersion: string }> {
    const target = dir ?? this.opts.modelDir;
    if (!target || !this.opts.loadModel)
      throw new TailorError('VALIDATION', 'no model directory given and none configured', { field: 'dir' });
    const previous = this.engine.modelVersion;
    const artifact = await this.opts.loadModel(target);
    await this.engine.swapModel(artifact);
    if (this.store.shared) {
      await this.store.setMeta(MODEL_DIR, target);
      await this.store.setMeta(MODEL_VERSION, artifact.version);
      this.seen.model = artifact.version;
    }
    log.info({ previous, modelVersion: artifact.version }, 'model reloaded');
    return { previous, modelVersion: artifact.version };
  }

  /**
   * Takes a lease on every owned partition in the shared store, so two processes configured with the same
   * --process-index cannot both consume (and adapt) the same users; waits for the leases of a killed predecessor
   * to expire, then fails with CONFIG_INVALID naming the partition. Leases are renewed every TTL/3.
   */
  private async takeLeases(): Promise<void> {
    const parts = [...this.owned];
    const t0 = Date.now();
    for (;;) {
      const got = await Promise.all(parts.map((p) => this.store.lease(`partition-${p}`, this.holder, LEASE_TTL_MS)));
      const missing = parts.filter((_, i) => !got[i]);
      if (missing.length === 0) break;
      if (Date.now() - t0 > LEASE_WAIT_MS) {
        for (const [i, p] of parts.entries()) if (got[i]) await this.store.releaseLease(`partition-${p}`, this.holder);
        throw new TailorError(
          'CONFIG_INVALID',
          `partition ${missing[0]} is held by another running process: check --process-index / --process-count`,
          { field: 'processIndex', value: this.opts.processIndex ?? 0 },
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    this.leaseTimer = setInterval(() => {
      Promise.all(parts.map((p) => this.store.lease(`partition-${p}`, this.holder, LEASE_TTL_MS))).then(
        (ok) => {
          if (ok.some((x) => !x)) log.error({ partitions: parts.filter((_, i) => !ok[i]) }, 'partition lease taken by another process');
        },
        (err) => log.warn({ err: (err as Error).message }, 'partition lease renewal failed'),
      );
    }, LEASE_TTL_MS / 3);
    this.leaseTimer.unref();
  }

  /** Drops acknowledged events older than `retentionMs` from an embedded log; returns how many. */
  async trimLog(retentionMs: number, now = Date.now()): Promise<number> {
    if (!this.stream.trim) return 0;
    try {
      const n = await this.stream.trim(now - retentionMs);
      if (n > 0) log.info({ events: n }, 'trimmed the event log');
      return n;
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'log trim failed');
      return 0;
    }
  }

  /** Records received from the stream and not yet applied, plus queued adaptations. */
  queueDepth(): number {
    return (this.consumer?.pending() ?? 0) + this.engine.stats().queueDepth;
  }

  /** Applies every stored catalogue change (API-added items, stock flags); returns them. */
  private async applyStoredCatalogue() {
    const items = await this.store.listItems();
    const withVector = items.filter((i) => i.vector) as ItemRecord[];
    if (withVector.length > 0) this.engine.addItems(withVector.map((i) => ({ id: i.id, vector: i.vector, attributes: i.attributes })));
    for (const it of items) if (it.inStock !== undefined) this.engine.setStock([it.id], it.inStock);
    return items;
  }

  private async announceCatalogue(): Promise<void> {
    if (!this.store.shared) return;
    const v = `${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    await this.store.setMeta(CATALOGUE_VERSION, v);
    this.seen.catalogue = v;
  }

  /** Picks up catalogue changes and model reloads made by other processes sharing the store. */
  private async pollShared(): Promise<void> {
    if (this.polling || this.closed) return;
    this.polling = true;
    try {
      const cat = await this.store.getMeta(CATALOGUE_VERSION);
      if (cat !== undefined && cat !== this.seen.catalogue) {
        this.seen.catalogue = cat;
        await this.applyStoredCatalogue();
      }
      const model = await this.store.getMeta(MODEL_VERSION);
      if (model !== undefined && model !== this.seen.model && model !== this.engine.modelVersion && this.opts.loadModel) {
        this.seen.model = model;
        const dir = await this.store.getMeta(MODEL_DIR);
        if (dir) {
          await this.engine.swapModel(await this.opts.loadModel(dir));
          log.info({ modelVersion: this.engine.modelVersion }, 'model reloaded after another process');
        }
      }
    } finally {
      this.polling = false;
    }
  }

  private async refreshUser(user: string): Promise<void> {
    const mine = this.owned.has(partitionOf(user, this.stream.partitions));
    if (mine) {
      await this.ensureLoaded(user);
      return;
    }
    if (!this.store.shared) return;
    const v = await this.store.getUserVersion(user);
    if (v > (this.versions.get(user) ?? 0)) await this.loadUser(user);
  }

  /** Loads an owned user's stored state once; concurrent callers (a read and the stream) share the one load. */
  private ensureLoaded(user: string): Promise<void> {
    if (this.loaded.has(user)) return Promise.resolve();
    let p = this.loading.get(user);
    if (!p) {
      p = this.loadUser(user).finally(() => this.loading.delete(user));
      this.loading.set(user, p);
    }
    return p;
  }

  /** Loads `user`'s stored state into the engine (first touch after a restart, or a newer version elsewhere). */
  private async loadUser(user: string): Promise<void> {
    const stored = await this.store.getUser(user);
    this.loaded.add(user);
    if (!stored) return;
    const s = JSON.parse(Buffer.from(stored.data).toString('utf8')) as StoredState;
    this.engine.importUserState(s.state);
    this.versions.set(user, stored.version);
    this.offsets.set(user, s.offset);
  }

  /** The stream handler: ingest a batch in order, persist every touched user, then let the stream acknowledge. */
  private async apply(batch: StreamRecord[]): Promise<void> {
    const touched = new Map<string, string>();
    for (const r of batch) {
      const user = r.event.user;
      await this.ensureLoaded(user);
      const done = this.offsets.get(user);
      if (done !== undefined && compareOffsets(r.offset, done) <= 0) continue; // already in the stored state
      try {
        this.engine.ingest(r.event);
        this.counters.applied++;
      } catch (err) {
        if (!isTailorError(err)) throw err;
        this.counters.skipped++;
        log.warn({ user: hashUser(user), code: err.code }, 'event skipped');
      }
      touched.set(user, r.offset);
      this.offsets.set(user, r.offset);
    }
    await this.persist(touched);
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.closed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      const users = new Map<string, string>();
      for (const u of this.adaptedDirty) users.set(u, this.offsets.get(u) ?? '0');
      this.adaptedDirty.clear();
      this.persist(users).catch((err) => log.error({ err: (err as Error).message }, 'snapshot after adaptation failed'));
    }, 10);
    this.flushTimer.unref();
  }

  /** Writes the states of `users` (user → offset they reflect), serialised with every other write. */
  private persist(users: Map<string, string>): Promise<void> {
    if (users.size === 0) return this.persistChain;
    const run = async () => {
      const entries: { user: string; data: Uint8Array }[] = [];
      for (const [user, offset] of users) {
        const state = this.engine.exportUserState(user);
        if (!state) continue;
        const stored: StoredState = { offset, state };
        entries.push({ user, data: Buffer.from(JSON.stringify(stored)) });
      }
      const versions = await this.store.putUsers(entries);
      entries.forEach((e, i) => {
        this.versions.set(e.user, versions[i]);
      });
      this.counters.persisted += entries.length;
    };
    this.persistChain = this.persistChain.then(run, run);
    return this.persistChain;
  }

  /** Stops consuming, writes the last adapted states, closes the engine, the stream and the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.isReady = false;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.trimTimer) clearInterval(this.trimTimer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    await this.consumer?.stop();
    await this.engine.drain();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    const users = new Map<string, string>();
    for (const u of this.adaptedDirty) users.set(u, this.offsets.get(u) ?? '0');
    await this.persist(users).catch(() => {});
    await this.engine.close();
    await this.stream.close();
    if (this.leaseTimer)
      await Promise.all([...this.owned].map((p) => this.store.releaseLease(`partition-${p}`, this.holder))).catch(() => {});
    await this.store.close();
  }
}

export { compareOffsets, hashUser };
