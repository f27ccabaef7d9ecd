import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp } from '../../helpers/app.js';
import { assertShape } from './shape.js';
import * as seed from './seed-examples.js';
import { CRICKET, FANCY_ID, FOOTBALL, RACE, richUpdates, settleTennis, TENNIS } from './fixtures.js';

const API = '/api/v1/feed';

describe('Porqpine feed contract (seed 001 sample responses)', () => {
  let app: FastifyInstance;
  /** bfi → internal id. */
  const internal = new Map<string, string>();

  before(async () => {
    app = await makeTestApp();
    await feed(app, richUpdates());
    for (const e of app.readModel.events.values()) internal.set(e.upstreamIds.betfair!, String(e.id));
  });
  after(async () => app.close());

  async function get(url: string) {
    const res = await app.inject({ url: API + url });
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    assert.match(String(res.headers['content-type']), /application\/json/);
    return res.json<Record<string, unknown> & { data: never }>();
  }

  test('ids: internal ids are numbers from 1,000,001 and every sample event has its bfi', () => {
    assert.equal(internal.size, 4);
    for (const id of internal.values()) assert.ok(Number(id) >= 1_000_001);
  });

  test('/sports: name, count and sample events; racing is left to /socket-events', async () => {
    const body = await get('/sports');
    assertShape(body, seed.SPORTS);
    const names = (body.data as { name: string }[]).map((s) => s.name).sort();
    assert.deepEqual(names, ['Cricket', 'Football', 'Tennis']);
  });

  test('/events and /events?sport= (case-insensitive) match the seed', async () => {
    const body = await get('/events?sport=fOoTbAlL');
    assertShape(body, seed.EVENTS, { nullable: ['data.competition.id'] });
    const [ev] = body.data as { id: number; betfair_event_id: number; status: string; team_a: string }[];
    assert.equal(body.count, 1);
    assert.equal(ev?.id, Number(internal.get(FOOTBALL.bfi)));
    assert.equal(ev?.betfair_event_id, Number(FOOTBALL.bfi));
    assert.equal(ev?.status, 'LIVE');
    assert.equal(ev?.team_a, 'Real Sociedad');
    const all = await get('/events');
    assert.equal(all.count, 3, 'football, tennis, cricket');
    assertShape(await get('/events?sport=Nope'), { success: true, count: 0, data: [] });
  });

  test('/events/live lists in-play events only', async () => {
    const body = await get('/events/live');
    assertShape(body, seed.EVENTS, { nullable: ['data.competition.id'] });
    const ids = (body.data as { id: number; in_play: boolean }[]).map((e) => e.id).sort();
    assert.deepEqual(ids, [Number(internal.get(FOOTBALL.bfi)), Number(internal.get(CRICKET.bfi))].sort());
  });

  test('/socket-events: every selection with back/lay odds and sizes; racing appears here', async () => {
    const body = await get('/socket-events');
    assertShape(body, seed.SOCKET_EVENTS);
    const rows = body.data as {
      bfi: number;
      sport: string;
      start_time: string;
      selections: { back_odds: number }[];
    }[];
    const race = rows.find((r) => r.bfi === Number(RACE.bfi));
    assert.equal(race?.sport, 'Horse Racing');
    // Additive: the off time of a race, which no other list carries (the dashboard orders races by it).
    assert.equal(race?.start_time, '2026-11-22T15:00:00.000Z');
    assert.equal(race?.selections.length, 6);
    const football = rows.find((r) => r.bfi === Number(FOOTBALL.bfi));
    assert.equal(football?.selections[0]?.back_odds, 2.58);
    const filtered = await get('/socket-events?sport=horse%20racing');
    assert.equal(filtered.count, 1);
  });

  test('/search?q= finds by team, event and competition, accent- and case-insensitive', async () => {
    const byTeam = await get('/search?q=B%C3%89TIS');
    assertShape(
      byTeam,
      { success: true, count: 1, data: seed.EVENTS.data },
      { nullable: ['data.competition.id'] },
    );
    assert.equal((byTeam.data as { id: number }[])[0]?.id, Number(internal.get(FOOTBALL.bfi)));
    const byComp = await get('/search?q=atp');
    assert.equal((byComp.data as { name: string }[])[0]?.name, TENNIS.name);
    const ranked = await get('/search?q=england');
    assert.equal((ranked.data as { name: string }[])[0]?.name, CRICKET.name);
  });

  for (const scheme of ['internal', 'bfi'] as const) {
    const idOf = (bfi: string) => (scheme === 'bfi' ? bfi : internal.get(bfi)!);

    test(`/event/:id by ${scheme} id carries both ids`, async () => {
      const id = idOf(FOOTBALL.bfi);
      const body = await get(`/event/${id}`);
      assertShape(body, seed.EVENT);
      const data = body.data as {
        event_id: string;
        internal_id: string;
        bfi: string;
        event: { raw: unknown };
      };
      assert.equal(data.event_id, id);
      assert.equal(data.internal_id, internal.get(FOOTBALL.bfi));
      assert.equal(data.bfi, FOOTBALL.bfi);
      assert.deepEqual(data.event.raw, {
        betfair_event_id: Number(FOOTBALL.bfi),
        upstream_ids: { betfair: FOOTBALL.bfi },
        sport_id: 1,
      });
    });

    test(`/event/:id/odds by ${scheme} id: match odds, fancy and bookmaker, _meta, source`, async () => {
      const body = await get(`/event/${idOf(CRICKET.bfi)}/odds`);
      assertShape(body, seed.ODDS);
      assertShape((body.data as { fancy: unknown[] }).fancy[0], seed.MARKET);
      assertShape((body.data as { bookmaker: unknown[] }).bookmaker[0], seed.MARKET);
      const data = body.data as {
        match_odds: { market_id: string; selections: { back: { level: number; odds: number }[] }[] }[];
        _meta: { matchoddsFound: number; marketIds: string[] };
        market: { byBfi: Record<string, unknown> };
        source: string;
      };
      assert.deepEqual(data._meta.marketIds, [CRICKET.marketId]);
      assert.equal(data.match_odds[0]?.selections[0]?.back[0]?.odds, 1.93);
      assert.deepEqual(Object.keys(data.market.byBfi), [CRICKET.bfi]);
      assert.equal(data.source, 'live');
    });

    test(`/odds, /fancy and /bookmaker by ${scheme} id engage the live feed for the event (demand)`, async () => {
      const football = Number(internal.get(FOOTBALL.bfi));
      for (const suffix of ['/odds', '/fancy', '/bookmaker']) {
        const before = Date.now();
        await get(`/event/${idOf(FOOTBALL.bfi)}${suffix}`);
        assert.ok((app.demand.lastTouched(football) ?? 0) >= before, suffix);
      }
    });

    test(`/event/:id/fancy by ${scheme} id lists fancy markets and the best source`, async () => {
      const body = await get(`/event/${idOf(CRICKET.bfi)}/fancy`);
      assertShape(body, seed.FANCY);
      const data = body.data as {
        markets: { market_id: string }[];
        best: { market_id: string }[];
        count: number;
      };
      assert.equal(data.count, 1);
      assert.equal(data.markets[0]?.market_id, FANCY_ID);
      assert.deepEqual(
        data.best.map((m) => m.market_id),
        [FANCY_ID],
      );
      const none = await get(`/event/${idOf(TENNIS.bfi)}/fancy`);
      assert.deepEqual((none.data as { markets: unknown[] }).markets, []);
    });

    test(`/event/:id/bookmaker by ${scheme} id lists a skeleton and priced markets`, async () => {
      const body = await get(`/event/${idOf(CRICKET.bfi)}/bookmaker`);
      assertShape(body, seed.BOOKMAKER);
      const data = body.data as { skeleton: { selection_ids: string[] }[]; count: number; source: string };
      assert.equal(data.skeleton.length, 2);
      assert.deepEqual(data.skeleton[1]?.selection_ids, ['47068059', '47068060']);
      assert.equal(data.count, 1);
      assert.equal(data.source, 'live');
    });

    test(`/event/:id/scores, /scorecard, /stream by ${scheme} id`, async () => {
      const id = idOf(CRICKET.bfi);
      const scores = await get(`/event/${id}/scores`);
      assertShape(scores, {
        success: true,
        data: { event_id: '', internal_id: '', bfi: '', scores: {}, source: '' },
      });
      assert.deepEqual((scores.data as { scores: unknown }).scores, {
        home: '182/4',
        away: '96/2',
        over: '12.3',
      });
      const card = await get(`/event/${id}/scorecard`);
      assertShape(card, seed.SCORECARD);
      const c = card.data as { scorecard_url: string; hash: string; channel_id: string; iframe_html: string };
      assert.match(c.hash, /^[0-9a-f]{40}$/);
      assert.equal(c.channel_id, '1234');
      assert.ok(c.scorecard_url.endsWith(`/proxy/scorecard/${c.hash}/1234`));
      assert.ok(c.iframe_html.includes(c.scorecard_url));
      const stream = await get(`/event/${id}/stream`);
      assertShape(stream, seed.STREAM);
      const urls = (stream.data as { streams: { type: string; url: string }[] }).streams;
      assert.ok(
        urls.some(
          (s) => s.type === 'tracker' && s.url.endsWith('/proxy/tracker/12562643?productName=v33-1-dark'),
        ),
      );
    });
  }

  test('POST /odds/unified on both id schemes; unknown ids are null entries', async () => {
    const ids = [internal.get(FOOTBALL.bfi)!, CRICKET.bfi];
    const res = await app.inject({ method: 'POST', url: `${API}/odds/unified`, payload: { matchIds: ids } });
    assert.equal(res.statusCode, 200);
    const body = res.json<{ data: { market: Record<string, { fancy: unknown; bfi: string } | null> } }>();
    assertShape(body, seed.UNIFIED, { nullable: ['data.market.*.fancy', 'data.market.*.bookmaker'] });
    assert.equal(body.data.market[CRICKET.bfi]?.bfi, CRICKET.bfi);
    assert.ok(Array.isArray(body.data.market[CRICKET.bfi]?.fancy));
    assert.equal(body.data.market[ids[0]!]?.fancy, null);
    const mixed = await app.inject({
      method: 'POST',
      url: `${API}/odds/unified`,
      payload: { matchIds: [Number(internal.get(TENNIS.bfi)), '999999999'] },
    });
    assert.equal(mixed.statusCode, 200);
    const m = mixed.json<{ data: { match_ids: string[]; market: Record<string, unknown> } }>();
    assert.deepEqual(m.data.match_ids, [internal.get(TENNIS.bfi), '999999999']);
    assert.equal(m.data.market['999999999'], null);
    assert.ok(m.data.market[internal.get(TENNIS.bfi)!]);
  });

  test('/socket-odds by limit, market_id and bfi; /socket-scores by event_id', async () => {
    const recent = await get('/socket-odds?limit=2');
    assertShape(recent, {
      success: true,
      count: 2,
      data: [{ market_id: '', bfi: '', internal_id: '', frame: {} }],
    });
    assert.equal((recent.data as unknown[]).length, 2);
    const one = await get(`/socket-odds?market_id=${FOOTBALL.marketId}`);
    assert.deepEqual(
      (one.data as { frame: unknown }[]).map((f) => f.frame),
      [{ id: FOOTBALL.marketId, rc: [] }],
    );
    const byBfi = await get(`/socket-odds?bfi=${CRICKET.bfi}`);
    assert.equal(byBfi.count, 4, 'match odds, fancy and two bookmaker frames');
    const scores = await get(`/socket-scores?event_id=${CRICKET.bfi}`);
    assertShape(scores, { success: true, count: 1, data: [{ event_id: '', data: {} }] });
    assert.equal((scores.data as { event_id: string }[])[0]?.event_id, CRICKET.bfi);
  });

  test('/results and /result/:id (internal id and bfi) match the seed', async () => {
    await feed(app, settleTennis());
    const list = await get('/results?limit=10');
    assertShape(list, seed.RESULTS, { nullable: ['data.final_scores'] });
    const [r] = list.data as { winner: string; winner_source: string; bfi: string }[];
    assert.equal(r?.winner, 'Jannik Sinner');
    assert.equal(r?.winner_source, 'settled');
    for (const id of [internal.get(TENNIS.bfi)!, TENNIS.bfi]) {
      const one = await get(`/result/${id}`);
      assertShape(one, { success: true, data: seed.RESULT }, { nullable: ['data.final_scores'] });
      assert.equal((one.data as { internal_id: string }).internal_id, internal.get(TENNIS.bfi));
    }
    assertShape(await get('/results?sport=tennis'), seed.RESULTS, { nullable: ['data.final_scores'] });
    assert.equal((await get('/results?sport=cricket')).count, 0);
  });
});
