import { TailorError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import type { ItemAttributes, ItemRecord } from '../core/types.js';
import { IdDictionary } from '../events/id-dictionary.js';

/**
 * The product catalogue: item ids, one content vector per item in a contiguous n×D float32 matrix
 * (SPEC §1, x_i), attribute columns and an in-stock flag. Item index i is the same everywhere.
 */
export class Catalogue {
  readonly ids: IdDictionary;
  readonly dim: number;
  private vec: Float32Array;
  private stock: Uint8Array;
  /** Attribute columns, one array per attribute name, aligned with item indices. */
  readonly attributes: Map<string, (string | number | undefined)[]> = new Map();

  constructor(dim: number, opts: { ids?: IdDictionary; vectors?: Float32Array; capacity?: number } = {}) {
    if (!Number.isInteger(dim) || dim <= 0)
      throw new TailorError('DATA_DIMENSION', `content dimension must be a positive integer, got ${dim}`);
    this.dim = dim;
    this.ids = opts.ids ?? new IdDictionary();
    const n = this.ids.size;
    const cap = Math.max(n, opts.capacity ?? 0, 16);
    this.vec = new Float32Array(cap * dim);
    if (opts.vectors) {
      if (opts.vectors.length !== n * dim)
        throw new TailorError('DATA_DIMENSION', `expected ${n}×${dim} vector values, got ${opts.vectors.length}`);
      this.vec.set(opts.vectors);
    }
    this.stock = new Uint8Array(cap).fill(1);
  }

  /** Number of items. */
  get size(): number {
    return this.ids.size;
  }

  /** The n×D content matrix (a view over the used rows). */
  get vectors(): Matrix {
    return { rows: this.size, cols: this.dim, data: this.vec.subarray(0, this.size * this.dim) };
  }

  /** In-stock flags (1 = in stock), a view over the used rows. */
  get inStock(): Uint8Array {
    return this.stock.subarray(0, this.size);
  }

  /** Index of item `id`, or undefined. */
  indexOf(id: string): number | undefined {
    return this.ids.get(id);
  }

  /** Content vector of item `i` (a view). */
  vector(i: number): Float32Array {
    return this.vec.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /** Adds a new item or updates an existing one; returns its index. A vector of the wrong length is an error. */
  upsert(item: ItemRecord): number {
    const isNew = !this.ids.has(item.id);
    const i = this.ids.intern(item.id);
    if (isNew) this.ensureCapacity(i + 1);
    if (item.vector) {
      if (item.vector.length !== this.dim)
        throw new TailorError('DATA_DIMENSION', `item ${item.id}: vector has ${item.vector.length} values, the catalogue has ${this.dim}`, {
          field: 'vector',
        });
      this.vec.set(item.vector, i * this.dim);
    }
    if (item.attributes) this.setAttributes(i, item.attributes);
    this.stock[i] = item.inStock === false ? 0 : isNew ? 1 : this.stock[i];
    return i;
  }

  /** Sets attribute values of item `i`. */
  setAttributes(i: number, attrs: ItemAttributes): void {
    for (const [k, v] of Object.entries(attrs)) {
      let col = this.attributes.get(k);
      if (!col) {
        col = [];
        this.attributes.set(k, col);
      }
      col[i] = v;
    }
  }

  /** Attribute `name` of item `i`, or undefined. */
  attribute(i: number, name: string): string | number | undefined {
    return this.attributes.get(name)?.[i];
  }

  /** All attributes of item `i` as a plain object. */
  attributesOf(i: number): ItemAttributes {
    const out: ItemAttributes = {};
    for (const [k, col] of this.attributes) {
      const v = col[i];
      if (v !== undefined) out[k] = v;
    }
    return out;
  }

  /** Marks item `i` in or out of stock. */
  setInStock(i: number, inStock: boolean): void {
    this.stock[i] = inStock ? 1 : 0;
  }

  /** True when item `i` is in stock. */
  isInStock(i: number): boolean {
    return this.stock[i] === 1;
  }

  private ensureCapacity(n: number): void {
    if (n * this.dim <= this.vec.length) return;
    const cap = Math.ceil(n * 1.5) + 16;
    const v = new Float32Array(cap * this.dim);
    v.set(this.vec);
    this.vec = v;
    const s = new Uint8Array(cap).fill(1);
    s.set(this.stock);
    this.stock = s;
  }
}
