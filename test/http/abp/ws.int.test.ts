import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { feed } from '../../helpers/app.js';
import { sampleUpdates } from '../../helpers/fixtures.js';
import { postgresBackend, type Backend } from '../../records/helpers.js';
import { abpApp, newKey, withKey } from './helpers.js';
import { JsonWsClient as Client } from '../../helpers/ws-client.js';

describe('/abp/ws over a real socket', () => {
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
  const login = async (key: string, extra: Record<string, unknown> = {}) => {
    const c = await open();
    c.send({ type: 'login', apiKey: key, channels: [], ...extra });
    const ok = await c.next((m) => m.type === 'login_ok');
    return { c, ok };
  };

  before(async () => {
    backend = await postgresBackend();
    app = await abpApp(backend, {
      abp: { wsLoginTimeoutMs: 400, wsPingIntervalMs: 150, wsPongTimeoutMs: 2000, wsAckRedeliverMs: 150 },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/abp/ws`;
    alice = await newKey(app, 'alice');
    bob = await newKey(app, 'bob');
  });
  after(async () => {
    for (const c of clients) c.ws.terminate();
    await app?.close();
    await backend?.cleanup();
  });

  test('no login within the timeout closes with 4008', async () => {
    const c = await open();
    const closed = await c.closedWith();
    assert.equal(closed.code, 4008);
  });

  test('a wrong key gets an error and 4001', async () => {
    const c = await open();
    c.send({ type: 'login', apiKey: 'not-a-key', channels: [] });
    const err = await c.next((m) => m.type === 'error');
    assert.equal(err.message, 'Invalid API key');
    assert.equal((await c.closedWith()).code, 4001);
  });

  test('an unknown channel is refused (4400)', async () => {
    const c = await open();
    c.send({ type: 'login', apiKey: alice, channels: ['nope'] });
    assert.match(String((await c.next((m) => m.type === 'error')).message), /Unknown channel: nope/);
    assert.equal((await c.closedWith()).code, 4400);
  });

  test('login_ok as documented; empty channels subscribe to all', async () => {
    const { ok } = await login(alice);
    assert.deepEqual(Object.keys(ok).sort(), [
      'access',
      'channels',
      'clientName',
      'features',
      'reliableDelivery',
      'subscriptionId',
      'type',
    ]);
    assert.equal(ok.clientName, 'alice');
    assert.deepEqual(ok.access, {
      clientFiltered: ['orders', 'bets', 'settlements', 'accounts', 'balance', 'betslip'],
      global: ['fixtures', 'currencies', 'status', 'emergency'],
    });
    assert.equal((ok.channels as string[]).length, 10);
    assert.equal(ok.reliableDelivery, false);
    assert.deepEqual(ok.features, { messageOrdering: true, acknowledgments: false, batchAck: false });
    assert.equal(typeof ok.subscriptionId, 'number');
  });

  test('account changes reach the owner only, in seq order; globals reach everyone', async () => {
    const a = (await login(alice, { channels: ['accounts', 'balance', 'emergency'] })).c;
    const b = (await login(bob)).c;
    const created = await app.inject({
      method: 'POST',
      url: '/abp/accounts',
      headers: withKey(alice),
      payload: { bookmaker: 'paper', username: 'ws_user', password: 'secret-pass-1' },
    });
    assert.equal(created.statusCode, 201);
    await app.inject({
      method: 'PATCH',
      url: '/abp/accounts/paper/ws_user',
      headers: withKey(alice),
      payload: { balance: 250 },
    });
    const ins = await a.next((m) => m.type === 'data' && m.event === 'INSERT');
    assert.equal(ins.channel, 'accounts');
    assert.equal(ins.seq, 1);
    assert.equal(typeof ins.ts, 'number');
    assert.equal((ins.payload as { password: string }).password, '***');
    assert.equal(ins.requireAck, undefined, 'requireAck only with reliable delivery');
    const bal = await a.next((m) => m.type === 'data' && m.channel === 'balance');
    assert.deepEqual(
      { ...(bal.payload as object), ts: 0 },
      { clientName: 'alice', bookmaker: 'paper', username: 'ws_user', balance: 250, currency: 'USD', ts: 0 },
    );
    assert.deepEqual(
      a.data().map((m) => [m.channel, m.event, m.seq]),
      [
        ['accounts', 'INSERT', 1],
        ['accounts', 'UPDATE', 2],
        ['balance', 'UPDATE', 3],
      ],
    );
    app.abp!.channels.publish('emergency', 'STATUS', { active: true, reason: 'test', ts: 1 });
    const em = await b.next((m) => m.type === 'data');
    assert.equal(
      em.channel,
      'emergency',
      "bob's first data message is the global one: alice's rows never reached him",
    );
    assert.equal(em.seq, 1, 'seq is per subscription');
    await a.next((m) => m.type === 'data' && m.channel === 'emergency');
  });

  test('a fixture change is pushed on the global fixtures channel', async () => {
    const { c } = await login(bob, { channels: ['fixtures'] });
    await feed(app, sampleUpdates('sim').slice(0, 2));
    const m = await c.next((x) => x.type === 'data' && x.channel === 'fixtures');
    assert.equal(m.event, 'UPDATE');
    const p = m.payload as { fixtureId: string; participants: { participant1Name: string } };
    assert.equal(p.participants.participant1Name, 'Real Sociedad');
    assert.match(p.fixtureId, /^\d+$/);
  });

  test('reliable delivery: unacknowledged messages come again with their seq until acked', async () => {
    const { c, ok } = await login(alice, { channels: ['status'], reliableDelivery: true });
    assert.equal(ok.reliableDelivery, true);
    assert.equal((ok.features as { acknowledgments: boolean }).acknowledgments, true);
    app.abp!.channels.publish('status', 'STATUS', { n: 1 });
    const first = await c.next((m) => m.type === 'data');
    assert.equal(first.requireAck, true);
    const again = await c.next((m) => m.type === 'data', 5000, c.messages.indexOf(first) + 1);
    assert.equal(again.seq, first.seq, 'redelivered with the same seq');
    c.send({ type: 'ack', seq: first.seq });
    // After the ack, a newer message is delivered and the acked one never again.
    app.abp!.channels.publish('status', 'STATUS', { n: 2 });
    const second = await c.next((m) => m.type === 'data' && m.seq === (first.seq as number) + 1);
    c.send({ type: 'ack', seq: [second.seq] });
    const mark = c.messages.length;
    app.abp!.channels.publish('status', 'STATUS', { n: 3 });
    const third = await c.next((m) => m.type === 'data' && (m.payload as { n: number }).n === 3, 5000, mark);
    c.send({ type: 'ack', seq: third.seq });
    // Wait two pings (proof of time passing on the server) and check no acked seq came back.
    const pings = c.messages.filter((m) => m.type === 'ping').length;
    await c.next(() => c.messages.filter((m) => m.type === 'ping').length >= pings + 2);
    c.send({ type: 'pong' });
    const redelivered = c.messages.slice(mark).filter((m) => m.type === 'data' && m.seq !== third.seq);
    assert.deepEqual(redelivered, []);
  });

  test('100 unacknowledged messages fill the buffer: closed with 4009', async () => {
    const { c } = await login(alice, { channels: ['currencies'], reliableDelivery: true });
    for (let i = 0; i < 101; i++) app.abp!.channels.publish('currencies', 'UPDATE', { i });
    assert.equal((await c.closedWith()).code, 4009);
  });

  test('pings every interval; no pong closes with 4002', async () => {
    const { c } = await login(bob, { channels: ['status'] });
    await c.next((m) => m.type === 'ping');
    c.send({ type: 'ping' });
    await c.next((m) => m.type === 'pong');
    assert.equal((await c.closedWith()).code, 4002);
  });

  test('a sixth connection of one key is refused with 4029', async () => {
    const carol = await newKey(app, 'carol');
    const five = [];
    for (let i = 0; i < 5; i++) five.push(await login(carol, { channels: ['status'] }));
    const sixth = await open();
    sixth.send({ type: 'login', apiKey: carol, channels: [] });
    assert.equal((await sixth.next((m) => m.type === 'error')).message, 'Connection limit exceeded');
    assert.equal((await sixth.closedWith()).code, 4029);
    five[0]!.c.ws.close();
    await five[0]!.c.closedWith();
    // A slot is free again once a connection goes.
    let again: Client | null = null;
    for (let i = 0; i < 50 && !again; i++) {
      const c = await open();
      c.send({ type: 'login', apiKey: carol, channels: ['status'] });
      const m = await c.next((x) => x.type === 'login_ok' || x.type === 'error');
      if (m.type === 'login_ok') again = c;
    }
    assert.ok(again, 'a sixth login succeeds after one of the five closed');
  });
});
