/**
 * Cross-source matching with every simulated upstream on real sockets: the exchange (SimSource), the Vue
 * betting site read through real Chromium (imatchodds) and the odds API (HTTP), all on the simulator's one
 * schedule. A match present in all three is one event carrying three upstream ids, and
 * /event/:id/odds?view=all shows every book. Never skipped: the launcher finds a Chromium (a system one or
 * the npm-shipped one) or the test fails.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { makeTestApp } from '../helpers/app.js';
import { SimSource } from '../../src/sim/sim-source.js';
import { startSite, type SiteServer } from '../../src/sim/site/server.js';
import { OddsApiSimulator } from '../../src/sim/oddsapi/server.js';
import { exchangeFair, modelFair } from '../../src/sim/oddsapi/pricing.js';
import { OddsApiSource } from '../../src/sources/oddsapi/source.js';
import type { SiteSource } from '../../src/sources/sites/site-source.js';
import type { AppLogger } from '../../src/logger.js';
import type { Event } from '../../src/model/index.js';
import { testSiteSource, until } from '../sources/sites/helpers.js';

const SIM = { speed: 1, seed: 20261122, rate: 100, events: 40 };
const SPORTS = [
  'soccer_epl',
  'soccer_spain_la_liga',
  'soccer_italy_serie_a',
  'tennis_atp_paris_masters',
  'cricket_ipl',
];

describe('one event, three sources', () => {
  let app: FastifyInstance;
  let site: SiteServer;
  let siteSource: SiteSource;
  let odds: OddsApiSimulator;

  before(async () => {
    const sim = new SimSource({ sim: SIM });
    site = await startSite({ seed: SIM.seed, speed: SIM.speed, events: SIM.events, refreshMs: 1000 });
    siteSource = testSiteSource({ urls: [site.url] });
    odds = new OddsApiSimulator({
      schedule: { seed: SIM.seed, speed: SIM.speed, events: SIM.events },
      apiKey: 'three-key',
      fair: exchangeFair(() => sim.simulator, modelFair(SIM.speed), Date.now),
    });
    const oddsSource = new OddsApiSource({
      baseUrl: await odds.start(),
      apiKey: 'three-key',
      monthlyQuota: 100_000,
      quotaResetDay: 1,
      regions: ['uk', 'eu'],
      markets: ['h2h'],
      sports: SPORTS,
      maxSports: 8,
      minIntervalMs: 2000,
      inPlayWeight: 4,
      scoresDaysFrom: 0,
      timeoutMs: 5000,
      logger: pino({ level: 'silent' }) as unknown as AppLogger,
    });
    app = await makeTestApp({ sources: [sim, siteSource, oddsSource] });
    const first = await siteSource.pollOnce();
    assert.equal(first.ok, true, first.error);
  });

  after(async () => {
    await app?.close();
    await siteSource?.stop();
    await site?.close();
    await odds?.stop();
  });

  test('a match present in all three is one event with three upstream ids, and view=all shows every book', async () => {
    let three: Event[] = [];
    await until(
      () => {
        three = [...app.readModel.events.values()].filter(
          (e) => e.upstreamIds.sim && e.upstreamIds.imatchodds && e.upstreamIds.oddsapi,
        );
        return three.length >= 4;
      },
      30_000,
      'events carrying all three upstream ids',
    );
    const oddsOnly = [...app.readModel.events.values()].filter(
      (e) => e.upstreamIds.oddsapi && Object.keys(e.upstreamIds).length === 1,
    );
    assert.deepEqual(
      oddsOnly.map((e) => e.name),
      [],
      'every odds API match joined its exchange event',
    );
    // Races turn over every simulated minute and the two sources list them over different horizons: one
    // starting or finishing within a quarter of an hour may be on one source's list and not the other's.
    // Every other site match must be joined.
    const now = Date.now();
    const atTurnover = (e: Event) =>
      e.sportId === 26 && Math.abs(Date.parse(e.startTime) - now) < 15 * 60_000;
    const siteOnly = [...app.readModel.events.values()].filter(
      (e) => e.upstreamIds.imatchodds && !e.upstreamIds.sim && !atTurnover(e),
    );
    assert.deepEqual(
      siteOnly.map((e) => e.name),
      [],
      'every site match joined its exchange event',
    );

    const ev = three.find((e) => e.sportId === 1) ?? three[0];
    assert.ok(ev, 'an event of all three sources');
    const detail = (await app.inject({ url: `/api/v1/feed/event/${ev.id}` })).json() as {
      data: { event: { sources: Record<string, string> } };
    };
    assert.deepEqual(Object.keys(detail.data.event.sources).sort(), ['imatchodds', 'oddsapi', 'sim']);

    let books: string[] = [];
    await until(
      async () => {
        await siteSource.pollOnce();
        const res = await app.inject({ url: `/api/v1/feed/event/${ev.id}/odds?view=all` });
        const body = res.json() as { data: { books: { market: string; books: { book: string }[] }[] } };
        books = body.data.books.find((g) => g.market === 'MATCH_ODDS')?.books.map((b) => b.book) ?? [];
        return (
          books.includes('sim') &&
          books.includes('imatchodds') &&
          books.filter((b) => b.startsWith('oddsapi/')).length === 6
        );
      },
      20_000,
      'the exchange, the site and six bookmakers side by side',
    );
    assert.equal(books.length, 8, books.join(', '));
  });
});
