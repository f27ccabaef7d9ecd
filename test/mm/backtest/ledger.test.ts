import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commissionOf, lossOf, MarketLedger, positionOf } from '../../../src/mm/backtest/ledger.js';

const close = (a: number | null, b: number, msg?: string) =>
  assert.ok(a !== null && Math.abs(a - b) < 1e-9, `${msg ?? ''} ${a} ≈ ${b}`);

test('a back pays stake × (price − 1) on a win and loses its stake; a lay the other way round', () => {
  assert.deepEqual(positionOf({ selectionId: 1, back: true, price: 3, stake: 10 }), {
    ifWins: 20,
    ifLoses: -10,
  });
  assert.deepEqual(positionOf({ selectionId: 1, back: false, price: 3, stake: 10 }), {
    ifWins: -20,
    ifLoses: 10,
  });
  assert.equal(lossOf({ ifWins: 20, ifLoses: -10 }), 10);
  assert.equal(lossOf({ ifWins: 1, ifLoses: 2 }), 0);
});

test('a back hedged by a lay of size × price / hedge price pays the same either way', () => {
  const l = new MarketLedger();
  l.add({ selectionId: 1, back: true, price: 2.04, stake: 6 });
  l.add({ selectionId: 1, back: false, price: 2.02, stake: 6.06 });
  // wins: 6 × 1.04 − 6.06 × 1.02 = 0.0588; loses: −6 + 6.06 = 0.06
  close(l.position(1).ifWins, 0.0588);
  close(l.position(1).ifLoses, 0.06);
  assert.equal(l.exposure([1, 2]), 0);
  close(
    l.profit(
      new Map([
        [1, 'WINNER'],
        [2, 'LOSER'],
      ]),
    ),
    0.0588,
  );
  close(
    l.profit(
      new Map([
        [1, 'LOSER'],
        [2, 'WINNER'],
      ]),
    ),
    0.06,
  );
});

test('market exposure is the worst case over which runner wins', () => {
  const l = new MarketLedger();
  l.add({ selectionId: 1, back: true, price: 3, stake: 10 }); // A wins +20, else −10
  l.add({ selectionId: 2, back: false, price: 4, stake: 5 }); // B wins −15, else +5
  // A wins: 20 + 5 = 25; B wins: −10 − 15 = −25; C (no position) wins: −10 + 5 = −5
  assert.equal(l.exposure([1, 2, 3]), 25);
  assert.equal(
    l.profit(
      new Map([
        [1, 'WINNER'],
        [2, 'LOSER'],
      ]),
    ),
    25,
  );
});

test('a removed runner is void, a runner without result leaves the market unsettled', () => {
  const l = new MarketLedger();
  l.add({ selectionId: 1, back: true, price: 3, stake: 10 });
  l.add({ selectionId: 2, back: true, price: 5, stake: 2 });
  assert.equal(
    l.profit(
      new Map([
        [1, 'REMOVED'],
        [2, 'LOSER'],
      ]),
    ),
    -2,
  );
  assert.equal(
    l.profit(
      new Map([
        [1, 'PLACED'],
        [2, 'LOSER'],
      ]),
    ),
    18,
  );
  assert.equal(
    l.profit(
      new Map([
        [1, 'ACTIVE'],
        [2, 'LOSER'],
      ]),
    ),
    null,
  );
  assert.equal(l.profit(new Map([[2, 'LOSER']])), null);
});

test('commission takes its rate of a net win and nothing of a loss', () => {
  assert.equal(commissionOf(20, 0.05), 1);
  assert.equal(commissionOf(-20, 0.05), 0);
});
