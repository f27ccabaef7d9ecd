/**
 * The sportsbook connector against the started simulated sportsbook (real HTTP): line then place with the
 * key as uniqueRequestId (a repeat is the same bet), refusals (lay, a price below the request, limits), a
 * timeout fault whose bet is found by its key, settlement after the event, balance.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../../src/core/clock.js';
import { OddsApiSimulator } from '../../../src/sim/oddsapi/server.js';
import { SportsbookConnector } from '../../../src/execution/connectors/sportsbook.js';
import { UnknownOutcomeError, type PlaceRequest } from '../../../src/execution/types.js';

const TEAMS = ['TEAM1', 'TEAM2', 'DRAW'] as const;

describe('sportsbook connector against the simulated sportsbook', () => {
  const clock = new ManualClock(Date.parse('2026-11-22T12:00:00.000Z'));
  const sim = new OddsApiSimulator({
    schedule: { seed: 20261122, speed: 1, events: 40 },
    apiKey: 'k',
    now: clock.now,
    sportsbook: { username: 'u', password: 'p', balance: 500, maxRisk: 100 },
  });
  let connector: SportsbookConnector;
  let eventId = 0;
  let starts = 0;
  const make = (timeoutMs: number) =>
    new SportsbookConnector({
      baseUrl: sim.url,
      username: 'u',
      password: 'p',
      timeoutMs,
      // fixture ids in these tests are the sportsbook's event ids; outcome 101/103/102 → team 1/2/draw
      resolve: (s) => ({
        sportId: 29,
        eventId: Number(s.fixtureId),
        team: TEAMS[[101, 103, 102].indexOf(s.outcomeId)] ?? 'TEAM1',
      }),
    });
  before(async () => {
    await sim.start();
    connector = make(2000);
    const fx = sim.sportsbook.fixtures(29) as { league: { events: { id: number; starts: string }[] }[] };
    const ev = fx.league
      .flatMap((l) => l.events)
      .find((e) => Date.parse(e.starts) > clock.now() + 2 * 3600_000);
    assert.ok(ev);
    eventId = ev.id;
    starts = Date.parse(ev.starts);
  });
  after(async () => {
    await connector.close();
    await sim.stop();
  });

  const request = (outcomeId: number, stake: number, price = 1.01, back = true): PlaceRequest => ({
    key: randomUUID(),
    account: 'u',
    selection: { fixtureId: String(eventId), outcomeId, playerId: 0, back },
    stake,
    price,
    acceptBetterOdds: true,
  });

  test('places at the line price; the same key again is the same bet', async () => {
    const req = request(101, 10);
    const placed = await connector.place(req);
    assert.equal(placed.status, 'accepted');
    assert.equal(placed.stake, 10);
    assert.ok(placed.price > 1.01);
    const again = await connector.place(req);
    assert.equal(again.bookmakerBetId, placed.bookmakerBetId);
    const [found] = await connector.currentOrders([req.key]);
    assert.deepEqual([found?.status, found?.bookmakerBetId], ['accepted', placed.bookmakerBetId]);
    assert.equal(await connector.balance(), 490);
  });

  test('refusals: a lay, a price below the request, a stake above the limit', async () => {
    assert.equal((await connector.place(request(101, 5, 1.01, false))).status, 'rejected');
    const high = await connector.place(request(103, 5, 900));
    assert.equal(high.status, 'rejected');
    assert.match(high.reason ?? '', /below the requested/);
    const big = await connector.place(request(103, 150));
    assert.deepEqual([big.status, big.reason], ['rejected', 'ABOVE_MAX_BET_AMOUNT']);
  });

  test('a placement whose answer never comes is an unknown outcome; the bet is found by its key', async () => {
    const slow = make(300);
    sim.sportsbook.setFault({ kind: 'timeout' });
    const req = request(102, 7);
    await assert.rejects(slow.place(req), UnknownOutcomeError);
    const [found] = await connector.currentOrders([req.key]);
    assert.deepEqual([found?.status, found?.stake], ['accepted', 7]);
    await slow.close();
  });

  test('after the event the bets are cleared: one of home, away, draw won', async () => {
    const keys: string[] = [];
    for (const outcome of [101, 103, 102]) {
      const req = request(outcome, 4);
      keys.push(req.key);
      assert.equal((await connector.place(req)).status, 'accepted');
    }
    clock.set(starts + 6 * 3600_000);
    const cleared = await connector.clearedBets(keys);
    assert.equal(cleared.length, 3);
    const won = cleared.filter((c) => c.outcome === 'WON');
    assert.equal(won.length, 1);
    assert.ok(won[0]!.profit > 0);
    for (const c of cleared.filter((x) => x.outcome === 'LOST')) assert.equal(c.profit, -4);
  });
});
