import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { MemoryStore } from '../../src/store/memory-store.js';
import { SOURCE_STATUS_DOC, SourceStatusBoard, STALE_AFTER_MS } from '../../src/sources/status-board.js';
import type { SourceStatus } from '../../src/model/index.js';
import { makeTestApp } from '../helpers/app.js';
import { notReadyReasons } from '../../src/http/routes/health.js';

const silent = pino({ level: 'silent' });
const SPORT = { id: 4, name: 'Cricket' };

function status(source: string): SourceStatus {
  return {
    source,
    kind: 'sim',
    state: 'connected',
    connected: true,
    lastError: null,
    lastErrorAt: null,
    lastUpdateAt: 1000,
    frames: 5,
    markets: 3,
    details: {},
  };
}

function boards(now: { t: number }) {
  const store = new MemoryStore({ logMaxLen: 100 });
  const common = { store, logger: silent, now: () => now.t };
  const writer = new SourceStatusBoard({
    ...common,
    instance: 'ingest-1',
    local: () => [status('sim')],
    isWriter: () => true,
  });
  const reader = new SourceStatusBoard({
    ...common,
    instance: 'api-1',
    local: () => [],
    isWriter: () => false,
  });
  return { store, writer, reader };
}

test("a reader shows the writer's published statuses, and marks them stale once the writer stops publishing", async () => {
  const now = { t: 1_000_000 };
  const { writer, reader } = boards(now);
  assert.deepEqual((await reader.view()).statuses, [], 'nothing published yet');
  assert.equal((await reader.view()).origin, 'none');

  assert.equal(await writer.publish(), true);
  now.t += 2000; // past the read cache
  const fresh = await reader.view();
  assert.equal(fresh.origin, 'published');
  assert.equal(fresh.instance, 'ingest-1');
  assert.equal(fresh.stale, false);
  assert.deepEqual(fresh.statuses, [status('sim')]);

  now.t += STALE_AFTER_MS + 1;
  const stale = await reader.view();
  assert.equal(stale.stale, true);
  assert.equal(stale.statuses[0]!.connected, false, "a dead writer's sources are not reported connected");
  assert.equal(stale.statuses[0]!.details['stale'], true);
});

test('a non-writer never publishes; a malformed document counts as none', async () => {
  const now = { t: 1_000_000 };
  const { store, reader } = boards(now);
  assert.equal(await reader.publish(), false);
  assert.equal(await store.getDoc(SOURCE_STATUS_DOC), null);
  await store.setDoc(SOURCE_STATUS_DOC, { instance: 'x', publishedAt: 'soon', statuses: [{ source: 1 }] });
  const view = await reader.view();
  assert.equal(view.origin, 'none');
  assert.deepEqual(view.statuses, []);
});

test('/readyz: 200 when the store answers and the read model follows the log; 503 with the reason otherwise', async () => {
  const app = await makeTestApp();
  try {
    const ok = await app.inject({ url: '/readyz' });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json(), { status: 'ready' });
    assert.equal(ok.headers['cache-control'], 'no-store');

    // The store does not answer.
    const ping = app.store.ping.bind(app.store);
    app.store.ping = async () => false;
    const down = await app.inject({ url: '/readyz' });
    assert.equal(down.statusCode, 503);
    assert.deepEqual(down.json(), { status: 'not ready', reasons: ['store (memory) unreachable'] });
    app.store.ping = ping;

    // The log holds an entry the read model has not applied (its position is before it): behind once
    // that entry waited past the allowed lag, not while it is just being delivered.
    await app.store.commit([{ type: 'sport', sport: SPORT }]);
    const entry = (await app.store.readLog(null, 1))[0]!;
    const position = app.readModel.position;
    app.readModel.position = null;
    try {
      assert.deepEqual(await notReadyReasons(app, entry.ts + 60_000), ['read model behind the update log']);
      assert.deepEqual(await notReadyReasons(app, entry.ts), [], 'an entry just written does not count');
    } finally {
      app.readModel.position = position;
    }
    assert.deepEqual(await notReadyReasons(app, entry.ts + 60_000), [], 'caught up again');
    assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'liveness is a separate question');
  } finally {
    await app.close();
  }
});
