import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Event, Market, Runner } from '../../src/model/index.js';
import type { BookClock } from '../../src/books/freshness.js';
import { groupBooks } from '../../src/books/books.js';
import { comparableGroup, type ArbLimits } from '../../src/books/comparable.js';
import { eventArbCandidates, eventArbs, findArbs } from '../../src/books/scan.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { NOW, bookEvent, bookMarket, bookRunner, connectedClock } from './helpers.js';

/**
 * Arbitrage table: the false positives seen on the default start (bookmaker rates read as decimal odds,
 * fancy lines, ...) and others a careless comparison would list, next to real-looking arbitrages with
 * their edge and stake split. Every case runs through the same scan as /arbs and the arbs room.
 */

const LIMITS: ArbLimits = { maxEdge: 0.1, maxAgeMs: 60_000 };

const FOOTBALL = bookEvent(2000001, 1, 'Lyon', 'Reims');
const TENNIS = bookEvent(2000002, 2, 'Popyrin', 'Auger-Aliassime');
const CRICKET = bookEvent(2000003, 4, 'Australia', 'India');

/** A runner: [name, back, lay] (null: no price), 500 deep, with optional handicap and status. */
const r = (id: number, name: string, back: number | null, lay: number | null, extra: Partial<Runner> = {}) =>
  bookRunner(id, name, back, lay, 500, extra);
const mk = bookMarket;

/** Every source connected; polled books (oddsapi) stale after 120 s, streamed ones confirmed now. */
const clock = (): BookClock =>
  connectedClock(
    [
      ['betfair', 'betfair-stream'],
      ['imatchodds', 'site'],
      ['othersite', 'site'],
      ['oddsapi', 'http-poll'],
    ],
    NOW,
    { defaultSec: 15, bySource: { oddsapi: 120 } },
  );

/** [back, lay] of one runner; a missing lay is no lay price. */
type Px = [back: number, lay?: number];
/** Popyrin v Auger-Aliassime runners at these prices. */
const players = (popyrin: Px, auger: Px): Runner[] => [
  r(1, 'Popyrin', popyrin[0], popyrin[1] ?? null),
  r(2, 'Auger-Aliassime', auger[0], auger[1] ?? null),
];
/** A Popyrin v Auger-Aliassime market of `source`. */
const tennis = (id: string, source: string, popyrin: Px, auger: Px, extra: Partial<Market> = {}) =>
  mk(TENNIS, id, source, players(popyrin, auger), extra);
/** Lyon v Reims runners at these prices, the draw (named `drawName`) when priced. */
const lyonReims = (lyon: Px, reims: Px, draw?: Px, drawName = 'The Draw'): Runner[] => [
  r(1, 'Lyon', lyon[0], lyon[1] ?? null),
  r(2, 'Reims', reims[0], reims[1] ?? null),
  ...(draw ? [r(3, drawName, draw[0], draw[1] ?? null)] : []),
];

const bookmaker = (event: Event, id: string, source: string, runners: Runner[]) =>
  mk(event, id, source, runners, { type: 'BOOKMAKER', name: 'Bookmaker' });
const fancy = (id: string, name: string, no: number) =>
  mk(CRICKET, id, 'imatchodds', [r(1, name, no + 1, no)], {
    type: 'FANCY',
    name,
    numberOfWinners: null,
  });
const ah = (id: string, source: string, homeLine: number, home: number, awayLine: number, away: number) =>
  mk(
    FOOTBALL,
    id,
    source,
    [r(1, 'Lyon', home, null, { handicap: homeLine }), r(2, 'Reims', away, null, { handicap: awayLine })],
    { type: 'ASIAN_HANDICAP', name: 'Asian Handicap' },
  );

interface ArbExpect {
  kind: 'back' | 'lay';
  edgePct: number;
  /** [runner key, book, decimal odds, stake] per leg. */
  legs: [string, string, number, number][];
  profit: number;
}

interface Case {
  name: string;
  event: Event;
  markets: Market[];
  limits?: ArbLimits;
  /** The sound arbitrage /arbs lists, or null for none. */
  arb: ArbExpect | null;
  /** When set, the one suspect arbitrage found (kept out of /arbs), by its reason. */
  suspect?: RegExp;
}

