import type { ModelArtifact } from '../artifact/types.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import type { TailorConfig } from '../core/config.js';
import { TailorError } from '../core/errors.js';
import { componentLogger } from '../core/log.js';
import { INTERACTION_TYPES, type Interaction, type InteractionType, type ItemRecord, TYPE_CODE } from '../core/types.js';
import { correctionBlockBytes, encodeCorrectionRows, type PersonalCorrection } from '../knn/correction.js';
import { exactKnn } from '../knn/exact.js';
import { quantizedKnn } from '../knn/quantized.js';
import { emaOfRows, emaUpdate } from '../personal/ema.js';
import { type LowRankDelta, personalRow, projectRows } from '../personal/low-rank.js';
import { correctionRows, deltaSubspace } from '../personal/subspace.js';
import type { ScoredItem } from '../recommender/contract.js';
import { planAdaptation, planReprojection } from './adapt-plan.js';
import type { AdaptTask } from './adapt-task.js';
import { type CodeBuffer, CodeBuffers, type GlobalCodes, globalCodes } from './code-buffers.js';
import { type AdaptExecutor, createExecutor } from './executor.js';
import { ModelState } from './model-state.js';
import { Popularity } from './popularity.js';
import { exportUser, importUser } from './snapshot.js';
import type { AdaptationReport, EngineRecommendation, EngineRecommendOptions, EngineStats, UserStateSnapshot } from './types.js';
import { UserState } from './user-state.js';

const log = componentLogger('engine');
const DAY_MS = 86_400_000;

export interface EngineCreateOptions {
  artifact: ModelArtifact;
  catalogue: Catalogue;
  config: TailorConfig;
  /** Prior popularity per catalogue index (e.g. type-weighted counts of the training window). */
  popularity?: ArrayLike<number>;
  /** false: never adapt (the "no personalisation" ablation: global student + EMA only). */
  personalise?: boolean;
}

/**
 * The online personalisation engine (SPEC §6): per-user EMA (eq. 5), adaptation every b events (eq. 6–7) in worker
 * threads with an atomic swap of delta + projection + EMA, exact k-NN over in-stock items, copy-on-write personal
 * models, lifetimes and an LRU memory budget. Event time drives lifetimes and idle TTLs, so a replay is deterministic.
 */
export class Engine {
  private model: ModelState;
  private readonly users = new Map<string, UserState>();
  private readonly executor: AdaptExecutor;
  private readonly popularity: Popularity;
  private readonly hooks: Array<(r: AdaptationReport) => void> = [];
  private readonly inflight = new Set<Promise<void>>();
  /** Users with a full batch who found the adaptation queue full, oldest first. */
  private readonly backlog = new Set<UserState>();
  private readonly timings: { total: number[]; sgd: number[]; project: number[] } = { total: [], sgd: [], project: [] };
  private adaptCount = 0;
  private failedAdaptations = 0;
  private projBytes = 0;
  private readonly buffers = new CodeBuffers();
  /** Plain SharedArrayBuffers that carry codes back from workers, recycled. */
  private transfer: Int8Array[] = [];
  private global: GlobalCodes | undefined;
  private events = 0;
  private clock = 0;
  private closed = false;
  private readonly personalise: boolean;

  private constructor(
    readonly catalogue: Catalogue,
    readonly config: TailorConfig,
    model: ModelState,
    opts: EngineCreateOptions,
  ) {
    if (config.online.adaptLayers !== 'last')
      throw new TailorError(
        'CONFIG_INVALID',
        'only the last layer adapts in this version (a low-rank delta on a shared basis; docs/engine.md explains why)',
        { field: 'online.adaptLayers', value: config.online.adaptLayers },
      );
    this.model = model;
    this.personalise = opts.personalise ?? true;
    this.executor = createExecutor(config.online.workers);
    this.popularity = new Popularity(catalogue.size);
    if (opts.popularity)
      for (let i = 0; i < opts.popularity.length; i++) if (opts.popularity[i]) this.popularity.add(i, opts.popularity[i]);
  }

  /** Loads a model artifact over a catalogue (projects every item once; throws ARTIFACT_MISMATCH on a dimension clash). */
  static create(opts: EngineCreateOptions): Engine {
    return new Engine(opts.catalogue, opts.config, ModelState.build(opts.artifact, opts.catalogue), opts);
  }

