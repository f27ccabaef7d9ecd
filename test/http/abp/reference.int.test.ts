import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { feed } from '../../helpers/app.js';
import { matchOdds, runner, sampleUpdates } from '../../helpers/fixtures.js';
import { postgresBackend, type Backend } from '../../records/helpers.js';
import { abpApp, newKey, withKey } from './helpers.js';

/** The football sample event as a second book: an odds-API bookmaker ("oddsapi/pinnacle"). */
function pinnacleBook(fixtureName: string, home: number) {
  return [
    {
      kind: 'event' as const,
      source: 'oddsapi',
      upstreamEventId: 'oa-1',
      event: {
        sportId: 1,
        name: fixtureName,
        competition: { id: null, name: 'Spanish La Liga' },
        startTime: '2026-11-22T15:00:00.000Z',
        status: 'IN_PLAY' as const,
        inPlay: true,
      },
    },
    {
      kind: 'market' as const,
      source: 'oddsapi',
      upstreamEventId: 'oa-1',
      market: matchOdds(
        'oddsapi:oa-1:pinnacle:h2h',
        [runner(1, 'Real Sociedad', home, 0), runner(2, 'Betis', 3.2, 0), runner(3, 'Draw', 3.3, 0)],
        { source: 'oddsapi', inPlay: true, maxStake: 750 },
      ),
      raw: {},
    },
  ];
}

