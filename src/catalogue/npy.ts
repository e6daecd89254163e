import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { TailorError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { requireFile } from '../events/loaders/readers.js';

/**
 * NumPy `.npy` files (format versions 1–3) holding a 2-D float32 matrix, read and written without a dependency:
 * magic, version, a Python-dict header padded to 64 bytes, then the little-endian row-major data.
 */

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

/** Parses an .npy buffer into a float32 matrix (float64 and float16 are converted; Fortran order is transposed). */
export function parseNpy(buf: Buffer, file = '<buffer>'): Matrix {
  const name = basename(file);
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC))
    throw new TailorError('DATA_FORMAT', 'not a .npy file (bad magic)', { file: name });
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw new TailorError('DATA_FORMAT', `unreadable .npy header: ${header.trim()}`, { file: name });
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.length === 1) shape.push(1);
  if (shape.length !== 2)
    throw new TailorError('DATA_DIMENSION', `expected a 2-D array, got shape (${shapeText})`, { file: name, field: 'shape' });
  const [rows, cols] = shape;
  const n = rows * cols;
  const off = start + headerLen;
  const le = !descr.startsWith('>');
  const kind = descr.replace(/^[<>|=]/, '');
  const width = kind === 'f4' ? 4 : kind === 'f8' ? 8 : kind === 'f2' ? 2 : 0;
  if (width === 0)
    throw new TailorError('DATA_FORMAT', `unsupported dtype ${descr}: expected float32 (<f4), float64 or float16`, {
      file: name,
      field: 'descr',
    });
  if (buf.length < off + n * width)
    throw new TailorError(
      'DATA_FORMAT',
      `truncated .npy: shape ${rows}×${cols} needs ${n * width} data bytes, file has ${buf.length - off}`,
      { file: name },
    );
  const data = new Float32Array(n);
  const view = new DataView(buf.buffer, buf.byteOffset + off, n * width);
  for (let i = 0; i < n; i++)
    data[i] = width === 4 ? view.getFloat32(i * 4, le) : width === 8 ? view.getFloat64(i * 8, le) : half(view.getUint16(i * 2, le));
  if (!fortran) return { rows, cols, data };
  const t = new Float32Array(n);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[r * cols + c] = data[c * rows + r];
  return { rows, cols, data: t };
}

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Serialises a float32 matrix as a version-1 .npy buffer ('<f4', C order). */
export function formatNpy(m: Matrix): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  MAGIC.copy(head, 0);
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const data = Buffer.alloc(m.rows * m.cols * 4);
  const src = m.data.subarray(0, m.rows * m.cols);
  // Typed arrays are little-endian on every platform Node runs on; copy bytes directly.
  Buffer.from(src.buffer, src.byteOffset, src.byteLength).copy(data);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), data]);
}

/** Reads a float32 matrix from an .npy file. */
export async function readNpy(file: string): Promise<Matrix> {
  requireFile(file);
  return parseNpy(await readFile(file), file);
}

/** Writes a float32 matrix to an .npy file. */
export async function writeNpy(file: string, m: Matrix): Promise<void> {
  await writeFile(file, formatNpy(m));
}

/** The id-list file that goes with `x.npy`: `x.ids.txt` (one id per line, row order). */
export function idsPathFor(npyFile: string): string {
  return npyFile.replace(/\.npy$/i, '') + '.ids.txt';
}

/**
 * Item vectors from `file` (.npy) and its id list (default `<name>.ids.txt`): rows must equal ids, ids must be unique.
 * Problems name the file, the line of the id list and the field.
 */
export async function readItemVectors(file: string, idsFile = idsPathFor(file)): Promise<{ ids: string[]; vectors: Matrix }> {
  const vectors = await readNpy(file);
  requireFile(idsFile);
  const text = await readFile(idsFile, 'utf8');
  const ids = text.split(/\r?\n/);
  if (ids.length > 0 && ids[ids.length - 1] === '') ids.pop();
  const seen = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i].trim();
    ids[i] = id;
    if (id === '') throw new TailorError('DATA_FIELD', 'empty id', { file: basename(idsFile), line: i + 1, field: 'id' });
    const prev = seen.get(id);
    if (prev !== undefined)
      throw new TailorError('DATA_DUPLICATE_ID', `id "${id}" already on line ${prev}`, {
        file: basename(idsFile),
        line: i + 1,
        field: 'id',
        value: id,
      });
    seen.set(id, i + 1);
  }
  if (ids.length !== vectors.rows)
    throw new TailorError('DATA_DIMENSION', `${ids.length} ids but ${vectors.rows} vector rows in ${basename(file)}`, {
      file: basename(idsFile),
    });
  return { ids, vectors };
}

/** Writes item vectors as `<file>` (.npy) plus the id list beside it (default `<name>.ids.txt`). */
export async function writeItemVectors(file: string, ids: readonly string[], vectors: Matrix, idsFile = idsPathFor(file)): Promise<void> {
  if (ids.length !== vectors.rows) throw new TailorError('DATA_DIMENSION', `${ids.length} ids for ${vectors.rows} vector rows`);
  await writeNpy(file, vectors);
  await writeFile(idsFile, ids.length > 0 ? `${ids.join('\n')}\n` : '');
}
