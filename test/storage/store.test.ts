import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isTailorError } from '../../src/core/errors.js';
import { openStore } from '../../src/storage/store.js';
import { dropRedisPrefix, redisSkip, uniquePrefix } from './services.js';
import { storeContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'tailor-store-'));
const redisPrefix = uniquePrefix('store');
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!redisSkip) await dropRedisPrefix(redisPrefix);
});

let n = 0;
storeContract('memory', () => openStore('memory:'));
storeContract('sqlite', () => openStore(`sqlite:${join(dir, `s${n++}.db`)}`));
storeContract('sqlite (one file)', () => openStore(`sqlite:${join(dir, 'shared.db')}`), { reopen: true });
storeContract('redis', () => openStore(`redis://127.0.0.1:6379?prefix=${redisPrefix}_${n++}`), { skip: redisSkip, exclusiveLeases: true });
storeContract('redis (one prefix)', () => openStore(`redis://127.0.0.1:6379?prefix=${redisPrefix}`), {
  skip: redisSkip,
  reopen: true,
  exclusiveLeases: true,
});

test('unknown store scheme is UNSUPPORTED_URL naming the field', async () => {
  await assert.rejects(openStore('mongo://x'), (e) => isTailorError(e, 'UNSUPPORTED_URL') && e.location.field === 'store');
});

test('unreachable Redis is STORAGE_UNAVAILABLE, not a hang', async () => {
  await assert.rejects(openStore('redis://127.0.0.1:1'), (e) => isTailorError(e, 'STORAGE_UNAVAILABLE'));
});
