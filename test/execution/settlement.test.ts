import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { settle } from '../../src/execution/settlement.js';
import type { Result } from '../../src/model/index.js';
import { result } from '../records/helpers.js';

const bet = (outcomeId: number, back = true, placedStake = 10, placedPrice = 2.5) => ({
  outcomeId,
  playerId: 0,
  back,
  placedStake,
  placedPrice,
});
const settled = (winners: string[], over: Partial<Result> = {}): Result => ({
  ...result(1000001, '2026-03-01T10:00:00.000Z'),
  team1: 'Arsenal',
  team2: 'Chelsea',
  eventName: 'Arsenal v Chelsea',
  winners: winners.map((name, i) => ({ selectionId: i + 1, name })),
  ...over,
});

describe('settlement of a bet on a result', () => {
  test('back: WON pays stake × (price − 1), LOST loses the stake', () => {
    assert.deepEqual(settle(bet(101), settled(['Arsenal'])), {
      status: 'WON',
      amount: 15,
      reason: 'Result: Arsenal',
    });
    assert.equal(settle(bet(103), settled(['Arsenal']))?.amount, -10);
    assert.equal(settle(bet(102), settled(['The Draw']))?.status, 'WON');
  });

  test('lay: WON takes the backer stake, LOST pays the liability', () => {
    assert.deepEqual(settle(bet(103, false), settled(['Arsenal']))?.amount, 10);
    assert.deepEqual(settle(bet(101, false), settled(['Arsenal'])), {
      status: 'LOST',
      amount: -15,
      reason: 'Result: Arsenal',
    });
  });

  test('an inferred winner never settles money; a settled market without winners voids', () => {
    assert.equal(settle(bet(101), settled(['Arsenal'], { winnerSource: 'inferred' })), null);
    assert.deepEqual(settle(bet(101), settled([]))?.status, 'VOID');
    assert.equal(settle(bet(101), settled([]))?.amount, 0);
  });

  test('dead heat: the stake divided among the winners of a one-winner market', () => {
    const r = settled(['Arsenal', 'Chelsea']);
    r.finalMarket = { ...r.finalMarket, numberOfWinners: 1 };
    // 10 at 2.5 in a two-way dead heat: 5 × 2.5 − 10 = 2.5
    assert.deepEqual(settle(bet(101), r), {
      status: 'WON',
      amount: 2.5,
      reason: 'Result: Arsenal, Chelsea (dead heat 1/2)',
    });
  });
});

// Totals and handicaps (the catalogue's line markets) settle on the final score of a settled result;
// quarter lines are two half-stakes on the lines either side.
describe('settlement of totals and handicap bets on the final score', () => {
  const final = (home: number, away: number) => settled(['Arsenal'], { finalScore: { home, away } });
  // Over/Under 2.5 = market 10250 (over 102501, under 102502); 2.25 = 10225; 3 = 10300; 2.75 = 10275
  // Handicap home −1.5 = 101994 (home 1019941, away 1019942); home −0.75 = 101997; home −1 = 101996

  test('whole and half lines: WON, LOST, PUSH (the stake back)', () => {
    assert.deepEqual(settle(bet(102501), final(2, 1)), {
      status: 'WON',
      amount: 15,
      reason: 'Final score 2-1: Over Over/Under 2.5',
    });
    assert.equal(settle(bet(102502), final(2, 1))?.status, 'LOST');
    assert.equal(settle(bet(102502), final(2, 1))?.amount, -10);
    assert.deepEqual(
      [settle(bet(103001), final(2, 1))?.status, settle(bet(103001), final(2, 1))?.amount],
      ['PUSH', 0],
    );
    assert.equal(settle(bet(1019941), final(2, 0))?.status, 'WON', 'home −1.5 wins by 2');
    assert.equal(settle(bet(1019941), final(2, 1))?.status, 'LOST', 'home −1.5 wins by 1 only');
    assert.equal(settle(bet(1019942), final(2, 1))?.status, 'WON', 'away +1.5');
    assert.equal(settle(bet(1019961), final(2, 1))?.status, 'PUSH', 'home −1 wins by exactly 1');
  });

  test('quarter lines: HALF_WON and HALF_LOST pay half', () => {
    // over 2.25 on 2 goals: half on 2 pushes, half on 2.5 loses
    assert.deepEqual(
      [settle(bet(102251), final(1, 1))?.status, settle(bet(102251), final(1, 1))?.amount],
      ['HALF_LOST', -5],
    );
    // under 2.25 on 2 goals: half pushes, half on 2.5 wins 5 × 1.5
    assert.deepEqual(
      [settle(bet(102252), final(1, 1))?.status, settle(bet(102252), final(1, 1))?.amount],
      ['HALF_WON', 7.5],
    );
    // home −0.75 winning by 1: half on −0.5 wins, half on −1 pushes
    assert.deepEqual(
      [settle(bet(1019971), final(1, 0))?.status, settle(bet(1019971), final(1, 0))?.amount],
      ['HALF_WON', 7.5],
    );
    assert.equal(settle(bet(102751), final(3, 1))?.status, 'WON', 'over 2.75 on 4 goals: both halves');
  });

  test('laying is the other side; no score, an inferred result or a player id settle nothing', () => {
    assert.deepEqual(
      [settle(bet(102501, false), final(2, 1))?.status, settle(bet(102501, false), final(2, 1))?.amount],
      ['LOST', -15],
    );
    assert.deepEqual(
      [settle(bet(102251, false), final(1, 1))?.status, settle(bet(102251, false), final(1, 1))?.amount],
      ['HALF_WON', 5],
    );
    assert.equal(settle(bet(102501), settled(['Arsenal'], { finalScore: null })), null, 'no final score');
    assert.equal(settle(bet(102501), settled(['Arsenal'], { finalScore: { home: '2', away: 1 } })), null);
    assert.equal(settle(bet(102501), { ...final(2, 1), winnerSource: 'inferred' }), null);
    assert.equal(settle({ ...bet(102501), playerId: 7 }, final(2, 1)), null);
  });
});
