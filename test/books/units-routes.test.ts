import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp, TEST_PASSWORD } from '../helpers/app.js';
import type { Runner, SourceMarket, SourceUpdate } from '../../src/model/index.js';
import { matchOdds } from '../helpers/fixtures.js';
import { decimalOdds } from '../../src/books/price.js';
import { bookRunner } from './helpers.js';

/**
 * What traders see of rate (bookmaker) and line (fancy) markets and of suspended ones: best prices in
 * decimal odds with the quoted rate beside, fancy lines never among best prices or arbitrages, suspended
 * markets shown suspended and never as a best price; Diamond keeps a bookmaker headline in rates.
 */

const KICK_OFF = new Date(Date.now() + 3 * 3600_000).toISOString();

/** A runner with one price each side (null: none), 500,000 deep. */
const r = (id: number, name: string, back: number | null, lay: number | null, extra: Partial<Runner> = {}) =>
  bookRunner(id, name, back, lay, 500_000, extra);

const site = (gmid: string, market: SourceMarket): SourceUpdate => ({
  kind: 'market',
  source: 'imatchodds',
  upstreamEventId: gmid,
  market: { ...market, source: 'imatchodds' },
});
const fancy = (id: string, name: string, no: number): SourceMarket =>
  matchOdds(id, [r(1, name, no + 1, no)], {
    type: 'FANCY',
    name,
    numberOfWinners: null,
    startTime: KICK_OFF,
  });

const UPDATES: SourceUpdate[] = [
  {
    kind: 'event',
    source: 'imatchodds',
    upstreamEventId: '700',
    event: { sportId: 4, name: 'Australia v India', startTime: KICK_OFF },
  },
  // the rates the default start read as decimal odds ("arbitrage" of thousands of percent)
  site(
    '700',
    matchOdds('imatchodds:7001', [r(1, 'Australia', 240, 242), r(2, 'India', 45, 47)], {
      type: 'BOOKMAKER',
      name: 'Bookmaker',
      startTime: KICK_OFF,
    }),
  ),
  site('700', fancy('imatchodds:70001', '6 over runs Australia', 56)),
  site('700', fancy('imatchodds:70003', '20 over runs Australia', 156)),
  site(
    '700',
    matchOdds('imatchodds:7002', [r(1, 'Australia', 3.3, 3.4), r(2, 'India', 1.4, 1.42)], {
      status: 'SUSPENDED',
      startTime: KICK_OFF,
    }),
  ),
  // an event whose only market is a bookmaker one: its Diamond headline
  {
    kind: 'event',
    source: 'imatchodds',
    upstreamEventId: '800',
    event: { sportId: 1, name: 'Lyon v Reims', startTime: KICK_OFF },
  },
  site(
    '800',
    matchOdds(
      'imatchodds:8001',
      [r(1, 'Lyon', 123, 125), r(2, 'Reims', 129, 131), r(3, 'The Draw', 233, 235)],
      {
        type: 'BOOKMAKER',
        name: 'Bookmaker',
        startTime: KICK_OFF,
      },
    ),
  ),
  // an open market with one suspended runner
  {
    kind: 'event',
    source: 'imatchodds',
    upstreamEventId: '900',
    event: { sportId: 2, name: 'Ruud v Sinner', startTime: KICK_OFF },
  },
  site(
    '900',
    matchOdds(
      'imatchodds:9001',
      [r(1, 'Ruud', 3.1, 3.2), r(2, 'Sinner', 1.4, 1.42, { status: 'SUSPENDED' })],
      {
        startTime: KICK_OFF,
      },
    ),
  ),
];

type Best = {
  market: string;
  type: string;
  status: string;
  books: string[];
  suspended_books: string[];
  back_overround: number | null;
  selections: {
    name: string;
    suspended: boolean;
    best_back: { odds: number; rate?: number; book: string } | null;
    best_lay: { odds: number; rate?: number } | null;
  }[];
};

