import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Records } from '../../src/records/index.js';
import { postgresBackend, type Backend } from '../records/helpers.js';
import { abpApp, harness, order } from './helpers.js';

// Two "instances": two apps, each with its own connection pool to one PostgreSQL database.
describe('requestUuid idempotency across instances (PostgreSQL)', () => {
  let backend: Backend;
  const records: Records[] = [];
  const apps: FastifyInstance[] = [];

  before(async () => {
    backend = await postgresBackend();
    for (let i = 0; i < 2; i++) {
      const r = await backend.open();
      records.push(r);
      const h = harness(r.database.db);
      h.quotes.set('3000001', 101, true, 2.0, null);
      h.accounts.add({ bookmaker: 'paper', username: 'main', clientName: 'alpha' });
      apps.push(await abpApp(h.execution));
    }
  });
  after(async () => {
    for (const a of apps) await a.close();
    for (const r of records) await r.close();
    await backend?.cleanup();
  });

  test('50 concurrent duplicates of one requestUuid on two instances: one order, one bet, 49 × 409', async () => {
    const o = order({ fixtureId: '3000001', bookmakers: 'paper' });
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (apps[i % 2] as FastifyInstance).inject({
          method: 'POST',
          url: '/abp/place-orders',
          headers: { 'x-test-client': 'alpha' },
          payload: { orders: [o] },
        }),
      ),
    );
    const codes = replies.map((r) => r.statusCode);
    assert.equal(codes.filter((c) => c === 200).length, 1, codes.join(','));
    assert.equal(codes.filter((c) => c === 409).length, 49);
    for (const r of replies.filter((x) => x.statusCode === 409))
      assert.deepEqual(r.json(), { detail: 'Duplicate request - requestUuid already in-flight' });
    const ok = replies.find((r) => r.statusCode === 200)?.json();
    assert.equal(ok.acceptedOrders[0].orderStatus, 'FILLED');
    const db = (records[0] as Records).database.db;
    const n = await sql<{ o: number; b: number; p: number }>`select
      (select count(*)::int from orders where request_uuid = ${o.requestUuid as string}::uuid) as o,
      (select count(*)::int from bets where request_uuid = ${o.requestUuid as string}::uuid) as b,
      (select count(*)::int from paper_bets) as p`.execute(db);
    assert.deepEqual(n.rows[0], { o: 1, b: 1, p: 1 });
  });
});
