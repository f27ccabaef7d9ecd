import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { sampleUpdates } from '../../helpers/fixtures.js';
import { closeEvent, cricketPriceMove } from './fixtures.js';
import { envelope } from '../../../src/http/routes/diamond/envelope.js';
import { buildGamesBody, buildHighlightsBody, listedGames } from '../../../src/http/routes/diamond/lists.js';

interface Game {
  gmid: string;
  etid: number;
  title: string;
  isLive: boolean;
  status: string;
  runners: { name: string; back: { price: number }[] }[];
}

describe('Diamond lists: /games, /highlights, /sports', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await makeTestApp();
    await feed(app, sampleUpdates());
  });
  afterEach(() => app.close());

  const raw = async (url: string) => {
    const res = await app.inject({ url: `/api/v2/diamond${url}`, headers: { 'x-password': TEST_PASSWORD } });
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    return res.body;
  };
  const games = async (url: string) => (JSON.parse(await raw(url)) as { data: { games: Game[] } }).data.games;

  test('list bodies are the lists serialized whole, also after a price moves and an event closes', async () => {
    // Games are kept serialized per event version; the joined body must be what one JSON.stringify gives.
    const at = new Date('2026-11-22T14:00:00.000Z');
    const bodies = () => {
      const model = app.readModel;
      const out: string[] = [];
      for (const raw of [false, true]) {
        const g = listedGames(model, undefined, raw);
        const games = buildGamesBody(model, undefined, raw, at);
        assert.equal(games, JSON.stringify(envelope({ count: g.length, games: g }, at)));
        const sources = Object.fromEntries(
          ['betfair', 'sim'].map((s) => [s, g.some((x) => x._source === s)]),
        );
        const highlights = buildHighlightsBody(model, 3, ['betfair', 'sim'], raw, at);
        const g3 = listedGames(model, 3, raw);
        const data = { t1: [], inplay: g3.filter((x) => x.isLive), upcoming: g3.filter((x) => !x.isLive) };
        const s3 = Object.fromEntries(['betfair', 'sim'].map((s) => [s, g3.some((x) => x._source === s)]));
        assert.equal(highlights, JSON.stringify(envelope({ ...data, _sources: s3 }, at)));
        assert.ok(sources.betfair);
        out.push(games, highlights);
      }
      return out;
    };
    const before = bodies();
    assert.deepEqual(bodies(), before); // served from the kept games
    await feed(app, [cricketPriceMove(1.5, 1.52)]);
    const moved = bodies();
    assert.notDeepEqual(moved, before);
    assert.match(moved[0] as string, /"price":1\.5\b/);
    await feed(app, [closeEvent(0)]);
    assert.notDeepEqual(bodies(), moved);
  });

  test('/games lists all four sample games, live ones first', async () => {
    const list = await games('/games');
    assert.deepEqual(
      list.map((g) => [g.title, g.isLive]),
      [
        ['Real Sociedad v Betis', true],
        ['England W v New Zealand W', true],
        ['Carlos Alcaraz v Jannik Sinner', false],
        ['14:30 Ascot', false],
      ],
    );
  });

  test('sport_id filters; etid is an alias; an unknown sport gives an empty list', async () => {
    for (const url of ['/games?sport_id=3', '/games?etid=3', '/games?sport_id=3&etid=3']) {
      assert.deepEqual(
        (await games(url)).map((g) => [g.etid, g.title]),
        [[3, 'England W v New Zealand W']],
        url,
      );
    }
    assert.deepEqual(
      (await games('/games?sport_id=26')).map((g) => g.title),
      ['14:30 Ascot'],
    );
    const none = JSON.parse(await raw('/games?sport_id=7')) as { data: { count: number; games: Game[] } };
    assert.deepEqual(none.data, { count: 0, games: [] });
  });

  test('/highlights groups live games under inplay and the rest under upcoming, per sport', async () => {
    const all = JSON.parse(await raw('/highlights')) as {
      data: { t1: unknown[]; inplay: Game[]; upcoming: Game[] };
    };
    assert.deepEqual(all.data.t1, []);
    assert.deepEqual(
      all.data.inplay.map((g) => g.title),
      ['Real Sociedad v Betis', 'England W v New Zealand W'],
    );
    assert.deepEqual(
      all.data.upcoming.map((g) => g.title),
      ['Carlos Alcaraz v Jannik Sinner', '14:30 Ascot'],
    );
    assert.ok(all.data.inplay.every((g) => g.isLive) && all.data.upcoming.every((g) => !g.isLive));

    const tennis = JSON.parse(await raw('/highlights?etid=2')) as {
      data: { inplay: Game[]; upcoming: Game[] };
    };
    assert.deepEqual(tennis.data.inplay, []);
    assert.deepEqual(
      tennis.data.upcoming.map((g) => g.title),
      ['Carlos Alcaraz v Jannik Sinner'],
    );
  });

  test('closed events leave /games, /highlights and /sports counts', async () => {
    await feed(app, [closeEvent(1)]); // tennis
    const titles = (await games('/games')).map((g) => g.title);
    assert.equal(titles.includes('Carlos Alcaraz v Jannik Sinner'), false);
    assert.equal(titles.length, 3);
    const hl = JSON.parse(await raw('/highlights')) as { data: { inplay: Game[]; upcoming: Game[] } };
    assert.deepEqual(
      hl.data.upcoming.map((g) => g.title),
      ['14:30 Ascot'],
    );
    const sports = JSON.parse(await raw('/sports')) as { data: { count: number; sports: { id: string }[] } };
    assert.deepEqual(sports.data.sports.map((s) => s.id).sort(), ['1', '26', '3']);
  });

  test('bodies are pre-serialized: identical (same build timestamp) until the slice changes', async () => {
    const urls = [
      '/games',
      '/games?sport_id=3',
      '/games?sport_id=2',
      '/highlights',
      '/highlights?etid=3',
      '/sports',
    ];
    const first = new Map<string, string>();
    for (const u of urls) first.set(u, await raw(u));
    await sleep(15); // a rebuilt body would carry a later timestamp
    for (const u of urls) assert.equal(await raw(u), first.get(u), `${u} was rebuilt without a change`);

    await feed(app, [cricketPriceMove(1.8, 1.82)]);
    for (const u of ['/games', '/games?sport_id=3', '/highlights', '/highlights?etid=3']) {
      const next = await raw(u);
      assert.notEqual(next, first.get(u), `${u} did not change after the cricket update`);
      assert.notEqual(JSON.parse(next).timestamp, JSON.parse(first.get(u)!).timestamp);
    }
    // Another sport's slice is untouched.
    assert.equal(await raw('/games?sport_id=2'), first.get('/games?sport_id=2'));

    const cricket = await games('/games?sport_id=3');
    assert.equal(cricket[0]!.runners[0]!.back[0]!.price, 1.8, 'the new price is served');
  });

  test('the timestamp of a pre-serialized body is its build time (ISO 8601)', async () => {
    const before = Date.now();
    await feed(app, [cricketPriceMove(1.7, 1.72)]);
    const body = JSON.parse(await raw('/games?etid=3')) as { timestamp: string };
    const t = Date.parse(body.timestamp);
    assert.ok(t >= before && t <= Date.now(), body.timestamp);
  });
});
