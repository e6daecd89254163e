import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventLog } from '../../src/events/event-log.js';

test('EventLog stores events columnar, sorts stably by time and windows', () => {
  const log = new EventLog({ capacity: 2 });
  log.push('u1', 'a', 'click', 30);
  log.push('u2', 'b', 'purchase', 10);
  log.push('u1', 'b', 'cart', 10);
  log.push('u3', 'c', 'favorite', 20);
  assert.equal(log.length, 4);
  assert.equal(log.users.size, 3);
  log.sortByTime();
  assert.deepEqual(
    [...log].map((e) => `${e.user}:${e.item}:${e.type}:${e.timestamp}`),
    ['u2:b:purchase:10', 'u1:b:cart:10', 'u3:c:favorite:20', 'u1:a:click:30'],
  );
  const w = log.window({ start: 10, end: 30 });
  assert.equal(w.length, 3);
  assert.equal(w.items, log.items);
  assert.deepEqual(log.countByType(), [1, 1, 1, 1]);
  assert.deepEqual(log.timeRange(), { start: 10, end: 30 });
});
