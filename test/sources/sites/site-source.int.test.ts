/**
 * The imatchodds browser source in real Chromium against the simulated Vue site on 127.0.0.1: demo login,
 * localStorage polls normalised into the read model, Diamond /games with fancy flags, on-demand /markets
 * with Match Odds, BookMaker and Fancy (cache, single flight), account routes, recovery from a browser
 * crash and a clear status when the site's selectors change. One site, one browser for the whole file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { startSite, type SiteServer } from '../../../src/sim/site/server.js';
import type { SiteSource } from '../../../src/sources/sites/site-source.js';
import { testSiteSource, until } from './helpers.js';

const ADMIN = 'admin-secret-for-tests';

interface Game {
  gmid: string;
  etid: number;
  title: string;
  isFancy: boolean;
  isBookMaker: boolean;
  bfi?: string;
  runners: { name: string; back: { price: number; size: number }[] }[];
  _source: string;
}

interface FullMarketBody {
  name: string;
  minStake: number;
  maxStake: number;
  runners: {
    name: string;
    status: string;
    back: { price: string; size: string }[];
    lay: { price: string; size: string }[];
  }[];
}

describe('imatchodds browser source against the simulated site', () => {
  let site: SiteServer;
  let source: SiteSource;
  let app: FastifyInstance;

  const get = (path: string, headers: Record<string, string> = {}) =>
    app.inject({ url: `/api/v2/diamond${path}`, headers: { 'x-password': TEST_PASSWORD, ...headers } });

  const cricketGame = async (): Promise<Game> => {
    const res = await get('/games?sport_id=3');
    const games = (res.json() as { data: { games: Game[] } }).data.games;
    const g = games.find((x) => x.isFancy);
    assert.ok(g, 'a cricket game with fancy markets');
    return g;
  };

  before(async () => {
    site = await startSite({ refreshMs: 1000 });
    source = testSiteSource({ urls: [site.url], overrides: { liveScrapes: 1 } });
    app = await makeTestApp({ sources: [source], config: { diamondAdminPassword: ADMIN } });
    const first = await source.pollOnce();
    assert.equal(first.ok, true, first.error);
    await app.settle();
  });

  after(async () => {
    await app?.close();
    await source?.stop();
    await site?.close();
  });

  test('logs in with the Demo button and polls localStorage into the model', async () => {
    assert.equal(site.stats.logins, 1);
    const st = source.status();
    assert.equal(st.state, 'connected');
    assert.equal(st.kind, 'browser');
    assert.equal(st.details['domain'], site.url);
    assert.ok((st.details['gamesCount'] as number) > 10, 'the site lists its events');
    const second = await source.pollOnce();
    assert.equal(second.ok, true);
    assert.ok(second.ms < 5000, `warm poll took ${second.ms} ms`);
    assert.equal(site.stats.logins, 1, 'the warm browser stays logged in');
  });

  test('after a poll a fancy game is scraped in the background (its changes reach the rooms)', async () => {
    await until(() => (source.status().details['scrapes'] as number) >= 1, 10_000, 'a background scrape');
    // later tests count page loads: let the background scrapes of the polls so far finish
    await until(() => source.tabs.stats().busy === 0, 10_000, 'idle scrape tabs');
    await new Promise((r) => setTimeout(r, 200));
    await until(() => source.tabs.stats().busy === 0, 10_000, 'idle scrape tabs');
    assert.ok(site.stats.matchPageLoads >= 1);
    await app.settle();
    assert.ok([...app.readModel.markets.values()].some((m) => m.type === 'FANCY'));
  });

  test('/games lists the site games with fancy and bookmaker flags, upstream gmid kept', async () => {
    const res = await get('/games');
    assert.equal(res.statusCode, 200);
    const games = (res.json() as { data: { games: Game[] } }).data.games;
    const cricket = games.filter((g) => g.etid === 3);
    assert.ok(cricket.length > 0, 'cricket (site etid 4) mapped to canonical 3');
    assert.ok(cricket.every((g) => g.isFancy && g.isBookMaker));
    const football = games.filter((g) => g.etid === 1);
    assert.ok(football.length > 0 && football.every((g) => !g.isFancy && g.isBookMaker));
    const g = cricket[0] as Game;
    assert.equal(g._source, 'imatchodds');
    assert.ok((g.runners[0]?.back[0]?.price ?? 0) > 1, 'summary Match Odds prices parsed to numbers');
    const event = app.readModel.findEvent(g.gmid);
    assert.match(event?.upstreamIds['imatchodds'] ?? '', /^\d{7}$/);
  });

  test('/markets scrapes Match Odds, BookMaker and Fancy as the page renders them', async () => {
    source.flights.clear();
    const g = await cricketGame();
    const before = site.stats.matchPageLoads;
    const res = await get(`/games/${g.gmid}/markets`);
    assert.equal(res.statusCode, 200, res.body);
    const data = (
      res.json() as { data: { markets: FullMarketBody[]; _marketSource: string; isFancy: boolean } }
    ).data;
    assert.equal(data._marketSource, 'scraped');
    assert.deepEqual(
      data.markets.map((m) => m.name),
      ['MatchOdds', 'BookMaker', 'Fancy'],
    );
    const [mo, bm, fancy] = data.markets as [FullMarketBody, FullMarketBody, FullMarketBody];
    assert.equal(mo.minStake, 100);
    assert.equal(mo.maxStake, 50_000);
    assert.equal(bm.maxStake, 500_000);
    assert.ok(fancy.runners.length >= 5);
    assert.match(mo.runners[0]?.back[0]?.price ?? '', /^\d+\.\d\d$/, 'prices as text ("6.40")');
    assert.match(mo.runners[0]?.back[0]?.size ?? '', /^\d+(\.\d)?[km]?$/, 'sizes as text ("42k")');
    assert.ok(fancy.runners.every((r) => r.status === 'ACTIVE' || r.status === 'SUSPENDED'));
    assert.match(fancy.runners[0]?.name ?? '', /6 over runs/);
    assert.equal(site.stats.matchPageLoads, before + 1);

    await app.settle();
    const markets = app.readModel.marketsOf(Number(g.gmid));
    const types = new Set(markets.map((m) => m.type));
    assert.ok(types.has('MATCH_ODDS') && types.has('BOOKMAKER') && types.has('FANCY'), [...types].join());
    const f = markets.find((m) => m.type === 'FANCY');
    assert.ok(f?.id.startsWith('imatchodds:'));
    const sizes = markets.find((m) => m.type === 'MATCH_ODDS')?.runners[0]?.back.map((l) => l.size) ?? [];
    assert.ok(
      sizes.length === 3 && sizes.every((s) => Number.isFinite(s) && s >= 100),
      'sizes "42k" → 42000',
    );

    const feed = await app.inject({ url: `/api/v1/feed/event/${g.gmid}/fancy` });
    assert.equal(feed.statusCode, 200);
    assert.equal(
      (feed.json() as { data: { count: number } }).data.count,
      5,
      'the feed API fills from the scrape',
    );
  });

  test('a second call within 15 s is served from the cache', async () => {
    const g = await cricketGame();
    await get(`/games/${g.gmid}/markets`);
    const loads = site.stats.matchPageLoads;
    const res = await get(`/games/${g.gmid}/detail?full=1`);
    assert.equal(res.statusCode, 200);
    const data = (res.json() as { data: { fullMarkets: FullMarketBody[]; _marketSource: string } }).data;
    assert.equal(data._marketSource, 'scraped');
    assert.equal(data.fullMarkets.length, 3);
    assert.equal(site.stats.matchPageLoads, loads, 'no new page load');
  });

  test('ten concurrent calls for a game share one scrape', async () => {
    source.flights.clear();
    const g = await cricketGame();
    const loads = site.stats.matchPageLoads;
    const flights = source.flights.loads;
    const all = await Promise.all(Array.from({ length: 10 }, () => get(`/games/${g.gmid}/markets`)));
    assert.ok(all.every((r) => r.statusCode === 200));
    assert.equal(site.stats.matchPageLoads - loads, 1, 'one match page load');
    assert.equal(source.flights.loads - flights, 1, 'one scrape');
    const bodies = new Set(
      all.map((r) => JSON.stringify((r.json() as { data: { markets: unknown } }).data.markets)),
    );
    assert.equal(bodies.size, 1, 'everyone got the same scrape');
  });

  test('account routes: tables, open bets, betslips, userinfo; tokens only for the admin', async () => {
    const tables = (await get('/tables')).json() as {
      data: {
        count: { casino: number };
        casino: { category: string; games: { gameCode: string; _source: string }[] }[];
      };
    };
    assert.ok(tables.data.count.casino >= 5);
    assert.equal(tables.data.casino[0]?.category, 'Lobby');
    assert.equal(tables.data.casino[0]?.games[0]?.gameCode, 'spribe_aviator');
    assert.equal(tables.data.casino[0]?.games[0]?._source, 'imatchodds');
    const bets = (await get('/open-bets')).json() as {
      data: { openBets: { exposure: number; openBets: unknown[] } };
    };
    assert.equal(bets.data.openBets.openBets.length, 3);
    assert.ok(bets.data.openBets.exposure > 0);
    const slips = (await get('/betslips')).json() as { data: { betslips: { value: number }[] } };
    assert.deepEqual(
      slips.data.betslips.map((b) => b.value),
      [100, 500, 1000, 5000],
    );
    const info = (await get('/userinfo')).json() as {
      data: { userinfo: { cricket: boolean; casinoToken: string } };
    };
    assert.equal(info.data.userinfo.cricket, true);
    assert.match(info.data.userinfo.casinoToken, /^.{8}\.\.\.$/, 'token shortened for non-admins');
    assert.equal((await get('/tokens')).statusCode, 403);
    assert.equal((await get('/tokens', { 'x-admin-password': 'wrong' })).statusCode, 403);
    const tokens = await get('/tokens', { 'x-admin-password': ADMIN });
    assert.equal(tokens.statusCode, 200);
    const t = (tokens.json() as { data: { accessToken: string; baseUrl: string } }).data;
    assert.match(t.accessToken, /^eyJ/);
    assert.equal(t.baseUrl, 'https://api.site.example');
  });

  test('a login page where the app should be is a failure; the source logs in again', async () => {
    const refused = site.stats.unauthorized;
    site.expireSessions();
    const logins = site.stats.logins;
    // the app finds out on its next refresh (every second here) and shows its login page
    await until(() => site.stats.unauthorized > refused, 10_000, 'the app to be refused');
    await new Promise((r) => setTimeout(r, 300));
    const out = await source.pollOnce();
    assert.equal(out.ok, true, out.error);
    assert.equal(site.stats.logins, logins + 1);
    const d = (source.status().details['domains'] as { lastFailureReason: string | null }[])[0];
    assert.equal(d?.lastFailureReason, 'login_page');
  });

  test('recovers from a browser crash', async () => {
    const launches = source.session.stats.launches;
    const pids = await source.session.processIds();
    assert.ok(pids.length > 0);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await until(() => source.session.stats.crashes > 0, 10_000, 'the crash to be noticed');
    const out = await source.pollOnce();
    assert.equal(out.ok, true, out.error);
    assert.equal(source.session.stats.launches, launches + 1);
    assert.equal(source.status().state, 'connected');
    source.flights.clear();
    const g = await cricketGame();
    const res = await get(`/games/${g.gmid}/markets`);
    assert.equal(res.statusCode, 200, res.body);
  });

  test('a changed selector gives a clear status (and 502 when nothing can be scraped)', async () => {
    site.setFault('selector');
    source.flights.clear();
    const g = await cricketGame();
    const res = await get(`/games/${g.gmid}/markets`);
    assert.equal(res.statusCode, 502);
    assert.deepEqual(res.json(), { success: false, error: 'Upstream scrape failed (selector)' });
    const st = source.status();
    assert.equal(st.state, 'degraded');
    assert.match(
      st.lastError ?? '',
      /selector "\.market-(mo|bm|fancy)" \((MatchOdds|BookMaker|Fancy)\) matched nothing/,
    );
    const status = (await get('/status')).json() as {
      data: { sources: { source: string; state: string; lastError: string }[] };
    };
    const mine = status.data.sources.find((s) => s.source === 'imatchodds');
    assert.equal(mine?.state, 'degraded');
    assert.match(mine?.lastError ?? '', /site layout may have changed/);
    site.setFault('none');
  });
});
