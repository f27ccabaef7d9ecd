import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { pgliteBackend, type Backend } from '../../records/helpers.js';
import { event } from '../../store/fixtures.js';
import { priced } from '../../records/history/helpers.js';

/** Waits (bounded) until the history writer has written everything the store logged. */
async function historyCaughtUp(app: FastifyInstance, store: MemoryStore): Promise<void> {
  const last = (await store.readLog(null, 1_000_000)).at(-1)?.id ?? null;
  const deadline = Date.now() + 30_000;
  while (app.history?.writer?.stats.position !== last) {
    if (Date.now() > deadline)
      throw new Error(`history not caught up: ${app.history?.writer?.stats.position}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('odds history API (app over PGlite records)', () => {
  let backend: Backend;
  let app: FastifyInstance;
  const store = new MemoryStore({ logMaxLen: 10_000 });
  const ev = event(1_000_001, { upstreamIds: { betfair: '34567890' } });
  const M = '1.234567890';
  let t0 = 0;

  before(async () => {
    backend = await pgliteBackend();
    const records = await backend.open();
    app = await makeTestApp({ store, records, config: { history: { flushMs: 10 } } });
    await store.commit([{ type: 'event', event: ev }]);
    const prices = [2.0, 2.1, 1.9, 1.95];
    for (const [i, back] of prices.entries())
      await store.commit([
        {
          type: 'market',
          market: priced(M, ev.id, { back, lay: back + 0.04, ltp: back, tv: 1000 + i * 100 }),
        },
      ]);
    t0 = (await store.readLog(null, 10))[1]!.ts;
    await historyCaughtUp(app, store);
  });
  after(async () => {
    await app?.close();
    await backend?.cleanup();
  });

  test('raw ticks by internal id and by bfi, in the Porqpine envelope, snake_case', async () => {
    const res = await app.inject({
      url: `/api/v1/feed/event/${ev.id}/odds/history?interval=raw&runner=47972`,
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.success, true);
    assert.equal(body.data.event_id, ev.id);
    assert.equal(body.data.bfi, '34567890');
    const [m] = body.data.markets;
    assert.equal(m.market_id, M);
    assert.equal(m.runners.length, 1);
    assert.deepEqual(
      m.runners[0].points.map((p: { back: number; tv: number; in_play: boolean }) => [
        p.back,
        p.tv,
        p.in_play,
      ]),
      [
        [2.0, 1000, false],
        [2.1, 1100, false],
        [1.9, 1200, false],
        [1.95, 1300, false],
      ],
    );
    const viaBfi = await app.inject({
      url: `/api/v1/feed/event/34567890/odds/history?interval=raw&runner=47972`,
    });
    assert.deepEqual(viaBfi.json().data.markets, body.data.markets);
  });

  test('1m candles close at the last price, with the volume traded', async () => {
    const from = Math.floor(t0 / 60_000) * 60_000;
    const res = await app.inject({
      url: `/api/v1/feed/event/${ev.id}/odds/history?interval=1m&runner=47972&from=${from}&to=${from + 120_000}`,
    });
    assert.equal(res.statusCode, 200, res.body);
    const points = res.json().data.markets[0].runners[0].points;
    // The four commits usually fall in one minute; if they straddle two, the last candle closes at 1.95.
    const last = points.at(-1);
    assert.equal(last.back.close, 1.95);
    assert.equal(Math.max(...points.map((p: { back: { high: number } }) => p.back.high)), 2.1);
    assert.equal(Math.min(...points.map((p: { back: { low: number } }) => p.back.low)), 1.9);
    const volume = points.reduce((s: number, p: { volume: number }) => s + p.volume, 0);
    assert.equal(volume, 300);
  });

  test('the closing route gives the last pre-play prices per runner', async () => {
    const res = await app.inject({ url: `/api/v1/feed/event/${ev.id}/closing` });
    assert.equal(res.statusCode, 200, res.body);
    const r = res
      .json()
      .data.markets[0].runners.find((x: { selection_id: number }) => x.selection_id === 47972);
    assert.equal(r.closing.back, 1.95);
    assert.equal(r.opening_in_play, null);
  });

  test('ETag: a repeated request with If-None-Match gets 304', async () => {
    const url = `/api/v1/feed/event/${ev.id}/odds/history?interval=raw`;
    const first = await app.inject({ url });
    const etag = first.headers.etag as string;
    assert.match(etag, /^W\/"/);
    const again = await app.inject({ url, headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
  });

  test('Diamond: the roadmap route in the Diamond envelope, camelCase, password required', async () => {
    const url = `/api/v2/diamond/games/${ev.id}/odds/history?interval=raw&runner=47972`;
    assert.equal((await app.inject({ url })).statusCode, 401);
    const res = await app.inject({ url, headers: { 'x-password': TEST_PASSWORD } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.success, true);
    assert.equal(typeof body.timestamp, 'string');
    assert.equal(body.data.gmid, ev.id);
    assert.equal(body.data.markets[0].runners[0].selectionId, 47972);
    assert.equal(body.data.markets[0].runners[0].points[0].backSize, 100);
    assert.ok(res.headers.etag);
  });

  test('bad input and oversized requests get a clear 400; unknown events 404', async () => {
    const cases: Array<[string, RegExp]> = [
      ['interval=2m', /interval/],
      ['from=yesterday', /from/],
      ['runner=abc', /runner/],
      ['interval=raw&from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z', /Range too long for interval raw/],
      ['interval=1s&from=2026-01-01T00:00:00Z&to=2026-01-01T07:00:00Z', /Range too long/],
      ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', /from must be before to/],
    ];
    for (const [q, msg] of cases) {
      const res = await app.inject({ url: `/api/v1/feed/event/${ev.id}/odds/history?${q}` });
      assert.equal(res.statusCode, 400, q);
      assert.equal(res.json().success, false);
      assert.match(res.json().error, msg, q);
    }
    const missing = await app.inject({ url: '/api/v1/feed/event/999999999/odds/history' });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(Object.keys(missing.json()).sort(), ['error', 'success']);
  });

  test('/admin/health shows the history writer: caught up, no gaps, database reachable', async () => {
    const res = await app.inject({ url: '/api/v1/admin/health' });
    const data = res.json().data;
    assert.equal(data.records.reachable, true);
    assert.equal(data.history.writer, 'running');
    assert.equal(data.history.lag_entries, 0);
    assert.equal(data.history.gaps, 0);
    assert.ok(data.history.ticks_written >= 5);
    const metrics = await app.inject({ url: '/metrics' });
    assert.match(metrics.body, /oddsgate_history_ticks_written_total \d+/);
    assert.match(metrics.body, /oddsgate_history_lag_seconds 0/);
  });
});
