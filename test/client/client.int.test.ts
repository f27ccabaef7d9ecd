import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { feed } from '../helpers/app.js';
import { sampleUpdates } from '../helpers/fixtures.js';
import { OddsgateClient, type PushMessage, type RecoveryMessage } from '../../src/client/index.js';
import { EV, listeningApp, priceUpdate, range, sleep, until } from '../broker/helpers.js';

test('the client reconnects with backoff and resumes every room with since: each message once, in order', async () => {
  const { app, url } = await listeningApp();
  await feed(app, sampleUpdates());
  const client = new OddsgateClient({ url, WebSocket, backoff: { minMs: 50, maxMs: 200 } });
  const got = new Map<string, number[]>();
  const recoveries: RecoveryMessage[] = [];
  client.on('message', (m: PushMessage) => got.set(m.room, [...(got.get(m.room) ?? []), m.seq]));
  client.on('recovery', (r) => recoveries.push(r));
  let n = 0;
  const timer = setInterval(() => app.ingest.push([priceUpdate(n++)]), 5);
  try {
    client.connect();
    client.subscribe('all');
    client.subscribe(`event:${EV.bfi}`);
    await until(() => (got.get('all')?.length ?? 0) > 20);
    for (let i = 0; i < 2; i++) {
      for (const ws of app.websocketServer.clients) ws.terminate();
      await sleep(300);
    }
    await until(() => recoveries.length >= 4);
    clearInterval(timer);
    await app.settle();
    const eventRoom = `event:${app.readModel.findEvent(EV.bfi)?.id}`;
    const first = (room: string) => got.get(room)?.[0] ?? 0;
    await until(() => got.get('all')?.at(-1) === app.broker.lastSeq('all'));
    await until(() => got.get(eventRoom)?.at(-1) === app.broker.lastSeq(eventRoom));
    assert.deepEqual(got.get('all'), range(first('all'), app.broker.lastSeq('all')));
    assert.deepEqual(got.get(eventRoom), range(first(eventRoom), app.broker.lastSeq(eventRoom)));
    assert.ok(recoveries.every((r) => r.recovered));
    assert.equal(client.position(`event:${EV.bfi}`), app.broker.lastSeq(eventRoom));
    const stats = await client.request('get_stats');
    assert.equal(stats.type, 'stats');
    await assert.rejects(client.request('get_odds', { matchId: 'nope' }), /NOT_FOUND/);
  } finally {
    clearInterval(timer);
    client.close();
    await app.close();
  }
});

test('close() stops reconnecting; an auth failure (4001) is not retried', async () => {
  const { app, url } = await listeningApp();
  const client = new OddsgateClient({ url, WebSocket, backoff: { minMs: 20, maxMs: 20 } });
  const events: string[] = [];
  client.on('connected', () => events.push('connected'));
  client.on('disconnected', ({ code }) => events.push(`disconnected:${code}`));
  try {
    client.connect();
    await until(() => events.includes('connected'));
    for (const ws of app.websocketServer.clients) ws.close(4001, 'invalid api key');
    await until(() => events.includes('disconnected:4001'));
    await sleep(150);
    assert.deepEqual(events, ['connected', 'disconnected:4001']);
  } finally {
    client.close();
    await app.close();
  }
});
