import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backArb, layArb } from '../../src/books/arbitrage.js';
import type { BestMarket, BookPrice } from '../../src/books/best.js';
import type { McmMessage, PricePair, StreamMarketDefinition } from '../../src/sim/stream-types.js';
import { isValidPrice } from '../../src/model/ticks.js';
import { harness } from './helpers.js';

type Ladder = Map<number, number>;
interface Market {
  def: StreamMarketDefinition | null;
  runners: Map<number, { atb: Ladder; atl: Ladder }>;
}

/** What the checks saw over a run. */
interface Seen {
  states: number;
  inPlayStates: number;
  /** Market states with a runner backable at 1.01–1.02 (a near-certain favourite). */
  nearCertain: number;
  minBackBook: number;
  maxLayBook: number;
}

function apply(ladder: Ladder, pairs: PricePair[] | undefined): void {
  for (const [p, s] of pairs ?? []) {
    if (s === 0) ladder.delete(p);
    else ladder.set(p, s);
  }
}

/** Applies a message to the reconstructed markets; returns the ids of the markets it touched. */
function update(markets: Map<string, Market>, msg: McmMessage): string[] {
  const touched: string[] = [];
  for (const mc of msg.mc ?? []) {
    let m = markets.get(mc.id);
    if (!m || mc.img) markets.set(mc.id, (m = { def: null, runners: new Map() }));
    if (mc.marketDefinition) m.def = mc.marketDefinition;
    for (const rc of mc.rc ?? []) {
      let r = m.runners.get(rc.id);
      if (!r) m.runners.set(rc.id, (r = { atb: new Map(), atl: new Map() }));
      apply(r.atb, rc.atb);
      apply(r.atl, rc.atl);
    }
    touched.push(mc.id);
  }
  return touched;
}

function price(p: number | null): BookPrice | null {
  return p === null ? null : { price: p, size: null, book: 'sim', source: 'sim', marketId: 'm' };
}

function overround(ps: (number | null)[]): number | null {
  return ps.some((p) => p === null) ? null : ps.reduce<number>((s, p) => s + 1 / (p as number), 0);
}

/** Asserts the ladder properties of one runner: valid ticks, £2 minimum, back below lay, depth. */
function checkLadders(id: string, atb: Ladder, atl: Ladder): void {
  const backs = [...atb.keys()].sort((a, b) => b - a);
  const lays = [...atl.keys()].sort((a, b) => a - b);
  for (const [p, s] of [...atb, ...atl]) {
    assert.ok(isValidPrice(p), `${id}: ${p} is a ladder price`);
    assert.ok(s >= 2, `${id}: size ${s} at least £2`);
  }
  assert.ok(backs.length <= 3 && lays.length <= 3, `${id}: at most 3 levels`);
  // fewer than three levels only where the ladder ends: backs down to 1.01, lays up to 1000
  assert.ok(backs.length === 3 || backs.at(-1) === 1.01, `${id}: back levels ${backs.join(',')}`);
  assert.ok(lays.length === 3 || lays.at(-1) === 1000, `${id}: lay levels ${lays.join(',')}`);
  const bb = backs[0];
  const bl = lays[0];
  if (bb !== undefined && bl !== undefined) assert.ok(bb < bl, `${id}: back ${bb} < lay ${bl}`);
}

