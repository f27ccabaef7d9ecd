/**
 * The MM WebSocket's timers without waiting their real length: the app's `mmWs` option makes the 30 s
 * subscribe deadline and the 60 s heartbeat short, and the server behaves as the document says — no
 * subscribe in time closes the connection (4008), a subscribed client gets `{"type":"heartbeat"}`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { makeTestApp } from '../../helpers/app.js';
import { pgliteBackend, type Backend } from '../../records/helpers.js';
import { newKey, TEST_SECRETS_KEY } from '../abp/helpers.js';
import { DEFAULT_MM_WS_LIMITS, MM_CLOSE } from '../../../src/http/routes/mm/ws-session.js';

describe('MM WebSocket timers (injected through app options)', () => {
  let backend: Backend;
  let app: FastifyInstance;
  let url: string;
  let key: string;

  before(async () => {
    backend = await pgliteBackend();
    app = await makeTestApp({
      records: await backend.open(),
      config: { abp: { secretsKey: TEST_SECRETS_KEY } },
      app: { mmWs: { subscribeTimeoutMs: 150, heartbeatMs: 50 } },
    });
    key = await newKey(app, 'mm-timers');
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/mm/ws/subscribe`;
  });
  after(async () => {
    await app?.close();
    await backend?.cleanup();
  });

  test('the document limits are the defaults', () => {
    assert.equal(DEFAULT_MM_WS_LIMITS.subscribeTimeoutMs, 30_000);
    assert.equal(DEFAULT_MM_WS_LIMITS.heartbeatMs, 60_000);
  });

  test('no subscribe within the deadline: the server closes the connection (4008)', async () => {
    const ws = new WebSocket(url);
    const [code] = (await once(ws, 'close')) as [number];
    assert.equal(code, MM_CLOSE.SUBSCRIBE_TIMEOUT);
  });

  test('a subscribed client gets heartbeats and stays open past the subscribe deadline', async () => {
    const ws = new WebSocket(url);
    const types: string[] = [];
    let closed = false;
    ws.on('close', () => (closed = true));
    await once(ws, 'open');
    const heartbeats = new Promise<void>((resolve) =>
      ws.on('message', (d) => {
        types.push((JSON.parse(d.toString()) as { type: string }).type);
        if (types.filter((t) => t === 'heartbeat').length >= 4) resolve();
      }),
    );
    ws.send(JSON.stringify({ type: 'subscribe', api_key: key }));
    await heartbeats; // 4 × 50 ms: past the 150 ms subscribe deadline
    assert.equal(types[0], 'subscribed');
    assert.equal(closed, false, 'still open');
    ws.close();
  });
});
