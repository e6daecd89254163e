import { INTERACTION_TYPES, type Interaction, type InteractionType, type TimeWindow, TYPE_CODE } from '../core/types.js';
import { IdDictionary } from './id-dictionary.js';

/**
 * Columnar, append-only interaction log: four typed-array columns plus two id dictionaries, so tens of
 * millions of events fit in a few hundred MB (17 bytes an event plus the distinct ids), never an array of objects.
 */
export class EventLog {
  readonly users: IdDictionary;
  readonly items: IdDictionary;
  private userCol: Int32Array;
  private itemCol: Int32Array;
  private typeCol: Uint8Array;
  private timeCol: Float64Array;
  private n = 0;

  /** `items` may be a catalogue's dictionary so that item indices agree across log and catalogue. */
  constructor(opts: { capacity?: number; users?: IdDictionary; items?: IdDictionary } = {}) {
    const cap = Math.max(16, opts.capacity ?? 1024);
    this.users = opts.users ?? new IdDictionary();
    this.items = opts.items ?? new IdDictionary();
    this.userCol = new Int32Array(cap);
    this.itemCol = new Int32Array(cap);
    this.typeCol = new Uint8Array(cap);
    this.timeCol = new Float64Array(cap);
  }

  get length(): number {
    return this.n;
  }

  /** Appends one event given by string ids; returns its row. */
  push(user: string, item: string, type: InteractionType, timestamp: number): number {
    return this.pushIndexed(this.users.intern(user), this.items.intern(item), TYPE_CODE[type], timestamp);
  }

  /** Appends one event given by dictionary indices and type code; returns its row. */
  pushIndexed(user: number, item: number, typeCode: number, timestamp: number): number {
    if (this.n === this.userCol.length) this.grow();
    const i = this.n++;
    this.userCol[i] = user;
    this.itemCol[i] = item;
    this.typeCol[i] = typeCode;
    this.timeCol[i] = timestamp;
    return i;
  }

  /** Appends an interaction object. */
  add(e: Interaction): number {
    return this.push(e.user, e.item, e.type, e.timestamp);
  }

  userAt(i: number): number {
    return this.userCol[i];
  }
  itemAt(i: number): number {
    return this.itemCol[i];
  }
  typeAt(i: number): number {
    return this.typeCol[i];
  }
  timeAt(i: number): number {
    return this.timeCol[i];
  }

  /** Row `i` as an interaction object (for APIs and tests; hot loops read the columns). */
  get(i: number): Interaction {
    return {
      user: this.users.id(this.userCol[i]),
      item: this.items.id(this.itemCol[i]),
      type: INTERACTION_TYPES[this.typeCol[i]],
      timestamp: this.timeCol[i],
    };
  }

  /** Read-only views of the used part of each column. */
  columns(): { user: Int32Array; item: Int32Array; type: Uint8Array; time: Float64Array } {
    return {
      user: this.userCol.subarray(0, this.n),
      item: this.itemCol.subarray(0, this.n),
      type: this.typeCol.subarray(0, this.n),
      time: this.timeCol.subarray(0, this.n),
    };
  }

  /** True when timestamps never decrease. */
  isSorted(): boolean {
    for (let i = 1; i < this.n; i++) if (this.timeCol[i] < this.timeCol[i - 1]) return false;
    return true;
  }

  /** Sorts rows by time in place, stably (ties keep their input order). */
  sortByTime(): this {
    if (this.isSorted()) return this;
    const order = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i++) order[i] = i;
    const t = this.timeCol;
    order.sort((a, b) => t[a] - t[b] || a - b);
    this.permute(order);
    return this;
  }

  /** A new log with the rows whose timestamps fall in [start, end), sharing this log's dictionaries. */
  window(w: TimeWindow): EventLog {
    return this.filter((i) => this.timeCol[i] >= w.start && this.timeCol[i] < w.end);
  }

  /** A new log with the rows for which `keep(row)` is true, sharing this log's dictionaries. */
  filter(keep: (row: number) => boolean): EventLog {
    const out = new EventLog({ users: this.users, items: this.items, capacity: 1024 });
    for (let i = 0; i < this.n; i++) if (keep(i)) out.pushIndexed(this.userCol[i], this.itemCol[i], this.typeCol[i], this.timeCol[i]);
    return out;
  }

  /** First and last timestamp, or undefined for an empty log. */
  timeRange(): TimeWindow | undefined {
    if (this.n === 0) return undefined;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.n; i++) {
      const t = this.timeCol[i];
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    return { start: lo, end: hi };
  }

  /** Number of events of each type code (index = type code). */
  countByType(): number[] {
    const c = [0, 0, 0, 0];
    for (let i = 0; i < this.n; i++) c[this.typeCol[i]]++;
    return c;
  }

  /** Bytes held by the columns (capacity, not length), for memory accounting. */
  columnBytes(): number {
    return this.userCol.byteLength + this.itemCol.byteLength + this.typeCol.byteLength + this.timeCol.byteLength;
  }

  /** Grows the columns to hold at least `capacity` rows without reallocating (loaders call it with a size estimate). */
  reserve(capacity: number): this {
    if (capacity <= this.userCol.length) return this;
    this.resize(capacity);
    return this;
  }

  /** Releases spare capacity once loading is done. */
  trim(): this {
    this.userCol = this.userCol.slice(0, this.n);
    this.itemCol = this.itemCol.slice(0, this.n);
    this.typeCol = this.typeCol.slice(0, this.n);
    this.timeCol = this.timeCol.slice(0, this.n);
    return this;
  }

  /** Rows in time order as interactions (lazy). */
  *[Symbol.iterator](): IterableIterator<Interaction> {
    for (let i = 0; i < this.n; i++) yield this.get(i);
  }

  private grow(): void {
    // 1.5x growth keeps peak memory during loading close to the final size.
    this.resize(Math.ceil(this.userCol.length * 1.5) + 16);
  }

  private resize(cap: number): void {
    const u = new Int32Array(cap);
    u.set(this.userCol);
    this.userCol = u;
    const it = new Int32Array(cap);
    it.set(this.itemCol);
    this.itemCol = it;
    const ty = new Uint8Array(cap);
    ty.set(this.typeCol);
    this.typeCol = ty;
    const tm = new Float64Array(cap);
    tm.set(this.timeCol);
    this.timeCol = tm;
  }

  private permute(order: Uint32Array): void {
    const u = new Int32Array(this.userCol.length);
    const it = new Int32Array(this.userCol.length);
    const ty = new Uint8Array(this.userCol.length);
    const tm = new Float64Array(this.userCol.length);
    for (let k = 0; k < this.n; k++) {
      const i = order[k];
      u[k] = this.userCol[i];
      it[k] = this.itemCol[i];
      ty[k] = this.typeCol[i];
      tm[k] = this.timeCol[i];
    }
    this.userCol = u;
    this.itemCol = it;
    this.typeCol = ty;
    this.timeCol = tm;
  }
}