const CASES: Case[] = [
  // ---- false positives ----
  {
    name: 'bookmaker rates read as decimal odds (the 6,069% "arbitrage" of the default start)',
    event: FOOTBALL,
    markets: [
      bookmaker(FOOTBALL, 'imatchodds:53024452', 'imatchodds', lyonReims([240, 242], [129, 131], [233, 235])),
    ],
    // in decimal (3.40 / 2.29 / 3.33) the backs sum to 1.03: no arbitrage; the book's own lays cross
    arb: null,
    suspect: /one book/,
  },
  {
    name: 'a rate-quoted bookmaker beside a decimal exchange: never one market',
    event: TENNIS,
    markets: [
      // read as decimal, the rates 85 / 95 would be "best" backs far above the exchange's 1.88 / 2.0
      tennis('1.10', 'betfair', [1.88, 1.95], [2.0, 2.1]),
      bookmaker(TENNIS, 'imatchodds:2', 'imatchodds', players([85, 97], [95, 107])),
    ],
    arb: null,
  },
  {
    name: 'fancy lines (runs: 57/56, 85/84, 157/156) are no odds and no multi-runner market',
    event: CRICKET,
    markets: [
      fancy('imatchodds:1', '6 over runs Australia', 56),
      fancy('imatchodds:2', '10 over runs Australia', 84),
      fancy('imatchodds:3', '20 over runs Australia', 156),
      fancy('imatchodds:4', 'Fall of 1st wkt Australia', 28),
      fancy('imatchodds:5', 'Australia boundaries', 21),
      mk(CRICKET, 'othersite:6', 'othersite', [r(1, '6 over runs Australia', 60, 59)], {
        type: 'FANCY',
        name: '6 over runs Australia',
        numberOfWinners: null,
      }),
    ],
    arb: null,
  },
  {
    name: 'different handicaps: -1.5 at one book, -0.5 at another',
    event: FOOTBALL,
    markets: [
      ah('betfair:ah1', 'betfair', -1.5, 2.5, 1.5, 1.6),
      ah('imatchodds:ah2', 'imatchodds', -0.5, 1.9, 0.5, 2.0),
    ],
    arb: null,
  },
  {
    name: 'a book whose runners sit on different lines (-1.5 and +0.5) in one market',
    event: FOOTBALL,
    markets: [
      ah('betfair:ah1', 'betfair', -1.5, 2.5, 1.5, 1.6),
      ah('imatchodds:ah3', 'imatchodds', -1.5, 2.4, 0.5, 1.75),
    ],
    arb: null,
  },
  {
    name: 'a suspended leg: the market with the price is suspended',
    event: TENNIS,
    markets: [
      tennis('1.20', 'betfair', [2.1, 2.2], [1.85, 1.9]),
      tennis('imatchodds:20', 'imatchodds', [1.85], [2.1], { status: 'SUSPENDED' }),
    ],
    arb: null,
  },
  {
    name: 'a suspended runner in an open market',
    event: TENNIS,
    markets: [
      tennis('1.21', 'betfair', [2.1, 2.2], [1.85, 1.9]),
      mk(TENNIS, 'imatchodds:21', 'imatchodds', [
        r(1, 'Popyrin', 1.85, null),
        r(2, 'Auger-Aliassime', 2.1, null, { status: 'SUSPENDED' }),
      ]),
    ],
    arb: null,
  },
  {
    name: 'a stale leg: 90 s old, within its TTL but older than ARB_MAX_AGE_MS',
    event: TENNIS,
    markets: [
      tennis('oddsapi:x:pinnacle:h2h', 'oddsapi', [2.1], [1.85]),
      tennis('oddsapi:x:bet365:h2h', 'oddsapi', [1.85], [2.1], { updatedAt: NOW - 90_000 }),
    ],
    arb: null,
  },
  {
    name: 'edge 880% (19.6 on both sides): suspect, never listed',
    event: TENNIS,
    markets: [
      tennis('1.30', 'betfair', [19.6, 20], [1.05, 1.06]),
      tennis('imatchodds:30', 'imatchodds', [1.05], [19.6]),
    ],
    arb: null,
    suspect: /edge 880\.00% above the ceiling of 10\.00%/,
  },
  {
    name: 'runners not one to one: a two-way book in a three-way market',
    event: FOOTBALL,
    markets: [
      mk(FOOTBALL, '1.40', 'betfair', lyonReims([2.0], [4.0], [3.4])),
      mk(FOOTBALL, 'imatchodds:40', 'imatchodds', lyonReims([2.15], [4.3])),
    ],
    arb: null,
  },
  {
    name: 'a closed event',
    event: { ...TENNIS, status: 'CLOSED' },
    markets: [tennis('1.50', 'betfair', [2.1], [1.85]), tennis('imatchodds:50', 'imatchodds', [1.85], [2.1])],
    arb: null,
  },
  {
    name: 'a market with several winners (to be placed)',
    event: TENNIS,
    markets: [
      tennis('1.60', 'betfair', [2.1], [1.85], { type: 'PLACE', numberOfWinners: 2 }),
      tennis('imatchodds:60', 'imatchodds', [1.85], [2.1], { type: 'PLACE', numberOfWinners: 2 }),
    ],
    arb: null,
  },
  {
    name: "one book's own crossing lays (0.2% seen on the default start): suspect",
    event: TENNIS,
    markets: [tennis('imatchodds:70', 'imatchodds', [3.63, 3.68], [1.36, 1.37])],
    arb: null,
    suspect: /one book/,
  },
  // ---- real-looking arbitrages ----
  {
    name: 'two-way 2.10 / 2.10 across two books: 5%, 50 / 50',
    event: TENNIS,
    markets: [
      tennis('1.80', 'betfair', [2.1, 2.14], [1.85, 1.88]),
      tennis('imatchodds:80', 'imatchodds', [1.85], [2.1]),
    ],
    arb: {
      kind: 'back',
      edgePct: 5,
      legs: [
        ['home', 'betfair', 2.1, 50],
        ['away', 'imatchodds', 2.1, 50],
      ],
      profit: 5,
    },
  },
  {
    name: 'three-way 1.47% across three books',
    event: FOOTBALL,
    markets: [
      mk(FOOTBALL, '1.90', 'betfair', lyonReims([2.5], [3.0], [3.4])),
      mk(FOOTBALL, 'oddsapi:y:pinnacle:h2h', 'oddsapi', lyonReims([2.3], [3.25], [3.3], 'Draw')),
      mk(FOOTBALL, 'imatchodds:90', 'imatchodds', lyonReims([2.4], [3.1], [3.6])),
    ],
    arb: {
      kind: 'back',
      edgePct: 1.4744,
      legs: [
        ['home', 'betfair', 2.5, 40.59],
        ['away', 'oddsapi/pinnacle', 3.25, 31.22],
        ['draw', 'imatchodds', 3.6, 28.19],
      ],
      profit: 1.47,
    },
  },
  {
    name: 'bookmaker rates across two sites (110 = 2.10): 5% in decimal odds',
    event: TENNIS,
    markets: [
      bookmaker(TENNIS, 'imatchodds:100', 'imatchodds', players([110, 113], [85, 113])),
      bookmaker(TENNIS, 'othersite:100', 'othersite', players([85, 113], [110, 113])),
    ],
    arb: {
      kind: 'back',
      edgePct: 5,
      legs: [
        ['home', 'imatchodds', 2.1, 50],
        ['away', 'othersite', 2.1, 50],
      ],
      profit: 5,
    },
  },
  {
    name: 'a lay arbitrage: 1.90 / 1.90 lays across two books, 5%',
    event: TENNIS,
    markets: [
      tennis('1.110', 'betfair', [1.85, 1.9], [2.0, 2.06]),
      tennis('imatchodds:110', 'imatchodds', [2.0, 2.06], [1.85, 1.9]),
    ],
    arb: {
      kind: 'lay',
      edgePct: 5,
      legs: [
        ['home', 'betfair', 1.9, 50],
        ['away', 'imatchodds', 1.9, 50],
      ],
      profit: 5,
    },
  },
  {
    name: 'the 90 s old leg counts when ARB_MAX_AGE_MS allows it',
    event: TENNIS,
    limits: { maxEdge: 0.1, maxAgeMs: 100_000 },
    markets: [
      tennis('oddsapi:x:pinnacle:h2h', 'oddsapi', [2.1], [1.85]),
      tennis('oddsapi:x:bet365:h2h', 'oddsapi', [1.85], [2.1], { updatedAt: NOW - 90_000 }),
    ],
    arb: {
      kind: 'back',
      edgePct: 5,
      legs: [
        ['home', 'oddsapi/pinnacle', 2.1, 50],
        ['away', 'oddsapi/bet365', 2.1, 50],
      ],
      profit: 5,
    },
  },
];

