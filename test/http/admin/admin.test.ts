import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { feed, makeTestApp } from '../../helpers/app.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { assertShape } from '../feed/shape.js';
import { HEALTH } from '../feed/seed-examples.js';
import { FakeSource, flakyStore, richUpdates, settleTennis } from '../feed/fixtures.js';

const ADMIN = '/api/v1/admin';

type Health = { data: { status: string; reasons: string[]; accounts: { total: number; active: number } } };

describe('admin surface', () => {
  test('/health matches the seed and flips 200 ok → 503 degraded → 200 ok with the sources and the store', async () => {
    const source = new FakeSource('betfair');
    const flaky = flakyStore(new MemoryStore({ logMaxLen: 10_000 }));
    const app = await makeTestApp({ store: flaky.store, sources: [source] });
    await feed(app, richUpdates());
    await feed(app, settleTennis());

    const ok = await app.inject({ url: `${ADMIN}/health` });
    assert.equal(ok.statusCode, 200);
    const body = ok.json<Health>();
    assertShape(body, HEALTH);
    assert.equal(body.data.status, 'ok');
    assert.deepEqual(body.data.accounts, { total: 1, active: 1 });
    assert.deepEqual(
      ok.json<{ data: { socket: unknown } }>().data.socket,
      { connected: true, rooms_subscribed: { matchOdds: 3, fancy: 1, bookmaker: 1 } },
      'three events with open match odds (tennis settled), cricket with fancy and bookmaker',
    );
    assert.equal(ok.json<{ data: { result_saver: { total: number } } }>().data.result_saver.total, 1);

    source.healthy = false;
    const noSource = await app.inject({ url: `${ADMIN}/health` });
    assert.equal(noSource.statusCode, 503);
    assertShape(noSource.json(), { ...HEALTH, data: { ...HEALTH.data, status: 'degraded' } });
    assert.deepEqual(noSource.json<Health>().data.reasons, ['no upstream source is healthy']);

    source.healthy = true;
    flaky.setDown(true);
    const noStore = await app.inject({ url: `${ADMIN}/health` });
    assert.equal(noStore.statusCode, 503);
    assert.equal(noStore.json<Health>().data.status, 'degraded');
    assert.deepEqual(noStore.json<Health>().data.reasons, ['store (memory) unreachable']);

    flaky.setDown(false);
    const back = await app.inject({ url: `${ADMIN}/health` });
    assert.equal(back.statusCode, 200);
    assert.equal(back.json<Health>().data.status, 'ok');
    await app.close();
  });

  test('/accounts lists one upstream session per source', async () => {
    const a = new FakeSource('betfair');
    const b = new FakeSource('browser');
    b.healthy = false;
    const app = await makeTestApp({ sources: [a, b] });
    const res = await app.inject({ url: `${ADMIN}/accounts` });
    assert.equal(res.statusCode, 200);
    const body = res.json<{
      count: number;
      data: { source: string; active: boolean; last_error: string | null }[];
    }>();
    assertShape(body, {
      success: true,
      count: 2,
      data: [{ source: '', kind: '', state: '', connected: true, active: true, frames: 1, markets: 1 }],
    });
    assert.deepEqual(
      body.data.map((s) => [s.source, s.active, s.last_error]),
      [
        ['betfair', true, null],
        ['browser', false, 'connection reset'],
      ],
    );
    await app.close();
  });

  test('/socket-rooms, /cache and /results report what the instance holds', async () => {
    const app = await makeTestApp();
    await feed(app, richUpdates());
    await feed(app, settleTennis());
    await app.inject({ url: '/api/v1/feed/events' });
    await app.inject({ url: '/api/v1/feed/sports' });

    const rooms = await app.inject({ url: `${ADMIN}/socket-rooms` });
    assert.equal(rooms.statusCode, 200);
    assertShape(rooms.json(), {
      success: true,
      count: 0,
      data: { ws_clients: 0, rooms: [], upstream: { matchOdds: 3, fancy: 1, bookmaker: 1 } },
    });

    const cache = await app.inject({ url: `${ADMIN}/cache` });
    const c = cache.json<{ data: { entries: number; by_prefix: Record<string, number> } }>().data;
    assert.equal(c.by_prefix['porqpine:events'], 1);
    assert.equal(c.by_prefix['porqpine:sports'], 1);
    assert.equal(c.by_prefix['raw-frames:markets'], 7, 'four match odds, one fancy, two bookmaker');
    assert.equal(c.by_prefix['scores:events'], 1);
    assert.equal(c.by_prefix['read-model:events'], 4);
    assert.ok(c.entries >= 2 + 7 + 1);

    const results = await app.inject({ url: `${ADMIN}/results` });
    const r = results.json<{
      data: { total: number; recent: { winner: string }[]; store_reachable: boolean };
    }>();
    assert.equal(r.data.total, 1);
    assert.equal(r.data.store_reachable, true);
    assert.deepEqual(
      r.data.recent.map((x) => x.winner),
      ['Jannik Sinner'],
    );
    for (const url of ['/socket-rooms', '/cache', '/results', '/accounts']) {
      const res = await app.inject({ url: ADMIN + url });
      assert.equal(res.headers['cache-control'], 'no-store', url);
    }
    await app.close();
  });
});