  /** Like `create`, but projects the catalogue on tfjs-wasm SIMD (several times faster at 10⁵ items). */
  static async open(opts: EngineCreateOptions): Promise<Engine> {
    return new Engine(opts.catalogue, opts.config, await ModelState.buildAsync(opts.artifact, opts.catalogue), opts);
  }

  get modelVersion(): string {
    return this.model.version;
  }

  /** Takes one event: history, EMA (eq. 5), popularity; schedules an adaptation every `adaptEvery` events. Fast and synchronous. */
  ingest(event: Interaction): void {
    this.assertOpen();
    const item = this.catalogue.indexOf(event.item);
    if (item === undefined)
      throw new TailorError('UNKNOWN_ITEM', `item "${event.item}" is not in the catalogue`, { field: 'item', value: event.item });
    const type = TYPE_CODE[event.type];
    if (type === undefined)
      throw new TailorError('VALIDATION', `unknown interaction type "${event.type}"`, { field: 'type', value: event.type });
    if (item >= this.model.rows) this.model.extend(this.catalogue);
    if (event.timestamp > this.clock) this.clock = event.timestamp;
    const st = this.touch(event.user, true) as UserState;
    this.sync(st, event.timestamp);
    st.push(item, type, event.timestamp);
    st.lastSeen = event.timestamp;
    this.popularity.add(item, this.config.typeWeights[event.type]);
    if (st.ema === null || st.emaVersion !== this.model.version) this.refreshEma(st);
    else emaUpdate(st.ema, this.projectedRow(st, item), this.config.online.alpha, false);
    st.pendingItems.push(item);
    st.pendingTypes.push(type);
    this.events++;
    if ((this.events & 1023) === 0) this.sweep();
    if (st.delta !== null && st.projection === null) this.rehydrate(st);
    this.maybeAdapt(st);
  }

  /** The k nearest in-stock items to the user's EMA in their own projected catalogue (personal, cold-start or popular). */
  recommend(user: string, opts: EngineRecommendOptions): EngineRecommendation {
    this.assertOpen();
    const t0 = performance.now();
    const model = this.model;
    const k = Math.max(0, Math.floor(opts.k));
    const st = this.touch(user, false);
    if (st) this.sync(st, this.clock);
    let exclude: Set<number> | undefined;
    if (opts.excludePurchased && st && st.purchasedCount > 0) exclude = new Set(st.purchased.subarray(0, st.purchasedCount));
    if (!st || st.histCount === 0) {
      const items = this.popular(k, exclude, opts.filter);
      return { items, source: 'popular', modelVersion: model.version, tookMs: performance.now() - t0 };
    }
    if (st.ema === null || st.emaVersion !== model.version) this.refreshEma(st);
    let personal = st.delta !== null;
    let query = st.ema as Float32Array;
    if (personal && st.projection === null) {
      // evicted or idle: re-projection runs in a worker; until it lands, answer in the global space
      this.rehydrate(st);
      personal = false;
      query = this.globalEma(st);
    }
    // one scan of the shared global codes; a personalised user adds their rank-r correction to every row
    const correction = personal ? this.ensureProjection(st) : undefined;
    // more items sit within the int8 / dropped-coordinate error of the k-th distance in a bigger catalogue: keep
    // max(8·rerank, 4·n/1000) from the scan; a global re-rank reads them from the stored float rows (64 multiply-adds
    // each), a personal one first re-scores them with the float global rows plus the correction and recomputes only
    // the best `rerank` exactly (~2.5k multiply-adds each)
    const shortlist = Math.max(8 * this.config.knn.rerank, 4 * Math.ceil(model.rows / 1000));
    const globalRow = (i: number, out: Float32Array) => out.set(model.pg.subarray(i * model.dim, (i + 1) * model.dim));
    const hits = quantizedKnn({
      q: this.globalSpace().q,
      correction,
      query,
      k,
      candidates: correction ? this.config.knn.rerank : shortlist,
      shortlist,
      globalRows: model.pg,
      exactRow: correction
        ? (i, out) => personalRow(model.basisRow(i), model.pg.subarray(i * model.dim, (i + 1) * model.dim), st.delta as LowRankDelta, out)
        : globalRow,
      exactRows: correction ? undefined : model.pg,
      allowed: this.catalogue.inStock,
      exclude,
      filter: opts.filter,
    });
    const items = hits.map((h) => ({ item: this.catalogue.ids.id(h.index), score: -Math.sqrt(h.dist) }));
    const rec = st.recommended;
    for (const h of hits) rec.push(h.index);
    const cap = Math.max(64, this.config.online.maxNegatives * 4);
    if (rec.length > cap) rec.splice(0, rec.length - cap);
    return { items, source: personal ? 'personalised' : 'cold-start', modelVersion: model.version, tookMs: performance.now() - t0 };
  }

