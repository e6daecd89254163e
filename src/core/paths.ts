import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (the folder holding package.json), whether running from src via a loader or from dist. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/**
 * The shared public data sets (Taobao, RetailRocket, H&M), which live beside the project and are never copied
 * into it: `$TAILOR_SHARED_DIR/data` when set, else `<project>/../shared/data`.
 */
export function sharedDataDir(): string {
  return join(sharedDir(), 'data');
}

/** The shared models folder (the ONNX image model), beside the data. */
export function sharedModelsDir(): string {
  return join(sharedDir(), 'models');
}

function sharedDir(): string {
  return process.env.TAILOR_SHARED_DIR ? resolve(process.env.TAILOR_SHARED_DIR) : resolve(projectRoot(), '..', 'shared');
}

/** The path of a shared data set, or undefined (with the reason) when it is absent, so tests can skip clearly. */
export function sharedDataPath(...parts: string[]): { path: string; skip: false } | { path: string; skip: string } {
  const p = join(sharedDataDir(), ...parts);
  return existsSync(p) ? { path: p, skip: false } : { path: p, skip: `shared data set not present: ${p}` };
}
