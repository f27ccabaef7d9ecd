/**
 * The sportsbook resolver matches oddsgate's events (named as the exchange names them: "Man Utd v …") to the
 * simulated sportsbook's fixtures (full names) by sport, start and sides, in either order, and the connector
 * then bets on the right team.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../../src/core/clock.js';
import type { Event } from '../../../src/model/event.js';
import { OddsApiSimulator } from '../../../src/sim/oddsapi/server.js';
import { outcomeNames, sportOf } from '../../../src/sim/oddsapi/events.js';
import { scheduleAt } from '../../../src/sim/schedule.js';
import { SportsbookConnector } from '../../../src/execution/connectors/sportsbook.js';
import { SportsbookFixtures } from '../../../src/execution/connectors/sportsbook-fixtures.js';

const SCHEDULE = { seed: 20261122, speed: 1, events: 40 };
const SPORT = { football: 1, tennis: 2, cricket: 3 } as Record<string, number>;

describe('sportsbook fixtures resolver', () => {
  const clock = new ManualClock(Date.parse('2026-11-22T12:00:00.000Z'));
  const sim = new OddsApiSimulator({ schedule: SCHEDULE, apiKey: 'k', now: clock.now });
  let connector: SportsbookConnector;
  let fixtures: SportsbookFixtures;
  const events = new Map<string, Event>();
  before(async () => {
    await sim.start();
    connector = new SportsbookConnector({
      baseUrl: sim.url,
      username: 'sim',
      password: 'sim-password',
      resolve: (s) => fixtures.resolve(s),
    });
    // oddsgate's view of the simulated events: the exchange's names, an internal id of our own
    scheduleAt(SCHEDULE, clock.now())
      .filter((e) => sportOf(e) && e.endAt > clock.now())
      .forEach((e, i) => {
        const [a, b] = e.name.split(' v ');
        const id = 1_000_001 + i;
        events.set(String(id), {
          id,
          sportId: SPORT[e.sport] ?? 0,
          name: e.name,
          team1: a ?? null,
          team2: b ?? null,
          startTime: new Date(e.startAt + 60_000).toISOString(),
        } as Event);
        // the same match listed the other way round
        events.set(`swapped-${id}`, {
          id,
          sportId: SPORT[e.sport] ?? 0,
          name: `${b} v ${a}`,
          team1: b ?? null,
          team2: a ?? null,
          startTime: new Date(e.startAt).toISOString(),
        } as Event);
        events.set(`sim-${id}`, { eventId: e.eventId, home: outcomeNames(e)[0] } as unknown as Event);
      });
    fixtures = new SportsbookFixtures({
      fetch: (id) => connector.fixtures(id),
      findEvent: (id) => events.get(id),
    });
    assert.ok((await fixtures.refresh()) > 0);
  });
  after(async () => {
    await connector.close();
    await sim.stop();
  });

  test('each event maps to its sportsbook fixture and side, whichever order oddsgate lists the sides in', () => {
    let checked = 0;
    for (const [key, ev] of events) {
      if (!/^\d+$/.test(key)) continue;
      const sim = events.get(`sim-${key}`) as unknown as { eventId: string; home: string };
      const home = fixtures.resolve({ fixtureId: key, outcomeId: 101, playerId: 0, back: true });
      assert.deepEqual(home && [home.eventId, home.team], [Number(sim.eventId), 'TEAM1'], ev.name);
      const swapped = fixtures.resolve({
        fixtureId: `swapped-${key}`,
        outcomeId: 101,
        playerId: 0,
        back: true,
      });
      assert.equal(swapped?.team, 'TEAM2', `${ev.name} listed the other way round`);
      checked++;
    }
    assert.ok(checked > 5);
    assert.equal(fixtures.resolve({ fixtureId: 'nope', outcomeId: 101, playerId: 0, back: true }), null);
  });

  test('the connector bets on the resolved fixture and side', async () => {
    const key = [...events.keys()].find(
      (k) => /^\d+$/.test(k) && Date.parse(events.get(k)!.startTime) > clock.now() + 3600_000,
    );
    assert.ok(key);
    const placed = await connector.place({
      key: randomUUID(),
      account: 'sim',
      selection: { fixtureId: key, outcomeId: 103, playerId: 0, back: true },
      stake: 5,
      price: 1.01,
      acceptBetterOdds: true,
    });
    assert.equal(placed.status, 'accepted');
    const sim = events.get(`sim-${key}`) as unknown as { eventId: string };
    const raw = placed.raw as { straightBet: { eventId: number; teamName: string; team2: string } };
    assert.equal(raw.straightBet.eventId, Number(sim.eventId));
    assert.equal(raw.straightBet.teamName, raw.straightBet.team2, 'outcome 103 is the away side');
  });
});
