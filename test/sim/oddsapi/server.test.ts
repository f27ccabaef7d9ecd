import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OddsApiSimulator, oddsEventId, sidesOf, sportOf } from '../../../src/sim/oddsapi/server.js';
import { fullName } from '../../../src/sim/oddsapi/catalog.js';
import { scheduleAt } from '../../../src/sim/schedule.js';
import { ManualClock } from '../../../src/core/clock.js';

const SCHEDULE = { seed: 20261122, speed: 1, events: 40 };
const clock = new ManualClock(Date.parse('2026-11-22T12:00:00.000Z'));
const sim = new OddsApiSimulator({
  schedule: SCHEDULE,
  apiKey: 'test-key',
  now: clock.now,
  quotaLimit: 1000,
});
let url = '';

interface OddsEvent {
  id: string;
  sport_key: string;
  commence_time: string;
  home_team: string;
  away_team: string;
  bookmakers: {
    key: string;
    markets: { key: string; outcomes: { name: string; price: number; point?: number }[] }[];
  }[];
}

async function get(
  path: string,
  key = 'test-key',
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const sep = path.includes('?') ? '&' : '?';
  const res = await fetch(`${url}${path}${sep}apiKey=${key}`);
  return { status: res.status, headers: res.headers, body: await res.json() };
}

async function allOdds(markets = 'h2h', regions = 'uk,eu'): Promise<OddsEvent[]> {
  const sports = (await get('/v4/sports')).body as { key: string }[];
  const out: OddsEvent[] = [];
  for (const s of sports)
    out.push(
      ...((await get(`/v4/sports/${s.key}/odds?regions=${regions}&markets=${markets}`)).body as OddsEvent[]),
    );
  return out;
}