/** Asserts that the market alone holds no back or lay arbitrage and its ladders are well formed. */
function checkMarket(id: string, m: Market, seen: Seen): void {
  const def = m.def;
  assert.ok(def, `${id} has a definition`);
  if (def.status === 'CLOSED') return;
  const active = def.runners.filter((r) => r.status === 'ACTIVE');
  const backs: (number | null)[] = [];
  const lays: (number | null)[] = [];
  for (const rd of active) {
    const r = m.runners.get(rd.id);
    assert.ok(r, `${id}/${rd.id} has a book`);
    checkLadders(`${id}/${rd.id}`, r.atb, r.atl);
    backs.push(r.atb.size > 0 ? Math.max(...r.atb.keys()) : null);
    lays.push(r.atl.size > 0 ? Math.min(...r.atl.keys()) : null);
  }
  const backBook = overround(backs);
  const layBook = overround(lays);
  const w = def.numberOfWinners;
  // with W winners, backing every runner pays W stakes' worth: Σ 1/back < W is a sure profit
  if (backBook !== null) assert.ok(backBook >= w, `${id} (${def.marketType}) back book ${backBook} < ${w}`);
  if (layBook !== null) assert.ok(layBook <= w, `${id} (${def.marketType}) lay book ${layBook} > ${w}`);
  if (w === 1) {
    const best: BestMarket = {
      key: id,
      type: def.marketType,
      line: null,
      name: def.name,
      books: ['sim'],
      staleBooks: [],
      suspendedBooks: [],
      status: 'OPEN',
      runners: active.map((r, i) => ({
        key: String(r.id),
        name: r.name,
        bestBack: price(backs[i] ?? null),
        bestLay: price(lays[i] ?? null),
        suspended: false,
      })),
      backOverround: backBook,
      layOverround: layBook,
    };
    assert.equal(backArb(best, 100), null, `${id}: back arbitrage at ${backs.join(', ')}`);
    assert.equal(layArb(best, 100), null, `${id}: lay arbitrage at ${lays.join(', ')}`);
  }
  seen.states++;
  if (def.inPlay) seen.inPlayStates++;
  if (backs.some((p) => p !== null && p <= 1.02)) seen.nearCertain++;
  if (backBook !== null) seen.minBackBook = Math.min(seen.minBackBook, backBook / w);
  if (layBook !== null) seen.maxLayBook = Math.max(seen.maxLayBook, layBook / w);
}

/** Runs a simulator for `ms` of clock, checking every market a message touches after the message. */
function runChecked(opts: { seed: number; speed: number; rate: number }, start: number, ms: number): Seen {
  const seen: Seen = { states: 0, inPlayStates: 0, nearCertain: 0, minBackBook: Infinity, maxLayBook: 0 };
  const markets = new Map<string, Market>();
  const closed = new Map<string, number>();
  const h = harness(opts, start);
  const check = (msg: McmMessage): void => {
    for (const id of update(markets, msg)) {
      const m = markets.get(id) as Market;
      checkMarket(id, m, seen);
      if (m.def?.status === 'CLOSED') closed.set(id, msg.pt);
    }
  };
  for (const msg of h.messages) check(msg);
  h.messages.length = 0;
  for (let t = 0; t < ms; t += 100) {
    h.run(100);
    for (const msg of h.messages) check(msg);
    h.messages.length = 0;
    for (const [id, at] of closed) if (at < h.clock.now() - 60_000) markets.delete(id);
  }
  h.unsubscribe();
  return seen;
}

describe('the simulated exchange never quotes an arbitrage against itself', () => {
  test('football, tennis and cricket to the final whistle and races to the off: every market state', () => {
    // 4 simulated hours at speed 60 from 18:00 UTC: matches start, turn in play, end nearly decided, settle
    const seen = runChecked(
      { seed: 20261122, speed: 60, rate: 600 },
      Date.UTC(2026, 10, 22, 18, 0, 0),
      240_000,
    );
    // (a held runner's whole market is requoted in one message, so the changes touch fewer market states)
    assert.ok(seen.states > 35_000, `market states checked: ${seen.states}`);
    assert.ok(seen.inPlayStates > 10_000, `in-play states: ${seen.inPlayStates}`);
    // favourites reach 1.01–1.02 only at the very end of play now (realistic-books.test.ts), yet often
    assert.ok(seen.nearCertain > 500, `states with a favourite at 1.01–1.02: ${seen.nearCertain}`);
    // a tight book, not one kept far from 100 %
    assert.ok(seen.minBackBook < 1.01, `lowest back book ${seen.minBackBook}`);
    assert.ok(seen.maxLayBook > 0.99, `highest lay book ${seen.maxLayBook}`);
  });

  test('another seed, faster, with a high change rate', () => {
    const seen = runChecked({ seed: 7, speed: 120, rate: 2000 }, Date.UTC(2026, 10, 23, 13, 30, 0), 120_000);
    assert.ok(seen.states > 50_000 && seen.nearCertain > 100, JSON.stringify(seen));
  });
});