  /**
   * The reference answer: exact k-NN over the full-precision projection (personal, recomputed from scratch — slow —
   * or global). For benchmarks and audits of the int8 search's recall; no side effects except a stale EMA's refresh.
   */
  exactRecommend(user: string, opts: EngineRecommendOptions): ScoredItem[] {
    const st = this.users.get(user);
    const m = this.model;
    st?.unpack();
    if (!st || st.histCount === 0) return [];
    if (st.ema === null || st.emaVersion !== m.version) this.refreshEma(st);
    let full = m.pg;
    if (st.delta) {
      full = new Float32Array(m.rows * m.dim);
      projectRows(m.basis, m.pg, st.delta, 0, m.rows, full);
    }
    const exclude = opts.excludePurchased ? new Set(st.purchased.subarray(0, st.purchasedCount)) : undefined;
    const hits = exactKnn({
      data: full,
      rows: m.rows,
      dim: m.dim,
      query: st.ema as Float32Array,
      k: opts.k,
      allowed: this.catalogue.inStock,
      exclude,
      filter: opts.filter,
    });
    return hits.map((h) => ({ item: this.catalogue.ids.id(h.index), score: -Math.sqrt(h.dist) }));
  }

  /** Item-to-item: the k in-stock items nearest to `itemId` in the global student space. */
  similar(itemId: string, k: number): ScoredItem[] {
    this.assertOpen();
    const i = this.catalogue.indexOf(itemId);
    if (i === undefined)
      throw new TailorError('UNKNOWN_ITEM', `item "${itemId}" is not in the catalogue`, { field: 'item', value: itemId });
    if (i >= this.model.rows) this.model.extend(this.catalogue);
    const m = this.model;
    const hits = exactKnn({
      data: m.pg,
      rows: m.rows,
      dim: m.dim,
      query: m.pg.subarray(i * m.dim, (i + 1) * m.dim),
      k,
      allowed: this.catalogue.inStock,
      exclude: new Set([i]),
    });
    return hits.map((h) => ({ item: this.catalogue.ids.id(h.index), score: -Math.sqrt(h.dist) }));
  }

  /** Marks items in or out of stock; visible to the very next recommend (no re-projection). Unknown ids are returned, not applied. */
  setStock(ids: string[], inStock: boolean): { updated: number; unknown: string[] } {
    const unknown: string[] = [];
    let updated = 0;
    for (const id of ids) {
      const i = this.catalogue.indexOf(id);
      if (i === undefined) unknown.push(id);
      else {
        this.catalogue.setInStock(i, inStock);
        updated++;
      }
    }
    return { updated, unknown };
  }

  /** Adds (or updates) products: projected by the student at once; personal projections extend on next use. */
  addItems(records: ItemRecord[]): number {
    this.assertOpen();
    records.forEach((r, line) => {
      if (!this.catalogue.ids.has(r.id) && !r.vector)
        throw new TailorError('DATA_FIELD', `new item "${r.id}" has no content vector`, { line: line + 1, field: 'vector' });
      if (r.vector && r.vector.length !== this.catalogue.dim)
        throw new TailorError('DATA_DIMENSION', `item "${r.id}" has ${r.vector.length} values, expected ${this.catalogue.dim}`, {
          line: line + 1,
          field: 'vector',
        });
    });
    for (const r of records) this.catalogue.upsert(r);
    this.model.extend(this.catalogue);
    return records.length;
  }

  /** Replaces the global student: every personal model restarts from it; histories, EMAs (re-projected) and events are kept. */
  async swapModel(artifact: ModelArtifact): Promise<void> {
    this.assertOpen();
    const next = await ModelState.buildAsync(artifact, this.catalogue);
    next.extend(this.catalogue);
    for (const st of this.users.values()) this.forgetProjection(st, true);
    this.buffers.releaseAll();
    this.model = next;
    this.projBytes = 0;
    log.info({ version: artifact.version }, 'model swapped');
  }

