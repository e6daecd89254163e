import type { Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { DATASET_FORMATS } from '../../events/loaders/options.js';
import { type RunningServer, type ServeOptions, startServer } from '../../server/bootstrap.js';
import { datasetFormat } from '../dataset-options.js';
import { numberOption } from '../number-option.js';

/** Stops the server on SIGINT / SIGTERM (finishing requests, writing the last states) and exits. */
export function closeOnSignals(server: RunningServer): void {
  const stop = (signal: string) => {
    process.stderr.write(`${signal}: shutting down\n`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** Prints the security posture and the URL (tests and scripts read the `listening on` line). */
export function announce(server: RunningServer, keys: readonly string[]): void {
  if (keys.length === 0) process.stderr.write('warning: no API keys configured (TAILOR_API_KEYS): writes and admin routes are open\n');
  process.stdout.write(`Tailor listening on ${server.url} (API docs ${server.url}/docs, storefront ${server.url}/shop/)\n`);
}

/** `tailor serve`: the HTTP service over a data set's catalogue and a trained model. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve recommendations over HTTP (OpenAPI at /docs, metrics at /metrics)')
    .requiredOption('--data <path>', 'data set whose catalogue is served')
    .option('--format <format>', `data set layout (${DATASET_FORMATS.join(', ')})`, 'synthetic')
    .requiredOption('--model <dir>', 'model artifact folder')
    .option('--vectors <file.npy>', "content vectors (with <file>.ids.txt) instead of the data set's own, e.g. from tailor embed")
    .option(
      '--store <url>',
      'state store: sqlite:<file> (default from TAILOR_STORE or sqlite:./var/tailor.db), memory:, redis://host:port[?prefix=]',
    )
    .option('--events <url>', 'event stream: log: (embedded), nats://host:port[?stream=], redis-stream://host:port[?prefix=]')
    .option('--host <host>', 'listen address (default 127.0.0.1 or TAILOR_HOST)')
    .option('--port <port>', 'listen port (0: any free port)', numberOption('port', { integer: true, sign: 'nonNegative' }))
    .option(
      '--process-index <i>',
      'this process among those sharing the stream',
      numberOption('process-index', { integer: true, sign: 'nonNegative' }),
      0,
    )
    .option(
      '--process-count <n>',
      'processes sharing the stream (partitions are split round robin)',
      numberOption('process-count', { integer: true, sign: 'nonNegative' }),
      1,
    )
    .option(
      '--partitions <n>',
      'user partitions of the stream (same for every process)',
      numberOption('partitions', { integer: true, sign: 'nonNegative' }),
      16,
    )
    .option(
      '--rate-limit <n>',
      'requests a minute per API key or client address (default 60000)',
      numberOption('rate-limit', { integer: true, sign: 'nonNegative' }),
    )
    .option(
      '--retention-days <d>',
      'embedded log: drop acknowledged events older than this (0 keeps all)',
      numberOption('retention-days', { integer: true, sign: 'nonNegative' }),
      7,
    )
    .option('--no-storefront', 'do not mount the storefront demo at /shop')
    .action(async (o) => {
      const config = loadConfig(o.rateLimit ? { server: { rateLimitPerMinute: o.rateLimit } } : {});
      const opts: ServeOptions = {
        data: o.data,
        format: datasetFormat(o.format),
        vectors: o.vectors,
        model: o.model,
        config,
        store: o.store,
        events: o.events,
        host: o.host,
        port: o.port,
        processIndex: o.processIndex,
        processCount: o.processCount,
        partitions: o.partitions,
        storefront: o.storefront,
        retentionDays: o.retentionDays,
      };
      const server = await startServer(opts);
      announce(server, config.server.apiKeys);
      closeOnSignals(server);
    });
}
