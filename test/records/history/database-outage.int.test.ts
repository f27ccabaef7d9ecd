import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { Records } from '../../../src/records/index.js';
import { makeTestApp } from '../../helpers/app.js';
import { TcpProxy } from '../../helpers/tcp-proxy.js';
import { event } from '../../store/fixtures.js';
import { PG_ADMIN_URL } from '../helpers.js';
import { priced } from './helpers.js';

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('losing the records database never stops the odds; history pauses and resumes from its checkpoint', () => {
  const name = `oddsgate_test_${randomBytes(6).toString('hex')}`;
  const admin = new URL(PG_ADMIN_URL);
  const proxy = new TcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
  const store = new MemoryStore({ logMaxLen: 10_000 });
  const ev = event(1_000_001);
  const M = '1.777';
  let app: FastifyInstance;

  before(async () => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(`create database ${name}`);
    await c.end();
    await proxy.start();
    const url = new URL(PG_ADMIN_URL);
    url.port = String(proxy.port);
    url.pathname = `/${name}`;
    const records = await Records.open({ databaseUrl: url.toString(), dataDir: '/nonexistent' });
    app = await makeTestApp({ store, records, config: { history: { flushMs: 20 } } });
    await store.commit([{ type: 'event', event: ev }]);
  });
  after(async () => {
    await app?.close();
    await proxy.cut();
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });

  const price = async (back: number) =>
    store.commit([
      { type: 'market', market: priced(M, ev.id, { back, lay: back + 0.02, ltp: back, tv: back * 100 }) },
    ]);
  const written = () => app.history!.writer!.stats.position;
  const health = async () => (await app.inject({ url: '/api/v1/admin/health' })).json().data;

  test('outage: odds served, history paused and reported; back: everything logged meanwhile is written, no gap', async () => {
    await price(2.0);
    const [first] = await price(2.02);
    await until('history written', () => written() === first!.id);

    await proxy.cut();
    await price(2.04);
    await price(2.06);
    const [last] = await price(2.08);
    await app.settle();
    // The odds keep flowing from the read model while the database is gone.
    const odds = await app.inject({ url: `/api/v1/feed/event/${ev.id}/odds` });
    assert.equal(odds.statusCode, 200);
    assert.match(odds.body, /2\.08/);
    await until('history paused', () => app.history!.writer!.stats.paused);
    const down = await health();
    assert.equal(down.records.reachable, false);
    assert.equal(down.history.writer, 'paused');
    assert.equal(down.history.position, first!.id, 'the checkpoint stays at what was written');
    assert.ok(down.history.lag_entries >= 3);
    assert.match((await app.inject({ url: '/metrics' })).body, /oddsgate_history_paused 1/);

    await proxy.start(); // same port
    await until('history caught up', () => written() === last!.id);
    const up = await health();
    assert.equal(up.history.writer, 'running');
    assert.equal(up.history.gaps, 0);
    const res = await app.inject({
      url: `/api/v1/feed/event/${ev.id}/odds/history?interval=raw&runner=47972`,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      res.json().data.markets[0].runners[0].points.map((p: { back: number }) => p.back),
      [2.0, 2.02, 2.04, 2.06, 2.08],
    );
    assert.deepEqual(res.json().data.gaps, []);
  });
});
