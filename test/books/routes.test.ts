import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp, TEST_PASSWORD } from '../helpers/app.js';
import type { SourceStatus } from '../../src/model/index.js';
import type { Source } from '../../src/sources/types.js';
import { arbUpdates, statusSource } from './arb-fixture.js';

/** A source that only reports a status with a quota (what /status shows of the odds API). */
const quotaSource: Source = {
  ...statusSource,
  status: (): SourceStatus => ({
    ...statusSource.status(),
    details: {
      quota: { monthlyQuota: 500, used: 13, remaining: 487, periodEndsAt: '2026-12-01T00:00:00.000Z' },
    },
  }),
};

describe('books routes: /event/:id/odds?view=, /arbs, Diamond best prices and quota', () => {
  let app: FastifyInstance;
  let id = 0;

  before(async () => {
    app = await makeTestApp({ sources: [quotaSource] });
    await feed(app, arbUpdates());
    id = app.readModel.findByUpstream('betfair', '3501')?.id ?? 0;
    assert.equal(app.readModel.findByUpstream('oddsapi', 'abc')?.id, id, 'one event for both sources');
  });
  after(async () => {
    await app.close();
  });

  test('the default /event/:id/odds is unchanged; view=best adds best prices with their books; view=all every book', async () => {
    const plain = (await app.inject({ url: `/api/v1/feed/event/${id}/odds` })).json() as {
      data: Record<string, unknown>;
    };
    assert.equal(plain.data.view, undefined);
    assert.equal(plain.data.best, undefined);
    const best = (await app.inject({ url: `/api/v1/feed/event/${id}/odds?view=best` })).json() as {
      data: {
        view: string;
        match_odds: unknown[];
        best: {
          market: string;
          back_overround: number;
          selections: {
            key: string;
            best_back: { odds: number; book: string };
            best_lay: { odds: number; book: string } | null;
          }[];
        }[];
      };
    };
    assert.equal(best.data.view, 'best');
    assert.equal(best.data.match_odds.length, 3, 'the default fields are still there');
    const mo = best.data.best.find((g) => g.market === 'MATCH_ODDS');
    assert.deepEqual(
      mo?.selections.map((s) => [s.key, s.best_back.odds, s.best_back.book, s.best_lay?.book ?? null]),
      [
        ['home', 2.1, 'oddsapi/pinnacle', 'betfair'],
        ['away', 4.4, 'oddsapi/bet365', 'betfair'],
        ['draw', 3.6, 'oddsapi/pinnacle', 'betfair'],
      ],
    );
    const all = (await app.inject({ url: `/api/v1/feed/event/${id}/odds?view=all` })).json() as {
      data: { books: { market: string; books: { book: string; stale: boolean }[] }[] };
    };
    assert.deepEqual(
      all.data.books[0]?.books.map((b) => [b.book, b.stale]),
      [
        ['betfair', false],
        ['oddsapi/pinnacle', false],
        ['oddsapi/bet365', false],
      ],
    );
    const bad = await app.inject({ url: `/api/v1/feed/event/${id}/odds?view=cheapest` });
    assert.equal(bad.statusCode, 400);
    assert.equal((bad.json() as { success: boolean }).success, false);
  });

  test('/arbs lists the arbitrage with its stake split for the chosen total, filtered by sport and edge', async () => {
    const res = await app.inject({ url: '/api/v1/feed/arbs?total=200' });
    assert.equal(res.statusCode, 200);
    const body = res.json() as {
      count: number;
      data: {
        internal_id: string;
        kind: string;
        edge_pct: number;
        profit: number;
        legs: { book: string; odds: number; stake: number }[];
      }[];
    };
    assert.equal(body.count, 1);
    const arb = body.data[0];
    assert.equal(arb?.internal_id, String(id));
    assert.equal(arb?.kind, 'back');
    assert.deepEqual(
      arb?.legs.map((l) => [l.book, l.odds, l.stake]),
      [
        ['oddsapi/pinnacle', 2.1, 97.06],
        ['oddsapi/bet365', 4.4, 46.32],
        ['oddsapi/pinnacle', 3.6, 56.62],
      ],
    );
    assert.equal(arb?.profit, 3.81);
    assert.equal(
      ((await app.inject({ url: '/api/v1/feed/arbs?min_edge=2' })).json() as { count: number }).count,
      0,
    );
    assert.equal(
      ((await app.inject({ url: '/api/v1/feed/arbs?sport=tennis' })).json() as { count: number }).count,
      0,
    );
    for (const q of ['min_edge=abc', 'min_edge=101', 'total=0', 'total=-5']) {
      assert.equal((await app.inject({ url: `/api/v1/feed/arbs?${q}` })).statusCode, 400, q);
    }
  });

  test('Diamond runners gain bestBack/bestLay across books and /status shows the odds API quota', async () => {
    const headers = { 'x-password': TEST_PASSWORD };
    const games = (await app.inject({ url: '/api/v2/diamond/games', headers })).json() as {
      data: {
        games: {
          gmid: string;
          sources: Record<string, string>;
          runners: {
            name: string;
            bestBack: { price: number; book: string } | null;
            bestLay: { price: number; book: string } | null;
          }[];
        }[];
      };
    };
    const game = games.data.games.find((g) => g.gmid === String(id));
    assert.deepEqual(game?.sources, { betfair: '3501', oddsapi: 'abc' });
    assert.deepEqual(
      game?.runners.map((x) => [x.name, x.bestBack?.price, x.bestBack?.book, x.bestLay?.price]),
      [
        ['Man Utd', 2.1, 'oddsapi/pinnacle', 2.04],
        ['Chelsea', 4.4, 'oddsapi/bet365', 4.4],
        ['The Draw', 3.6, 'oddsapi/pinnacle', 3.85],
      ],
    );
    const status = (await app.inject({ url: '/api/v2/diamond/status', headers })).json() as {
      data: { sources: { source: string; quota?: { remaining: number; used: number } }[] };
    };
    const odds = status.data.sources.find((s) => s.source === 'oddsapi');
    assert.deepEqual(odds?.quota, {
      monthlyQuota: 500,
      used: 13,
      remaining: 487,
      periodEndsAt: '2026-12-01T00:00:00.000Z',
    });
  });
});
