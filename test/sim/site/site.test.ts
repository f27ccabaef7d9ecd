/**
 * The simulated Vue site without a browser: its games are the simulator's schedule (same teams and start
 * times as the simulated exchange), its API sits behind the demo login, it serves the real vue build from
 * node_modules, and its fault modes block the way CDNs do.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleAt } from '../../../src/sim/schedule.js';
import { matchMarkets, siteEvents, siteFixtures, siteGmid } from '../../../src/sim/site/site-data.js';
import { startSite, type SiteServer } from '../../../src/sim/site/server.js';
import { parseSiteFault, startSitePart } from '../../../src/sim/site/simulate-part.js';

const OPTS = { seed: 20261122, speed: 1, events: 40, tickMs: 1000 };
const NOW = Date.UTC(2026, 10, 22, 15, 0, 0);

describe('site data', () => {
  test('games overlap the exchange schedule: same names and start times', () => {
    const exchange = new Map(scheduleAt(OPTS, NOW).map((e) => [e.name, e.startAt]));
    const games = siteEvents(OPTS, NOW);
    assert.ok(games.length > 10);
    for (const g of games) assert.equal(Date.parse(g.stime), exchange.get(g.ename), g.ename);
  });

  test('ids are stable; prices move by tick; cricket pages have all three kinds, football no fancy', () => {
    const [a, b] = [siteEvents(OPTS, NOW), siteEvents(OPTS, NOW + 100)];
    assert.deepEqual(
      a.map((e) => e.gmid),
      b.map((e) => e.gmid),
    );
    const fixtures = siteFixtures(OPTS, NOW);
    const cricket = fixtures.find((f) => f.sport === 'cricket');
    const football = fixtures.find((f) => f.sport === 'football');
    assert.ok(cricket && football);
    const m = matchMarkets(cricket, OPTS, NOW);
    assert.equal(m.matchOdds.length, 1);
    assert.equal(m.bookmaker.length, 1);
    assert.equal(m.fancy.length, 5);
    assert.equal(matchMarkets(football, OPTS, NOW).fancy.length, 0);
    const later = matchMarkets(cricket, OPTS, NOW + 60_000);
    assert.notDeepEqual(later.matchOdds[0]?.runners, m.matchOdds[0]?.runners, 'prices moved in a minute');
    assert.match(String(siteGmid(cricket, OPTS.seed)), /^\d{7}$/);
  });
});

describe('site server', () => {
  let site: SiteServer;
  before(async () => {
    site = await startSite();
  });
  after(() => site.close());

  const login = async (): Promise<string> => {
    const res = await fetch(`${site.url}/api/v1/auth/demo`, { method: 'POST' });
    return ((await res.json()) as { token: string }).token;
  };

  test('serves the app shell and the real vue browser build', async () => {
    const html = await (await fetch(`${site.url}/match/4/123`)).text();
    assert.match(html, /<script src="\/assets\/vue\.global\.prod\.js">/);
    const vue = await fetch(`${site.url}/assets/vue.global.prod.js`);
    assert.equal(vue.status, 200);
    assert.match(await vue.text(), /Vue/);
    assert.equal((await fetch(`${site.url}/assets/nope.js`)).status, 404);
  });

  test('the API needs the demo login; the form login checks credentials', async () => {
    assert.equal((await fetch(`${site.url}/api/v1/home`)).status, 401);
    const token = await login();
    const home = await fetch(`${site.url}/api/v1/home`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await home.json()) as {
      events: { gmid: number }[];
      casino: unknown[];
      tokens: { accessToken: string };
    };
    assert.ok(body.events.length > 10);
    assert.ok(body.casino.length > 0);
    const gmid = body.events[0]?.gmid;
    const match = await fetch(`${site.url}/api/v1/match/${gmid}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(match.status, 200);
    const bad = await fetch(`${site.url}/api/v1/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ username: 'demo', password: 'wrong' }),
    });
    assert.equal(bad.status, 401);
    const good = await fetch(`${site.url}/api/v1/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ username: 'demo', password: 'demo' }),
    });
    assert.equal(good.status, 200);
  });

  test('fault modes: 403, challenge, blank; switched over the control endpoint', async () => {
    site.setFault('forbidden');
    assert.equal((await fetch(site.url)).status, 403);
    site.setFault('challenge');
    assert.match(await (await fetch(site.url)).text(), /Just a moment/);
    site.setFault('blank');
    assert.doesNotMatch(await (await fetch(site.url)).text(), /app/);
    const res = await fetch(`${site.url}/__sim/fault?mode=none`, { method: 'POST' });
    assert.deepEqual(await res.json(), { fault: 'none' });
    assert.match(await (await fetch(site.url)).text(), /id="app"/);
    assert.equal((await fetch(`${site.url}/__sim/fault?mode=bogus`)).status, 400);
  });

  test('the simulate part gives the ready line its site url', async () => {
    const part = await startSitePart({ port: 0, seed: 1, speed: 1, events: 8 });
    try {
      assert.equal(part.key, 'site');
      assert.match(part.value.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await fetch(part.value.url)).status, 200);
    } finally {
      await part.close();
    }
    assert.throws(() => parseSiteFault('nope'), /--site-fault/);
    assert.equal(parseSiteFault(undefined), 'none');
  });
});