  /** The user's recent events, oldest first (item ids), or [] for an unknown user. */
  history(user: string): Array<{ item: string; type: InteractionType; timestamp: number }> {
    const st = this.users.get(user);
    if (!st) return [];
    return st.history().map((h) => ({ item: this.catalogue.ids.id(h.item), type: INTERACTION_TYPES[h.type], timestamp: h.time }));
  }

  /** True when the user has purchased item `itemIndex`. */
  hasPurchased(user: string, itemIndex: number): boolean {
    return this.users.get(user)?.hasPurchased(itemIndex) ?? false;
  }

  /** Registers a hook called after each adaptation is swapped in (metrics). */
  onAdaptation(hook: (r: AdaptationReport) => void): void {
    this.hooks.push(hook);
  }

  /** Resolves when no adaptation is queued or running (evaluation replays and tests). */
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  /** Forgets every user (daily cold start for a whole population). */
  resetUsers(): void {
    for (const st of this.users.values()) this.forgetProjection(st, true);
    this.users.clear();
    this.backlog.clear();
    this.projBytes = 0;
  }

  stats(): EngineStats {
    let personalised = 0;
    let active = 0;
    const bytes = { projections: 0, weights: 0, history: 0, shared: this.model.sharedBytes };
    let activeBytes = 0;
    let idleBytes = 0;
    let idlePersonal = 0;
    let idlePersonalBytes = 0;
    for (const st of this.users.values()) {
      if (st.delta || st.packed) personalised++;
      if (st.projection) active++;
      bytes.projections += st.projectionBytes;
      bytes.weights += st.weightBytes;
      bytes.history += st.historyBytes;
      if (st.projection) activeBytes += st.totalBytes;
      else idleBytes += st.totalBytes;
      if (!st.projection && (st.delta || st.packed)) {
        idlePersonal++;
        idlePersonalBytes += st.totalBytes;
      }
    }
    const t = this.timings;
    const mean = (a: number[]) => (a.length ? a.reduce((s, v) => s + v, 0) / a.length : 0);
    const pct = (a: number[], p: number) => {
      if (a.length === 0) return 0;
      const s = [...a].sort((x, y) => x - y);
      return s[Math.min(s.length - 1, Math.floor(p * s.length))];
    };
    return {
      modelVersion: this.model.version,
      events: this.events,
      users: this.users.size,
      personalisedUsers: personalised,
      activeUsers: active,
      bytes,
      bytesPerActiveUser: active ? activeBytes / active : 0,
      bytesPerIdleUser: this.users.size - active ? idleBytes / (this.users.size - active) : 0,
      bytesPerIdlePersonalisedUser: idlePersonal ? idlePersonalBytes / idlePersonal : 0,
      queueDepth: this.inflight.size + this.backlog.size,
      adaptations: {
        count: this.adaptCount,
        failed: this.failedAdaptations,
        meanMs: mean(t.total),
        p50Ms: pct(t.total, 0.5),
        p99Ms: pct(t.total, 0.99),
        meanSgdMs: mean(t.sgd),
        meanProjectMs: mean(t.project),
      },
    };
  }

  /** The user's compact state (history, purchases, EMA, delta), or undefined for an unknown user. */
  exportUserState(user: string): UserStateSnapshot | undefined {
    const st = this.users.get(user);
    if (!st) return undefined;
    if (!st.packed) return exportUser(st, this.catalogue, this.model.version);
    // an idle user stays packed (re-packing unpacked int8 / float16 values gives the same codes)
    st.unpack();
    const snap = exportUser(st, this.catalogue, this.model.version);
    st.pack();
    return snap;
  }

  /** Restores a snapshot; a delta from another model version is dropped (the new student replaces it). */
  importUserState(state: UserStateSnapshot): void {
    this.assertOpen();
    const old = this.users.get(state.user);
    if (old) this.forgetProjection(old, true);
    const st = importUser(state, this.catalogue, this.model, this.config.online.historySize);
    this.users.set(state.user, st);
    if (st.lastSeen > this.clock) this.clock = st.lastSeen;
  }

