/**
 * Books side by side and arbitrage end to end, on real sockets: the simulated exchange (SimSource) and the
 * simulated odds API (HTTP on 127.0.0.1, serving the same fixtures with six bookmakers) feed one app.
 * Matches present in both become one event; an arbitrage planted in the odds API is listed by /arbs with
 * the right stake split after one poll, pushed to the `arbs` room, removed when it closes, and never
 * reported from books gone stale.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { SimSource } from '../../src/sim/sim-source.js';
import { OddsApiSimulator, oddsEventId, sportOf, type PlantedArb } from '../../src/sim/oddsapi/server.js';
import { exchangeFair, modelFair } from '../../src/sim/oddsapi/pricing.js';
import { OddsApiSource } from '../../src/sources/oddsapi/source.js';
import type { AppLogger } from '../../src/logger.js';
import type { Event } from '../../src/model/index.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { listeningApp, sleep, TestClient } from '../broker/helpers.js';

const SIM = { speed: 1, seed: 20261122, rate: 200, events: 40 };
const SPORTS = ['soccer_epl', 'soccer_spain_la_liga', 'tennis_atp_paris_masters', 'cricket_ipl'];
/** Odds polls of one sport are at least this far apart (so "within one poll" is measurable). */
const POLL_MS = 2000;
const BOOK_TTL_SEC = 6;

interface ArbLeg {
  selection: string;
  odds: number;
  book: string;
  stake: number;
  payout: number;
}
interface Arb {
  id: string;
  internal_id: string;
  kind: string;
  sum: number;
  edge_pct: number;
  profit: number;
  books: string[];
  sources: Record<string, string>;
  legs: ArbLeg[];
}

