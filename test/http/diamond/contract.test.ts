import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { sampleUpdates } from '../../helpers/fixtures.js';
import { assertLadder, assertShape } from './shape.js';
import {
  SEED_DETAIL_FULL,
  SEED_GAME,
  SEED_GAME_DATA,
  SEED_GAMES,
  SEED_HIGHLIGHTS,
  SEED_LIVE_TV,
  SEED_MARKETS,
  SEED_NOT_FOUND,
  SEED_SCORECARD,
  SEED_SPORTS,
  SEED_STATUS,
  withoutRaw,
} from './seed-examples.js';
import { CRICKET, cricketExtras, SCORE_URL, STREAM_URL } from './fixtures.js';

interface Game {
  gmid: string;
  etid: number;
  title: string;
  runners: { back: unknown; lay: unknown; status: string }[];
}

describe('Diamond contract shapes (seed 000 §3, §4)', () => {
  let app: FastifyInstance;
  let cricketGmid = '';

  const get = async (url: string) => {
    const res = await app.inject({ url: `/api/v2/diamond${url}`, headers: { 'x-password': TEST_PASSWORD } });
    return {
      status: res.statusCode,
      type: res.headers['content-type'],
      body: res.json() as Record<string, unknown>,
    };
  };

  before(async () => {
    app = await makeTestApp();
    await feed(app, [...sampleUpdates(), ...cricketExtras()]);
    cricketGmid = String(app.readModel.findEvent(CRICKET.bfi)!.id);
  });
  after(() => app.close());

  const assertEnvelope = (body: { timestamp?: unknown }) => {
    assert.equal(typeof body.timestamp, 'string');
    assert.equal(new Date(body.timestamp as string).toISOString(), body.timestamp, 'timestamp is ISO 8601');
  };

  test('/sports: ids are strings, counts numbers, one entry per sport with events', async () => {
    const { status, type, body } = await get('/sports');
    assert.equal(status, 200);
    assert.equal(type, 'application/json; charset=utf-8');
    assertShape(body, SEED_SPORTS);
    assertEnvelope(body);
    const sports = (body.data as { sports: { id: string; name: string; eventCount: number }[] }).sports;
    assert.deepEqual(sports.map((s) => [s.id, s.name, s.eventCount]).sort(), [
      ['1', 'Football', 1],
      ['2', 'Tennis', 1],
      ['26', 'Horse Racing', 1],
      ['3', 'Cricket', 1],
    ]);
    assert.equal((body.data as { count: number }).count, 4);
  });

  test('/games: every game has the seed game shape with numeric best-first ladders', async () => {
    const { status, body } = await get('/games');
    assert.equal(status, 200);
    assertShape(body, withoutRaw(SEED_GAMES));
    assertEnvelope(body);
    const games = (body.data as { games: Game[] }).games;
    assert.equal(games.length, 4);
    for (const g of games) {
      assert.match(g.gmid, /^\d+$/);
      assert.equal(typeof g.etid, 'number');
      assert.ok(g.runners.length > 0);
      for (const r of g.runners) {
        assertLadder(r.back, 'back', `${g.title}.back`);
        assertLadder(r.lay, 'lay', `${g.title}.lay`);
        assert.equal(r.status, 'Normal');
      }
    }
  });

  test('/games cricket game carries the seed values: flags, league, teams, In-Play, score iframe', async () => {
    const { body } = await get('/games?sport_id=3');
    const g = (body.data as { games: Record<string, unknown>[] }).games[0]!;
    assert.deepEqual(
      {
        gmid: g.gmid,
        etid: g.etid,
        sportName: g.sportName,
        title: g.title,
        league: g.league,
        team1: g.team1,
        team2: g.team2,
        status: g.status,
        matchDate: g.matchDate,
        isLive: g.isLive,
        isFancy: g.isFancy,
        isBookMaker: g.isBookMaker,
        marketName: g.marketName,
        _source: g._source,
        bfi: g.bfi,
      },
      {
        gmid: cricketGmid,
        etid: 3,
        sportName: 'Cricket',
        title: 'England W v New Zealand W',
        league: 'Womens One Day Cup',
        team1: 'England W',
        team2: 'New Zealand W',
        status: 'IN_PLAY',
        matchDate: 'In-Play',
        isLive: true,
        isFancy: true,
        isBookMaker: true,
        marketName: 'Match Odds',
        _source: 'betfair',
        bfi: CRICKET.bfi,
      },
    );
    assert.equal(g.videoURL, `<iframe style='height: 230px; width: 100%;' src='${SCORE_URL}'></iframe>`);
    const runners = g.runners as { name: string; back: unknown[]; marketName: string }[];
    assert.deepEqual(
      runners.map((r) => [r.name, r.marketName, r.back[0]]),
      [
        ['England W', 'Match Odds', { price: 1.93, size: 120 }],
        ['New Zealand W', 'Match Odds', { price: 2.06, size: 120 }],
      ],
    );
    assert.equal('_rawMarkets' in g, false, 'the upstream markets are opt-in (?raw=1)');
  });

  test("?raw=1 adds every game's _rawMarkets (the full seed game shape); default bodies are smaller", async () => {
    const plain = await app.inject({
      url: '/api/v2/diamond/games',
      headers: { 'x-password': TEST_PASSWORD },
    });
    for (const q of ['raw=1', 'raw=true', 'raw=yes']) {
      const { status, body } = await get(`/games?sport_id=3&${q}`);
      assert.equal(status, 200, q);
      assertShape(body, SEED_GAMES);
      const g = (body.data as { games: Record<string, unknown>[] }).games[0]!;
      assert.equal((g._rawMarkets as unknown[]).length, 4, 'all four markets of the event');
    }
    const raw = await app.inject({
      url: '/api/v2/diamond/games?raw=1',
      headers: { 'x-password': TEST_PASSWORD },
    });
    assert.ok(plain.body.length < raw.body.length / 2, `${plain.body.length} vs ${raw.body.length} bytes`);
    const off = await get('/games?raw=0');
    assert.equal(
      (off.body.data as { games: Record<string, unknown>[] }).games.some((g) => '_rawMarkets' in g),
      false,
    );
    const hl = await get('/highlights?raw=1');
    const d = hl.body.data as { inplay: Record<string, unknown>[]; upcoming: Record<string, unknown>[] };
    for (const g of [...d.inplay, ...d.upcoming]) assertShape(g, SEED_GAME);
    for (const path of [`/games/${cricketGmid}?raw=1`, `/games/${cricketGmid}/detail?raw=1&full=1`]) {
      const one = await get(path);
      assert.equal(one.status, 200, path);
      const game = (one.body.data as { game: Record<string, unknown> }).game;
      assert.equal((game._rawMarkets as unknown[]).length, 4, path);
    }
    const found = await get('/search?q=England&raw=1');
    const games = (found.body.data as { games: Record<string, unknown>[] }).games;
    assert.ok(games.length > 0 && games.every((g) => Array.isArray(g._rawMarkets)));
  });

  test('/highlights: t1 empty, inplay/upcoming game shapes, _sources', async () => {
    const { status, body } = await get('/highlights');
    assert.equal(status, 200);
    // `_sources` is keyed by source name: check its values' type against the seed's.
    assertShape(body, { ...SEED_HIGHLIGHTS, data: { ...SEED_HIGHLIGHTS.data, _sources: {} } });
    const d = body.data as { inplay: Record<string, unknown>[]; upcoming: Record<string, unknown>[] };
    for (const g of [...d.inplay, ...d.upcoming]) {
      assertShape(g, withoutRaw(SEED_GAME));
      assert.equal('_rawMarkets' in g, false, 'opt-in');
    }
    assert.deepEqual((body.data as { _sources: unknown })._sources, { betfair: true });
  });

  test('/games/:gmid and /games/:gmid/data: {game, _source}', async () => {
    for (const path of [`/games/${cricketGmid}`, `/games/${cricketGmid}/data`]) {
      const { status, body } = await get(path);
      assert.equal(status, 200, path);
      assertShape(body, withoutRaw(SEED_GAME_DATA));
      const data = body.data as { game: Game; _source: string };
      assert.equal(data.game.gmid, cricketGmid);
      assert.equal(data._source, 'betfair');
    }
  });

  test('/games/:gmid by bfi finds the same game', async () => {
    const { status, body } = await get(`/games/${CRICKET.bfi}/data`);
    assert.equal(status, 200);
    assert.equal((body.data as { game: Game }).game.gmid, cricketGmid);
  });

  test('/games/:gmid/detail without full is the data shape; full=1 adds fullMarkets from the cache', async () => {
    const plain = await get(`/games/${cricketGmid}/detail`);
    assertShape(plain.body, withoutRaw(SEED_GAME_DATA));
    assert.equal('fullMarkets' in (plain.body.data as object), false);

    const { status, body } = await get(`/games/${cricketGmid}/detail?full=1`);
    assert.equal(status, 200);
    assertShape(body, withoutRaw(SEED_DETAIL_FULL));
    const data = body.data as {
      fullMarkets: { name: string; minStake: number; maxStake: number; runners: Record<string, unknown>[] }[];
      _marketSource: string;
    };
    assert.equal(data._marketSource, 'cache');
    assert.deepEqual(
      data.fullMarkets.map((m) => [m.name, m.minStake, m.maxStake, m.runners.length]),
      [
        ['MatchOdds', 0, 0, 2],
        ['BookMaker', 100, 500000, 2],
        ['Fancy', 100, 200000, 2],
      ],
    );
    const bm = data.fullMarkets[1]!.runners[0]!;
    assert.deepEqual(bm.back, [
      { price: '90.00', size: '120' },
      { price: '89.98', size: '300' },
      { price: '89.96', size: '800' },
    ]);
    const fancy = data.fullMarkets[2]!.runners.map((r) => [r.name, r.status]);
    assert.deepEqual(fancy, [
      ['6 over runs ENG W', 'ACTIVE'],
      ['Fall of 1st wkt ENG W', 'SUSPENDED'],
    ]);
  });

  test('/games/:gmid/markets: the seed markets shape', async () => {
    const { status, body } = await get(`/games/${cricketGmid}/markets`);
    assert.equal(status, 200);
    assertShape(body, SEED_MARKETS);
    assert.equal((body.data as { _marketSource: string })._marketSource, 'cache');
  });

  test('/games/:gmid/scorecard and /live-tv: the seed shapes, iframes from the event links', async () => {
    const sc = await get(`/games/${cricketGmid}/scorecard`);
    assert.equal(sc.status, 200);
    assertShape(sc.body, SEED_SCORECARD);
    assert.equal((sc.body.data as { event_id: string }).event_id, cricketGmid);
    assert.match(
      (sc.body.data as { score_iframe: string }).score_iframe,
      /src='https:\/\/getscoredata\.com\/score\/35574416'/,
    );

    const tv = await get(`/games/${cricketGmid}/live-tv`);
    assert.equal(tv.status, 200);
    assertShape(tv.body, SEED_LIVE_TV);
    const d = tv.body.data as { tv_available: boolean; stream_url: string; source: string };
    assert.equal(d.tv_available, true);
    assert.ok(d.stream_url.includes(STREAM_URL));
    assert.equal(d.source, 'betfair');
  });

  test('scorecard and live-tv of a game without links: empty strings, tv_available false', async () => {
    const tennis = String(app.readModel.findEvent('35540300')!.id);
    const sc = await get(`/games/${tennis}/scorecard`);
    assertShape(sc.body, SEED_SCORECARD);
    assert.equal((sc.body.data as { score_iframe: string }).score_iframe, '');
    const tv = await get(`/games/${tennis}/live-tv`);
    assertShape(tv.body, SEED_LIVE_TV);
    assert.deepEqual(
      [
        (tv.body.data as { tv_available: boolean }).tv_available,
        (tv.body.data as { stream_url: string }).stream_url,
      ],
      [false, ''],
    );
  });

  test('/games/:gmid/odds: every market with numeric ladders in the envelope', async () => {
    const { status, body } = await get(`/games/${cricketGmid}/odds`);
    assert.equal(status, 200);
    assertEnvelope(body);
    const data = body.data as {
      gmid: string;
      markets: { marketId: string; marketType: string; runners: { back: unknown; lay: unknown }[] }[];
    };
    assert.equal(data.gmid, cricketGmid);
    assert.deepEqual(
      data.markets.map((m) => [m.marketId, m.marketType]),
      [
        [CRICKET.marketId, 'MATCH_ODDS'],
        ['bm:35574416', 'BOOKMAKER'],
        ['fancy:1', 'FANCY'],
        ['fancy:2', 'FANCY'],
      ],
    );
    for (const m of data.markets)
      for (const r of m.runners) {
        assertLadder(r.back, 'back');
        assertLadder(r.lay, 'lay');
      }
  });

  test('/status has the seed shape', async () => {
    const { status, body } = await get('/status');
    assert.equal(status, 200);
    assertShape(body, SEED_STATUS);
    assert.deepEqual((body.data as { sources: unknown[] }).sources, [], 'no source configured in this app');
  });

  test('unknown gmid → 404 with the exact seed body, on every game route', async () => {
    for (const suffix of [
      '',
      '/data',
      '/detail',
      '/detail?full=1',
      '/markets',
      '/odds',
      '/scorecard',
      '/live-tv',
    ]) {
      const { status, body } = await get(`/games/999999999${suffix}`);
      assert.equal(status, 404, suffix);
      assert.deepEqual(body, SEED_NOT_FOUND);
    }
  });

  test('a game asked for under another sport is not found', async () => {
    const { status, body } = await get(`/games/${cricketGmid}/data?sport_id=1`);
    assert.equal(status, 404);
    assert.deepEqual(body, SEED_NOT_FOUND);
    assert.equal((await get(`/games/${cricketGmid}/data?sport_id=3`)).status, 200);
  });
});