  /** Waits for running adaptations, stops the worker threads; later calls throw ENGINE_CLOSED. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.drain();
    this.closed = true;
    await this.executor.close();
    // give every block back to this thread's WASM arena (an evaluation opens many engines in one process)
    for (const st of this.users.values()) this.forgetProjection(st);
    this.buffers.releaseAll();
    if (this.global) this.buffers.release(this.global.q);
    this.global = undefined;
    this.transfer = [];
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────────────────

  private assertOpen(): void {
    if (this.closed) throw new TailorError('ENGINE_CLOSED', 'the engine is closed');
  }

  /** Looks a user up and marks them most recently used (Map order is the LRU order). */
  private touch(user: string, create: boolean): UserState | undefined {
    let st = this.users.get(user);
    if (st) {
      st.unpack();
      this.users.delete(user);
      this.users.set(user, st);
    } else if (create) {
      st = new UserState(user, this.config.online.historySize);
      this.users.set(user, st);
    }
    return st;
  }

  /** Applies lifetimes: a daily reset at midnight UTC, or the end of a W-week lifetime, drops the personal model. */
  private sync(st: UserState, now: number): void {
    if (!st.delta) return;
    const o = this.config.online;
    const dailyEnd = o.dailyReset && Math.floor(now / DAY_MS) !== Math.floor(st.personalSince / DAY_MS);
    const lifeEnd = o.lifetimeMs > 0 && now - st.personalSince >= o.lifetimeMs;
    if (dailyEnd || lifeEnd) this.forgetProjection(st, true);
  }

  private forgetProjection(st: UserState, dropDelta = false): void {
    this.projBytes -= st.projectionBytes;
    this.recycle(st.projection);
    if (dropDelta) st.dropPersonal();
    else {
      st.projection = null;
      st.projectionRows = 0;
    }
  }

  /** g_u(x_i) for one item: a row of the global projection, or the exact personal row (pg_i + (H_i·A)·B). */
  private projectedRow(st: UserState, i: number): Float32Array {
    const m = this.model;
    const pgRow = m.pg.subarray(i * m.dim, (i + 1) * m.dim);
    if (st.delta === null) return pgRow;
    return personalRow(m.basisRow(i), pgRow, st.delta, new Float32Array(m.dim));
  }

  /** Recomputes the EMA from the user's history in the current space (after an adaptation, a swap or a reset). */
  private refreshEma(st: UserState): void {
    const d = this.model.dim;
    const hist = st.history();
    const rows = new Float32Array(hist.length * d);
    hist.forEach((h, r) => {
      rows.set(this.projectedRow(st, h.item), r * d);
    });
    st.ema = emaOfRows(rows, hist.length, d, this.config.online.alpha);
    st.emaVersion = this.model.version;
  }

  private globalSpace(): GlobalCodes {
    this.global = globalCodes(this.model, this.global, this.buffers, this.config.knn.projectionDims);
    return this.global;
  }

  /** The EMA of the user's history in the global student space (answers while a projection is being rebuilt). */
  private globalEma(st: UserState): Float32Array {
    const m = this.model;
    const hist = st.history();
    const rows = new Float32Array(hist.length * m.dim);
    hist.forEach((h, r) => {
      rows.set(m.pg.subarray(h.item * m.dim, (h.item + 1) * m.dim), r * m.dim);
    });
    return emaOfRows(rows, hist.length, m.dim, this.config.online.alpha);
  }

  /** The user's correction, extended to items added since it was built (only the new rows; synchronous). */
  private ensureProjection(st: UserState): PersonalCorrection {
    const m = this.model;
    const c = st.projection as PersonalCorrection;
    if (c.rows >= m.rows) return c;
    const delta = st.delta as LowRankDelta;
    const buf = this.buffers.alloc(correctionBlockBytes(m.rows, c.rank));
    const next: PersonalCorrection = { ...c, rows: m.rows, block: buf.codes, arenaOffset: buf.arenaOffset };
    // the u codes keep their row positions; the s codes move with the block's layout
    buf.codes.set(c.block.subarray(0, c.rows * c.stride));
    const n = m.rows - c.rows;
    const u = new Float32Array(n * c.rank);
    const s = new Float32Array(n);
    const sub = deltaSubspace(delta);
    correctionRows(m.basis, m.pg, sub, m.hidden, c.rows, m.rows, u, s);
    encodeCorrectionRows(next, u, s, c.rows, m.rows);
    const old = new Int16Array(c.block.buffer, c.block.byteOffset + (c.block.length - c.rows * 2), c.rows);
    new Int16Array(buf.codes.buffer, buf.codes.byteOffset + (buf.codes.length - m.rows * 2), c.rows).set(old);
    this.setProjection(st, next, m.rows);
    return next;
  }

