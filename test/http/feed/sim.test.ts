import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { makeTestApp } from '../../helpers/app.js';
import { driveSimulator } from './sim-driver.js';
import { assertShape } from './shape.js';
import * as seed from './seed-examples.js';

const API = '/api/v1/feed';
const LABELS = [
  'Football',
  'Tennis',
  'Cricket',
  'Basketball',
  'Ice Hockey',
  'Table Tennis',
  'Handball',
  'Volleyball',
  'Horse Racing',
  'Greyhound',
];

type SocketEvent = { id: number; bfi: number; internal_id: number; sport: string; in_play: boolean };

/** The simulated Betfair exchange as the upstream (see sim-driver.ts), 200 s of clock at 30× speed. */
describe('Porqpine feed contract with the simulator as upstream', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await makeTestApp();
    await driveSimulator(app, 200);
  });
  after(async () => app.close());

  const get = async (url: string) => {
    const res = await app.inject({ url: API + url });
    assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 200)}`);
    return res.json<{ data: never; count: number }>();
  };

  test('/socket-events, /events, /sports match the seed; sport labels are Porqpine labels', async () => {
    const se = await get('/socket-events');
    assertShape(se, seed.SOCKET_EVENTS, {
      nullable: [
        'data.selections.back_odds',
        'data.selections.back_size',
        'data.selections.lay_odds',
        'data.selections.lay_size',
      ],
    });
    const rows = se.data as SocketEvent[];
    assert.ok(rows.length >= 3);
    for (const r of rows) assert.ok(LABELS.includes(r.sport), r.sport);
    assert.ok(
      rows.some((r) => r.sport === 'Horse Racing'),
      'racing appears in /socket-events',
    );
    assertShape(await get('/events'), seed.EVENTS, { nullable: ['data.competition', 'data.competition.id'] });
    assertShape(await get('/sports'), seed.SPORTS);
  });

  test('single-event routes on both id schemes for every live event', async () => {
    const rows = (await get('/socket-events')).data as SocketEvent[];
    for (const r of rows.slice(0, 6)) {
      for (const id of [String(r.internal_id), String(r.bfi)]) {
        const odds = await get(`/event/${id}/odds`);
        assertShape(odds, seed.ODDS, {
          nullable: ['data.match_odds.selections.back', 'data.match_odds.selections.lay'],
        });
        const data = odds.data as { internal_id: string; bfi: string; event_id: string };
        assert.deepEqual(
          [data.event_id, data.internal_id, data.bfi],
          [id, String(r.internal_id), String(r.bfi)],
        );
        assertShape(await get(`/event/${id}`), seed.EVENT, {
          nullable: ['data.event.team_a', 'data.event.team_b'],
        });
        for (const suffix of ['/fancy', '/bookmaker', '/scores', '/scorecard', '/stream'])
          await get(`/event/${id}${suffix}`);
      }
    }
  });

  test('bulk odds and raw frames for simulated events', async () => {
    const rows = (await get('/socket-events')).data as SocketEvent[];
    const ids = rows.slice(0, 3).map((r) => String(r.bfi));
    const res = await app.inject({ method: 'POST', url: `${API}/odds/unified`, payload: { matchIds: ids } });
    assertShape(res.json(), seed.UNIFIED);
    const frames = await get(`/socket-odds?bfi=${ids[0]}`);
    assert.ok(frames.count > 0, 'the raw stream changes are kept');
    assertShape(frames, { success: true, count: 1, data: [{ market_id: '', bfi: '', frame: { id: '' } }] });
  });

  test('settled races and matches are results with the upstream winner, by internal id and bfi', async () => {
    const list = await get('/results?limit=100');
    assertShape(list, seed.RESULTS, { nullable: ['data.final_scores', 'data.team_a', 'data.team_b'] });
    const results = list.data as {
      internal_id: string;
      bfi: string;
      winner: string;
      winner_source: string;
      sport: string;
    }[];
    const settled = results.filter((r) => r.winner_source === 'settled');
    assert.ok(settled.length > 0, 'the simulator settles markets with a WINNER');
    assert.ok(settled.every((r) => r.winner && !r.winner.endsWith('(favourite)')));
    const one = settled[0]!;
    for (const id of [one.internal_id, one.bfi]) {
      const r = await get(`/result/${id}`);
      assert.equal((r.data as { winner: string }).winner, one.winner);
    }
  });
});
