import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pgliteBackend, type Backend } from '../../records/helpers.js';
import { abpApp, newKey } from '../abp/helpers.js';
import { JsonWsClient as Client, type WsMsg } from '../../helpers/ws-client.js';

function order(status: string, filled: number) {
  return {
    orderId: 77,
    fixtureId: 'F1',
    outcomeId: 101,
    orderPrice: 2,
    orderStake: 100,
    filledStake: filled,
    orderStatus: status,
    filledAt: filled > 0 ? '2026-12-06T08:00:00.000Z' : null,
  };
}

describe('/mm/ws/subscribe over a real socket (pglite)', () => {
  let backend: Backend;
  let app: FastifyInstance;
  let url: string;
  let alice: string;
  let bob: string;
  const clients: Client[] = [];
  const open = async () => {
    const c = await Client.open(url);
    clients.push(c);
    return c;
  };
  const subscribe = async (key: string, channels?: string[]) => {
    const c = await open();
    c.send({ type: 'subscribe', api_key: key, ...(channels ? { channels } : {}) });
    return { c, ok: await c.next((m) => m.type === 'subscribed') };
  };

  before(async () => {
    backend = await pgliteBackend();
    app = await abpApp(backend);
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/mm/ws/subscribe`;
    alice = await newKey(app, 'alice');
    bob = await newKey(app, 'bob');
  });
  after(async () => {
    for (const c of clients) c.ws.terminate();
    await app?.close();
    await backend?.cleanup();
  });

  test('plain HTTP is 426', async () => {
    const res = await app.inject({ url: '/mm/ws/subscribe' });
    assert.equal(res.statusCode, 426);
  });

  test('the document error texts: api_key required, Invalid api_key format, Invalid API key', async () => {
    const cases: [unknown, string][] = [
      [{ type: 'subscribe' }, 'api_key required'],
      [{ type: 'subscribe', api_key: 'nope' }, 'Invalid api_key format'],
      [{ type: 'subscribe', api_key: '00000000-0000-4000-8000-000000000000' }, 'Invalid API key'],
    ];
    for (const [msg, text] of cases) {
      const c = await open();
      c.send(msg);
      assert.equal((await c.next((m) => m.type === 'error')).message, text);
      assert.equal((await c.closedWith()).code, 4001);
    }
  });

  test('subscribed, ping/pong, and order broadcasts with old values only to the owner', async () => {
    const { c, ok } = await subscribe(alice, ['orders', 'bets']);
    assert.deepEqual(ok.channels, ['orders', 'bets']);
    assert.equal(typeof ok.subscription_id, 'number');
    const other = await subscribe(bob);
    c.send({ type: 'ping' });
    await c.next((m) => m.type === 'pong');
    app.abp!.channels.publish('orders', 'INSERT', order('PROCESSING', 0), 'alice');
    const first = await c.next((m) => m.type === 'broadcast');
    assert.equal(first.channel, 'orders');
    assert.equal(first.event, 'INSERT');
    assert.deepEqual(first.old, {});
    assert.equal((first.payload as WsMsg).orderStatus, 'PLACED');
    const at = c.messages.length;
    app.abp!.channels.publish('orders', 'UPDATE', order('FILLED', 100), 'alice');
    const second = await c.next((m) => m.type === 'broadcast', 10_000, at);
    assert.equal(second.event, 'UPDATE');
    assert.deepEqual(second.payload, {
      orderId: 77,
      fixtureId: 'F1',
      outcomeId: 101,
      orderStatus: 'FILLED',
      orderStake: 100,
      matchedStake: 100,
      orderCents: 0.5,
      matchedAt: '2026-12-06T08:00:00.000Z',
    });
    assert.deepEqual(second.old, { orderStatus: 'PLACED', matchedStake: 0, matchedAt: null });
    // A global channel alice did not subscribe to reaches bob, who took every channel, and not alice.
    app.abp!.channels.publish('emergency', 'UPDATE', { active: true });
    await other.c.next((m) => m.type === 'broadcast' && m.channel === 'emergency');
    assert.equal(other.c.messages.filter((m) => m.channel === 'orders').length, 0);
    assert.equal(c.messages.filter((m) => m.channel === 'emergency').length, 0);
  });

  test('a sixth connection of one key is refused: Connection limit exceeded', async () => {
    const key = await newKey(app, 'carol');
    for (let i = 0; i < 5; i++) await subscribe(key);
    const c = await open();
    c.send({ type: 'subscribe', api_key: key });
    assert.equal((await c.next((m) => m.type === 'error')).message, 'Connection limit exceeded');
    assert.equal((await c.closedWith()).code, 4029);
  });
});