  /**
   * Where a task writes its codes: the arena block itself when the task runs in this thread; otherwise a plain
   * SharedArrayBuffer (recycled), because a worker cannot reliably receive a view of a grown shared WebAssembly.Memory
   * ("Unable to deserialize cloned data" at 10⁵ items).
   */
  private outputFor(buf: CodeBuffer): Int8Array {
    if (this.executor.inline) return buf.codes;
    const n = buf.codes.length;
    while (this.transfer.length > 0) {
      const t = this.transfer.pop() as Int8Array;
      if (t.length === n) return t;
    }
    return new Int8Array(new SharedArrayBuffer(n));
  }

  /** Bytes of a personal correction's block under the current model. */
  private get codesLength(): number {
    return correctionBlockBytes(this.model.rows, this.config.online.deltaRank);
  }

  private recycle(p: CodeBuffer | PersonalCorrection | null): void {
    if (p && 'block' in p) this.buffers.recycle({ codes: p.block, arenaOffset: p.arenaOffset }, this.codesLength);
    else this.buffers.recycle(p, this.codesLength);
  }

  private setProjection(st: UserState, p: PersonalCorrection, rows: number): void {
    this.projBytes -= st.projectionBytes;
    if (st.projection !== p) this.recycle(st.projection);
    st.projection = p;
    st.projectionRows = rows;
    this.projBytes += st.projectionBytes;
    if (this.projBytes > this.config.online.memoryBudgetBytes) this.evictLru(st);
  }

  /** Drops least-recently-used projections until under budget, then LRU deltas (users restart from the global model). */
  private evictLru(keep?: UserState): void {
    const budget = this.config.online.memoryBudgetBytes;
    for (const st of this.users.values()) {
      if (this.projBytes <= budget) return;
      if (st !== keep && st.projection) this.forgetProjection(st);
    }
  }

  /**
   * Users unseen for `ttlMs` of event time lose their projection, their EMA (recomputed from the history when they come
   * back) and the list of items shown to them since their last adaptation, and keep a packed delta and history (they are
   * rebuilt off the request path when they come back). Runs every 1024 events with `online.idleTtlMs`; a service may
   * also call it on a timer. Returns how many users went idle.
   */
  evictIdle(ttlMs = this.config.online.idleTtlMs): number {
    let n = 0;
    for (const st of this.users.values())
      if (st.delta && !st.adapting && this.clock - st.lastSeen >= ttlMs) {
        this.forgetProjection(st);
        st.pack();
        // what was shown and ignored belongs to the visit that ended (eq. 7's negatives); the next visit starts its own
        st.recommended = [];
        // the EMA is that of the history (eq. 5), recomputed from it at the next event or request, as after an adaptation
        st.ema = null;
        n++;
      }
    return n;
  }

  /** Idle TTL, then the memory budget over all per-user state (LRU users restart from the global model). */
  private sweep(): void {
    const ttl = this.config.online.idleTtlMs;
    if (ttl > 0) this.evictIdle(ttl);
    let total = this.projBytes;
    for (const st of this.users.values()) total += st.weightBytes + st.historyBytes;
    if (total <= this.config.online.memoryBudgetBytes) return;
    for (const st of this.users.values()) {
      if (total <= this.config.online.memoryBudgetBytes) break;
      total -= st.projectionBytes + st.weightBytes;
      this.forgetProjection(st, true);
    }
  }

