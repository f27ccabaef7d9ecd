import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backtest, backtestMarket, type BacktestParams } from '../../../src/mm/backtest/index.js';
import { market, tick } from './ticks.js';

const P: BacktestParams = {
  spreadTicks: 2,
  size: 10,
  replaceTicks: 2,
  maxExposure: 100,
  cancelInPlay: true,
  minSize: 1,
  commission: 0.1,
  from: 0,
  to: 1e13,
};

// Both runners at 2.0 to back: the de-margined fair price is 2.0 each, so the quoter backs at 2.04 and lays
// at 1.98 (two ticks either side) for 10.
const OPEN = [tick(1000, 1, { ltp: 2.0 }), tick(1000, 2, { ltp: 2.0 })];
const CLOSE_A_WINS = [
  tick(4000, 1, { market: 'CLOSED', status: 'WINNER', ltp: 2.06, tv: 6 }),
  tick(4000, 2, { market: 'CLOSED', status: 'LOSER', ltp: 2.0 }),
];

test('a fill traded through, hedged at the next step, settled by the recorded winner', () => {
  const r = backtestMarket(
    market([
      ...OPEN,
      tick(2000, 1, { ltp: 2.06, tv: 6 }), // 6 traded above our back at 2.04: it fills 6
      tick(3000, 2, { ltp: 2.02 }), // next step: the hedge lays 6 × 2.04 / 2.02 = 6.06 at the best lay 2.02
      ...CLOSE_A_WINS,
    ]),
    P,
  );
  assert.equal(r.skipped, null);
  // 4 quotes at the start, then the back of A topped up by the 6 filled; all 5 cancelled at the close
  assert.equal(r.quotes, 5);
  assert.equal(r.cancels, 5);
  assert.equal(r.fills, 1);
  assert.equal(r.backMatched, 6);
  assert.equal(r.layMatched, 0);
  assert.equal(r.hedges, 1);
  assert.equal(r.hedgeStake, 6.06);
  assert.equal(r.unhedged, 0);
  // after the fill B winning loses the 6 backed on A; hedged, every outcome pays about +0.06
  assert.equal(r.maxExposure, 6);
  assert.equal(r.endExposure, 0);
  // A wins: 6 × 1.04 − 6.06 × 1.02 = 0.0588; commission 10% = 0.00588
  assert.equal(r.profit, 0.06);
  assert.equal(r.commission, 0.01);
  assert.equal(r.net, 0.05);
  assert.equal(r.firstAt, 1000);
  assert.equal(r.lastAt, 4000);
});

test('a trade at the quote price fills nothing; a loser settles the hedged fill the same', () => {
  const atPrice = backtestMarket(market([...OPEN, tick(2000, 1, { ltp: 2.04, tv: 50 }), ...CLOSE_A_WINS]), P);
  assert.equal(atPrice.fills, 0);
  assert.equal(atPrice.profit, 0);
  const bWins = backtestMarket(
    market([
      ...OPEN,
      tick(2000, 1, { ltp: 2.06, tv: 6 }),
      tick(3000, 2, { ltp: 2.02 }),
      tick(4000, 1, { market: 'CLOSED', status: 'LOSER' }),
      tick(4000, 2, { market: 'CLOSED', status: 'WINNER' }),
    ]),
    P,
  );
  assert.equal(bWins.profit, 0.06); // −6 + 6.06
});

test('a fill the book never lets us hedge settles naked and is reported unhedged', () => {
  const r = backtestMarket(
    market([
      ...OPEN,
      // A's lay side empties as the back quote fills: nothing to hedge against before the close
      tick(2000, 1, { ltp: 2.06, tv: 6, lay: null }),
      tick(4000, 1, { market: 'CLOSED', status: 'LOSER', lay: null }),
      tick(4000, 2, { market: 'CLOSED', status: 'WINNER' }),
    ]),
    P,
  );
  assert.equal(r.fills, 1);
  assert.equal(r.hedges, 0);
  assert.equal(r.unhedged, 6);
  assert.equal(r.profit, -6);
  assert.equal(r.commission, 0);
  assert.equal(r.net, -6);
});

