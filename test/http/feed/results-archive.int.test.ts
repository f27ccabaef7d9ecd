import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp } from '../../helpers/app.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { postgresBackend, result, type Backend } from '../../records/helpers.js';
import type { Records } from '../../../src/records/index.js';
import { richUpdates, settleTennis, TENNIS } from './fixtures.js';

const API = '/api/v1/feed';

type ArchiveBody = {
  success: boolean;
  count: number;
  data: { internal_id: string; bfi: string | null; completed_at: string; sport: string }[];
  source: string;
  next_cursor: string | null;
  totals: { saved: number; rest: number; stored: number };
};

describe('/results from the archive (from, to, cursor)', () => {
  let backend: Backend;
  let records: Records;
  let app: FastifyInstance;
  before(async () => {
    backend = await postgresBackend();
    records = await backend.open();
    app = await makeTestApp({ store: new MemoryStore({ durable: records.backing() }), records });
    // Older results than any hot window: written straight to the archive.
    for (let i = 0; i < 7; i++)
      records.writer.resultStored(result(5000 + i, `2025-01-0${1 + i}T12:00:00.000Z`, i % 2 === 0 ? 1 : 2));
    await feed(app, richUpdates());
    await feed(app, settleTennis());
    await records.writer.flush();
  });
  after(async () => {
    await app?.close();
    await backend?.cleanup();
  });

  test('pages newest first with an opaque cursor until next_cursor is null; every result once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const qs: string = cursor ? `&cursor=${cursor}` : '';
      const res = await app.inject({ url: `${API}/results?from=2025-01-01T00:00:00Z&limit=3${qs}` });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json<ArchiveBody>();
      assert.equal(body.source, 'archive');
      assert.equal(body.count, body.data.length);
      seen.push(...body.data.map((r) => r.internal_id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(pages, 3);
    assert.equal(seen.length, 8);
    assert.equal(new Set(seen).size, 8);
    const tennis = (await app.store.listResults({ limit: 10 }))[0]!;
    assert.equal(seen[0], String(tennis.eventId), 'the live result first');
    assert.deepEqual(seen.slice(1), ['5006', '5005', '5004', '5003', '5002', '5001', '5000']);
  });

  test('from (inclusive), to (exclusive) and sport filter the archive', async () => {
    const res = await app.inject({
      url: `${API}/results?from=2025-01-03T12:00:00Z&to=2025-01-07T12:00:00Z&sport=football`,
    });
    const body = res.json<ArchiveBody>();
    assert.deepEqual(
      body.data.map((r) => r.internal_id),
      ['5004', '5002'],
    );
    assert.equal(body.next_cursor, null);
    assert.equal(body.totals.stored, 8);
    const tennis = await app.inject({ url: `${API}/results?to=2030-01-01T00:00:00Z&sport=tennis&limit=1` });
    assert.equal(tennis.json<ArchiveBody>().data[0]?.bfi, TENNIS.bfi);
  });

  test('without from/to/cursor, /results is what it was (the hot store, no cursor)', async () => {
    const body = (await app.inject({ url: `${API}/results` })).json<ArchiveBody & { source: string }>();
    assert.equal(body.source, 'store');
    assert.equal('next_cursor' in body, false);
    assert.equal(body.count, 1);
  });

  test('bad parameters are a 400 in the Porqpine error shape, and change nothing', async () => {
    for (const qs of [
      'cursor=nonsense',
      'cursor=' + Buffer.from('v1:abc:1').toString('base64url'),
      'cursor=' + 'A'.repeat(200),
      'from=yesterday',
      'to=2025-13-45',
      'from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z',
      'from=2025-01-01T00:00:00Z&limit=0',
    ]) {
      const res = await app.inject({ url: `${API}/results?${qs}` });
      assert.equal(res.statusCode, 400, qs);
      const body = res.json<{ success: boolean; error: string }>();
      assert.equal(body.success, false);
      assert.equal(typeof body.error, 'string');
    }
    assert.equal(await records.results.count(), 8);
  });
});
