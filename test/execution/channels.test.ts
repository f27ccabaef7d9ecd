import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AbpChannels, type AbpChannel, type ChannelSubscriber } from '../../src/execution/channels.js';

function sub(clientName: string, channels: AbpChannel[]) {
  const got: [string, string, unknown][] = [];
  const s: ChannelSubscriber = {
    clientName,
    wants: (c) => channels.includes(c),
    deliver: (c, e, p) => got.push([c, e, p]),
  };
  return { s, got };
}

test('client-filtered channels reach their client only; globals reach every subscriber', () => {
  const hub = new AbpChannels(() => 1);
  const a = sub('alice', ['orders', 'emergency']);
  const b = sub('bob', ['orders', 'emergency']);
  const off = hub.subscribe(a.s);
  hub.subscribe(b.s);
  assert.equal(hub.publish('orders', 'INSERT', { orderId: 1 }, 'alice'), 1);
  assert.equal(hub.publish('emergency', 'STATUS', { active: true }), 2);
  assert.equal(hub.publish('bets', 'INSERT', {}, 'alice'), 0, 'not subscribed');
  assert.deepEqual(
    a.got.map(([c]) => c),
    ['orders', 'emergency'],
  );
  assert.deepEqual(
    b.got.map(([c]) => c),
    ['emergency'],
  );
  assert.throws(() => hub.publish('orders', 'INSERT', {}), TypeError, 'a client channel needs its client');
  off();
  assert.equal(hub.hasClient('alice'), false);
  assert.equal(hub.publish('orders', 'INSERT', {}, 'alice'), 0);
});