test('the turn in play lapses resting quotes and (cancelInPlay) no new ones are posted', () => {
  const r = backtestMarket(
    market([
      ...OPEN,
      tick(2000, 1, { inPlay: true }),
      tick(2000, 2, { inPlay: true }),
      tick(3000, 1, { inPlay: true, ltp: 2.5, tv: 100 }),
      tick(4000, 1, { market: 'CLOSED', status: 'WINNER', inPlay: true }),
      tick(4000, 2, { market: 'CLOSED', status: 'LOSER', inPlay: true }),
    ]),
    P,
  );
  assert.equal(r.quotes, 4);
  assert.equal(r.lapsed, 4);
  assert.equal(r.cancels, 0);
  assert.equal(r.fills, 0, 'the trade at 2.5 in play found no quote');
  assert.equal(r.profit, 0);
});

test('the window: earlier ticks only build the book, later ones only carry the result', () => {
  const ticks = [...OPEN, tick(2000, 1, { ltp: 2.06, tv: 6 }), tick(3000, 2, { ltp: 2.02 }), ...CLOSE_A_WINS];
  const late = backtestMarket(market(ticks), { ...P, from: 2500 });
  assert.equal(late.fills, 0, 'the trade at 2000 came before any quote');
  assert.equal(late.firstAt, 3000);
  assert.equal(late.quotes, 4, 'quoted at 3000 on the book built before it');
  const early = backtestMarket(market(ticks), { ...P, to: 2500 });
  assert.equal(early.fills, 1);
  assert.equal(early.hedges, 0, 'the window closed before the hedge');
  assert.equal(early.unhedged, 6);
  assert.equal(early.lapsed, 5, 'the quotes still resting at the end lapse (4 and the top-up)');
  assert.equal(early.profit, 6 * 1.04, 'settled by the result recorded after the window');
});

test('a market paying several winners is skipped; an unfinished one is unsettled', async () => {
  const place = backtestMarket({ ...market([...OPEN]), type: 'PLACE', numberOfWinners: 3 }, P);
  assert.match(place.skipped ?? '', /3 winners/);
  assert.equal(place.quotes, 0);
  const unfinished = backtestMarket(market([...OPEN, tick(2000, 1, { ltp: 2.06, tv: 6 })]), P);
  assert.equal(unfinished.fills, 1);
  assert.equal(unfinished.profit, null);
  assert.equal(unfinished.net, null);
  const report = await backtest([market([...OPEN, tick(2000, 1, { ltp: 2.06, tv: 6 })])], P);
  assert.equal(report.totals.settled, 0);
  assert.equal(report.totals.net, 0);
});

test('the same stream gives the same report', async () => {
  const ticks = [...OPEN, tick(2000, 1, { ltp: 2.06, tv: 6 }), tick(3000, 2, { ltp: 2.02 }), ...CLOSE_A_WINS];
  assert.deepEqual(await backtest([market(ticks)], P), await backtest([market(ticks)], P));
});

test("each runner's exposure stays within the quoter's cap: quote sizes are cut to fit", () => {
  const ticks = [...OPEN, tick(2000, 1, { ltp: 2.06, tv: 6 }), tick(3000, 2, { ltp: 2.02 }), ...CLOSE_A_WINS];
  const wide = backtestMarket(market(ticks), P);
  // back 10 (stake) + lay 10 at 1.98 (liability 9.80); after the fill 6 lost at worst + 4 + 6 + 9.80
  assert.equal(wide.peakRunnerExposure, 25.8);
  const capped = backtestMarket(market(ticks), { ...P, maxExposure: 15 });
  // back 10, then the lay cut to 5.10 (liability 4.998): 15.00 per runner
  assert.equal(capped.peakRunnerExposure, 15);
  assert.equal(capped.fills, 1, 'the back still fills its 6');
});
