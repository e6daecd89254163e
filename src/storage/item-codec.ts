import type { StoredItem } from './store.js';

/** Encodes a stored item as JSON (the vector as base64 little-endian float32) for text-valued backends. */
export function encodeItem(item: StoredItem): string {
  return JSON.stringify({
    id: item.id,
    vector: item.vector ? Buffer.from(item.vector.buffer, item.vector.byteOffset, item.vector.byteLength).toString('base64') : undefined,
    attributes: item.attributes,
    inStock: item.inStock,
  });
}

/** Inverse of `encodeItem`. */
export function decodeItem(text: string): StoredItem {
  const o = JSON.parse(text) as { id: string; vector?: string; attributes?: StoredItem['attributes']; inStock?: boolean };
  let vector: Float32Array | undefined;
  if (o.vector !== undefined) {
    const buf = Buffer.from(o.vector, 'base64');
    vector = new Float32Array(buf.byteLength / 4);
    new Uint8Array(vector.buffer).set(buf);
  }
  return { id: o.id, vector, attributes: o.attributes, inStock: o.inStock };
}
