import { afterEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { matchOdds, runner } from '../../helpers/fixtures.js';
import type { SourceUpdate } from '../../../src/model/index.js';
import { freshnessContext } from '../../../src/contracts/porqpine/freshness.js';
import { oddsData } from '../../../src/http/routes/feed/event-odds.js';
import { CRICKET, FakeSource, FOOTBALL, richUpdates } from './fixtures.js';

/**
 * Bodies served as bytes rendered once per data version (lists, /event/:id/odds, Diamond lists): they must
 * stay exactly what a rendering made at the time of the request would be — new data, new stale flags, a
 * truthful envelope timestamp.
 */

const API = '/api/v1/feed';

async function appWith(sources: FakeSource[] = []): Promise<FastifyInstance> {
  const app = await makeTestApp({ sources });
  await feed(app, richUpdates());
  return app;
}

function cricketPrice(back: number, lay: number): SourceUpdate {
  return {
    kind: 'market',
    source: 'betfair',
    upstreamEventId: CRICKET.bfi,
    market: matchOdds(
      CRICKET.marketId,
      [runner(301, 'England W', back, lay), runner(302, 'New Zealand W', 2.06, 2.08)],
      { source: 'betfair', inPlay: true },
    ),
  };
}

function footballPrice(back: number, lay: number): SourceUpdate {
  const [first, ...rest] = FOOTBALL.runners;
  assert.ok(first);
  return {
    kind: 'market',
    source: 'betfair',
    upstreamEventId: FOOTBALL.bfi,
    market: matchOdds(FOOTBALL.marketId, [runner(first.selectionId, first.name, back, lay), ...rest], {
      source: 'betfair',
      inPlay: true,
    }),
  };
}

/** /event/:id/odds rendered now, uncached, from the app's current state and its sources' statuses. */
function renderedNow(app: FastifyInstance, asked: string): string {
  const e = app.readModel.findEvent(asked);
  assert.ok(e, asked);
  const ctx = freshnessContext(app.sources.statuses(), app.readModel.lastChangeAt, Date.now());
  return JSON.stringify({ success: true, data: oddsData(e, asked, app.readModel.marketsOf(e.id), ctx) });
}

type Odds = {
  data: {
    event_id: string;
    source: string;
    stale: boolean;
    match_odds: { stale: boolean; selections: { back: { odds: number }[] }[] }[];
  };
};

describe('pre-rendered REST bodies stay exact', () => {
  afterEach(() => mock.timers.reset());

  test('/event/:id/odds: the same bytes until the event changes, its new prices right after', async () => {
    // Both sources connected: the stale flags do not move, only the data can change the body.
    const app = await appWith([new FakeSource('betfair'), new FakeSource('browser')]);
    const url = `${API}/event/${CRICKET.bfi}/odds`;
    const first = await app.inject({ url });
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(first.headers['cache-control'], 'public, max-age=5');
    assert.equal(first.headers['access-control-allow-origin'], '*');
    assert.equal(first.body, renderedNow(app, CRICKET.bfi));
    assert.equal((await app.inject({ url })).body, first.body);

    await feed(app, [footballPrice(2.2, 2.24)]);
    assert.equal((await app.inject({ url })).body, first.body, 'another event changed, not this one');

    await feed(app, [cricketPrice(1.61, 1.63)]);
    const moved = await app.inject({ url });
    assert.notEqual(moved.body, first.body);
    assert.equal(moved.body, renderedNow(app, CRICKET.bfi));
    const backs = moved.json<Odds>().data.match_odds[0]?.selections[0]?.back.map((l) => l.odds);
    assert.equal(backs?.[0], 1.61);
    await app.close();
  });

  test('/event/:id/odds answers with the id it was asked by (internal id or bfi)', async () => {
    const app = await appWith();
    const e = app.readModel.findEvent(CRICKET.bfi);
    assert.ok(e);
    for (const asked of [CRICKET.bfi, String(e.id), CRICKET.bfi, String(e.id)]) {
      const res = await app.inject({ url: `${API}/event/${asked}/odds` });
      assert.equal(res.json<Odds>().data.event_id, asked);
      assert.equal(res.body, renderedNow(app, asked));
    }
    await app.close();
  });

  test('stale flags follow the source and the clock, never the cache', async () => {
    const source = new FakeSource('betfair');
    const app = await appWith([source]);
    const url = `${API}/event/${FOOTBALL.bfi}/odds`;
    const t0 = Date.now();
    const served = async () => {
      const res = await app.inject({ url });
      assert.equal(res.body, renderedNow(app, FOOTBALL.bfi), `served = rendered now (${Date.now() - t0} ms)`);
      return res.json<Odds>().data;
    };
    mock.timers.enable({ apis: ['Date'], now: t0 + 60_000 });
    source.lastUpdateAt = t0 + 58_000;
    assert.equal((await served()).source, 'live', 'the stream is up: quiet markets are confirmed');
    assert.equal((await served()).source, 'live');

    source.healthy = false; // last confirmed 2 s ago: still within the 5 s TTL
    assert.equal((await served()).stale, false);
    mock.timers.setTime(t0 + 63_000);
    assert.equal((await served()).stale, false, '5 s after the last confirmation: still fresh');
    mock.timers.setTime(t0 + 63_001);
    const late = await served();
    assert.equal(late.stale, true, 'past the TTL with no data change: the cached body must not stay fresh');
    assert.equal(late.source, 'stale');
    assert.ok(late.match_odds.every((m) => m.stale));

    source.healthy = true;
    assert.equal((await served()).source, 'live', 'the source confirms its data again');
    source.healthy = false;
    source.lastUpdateAt = t0 + 10_000;
    assert.equal(
      (await served()).source,
      'stale',
      'a source that drops is stale at once when its data is old',
    );
    await app.close();
  });

  test('lists: stale flags and the ETag move with time even when the data does not', async () => {
    const source = new FakeSource('betfair');
    const app = await appWith([source]);
    const t0 = Date.now();
    source.healthy = false;
    source.lastUpdateAt = t0;
    mock.timers.enable({ apis: ['Date'], now: t0 + 10_000 });
    const fresh = await app.inject({ url: `${API}/events` });
    const list = fresh.json<{ data: { stale: boolean }[] }>().data;
    assert.ok(list.length > 0 && list.every((e) => !e.stale));
    const etag = String(fresh.headers.etag);
    const cached = await app.inject({ url: `${API}/events`, headers: { 'if-none-match': etag } });
    assert.equal(cached.statusCode, 304);

    mock.timers.setTime(t0 + 31_000);
    const old = await app.inject({ url: `${API}/events`, headers: { 'if-none-match': etag } });
    assert.equal(old.statusCode, 200, 'the client copy says fresh: it is not current any more');
    assert.notEqual(old.headers.etag, etag);
    assert.ok(old.json<{ data: { stale: boolean }[] }>().data.every((e) => e.stale));

    source.healthy = true;
    const back = await app.inject({ url: `${API}/events` });
    assert.ok(back.json<{ data: { stale: boolean }[] }>().data.every((e) => !e.stale));
    assert.equal(back.headers.etag, etag, 'the same content has the same ETag');
    await app.close();
  });

  test('Diamond lists: bytes built once per data version, timestamp = when they were built', async () => {
    const app = await appWith();
    const get = (url: string) =>
      app.inject({ url: `/api/v2/diamond${url}`, headers: { 'x-password': TEST_PASSWORD } });
    const tFed = Date.now();
    await feed(app, [cricketPrice(1.71, 1.73)]);
    for (const url of ['/games', '/highlights', '/sports']) {
      const before = Date.now();
      const a = await get(url);
      assert.equal(a.statusCode, 200, url);
      assert.equal(a.headers['content-type'], 'application/json; charset=utf-8');
      const ts = Date.parse(a.json<{ timestamp: string }>().timestamp);
      assert.ok(
        ts >= tFed && ts >= before - 1000 && ts <= Date.now(),
        `${url}: built after the data it holds`,
      );
      assert.equal((await get(url)).body, a.body, `${url}: unchanged data, same bytes and timestamp`);
    }
    const games = async () =>
      (await get('/games')).json<{
        timestamp: string;
        data: { games: { title: string; runners: { back: { price: number }[] }[] }[] };
      }>();
    const g1 = await games();
    await new Promise((r) => setTimeout(r, 5));
    const tMove = Date.now();
    await feed(app, [cricketPrice(1.81, 1.83)]);
    const g2 = await games();
    assert.ok(Date.parse(g2.timestamp) >= tMove, 'rebuilt after the change, stamped when rebuilt');
    assert.ok(Date.parse(g2.timestamp) > Date.parse(g1.timestamp));
    const cricket = g2.data.games.find((g) => g.title === CRICKET.name);
    assert.equal(cricket?.runners[0]?.back[0]?.price, 1.81);
    await app.close();
  });
});
