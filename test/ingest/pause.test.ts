import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Ingest } from '../../src/ingest/ingest.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { SAMPLE_EVENTS, sampleUpdates } from '../helpers/fixtures.js';

const silent = pino({ level: 'silent' });

describe('ingest without the lease (paused) and taking over (init again)', () => {
  test('a paused ingest writes nothing; init() resumes it on the stored state, ids kept', async () => {
    const store = new MemoryStore({ logMaxLen: 10_000 });
    await store.connect();
    const writer = new Ingest({ store, logger: silent, closedMarketTtlMs: 60_000 });
    writer.init(await store.loadSnapshot());
    writer.push(sampleUpdates());
    await writer.drain();
    const before = await store.loadSnapshot();
    await writer.close();

    const standby = new Ingest({ store, logger: silent, closedMarketTtlMs: 60_000 });
    standby.pause();
    assert.equal(standby.isPaused, true);
    standby.push(sampleUpdates('other'));
    standby.notice('matches_updated', []);
    await standby.drain();
    assert.equal((await store.readLog(before.logPosition, 100)).length, 0, 'nothing committed while paused');

    standby.init(await store.loadSnapshot());
    assert.equal(standby.isPaused, false);
    standby.push(sampleUpdates());
    await standby.drain();
    const after = await store.loadSnapshot();
    assert.deepEqual(
      after.events.map((e) => e.id).sort(),
      before.events.map((e) => e.id).sort(),
      'the same upstream events keep their internal ids',
    );
    assert.equal(after.events.length, SAMPLE_EVENTS.length);
    await standby.close();
  });

  test('pause() drops what was queued: the new writer owns it', async () => {
    const store = new MemoryStore({ logMaxLen: 10_000 });
    await store.connect();
    const ingest = new Ingest({ store, logger: silent, closedMarketTtlMs: 60_000 });
    ingest.init(await store.loadSnapshot());
    ingest.push(sampleUpdates());
    ingest.pause();
    await ingest.drain();
    await new Promise((r) => setImmediate(r));
    assert.equal((await store.loadSnapshot()).events.length, 0);
    await ingest.close();
  });
});
