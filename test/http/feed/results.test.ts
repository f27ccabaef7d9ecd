import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { feed, makeTestApp } from '../../helpers/app.js';
import { matchOdds } from '../../helpers/fixtures.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import type { SourceUpdate } from '../../../src/model/index.js';
import { FOOTBALL, flakyStore, richUpdates, settleTennis, TENNIS } from './fixtures.js';

const API = '/api/v1/feed';

type ResultBody = {
  internal_id: string;
  bfi: string;
  sport: string;
  winner: string | null;
  winner_source: string;
  completed_at: string;
  final_match_odds: Record<
    string,
    { selections: { name: string; status: string; back: { odds: number }[] }[] }
  >;
  final_scores: unknown;
};
type ResultsBody = {
  count: number;
  totals: { saved: number; rest: number };
  data: ResultBody[];
  stale: boolean;
};

/** The football main market closed with no settlement (the winner must be inferred). */
function closeFootballUnsettled(): SourceUpdate[] {
  return [
    {
      kind: 'market',
      source: 'betfair',
      upstreamEventId: FOOTBALL.bfi,
      market: matchOdds(
        FOOTBALL.marketId,
        FOOTBALL.runners.map((r) => ({ ...r, back: [], lay: [] })),
        { source: 'betfair', status: 'CLOSED' },
      ),
    },
  ];
}

describe('results', () => {
  test('settled and inferred winners, final odds and scores, newest first', async () => {
    const app = await makeTestApp();
    await feed(app, richUpdates());
    await feed(app, settleTennis());
    await feed(app, closeFootballUnsettled());
    const res = await app.inject({ url: `${API}/results` });
    const body = res.json<ResultsBody>();
    assert.equal(body.count, 2);
    assert.deepEqual(body.totals, { saved: 2, rest: 0, stored: 2 });
    const football = body.data.find((r) => r.bfi === FOOTBALL.bfi);
    const tennis = body.data.find((r) => r.bfi === TENNIS.bfi);
    assert.equal(tennis?.winner, 'Jannik Sinner');
    assert.equal(tennis?.winner_source, 'settled');
    assert.equal(football?.winner, 'Real Sociedad (favourite)');
    assert.equal(football?.winner_source, 'inferred');
    const final = football?.final_match_odds[FOOTBALL.marketId];
    assert.equal(
      final?.selections[0]?.back[0]?.odds,
      2.58,
      'the last seen prices, not the empty closing frame',
    );
    assert.ok(Date.parse(body.data[0]!.completed_at) >= Date.parse(body.data[1]!.completed_at));
    await app.close();
  });

  test('sport, limit and since filters', async () => {
    const app = await makeTestApp();
    await feed(app, richUpdates());
    await feed(app, settleTennis());
    // `since` is inclusive to the millisecond: keep the cut strictly after the tennis completion.
    await new Promise((r) => setTimeout(r, 5));
    const cut = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await feed(app, closeFootballUnsettled());
    const get = async (q: string) => (await app.inject({ url: `${API}/results?${q}` })).json<ResultsBody>();
    assert.deepEqual(
      (await get('sport=TENNIS')).data.map((r) => r.sport),
      ['Tennis'],
    );
    assert.equal((await get('sport=Handball')).count, 0);
    assert.equal((await get('limit=1')).count, 1);
    assert.deepEqual(
      (await get(`since=${encodeURIComponent(cut)}`)).data.map((r) => r.bfi),
      [FOOTBALL.bfi],
    );
    await app.close();
  });

  test('/result/:id by bfi still answers once the event has left the current state', async () => {
    const app = await makeTestApp({ config: { closedMarketTtlSec: 0 } });
    await feed(app, richUpdates());
    const internal = String(app.readModel.findEvent(TENNIS.bfi)!.id);
    await feed(app, settleTennis());
    await new Promise((r) => setTimeout(r, 5));
    app.ingest.evict();
    await app.settle();
    assert.equal(app.readModel.findEvent(TENNIS.bfi), undefined, 'evicted');
    for (const id of [TENNIS.bfi, internal]) {
      const res = await app.inject({ url: `${API}/result/${id}` });
      assert.equal(res.statusCode, 200, id);
      assert.equal(res.json<{ data: ResultBody }>().data.internal_id, internal);
    }
    const gone = await app.inject({ url: `${API}/event/${TENNIS.bfi}` });
    assert.equal(gone.statusCode, 404);
    await app.close();
  });

  test('with the store unreachable, results seen by this instance are still served, marked stale', async () => {
    const flaky = flakyStore(new MemoryStore({ logMaxLen: 10_000 }));
    const app = await makeTestApp({ store: flaky.store });
    await feed(app, richUpdates());
    await feed(app, settleTennis());
    flaky.setDown(true);
    const list = await app.inject({ url: `${API}/results` });
    assert.equal(list.statusCode, 200);
    const body = list.json<ResultsBody & { source: string }>();
    assert.equal(body.source, 'memory');
    assert.equal(body.stale, true);
    assert.deepEqual(
      body.data.map((r) => r.winner),
      ['Jannik Sinner'],
    );
    assert.equal(list.headers['cache-control'], 'no-cache', 'a fallback answer is not cached for 12 h');
    const one = await app.inject({ url: `${API}/result/${TENNIS.bfi}` });
    assert.equal(one.statusCode, 200);
    const unknown = await app.inject({ url: `${API}/result/123456789` });
    assert.equal(unknown.statusCode, 502, 'cannot tell "no such result" while the store is down');
    assert.deepEqual(Object.keys(unknown.json()).sort(), ['error', 'success']);
    const odds = await app.inject({ url: `${API}/event/${FOOTBALL.bfi}/odds` });
    assert.equal(odds.statusCode, 200, 'REST keeps serving the last state');
    flaky.setDown(false);
    await app.close();
  });
});
