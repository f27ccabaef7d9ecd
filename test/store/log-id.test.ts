import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareLogIds, isLogId, nextLogId, parseLogId } from '../../src/store/log-id.js';

test('log ids compare by time, then sequence, numerically', () => {
  assert.ok(compareLogIds('1700000000000-0', '1700000000001-0') < 0);
  assert.ok(compareLogIds('1700000000000-9', '1700000000000-10') < 0, 'not as text');
  assert.ok(compareLogIds('999-5', '1000-0') < 0, 'different lengths');
  assert.equal(compareLogIds('5-5', '5-5'), 0);
  assert.deepEqual(['3-1', '3-0', '10-0', '2-7'].sort(compareLogIds), ['2-7', '3-0', '3-1', '10-0']);
});

test('malformed ids are refused', () => {
  assert.equal(isLogId('1-0'), true);
  assert.equal(isLogId('1'), false);
  assert.equal(isLogId('a-b'), false);
  assert.equal(isLogId('1-0 '), false);
  assert.throws(() => parseLogId('$'), TypeError);
  assert.throws(() => compareLogIds('1-0', '+'), TypeError);
});

test('nextLogId is strictly increasing whatever the clock does', () => {
  assert.deepEqual(nextLogId(null, 100), { ms: 100, seq: 0 });
  assert.deepEqual(nextLogId({ ms: 100, seq: 0 }, 100), { ms: 100, seq: 1 });
  assert.deepEqual(nextLogId({ ms: 100, seq: 1 }, 90), { ms: 100, seq: 2 });
  assert.deepEqual(nextLogId({ ms: 100, seq: 2 }, 101), { ms: 101, seq: 0 });
});
