import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { converter } from '../../src/execution/currencies.js';
import { planOrder, type Candidate, type RoutedOrder } from '../../src/execution/routing.js';
import type { ExecutionAccount } from '../../src/execution/types.js';

const convert = converter(
  new Map([
    ['USD', 1],
    ['EUR', 1.08],
  ]),
);

function account(bookmaker: string, over: Partial<ExecutionAccount> = {}): ExecutionAccount {
  return {
    bookmaker,
    username: `${bookmaker}-u`,
    clientName: 'c',
    active: true,
    priority: 0,
    minStake: null,
    maxStake: null,
    currency: 'USD',
    balance: 1e6,
    ...over,
  };
}
function cand(
  a: ExecutionAccount,
  price: number,
  limit: number | null = null,
  limitMin: number | null = null,
): Candidate {
  return {
    account: a,
    bookmakerLimits: { minStake: null, maxStake: null },
    quote: { price, limit, limitMin, currency: 'USD', active: true, info: {} },
  };
}
const o = (over: Partial<RoutedOrder> = {}): RoutedOrder => ({
  orderStake: 100,
  orderPrice: 1.9,
  orderCurrency: 'USD',
  back: true,
  acceptPartialStake: true,
  ...over,
});
const legsOf = (p: ReturnType<typeof planOrder>) =>
  'legs' in p ? p.legs.map((l) => `${l.account.username}:${l.stake}`) : p.decline;

describe('smart routing', () => {
  test('best price first: backing the highest, laying the lowest', () => {
    const cs = [cand(account('a'), 2.0), cand(account('b'), 2.1)];
    assert.deepEqual(legsOf(planOrder(o(), cs, convert)), ['b-u:100']);
    assert.deepEqual(legsOf(planOrder(o({ back: false, orderPrice: 2.5 }), cs, convert)), ['a-u:100']);
  });

  test('same price: the larger limit first, then the higher account priority', () => {
    const cs = [cand(account('a', { priority: 9 }), 2, 50), cand(account('b'), 2, 80)];
    assert.deepEqual(legsOf(planOrder(o({ orderStake: 60 }), cs, convert)), ['b-u:60']);
    const tie = [cand(account('a', { priority: 1 }), 2, 80), cand(account('b', { priority: 9 }), 2, 80)];
    assert.deepEqual(legsOf(planOrder(o({ orderStake: 60 }), tie, convert)), ['b-u:60']);
  });

  test('one account per bookmaker: the highest priority', () => {
    const cs = [
      cand(account('a', { username: 'low', priority: 1 }), 2),
      cand(account('a', { username: 'high', priority: 5 }), 2),
    ];
    assert.deepEqual(legsOf(planOrder(o(), cs, convert)), ['high:100']);
  });

  test('partial fills split across bookmakers; all-or-nothing needs one bookmaker for the whole stake', () => {
    const cs = [cand(account('a'), 2.2, 30), cand(account('b'), 2.0, 50)];
    assert.deepEqual(legsOf(planOrder(o(), cs, convert)), ['a-u:30', 'b-u:50']);
    assert.equal(
      legsOf(planOrder(o({ acceptPartialStake: false }), cs, convert)),
      'Order stake 100.00 USD exceeds available limit 50.00 USD',
    );
    assert.deepEqual(legsOf(planOrder(o({ acceptPartialStake: false, orderStake: 40 }), cs, convert)), [
      'b-u:40',
    ]);
  });

  test('limit cascade: the account overrides the bookmaker, which overrides the odds', () => {
    const a = account('a', { minStake: 10 });
    const c = { ...cand(a, 2, null, 5), bookmakerLimits: { minStake: 1, maxStake: null } };
    assert.equal(
      legsOf(planOrder(o({ orderStake: 8 }), [c], convert)),
      'Stake below minimum: order stake 8.00 USD is below the minimum 10.00 USD',
    );
    const noAccMin = { ...cand(account('b'), 2, null, 5), bookmakerLimits: { minStake: 1, maxStake: null } };
    assert.deepEqual(legsOf(planOrder(o({ orderStake: 3 }), [noAccMin], convert)), ['b-u:3']);
  });

  test('backing is capped by the balance; laying by the balance over the liability', () => {
    const cs = [cand(account('a', { balance: 40 }), 3)];
    assert.deepEqual(legsOf(planOrder(o(), cs, convert)), ['a-u:40']);
    assert.deepEqual(legsOf(planOrder(o({ back: false, orderPrice: 3 }), cs, convert)), ['a-u:20']);
  });

  test('currencies: the stake is sent in the account currency', () => {
    const p = planOrder(o({ orderCurrency: 'EUR', orderStake: 10 }), [cand(account('a'), 2)], convert);
    assert.ok('legs' in p);
    assert.equal(p.legs[0]?.accountStake, 10.8);
    const eurAcc = planOrder(o(), [cand(account('a', { currency: 'GBP' }), 2)], convert);
    assert.match(legsOf(eurAcc) as string, /^Currency conversion failed/);
  });

  test('invalid odds: no acceptable price, or suspended', () => {
    assert.equal(
      legsOf(planOrder(o({ orderPrice: 2.5 }), [cand(account('a'), 2)], convert)),
      'Invalid odds: best available price 2.00 is below orderPrice 2.50',
    );
    const sus = cand(account('a'), 2);
    sus.quote.active = false;
    assert.equal(legsOf(planOrder(o(), [sus], convert)), 'Invalid odds: market is suspended');
  });
});
