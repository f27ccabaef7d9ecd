import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { freePort, spawnOddsgate, waitFor, type Spawned } from '../helpers/process.js';

interface Game {
  gmid: string;
  etid: number;
  title: string;
  startTime: string;
  bfi?: string | null;
  runners: {
    name: string;
    back: { price: number; size: number }[];
    lay: { price: number; size: number }[];
  }[];
}

const PASSWORD = 'e2e-password';

async function games(port: number, password = PASSWORD): Promise<Game[] | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v2/diamond/games`, {
    headers: { 'x-password': password },
  });
  if (res.status !== 200) return undefined;
  const body = (await res.json()) as { data: { games: Game[] } };
  return body.data.games;
}

const running: Spawned[] = [];
after(async () => {
  await Promise.all(running.map((p) => p.stop(2000)));
});

describe('oddsgate start (the README quick start)', () => {
  test('serves ≥ 30 simulated games with numeric ladders within 10 s, and the odds move', async () => {
    const port = await freePort();
    const p = spawnOddsgate(['start'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      DIAMOND_PASSWORD: PASSWORD,
      LOG_LEVEL: 'info',
    });
    running.push(p);
    // Process start-up (loading and compiling the TypeScript sources, and creating the embedded records
    // database on a first start: tens of seconds on a slow machine) depends on machine load; the
    // promise measured here is from listening to a full simulated board.
    await waitFor(
      async () => (p.output().includes('Server listening') ? true : undefined),
      180_000,
      'listening',
    );
    const t0 = Date.now();
    const list = await waitFor(
      async () => {
        const g = await games(port);
        return g && g.length >= 30 ? g : undefined;
      },
      10_000,
      `≥ 30 games (output: ${p.output().slice(-2000)})`,
    );
    assert.ok(Date.now() - t0 < 10_000);
    const sports = new Set(list.map((g) => g.etid));
    for (const s of [1, 2, 3, 26]) assert.ok(sports.has(s), `sport ${s} present`);
    const priced = list.filter((g) => g.runners.some((r) => r.back.length > 0));
    assert.ok(priced.length >= 20, `most games priced (${priced.length})`);
    for (const g of priced) {
      for (const r of g.runners) {
        for (const l of [...r.back, ...r.lay]) {
          assert.equal(typeof l.price, 'number');
          assert.equal(typeof l.size, 'number');
        }
        for (let i = 1; i < r.back.length; i++)
          assert.ok(r.back[i - 1]!.price > r.back[i]!.price, 'back best first');
        for (let i = 1; i < r.lay.length; i++)
          assert.ok(r.lay[i - 1]!.price < r.lay[i]!.price, 'lay best first');
      }
    }
    const snapshot = JSON.stringify(list.map((g) => g.runners));
    const moved = await waitFor(
      async () => {
        const g = await games(port);
        return g && JSON.stringify(g.map((x) => x.runners)) !== snapshot ? true : undefined;
      },
      10_000,
      'prices to move',
    );
    assert.equal(moved, true);
    assert.equal(await p.stop(), 0, 'SIGTERM shuts down cleanly');
  });

  test('without DIAMOND_PASSWORD a password is generated and logged once; it works', async () => {
    const port = await freePort();
    const p = spawnOddsgate(['start'], { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
    running.push(p);
    const password = await waitFor(
      async () => /generated one for this run: (\S+)/.exec(p.output())?.[1],
      60_000,
      'the generated password in the log',
    );
    await waitFor(async () => ((await games(port, password)) ? true : undefined), 180_000, 'games with it');
    const res = await fetch(`http://127.0.0.1:${port}/api/v2/diamond/games`, {
      headers: { 'x-password': 'wrong' },
    });
    assert.equal(res.status, 401);
    assert.equal(p.output().split('generated one for this run').length - 1, 1, 'logged once');
    await p.stop();
  });

  test('on Redis, state is in Redis and every event keeps its gmid across a restart', async () => {
    const prefix = `oddsgate-e2e:${process.pid}:${Date.now()}:`;
    const env = {
      HOST: '127.0.0.1',
      DIAMOND_PASSWORD: PASSWORD,
      LOG_LEVEL: 'warn',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: prefix,
    };
    const redis = new Redis('redis://127.0.0.1:6379');
    try {
      const port1 = await freePort();
      const first = spawnOddsgate(['start'], { ...env, PORT: String(port1) });
      running.push(first);
      const before = await waitFor(
        async () => {
          const g = await games(port1);
          return g && g.length >= 30 ? g : undefined;
        },
        180_000,
        `games on Redis (output: ${first.output().slice(-2000)})`,
      );
      const keys = await redis.keys(`${prefix}*`);
      assert.ok(keys.length > 0, 'state written under the key prefix');
      assert.equal(await first.stop(), 0);

      const port2 = await freePort();
      const second = spawnOddsgate(['start'], { ...env, PORT: String(port2) });
      running.push(second);
      const after = await waitFor(
        async () => {
          const g = await games(port2);
          return g && g.length >= 30 ? g : undefined;
        },
        180_000,
        'games after restart',
      );
      // Exchange events are keyed by bfi; events only the betting site knows, by title and start time.
      const key = (g: Game) => g.bfi ?? `${g.title}|${g.startTime}`;
      const byKey = new Map(after.map((g) => [key(g), g.gmid]));
      let compared = 0;
      for (const g of before) {
        const again = byKey.get(key(g));
        if (again === undefined) continue; // the event may have finished meanwhile
        assert.equal(again, g.gmid, `gmid of ${key(g)}`);
        compared++;
      }
      assert.ok(compared >= 25, `compared ${compared} events`);
      await second.stop();
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });
});
