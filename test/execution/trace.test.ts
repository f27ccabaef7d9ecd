import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskSecrets } from '../../src/execution/trace.js';

test('secrets are masked at any depth in what was sent and received; other values are kept', () => {
  const sent = {
    stake: 10,
    headers: { 'X-Authentication': 'session-abc', 'X-Application': 'app' },
    login: { username: 'bob', password: 'hunter2', appKey: 'k1' },
    list: [{ sessionToken: 't' }, { price: 2 }],
    ssoid: 'x',
    account: 'house',
  };
  assert.deepEqual(maskSecrets(sent), {
    stake: 10,
    headers: { 'X-Authentication': '***', 'X-Application': '***' },
    login: { username: 'bob', password: '***', appKey: '***' },
    list: [{ sessionToken: '***' }, { price: 2 }],
    ssoid: '***',
    account: 'house',
  });
  assert.equal(maskSecrets(null), null);
  assert.equal(maskSecrets('plain'), 'plain');
});
