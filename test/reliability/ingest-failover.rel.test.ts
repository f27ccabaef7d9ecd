import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LEASE_DEFAULTS } from '../../src/ingest/lease.js';
import { DurableRedis } from './helpers/redis.js';
import { pick } from './helpers/short.js';
import { freePort, startServer, until, type RunningServer } from './helpers/server.js';
import { roomSeq, WsCrowd } from './helpers/ws-crowd.js';

const CLIENTS = pick(200, 50);

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
  after(async () => {
    crowd?.close();
    for (const s of servers) await s.proc.stop();
    await redis?.remove();
  });

  test('the ingest leader is killed: the other takes the lease and ingests within TTL + 5 s, its clients see no seq gap', async () => {
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

    a.proc.child.kill('SIGKILL');
    const killedAt = Date.now();
    const seqAtKill = await roomSeq(b.port);
    const tookOver = await until(
      async () => (await simState(b)) === 'connected',
      LEASE_DEFAULTS.ttlMs + 5000,
      'B takes the lease',
    );
    // B ingests: the room moves on past where A stopped, and every client of B follows.
    await until(
      async () => (await roomSeq(b.port)) > seqAtKill + 10,
      LEASE_DEFAULTS.ttlMs + 5000 - tookOver,
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
    const prices = await b.get('/api/v1/feed/events');
    assert.equal(prices.status, 200);
    assert.ok(b.alive());
  });
});
