import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp } from '../helpers/app.js';
import { sampleUpdates } from '../helpers/fixtures.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { OddsgateClient, type PushMessage } from '../../src/client/index.js';
import { EV, listeningApp, priceUpdate, TestClient, until } from '../broker/helpers.js';

/** Starts an app on `port` (0: any) over `store`. */
async function appOn(port: number, store = new MemoryStore({ logMaxLen: 10_000 })) {
  const app = await makeTestApp({ store });
  await app.listen({ port, host: '127.0.0.1' });
  const addr = app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('not listening');
  return { app, port: addr.port, url: `ws://127.0.0.1:${addr.port}/ws` };
}

test('connect() resolves once the session is open, and a request made before it waits (was "not connected")', async () => {
  const { app, url } = await listeningApp();
  const client = new OddsgateClient({ url, WebSocket });
  try {
    await feed(app, sampleUpdates());
    const connected = client.connect();
    // Made in the same turn as connect(), before the socket is even open:
    const stats = client.request('get_stats');
    const matches = client.request('get_matches');
    await connected;
    assert.equal((await stats).type, 'stats');
    const list = await matches;
    assert.equal(list.type, 'matches');
    assert.equal(list.count, list.data.length);
    assert.ok(list.data.some((e) => e.betfair_event_id === Number(EV.bfi)));
    assert.equal(typeof client.epoch, 'string');
    await client.connect(); // already open: resolves at once
  } finally {
    client.close();
    await app.close();
  }
});

test('connect() rejects when the client is closed before the session opens', async () => {
  const client = new OddsgateClient({ url: 'ws://127.0.0.1:9/ws', WebSocket, backoff: { minMs: 10 } });
  const p = client.connect();
  client.close();
  await assert.rejects(p, /client closed/);
});

test('a since of another log epoch is never replayed: the server answers recovered:false and a snapshot', async () => {
  const { app, url } = await listeningApp();
  const ws = new TestClient(url);
  try {
    await feed(app, sampleUpdates());
    await ws.opened;
    const hello = await ws.next((m) => m.type === 'connected');
    const epoch = hello.epoch as string;
    assert.equal(epoch, await app.store.logEpoch());
    ws.send({ action: 'subscribe', room: 'all', since: 1, epoch: 'another-epoch' });
    const rec = await ws.next((m) => m.type === 'recovery');
    assert.equal(rec.recovered, false);
    assert.equal(rec.epoch, epoch);
    await ws.next((m) => m.snapshot === true && m.room === 'all');
    ws.send({ action: 'unsubscribe', room: 'all' });
    await ws.next((m) => m.type === 'unsubscribed');
    ws.send({ action: 'subscribe', room: 'all', since: 1, epoch });
    const again = await ws.next((m) => m.type === 'recovery' && m.recovered === true);
    assert.equal(again.epoch, epoch);
  } finally {
    ws.close();
    await app.close();
  }
});

test('a store reset (the server restarts on a new store): the client sees a new epoch and re-snapshots every room instead of resuming with since', async () => {
  let first: { app: FastifyInstance; port: number; url: string } | null = await appOn(0);
  let second: FastifyInstance | null = null;
  const client = new OddsgateClient({ url: first.url, WebSocket, backoff: { minMs: 50, maxMs: 200 } });
  const msgs: PushMessage[] = [];
  const epochs: { from: string; to: string }[] = [];
  const sent: string[] = [];
  client.on('message', (m) => msgs.push(m));
  client.on('epoch', (e) => epochs.push(e));
  try {
    await feed(first.app, sampleUpdates());
    await client.connect();
    const before = client.epoch;
    client.subscribe(`event:${EV.bfi}`, { snapshot: true });
    await until(() => msgs.some((m) => m.snapshot === true));
    for (const n of [1, 2, 3]) await feed(first.app, [priceUpdate(n)]);
    await until(() => msgs.filter((m) => !m.snapshot).length >= 3);
    const room = `event:${first.app.readModel.findEvent(EV.bfi)?.id}`;
    assert.equal(client.position(`event:${EV.bfi}`), first.app.broker.lastSeq(room));

    const port = first.port;
    await first.app.close();
    first = null;
    const next = await appOn(port);
    second = next.app;
    // Watch what the reconnecting client asks for.
    const origConnect = second.broker.connect.bind(second.broker);
    second.broker.connect = (ws, socket, info) => {
      ws.on('message', (d: Buffer) => sent.push(d.toString()));
      origConnect(ws, socket, info);
    };
    await feed(second, sampleUpdates());
    const from = msgs.length;
    await until(() => epochs.length === 1, 10_000);
    assert.equal(epochs[0]?.from, before);
    assert.equal(epochs[0]?.to, await second.store.logEpoch());
    await until(() => msgs.slice(from).some((m) => m.snapshot === true && m.type === 'market_odds'), 10_000);
    const subscribe = sent
      .map((t) => JSON.parse(t) as Record<string, unknown>)
      .find((f) => f.action === 'subscribe');
    assert.equal(subscribe?.snapshot, true, `resubscribed with a snapshot: ${JSON.stringify(subscribe)}`);
    assert.equal(subscribe?.since, undefined, 'no since of the old epoch');
    const newRoom = `event:${second.readModel.findEvent(EV.bfi)?.id}`;
    await feed(second, [priceUpdate(7)]);
    await until(() => client.position(`event:${EV.bfi}`) === second?.broker.lastSeq(newRoom));
  } finally {
    client.close();
    await first?.app.close();
    await second?.close();
  }
});
