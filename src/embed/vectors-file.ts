import { writeFileSync } from 'node:fs';
import type { Matrix } from '../core/matrix.js';

/**
 * Writes an n×d float32 matrix as a NumPy .npy file (format 1.0, little-endian '<f4', C order), the item
 * vector format of SPEC §1, readable by `numpy.load` and by the catalogue's vector loader.
 */
export function writeNpyMatrix(file: string, m: Matrix): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  // magic(6) + version(2) + header length(2) + header, padded with spaces to a multiple of 64, ending in \n
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += `${' '.repeat(pad % 64)}\n`;
  const head = Buffer.alloc(10 + header.length);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  head.write(header, 10, 'latin1');
  const body = Buffer.from(m.data.buffer, m.data.byteOffset, m.rows * m.cols * 4);
  writeFileSync(file, Buffer.concat([head, body]));
}

/** Writes the id list that goes with a vector file: one id a line, in row order. */
export function writeIdList(file: string, ids: readonly string[]): void {
  writeFileSync(file, ids.length > 0 ? `${ids.join('\n')}\n` : '');
}

/** The id-list path beside a vector file: `vectors.npy` → `vectors.ids.txt`. */
export function idListPathFor(vectorsFile: string): string {
  return `${vectorsFile.replace(/\.npy$/i, '')}.ids.txt`;
}
