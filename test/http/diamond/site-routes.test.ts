/**
 * Diamond routes served by a site source (a fake one here: no browser): /tables, /open-bets, /betslips,
 * /userinfo, /tokens, and the on-demand full markets with their 502 on a failed scrape.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { SourceStatus } from '../../../src/model/index.js';
import type { Source } from '../../../src/sources/types.js';
import type { SiteAccountData } from '../../../src/sources/sites/account.js';
import type { SiteFullMarket } from '../../../src/sources/sites/scraped.js';
import { BrowserSourceError, BrowserTimeoutError } from '../../../src/sources/browser/errors.js';
import { feed, makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { matchOdds, runner } from '../../helpers/fixtures.js';

const ADMIN = 'site-admin-password';

class FakeSite implements Source {
  readonly name = 'fakesite';
  readonly feedName = 'fakesite';
  next: SiteFullMarket[] | Error | null = null;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  status(): SourceStatus {
    return {
      source: this.name,
      kind: 'browser',
      state: 'connected',
      connected: true,
      lastError: null,
      lastErrorAt: null,
      lastUpdateAt: null,
      frames: 0,
      markets: 0,
      details: {},
    };
  }
  async fullMarketsFor(): Promise<SiteFullMarket[] | null> {
    if (this.next instanceof Error) throw this.next;
    return this.next;
  }
  accountData(): SiteAccountData {
    return {
      source: this.name,
      updatedAt: 1,
      casino: [
        {
          category: 'Lobby',
          categoryIcon: 'i.png',
          games: [
            {
              name: 'Aviator',
              provider: 'intl',
              gameCode: 'spribe_aviator',
              gameId: 201206,
              imageURL: 'a.png',
            },
          ],
        },
      ],
      openBets: { balance: 0, exposure: 8217, openBets: [{ betId: '1' }] },
      betslips: [{ title: '10', value: 200 }],
      userInfo: { cricket: true, casinoToken: 'eyJhbGciOiJIUzI1NiJ9.secret' },
      tokens: {
        casinoToken: 'eyJcasino',
        accessToken: 'eyJaccess',
        baseUrl: 'https://api.x',
        domainSetting: { a: 1 },
      },
    };
  }
}

describe('Diamond routes of site sources', () => {
  let app: FastifyInstance;
  const site = new FakeSite();
  const get = (path: string, headers: Record<string, string> = {}) =>
    app.inject({ url: `/api/v2/diamond${path}`, headers: { 'x-password': TEST_PASSWORD, ...headers } });

  before(async () => {
    app = await makeTestApp({ sources: [site], config: { diamondAdminPassword: ADMIN } });
    await feed(app, [
      {
        kind: 'event',
        source: 'fakesite',
        upstreamEventId: '5359254',
        event: { sportId: 3, name: 'A v B', startTime: '2026-11-22T15:00:00.000Z' },
      },
      {
        kind: 'market',
        source: 'fakesite',
        upstreamEventId: '5359254',
        market: matchOdds('fakesite:1', [runner(1, 'A', 1.5, 1.52), runner(2, 'B', 2.8, 2.9)]),
      },
    ]);
  });
  after(() => app.close());

  test('/tables (seed §3.9 shape) with _source on games', async () => {
    const res = await get('/tables');
    assert.equal(res.statusCode, 200);
    const body = res.json() as { success: boolean; data: Record<string, unknown>; timestamp: string };
    assert.equal(body.success, true);
    assert.deepEqual(body.data, {
      count: { tables: 0, casino: 1 },
      tables: [],
      casino: [
        {
          category: 'Lobby',
          categoryIcon: 'i.png',
          games: [
            {
              name: 'Aviator',
              provider: 'intl',
              gameCode: 'spribe_aviator',
              gameId: 201206,
              imageURL: 'a.png',
              _source: 'fakesite',
            },
          ],
        },
      ],
      _sources: { fakesite: true },
    });
  });

  test('/open-bets, /betslips, /userinfo (token shortened unless admin)', async () => {
    assert.deepEqual((await get('/open-bets')).json().data, {
      openBets: { balance: 0, exposure: 8217, openBets: [{ betId: '1' }] },
    });
    assert.deepEqual((await get('/betslips')).json().data, { betslips: [{ title: '10', value: 200 }] });
    assert.deepEqual((await get('/userinfo')).json().data, {
      userinfo: { cricket: true, casinoToken: 'eyJhbGci...' },
    });
    const full = (await get('/userinfo', { 'x-admin-password': ADMIN })).json() as {
      data: { userinfo: { casinoToken: string } };
    };
    assert.equal(full.data.userinfo.casinoToken, 'eyJhbGciOiJIUzI1NiJ9.secret');
  });

  test('/tokens: 403 without the admin credential, seed §3.14 shape with it, never cached', async () => {
    const denied = await get('/tokens');
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().success, false);
    const res = await get('/tokens', { 'x-admin-password': ADMIN });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.deepEqual(res.json().data, {
      casinoToken: 'eyJcasino',
      accessToken: 'eyJaccess',
      baseUrl: 'https://api.x',
      domainSetting: { a: 1 },
    });
    assert.equal(
      (await get('/tokens?password=x', { 'x-admin-password': ADMIN })).statusCode,
      200,
      'header password wins',
    );
  });

  test('/markets and /detail?full=1 from the site source; null falls back to the cache; failures → 502', async () => {
    const gmid = String(app.readModel.findByUpstream('fakesite', '5359254')?.id);
    site.next = null;
    assert.equal((await get(`/games/${gmid}/markets`)).json().data._marketSource, 'cache');
    site.next = [
      {
        name: 'Fancy',
        minStake: 100,
        maxStake: 200_000,
        runners: [
          {
            name: '6 over runs A',
            back: [{ price: '55', size: '100' }],
            lay: [{ price: '54', size: '100' }],
            status: 'ACTIVE',
            marketId: 'fakesite:f1',
          },
        ],
      },
    ];
    const scraped = (await get(`/games/${gmid}/detail?full=1`)).json().data;
    assert.equal(scraped._marketSource, 'scraped');
    assert.equal(scraped.fullMarkets[0].runners[0].back[0].price, '55');
    site.next = new BrowserTimeoutError('scrape of game 5359254', 10_000);
    const timeout = await get(`/games/${gmid}/markets`);
    assert.equal(timeout.statusCode, 502);
    assert.deepEqual(timeout.json(), { success: false, error: 'Upstream scrape timed out' });
    site.next = new BrowserSourceError('challenge', 'bot-check at http://x');
    const blocked = await get(`/games/${gmid}/markets`);
    assert.deepEqual(blocked.json(), { success: false, error: 'Upstream scrape failed (challenge)' });
  });
});
