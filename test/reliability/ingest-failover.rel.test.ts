import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LEASE_DEFAULTS } from '../../src/ingest/lease.js';
import { RoomFollower } from './helpers/follower.js';
import { DurableRedis } from './helpers/redis.js';
import { pick } from './helpers/short.js';
import { freePort, startServer, until, type RunningServer } from './helpers/server.js';
import { roomSeq, WsCrowd } from './helpers/ws-crowd.js';

const CLIENTS = pick(200, 50);
/** Bots connected to the leader, given both instances' URLs: they resume on the other when it dies. */
const MOVERS = 5;

/** State of this instance's `sim` source as /admin/accounts shows it. */
async function simState(s: RunningServer): Promise<string> {
  const r = await s.get('/api/v1/admin/accounts');
  const sim = (r.body as { data?: { source: string; state: string }[] }).data?.find(
    (a) => a.source === 'sim',
  );
  return sim?.state ?? 'none';
}

describe('ingest failover: two instances on one Redis', () => {
  let redis: DurableRedis | null = null;
  const servers: RunningServer[] = [];
  let crowd: WsCrowd | null = null;
  const movers: RoomFollower[] = [];
  after(async () => {
    crowd?.close();
    for (const m of movers) m.close();
    for (const s of servers) await s.proc.stop();
    await redis?.remove();
  });

  test("the ingest leader is killed: the other takes the lease and ingests within TTL + 5 s; its clients and the leader's, resumed on it, see no seq gap", async () => {
    redis = new DurableRedis(await freePort());
    await redis.start();
    const env = {
      SOURCES: 'sim',
      SIM_SPEED: '10',
      SIM_RATE: '200',
      SIM_EVENTS: '40',
      ROLE: 'all',
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'rel-failover:',
      WS_MAX_CONNECTIONS: '5000',
    };
    const a = await startServer(env);
    servers.push(a);
    await until(async () => (await simState(a)) === 'connected', 30_000, 'A holds the lease and ingests');
    const b = await startServer(env);
    servers.push(b);
    // B waits: the lease is A's, so B's source is not started and B only follows the update log.
    await new Promise((r) => setTimeout(r, LEASE_DEFAULTS.attemptEveryMs * 2));
    assert.notEqual(await simState(b), 'connected', 'only one instance ingests');

    crowd = await WsCrowd.connect(b.port, CLIENTS);
    await until(() => crowd!.members.every((m) => m.received > 5), 30_000, "B's clients receive A's updates");
    const urls = [a, b].map((x) => `ws://127.0.0.1:${x.port}/ws`);
    for (let i = 0; i < MOVERS; i++) movers.push(new RoomFollower(urls, 'all', true));
    for (const m of movers) await m.ready();
    await until(() => movers.every((m) => m.received > 5), 30_000, "A's clients receive updates");

    a.proc.child.kill('SIGKILL');
    const killedAt = Date.now();
    const seqAtKill = await roomSeq(b.port);
    await until(
      async () => (await simState(b)) === 'connected',
      LEASE_DEFAULTS.ttlMs + 5000,
      'B takes the lease',
    );
    const tookOverMs = Date.now() - killedAt;
    // B ingests: the room moves on past where A stopped, and every client of B follows.
    await until(
      async () => (await roomSeq(b.port)) > seqAtKill + 10,
      LEASE_DEFAULTS.ttlMs + 5000 - tookOverMs,
      'B publishes new updates',
    );
    const ingestingAfterMs = Date.now() - killedAt;
    assert.ok(
      ingestingAfterMs <= LEASE_DEFAULTS.ttlMs + 5000,
      `B ingesting ${ingestingAfterMs} ms after the kill`,
    );
    const target = await roomSeq(b.port);
    assert.ok(await crowd.reach(crowd.members, target, 30_000), "B's clients reach the room's position");
    assert.deepEqual(
      crowd.members.filter((m) => m.gaps > 0 || m.client.ended).map((m) => m.gaps),
      [],
      'a client of B saw a seq gap, a repeat or a disconnect',
    );
    // A's clients lost their connection with A, reconnected to B with `since` and got exactly what they
    // missed (recovered, not a snapshot), then B's live updates: one unbroken sequence.
    await until(() => movers.every((m) => m.last >= target), 30_000, "A's clients reach B's position");
    for (const [i, m] of movers.entries()) {
      assert.equal(m.disconnects, 1, `client ${i} of A: one disconnect (A's death)`);
      assert.ok(
        m.recoveries.length === 1 && m.recoveries[0]?.recovered === true,
        `client ${i} of A: resumed on B by recovery: ${JSON.stringify(m.recoveries)}`,
      );
      assert.deepEqual(m.gaps, [], `client ${i} of A: seq gaps across the failover`);
    }
    process.stderr.write(
      `ingest-failover: B took the lease ${tookOverMs} ms after A's kill and was ingesting after ${ingestingAfterMs} ms (bound ${LEASE_DEFAULTS.ttlMs + 5000}); ${CLIENTS} clients of B and ${MOVERS} of A (resumed on B) without gap\n`,
    );
    const prices = await b.get('/api/v1/feed/events');
    assert.equal(prices.status, 200);
    assert.ok(b.alive());
  });
});
