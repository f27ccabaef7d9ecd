import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { feed, makeTestApp } from '../helpers/app.js';
import { sampleUpdates } from '../helpers/fixtures.js';
import { spawnNode, waitFor, type Spawned } from '../helpers/process.js';
import { EV, priceUpdate, range } from '../broker/helpers.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { Store } from '../../src/store/types.js';
import { REDIS_URL, redisScratch } from '../store/redis-helpers.js';

const { prefix } = redisScratch('examples-bot');

/** An app over `store` listening on `port` (0: any), with the sample events fed. */
async function serve(store: Store, port = 0): Promise<{ app: FastifyInstance; port: number }> {
  const app = await makeTestApp({ store });
  await app.listen({ port, host: '127.0.0.1' });
  const addr = app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('not listening');
  await feed(app, sampleUpdates());
  return { app, port: addr.port };
}

/** The seqs of the live messages the bot printed (`#<seq> <type> …`), from line `from` on. */
function liveSeqs(out: string, from = 0): number[] {
  return out
    .split('\n')
    .slice(from)
    .flatMap((l) => {
      const m = /^#(\d+) /.exec(l);
      return m ? [Number(m[1])] : [];
    });
}

function lineIndex(out: string, re: RegExp): number {
  return out.split('\n').findIndex((l) => re.test(l));
}

const bots: Spawned[] = [];
after(async () => {
  for (const b of bots) await b.stop(2000);
});

function startBot(port: number): Spawned {
  const bot = spawnNode(
    ['--import', 'tsx', 'examples/bot.ts', '--url', `ws://127.0.0.1:${port}/ws`, '--event', EV.bfi],
    {},
  );
  bots.push(bot);
  return bot;
}

test(
  'examples/bot.ts follows an event, prints best prices, and survives a server restart with no seq gap or duplicate',
  { timeout: 120_000 },
  async () => {
    const redis = () =>
      new RedisStore({ url: REDIS_URL, keyPrefix: prefix, logger: pino({ level: 'silent' }) });
    let first: FastifyInstance | null = null;
    let second: FastifyInstance | null = null;
    try {
      const one = await serve(redis());
      first = one.app;
      const room = `event:${first.readModel.findEvent(EV.bfi)?.id}`;
      const bot = startBot(one.port);
      await waitFor(
        async () => (/snapshot@\d+ market_odds .*Real Sociedad \d/.test(bot.output()) ? true : undefined),
        30_000,
        'the snapshot with best prices',
      );
      for (let n = 1; n <= 5; n++) await feed(first, [priceUpdate(n)]);
      await waitFor(
        async () => (liveSeqs(bot.output()).length >= 5 ? true : undefined),
        10_000,
        'five live messages',
      );
      assert.match(bot.output(), /#\d+ market_odds Match Odds \[OPEN\] Real Sociedad 2\.05\/2\.07/);

      await first.close();
      first = null;
      await waitFor(
        async () => (/disconnected \(1001\)/.test(bot.output()) ? true : undefined),
        10_000,
        'the bot sees the restart',
      );
      const two = await serve(redis(), one.port);
      second = two.app;
      for (let n = 6; n <= 10; n++) await feed(second, [priceUpdate(n)]);
      const last = second.broker.lastSeq(room);
      await waitFor(
        async () => (liveSeqs(bot.output()).at(-1) === last ? true : undefined),
        20_000,
        `the bot at seq ${last}`,
      );

      const out = bot.output();
      const seqs = liveSeqs(out);
      assert.deepEqual(
        seqs,
        range(seqs[0] as number, last),
        'every message once, in order, across the restart',
      );
      assert.match(out, /recovered \d+ missed message\(s\)/);
      assert.doesNotMatch(out, /log epoch changed|gap in/);
    } finally {
      await first?.close();
      await second?.close();
    }
  },
);

test(
  'examples/bot.ts re-snapshots when the store is reset (new log epoch) and then follows with no gap',
  { timeout: 120_000 },
  async () => {
    let first: FastifyInstance | null = null;
    let second: FastifyInstance | null = null;
    try {
      const one = await serve(new MemoryStore({ logMaxLen: 10_000 }));
      first = one.app;
      const bot = startBot(one.port);
      await waitFor(
        async () => (/snapshot@\d+ market_odds/.test(bot.output()) ? true : undefined),
        30_000,
        'the first snapshot',
      );
      for (let n = 1; n <= 3; n++) await feed(first, [priceUpdate(n)]);
      await waitFor(
        async () => (liveSeqs(bot.output()).length >= 3 ? true : undefined),
        10_000,
        'live messages',
      );

      await first.close();
      first = null;
      const two = await serve(new MemoryStore({ logMaxLen: 10_000 }), one.port);
      second = two.app;
      const room = `event:${second.readModel.findEvent(EV.bfi)?.id}`;
      await waitFor(
        async () => (/log epoch changed \S+ -> \S+: re-snapshot/.test(bot.output()) ? true : undefined),
        20_000,
        'the epoch change',
      );
      const at = lineIndex(bot.output(), /log epoch changed/);
      await waitFor(
        async () =>
          /snapshot@\d+ market_odds/.test(bot.output().split('\n').slice(at).join('\n')) ? true : undefined,
        10_000,
        'the new snapshot',
      );
      for (let n = 4; n <= 7; n++) await feed(second, [priceUpdate(n)]);
      const last = second.broker.lastSeq(room);
      await waitFor(
        async () => (liveSeqs(bot.output(), at).at(-1) === last ? true : undefined),
        10_000,
        `the bot at seq ${last}`,
      );

      const out = bot.output();
      const sub = /subscribed \S+ at seq (\d+)/.exec(out.split('\n').slice(at).join('\n'));
      const after = liveSeqs(out, at);
      assert.deepEqual(
        after,
        range(Number(sub?.[1]) + 1, last),
        'from the new snapshot on: every message once',
      );
      assert.doesNotMatch(
        out.split('\n').slice(at).join('\n'),
        /recovered \d+ missed/,
        'no replay of the old log',
      );
    } finally {
      await first?.close();
      await second?.close();
    }
  },
);
