import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { feed, makeTestApp } from '../../helpers/app.js';
import { RedisStore } from '../../../src/store/redis-store.js';
import { deleteByPrefix, REDIS_URL, uniquePrefix } from '../../store/redis-helpers.js';
import { richUpdates, settleTennis, TENNIS } from './fixtures.js';
import { driveSimulator } from './sim-driver.js';

const API = '/api/v1/feed';
const silent = pino({ level: 'silent' });

describe('results on Redis survive a restart', () => {
  const prefix = uniquePrefix('feed-results');
  const admin = new Redis(REDIS_URL);
  after(async () => {
    await deleteByPrefix(admin, prefix);
    admin.disconnect();
  });

  const redisApp = () =>
    makeTestApp({ store: new RedisStore({ url: REDIS_URL, keyPrefix: prefix, logger: silent }) });

  test('a market closed with a WINNER is answered by /result/:id after the app is rebuilt', async () => {
    const first = await redisApp();
    await feed(first, richUpdates());
    const internal = String(first.readModel.findEvent(TENNIS.bfi)!.id);
    await feed(first, settleTennis());
    const before = await first.inject({ url: `${API}/result/${TENNIS.bfi}` });
    assert.equal(before.statusCode, 200);
    await first.close();

    const second = await redisApp();
    try {
      for (const id of [internal, TENNIS.bfi]) {
        const res = await second.inject({ url: `${API}/result/${id}` });
        assert.equal(res.statusCode, 200, id);
        const data = res.json<{ data: { winner: string; winner_source: string; internal_id: string } }>()
          .data;
        assert.equal(data.winner, 'Jannik Sinner');
        assert.equal(data.winner_source, 'settled');
        assert.equal(data.internal_id, internal, 'the internal id is stable across restarts');
      }
      const before1 = before.json<{ data: Record<string, unknown> }>().data;
      const after1 = (await second.inject({ url: `${API}/result/${internal}` })).json<{
        data: Record<string, unknown>;
      }>().data;
      assert.deepEqual(after1, before1, 'the same record');
      const list = await second.inject({ url: `${API}/results` });
      assert.deepEqual(
        list.json<{ data: { bfi: string }[] }>().data.map((r) => r.bfi),
        [TENNIS.bfi],
      );
      const keys = await admin.keys(`${prefix}*`);
      assert.ok(keys.length > 0, 'everything lives under the test prefix');
    } finally {
      await second.close();
    }
  });

  test('results recorded from simulated races and matches are all still there after a restart', async () => {
    const simPrefix = uniquePrefix('feed-results-sim');
    const make = () =>
      makeTestApp({ store: new RedisStore({ url: REDIS_URL, keyPrefix: simPrefix, logger: silent }) });
    try {
      const first = await make();
      await driveSimulator(first, 120);
      const before = (await first.inject({ url: `${API}/results?limit=500` })).json<{
        data: { internal_id: string }[];
      }>();
      await first.close();
      assert.ok(before.data.length > 0, 'the simulator settled some markets');
      const second = await make();
      try {
        const after1 = (await second.inject({ url: `${API}/results?limit=500` })).json<{ data: unknown[] }>();
        assert.deepEqual(after1.data, before.data);
        const one = before.data[0]!;
        const res = await second.inject({ url: `${API}/result/${one.internal_id}` });
        assert.equal(res.statusCode, 200);
      } finally {
        await second.close();
      }
    } finally {
      await deleteByPrefix(admin, simPrefix);
    }
  });
});
