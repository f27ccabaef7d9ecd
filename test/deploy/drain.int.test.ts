import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import WebSocket from 'ws';
import { Redis } from 'ioredis';
import { OddsgateClient, type PushMessage, type RecoveryMessage } from '../../src/client/index.js';
import { app as rootPlugin, serverOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { freePort, spawnOddsgate, waitFor, type Spawned } from '../helpers/process.js';
import { deleteByPrefix, REDIS_URL, uniquePrefix } from '../store/redis-helpers.js';
import { sleep, TestClient } from '../broker/helpers.js';

const running: Spawned[] = [];
const prefix = uniquePrefix('drain');
const admin = new Redis(REDIS_URL);

after(async () => {
  await Promise.all(running.map((p) => p.stop(3000)));
  await deleteByPrefix(admin, prefix);
  admin.disconnect();
});

async function healthy(port: number): Promise<Record<string, unknown> | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/admin/health`);
  const body = (await res.json()) as { data: Record<string, unknown> };
  return res.status === 200 ? body.data : undefined;
}

test('on close, requests in flight finish and WebSocket clients get 1001', async () => {
  const config = loadConfig({
    env: {},
    configDir: null,
    overrides: { sources: [], diamondPassword: 'd'.repeat(12) },
  });
  const app = Fastify(serverOptions(false));
  await app.register(rootPlugin, {
    config,
    store: new MemoryStore(),
    sources: [],
    diamondPassword: 'd'.repeat(12),
  });
  let started = 0;
  app.get('/slow-test', async () => {
    started++;
    await sleep(400);
    return { done: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const ws = await TestClient.connect(`ws://127.0.0.1:${port}/ws`);
  const slow = fetch(`http://127.0.0.1:${port}/slow-test`).then(async (r) => ({
    status: r.status,
    body: await r.json(),
  }));
  await waitFor(async () => (started > 0 ? true : undefined), 2000, 'the slow request to start');
  const closing = app.close();
  assert.equal((await ws.closed).code, 1001);
  assert.deepEqual(await slow, { status: 200, body: { done: true } });
  await closing;
});

test(
  'SIGTERM drains an API instance: its client reconnects to the other instance and resumes with since, no gap',
  { timeout: 420_000 },
  async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const common = {
      HOST: '127.0.0.1',
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      DIAMOND_PASSWORD: 'drain-password',
      LOG_LEVEL: 'warn',
    };
    const a = spawnOddsgate(['start'], {
      ...common,
      PORT: String(portA),
      ROLE: 'all',
      SIM_SPEED: '30',
      SIM_RATE: '200',
    });
    running.push(a);
    // Start-up waits are readiness waits, bounded generously: on a busy machine a start (tsx, the records
    // database, Redis) took over 20 s.
    await waitFor(() => healthy(portA), 120_000, `instance A healthy (${a.output().slice(-1500)})`);
    const b = spawnOddsgate(['start'], { ...common, PORT: String(portB), ROLE: 'api' });
    running.push(b);
    const hb = await waitFor(
      () => healthy(portB),
      120_000,
      `instance B healthy (${b.output().slice(-1500)})`,
    );
    assert.equal(hb.role, 'api');
    assert.equal((hb.ingest as { writer: boolean }).writer, false, 'the api role never writes');
    // It runs no source, but shows the writer's (published to the store), as every instance does.
    assert.equal((hb.sources_origin as { origin: string }).origin, 'published');

    const urlA = `ws://127.0.0.1:${portA}/ws`;
    const urlB = `ws://127.0.0.1:${portB}/ws`;
    const client = new OddsgateClient({ url: [urlB, urlA], WebSocket, backoff: { minMs: 50, maxMs: 500 } });
    const seqs: number[] = [];
    const closes: number[] = [];
    const recoveries: RecoveryMessage[] = [];
    const gaps: unknown[] = [];
    client.on('message', (m: PushMessage) => {
      if (m.room === 'odds' && !m.snapshot) seqs.push(m.seq);
    });
    client.on('disconnected', ({ code }) => closes.push(code));
    client.on('recovery', (r) => recoveries.push(r));
    client.on('gap', (g) => gaps.push(g));
    try {
      client.subscribe('odds');
      client.connect();
      await waitFor(async () => (seqs.length >= 30 ? true : undefined), 60_000, '30 messages from B');
      const before = seqs.length;
      assert.equal(await b.stop(), 0, 'B exits cleanly after draining');
      await waitFor(
        async () => (recoveries.length > 0 && seqs.length >= before + 30 ? true : undefined),
        60_000,
        'messages from A',
      );
      assert.equal(closes[0], 1001, 'B said it was going away');
      assert.equal(client.currentUrl(), urlA, 'reconnected to the other instance');
      assert.equal(recoveries[0]?.recovered, true, 'A replayed what was missed');
      assert.deepEqual(gaps, []);
      for (let i = 1; i < seqs.length; i++)
        assert.equal(seqs[i], (seqs[i - 1] as number) + 1, `seq ${i} follows on`);
    } finally {
      client.close();
    }
  },
);
