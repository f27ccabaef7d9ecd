import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { feed, makeTestApp } from '../../helpers/app.js';
import { RedisStore } from '../../../src/store/redis-store.js';
import { freePort, ThrowawayRedis } from '../../store/redis-helpers.js';
import { CRICKET, FakeSource, richUpdates } from '../feed/fixtures.js';

const silent = pino({ level: 'silent' });

async function health(app: FastifyInstance): Promise<{ status: number; ms: number; body: string }> {
  const t0 = Date.now();
  const res = await app.inject({ url: '/api/v1/admin/health' });
  return { status: res.statusCode, ms: Date.now() - t0, body: res.body };
}

describe('/admin/health with Redis going away and coming back', () => {
  let redis: ThrowawayRedis | null = null;
  after(async () => {
    await redis?.kill();
  });

  test('200 ok → Redis killed: 503 degraded within 5 s, REST still serves → Redis back: 200 ok, no restart', async () => {
    const port = await freePort();
    redis = new ThrowawayRedis(port);
    await redis.start();
    const store = new RedisStore({
      url: `redis://127.0.0.1:${port}`,
      keyPrefix: 'health-test:',
      logger: silent,
    });
    const app = await makeTestApp({ store, sources: [new FakeSource('betfair')] });
    try {
      await feed(app, richUpdates());
      const up = await health(app);
      assert.equal(up.status, 200, up.body);

      await redis.kill();
      const down = await health(app);
      assert.equal(down.status, 503, down.body);
      assert.ok(down.ms < 5000, `answered in ${down.ms} ms`);
      const body = JSON.parse(down.body) as { success: boolean; data: { status: string; reasons: string[] } };
      assert.equal(body.data.status, 'degraded');
      assert.deepEqual(body.data.reasons, ['store (redis) unreachable']);
      for (const url of [
        '/api/v1/feed/events',
        `/api/v1/feed/event/${CRICKET.bfi}/odds`,
        '/api/v1/feed/socket-events',
      ]) {
        const res = await app.inject({ url });
        assert.equal(res.statusCode, 200, `${url} keeps serving the last state`);
      }
      const results = await app.inject({ url: '/api/v1/feed/results' });
      assert.equal(results.statusCode, 200, 'results fall back to memory');

      await redis.start();
      let last = await health(app);
      for (let i = 0; i < 100 && last.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        last = await health(app);
      }
      assert.equal(last.status, 200, last.body);
      assert.equal((JSON.parse(last.body) as { data: { status: string } }).data.status, 'ok');
    } finally {
      await app.close();
    }
  });
});
