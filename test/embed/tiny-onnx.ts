/**
 * Builds a tiny ONNX model in memory (GlobalAveragePool over an [N,3,S,S] input → [N,3,1,1]) by writing the few
 * onnx.proto fields it needs, so the embedder is tested end to end without any model file from outside.
 */

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 127) {
    out.push((v & 127) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
const key = (field: number, wire: number) => varint(field * 8 + wire);
const int = (field: number, v: number) => [...key(field, 0), ...varint(v)];
const bytes = (field: number, b: number[]) => [...key(field, 2), ...varint(b.length), ...b];
const str = (field: number, s: string) => bytes(field, [...Buffer.from(s, 'utf8')]);

/** ValueInfoProto of a float tensor; a string dimension is symbolic (dim_param). */
function valueInfo(name: string, dims: (number | string)[]): number[] {
  const shape = dims.flatMap((d) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d)));
  const tensorType = [...int(1, 1), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

/** Bytes of a model: input `pixels` [N,3,size,size] → output `feat` = GlobalAveragePool(pixels) [N,3,1,1]. */
export function tinyPoolModel(size: number): Uint8Array {
  const node = [...str(1, 'pixels'), ...str(2, 'feat'), ...str(3, 'pool'), ...str(4, 'GlobalAveragePool')];
  const graph = [
    ...bytes(1, node),
    ...str(2, 'tiny'),
    ...bytes(11, valueInfo('pixels', ['N', 3, size, size])),
    ...bytes(12, valueInfo('feat', ['N', 3, 1, 1])),
  ];
  const model = [...int(1, 7), ...str(2, 'tailor-test'), ...bytes(7, graph), ...bytes(8, [...str(1, ''), ...int(2, 12)])];
  return Uint8Array.from(model);
}