describe('ABP reference data and betslip', () => {
  let backend: Backend;
  let app: FastifyInstance;
  let key: string;
  let fixtureId: string;

  before(async () => {
    backend = await postgresBackend();
    app = await abpApp(backend, { abp: { betslipWindowMs: 60_000 } });
    await feed(app, sampleUpdates('sim'));
    key = await newKey(app, 'alice');
    const event = [...app.readModel.events.values()].find((e) => e.name === 'Real Sociedad v Betis');
    assert.ok(event);
    fixtureId = String(event.id);
  });
  after(async () => {
    await app?.close();
    await backend?.cleanup();
  });

  test('/bookmakers lists the catalogue, paper and the sources’ books', async () => {
    const res = await app.inject({ url: '/abp/bookmakers', headers: withKey(key) });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.status, 'success');
    const slugs = body.bookmakers.map((b: { bookmaker: string }) => b.bookmaker);
    for (const s of ['pinnacle', 'betfair-ex', 'polymarket', 'paper']) assert.ok(slugs.includes(s), s);
    assert.equal(body.count, body.bookmakers.length);
    const bf = body.bookmakers.find((b: { bookmaker: string }) => b.bookmaker === 'betfair-ex');
    assert.equal(bf.active, true, 'the simulated exchange has books now');
    assert.match(String(res.headers['cache-control']), /max-age=60/);
  });

  test('/markets: the result market per sport, sorted by sportId then marketId', async () => {
    const res = await app.inject({ url: '/abp/markets', headers: withKey(key) });
    const { markets } = res.json() as {
      markets: {
        sportId: number;
        marketId: number;
        outcomes: { outcomeId: number; outcomeName: string }[];
      }[];
    };
    const keys = markets.map((m) => [m.sportId, m.marketId]);
    assert.deepEqual(
      keys,
      [...keys].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!),
    );
    const football = markets.find((m) => m.sportId === 1 && m.marketId === 101);
    assert.deepEqual(football?.outcomes, [
      { outcomeId: 101, outcomeName: '1' },
      { outcomeId: 102, outcomeName: 'X' },
      { outcomeId: 103, outcomeName: '2' },
    ]);
    const tennis = markets.find((m) => m.sportId === 2 && m.marketId === 101);
    assert.deepEqual(
      tennis?.outcomes.map((o) => o.outcomeId),
      [101, 103],
    );
    const only = await app.inject({ url: '/abp/markets?sportId=2', headers: withKey(key) });
    assert.ok(only.json().markets.every((m: { sportId: number }) => m.sportId === 2));
    const bad = await app.inject({ url: '/abp/markets?sportId=x', headers: withKey(key) });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['query', 'sportId']);
  });

  test('/fixtures: internal ids as fixtureId, outcomes with current prices, keyset pages', async () => {
    const res = await app.inject({ url: `/abp/fixtures?fixtureId=${fixtureId}`, headers: withKey(key) });
    const f = res.json().fixtures[0];
    assert.equal(f.fixtureId, fixtureId);
    assert.deepEqual(f.participants, { participant1Name: 'Real Sociedad', participant2Name: 'Betis' });
    const home = f.outcomes.find((o: { outcomeId: number }) => o.outcomeId === 101);
    assert.equal(home.price, 2.58);
    assert.equal(home.playerId, 0);
    assert.deepEqual(home.bookmakers, { 'betfair-ex': 2.58 });
    assert.equal(f.outcomes.find((o: { outcomeId: number }) => o.outcomeId === 102).outcomeName, 'X');
    const p1 = await app.inject({ url: '/abp/fixtures?limit=2', headers: withKey(key) });
    assert.equal(p1.json().hasMore, true);
    const next = p1.json().nextCursor.afterFixtureId;
    const p2 = await app.inject({
      url: `/abp/fixtures?limit=2&afterFixtureId=${next}`,
      headers: withKey(key),
    });
    const ids = [...p1.json().fixtures, ...p2.json().fixtures].map((x: { fixtureId: string }) =>
      Number(x.fixtureId),
    );
    assert.deepEqual(
      ids,
      [...new Set(ids)].sort((a, b) => a - b),
    );
    assert.equal(ids.length, 4);
  });

  test('/betslip: every bookmaker with the outcome, the limit cascade, paper at the best price', async () => {
    await app.inject({
      method: 'POST',
      url: '/abp/accounts',
      headers: withKey(key),
      payload: {
        bookmaker: 'betfair-ex',
        username: 'bf_main',
        password: 'pw-123456',
        maxStake: 80,
        minStake: 10,
        priority: 5,
        balance: 1000,
      },
    });
    await app.inject({
      method: 'POST',
      url: '/abp/accounts',
      headers: withKey(key),
      payload: { bookmaker: 'betfair-ex', username: 'bf_low', password: 'pw-123456', priority: 1 },
    });
    const res = await app.inject({
      url: `/abp/betslip?fixtureId=${fixtureId}&outcomeId=101&playerId=0`,
      headers: withKey(key),
    });
    assert.equal(res.statusCode, 200, res.body);
    const slip = res.json();
    assert.equal(slip.fixtureId, fixtureId);
    assert.equal(slip.client, 'alice');
    assert.deepEqual(slip.outcomeInfo, {
      marketId: 101,
      marketName: 'Full Time Result',
      marketType: 'MATCH_ODDS',
      outcomeName: '1',
      handicap: null,
    });
    const bf = slip.odds['betfair-ex'][`${fixtureId}:betfair-ex:101:0`];
    assert.equal(bf.price, 2.58);
    assert.equal(bf.account, 'bf_main', 'the highest-priority active account');
    assert.equal(bf.limit, 80, 'account maxStake (below the exchange size 120)');
    assert.equal(bf.limitMin, 10, 'account minStake over the bookmaker default');
    assert.equal(bf.limitCurrency, 'USD');
    assert.equal(bf.limitUsd, 80);
    assert.equal(bf.active, true);
    const paper = slip.odds.paper[`${fixtureId}:paper:101:0`];
    assert.equal(paper.price, 2.58);
    assert.equal(paper.account, null);
    assert.equal(paper.limit, 120, 'paper fills against the best book: no more than its size (120)');
    assert.equal(paper.limitUsd, 120);

    const away = await app.inject({
      url: `/abp/betslip?fixtureId=${fixtureId}&outcomeId=103&playerId=0`,
      headers: withKey(key),
    });
    const awayBf = away.json().odds['betfair-ex'][`${fixtureId}:betfair-ex:103:0`];
    assert.equal(awayBf.price, 3.1, 'outcome 103 is the away side');
  });

  test('/betslip: the limit is never above what the account can stake (its balance)', async () => {
    const k = await newKey(app, 'carol');
    const post = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/abp/accounts', headers: withKey(k), payload });
    await post({
      bookmaker: 'betfair-ex',
      username: 'bf_small',
      password: 'pw-123456',
      maxStake: 80,
      balance: 35.5,
    });
    const slip = async () =>
      (
        await app.inject({
          url: `/abp/betslip?fixtureId=${fixtureId}&outcomeId=101&playerId=0`,
          headers: withKey(k),
        })
      ).json().odds['betfair-ex'][`${fixtureId}:betfair-ex:101:0`];
    const low = await slip();
    assert.equal(low.account, 'bf_small');
    assert.equal(low.limit, 35.5, 'the balance (35.50) caps the account maxStake (80)');
    assert.equal(low.limitUsd, 35.5);
    // a balance above every other cap leaves the cascade alone; an empty one offers nothing
    const patch = (balance: number) =>
      app.inject({
        method: 'PATCH',
        url: '/abp/accounts/betfair-ex/bf_small',
        headers: withKey(k),
        payload: { balance },
      });
    assert.equal((await patch(5000)).statusCode, 200);
    assert.equal((await slip()).limit, 80);
    assert.equal((await patch(0)).statusCode, 200);
    assert.equal((await slip()).limit, 0);
  });

  test('/betslip errors: 422 missing, 404 unknown fixture or outcome, 501 futures', async () => {
    const missing = await app.inject({ url: '/abp/betslip?outcomeId=101&playerId=0', headers: withKey(key) });
    assert.equal(missing.statusCode, 422);
    assert.deepEqual(missing.json(), {
      detail: [{ loc: ['query', 'fixtureId'], msg: 'Field required', type: 'missing' }],
    });
    const unknown = await app.inject({
      url: '/abp/betslip?fixtureId=999999999&outcomeId=101&playerId=0',
      headers: withKey(key),
    });
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(unknown.json(), { detail: 'Fixture not found' });
    const outcome = await app.inject({
      url: `/abp/betslip?fixtureId=${fixtureId}&outcomeId=104&playerId=0`,
      headers: withKey(key),
    });
    assert.equal(outcome.statusCode, 404);
    const fut = await app.inject({
      url: '/abp/betslip?futureId=fut_1&outcomeId=0&playerId=0&participantId=5',
      headers: withKey(key),
    });
    assert.equal(fut.statusCode, 501);
    assert.equal(typeof fut.json().detail, 'string');
  });

  test('a key limited to bookmakers sees only those in the betslip', async () => {
    const limited = await newKey(app, 'alice', { bookmakers: ['paper'] });
    const res = await app.inject({
      url: `/abp/betslip?fixtureId=${fixtureId}&outcomeId=101&playerId=0`,
      headers: withKey(limited),
    });
    assert.deepEqual(Object.keys(res.json().odds), ['paper']);
  });

  test('within the betslip window a price change is pushed on the client’s betslip channel', async () => {
    const pushed: { payload: unknown; client: string | undefined }[] = [];
    const channels = app.abp!.channels;
    const orig = channels.publish.bind(channels);
    channels.publish = (channel, event, payload, clientName) => {
      if (channel === 'betslip') pushed.push({ payload, client: clientName });
      return orig(channel, event, payload, clientName);
    };
    await app.inject({
      url: `/abp/betslip?fixtureId=${fixtureId}&outcomeId=101&playerId=0`,
      headers: withKey(key),
    });
    await feed(app, pinnacleBook('Real Sociedad v Betis', 2.7));
    for (let i = 0; i < 200 && pushed.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(pushed.length >= 1, true, 'a push after the change');
    const last = pushed[pushed.length - 1]!;
    assert.equal(last.client, 'alice');
    const odds = (last.payload as { odds: Record<string, Record<string, { price: number }>> }).odds;
    assert.equal(odds.pinnacle?.[`${fixtureId}:pinnacle:101:0`]?.price, 2.7);
    assert.equal(odds.paper?.[`${fixtureId}:paper:101:0`]?.price, 2.7, 'paper follows the best price');
  });

  test('totals and handicaps the books carry are listed, on the betslip, and placed on paper', async () => {
    const line = (id: string, type: 'TOTALS' | 'SPREADS', runners: ReturnType<typeof runner>[]) => ({
      kind: 'market' as const,
      source: 'oddsapi',
      upstreamEventId: 'oa-1',
      market: matchOdds(id, runners, { source: 'oddsapi', inPlay: true, type, name: type }),
      raw: {},
    });
    await feed(app, [
      ...pinnacleBook('Real Sociedad v Betis', 2.6),
      line('oddsapi:oa-1:pinnacle:totals', 'TOTALS', [
        runner(11, 'Over 2.5', 1.93, 0, { handicap: 2.5 }),
        runner(12, 'Under 2.5', 1.89, 0, { handicap: 2.5 }),
      ]),
      line('oddsapi:oa-1:pinnacle:spreads', 'SPREADS', [
        runner(21, 'Real Sociedad', 2.05, 0, { handicap: -1.5 }),
        runner(22, 'Betis', 1.8, 0, { handicap: 1.5 }),
      ]),
    ]);
    // catalogue ids (README "ABP outcome ids"): Over/Under 2.5 = market 10250, home −1.5 = market 101994
    const f = (
      await app.inject({ url: `/abp/fixtures?fixtureId=${fixtureId}`, headers: withKey(key) })
    ).json().fixtures[0];
    const priced = new Map(
      f.outcomes.map((o: { outcomeId: number; price: number }) => [o.outcomeId, o.price]),
    );
    assert.equal(priced.get(102501), 1.93);
    assert.equal(priced.get(102502), 1.89);
    assert.equal(priced.get(1019941), 2.05);
    assert.equal(priced.get(1019942), 1.8);
    const slip = (
      await app.inject({
        url: `/abp/betslip?fixtureId=${fixtureId}&outcomeId=102501&playerId=0`,
        headers: withKey(key),
      })
    ).json();
    assert.deepEqual(slip.outcomeInfo, {
      marketId: 10250,
      marketName: 'Over/Under 2.5',
      marketType: 'TOTALS',
      outcomeName: 'Over',
      handicap: 2.5,
    });
    assert.equal(slip.odds.pinnacle[`${fixtureId}:pinnacle:102501:0`].price, 1.93);
    assert.equal(slip.odds.paper[`${fixtureId}:paper:102501:0`].price, 1.93);

    // the paper bookmaker fills them at the best book's price (before: "no odds" for anything but 101-103)
    const k = await newKey(app, 'dave');
    await app.inject({
      method: 'POST',
      url: '/abp/accounts',
      headers: withKey(k),
      payload: { bookmaker: 'paper', username: 'dave_paper', password: 'pw-123456', balance: 500 },
    });
    const place = (outcomeId: number) =>
      app.inject({
        method: 'POST',
        url: '/abp/place-orders',
        headers: withKey(k),
        payload: {
          orders: [
            {
              requestUuid: crypto.randomUUID(),
              fixtureId,
              outcomeId,
              playerId: 0,
              orderStake: 10,
              orderPrice: 1.5,
              userRef: 'lines',
              testOrder: false,
              bookmakers: 'paper',
            },
          ],
        },
      });
    for (const [outcomeId, price] of [
      [102501, 1.93],
      [1019942, 1.8],
    ] as const) {
      const res = await place(outcomeId);
      assert.equal(res.statusCode, 200, res.body);
      const o = res.json().acceptedOrders[0];
      assert.equal(o?.orderStatus, 'FILLED', res.body);
      assert.equal(o.bets[0].placedPrice, price);
    }
    const none = (await place(104501)).json();
    assert.match(none.declinedOrders[0].declineReason, /no odds/, 'a line no book carries');
  });
});
