import { test } from 'node:test';
import assert from 'node:assert/strict';
import { feed } from '../helpers/app.js';
import { sampleUpdates } from '../helpers/fixtures.js';
import { bigBatch, listeningApp, range, seqsOf, TestClient } from './helpers.js';

test('a client that stops reading is closed with 4008; the other clients receive every message', async () => {
  const { app, url } = await listeningApp({
    config: { ws: { maxQueueBytes: 1024 * 1024, maxQueueMessages: 5000 } },
  });
  try {
    await feed(app, sampleUpdates());
    const fast = [await TestClient.connect(url), await TestClient.connect(url)];
    const slow = await TestClient.connect(url);
    const start = (await slow.subscribe('all')).seq as number;
    for (const c of fast) await c.subscribe('all');
    slow.ws.pause();
    let rounds = 0;
    const stats = () => app.broker.stats() as { slow_consumers_closed: number };
    // The fast clients read everything of a round before the next (they share this process with the server:
    // fed back to back, a busy machine could leave them behind by the 1 MiB bound and cut them too, which
    // is the bound working on a client that did not keep up, not what this test is about).
    const keepUp = () =>
      Promise.all(fast.map((c) => c.waitPushes('all', app.broker.lastSeq('all') - start, 10_000)));
    while (stats().slow_consumers_closed === 0 && rounds < 400) {
      await feed(app, bigBatch(rounds++));
      await keepUp();
    }
    assert.equal(stats().slow_consumers_closed, 1, `closed after ${rounds} rounds of 50 messages`);
    for (let i = 0; i < 5; i++) {
      await feed(app, bigBatch(rounds++));
      await keepUp();
    }
    assert.equal(stats().slow_consumers_closed, 1, 'only the client that stopped reading was cut');
    const end = app.broker.lastSeq('all');
    for (const c of fast) {
      const got = await c.waitPushes('all', end - start, 10_000);
      assert.deepEqual(seqsOf(got), range(start + 1, end));
    }
    slow.ws.resume();
    const closed = await slow.closed;
    assert.equal(closed.code, 4008);
    assert.equal(closed.reason, 'slow consumer');
    const received = slow.pushes('all');
    assert.ok(received.length < end - start, 'the slow client missed messages');
    assert.deepEqual(seqsOf(received), range(start + 1, start + received.length), 'what it got has no gap');
    await Promise.all(fast.map((c) => c.close()));
  } finally {
    await app.close();
  }
});
