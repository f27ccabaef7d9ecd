import { afterEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp } from '../../helpers/app.js';
import { matchOdds, runner } from '../../helpers/fixtures.js';
import { CRICKET, FakeSource, FOOTBALL, richUpdates, settleTennis } from './fixtures.js';

const API = '/api/v1/feed';

async function appWith(sources: FakeSource[] = []): Promise<FastifyInstance> {
  const app = await makeTestApp({ sources });
  await feed(app, richUpdates());
  return app;
}

type Odds = { data: { source: string; stale: boolean; match_odds: { stale: boolean; updatedAt: number }[] } };
type List = { data: { id: number; stale: boolean; updatedAt: number }[] };

describe('freshness: Cache-Control, ETag/304, stale marking', () => {
  afterEach(() => mock.timers.reset());

  test('Cache-Control follows the seed TTL table', async () => {
    const app = await appWith();
    const id = CRICKET.bfi;
    const table: [string, string][] = [
      ['/sports', 'public, max-age=30'],
      ['/events', 'public, max-age=30'],
      ['/events/live', 'public, max-age=30'],
      [`/event/${id}`, 'public, max-age=5'],
      [`/event/${id}/odds`, 'public, max-age=5'],
      [`/event/${id}/fancy`, 'public, max-age=8'],
      [`/event/${id}/bookmaker`, 'public, max-age=8'],
      [`/event/${FOOTBALL.bfi}/scores`, 'public, max-age=10'],
      [`/event/${id}/scorecard`, 'public, max-age=60'],
      [`/event/${id}/stream`, 'public, max-age=30'],
      ['/results', 'public, max-age=30'],
      ['/socket-events', 'no-cache'],
      ['/socket-odds', 'no-cache'],
    ];
    for (const [url, want] of table) {
      const res = await app.inject({ url: API + url });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['cache-control'], want, url);
    }
    const health = await app.inject({ url: '/api/v1/admin/health' });
    assert.equal(health.headers['cache-control'], 'no-store');
    await app.close();
  });

  test('fancy and bookmaker TTL is 60 s before the match goes in play', async () => {
    const app = await appWith();
    const res = await app.inject({ url: `${API}/event/${FOOTBALL.bfi}/fancy` });
    assert.equal(res.headers['cache-control'], 'public, max-age=8', 'football is in play');
    const pre = await app.inject({ url: `${API}/event/35540300/bookmaker` });
    assert.equal(pre.headers['cache-control'], 'public, max-age=60', 'tennis is not');
    await app.close();
  });

  test('list routes answer 304 to a matching If-None-Match and a new ETag after a change', async () => {
    const app = await appWith();
    await feed(app, settleTennis());
    for (const url of [
      '/sports',
      '/events',
      '/events?sport=cricket',
      '/events/live',
      '/socket-events',
      '/results',
    ]) {
      const first = await app.inject({ url: API + url });
      const etag = String(first.headers.etag);
      assert.match(etag, /^W\/".+"$/, url);
      const again = await app.inject({ url: API + url, headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304, url);
      assert.equal(again.body, '', url);
      const other = await app.inject({ url: API + url, headers: { 'if-none-match': 'W/"other"' } });
      assert.equal(other.statusCode, 200, url);
    }
    const before = await app.inject({ url: `${API}/events` });
    const m = matchOdds(
      CRICKET.marketId,
      [runner(301, 'England W', 1.5, 1.52), runner(302, 'New Zealand W', 2.9, 3)],
      {
        source: 'betfair',
        inPlay: true,
      },
    );
    await feed(app, [
      {
        kind: 'event',
        source: 'betfair',
        upstreamEventId: '35999999',
        event: { sportId: 1, name: 'A v B', startTime: '2026-11-23T15:00:00.000Z' },
      },
      { kind: 'market', source: 'betfair', upstreamEventId: CRICKET.bfi, market: m },
    ]);
    const after = await app.inject({
      url: `${API}/events`,
      headers: { 'if-none-match': String(before.headers.etag) },
    });
    assert.equal(after.statusCode, 200);
    assert.notEqual(after.headers.etag, before.headers.etag);
    const names = after.json<{ data: { name: string }[] }>().data.map((e) => e.name);
    assert.ok(names.includes('A v B'), 'the new event is listed');
    assert.ok(!names.includes('Carlos Alcaraz v Jannik Sinner'), 'the settled event is not');
    await app.close();
  });

  test('events and markets carry updatedAt; data older than its TTL is marked stale, never live', async () => {
    const app = await appWith();
    const fresh = (await app.inject({ url: `${API}/event/${CRICKET.bfi}/odds` })).json<Odds>();
    assert.equal(fresh.data.source, 'live');
    assert.equal(fresh.data.stale, false);
    assert.equal(fresh.data.match_odds[0]?.stale, false);
    const updatedAt = fresh.data.match_odds[0]?.updatedAt ?? 0;
    assert.ok(Math.abs(Date.now() - updatedAt) < 10_000);
    const list = (await app.inject({ url: `${API}/events` })).json<List>();
    assert.ok(list.data.every((e) => e.stale === false && typeof e.updatedAt === 'number'));

    const t0 = Date.now();
    mock.timers.enable({ apis: ['Date'], now: t0 + 6_000 });
    const odds = (await app.inject({ url: `${API}/event/${CRICKET.bfi}/odds` })).json<Odds>();
    assert.equal(odds.data.source, 'stale', 'older than the 5 s TTL of /odds');
    assert.equal(odds.data.match_odds[0]?.stale, true);
    const stillFresh = (await app.inject({ url: `${API}/events` })).json<List>();
    assert.ok(
      stillFresh.data.every((e) => e.stale === false),
      'within the 30 s TTL of /events',
    );

    mock.timers.setTime(t0 + 31_000);
    const old = (await app.inject({ url: `${API}/events` })).json<List>();
    assert.ok(
      old.data.length > 0 && old.data.every((e) => e.stale === true),
      'the cached list is rebuilt as time passes',
    );
    const ev = (await app.inject({ url: `${API}/event/${FOOTBALL.bfi}` })).json<{
      data: { source: string };
    }>();
    assert.equal(ev.data.source, 'stale');
    const bulk = await app.inject({
      method: 'POST',
      url: `${API}/odds/unified`,
      payload: { matchIds: [FOOTBALL.bfi] },
    });
    assert.equal(bulk.json<{ data: { source: string } }>().data.source, 'stale');
    mock.timers.reset();
    await app.close();
  });

  test('a connected source confirms its quiet markets; once it disconnects they go stale after the TTL', async () => {
    const source = new FakeSource('betfair');
    const app = await appWith([source]);
    const t0 = Date.now();
    source.lastUpdateAt = t0;
    mock.timers.enable({ apis: ['Date'], now: t0 + 60_000 });
    const quiet = (await app.inject({ url: `${API}/event/${FOOTBALL.bfi}/odds` })).json<Odds>();
    assert.equal(quiet.data.source, 'live', 'no change for 60 s, but the stream is up');
    source.healthy = false;
    const down = (await app.inject({ url: `${API}/event/${FOOTBALL.bfi}/odds` })).json<Odds>();
    assert.equal(down.data.source, 'stale', 'the source last confirmed it 60 s ago');
    mock.timers.reset();
    await app.close();
  });
});

