import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { feed } from '../helpers/app.js';
import { sampleUpdates } from '../helpers/fixtures.js';
import { OddsgateClient, type PushMessage, type RecoveryMessage } from '../../src/client/index.js';
import { listeningApp, priceUpdate, range, until } from '../broker/helpers.js';

test('on a seq gap the client leaves and rejoins the room with since (the server replays no room it is in): healed, no gap, no duplicate', async () => {
  const { app, url } = await listeningApp();
  const client = new OddsgateClient({ url, WebSocket });
  try {
    await feed(app, sampleUpdates());
    const seqs: number[] = [];
    const recoveries: RecoveryMessage[] = [];
    const gaps: unknown[] = [];
    client.on('message', (m: PushMessage) => m.room === 'all' && !m.snapshot && seqs.push(m.seq));
    client.on('recovery', (r) => recoveries.push(r));
    client.on('gap', (g) => gaps.push(g));
    let subscribed = false;
    client.on('subscribed', () => (subscribed = true));
    client.connect();
    client.subscribe('all');
    await until(() => subscribed);
    const start = app.broker.lastSeq('all');
    // One feed per update: updates of one market in one batch are coalesced.
    for (const n of [1, 2]) await feed(app, [priceUpdate(n)]);
    await until(() => seqs.length === 2);
    // A push from the future (as if messages were lost on the way) opens a gap.
    const last = app.broker.lastSeq('all');
    for (const ws of app.websocketServer.clients) {
      ws.send(JSON.stringify({ type: 'market_odds', room: 'all', seq: last + 5, ts: Date.now(), data: {} }));
    }
    await until(() => gaps.length === 1 && recoveries.length === 1);
    assert.equal(recoveries[0]?.recovered, true);
    assert.equal(recoveries[0]?.since, last);
    for (const n of [3, 4]) await feed(app, [priceUpdate(n)]);
    await until(() => seqs.length === 4);
    assert.deepEqual(seqs, range(start + 1, start + 4));
  } finally {
    client.close();
    await app.close();
  }
});
