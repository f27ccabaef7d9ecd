import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideQuotes,
  quoteExposure,
  type MmMarketConfig,
  type MmMarketView,
  type QuoteAction,
  type RestingQuote,
} from '../../src/mm/quoter.js';

const CFG: MmMarketConfig = {
  marketKey: 'f1:1',
  fixtureId: 'f1',
  outcomeId: 1,
  spreadTicks: 2,
  size: 10,
  replaceTicks: 2,
  maxExposure: 1000,
  cancelInPlay: true,
};
const VIEW: MmMarketView = { fair: 2.0, suspended: false, inPlay: false, exposure: 0 };
// quoteAround(2.0, 2 ticks): back 2.04, lay 1.98
const AT_TARGET: RestingQuote[] = [
  { id: 'b', back: true, price: 2.04, size: 10 },
  { id: 'l', back: false, price: 1.98, size: 10 },
];
const exposureOf = (qs: readonly RestingQuote[]) =>
  qs.reduce((s, q) => s + quoteExposure(q.back, q.price, q.size), 0);
const places = (a: QuoteAction[]) => a.filter((x) => x.kind === 'place');
const cancels = (a: QuoteAction[]) => a.filter((x) => x.kind === 'cancel');

test('an empty market gets a back above and a lay below the fair price', () => {
  assert.deepEqual(decideQuotes(CFG, VIEW, []), [
    { kind: 'place', back: true, price: 2.04, size: 10 },
    { kind: 'place', back: false, price: 1.98, size: 10 },
  ]);
});

test('quotes already at their target stay: nothing to do', () => {
  assert.deepEqual(decideQuotes(CFG, { ...VIEW, exposure: exposureOf(AT_TARGET) }, AT_TARGET), []);
});

test('suspension, the in-play turn (when configured) and a missing fair price cancel every quote', () => {
  const ex = exposureOf(AT_TARGET);
  for (const [view, reason] of [
    [{ ...VIEW, exposure: ex, suspended: true }, 'suspended'],
    [{ ...VIEW, exposure: ex, inPlay: true }, 'in-play'],
    [{ ...VIEW, exposure: ex, fair: null }, 'no fair price'],
  ] as const) {
    assert.deepEqual(decideQuotes(CFG, view, AT_TARGET), [
      { kind: 'cancel', id: 'b', reason },
      { kind: 'cancel', id: 'l', reason },
    ]);
    assert.deepEqual(decideQuotes(CFG, view, []), [], `${reason}: nothing is placed`);
  }
});

test('in play without cancelInPlay keeps quoting', () => {
  const cfg = { ...CFG, cancelInPlay: false };
  assert.deepEqual(
    decideQuotes(cfg, { ...VIEW, inPlay: true, exposure: exposureOf(AT_TARGET) }, AT_TARGET),
    [],
  );
  assert.equal(places(decideQuotes(cfg, { ...VIEW, inPlay: true }, [])).length, 2);
});

test('a fair move under replaceTicks leaves the quotes; at replaceTicks they are replaced', () => {
  const ex = exposureOf(AT_TARGET);
  // fair 2.02: targets back 2.06 / lay 1.99 (ticks are 0.01 below 2), one tick off each quote → kept
  assert.deepEqual(decideQuotes(CFG, { ...VIEW, fair: 2.02, exposure: ex }, AT_TARGET), []);
  // fair 2.04: targets back 2.08 / lay 2.00, two ticks off → cancel both, place at the new targets
  const a = decideQuotes(CFG, { ...VIEW, fair: 2.04, exposure: ex }, AT_TARGET);
  assert.deepEqual(a, [
    { kind: 'cancel', id: 'b', reason: 'fair moved' },
    { kind: 'cancel', id: 'l', reason: 'fair moved' },
    { kind: 'place', back: true, price: 2.08, size: 10 },
    { kind: 'place', back: false, price: 2.0, size: 10 },
  ]);
  // a larger threshold keeps them
  assert.deepEqual(
    decideQuotes({ ...CFG, replaceTicks: 3 }, { ...VIEW, fair: 2.04, exposure: ex }, AT_TARGET),
    [],
  );
});

