/**
 * The betfair-ex and sportsbook connectors live in the running server, configured only by their variables
 * (EXEC_BETFAIR_EX with the Betfair source's BETFAIR_*, EXEC_SPORTSBOOK_*): against the simulated exchange
 * and sportsbook on real sockets, they are listed active in /abp/bookmakers, an ABP order routed to each is
 * placed there (found in the venue's own books), listed in /abp/bets, and settles with the venue's profit
 * once the market has its result.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/core/clock.js';
import { ExchangeSimulator } from '../../src/sim/exchange.js';
import { startBetfairSimulation, type BetfairSimulation } from '../../src/sim/esa/index.js';
import type { SimMarket } from '../../src/sim/market.js';
import { OddsApiSimulator } from '../../src/sim/oddsapi/server.js';
import { oddsEventId, sportOf } from '../../src/sim/oddsapi/events.js';
import { normalizeOdds } from '../../src/sources/oddsapi/normalizer.js';
import type { OddsApiEvent } from '../../src/sources/oddsapi/types.js';
import { scheduleAt } from '../../src/sim/schedule.js';
import type { SourceUpdate } from '../../src/model/index.js';
import { loadConfig } from '../../src/config/index.js';
import { feed } from '../helpers/app.js';
import { matchOdds, runner } from '../helpers/fixtures.js';
import { pgliteBackend, type Backend } from '../records/helpers.js';
import { abpApp, newKey, withKey } from '../http/abp/helpers.js';

const round2 = (x: number) => Math.round(x * 100) / 100;
const SCHEDULE = { seed: 20261122, speed: 1, events: 40 };

describe('execution venues configured in the server (simulated exchange and sportsbook)', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 12, 0, 0));
  const exchange = new ExchangeSimulator({ now: clock.now, seed: 7 });
  const sportsbook = new OddsApiSimulator({
    schedule: SCHEDULE,
    apiKey: 'k',
    now: clock.now,
    sportsbook: { username: 'sb-user', password: 'sb-password-123', balance: 1000, maxRisk: 200 },
  });
  let bf: BetfairSimulation;
  let backend: Backend;
  let app: FastifyInstance;
  let key: string;
  let market: SimMarket;
  let exchangeFixture: string;
  let sportsbookFixture: string;
  let sportsbookStarts: number;

  const place = (order: Record<string, unknown>) =>
    app.inject({
      method: 'POST',
      url: '/abp/place-orders',
      headers: withKey(key),
      payload: { orders: [order] },
    });
  const account = (payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/abp/accounts', headers: withKey(key), payload });

  before(async () => {
    bf = await startBetfairSimulation({ simulator: exchange, now: clock.now, balance: 100_000 });
    const sbUrl = await sportsbook.start();
    const found = exchange
      .events()
      .filter((e) => e.sport === 'football')
      .map((e) => exchange.market(e.markets[0]?.marketId ?? '') as SimMarket)
      .find((m) => m.status === 'OPEN' && !m.inPlay && m.books.every((b) => b.backP.length >= 3));
    assert.ok(found, 'an open pre-play football market on the simulated exchange');
    market = found;
    backend = await pgliteBackend();
    // the server is configured the way an operator does it: variables only
    const env = {
      EXEC_BETFAIR_EX: 'on',
      BETFAIR_APP_KEY: bf.ready.esa.appKey,
      BETFAIR_USERNAME: bf.ready.identity.username,
      BETFAIR_PASSWORD: bf.ready.identity.password,
      BETFAIR_API_URL: bf.ready.api.url,
      BETFAIR_IDENTITY_URL: bf.ready.identity.url,
      BETFAIR_IDENTITY_CERT_URL: bf.ready.identity.url,
      EXEC_SPORTSBOOK_URL: sbUrl,
      EXEC_SPORTSBOOK_USERNAME: 'sb-user',
      EXEC_SPORTSBOOK_PASSWORD: 'sb-password-123',
    };
    const parsed = loadConfig({ env, configDir: null, overrides: { sources: [] } });
    app = await abpApp(backend, { execution: parsed.execution, betfair: parsed.betfair });
    await app.ready();
    key = await newKey(app, 'venues');

    // oddsgate's view of both: the exchange market as the `sim` source carries it, a sportsbook match as
    // the exchange names it
    const sbEvent = scheduleAt(SCHEDULE, clock.now()).find(
      (e) => sportOf(e) && e.sport === 'football' && e.startAt > clock.now() + 2 * 3600_000,
    );
    assert.ok(sbEvent, 'an upcoming football match at the sportsbook');
    sportsbookStarts = sbEvent.startAt;
    const updates: SourceUpdate[] = [
      {
        kind: 'event',
        source: 'sim',
        upstreamEventId: 'x-1',
        event: {
          sportId: 1,
          name: 'Exchange Home v Exchange Away',
          competition: { id: null, name: 'Sim League' },
          startTime: new Date(clock.now() + 3600_000).toISOString(),
          status: 'OPEN',
          inPlay: false,
        },
      },
      {
        kind: 'market',
        source: 'sim',
        upstreamEventId: 'x-1',
        market: matchOdds(
          market.id,
          market.books.map((b, i) =>
            runner(b.id, `Runner ${i}`, b.bestBack ?? 1.01, b.bestLay ?? 1000, {
              sortPriority: i + 1,
              back: [{ price: b.bestBack ?? 1.01, size: b.backS[0] ?? 0 }],
              lay: [{ price: b.bestLay ?? 1000, size: b.layS?.[0] ?? 0 }],
            }),
          ),
          { source: 'sim', startTime: new Date(clock.now() + 3600_000).toISOString() },
        ),
      },
    ];
    // and the sportsbook's own book as the odds-API source reads it from the simulator
    const sport = sportOf(sbEvent);
    assert.ok(sport);
    const odds = await fetch(`${sbUrl}/v4/sports/${sport.key}/odds?apiKey=k&regions=eu&markets=h2h`);
    assert.equal(odds.status, 200);
    updates.push(...normalizeOdds((await odds.json()) as OddsApiEvent[], 1, clock.now()));
    await feed(app, updates);
    const byName = (name: string) => [...app.readModel.events.values()].find((e) => e.name === name);
    exchangeFixture = String(byName('Exchange Home v Exchange Away')?.id);
    const sbId = oddsEventId(sbEvent);
    sportsbookFixture = String(
      [...app.readModel.events.values()].find((e) => e.upstreamIds.oddsapi === sbId)?.id,
    );
    assert.notEqual(exchangeFixture, 'undefined');
    assert.notEqual(sportsbookFixture, 'undefined');
  });
  after(async () => {
    await app?.close();
    await backend?.cleanup();
    await bf?.close();
    await sportsbook.stop();
  });

  test('both venues are listed active in /abp/bookmakers', async () => {
    const res = await app.inject({ url: '/abp/bookmakers', headers: withKey(key) });
    assert.equal(res.statusCode, 200);
    const bySlug = new Map(
      (res.json().bookmakers as { bookmaker: string; active: boolean }[]).map((b) => [b.bookmaker, b]),
    );
    assert.equal(bySlug.get('betfair-ex')?.active, true);
    assert.equal(bySlug.get('pinnacle')?.active, true);
  });

  test('a betfair-ex order is matched on the exchange, listed in /abp/bets and settles with the profit', async () => {
    const created = await account({
      bookmaker: 'betfair-ex',
      username: 'bf-main',
      password: 'bf-account-secret',
      balance: 1000,
      currencyId: 'GBP',
    });
    assert.equal(created.statusCode, 201, created.body);
    const price = market.books[0]!.bestBack!;
    const res = await place({
      requestUuid: randomUUID(),
      fixtureId: exchangeFixture,
      outcomeId: 101,
      playerId: 0,
      orderStake: 5,
      orderPrice: price,
      orderCurrency: 'GBP',
      bookmakers: 'betfair-ex',
      userRef: 'venues-bf',
      testOrder: false,
    });
    assert.equal(res.statusCode, 200, res.body);
    const o = res.json().acceptedOrders[0];
    assert.ok(o, res.body);
    assert.equal(o.orderStatus, 'FILLED', res.body);
    const placed = o.bets[0];
    assert.deepEqual(
      [placed.bookmaker, placed.betStatus, placed.placedStake],
      ['betfair-ex', 'CONFIRMED', 5],
    );
    assert.equal(placed.placedPrice, price);
    // the exchange holds exactly this bet, matched
    const onExchange = [...bf.engine.all()].filter((b) => b.marketId === market.id);
    assert.equal(onExchange.length, 1);
    assert.equal(onExchange[0]?.sizeMatched, 5);

    const listed = (await app.inject({ url: '/abp/bets?userRef=venues-bf', headers: withKey(key) })).json();
    assert.deepEqual(
      listed.bets.map((b: { betId: number }) => b.betId),
      [placed.betId],
    );

    // the market's result: the first runner wins; the exchange clears the bet and the server settles it
    market.settle([0], clock.now());
    clock.advance(exchange.tickMs);
    exchange.tick();
    assert.equal(await app.execution.settlement.runOnce(), 1);
    const bet = (await app.inject({ url: `/abp/bets/${placed.betId}`, headers: withKey(key) })).json().bet;
    assert.equal(bet.settlementStatus, 'WON');
    assert.equal(bet.settlementAmount, round2(5 * (price - 1)));
    const acc = (await app.inject({ url: '/abp/accounts/betfair-ex/bf-main', headers: withKey(key) })).json();
    assert.equal(acc.balance, round2(1000 + 5 * (price - 1)));
  });

  test('a sportsbook order is placed at the simulated sportsbook and settles after the match', async () => {
    const created = await account({
      bookmaker: 'pinnacle',
      username: 'sb-main',
      password: 'sb-account-secret',
      balance: 500,
      currencyId: 'USD',
    });
    assert.equal(created.statusCode, 201, created.body);
    const res = await place({
      requestUuid: randomUUID(),
      fixtureId: sportsbookFixture,
      outcomeId: 101,
      playerId: 0,
      orderStake: 10,
      orderPrice: 1.01,
      bookmakers: 'pinnacle',
      userRef: 'venues-sb',
      testOrder: false,
    });
    assert.equal(res.statusCode, 200, res.body);
    const o = res.json().acceptedOrders[0];
    assert.ok(o, res.body);
    assert.equal(o.orderStatus, 'FILLED', res.body);
    const placed = o.bets[0];
    assert.deepEqual([placed.bookmaker, placed.betStatus, placed.placedStake], ['pinnacle', 'CONFIRMED', 10]);
    assert.ok(placed.placedPrice > 1);

    const listed = (await app.inject({ url: '/abp/bets?userRef=venues-sb', headers: withKey(key) })).json();
    assert.deepEqual(
      listed.bets.map((b: { betId: number }) => b.betId),
      [placed.betId],
    );

    // the match is over at the sportsbook: its settled bet pays what the server records
    clock.set(sportsbookStarts + 6 * 3600_000);
    assert.equal(await app.execution.settlement.runOnce(), 1);
    const bet = (await app.inject({ url: `/abp/bets/${placed.betId}`, headers: withKey(key) })).json().bet;
    assert.ok(['WON', 'LOST'].includes(bet.settlementStatus), bet.settlementStatus);
    const expected = bet.settlementStatus === 'WON' ? round2(10 * (placed.placedPrice - 1)) : -10;
    assert.equal(bet.settlementAmount, expected);
    const acc = (await app.inject({ url: '/abp/accounts/pinnacle/sb-main', headers: withKey(key) })).json();
    assert.equal(acc.balance, round2(500 + expected));
  });
});
