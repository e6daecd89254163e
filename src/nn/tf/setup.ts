import { createRequire } from 'node:module';
import type * as TfCore from '@tensorflow/tfjs-core';
import { registerGradients } from './gradients.js';

/** The tfjs-core namespace type (the package is loaded through CommonJS so that one instance is shared). */
export type Tf = typeof TfCore;
export type Tensor = TfCore.Tensor;
export type Tensor2D = TfCore.Tensor2D;
export type Variable = TfCore.Variable;

const require = createRequire(import.meta.url);
let ready: Promise<Tf> | undefined;

/**
 * Loads tfjs-core with the WASM SIMD backend (single-threaded in Node) once per process and registers the
 * gradients Tailor's layers need. tfjs-core's own `register_all_gradients` is ESM without file extensions and does
 * not load in Node ESM, so the few kernels differentiated here get hand-written gradients (see gradients.ts).
 */
export function loadTf(): Promise<Tf> {
  ready ??= (async () => {
    const tf = require('@tensorflow/tfjs-core') as Tf;
    require('@tensorflow/tfjs-backend-wasm');
    registerGradients(tf);
    if (tf.getBackend() !== 'wasm') {
      const ok = await tf.setBackend('wasm');
      if (!ok) throw new Error('tfjs WASM backend failed to initialise');
    }
    await tf.ready();
    return tf;
  })();
  return ready;
}