describe('CORS', () => {
  test('preflight answers 204 with GET, POST, OPTIONS on feed routes, GET only on admin routes', async () => {
    const app = await makeTestApp();
    for (const url of [`${API}/odds/unified`, `${API}/events`]) {
      const res = await app.inject({
        method: 'OPTIONS',
        url,
        headers: {
          origin: 'https://front.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      assert.equal(res.statusCode, 204, url);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      assert.equal(res.headers['access-control-allow-methods'], 'GET, POST, OPTIONS');
      assert.equal(res.headers['access-control-allow-headers'], 'content-type');
    }
    const adminRead = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/admin/health',
      headers: { origin: 'https://front.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(adminRead.statusCode, 204);
    assert.equal(adminRead.headers['access-control-allow-methods'], 'GET, OPTIONS');
    const adminChange = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/admin/matching/link',
      headers: { origin: 'https://front.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(adminChange.statusCode, 403, 'no preflight is answered for admin changes');
    assert.equal(adminChange.headers['access-control-allow-origin'], undefined);
    const get = await app.inject({ url: `${API}/sports`, headers: { origin: 'https://front.example' } });
    assert.equal(get.headers['access-control-allow-origin'], '*');
    const missing = await app.inject({
      url: `${API}/event/123456789`,
      headers: { origin: 'https://front.example' },
    });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.headers['access-control-allow-origin'], '*', 'errors are readable cross-origin too');
    await app.close();
  });
});