describe('simulated odds API', () => {
  before(async () => {
    url = await sim.start();
  });
  after(async () => {
    await sim.stop();
  });

  test('serves the simulated exchange’s own matches: same sides (full names) and start times, no racing', async () => {
    const listed = await allOdds();
    const expected = scheduleAt(SCHEDULE, clock.now()).filter(
      (e) => e.sport !== 'racing' && clock.now() < e.endAt,
    );
    assert.ok(expected.length >= 20);
    assert.equal(listed.length, expected.length);
    for (const ev of expected) {
      const got = listed.find((x) => x.id === oddsEventId(ev));
      assert.ok(got, ev.name);
      const runners = ev.markets[0]?.runners ?? [];
      assert.equal(got.home_team, fullName(runners[0]?.name ?? ''));
      assert.equal(got.away_team, fullName(runners[1]?.name ?? ''));
      assert.equal(Date.parse(got.commence_time), ev.startAt);
      assert.equal(got.sport_key, sportOf(ev)?.key);
    }
    assert.ok(
      listed.some(
        (e) =>
          e.home_team === 'Manchester United' ||
          e.away_team === 'Manchester United' ||
          e.bookmakers.length > 0,
      ),
    );
  });

  test('every bookmaker quotes every runner with its own margin: no book is below 100 %', async () => {
    const listed = await allOdds('h2h,h2h_lay');
    for (const ev of listed) {
      for (const bm of ev.bookmakers) {
        const h2h = bm.markets.find((m) => m.key === 'h2h');
        assert.ok(h2h);
        const over = h2h.outcomes.reduce((s, o) => s + 1 / o.price, 0);
        assert.ok(over > 1, `${bm.key} ${ev.home_team} v ${ev.away_team}: ${over}`);
        const lay = bm.markets.find((m) => m.key === 'h2h_lay');
        assert.equal(lay !== undefined, bm.key === 'betfair_ex_uk');
        if (lay) assert.ok(lay.outcomes.reduce((s, o) => s + 1 / o.price, 0) < 1);
      }
      const sport = ev.sport_key.split('_')[0];
      assert.equal(ev.bookmakers[0]?.markets[0]?.outcomes.length, sport === 'soccer' ? 3 : 2);
    }
  });

  test('football also prices totals 2.5 and a ±0.5 handicap when asked, each book above 100 %', async () => {
    const listed = await allOdds('h2h,totals,spreads');
    const soccer = listed.filter((e) => e.sport_key.startsWith('soccer'));
    assert.ok(soccer.length > 0);
    for (const ev of listed) {
      for (const bm of ev.bookmakers) {
        const totals = bm.markets.find((m) => m.key === 'totals');
        const spreads = bm.markets.find((m) => m.key === 'spreads');
        if (!ev.sport_key.startsWith('soccer')) {
          assert.equal(totals ?? spreads, undefined, 'lines are football only');
          continue;
        }
        assert.ok(totals && spreads, `${bm.key} ${ev.home_team}`);
        assert.deepEqual(
          totals.outcomes.map((o) => [o.name, o.point]),
          [
            ['Over', 2.5],
            ['Under', 2.5],
          ],
        );
        const [h, a] = spreads.outcomes;
        assert.deepEqual([h?.name, a?.name], [ev.home_team, ev.away_team]);
        assert.ok(Math.abs(h?.point ?? 0) === 0.5 && h?.point === -(a?.point ?? 0));
        for (const m of [totals, spreads])
          assert.ok(m.outcomes.reduce((s, o) => s + 1 / o.price, 0) > 1, `${bm.key} ${m.key} overround`);
      }
    }
  });

  test('charges markets × regions per odds request, 2 for scores with daysFrom, nothing for sports', async () => {
    const before = sim.quotaUsed;
    const r = await get('/v4/sports/soccer_epl/odds?regions=uk,eu&markets=h2h,h2h_lay');
    assert.equal(r.headers.get('x-requests-last'), '4');
    assert.equal(r.headers.get('x-requests-used'), String(before + 4));
    assert.equal(r.headers.get('x-requests-remaining'), String(1000 - before - 4));
    const s = await get('/v4/sports/soccer_epl/scores?daysFrom=1');
    assert.equal(s.headers.get('x-requests-last'), '2');
    assert.equal((await get('/v4/sports')).headers.get('x-requests-last'), '0');
  });

  test('answers 401 for a missing or wrong key, 422 for a bad market, 429 in rate-limit mode, 401 when the quota is spent', async () => {
    assert.equal((await get('/v4/sports', 'nope')).status, 401);
    assert.deepEqual(
      ((await get('/v4/sports', 'nope')).body as { error_code: string }).error_code,
      'INVALID_KEY',
    );
    const bad = await get('/v4/sports/soccer_epl/odds?regions=uk&markets=h2h,corners');
    assert.equal(bad.status, 422);
    sim.setRateLimited(2);
    assert.equal((await get('/v4/sports/soccer_epl/odds?regions=uk')).status, 429);
    assert.equal((await get('/v4/sports/soccer_epl/odds?regions=uk')).status, 429);
    assert.equal((await get('/v4/sports/soccer_epl/odds?regions=uk')).status, 200);
    const limit = sim.quotaLimit;
    sim.quotaLimit = sim.quotaUsed;
    const spent = await get('/v4/sports/soccer_epl/odds?regions=uk');
    assert.equal(spent.status, 401);
    assert.equal((spent.body as { error_code: string }).error_code, 'OUT_OF_USAGE_CREDITS');
    sim.quotaLimit = limit;
  });

  test('a planted arbitrage makes the best prices across bookmakers sum below 1 until it is removed', async () => {
    const res = await fetch(`${url}/admin/arbs`, {
      method: 'POST',
      body: JSON.stringify({ sportKey: 'soccer_epl', edgePct: 5 }),
    });
    assert.equal(res.status, 201);
    const plant = (await res.json()) as {
      id: string;
      eventId: string;
      sum: number;
      legs: { bookmaker: string; outcome: string; price: number }[];
    };
    assert.ok(plant.sum < 1 / 1.04 && plant.sum >= 1 / 1.05, String(plant.sum));
    const bestSum = async () => {
      const evs = (await get('/v4/sports/soccer_epl/odds?regions=uk,eu&markets=h2h')).body as OddsEvent[];
      const ev = evs.find((e) => e.id === plant.eventId);
      assert.ok(ev);
      const best = new Map<string, number>();
      for (const bm of ev.bookmakers)
        for (const o of bm.markets[0]?.outcomes ?? [])
          best.set(o.name, Math.max(best.get(o.name) ?? 0, o.price));
      return [...best.values()].reduce((s, p) => s + 1 / p, 0);
    };
    assert.ok(Math.abs((await bestSum()) - plant.sum) < 1e-9);
    const del = await fetch(`${url}/admin/arbs/${plant.id}`, { method: 'DELETE' });
    assert.equal(del.status, 200);
    assert.ok((await bestSum()) > 1);
  });

  test('scores: games in play and, with daysFrom, those completed, marked completed once play has ended', async () => {
    const listed = scheduleAt(SCHEDULE, clock.now()).filter((e) => sportOf(e)?.key === 'soccer_epl');
    const ev = listed[0];
    assert.ok(ev);
    clock.set(ev.endAt + 60_000);
    const scores = (await get('/v4/sports/soccer_epl/scores?daysFrom=1')).body as {
      id: string;
      completed: boolean;
      home_team: string;
    }[];
    const row = scores.find((s) => s.id === oddsEventId(ev));
    assert.equal(row?.completed, true);
    assert.equal(row?.home_team, sidesOf(ev)[0]);
    clock.set(Date.parse('2026-11-22T12:00:00.000Z'));
  });
});
