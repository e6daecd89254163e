import { correctionBytes, type PersonalCorrection } from '../knn/correction.js';
import { packHalf, unpackHalf } from '../personal/half.js';
import { type Int8Columns, packInt8Columns, unpackInt8Columns } from '../personal/int8-columns.js';
import type { LowRankDelta } from '../personal/low-rank.js';
import { deltaBytes } from '../personal/low-rank.js';

/**
 * Everything the engine keeps about one shopper. The personal model is copy-on-write: `delta` is null while the
 * user shares the global student, and an adaptation publishes a new delta + projection + EMA in one synchronous
 * assignment (never mutated afterwards), so a recommendation sees either the old state or the new one.
 */
export class UserState {
  /** Recent items (catalogue indices), types and times: a ring of `capacity` entries, oldest overwritten. */
  readonly histItems: Int32Array;
  readonly histTypes: Uint8Array;
  readonly histTimes: Float64Array;
  histCount = 0;
  histHead = 0;
  /** Every purchased item (for `excludePurchased`), unsorted, grown by doubling. */
  purchased = new Int32Array(4);
  purchasedCount = 0;
  /** Items and type codes since the last adaptation was scheduled. */
  pendingItems: number[] = [];
  pendingTypes: number[] = [];
  /** Items recommended since the last adaptation (candidate negatives of eq. 7), most recent last. */
  recommended: number[] = [];
  ema: Float32Array | null = null;
  /** Model version whose space `ema` lives in, and whether it was computed with the current delta. */
  emaVersion = '';
  delta: LowRankDelta | null = null;
  /** The delta of an idle user, packed: A as int8 with a scale per column, B as float16 (`delta` is then null until
   * the user comes back). */
  packed: { rank: number; hidden: number; out: number; a: Int8Columns; b: Uint16Array } | null = null;
  /** The projected catalogue as a rank-r correction of the global one (src/knn/correction.ts); null while sharing
   * the global one or after eviction. */
  projection: PersonalCorrection | null = null;
  projectionRows = 0;
  /** When the current personal model was first adapted (event time, ms); for lifetimes. */
  personalSince = 0;
  lastSeen = 0;
  /** Bumped whenever the personal model is dropped (reset, eviction, model swap): late adaptation results are discarded. */
  epoch = 0;
  adapting = false;
  adaptations = 0;

  constructor(
    readonly id: string,
    capacity: number,
  ) {
    this.histItems = new Int32Array(capacity);
    this.histTypes = new Uint8Array(capacity);
    this.histTimes = new Float64Array(capacity);
  }

  /** Appends an event to the history ring (and to the purchase list for purchases, type code 3). */
  push(item: number, type: number, time: number): void {
    const cap = this.histItems.length;
    this.histItems[this.histHead] = item;
    this.histTypes[this.histHead] = type;
    this.histTimes[this.histHead] = time;
    this.histHead = (this.histHead + 1) % cap;
    if (this.histCount < cap) this.histCount++;
    if (type === 3) this.addPurchase(item);
  }

  /** Remembers a purchase (for `excludePurchased`) without touching the history. */
  addPurchase(item: number): void {
    if (this.hasPurchased(item)) return;
    if (this.purchasedCount === this.purchased.length) {
      const p = new Int32Array(this.purchased.length * 2);
      p.set(this.purchased);
      this.purchased = p;
    }
    this.purchased[this.purchasedCount++] = item;
  }

  hasPurchased(item: number): boolean {
    for (let i = 0; i < this.purchasedCount; i++) if (this.purchased[i] === item) return true;
    return false;
  }

  /** History entries oldest first. */
  history(): Array<{ item: number; type: number; time: number }> {
    const cap = this.histItems.length;
    const out: Array<{ item: number; type: number; time: number }> = [];
    const start = (this.histHead - this.histCount + cap) % cap;
    for (let i = 0; i < this.histCount; i++) {
      const j = (start + i) % cap;
      out.push({ item: this.histItems[j], type: this.histTypes[j], time: this.histTimes[j] });
    }
    return out;
  }

  /** Drops the personal model (daily reset, lifetime end, eviction, model swap); history and purchases stay. */
  dropPersonal(): void {
    this.delta = null;
    this.packed = null;
    this.projection = null;
    this.projectionRows = 0;
    this.personalSince = 0;
    this.emaVersion = '';
    this.epoch++;
  }

  get projectionBytes(): number {
    return correctionBytes(this.projection);
  }
  get weightBytes(): number {
    return (
      deltaBytes(this.delta) +
      (this.packed ? this.packed.a.codes.byteLength + this.packed.a.scale.byteLength + this.packed.b.byteLength : 0)
    );
  }

  /** Packs the delta (an idle user): A to int8 columns, B to float16. */
  pack(): void {
    const d = this.delta;
    if (!d) return;
    this.packed = { rank: d.rank, hidden: d.hidden, out: d.out, a: packInt8Columns(d.a, d.hidden, d.rank), b: packHalf(d.b) };
    this.delta = null;
  }

  /** Restores the float32 delta of a user who comes back. */
  unpack(): void {
    const p = this.packed;
    if (!p) return;
    this.delta = { rank: p.rank, hidden: p.hidden, out: p.out, a: unpackInt8Columns(p.a, p.hidden, p.rank), b: unpackHalf(p.b) };
    this.packed = null;
  }
  /** History ring, purchases, pending batch, negatives and EMA. */
  get historyBytes(): number {
    return (
      this.histItems.byteLength +
      this.histTypes.byteLength +
      this.histTimes.byteLength +
      this.purchased.byteLength +
      (this.pendingItems.length + this.recommended.length) * 8 +
      (this.ema?.byteLength ?? 0)
    );
  }
  get totalBytes(): number {
    return this.projectionBytes + this.weightBytes + this.historyBytes + 96;
  }
}
