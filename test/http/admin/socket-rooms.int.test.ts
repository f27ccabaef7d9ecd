import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { feed, makeTestApp } from '../../helpers/app.js';
import { CRICKET, richUpdates } from '../feed/fixtures.js';

type Msg = { type: string; room?: string };

/** Resolves with the first message of `type` (at most 5 s). */
function nextMessage(ws: WebSocket, type: string): Promise<Msg> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} message within 5 s`)), 5000);
    const onMessage = (buf: WebSocket.RawData) => {
      const msg = JSON.parse(String(buf)) as Msg;
      if (msg.type !== type) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(msg);
    };
    ws.on('message', onMessage);
  });
}

describe('/admin/socket-rooms and ws_clients with real WebSocket clients', () => {
  test('subscribed rooms and connected clients are reported', async () => {
    const app = await makeTestApp();
    await feed(app, richUpdates());
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    const clients: WebSocket[] = [];
    try {
      for (const room of ['all', `event:${CRICKET.bfi}`]) {
        const ws = new WebSocket(`ws://127.0.0.1:${address.port}/ws`);
        clients.push(ws);
        await nextMessage(ws, 'connected');
        const ack = nextMessage(ws, 'subscribed');
        ws.send(JSON.stringify({ action: 'subscribe', room }));
        await ack;
      }
      const res = await app.inject({ url: '/api/v1/admin/socket-rooms' });
      const body = res.json<{
        data: { broker: boolean; ws_clients: number; rooms: { room: string; subscribers: number }[] };
      }>();
      assert.equal(body.data.broker, true);
      assert.equal(body.data.ws_clients, 2);
      assert.equal(body.data.rooms.find((r) => r.room === 'all')?.subscribers, 1);
      assert.equal(body.data.rooms.length, 2, 'the event room too');
      const health = await app.inject({ url: '/api/v1/admin/health' });
      assert.equal(health.json<{ data: { ws_clients: number } }>().data.ws_clients, 2);
    } finally {
      for (const ws of clients) ws.terminate();
      await app.close();
    }
  });
});