  private maybeAdapt(st: UserState): void {
    const o = this.config.online;
    if (!this.personalise || this.closed || st.adapting || st.pendingItems.length < o.adaptEvery) return;
    if (this.inflight.size >= o.maxQueuedAdaptations) {
      // the workers are behind: keep the batch growing (bounded) and let a later event or a finished task retry
      const excess = st.pendingItems.length - this.config.online.historySize;
      if (excess > 0) {
        st.pendingItems.splice(0, excess);
        st.pendingTypes.splice(0, excess);
      }
      this.backlog.add(st);
      return;
    }
    const buf = this.buffers.alloc(this.codesLength);
    const { task, meta } = planAdaptation(this.model, this.catalogue, this.config, st, this.outputFor(buf));
    this.submit(st, task, buf, meta);
  }

  /** Rebuilds an evicted user's projection off the request path: an adaptation task with no SGD step. */
  private rehydrate(st: UserState): void {
    if (!st.delta || st.adapting || this.closed) return;
    const buf = this.buffers.alloc(this.codesLength);
    this.submit(st, planReprojection(this.model, st.delta, this.outputFor(buf)), buf, null);
  }

  /** Runs a task on the executor and swaps its result in, unless the user's personal model was dropped meanwhile. */
  private submit(
    st: UserState,
    task: AdaptTask,
    buf: CodeBuffer,
    meta: { steps: number; positives: number; negatives: number } | null,
  ): void {
    const m = this.model;
    const epoch = st.epoch;
    const t0 = performance.now();
    st.adapting = true;
    const p = this.executor
      .run(task)
      .then((res) => {
        // the codes go into our block of the WASM arena (a worker wrote them into a transfer buffer: one memcpy)
        const proj = res.projection;
        if (proj.block !== buf.codes && proj.block.length === buf.codes.length) {
          buf.codes.set(proj.block);
          if (proj.block.buffer instanceof SharedArrayBuffer && this.transfer.length < 4) this.transfer.push(proj.block);
        }
        if (proj.block.length === buf.codes.length) {
          proj.block = buf.codes;
          proj.arenaOffset = buf.arenaOffset;
        } else this.recycle(buf); // another rank (an imported delta): the result keeps its own buffer
        if (this.closed || m !== this.model || epoch !== st.epoch) {
          if (proj.block === buf.codes) this.recycle(buf);
          return;
        }
        // the swap: delta, projection and EMA change together, in one synchronous block
        st.delta = res.delta;
        st.packed = null;
        this.setProjection(st, res.projection, res.rows);
        if (meta === null) return;
        if (st.personalSince === 0) st.personalSince = st.lastSeen;
        st.adaptations++;
        this.refreshEma(st);
        this.record({
          user: st.id,
          modelVersion: m.version,
          totalMs: performance.now() - t0,
          sgdMs: res.sgdMs,
          projectMs: res.projectMs,
          ...meta,
          lossBefore: res.lossBefore,
          lossAfter: res.lossAfter,
        });
      })
      .catch((err: unknown) => {
        this.failedAdaptations++;
        this.recycle(buf);
        log.error({ err }, 'adaptation failed');
      })
      .finally(() => {
        st.adapting = false;
        this.inflight.delete(p);
        this.maybeAdapt(st);
        // a slot is free: the oldest user waiting for one
        for (const waiting of this.backlog) {
          if (this.inflight.size >= this.config.online.maxQueuedAdaptations) break;
          this.backlog.delete(waiting);
          this.maybeAdapt(waiting);
        }
      });
    this.inflight.add(p);
  }

  private record(r: AdaptationReport): void {
    this.adaptCount++;
    const t = this.timings;
    const keep = 10_000;
    for (const [arr, v] of [
      [t.total, r.totalMs],
      [t.sgd, r.sgdMs],
      [t.project, r.projectMs],
    ] as const) {
      arr.push(v);
      if (arr.length > keep) arr.shift();
    }
    for (const h of this.hooks) {
      try {
        h(r);
      } catch (err) {
        log.warn({ err }, 'onAdaptation hook threw');
      }
    }
  }

  private popular(k: number, exclude: Set<number> | undefined, filter?: (i: number) => boolean): ScoredItem[] {
    const order = this.popularity.ranking(this.catalogue.size);
    const stock = this.catalogue.inStock;
    const out: ScoredItem[] = [];
    for (let r = 0; r < order.length && out.length < k; r++) {
      const i = order[r];
      if (stock[i] !== 1 || exclude?.has(i) || (filter && !filter(i))) continue;
      out.push({ item: this.catalogue.ids.id(i), score: this.popularity.count(i) });
    }
    return out;
  }
}