describe('rate and line markets, suspended markets: what the best view, /arbs and Diamond show', () => {
  let app: FastifyInstance;
  let cricket = 0;

  before(async () => {
    app = await makeTestApp();
    await feed(app, UPDATES);
    cricket = app.readModel.findByUpstream('imatchodds', '700')?.id ?? 0;
    assert.ok(cricket > 0);
  });
  after(async () => {
    await app.close();
  });

  test('rate → decimal is rate / 100 + 1 on both sides; fancy lines have no odds', () => {
    assert.equal(decimalOdds(123, { type: 'BOOKMAKER' }), 2.23);
    assert.equal(decimalOdds(85, { type: 'BOOKMAKER' }), 1.85);
    assert.equal(decimalOdds(2.23, { type: 'MATCH_ODDS' }), 2.23);
    assert.equal(decimalOdds(57, { type: 'FANCY' }), null);
    assert.equal(decimalOdds(0, { type: 'BOOKMAKER' }), null);
  });

  test('view=best: bookmaker in decimal with its rate, no fancy, a suspended market suspended with no best price', async () => {
    const res = await app.inject({ url: `/api/v1/feed/event/${cricket}/odds?view=best` });
    assert.equal(res.statusCode, 200);
    const best = (res.json() as { data: { best: Best[] } }).data.best;
    assert.deepEqual(
      best.map((b) => [b.market, b.status]),
      [
        ['BOOKMAKER', 'OPEN'],
        ['MATCH_ODDS', 'SUSPENDED'],
      ],
      'fancy lines are no best prices',
    );
    const bm = best[0]!;
    assert.deepEqual(
      bm.selections.map((s) => [
        s.name,
        s.best_back?.odds,
        s.best_back?.rate,
        s.best_lay?.odds,
        s.best_lay?.rate,
      ]),
      [
        ['Australia', 3.4, 240, 3.42, 242],
        ['India', 1.45, 45, 1.47, 47],
      ],
    );
    assert.ok(Math.abs((bm.back_overround ?? 0) - (1 / 3.4 + 1 / 1.45)) < 1e-9);
    const mo = best[1]!;
    assert.deepEqual(mo.books, []);
    assert.deepEqual(mo.suspended_books, ['imatchodds']);
    assert.ok(mo.selections.every((s) => s.best_back === null && s.best_lay === null && s.suspended));
    assert.ok(bm.selections.every((s) => !s.suspended));
  });

  test('view=best: a suspended runner of an open market is suspended, with no best price', async () => {
    const tennis = app.readModel.findByUpstream('imatchodds', '900')?.id ?? 0;
    const res = await app.inject({ url: `/api/v1/feed/event/${tennis}/odds?view=best` });
    const [mo] = (res.json() as { data: { best: Best[] } }).data.best;
    assert.equal(mo?.status, 'OPEN');
    assert.deepEqual(
      mo?.selections.map((s) => [s.name, s.suspended, s.best_back?.odds ?? null, s.best_lay?.odds ?? null]),
      [
        ['Ruud', false, 3.1, 3.2],
        ['Sinner', true, null, null],
      ],
    );
    assert.equal(mo?.back_overround, null, 'no overround while a runner is suspended');
  });

  test('the default odds keep the rates and lines as the contract shows them, suspended status included', async () => {
    const d = (
      (await app.inject({ url: `/api/v1/feed/event/${cricket}/odds` })).json() as {
        data: {
          bookmaker: { selections: { back: { odds: number }[] }[] }[];
          fancy: { market_name: string; selections: { back: { odds: number }[] }[] }[];
          match_odds: { status: string }[];
        };
      }
    ).data;
    assert.equal(d.bookmaker[0]?.selections[0]?.back[0]?.odds, 240);
    assert.deepEqual(
      d.fancy.map((m) => [m.market_name, m.selections[0]?.back[0]?.odds]),
      [
        ['6 over runs Australia', 57],
        ['20 over runs Australia', 157],
      ],
    );
    assert.equal(d.match_odds[0]?.status, 'SUSPENDED');
  });

  test('/arbs lists none of these; ?suspect=1 shows the one-book crossing for operators; a bad suspect is 400', async () => {
    const arbs = (await app.inject({ url: '/api/v1/feed/arbs' })).json() as { count: number };
    assert.equal(arbs.count, 0);
    const res = await app.inject({ url: '/api/v1/feed/arbs?suspect=1' });
    assert.equal(res.statusCode, 200);
    const suspect = res.json() as {
      suspect: boolean;
      data: {
        internal_id: string;
        market: string;
        kind: string;
        suspect: string;
        legs: { odds: number; rate?: number }[];
      }[];
    };
    assert.equal(suspect.suspect, true);
    // Australia 3.40 + India 1.45 back at one book sum under 1: its own prices cross
    assert.deepEqual(
      suspect.data
        .filter((a) => a.internal_id === String(cricket))
        .map((a) => [a.market, a.kind, a.legs.map((l) => [l.odds, l.rate])]),
      [
        [
          'BOOKMAKER',
          'back',
          [
            [3.4, 240],
            [1.45, 45],
          ],
        ],
      ],
    );
    assert.ok(suspect.data.every((a) => a.market !== 'FANCY' && !a.market.startsWith('FANCY:')));
    assert.ok(suspect.data.every((a) => /one book|ceiling/.test(a.suspect)));
    assert.ok(
      suspect.data.every((a) => a.legs.every((l) => l.odds < 100)),
      'legs in decimal odds',
    );
    for (const q of ['suspect=2', 'suspect=yes']) {
      const bad = await app.inject({ url: `/api/v1/feed/arbs?${q}` });
      assert.equal(bad.statusCode, 400, q);
      assert.equal((bad.json() as { success: boolean }).success, false);
    }
  });

  test('Diamond: a bookmaker headline shows its best prices as rates, as its runners do', async () => {
    const games = (
      await app.inject({ url: '/api/v2/diamond/games', headers: { 'x-password': TEST_PASSWORD } })
    ).json() as {
      data: { games: { title: string; runners: { name: string; bestBack: { price: number } | null }[] }[] };
    };
    const game = games.data.games.find((g) => g.title === 'Lyon v Reims');
    assert.deepEqual(
      game?.runners.map((x) => [x.name, x.bestBack?.price]),
      [
        ['Lyon', 123],
        ['Reims', 129],
        ['The Draw', 233],
      ],
    );
  });
});

