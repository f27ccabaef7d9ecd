import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/core/clock.js';
import { ExchangeSimulator } from '../../../src/sim/exchange.js';
import { MatchingEngine } from '../../../src/sim/betting/engine.js';
import type { PlaceInstruction } from '../../../src/sim/betting/instructions.js';
import { Prng } from '../../../src/sim/random.js';
import type { SimMarket } from '../../../src/sim/market.js';
import { nextTick, prevTick } from '../../../src/model/ticks.js';
import { clearedStatus } from '../../../src/sim/betting/reports.js';
import type { SimBet } from '../../../src/sim/betting/types.js';
import { T0 } from '../helpers.js';

const STYLE = { halfSpread: 0.004, gapTicks: 0, maxSpreadTicks: 2, depth: 3, liquidity: 450 };

/**
 * A simulator whose clock never ticks it (books move only when a test moves them) and an engine on it;
 * `market` is an open pre-match football match with a full book.
 */
function setup(balance?: number) {
  const clock = new ManualClock(T0);
  const sim = new ExchangeSimulator({ now: clock.now, seed: 7 });
  const engine = new MatchingEngine(sim, { now: clock.now, ...(balance !== undefined ? { balance } : {}) });
  const market = sim
    .events()
    .filter((e) => e.sport === 'football')
    .map((e) => sim.market(e.markets[0]?.marketId ?? '') as SimMarket)
    .find(
      (m) =>
        m.status === 'OPEN' && !m.inPlay && m.books.every((b) => b.backP.length >= 3 && b.layP.length >= 3),
    );
  assert.ok(market, 'an open pre-match football market');
  const book = market.books[0]!;
  const events: { bet: SimBet; fills: number }[] = [];
  engine.onBet((bet, fills) => events.push({ bet, fills: fills.length }));
  return { clock, sim, engine, market, book, events };
}

function limit(
  selectionId: number,
  side: 'BACK' | 'LAY',
  price: number,
  size: number,
  persistenceType: 'LAPSE' | 'PERSIST' = 'LAPSE',
  customerOrderRef?: string,
): PlaceInstruction {
  return {
    orderType: 'LIMIT',
    selectionId,
    side,
    limitOrder: { price, size, persistenceType },
    ...(customerOrderRef ? { customerOrderRef } : {}),
  } as PlaceInstruction;
}

