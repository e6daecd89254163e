import type * as TfCore from '@tensorflow/tfjs-core';

type Tf = typeof TfCore;

/**
 * Registers gradients for the kernels that Tailor differentiates outside its custom-gradient layers: Slice and
 * Concat (row blocks of a batch), Relu, and Add and Maximum of same-shape operands (e.g. two loss terms). Existing registrations (e.g. a bundle that loaded tfjs's own) are kept.
 * Any other kernel on a gradient path needs a registration here.
 */
export function registerGradients(tf: Tf): void {
  const have = (k: string) => tf.getGradient(k) !== undefined;
  if (!have('Slice'))
    tf.registerGradient({
      kernelName: 'Slice',
      inputsToSave: ['x'],
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved;
        const { begin, size } = attrs as unknown as { begin: number | number[]; size: number | number[] };
        const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
        const pads: Array<[number, number]> = [];
        for (let i = 0; i < (dy as TfCore.Tensor).rank; i++) pads.push([b[i], x.shape[i] - b[i] - s[i]]);
        return { x: () => tf.pad(dy as TfCore.Tensor, pads) };
      },
    });
  if (!have('Concat'))
    tf.registerGradient({
      kernelName: 'Concat',
      saveAllInputs: true,
      gradFunc: (dy, saved, attrs) => {
        const axis = (attrs as unknown as { axis: number }).axis;
        const rank = saved[0].shape.length;
        const ax = axis < 0 ? axis + rank : axis;
        const parts = tf.split(
          dy as TfCore.Tensor,
          saved.map((t) => t.shape[ax]),
          ax,
        );
        // biome-ignore lint/suspicious/noExplicitAny: tfjs types multi-input gradients as a plain object keyed by position
        return parts.map((p) => () => p) as any;
      },
    });
  if (!have('Maximum'))
    tf.registerGradient({
      kernelName: 'Maximum',
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, saved) => {
        const [a, b] = saved;
        const g = dy as TfCore.Tensor;
        // same-shape operands only (element-wise max of relation outputs); ties go to `a`
        return { a: () => tf.mul(g, tf.cast(tf.greaterEqual(a, b), 'float32')), b: () => tf.mul(g, tf.cast(tf.less(a, b), 'float32')) };
      },
    });
  if (!have('Add'))
    tf.registerGradient({
      kernelName: 'Add',
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, saved) => {
        const [a, b] = saved;
        if (a.shape.join() !== b.shape.join()) throw new Error('Add gradient: only same-shape operands are supported');
        return { a: () => dy as TfCore.Tensor, b: () => dy as TfCore.Tensor };
      },
    });
  if (!have('Relu'))
    tf.registerGradient({
      kernelName: 'Relu',
      inputsToSave: ['x'],
      gradFunc: (dy, saved) => {
        const [x] = saved;
        return { x: () => tf.mul(dy as TfCore.Tensor, tf.step(x as TfCore.Tensor)) };
      },
    });
}
