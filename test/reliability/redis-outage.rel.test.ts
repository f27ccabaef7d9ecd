import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestLoad } from './helpers/load.js';
import { DurableRedis } from './helpers/redis.js';
import { pick } from './helpers/short.js';
import { freePort, startServer, until, type RunningServer } from './helpers/server.js';

interface Health {
  status: string;
  reasons: string[];
  result_saver: { total: number | null; recorded_since_start: number; pending_changes: number };
}
interface FeedEvent {
  id: number;
  betfair_event_id: number | string | null;
  in_play?: boolean;
}
interface Results {
  source: string;
  totals: { stored: number | null };
  data: { internal_id: string }[];
}

async function health(s: RunningServer): Promise<{ status: number; data: Health }> {
  const r = await s.get('/api/v1/admin/health');
  return { status: r.status, data: (r.body as { data: Health }).data };
}

async function events(s: RunningServer): Promise<FeedEvent[]> {
  const r = await s.get('/api/v1/feed/events');
  assert.equal(r.status, 200);
  return (r.body as { data: FeedEvent[] }).data;
}

async function results(s: RunningServer): Promise<Results> {
  const r = await s.get('/api/v1/feed/results?limit=500');
  assert.equal(r.status, 200);
  return r.body as Results;
}

/** Newest market update time of an event's odds (epoch ms), 0 when none. */
async function newestOdds(s: RunningServer, id: number): Promise<number> {
  const r = await s.get(`/api/v1/feed/event/${id}/odds`);
  if (r.status !== 200) return 0;
  const text = JSON.stringify(r.body);
  return Math.max(0, ...[...text.matchAll(/"updatedAt":(\d+)/g)].map((m) => Number(m[1])));
}

describe('Redis killed mid-load and restarted', () => {
  let redis: DurableRedis | null = null;
  let server: RunningServer | null = null;
  let load: RequestLoad | null = null;
  after(async () => {
    await load?.stop();
    await server?.proc.stop();
    await redis?.remove();
  });

  test('the API answers throughout, health is degraded while Redis is away, ingestion catches up, nothing is lost', async () => {
    redis = new DurableRedis(await freePort());
    await redis.start();
    server = await startServer({
      SOURCES: 'sim',
      SIM_SPEED: '30',
      SIM_EVENTS: '40',
      SIM_RATE: '300',
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'rel-outage:',
    });
    const s = server;
    // Results are recorded (races settle every few seconds at 30×) and the store has them.
    await until(async () => ((await results(s)).totals.stored ?? 0) >= 2, 90_000, 'two stored results');
    const before = { events: await events(s), results: await results(s) };
    const live = before.events.find((e) => e.in_play) ?? before.events[0];
    assert.ok(live, 'an event to follow');
    load = new RequestLoad(s, () => [
      '/api/v1/feed/events',
      '/api/v2/diamond/games',
      `/api/v1/feed/event/${live.id}/odds`,
      '/api/v1/feed/socket-events',
    ]);

    await redis.kill();
    const downAt = Date.now();
    await until(async () => (await health(s)).data.status === 'degraded', 10_000, 'health degraded');
    const down = await health(s);
    assert.equal(down.status, 503);
    assert.ok(down.data.reasons.includes('store (redis) unreachable'), down.data.reasons.join('; '));
    const memoryResults = await results(s);
    assert.equal(memoryResults.source, 'memory', 'results are served from memory while the store is away');
    await new Promise((r) => setTimeout(r, Math.max(0, pick(20_000, 8_000) - (Date.now() - downAt))));
    assert.ok(s.alive(), 'no crash during the outage');

    await redis.start();
    const restartedAt = Date.now();
    await until(async () => (await health(s)).status === 200, 60_000, 'health ok again');
    // Ingestion resumes: everything held during the outage is committed and new prices arrive.
    await until(
      async () => (await health(s)).data.result_saver.pending_changes === 0,
      60_000,
      'pending changes committed',
    );
    await until(
      async () => (await newestOdds(s, live.id)) > restartedAt,
      60_000,
      'fresh prices after the restart',
    );
    await load.stop();
    assert.deepEqual(load.failures(), [], `every request answered 200 (${load.requests} requests)`);

    // No result lost: every result stored before is still there, and every result this process recorded
    // (during the outage too) is stored.
    const afterResults = await results(s);
    assert.equal(afterResults.source, 'store');
    const ids = new Set(afterResults.data.map((r) => r.internal_id));
    for (const r of before.results.data) assert.ok(ids.has(r.internal_id), `result ${r.internal_id} lost`);
    const h = (await health(s)).data.result_saver;
    assert.ok(
      (h.total ?? 0) >= h.recorded_since_start,
      `stored ${h.total} < recorded ${h.recorded_since_start}`,
    );
    // No id mapping lost: events listed before and after keep their internal id for their upstream id.
    const byBfi = new Map((await events(s)).map((e) => [String(e.betfair_event_id), e.id]));
    let compared = 0;
    for (const e of before.events) {
      const now = byBfi.get(String(e.betfair_event_id));
      if (now === undefined) continue;
      compared++;
      assert.equal(now, e.id, `event ${String(e.betfair_event_id)} changed id`);
    }
    assert.ok(compared > 0, 'some events outlived the outage');
    assert.ok(s.alive(), 'no crash');
  });
});
