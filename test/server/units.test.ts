import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTailorError } from '../../src/core/errors.js';
import { compareOffsets, hashUser } from '../../src/server/service.js';
import { parseFilter } from '../../src/server/validation.js';

test('hashUser: stable, short, and does not contain the id', () => {
  assert.equal(hashUser('alice@example.com'), hashUser('alice@example.com'));
  assert.notEqual(hashUser('alice'), hashUser('bob'));
  assert.match(hashUser('alice'), /^[0-9a-f]{12}$/);
  assert.ok(!hashUser('alice').includes('alice'));
});

test('compareOffsets orders log sequences and Redis ids', () => {
  assert.ok(compareOffsets('9', '10') < 0);
  assert.equal(compareOffsets('42', '42'), 0);
  assert.ok(compareOffsets('1700000000000-2', '1700000000000-10') < 0);
  assert.ok(compareOffsets('1700000000001-0', '1700000000000-99') > 0);
});

test('parseFilter: all clauses must match; alternatives with |; unknown names are a 400 on filter', () => {
  const attrs = [
    { colour: 'Black', type: 'Dress' },
    { colour: 'White', type: 'Dress' },
    { colour: 'Black', type: 'Shirt' },
  ];
  const f = parseFilter(
    'colour:Black|White, type:Dress',
    (i, n) => (attrs[i] as Record<string, string>)[n],
    (n) => n === 'colour' || n === 'type',
  );
  assert.deepEqual([0, 1, 2].map(f), [true, true, false]);
  assert.throws(
    () =>
      parseFilter(
        'size:XL',
        () => undefined,
        () => false,
      ),
    (e) => isTailorError(e, 'VALIDATION') && e.location.field === 'filter',
  );
});