describe('MatchingEngine', () => {
  test('a back at the best back price matches at once against the offered size, which the match consumes', async () => {
    const { engine, market, book, events } = setup();
    const price = book.bestBack!;
    const offered = book.backS[0]!;
    const size = Math.min(10, Math.floor(offered / 2));
    const report = await engine.place(market.id, [limit(book.id, 'BACK', price, size)]);
    assert.equal(report.status, 'SUCCESS');
    const ir = report.instructionReports[0]!;
    assert.equal(ir.orderStatus, 'EXECUTION_COMPLETE');
    assert.equal(ir.sizeMatched, size);
    assert.equal(ir.averagePriceMatched, price);
    assert.equal(book.backS[0], Math.round((offered - size) * 100) / 100, 'the offer shrank by the match');
    assert.equal(book.ltp, price, 'the match traded at that price');
    assert.ok(
      events.some((e) => e.bet.betId === ir.betId && e.fills === 1),
      'the fill was published',
    );
  });

  test('a back below the best price sweeps the better levels at their own prices; the rest of a bigger order rests', async () => {
    const { engine, market, book } = setup();
    const [p1, p2] = [book.backP[0]!, book.backP[1]!];
    const [s1, s2] = [book.backS[0]!, book.backS[1]!];
    const size = Math.ceil(s1 + s2 + 5);
    const report = await engine.place(market.id, [limit(book.id, 'BACK', p2, size, 'PERSIST')]);
    const ir = report.instructionReports[0]!;
    assert.equal(ir.orderStatus, 'EXECUTABLE');
    assert.equal(ir.sizeMatched, Math.round((s1 + s2) * 100) / 100);
    const bet = engine.bet(ir.betId!)!;
    assert.deepEqual(
      bet.fills.map((f) => [f.price, f.size]),
      [
        [p1, s1],
        [p2, s2],
      ],
    );
    assert.equal(book.bestBack, book.backP[0]);
    assert.ok(book.bestBack! < p2, 'both levels were taken off the ladder');
  });

  test('a lay above the best lay is matched at the best lay price (price improvement goes to the taker)', async () => {
    const { engine, market, book } = setup();
    const best = book.bestLay!;
    const report = await engine.place(market.id, [limit(book.id, 'LAY', nextTick(best, 5), 2)]);
    assert.equal(report.instructionReports[0]!.averagePriceMatched, best);
  });

  test('an order better than the book rests unmatched, then matches as the book moves through its price', async () => {
    const { clock, engine, market, book, events } = setup();
    const price = nextTick(book.bestBack!, 2);
    const report = await engine.place(market.id, [limit(book.id, 'BACK', price, 5, 'PERSIST')]);
    const ir = report.instructionReports[0]!;
    assert.equal(ir.orderStatus, 'EXECUTABLE');
    assert.equal(ir.sizeMatched, 0);
    clock.advance(1000);
    engine.step();
    assert.equal(
      engine.bet(ir.betId!)!.sizeMatched,
      0,
      'nothing matches while the book stays below the price',
    );
    // the book drifts: the runner's fair odds lengthen well past the order's price
    book.quote(1 / (price * 1.1), STYLE, new Prng(3));
    assert.ok(book.bestBack! >= price);
    const before = events.length;
    engine.step();
    const bet = engine.bet(ir.betId!)!;
    assert.equal(bet.sizeMatched, 5);
    assert.ok(
      bet.fills.every((f) => f.price >= price),
      'matched at the offered price, at or better',
    );
    assert.ok(events.length > before, 'the fill was published');
  });

  test('at the in-play turn unmatched LAPSE bets lapse and PERSIST bets stay and can match in play', async () => {
    const { clock, engine, market, book } = setup();
    const high = nextTick(book.bestBack!, 3);
    const lapse = await engine.place(market.id, [limit(book.id, 'BACK', high, 4, 'LAPSE')]);
    const persist = await engine.place(market.id, [limit(book.id, 'BACK', high, 4, 'PERSIST')]);
    clock.advance(60_000);
    market.setState('OPEN', true, 5);
    engine.step();
    const lapsed = engine.bet(lapse.instructionReports[0]!.betId!)!;
    const kept = engine.bet(persist.instructionReports[0]!.betId!)!;
    assert.equal(lapsed.sizeLapsed, 4);
    assert.equal(clearedStatus(lapsed), 'LAPSED');
    assert.equal(kept.sizeLapsed, 0);
    book.quote(1 / (high * 1.1), STYLE, new Prng(5));
    engine.step();
    assert.equal(kept.sizeMatched, 4, 'the persisted bet matched in play');
  });

  test('in play a bet waits the bet delay before it reaches the book', async () => {
    const { clock, engine, market, book } = setup();
    market.setState('OPEN', true, 5);
    engine.step();
    let report: Awaited<ReturnType<MatchingEngine['place']>> | null = null;
    void engine.place(market.id, [limit(book.id, 'BACK', book.bestBack!, 2)]).then((r) => (report = r));
    await Promise.resolve();
    assert.equal(report, null);
    const bet = [...engine.all()][0]!;
    assert.equal(bet.dueAt, T0 + 5000);
    clock.advance(4999);
    engine.step();
    await Promise.resolve();
    assert.equal(report, null, 'still within the delay');
    clock.advance(1);
    engine.step();
    await new Promise((r) => setImmediate(r));
    assert.ok(report);
    assert.equal(
      (report as { instructionReports: { sizeMatched?: number }[] }).instructionReports[0]!.sizeMatched,
      2,
    );
  });

  test('a bet whose market is suspended during the delay lapses', async () => {
    const { clock, engine, market, book } = setup();
    market.setState('OPEN', true, 5);
    engine.step();
    const placed = engine.place(market.id, [limit(book.id, 'BACK', book.bestBack!, 2)]);
    market.setState('SUSPENDED', true, 5);
    clock.advance(5000);
    engine.step();
    const report = await placed;
    assert.equal(report.instructionReports[0]!.sizeMatched, 0);
    const bet = engine.bet(report.instructionReports[0]!.betId!)!;
    assert.equal(bet.sizeLapsed, 2);
    assert.equal(bet.lapseReason, 'MKT_SUSPENDED');
  });

  test('market close: unmatched parts lapse and matched bets settle with the result and the right profit', async () => {
    const { clock, engine, market, book } = setup(1000);
    const other = market.books[1]!;
    const backPrice = book.bestBack!;
    const layPrice = other.bestLay!;
    const back = await engine.place(market.id, [limit(book.id, 'BACK', backPrice, 10, 'PERSIST')]);
    const lay = await engine.place(market.id, [limit(other.id, 'LAY', layPrice, 10, 'PERSIST')]);
    const rest = await engine.place(market.id, [
      limit(book.id, 'BACK', nextTick(backPrice, 4), 3, 'PERSIST'),
    ]);
    const before = engine.account.funds(engine.openBets());
    assert.ok((before.exposure as number) < 0, 'open bets reserve exposure');
    clock.advance(3_600_000);
    market.settle([0], clock.now());
    engine.step();
    const won = engine.bet(back.instructionReports[0]!.betId!)!;
    const layWon = engine.bet(lay.instructionReports[0]!.betId!)!;
    const lapsed = engine.bet(rest.instructionReports[0]!.betId!)!;
    const backProfit = Math.round(10 * (backPrice - 1) * 100) / 100;
    assert.deepEqual(won.settled, { outcome: 'WIN', profit: backProfit, at: clock.now() });
    assert.deepEqual(
      layWon.settled,
      { outcome: 'WIN', profit: 10, at: clock.now() },
      'a lay on a loser wins the backer’s stake',
    );
    assert.equal(lapsed.settled, null);
    assert.equal(clearedStatus(lapsed), 'LAPSED');
    const net = backProfit + 10;
    const after = engine.account.funds(engine.openBets());
    assert.equal(after.exposure, 0);
    assert.equal(
      after.availableToBetBalance,
      Math.round((1000 + net - net * 0.05) * 100) / 100,
      'commission on net winnings',
    );
  });

  test('a repeated customerRef answers the first report and never places a second bet', async () => {
    const { engine, market, book } = setup();
    const ins = [limit(book.id, 'BACK', prevTick(book.bestBack!, 10), 2, 'PERSIST')];
    const first = await engine.place(market.id, ins, { customerRef: 'ref-1' });
    const again = await engine.place(market.id, ins, { customerRef: 'ref-1' });
    assert.deepEqual(again, first);
    assert.equal([...engine.all()].length, 1);
    const other = await engine.place(market.id, ins, { customerRef: 'ref-2' });
    assert.notEqual(other.instructionReports[0]!.betId, first.instructionReports[0]!.betId);
  });

  test('validation: off-ladder prices, small stakes, unknown runners and closed markets are refused per instruction', async () => {
    const { engine, market, book } = setup(50);
    const r = await engine.place(market.id, [
      limit(book.id, 'BACK', 2.01, 2),
      limit(book.id, 'BACK', 2.0, 0.5),
      limit(999, 'BACK', 2.0, 2),
      limit(book.id, 'LAY', 1000, 2),
    ]);
    assert.equal(r.status, 'FAILURE');
    assert.deepEqual(
      r.instructionReports.map((i) => i.errorCode),
      ['INVALID_ODDS', 'INVALID_BET_SIZE', 'INVALID_RUNNER', 'INSUFFICIENT_FUNDS'],
    );
    assert.equal([...engine.all()].length, 0);
    const unknown = await engine.place('1.999', [limit(book.id, 'BACK', 2, 2)]);
    assert.equal(unknown.errorCode, 'INVALID_MARKET_ID');
    market.setState('SUSPENDED', false, 0);
    const suspended = await engine.place(market.id, [limit(book.id, 'BACK', 2, 2)]);
    assert.equal(suspended.errorCode, 'MARKET_SUSPENDED');
  });

  test('cancel reduces the unmatched part (sizeReduction) or cancels it all; a matched bet cannot be cancelled', async () => {
    const { engine, market, book } = setup();
    const low = prevTick(book.bestBack!, 10);
    const placed = await engine.place(market.id, [limit(book.id, 'LAY', low, 10, 'PERSIST')]);
    const id = placed.instructionReports[0]!.betId!;
    assert.equal(engine.cancelBet(id, 4).cancelled, 4);
    assert.equal(engine.cancelBet(id).cancelled, 6);
    assert.equal(clearedStatus(engine.bet(id)!), 'CANCELLED');
    const matched = await engine.place(market.id, [limit(book.id, 'BACK', book.bestBack!, 2)]);
    assert.throws(() => engine.cancelBet(matched.instructionReports[0]!.betId!), {
      code: 'BET_TAKEN_OR_LAPSED',
    });
  });

  test('FILL_OR_KILL matches in full or not at all', async () => {
    const { engine, market, book } = setup();
    const offered = book.backS[0]!;
    const kill = await engine.place(market.id, [
      {
        orderType: 'LIMIT',
        selectionId: book.id,
        side: 'BACK',
        limitOrder: { price: book.bestBack!, size: Math.ceil(offered + 50), timeInForce: 'FILL_OR_KILL' },
      } as PlaceInstruction,
    ]);
    assert.equal(kill.instructionReports[0]!.orderStatus, 'EXPIRED');
    assert.equal(book.backS[0], offered, 'nothing was taken');
    const fill = await engine.place(market.id, [
      {
        orderType: 'LIMIT',
        selectionId: book.id,
        side: 'BACK',
        limitOrder: { price: book.bestBack!, size: 2, timeInForce: 'FILL_OR_KILL' },
      } as PlaceInstruction,
    ]);
    assert.equal(fill.instructionReports[0]!.sizeMatched, 2);
  });
});