describe('ARB_MAX_EDGE reaches /arbs', () => {
  test('with a 3% ceiling a 5% arbitrage across two books is suspect, not listed', async () => {
    const app = await makeTestApp({ env: { ARB_MAX_EDGE: '0.03' } });
    try {
      const book = (source: string, home: number, away: number): SourceUpdate[] => [
        {
          kind: 'event',
          source,
          upstreamEventId: 't1',
          event: { sportId: 2, name: 'Ruud v Sinner', startTime: KICK_OFF },
        },
        {
          kind: 'market',
          source,
          upstreamEventId: 't1',
          market: matchOdds(`${source}:t1`, [r(1, 'Ruud', home, null), r(2, 'Sinner', away, null)], {
            source,
            startTime: KICK_OFF,
          }),
        },
      ];
      await feed(app, [...book('betfair', 2.1, 1.85), ...book('imatchodds', 1.85, 2.1)]);
      const listed = (await app.inject({ url: '/api/v1/feed/arbs' })).json() as { count: number };
      assert.equal(listed.count, 0);
      const suspect = (await app.inject({ url: '/api/v1/feed/arbs?suspect=1' })).json() as {
        data: { edge_pct: number; suspect: string }[];
      };
      assert.equal(suspect.data.length, 1);
      assert.match(suspect.data[0]?.suspect ?? '', /edge 5\.00% above the ceiling of 3\.00%/);
    } finally {
      await app.close();
    }
  });
});