async function until<T>(
  what: string,
  ms: number,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const cents = (x: number) => Math.round(x * 100) / 100;

describe('books and arbitrage across the simulated exchange and the simulated odds API', () => {
  let app: FastifyInstance;
  let wsUrl: string;
  let sim: SimSource;
  let odds: OddsApiSimulator;
  let ws: TestClient;

  const get = async <T>(url: string): Promise<T> => {
    const res = await app.inject({ url });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as T;
  };
  const arbs = async () => (await get<{ data: Arb[] }>('/api/v1/feed/arbs')).data;
  const eventOf = (plant: PlantedArb): Event | undefined =>
    app.readModel.findByUpstream('oddsapi', plant.eventId);
  /**
   * Plants an arbitrage on a polled match not yet started (exchange prices there move little) that has no
   * arbitrage of its own (the simulated exchange can show one on a market still forming).
   */
  const plantArb = async (): Promise<PlantedArb> => {
    const listed = await arbs();
    for (const ev of odds.listed(Date.now())) {
      if (!SPORTS.includes(sportOf(ev)?.key ?? '') || ev.startAt < Date.now() + 15 * 60_000) continue;
      const mine = app.readModel.findByUpstream('oddsapi', oddsEventId(ev));
      if (!mine || !mine.upstreamIds.sim || listed.some((x) => x.internal_id === String(mine.id))) continue;
      // 8% (under the 10% ceiling): each planted leg stands clear of the exchange's own quote, which sits at
      // about fair; at 5% a leg could tie the exchange's back price, the exchange then took the leg, and the
      // arbitrage listed was not the planted one.
      return odds.plantArb({ eventId: oddsEventId(ev), edgePct: 8 });
    }
    throw new Error('no pre-match event to plant an arbitrage on');
  };
  /** The arbitrage of the planted event whose legs are the planted ones. */
  const plantedIn = (list: Arb[], plant: PlantedArb): Arb | undefined => {
    const ev = eventOf(plant);
    return list.find(
      (a) =>
        a.internal_id === String(ev?.id) &&
        a.legs.length === plant.legs.length &&
        a.legs.every((l, i) => l.book === `oddsapi/${plant.legs[i]?.bookmaker}`),
    );
  };

  before(async () => {
    sim = new SimSource({ sim: SIM });
    odds = new OddsApiSimulator({
      schedule: { seed: SIM.seed, speed: SIM.speed, events: SIM.events },
      apiKey: 'int-key',
      fair: exchangeFair(() => sim.simulator, modelFair(SIM.speed), Date.now),
    });
    const url = await odds.start();
    const source = new OddsApiSource({
      baseUrl: url,
      apiKey: 'int-key',
      monthlyQuota: 1_000_000,
      quotaResetDay: 1,
      regions: ['uk', 'eu'],
      markets: ['h2h'],
      sports: SPORTS,
      maxSports: 8,
      minIntervalMs: POLL_MS,
      inPlayWeight: 4,
      scoresDaysFrom: 0,
      timeoutMs: 5000,
      logger: pino({ level: 'silent' }) as unknown as AppLogger,
    });
    const started = await listeningApp({
      sources: [sim, source],
      config: { oddsApi: { bookTtlSec: BOOK_TTL_SEC }, books: { sweepMs: 200 } },
    });
    app = started.app;
    wsUrl = started.url;
    ws = await TestClient.connect(wsUrl);
    await ws.subscribe('arbs');
  });

  after(async () => {
    await ws?.close();
    await app?.close();
    await odds?.stop();
  });

  test('a match present in both sources is one event with both upstream ids, and view=all shows every book', async () => {
    const both = await until('matched events of every polled sport', 20_000, () => {
      const oddsEvents = [...app.readModel.events.values()].filter((e) => e.upstreamIds.oddsapi);
      const sports = new Set(oddsEvents.map((e) => e.sportId));
      return oddsEvents.length >= 6 && sports.size >= 3 ? oddsEvents : undefined;
    });
    const unmatched = both.filter((e) => !e.upstreamIds.sim).map((e) => e.name);
    assert.deepEqual(unmatched, [], 'every odds API match found its exchange event');
    const football = both.find((e) => e.sportId === 1);
    assert.ok(football, 'a matched football event');
    const detail = await get<{ data: { event: { sources: Record<string, string> } } }>(
      `/api/v1/feed/event/${football.id}`,
    );
    assert.deepEqual(Object.keys(detail.data.event.sources).sort(), ['oddsapi', 'sim']);

    const all = await until('all seven books of the match odds', 60_000, async () => {
      const body = await get<{
        data: { books: { market: string; books: { book: string; stale: boolean }[] }[] };
      }>(`/api/v1/feed/event/${football.id}/odds?view=all`);
      const mo = body.data.books.find((g) => g.market === 'MATCH_ODDS');
      return mo && mo.books.length >= 7 ? mo : undefined;
    });
    assert.deepEqual(all.books.map((b) => b.book).sort(), [
      'oddsapi/bet365',
      'oddsapi/betfair_ex_uk',
      'oddsapi/pinnacle',
      'oddsapi/sport888',
      'oddsapi/unibet_eu',
      'oddsapi/williamhill',
      'sim',
    ]);

    const best = await get<{
      data: { best: { market: string; selections: { key: string; best_back: { book: string } | null }[] }[] };
    }>(`/api/v1/feed/event/${football.id}/odds?view=best`);
    const mo = best.data.best.find((g) => g.market === 'MATCH_ODDS');
    assert.deepEqual(mo?.selections.map((s) => s.key).sort(), ['away', 'draw', 'home']);
    assert.ok(
      mo?.selections.every((s) => s.best_back !== null),
      'every runner has a best back',
    );

    const games = await app.inject({
      url: '/api/v2/diamond/games?sport_id=1',
      headers: { 'x-password': TEST_PASSWORD },
    });
    const game = (
      games.json() as {
        data: { games: { gmid: string; runners: { bestBack: { book: string } | null }[] }[] };
      }
    ).data.games.find((g) => g.gmid === String(football.id));
    assert.ok(
      game?.runners.every((r) => r.bestBack !== null && typeof r.bestBack.book === 'string'),
      'Diamond runners carry bestBack with its book',
    );
  });

  test('a planted arbitrage is listed with the right stakes after one poll, pushed to the arbs room, and removed when it closes', async () => {
    const plant = await plantArb();
    const arb = await until('the planted arbitrage in /arbs', 60_000, async () =>
      plantedIn(await arbs(), plant),
    );
    assert.ok(
      plant.servedIn.length <= 1,
      `listed after the first poll that carried it (served ${plant.servedIn.length} times)`,
    );
    assert.deepEqual(Object.keys(arb.sources).sort(), ['oddsapi', 'sim']);
    const sum = plant.legs.reduce((s, l) => s + 1 / l.price, 0);
    assert.ok(Math.abs(arb.sum - sum) < 1e-9, `sum ${arb.sum} vs planted ${sum}`);
    assert.ok(Math.abs(arb.edge_pct - (1 / sum - 1) * 100) < 1e-9, `edge ${arb.edge_pct}`);
    const expected = plant.legs.map((l) => ({
      book: `oddsapi/${l.bookmaker}`,
      odds: l.price,
      stake: cents((100 * (1 / l.price)) / sum),
    }));
    assert.deepEqual(
      arb.legs.map((l) => ({ book: l.book, odds: l.odds, stake: l.stake })),
      expected,
    );
    const worst = Math.min(...arb.legs.map((l) => cents(l.stake * l.odds)));
    assert.equal(arb.profit, cents(worst - arb.legs.reduce((s, l) => s + l.stake, 0)));
    assert.ok(arb.profit > 0, `profit ${arb.profit}`);

    const opened = await ws.next((m) => m.type === 'arb_opened' && (m.data as { id: string }).id === arb.id);
    assert.equal(opened.room, 'arbs');
    assert.deepEqual(
      (opened.data as { legs: { book: string; stake: number }[] }).legs.map((l) => l.stake),
      expected.map((l) => l.stake),
    );

    odds.removeArb(plant.id);
    await until('the arbitrage gone from /arbs', 60_000, async () =>
      (await arbs()).some((a) => a.id === arb.id) ? undefined : true,
    );
    const closed = await ws.next((m) => m.type === 'arb_closed' && (m.data as { id: string }).id === arb.id);
    assert.equal(closed.room, 'arbs');
  });

  test('books past their TTL never take part: an arbitrage whose books go stale is closed and no longer listed', async () => {
    const plant = await plantArb();
    const arb = await until('the planted arbitrage in /arbs', 60_000, async () =>
      plantedIn(await arbs(), plant),
    );
    const from = ws.messages.length;
    odds.setRateLimited(Infinity);
    try {
      const closed = await ws.nextAfter(
        from,
        (m) => m.type === 'arb_closed' && (m.data as { id: string }).id === arb.id,
        (BOOK_TTL_SEC + 5) * 1000,
      );
      assert.equal(closed.room, 'arbs');
      assert.ok(!(await arbs()).some((a) => a.id === arb.id), 'no longer listed');
      const ev = eventOf(plant) as Event;
      const all = await get<{
        data: { books: { market: string; books: { book: string; stale: boolean }[] }[] };
      }>(`/api/v1/feed/event/${ev.id}/odds?view=all`);
      const books = all.data.books.find((g) => g.market === 'MATCH_ODDS')?.books ?? [];
      assert.ok(
        books.filter((b) => b.book.startsWith('oddsapi/')).every((b) => b.stale),
        'the bookmaker books are flagged stale',
      );
      assert.ok(
        books.some((b) => b.book === 'sim' && !b.stale),
        'the streamed exchange book stays fresh',
      );
      const best = await get<{
        data: {
          best: {
            market: string;
            stale_books: string[];
            selections: { best_back: { book: string } | null }[];
          }[];
        };
      }>(`/api/v1/feed/event/${ev.id}/odds?view=best`);
      const mo = best.data.best.find((g) => g.market === 'MATCH_ODDS');
      assert.ok(mo && mo.stale_books.length === 6, `stale books ${JSON.stringify(mo?.stale_books)}`);
      assert.ok(
        mo.selections.every((s) => s.best_back === null || s.best_back.book === 'sim'),
        'best prices only from the fresh exchange book',
      );
    } finally {
      odds.setRateLimited(0);
      odds.removeArb(plant.id);
    }
  });
});
