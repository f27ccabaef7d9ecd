/**
 * The simulated Exchange Stream API speaks the protocol: raw TLS requests on 127.0.0.1 get the statuses,
 * error codes and connectionClosed flags a client must handle, images and RESUB_DELTAs with clocks.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/core/clock.js';
import { ExchangeSimulator } from '../../../src/sim/exchange.js';
import { startBetfairSimulation, type BetfairSimulation } from '../../../src/sim/esa/index.js';
import { rawClient } from './raw-client.js';

describe('simulated Exchange Stream API protocol', () => {
  let bf: BetfairSimulation;
  let sim: ExchangeSimulator;
  let clock: ManualClock;
  before(async () => {
    clock = new ManualClock(Date.now());
    sim = new ExchangeSimulator({ now: clock.now, seed: 3, events: 8 });
    bf = await startBetfairSimulation({
      simulator: sim,
      now: clock.now,
      authTimeoutMs: 300,
      subscriptionLimit: 3,
    });
  });
  after(async () => bf.close());

  const auth = (c: Awaited<ReturnType<typeof rawClient>>, extra: object = {}) =>
    c.send({
      op: 'authentication',
      id: 1,
      appKey: bf.ready.esa.appKey,
      session: bf.ready.esa.session,
      ...extra,
    });

  test('connection message first, then authentication failures by code, each closing the connection', async () => {
    const cases: [object, string][] = [
      [{ appKey: undefined }, 'NO_APP_KEY'],
      [{ appKey: 'wrong' }, 'INVALID_APP_KEY'],
      [{ session: undefined }, 'NO_SESSION'],
      [{ session: 'expired' }, 'INVALID_SESSION_INFORMATION'],
    ];
    for (const [extra, code] of cases) {
      const c = await rawClient(bf);
      assert.equal(
        c.messages[0]?.op ?? (await c.waitFor((m) => m.op === 'connection', 'connection')).op,
        'connection',
      );
      auth(c, extra);
      const st = await c.status(1);
      assert.deepEqual([st.statusCode, st.errorCode, st.connectionClosed], ['FAILURE', code, true], code);
      await c.waitFor(() => c.closed, 'the server to close');
    }
  });

  test('requests before authentication are NOT_AUTHORIZED; garbage is INVALID_INPUT; idle is TIMEOUT', async () => {
    const a = await rawClient(bf);
    a.send({ op: 'marketSubscription', id: 5 });
    assert.equal((await a.status(5)).errorCode, 'NOT_AUTHORIZED');
    const b = await rawClient(bf);
    b.raw('{not json\r\n');
    const bad = await b.waitFor((m) => m.op === 'status', 'a status');
    assert.deepEqual([bad.errorCode, bad.connectionClosed], ['INVALID_INPUT', true]);
    const c = await rawClient(bf);
    auth(c);
    await c.status(1);
    const idle = await c.waitFor((m) => m.errorCode === 'TIMEOUT', 'the idle timeout');
    assert.equal(idle.connectionClosed, true);
  });

  test('a subscription over the limit is SUBSCRIPTION_LIMIT_EXCEEDED and keeps the connection', async () => {
    const c = await rawClient(bf);
    auth(c);
    await c.status(1);
    c.send({ op: 'marketSubscription', id: 2, marketFilter: {} });
    const st = await c.status(2);
    assert.deepEqual([st.errorCode, st.connectionClosed], ['SUBSCRIPTION_LIMIT_EXCEEDED', false]);
    c.send({ op: 'heartbeat', id: 3 });
    assert.equal((await c.status(3)).statusCode, 'SUCCESS');
    c.close();
  });

  test('SUB_IMAGE, deltas, then a resubscription with the clocks answers RESUB_DELTA; a foreign clock is INVALID_CLOCK', async () => {
    const ids = bf.hub.marketIds().slice(0, 2);
    const c = await rawClient(bf);
    auth(c);
    await c.status(1);
    c.send({ op: 'marketSubscription', id: 2, marketFilter: { marketIds: [ids[0]] }, heartbeatMs: 500 });
    const image = await c.waitFor((m) => m.ct === 'SUB_IMAGE', 'the image');
    assert.deepEqual(
      (image.mc as { id: string; img: boolean }[]).map((m) => [m.id, m.img]),
      [[ids[0], true]],
    );
    assert.equal(image.heartbeatMs, 500);
    for (let i = 0; i < 40; i++) {
      clock.advance(sim.tickMs);
      sim.tick();
    }
    const hb = await c.waitFor((m) => m.ct === 'HEARTBEAT', 'a heartbeat');
    c.send({
      op: 'marketSubscription',
      id: 3,
      marketFilter: { marketIds: ids },
      initialClk: image.initialClk,
      clk: hb.clk,
    });
    const resub = await c.waitFor((m) => m.ct === 'RESUB_DELTA', 'the RESUB_DELTA');
    const mc = resub.mc as { id: string; img?: boolean }[];
    assert.deepEqual(
      mc.map((m) => [m.id, m.img === true]),
      [[ids[1], true]],
      'only the new market is an image',
    );
    c.send({ op: 'marketSubscription', id: 4, marketFilter: {}, initialClk: 'someone-else', clk: hb.clk });
    const st = await c.status(4);
    assert.deepEqual([st.errorCode, st.connectionClosed], ['INVALID_CLOCK', true]);
  });
});