describe('arbitrage table: false positives are never listed, real ones are with the right split', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const limits = c.limits ?? LIMITS;
      const all = eventArbCandidates(c.event, c.markets, clock(), 100, limits);
      const sound = eventArbs(c.event, c.markets, clock(), 100, limits);
      const listed = findArbs([c.event], () => c.markets, clock(), { total: 100, minEdgePct: 0, limits });
      assert.deepEqual(
        listed.map((a) => a.id),
        sound.map((a) => a.id),
        '/arbs lists what the arbs room gets',
      );
      if (c.arb === null) assert.deepEqual(sound, [], `no arbitrage, got ${JSON.stringify(sound)}`);
      else {
        assert.equal(sound.length, 1, `one arbitrage, got ${JSON.stringify(all)}`);
        const a = sound[0]!;
        assert.equal(a.kind, c.arb.kind);
        assert.equal(a.suspect, null);
        assert.ok(Math.abs(a.edgePct - c.arb.edgePct) < 1e-3, `edge ${a.edgePct}`);
        assert.deepEqual(
          a.legs.map((l) => [l.runner, l.book, l.price, l.stake]),
          c.arb.legs,
        );
        assert.equal(a.profit, c.arb.profit);
        assert.ok(a.profit > 0);
      }
      const suspects = all.filter((a) => a.suspect !== null);
      if (c.suspect) {
        assert.equal(suspects.length, 1, JSON.stringify(all));
        assert.match(suspects[0]!.suspect ?? '', c.suspect);
        const listedSuspect = findArbs([c.event], () => c.markets, clock(), {
          total: 100,
          minEdgePct: 0,
          limits,
          suspect: true,
        });
        assert.deepEqual(
          listedSuspect.map((a) => a.id),
          [suspects[0]!.id],
          '?suspect=1 lists it',
        );
      } else assert.deepEqual(suspects, [], 'nothing suspect either');
    });
  }

  test('a bookmaker leg keeps its quoted rate beside the decimal odds', () => {
    const c = CASES.find((x) => x.name.startsWith('bookmaker rates across two sites'))!;
    const [a] = eventArbs(c.event, c.markets, clock(), 100, LIMITS);
    assert.deepEqual(
      a?.legs.map((l) => [l.price, l.rate]),
      [
        [2.1, 110],
        [2.1, 110],
      ],
    );
  });

  test('refusals say why: fancy, a stale leg, a book on another line, a two-way book in a three-way market', () => {
    const reasons = (c: Case) =>
      groupBooks(c.event, c.markets).map((g) => {
        const v = comparableGroup(c.event, g, clock(), c.limits ?? LIMITS);
        return v.ok ? v.refused.map((x) => `${x.book}: ${x.reason}`).join('; ') : v.reason;
      });
    const byName = (prefix: string) => CASES.find((x) => x.name.startsWith(prefix))!;
    assert.ok(reasons(byName('fancy lines')).every((x) => /fancy/.test(x)));
    assert.match(
      reasons(byName('a stale leg')).join(),
      /oddsapi\/bet365: prices 90000 ms old \(limit 60000 ms\)/,
    );
    assert.match(reasons(byName('a book whose runners')).join(), /imatchodds: runner lines differ/);
    assert.match(
      reasons(byName('runners not one to one')).join(),
      /imatchodds: runners \[home, away\] do not map/,
    );
    assert.match(reasons(byName('a suspended leg')).join(), /imatchodds: market suspended/);
  });

  test('fancy markets keep their numbers: "6 over runs" and "20 over runs" are two markets, never one', () => {
    const c = CASES.find((x) => x.name.startsWith('fancy lines'))!;
    const groups = groupBooks(c.event, c.markets);
    assert.deepEqual(
      groups.map((g) => [g.key, g.books.map((b) => b.market.id), g.outcomes.length]),
      [
        ['FANCY:6 over runs australia', ['imatchodds:1', 'othersite:6'], 1],
        ['FANCY:10 over runs australia', ['imatchodds:2'], 1],
        ['FANCY:20 over runs australia', ['imatchodds:3'], 1],
        ['FANCY:fall of 1st wkt australia', ['imatchodds:4'], 1],
        ['FANCY:australia boundaries', ['imatchodds:5'], 1],
      ],
    );
  });
});

