import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp } from '../helpers/app.js';
import { sampleUpdates } from '../helpers/fixtures.js';
import { postgresBackend, type Backend } from '../records/helpers.js';
import { REDIS_URL, deleteByPrefix, uniquePrefix } from '../store/redis-helpers.js';
import { newKey, TEST_SECRETS_KEY, withKey } from '../http/abp/helpers.js';
import type { Records } from '../../src/records/index.js';

interface Msg {
  type: string;
  channel?: string;
  event?: string;
  seq?: number;
  payload?: Record<string, unknown>;
}

/** A logged-in /abp/ws client keeping every message; `until` waits on what arrived (no sleeps). */
async function wsClient(url: string, apiKey: string, channels: string[]) {
  const ws = new WebSocket(url);
  const messages: Msg[] = [];
  let wake: () => void = () => undefined;
  ws.on('message', (d) => {
    messages.push(JSON.parse(d.toString()) as Msg);
    wake();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const until = async (what: string, pred: (ms: Msg[]) => boolean, ms = 15_000) => {
    const deadline = Date.now() + ms;
    while (!pred(messages)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(messages)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  };
  ws.send(JSON.stringify({ type: 'login', apiKey, channels }));
  await until('login_ok', (m) => m.some((x) => x.type === 'login_ok'));
  return { ws, messages, until, data: () => messages.filter((m) => m.type === 'data') };
}

// Two real app instances on one PostgreSQL and one Redis: a client connected to instance B gets the pushes
// of an order placed through instance A, in gap-free seq, exactly once.
describe('ABP WebSocket pushes across instances (Redis relay)', () => {
  const prefix = uniquePrefix('abp-relay');
  let backend: Backend;
  const records: Records[] = [];
  let a: FastifyInstance;
  let b: FastifyInstance;
  let urlA: string;
  let urlB: string;
  const sockets: WebSocket[] = [];

  const instance = async (): Promise<FastifyInstance> => {
    const r = await (records.length === 0 ? backend.open() : backend.reopen());
    records.push(r);
    const app = await makeTestApp({
      records: r,
      env: { REDIS_URL, REDIS_KEY_PREFIX: prefix },
      config: { abp: { secretsKey: TEST_SECRETS_KEY } },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    await app.abpRelay?.ready;
    return app;
  };
  const wsUrl = (app: FastifyInstance) =>
    `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/abp/ws`;

  before(async () => {
    backend = await postgresBackend();
    a = await instance();
    b = await instance();
    urlA = wsUrl(a);
    urlB = wsUrl(b);
    await feed(a, sampleUpdates('sim'));
  });
  after(async () => {
    for (const s of sockets) s.terminate();
    await a?.close();
    await b?.close();
    await backend?.cleanup();
    const admin = new Redis(REDIS_URL);
    await deleteByPrefix(admin, prefix);
    admin.disconnect();
  });

  test('an order placed through A is pushed to a client on B once, with gap-free seq', async () => {
    assert.ok(a.abpRelay && b.abpRelay, 'both instances relay (REDIS_URL set)');
    const key = await newKey(a, 'alice');
    const other = await newKey(a, 'bob');
    const onB = await wsClient(urlB, key, ['orders', 'bets', 'balance', 'accounts', 'emergency']);
    const onA = await wsClient(urlA, key, ['orders', 'bets', 'balance', 'accounts', 'emergency']);
    const bobOnB = await wsClient(urlB, other, ['orders', 'bets', 'balance', 'accounts']);
    sockets.push(onB.ws, onA.ws, bobOnB.ws);

    const created = await a.inject({
      method: 'POST',
      url: '/abp/accounts',
      headers: withKey(key),
      payload: { bookmaker: 'paper', username: 'relay', password: 'secret-pass-1', balance: 1000 },
    });
    assert.equal(created.statusCode, 201, created.body);
    const event = [...a.readModel.events.values()].find((e) => e.name === 'Real Sociedad v Betis');
    assert.ok(event);
    const placed = await a.inject({
      method: 'POST',
      url: '/abp/place-orders',
      headers: withKey(key),
      payload: {
        orders: [
          {
            requestUuid: crypto.randomUUID(),
            fixtureId: String(event.id),
            outcomeId: 101,
            playerId: 0,
            orderStake: 10,
            orderPrice: 1.5,
            userRef: 'relay',
            testOrder: false,
            bookmakers: 'paper',
          },
        ],
      },
    });
    assert.equal(placed.statusCode, 200, placed.body);
    const order = placed.json().acceptedOrders[0];
    assert.equal(order.orderStatus, 'FILLED');

    const filled = (ms: Msg[]) =>
      ms.some((m) => m.channel === 'orders' && m.payload?.orderStatus === 'FILLED');
    await onB.until('the FILLED order on B', filled);
    await onA.until('the FILLED order on A', filled);
    const summary = (c: typeof onB) =>
      c
        .data()
        .map(
          (m) => `${m.channel}:${m.event}:${String(m.payload?.orderStatus ?? m.payload?.betStatus ?? '')}`,
        );
    const expected = [
      'accounts:INSERT:',
      'orders:INSERT:PROCESSING',
      'bets:INSERT:PENDING',
      'bets:UPDATE:CONFIRMED',
      'balance:UPDATE:',
      'orders:UPDATE:FILLED',
    ];
    assert.deepEqual(summary(onB), expected, 'B got what A published, once each, in order');
    assert.deepEqual(summary(onA), expected);
    assert.deepEqual(
      onB.data().map((m) => m.seq),
      expected.map((_, i) => i + 1),
      'seq gap-free per connection',
    );
    assert.equal(onB.data().filter((m) => m.channel === 'orders')[0]?.payload?.orderId, order.orderId);
    assert.equal((onB.data().find((m) => m.channel === 'balance')?.payload?.balance as number) ?? 0, 990);

    // a global switch flipped on A reaches B; another client's pushes never reached bob
    await a.execution.emergency.set(true, 'relay drill');
    await onB.until('emergency on B', (ms) => ms.some((m) => m.channel === 'emergency'));
    await a.execution.emergency.set(false, null);
    assert.equal(onB.data().at(-1)?.seq, expected.length + 1);
    assert.deepEqual(bobOnB.data(), [], 'client-filtered: nothing of alice reaches bob on any instance');
    assert.ok((b.abpRelay?.received ?? 0) >= expected.length);
  });
});
