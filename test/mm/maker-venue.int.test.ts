/**
 * The maker instance of the Betfair connector against the simulated exchange (real HTTP and session): its
 * orders rest (LIMIT PERSIST) instead of fill-or-kill, `orderStates` reports what matched and what still
 * rests by key, and `cancel` ends the remainder while the matched part stays.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../src/core/clock.js';
import { ExchangeSimulator } from '../../src/sim/exchange.js';
import { startBetfairSimulation, type BetfairSimulation } from '../../src/sim/esa/index.js';
import type { SimMarket } from '../../src/sim/market.js';
import { nextTick } from '../../src/model/ticks.js';
import { BetfairSession } from '../../src/sources/betfair/session.js';
import { BetfairExConnector, betfairRef } from '../../src/execution/connectors/betfair-ex.js';
import type { PlaceRequest } from '../../src/execution/types.js';

describe('betfair-ex maker instance (resting orders) against the simulated exchange', () => {
  let bf: BetfairSimulation;
  let market: SimMarket;
  let maker: BetfairExConnector;
  let session: BetfairSession;
  before(async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 22, 14, 3, 17));
    const sim = new ExchangeSimulator({ now: clock.now, seed: 7 });
    bf = await startBetfairSimulation({ simulator: sim, now: clock.now, balance: 100_000 });
    const found = sim
      .events()
      .filter((e) => e.sport === 'football')
      .map((e) => sim.market(e.markets[0]?.marketId ?? '') as SimMarket)
      .find((m) => m.status === 'OPEN' && !m.inPlay && m.books.every((b) => b.backP.length >= 3));
    assert.ok(found);
    market = found;
    session = new BetfairSession({
      appKey: bf.ready.esa.appKey,
      username: bf.ready.identity.username,
      password: bf.ready.identity.password,
      identityUrl: bf.ready.identity.url,
      identityCertUrl: bf.ready.identity.url,
    });
    maker = new BetfairExConnector({
      appKey: bf.ready.esa.appKey,
      session,
      bettingUrl: bf.ready.api.url,
      maker: true,
      slug: 'betfair-ex-mm',
      resolve: (s) => ({ marketId: market.id, selectionId: market.books[Number(s.fixtureId)]!.id }),
      quotes: () => ({ price: 2, limit: 10, limitMin: 1, currency: 'GBP', active: true, info: {} }),
    });
  });
  after(async () => {
    await maker.close();
    await session.stop();
    await bf.close();
  });

  const request = (runner: number, back: boolean, price: number, stake: number): PlaceRequest => ({
    key: randomUUID(),
    account: 'sim',
    selection: { fixtureId: String(runner), outcomeId: 101, playerId: 0, back },
    stake,
    price,
    acceptBetterOdds: true,
  });

  test('its quote takes any ladder price and no size limit (a resting order needs no price on offer)', () => {
    const sel = { fixtureId: '0', outcomeId: 101, playerId: 0 };
    assert.deepEqual(
      [maker.quote({ ...sel, back: true })?.price, maker.quote({ ...sel, back: true })?.limit],
      [1000, null],
    );
    assert.equal(maker.quote({ ...sel, back: false })?.price, 1.01);
  });

  test('a back above the book rests on it, PERSIST; orderStates shows it unmatched and resting', async () => {
    const price = nextTick(market.books[0]!.bestLay!, 3);
    const req = request(0, true, price, 4);
    const placed = await maker.place(req);
    assert.deepEqual([placed.status, placed.stake, placed.price], ['accepted', 4, price]);
    const bet = [...bf.engine.all()].find((b) => b.customerOrderRef === betfairRef(req.key));
    assert.deepEqual([bet?.persistence, bet?.sizeMatched], ['PERSIST', 0]);
    const [state] = await maker.orderStates([req.key]);
    assert.deepEqual([state?.status, state?.sizeMatched, state?.sizeRemaining], ['EXECUTABLE', 0, 4]);
  });

  test('more than the book offers: the offered part matches, the rest rests; cancel ends the rest only', async () => {
    const book = market.books[1]!;
    const offered = book.backS[0]!;
    const req = request(1, true, book.bestBack!, Math.ceil(offered + 5));
    await maker.place(req);
    const [before] = await maker.orderStates([req.key]);
    assert.equal(before?.status, 'EXECUTABLE');
    assert.equal(before?.sizeMatched, offered);
    assert.equal(
      Math.round((before!.sizeMatched + before!.sizeRemaining) * 100),
      Math.round(req.stake * 100),
    );
    assert.equal(await maker.cancel(req.key), true);
    const [afterCancel] = await maker.orderStates([req.key]);
    assert.deepEqual(
      [afterCancel?.status, afterCancel?.sizeMatched, afterCancel?.sizeRemaining],
      ['EXECUTION_COMPLETE', offered, 0],
    );
    assert.equal(await maker.cancel(req.key), false, 'nothing left to cancel');
  });
});
