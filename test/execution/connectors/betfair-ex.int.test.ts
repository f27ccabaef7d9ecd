/**
 * The betfair-ex connector against the started simulated exchange (real HTTP, the real session login):
 * a placement matches as the book dictates and answers with the matched stake and price, a repeated key
 * never places twice, an unknown outcome (no answer in time) is found again by key, and after the market's
 * result the cleared bets carry the right profit.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../../../src/core/clock.js';
import { ExchangeSimulator } from '../../../src/sim/exchange.js';
import { startBetfairSimulation, type BetfairSimulation } from '../../../src/sim/esa/index.js';
import type { SimMarket } from '../../../src/sim/market.js';
import { nextTick } from '../../../src/model/ticks.js';
import { BetfairSession } from '../../../src/sources/betfair/session.js';
import { BetfairExConnector, betfairRef } from '../../../src/execution/connectors/betfair-ex.js';
import { UnknownOutcomeError, type PlaceRequest } from '../../../src/execution/types.js';

describe('betfair-ex connector against the simulated exchange', () => {
  let bf: BetfairSimulation;
  let sim: ExchangeSimulator;
  let clock: ManualClock;
  let market: SimMarket;
  let connector: BetfairExConnector;
  let session: BetfairSession;
  before(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 22, 14, 3, 17));
    sim = new ExchangeSimulator({ now: clock.now, seed: 7 });
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
    // fixture ids in these tests are "<marketId>/<runner index>"
    connector = new BetfairExConnector({
      appKey: bf.ready.esa.appKey,
      session,
      bettingUrl: bf.ready.api.url,
      timeoutMs: 2000,
      resolve: (s) => {
        const [marketId, i] = s.fixtureId.split('/');
        const m = sim.market(marketId ?? '');
        const book = m?.books[Number(i)];
        return m && book ? { marketId: m.id, selectionId: book.id } : null;
      },
    });
  });
  after(async () => {
    await connector.close();
    await session.stop();
    await bf.close();
  });

  const request = (runner: number, back: boolean, price: number, stake: number): PlaceRequest => ({
    key: randomUUID(),
    account: 'sim',
    selection: { fixtureId: `${market.id}/${runner}`, outcomeId: 101, playerId: 0, back },
    stake,
    price,
    acceptBetterOdds: true,
  });

  test('a back at the book’s price is matched; the same key placed again is the same bet', async () => {
    const price = market.books[0]!.bestBack!;
    const req = request(0, true, price, 5);
    const placed = await connector.place(req);
    assert.deepEqual([placed.status, placed.stake, placed.price], ['accepted', 5, price]);
    const again = await connector.place(req);
    assert.equal(again.bookmakerBetId, placed.bookmakerBetId, 'one bet for one key');
    const ref = betfairRef(req.key);
    assert.equal([...bf.engine.all()].filter((b) => b.customerOrderRef === ref).length, 1);
    const [found] = await connector.currentOrders([req.key]);
    assert.deepEqual([found?.key, found?.status, found?.stake], [req.key, 'accepted', 5]);
    assert.equal(await connector.cancel(req.key), false, 'nothing unmatched to cancel');
  });

  test('more than the book offers is not matched at all (fill or kill) and leaves no resting order', async () => {
    const book = market.books[1]!;
    const req = request(1, true, book.bestBack!, Math.ceil(book.backS[0]! + 1000));
    const placed = await connector.place(req);
    assert.equal(placed.status, 'rejected');
    const [found] = await connector.currentOrders([req.key]);
    assert.deepEqual([found?.status, found?.reason], ['rejected', 'CANCELLED']);
    const above = await connector.place(request(1, true, nextTick(book.bestBack!, 3), 2));
    assert.equal(above.status, 'rejected', 'a price better than the book does not match');
  });

  test('with a minimum fill below the stake, a placement is partially matched: the stake is what the book offered', async () => {
    const partial = new BetfairExConnector({
      appKey: bf.ready.esa.appKey,
      session,
      bettingUrl: bf.ready.api.url,
      minFillRatio: 0.1,
      resolve: () => ({ marketId: market.id, selectionId: market.books[1]!.id }),
    });
    const book = market.books[1]!;
    const price = book.bestLay!;
    const offered = book.layS[0]!;
    const req = request(1, false, price, Math.ceil(offered * 2));
    const placed = await partial.place(req);
    assert.deepEqual([placed.status, placed.stake, placed.price], ['accepted', offered, price]);
    const [found] = await partial.currentOrders([req.key]);
    assert.equal(found?.stake, offered, 'the rest was cancelled, not left resting');
    await partial.close();
  });

  test('no answer in time is an unknown outcome; the bet is found by its key', async () => {
    const slow = new BetfairExConnector({
      appKey: bf.ready.esa.appKey,
      session,
      bettingUrl: bf.ready.api.url,
      timeoutMs: 150,
      resolve: () => ({ marketId: market.id, selectionId: market.books[0]!.id }),
    });
    await fetch(`${bf.ready.api.url.replace(/\/exchange\/.*$/, '')}/admin/fault`, {
      method: 'POST',
      body: JSON.stringify({ fault: 'apiDelay', ms: 600 }),
    });
    const req = request(0, true, market.books[0]!.bestBack!, 2);
    await assert.rejects(slow.place(req), UnknownOutcomeError);
    let found: Awaited<ReturnType<BetfairExConnector['currentOrders']>> = [];
    for (let i = 0; i < 100 && found.length === 0; i++) {
      found = await connector.currentOrders([req.key]);
      if (found.length === 0) await sleep(20);
    }
    assert.deepEqual([found[0]?.status, found[0]?.stake], ['accepted', 2], 'the delayed placement was made');
    await slow.close();
  });

  test('after the market’s result the cleared bets carry WON/LOST and the profit; the balance follows', async () => {
    const lay = request(2, false, market.books[2]!.bestLay!, 4);
    const layPlaced = await connector.place(lay);
    assert.equal(layPlaced.status, 'accepted');
    const back = request(0, true, market.books[0]!.bestBack!, 3);
    const backPlaced = await connector.place(back);
    assert.equal(backPlaced.status, 'accepted');
    market.settle([0], clock.now());
    clock.advance(sim.tickMs);
    sim.tick();
    const cleared = await connector.clearedBets([lay.key, back.key]);
    const byKey = new Map(cleared.map((c) => [c.key, c]));
    assert.deepEqual(byKey.get(back.key), {
      key: back.key,
      bookmakerBetId: backPlaced.bookmakerBetId,
      outcome: 'WON',
      profit: Math.round(3 * (backPlaced.price - 1) * 100) / 100,
    });
    assert.deepEqual(
      byKey.get(lay.key),
      {
        key: lay.key,
        bookmakerBetId: layPlaced.bookmakerBetId,
        outcome: 'WON',
        profit: 4,
      },
      'a lay of a loser wins the backer’s stake',
    );
    const funds = bf.engine.account.funds(bf.engine.openBets());
    assert.equal(await connector.balance(), funds.availableToBetBalance);
  });
});
