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
