import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoomFollower, type MarketPush } from './helpers/follower.js';
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

/** upstream event id → internal id, as /feed/events lists them. */
async function idMap(s: RunningServer): Promise<Map<string, number>> {
  return new Map((await events(s)).map((e) => [String(e.betfair_event_id), e.id]));
}

/** The market `marketId` as /event/:matchId/odds renders it (null when not listed). */
async function restMarket(
  s: RunningServer,
  matchId: string,
  marketId: string,
): Promise<Record<string, unknown> | null> {
  const r = await s.get(`/api/v1/feed/event/${matchId}/odds`);
  if (r.status !== 200) return null;
  let found: Record<string, unknown> | null = null;
  const walk = (v: unknown): void => {
    if (found || v === null || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (o.market_id === marketId && typeof o.version === 'number') found = o;
    else for (const x of Object.values(o)) walk(x);
  };
  walk(r.body);
  return found;
}

/** What a reader compares: the ladders, status and version of a market. */
function shown(m: Record<string, unknown>): unknown {
  return { version: m.version, status: m.status, in_play: m.in_play, selections: m.selections };
}

/**
 * A market updated after `since` reads the same over REST as over WebSocket: REST is not behind the
 * newest version the WebSocket client saw, and the WebSocket client gets the version REST shows, with the
 * same ladders. Tries the most recently pushed open markets until one stays listed (≤ `ms`).
 */
async function restMatchesWs(s: RunningServer, f: RoomFollower, since: number, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  let last = 'no market pushed after the restart';
  while (Date.now() < deadline) {
    const candidates = [...f.markets]
      .map(([id, pushes]) => [id, pushes.at(-1)] as [string, MarketPush])
      .filter(([, p]) => p.ts > since && p.data.status !== 'CLOSED')
      .sort((a, b) => b[1].seq - a[1].seq)
      .slice(0, 5);
    for (const [marketId, push] of candidates) {
      // REST may answer from its short response cache: wait for it to reach the pushed version.
      let rest = await restMarket(s, push.matchId, marketId);
      const restDeadline = Date.now() + 5000;
      while (rest && Number(rest.version) < push.version && Date.now() < restDeadline) {
        await new Promise((r) => setTimeout(r, 100));
        rest = await restMarket(s, push.matchId, marketId);
      }
      if (!rest) {
        last = `market ${marketId} not listed over REST`;
        continue;
      }
      assert.ok(
        Number(rest.version) >= push.version,
        `REST shows market ${marketId} at version ${String(rest.version)}, WebSocket pushed ${push.version}`,
      );
      const v = Number(rest.version);
      await until(() => f.version(marketId) >= v, 10_000, `WebSocket push of ${marketId} v${v}`);
      const ws = f.at(marketId, v);
      if (!ws) {
        last = `version ${v} of ${marketId} was superseded before it was seen`;
        continue;
      }
      assert.deepEqual(shown(rest), shown(ws.data), `market ${marketId} v${v}: REST and WebSocket differ`);
      return `${marketId} v${v}`;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`REST and WebSocket not compared: ${last}`);
}

describe('Redis killed mid-load and restarted', () => {
  let redis: DurableRedis | null = null;
  const servers: RunningServer[] = [];
  let load: RequestLoad | null = null;
  let follower: RoomFollower | null = null;
  after(async () => {
    follower?.close();
    await load?.stop();
    for (const s of servers) await s.proc.stop();
    await redis?.remove();
  });

  // Its bounded waits add up to more than the runner's default per-test limit (300 s).
  test(
    'the API answers throughout, health is degraded while Redis is away, ingestion catches up over REST and WebSocket, no result or id lost',
    { timeout: 600_000 },
    async () => {
      redis = new DurableRedis(await freePort());
      await redis.start();
      const env = {
        SOURCES: 'sim',
        SIM_SPEED: '30',
        SIM_EVENTS: '40',
        SIM_RATE: '300',
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: 'rel-outage:',
      };
      const s = await startServer(env);
      servers.push(s);
      // Results are recorded (races settle every few seconds at 30×) and the store has them.
      await until(async () => ((await results(s)).totals.stored ?? 0) >= 2, 90_000, 'two stored results');
      const before = { events: await events(s), results: await results(s) };
      const live = before.events.find((e) => e.in_play) ?? before.events[0];
      assert.ok(live, 'an event to follow');
      // A bot on the WebSocket follows every update; it stays connected through the outage.
      follower = new RoomFollower([`ws://127.0.0.1:${s.port}/ws`], 'all');
      const f = follower;
      await f.ready();
      await until(() => f.received > 10, 30_000, 'WebSocket pushes before the outage');
      load = new RequestLoad(s, () => [
        '/api/v1/feed/events',
        '/api/v2/diamond/games',
        `/api/v1/feed/event/${live.id}/odds`,
        '/api/v1/feed/socket-events',
      ]);

      await redis.kill();
      const downAt = Date.now();
      await until(async () => (await health(s)).data.status === 'degraded', 20_000, 'health degraded');
      const down = await health(s);
      assert.equal(down.status, 503);
      assert.ok(down.data.reasons.includes('store (redis) unreachable'), down.data.reasons.join('; '));
      const memoryResults = await results(s);
      assert.equal(memoryResults.source, 'memory', 'results are served from memory while the store is away');
      await new Promise((r) => setTimeout(r, Math.max(0, pick(20_000, 8_000) - (Date.now() - downAt))));
      assert.ok(s.alive(), 'no crash during the outage');
      assert.equal((await health(s)).status, 503, 'still degraded while Redis is away');

      await redis.start();
      const restartedAt = Date.now();
      await until(async () => (await health(s)).status === 200, 60_000, 'health ok again');
      // Ingestion resumes: everything held during the outage is committed, and changes logged after the
      // restart reach the WebSocket client (on the connection it had before the outage) and REST alike.
      await until(
        async () => (await health(s)).data.result_saver.pending_changes === 0,
        60_000,
        'pending changes committed',
      );
      await until(() => f.newestTs > restartedAt, 60_000, 'WebSocket pushes logged after the restart');
      const compared = await restMatchesWs(s, f, restartedAt, 60_000);
      await load.stop();
      assert.deepEqual(load.failures(), [], `every request answered 200 (${load.requests} requests)`);
      assert.equal(f.disconnects, 0, 'the WebSocket client stayed connected');
      assert.deepEqual(
        f.gaps,
        [],
        `the WebSocket client saw every seq once, in order (${f.received} pushes)`,
      );

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
      const beforeIds = new Map(before.events.map((e) => [String(e.betfair_event_id), e.id]));
      const nowIds = await idMap(s);
      let kept = 0;
      for (const [bfi, id] of beforeIds) {
        const now = nowIds.get(bfi);
        if (now === undefined) continue;
        kept++;
        assert.equal(now, id, `event ${bfi} changed id`);
      }
      assert.ok(kept > 0, 'some events outlived the outage');
      assert.ok(s.alive(), 'no crash');

      // What Redis holds after the outage is complete: a new process on it (this one stopped) assigns the
      // same internal ids to the same upstream events (including those first seen during the outage) and
      // lists the same results.
      const known = new Map([...beforeIds, ...nowIds]);
      const resultIds = [...ids];
      follower.close();
      follower = null;
      assert.equal(await s.proc.stop(), 0, 'clean shutdown');
      const s2 = await startServer(env);
      servers.push(s2);
      let again = 0;
      await until(
        async () => {
          const m = await idMap(s2);
          again = [...m.keys()].filter((bfi) => known.has(bfi)).length;
          return again >= Math.min(5, kept);
        },
        60_000,
        'the new process lists the events',
      );
      for (const [bfi, id] of await idMap(s2)) {
        const was = known.get(bfi);
        if (was !== undefined) assert.equal(id, was, `event ${bfi}: id ${id} after a restart, was ${was}`);
      }
      const stored = new Set((await results(s2)).data.map((r) => r.internal_id));
      const lost = resultIds.filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], 'results missing after a restart');
      process.stderr.write(
        `redis-outage: ${load.requests} requests, ${f.received} WebSocket pushes without gap, REST = WebSocket for ${compared}, ${kept} ids kept, ${again} re-resolved after a restart, ${resultIds.length} results\n`,
      );
    },
  );
});