test('a partly filled quote is topped up by the filled amount at its price (fill → repost)', () => {
  const resting = [{ ...AT_TARGET[0]!, size: 6.5 }, AT_TARGET[1]!];
  assert.deepEqual(decideQuotes(CFG, { ...VIEW, exposure: exposureOf(resting) }, resting), [
    { kind: 'place', back: true, price: 2.04, size: 3.5 },
  ]);
  // topping up keeps the kept quote's price even when the target moved less than the threshold
  assert.deepEqual(decideQuotes(CFG, { ...VIEW, fair: 2.02, exposure: exposureOf(resting) }, resting), [
    { kind: 'place', back: true, price: 2.04, size: 3.5 },
  ]);
});

test('extra quotes on one side beyond the size are cancelled as duplicates', () => {
  const resting = [...AT_TARGET, { id: 'b2', back: true, price: 2.04, size: 10 }];
  assert.deepEqual(decideQuotes(CFG, { ...VIEW, exposure: exposureOf(resting) }, resting), [
    { kind: 'cancel', id: 'b2', reason: 'duplicate' },
  ]);
});

test('a new quote never lets a fill take exposure above the market cap', () => {
  // room 12: the back takes 10 (its stake), the lay at 1.98 may add 2 of liability → size 2.04
  const cfg = { ...CFG, maxExposure: 12 };
  const a = decideQuotes(cfg, VIEW, []);
  assert.deepEqual(a, [
    { kind: 'place', back: true, price: 2.04, size: 10 },
    { kind: 'place', back: false, price: 1.98, size: 2.04 },
  ]);
  const added = places(a).reduce(
    (s, p) => s + (p.kind === 'place' ? quoteExposure(p.back, p.price, p.size) : 0),
    0,
  );
  assert.ok(added <= 12 + 1e-9, `added ${added}`);
  // no room at all: nothing placed
  assert.deepEqual(decideQuotes(cfg, { ...VIEW, exposure: 12 }, []), []);
});

test('over the cap (a lowered cap, a fill) every quote is cancelled until exposure fits again', () => {
  const a = decideQuotes({ ...CFG, maxExposure: 5 }, { ...VIEW, exposure: exposureOf(AT_TARGET) }, AT_TARGET);
  assert.deepEqual(cancels(a).length, 2);
  assert.equal(places(a).length, 0);
});

test('the client cap across markets bounds a new quote too', () => {
  const a = decideQuotes(CFG, { ...VIEW, client: { exposure: 95, cap: 100 } }, []);
  assert.deepEqual(a, [{ kind: 'place', back: true, price: 2.04, size: 5 }]);
  assert.deepEqual(decideQuotes(CFG, { ...VIEW, client: { exposure: 101, cap: 100 } }, AT_TARGET).length, 2);
});

test('a replaced quote frees its exposure for its replacement', () => {
  const ex = exposureOf(AT_TARGET); // 10 + 9.8
  const a = decideQuotes({ ...CFG, maxExposure: ex }, { ...VIEW, fair: 2.1, exposure: ex }, AT_TARGET);
  assert.equal(cancels(a).length, 2);
  const added = places(a).reduce(
    (s, p) => s + (p.kind === 'place' ? quoteExposure(p.back, p.price, p.size) : 0),
    0,
  );
  assert.ok(added > 0 && added <= ex + 1e-9, `added ${added} of ${ex}`);
});

test('a top-up below minSize waits', () => {
  const resting = [{ ...AT_TARGET[0]!, size: 9.5 }, AT_TARGET[1]!];
  assert.deepEqual(
    decideQuotes({ ...CFG, minSize: 2 }, { ...VIEW, exposure: exposureOf(resting) }, resting),
    [],
  );
});