describe('arbitrage limits from configuration', () => {
  test('ARB_MAX_EDGE and ARB_MAX_AGE_MS: defaults 10% and 60 s, set from env, bad values named', () => {
    const d = loadConfig({ env: {}, configDir: null });
    assert.equal(d.books.arbMaxEdge, 0.1);
    assert.equal(d.books.arbMaxAgeMs, 60_000);
    const c = loadConfig({ env: { ARB_MAX_EDGE: '0.05', ARB_MAX_AGE_MS: '30000' }, configDir: null });
    assert.equal(c.books.arbMaxEdge, 0.05);
    assert.equal(c.books.arbMaxAgeMs, 30_000);
    for (const v of ['-1', '0', 'abc', '11']) {
      assert.throws(
        () => loadConfig({ env: { ARB_MAX_EDGE: v }, configDir: null }),
        (err: unknown) =>
          err instanceof ConfigError && /books\.arbMaxEdge \(ARB_MAX_EDGE\)/.test(err.message),
        v,
      );
    }
    assert.throws(
      () => loadConfig({ env: { ARB_MAX_AGE_MS: '5' }, configDir: null }),
      (err: unknown) =>
        err instanceof ConfigError && /books\.arbMaxAgeMs \(ARB_MAX_AGE_MS\)/.test(err.message),
    );
  });
});
