import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import pino from 'pino';
import { feed } from '../helpers/app.js';
import { sampleUpdates } from '../helpers/fixtures.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { REDIS_URL, deleteByPrefix, uniquePrefix } from '../store/redis-helpers.js';
import { EV, listeningApp, priceUpdate, range, seqsOf, TestClient } from './helpers.js';

const prefix = uniquePrefix('broker-2i');
const store = () => new RedisStore({ url: REDIS_URL, keyPrefix: prefix, logger: pino({ level: 'silent' }) });

after(async () => {
  const admin = new Redis(REDIS_URL);
  await deleteByPrefix(admin, prefix);
  admin.disconnect();
});

test('two instances on one Redis: ingest on one, clients on both see identical sequences; recovery and takeover on the other', async () => {
  const a = await listeningApp({ store: store() });
  const b = await listeningApp({ store: store() });
  const clients: TestClient[] = [];
  try {
    const ca = await TestClient.connect(a.url);
    const cb = await TestClient.connect(b.url);
    clients.push(ca, cb);
    for (const c of [ca, cb]) {
      await c.subscribe('all');
      await c.subscribe(`event:${EV.bfi}`);
    }
    await feed(a.app, sampleUpdates());
    for (let i = 0; i < 10; i++)
      await feed(
        a.app,
        Array.from({ length: 10 }, (_, j) => priceUpdate(i * 10 + j)),
      );
    await b.app.settle();
    const end = a.app.broker.lastSeq('all');
    assert.equal(b.app.broker.lastSeq('all'), end);
    const [pa, pb] = [await ca.waitPushes('all', end), await cb.waitPushes('all', end)];
    assert.deepEqual(seqsOf(pa), range(1, end));
    assert.deepEqual(pb, pa, 'identical messages, seqs and ts on both instances');
    const room = (
      await cb.next(
        (m) => m.type === 'subscribed' && m.requested === `event:${EV.bfi}` && m.room !== m.requested,
      )
    ).room as string;
    const ea = ca.pushes(room);
    assert.ok(ea.length >= 2);
    assert.deepEqual(cb.pushes(room), ea);

    const mid = pa[pa.length - 1]?.seq as number;
    ca.ws.terminate();
    await feed(a.app, [priceUpdate(500), priceUpdate(501)]);
    await b.app.settle();
    const onB = await TestClient.connect(b.url);
    clients.push(onB);
    await onB.subscribe('all', { since: mid });
    assert.equal((await onB.next((m) => m.type === 'recovery')).recovered, true);
    const last = b.app.broker.lastSeq('all');
    assert.deepEqual(seqsOf(await onB.waitPushes('all', last - mid)), range(mid + 1, last));

    await a.app.close();
    // B's ingest has not merged A's state (ingest takeover is not this test's subject): feed it whole.
    await feed(b.app, [...sampleUpdates(), priceUpdate(600)]);
    const final = b.app.broker.lastSeq('all');
    assert.ok(final > last);
    const after = await cb.waitPushes('all', final);
    assert.deepEqual(
      seqsOf(after),
      range(1, final),
      'the other instance takes over ingest and continues the seqs',
    );
  } finally {
    for (const c of clients) await c.close();
    await a.app.close();
    await b.app.close();
  }
});
