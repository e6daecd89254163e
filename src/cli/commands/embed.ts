import { type Command, Option } from 'commander';
import { TailorError } from '../../core/errors.js';
import { type EmbedModelOptions, PRESETS, parseTriple, resolveModelOptions } from '../../embed/options.js';
import { numberOption } from '../number-option.js';

/** `tailor embed`: product images → content vectors (.npy) + id list, with an ONNX image model on CPU. */
export function registerEmbed(program: Command): void {
  program
    .command('embed')
    .description('Embed product images (JPEG/PNG/WebP) with an ONNX model into content vectors (.npy) and an id list')
    .requiredOption('--images <dir>', 'folder of images, searched recursively; the file name without extension is the item id')
    .requiredOption('--model <file.onnx>', 'ONNX image model')
    .requiredOption('--out <vectors.npy>', 'output vectors, float32 n×d')
    .option('--ids <file>', 'output id list, one id a line (default: <out>.ids.txt)')
    .addOption(new Option('--preset <name>', 'preprocessing preset').choices(Object.keys(PRESETS)).default('torchvision'))
    .option('--size <px>', 'square input size', numberOption('size', { integer: true, sign: 'positive' }))
    .addOption(
      new Option('--fit <how>', 'crop (resize shorter side, centre crop), contain (letterbox), stretch').choices([
        'crop',
        'contain',
        'stretch',
      ]),
    )
    .option(
      '--resize-shorter <px>',
      'shorter side before the centre crop (fit crop)',
      numberOption('resize-shorter', { integer: true, sign: 'positive' }),
    )
    .option('--mean <r,g,b>', 'per-channel mean after scaling')
    .option('--std <r,g,b>', 'per-channel std after scaling')
    .option('--scale <k>', 'pixel scale before normalisation (1/255 = 0.00392156862745098)', Number)
    .option('--background <r,g,b>', 'letterbox colour for fit contain (0..255)')
    .addOption(new Option('--layout <l>', 'input tensor layout').choices(['nchw', 'nhwc']))
    .option('--input <name>', 'input tensor name (default: the first input)')
    .option('--output <name>', 'output or intermediate tensor name (must be a graph output; default: the first output)')
    .addOption(new Option('--pool <how>', 'feature map → vector').choices(['mean', 'max', 'cls', 'none']))
    .addOption(new Option('--output-layout <l>', 'axis order of a rank-4 output').choices(['nchw', 'nhwc']))
    .option('--no-l2', 'keep raw vectors (default: L2-normalised)')
    .option('--batch <n>', 'images per model run', numberOption('batch', { integer: true, sign: 'positive' }), 32)
    .option('--threads <n>', 'onnxruntime intra-op threads', numberOption('threads', { integer: true, sign: 'positive' }), 2)
    .option('--limit <n>', 'embed only the first n images (sorted by path)', numberOption('limit', { integer: true, sign: 'positive' }))
    .addOption(new Option('--on-error <what>', 'a corrupt image: skip it (reported) or stop').choices(['skip', 'stop']).default('skip'))
    .option('--quiet', 'no progress bar')
    .action(async (o) => {
      const overrides: Partial<EmbedModelOptions> = {
        size: o.size,
        fit: o.fit,
        resizeShorter: o.resizeShorter ?? (o.size ? Math.round((o.size * 256) / 224) : undefined),
        mean: o.mean ? parseTriple(o.mean, 'mean') : undefined,
        std: o.std ? parseTriple(o.std, 'std') : undefined,
        scale: o.scale,
        background: o.background ? parseTriple(o.background, 'background') : undefined,
        layout: o.layout,
        input: o.input,
        output: o.output,
        pool: o.pool,
        outputLayout: o.outputLayout,
        l2: o.l2,
      };
      const modelOptions = resolveModelOptions(o.preset, overrides);
      // sharp and onnxruntime load only when this command runs, not with every CLI start
      const { embedFolder } = await import('../../embed/embed-folder.js');
      const res = await embedFolder(o.images, o.out, {
        ids: o.ids,
        model: o.model,
        modelOptions,
        batchSize: o.batch,
        threads: o.threads,
        onError: o.onError,
        limit: o.limit,
        quiet: o.quiet,
        onFailure: (f) => process.stderr.write(`skipped ${f.file}: ${f.reason}\n`),
      });
      process.stdout.write(
        `embedded ${res.ids.length} images → ${res.vectors.rows}×${res.vectors.cols} in ${o.out} (ids: ${res.idsFile}); ` +
          `${res.failures.length} skipped; ${(res.ids.length / res.seconds).toFixed(1)} images/s\n`,
      );
      if (res.ids.length === 0) throw new TailorError('DATA_PARSE', 'no image could be decoded', { file: o.images });
    });
}
