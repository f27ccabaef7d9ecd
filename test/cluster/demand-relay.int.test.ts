import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { makeTestApp } from '../helpers/app.js';
import { sampleUpdates, SAMPLE_EVENTS } from '../helpers/fixtures.js';
import { FakeSource } from '../http/feed/fixtures.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { UpdateSink } from '../../src/sources/types.js';
import { REDIS_URL, deleteByPrefix, uniquePrefix } from '../store/redis-helpers.js';

const silent = pino({ level: 'silent' });
const prefixes: string[] = [];

after(async () => {
  const admin = new Redis(REDIS_URL);
  for (const p of prefixes) await deleteByPrefix(admin, p);
  admin.disconnect();
});

/** A Betfair-like source streaming events on demand: records every demandEvent call while running. */
class DemandSource extends FakeSource {
  readonly demanded: Array<{ bfi: string | null; markets: readonly string[] }> = [];
  private running = false;

  override async start(sink: UpdateSink): Promise<void> {
    this.running = true;
    sink(sampleUpdates('betfair'));
  }

  override async stop(): Promise<void> {
    this.running = false;
  }

  demandEvent(bfi: string | null, marketIds: readonly string[]): void {
    if (this.running) this.demanded.push({ bfi, markets: marketIds });
  }
}

async function until(what: string, cond: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function redisApp(prefix: string, role: string, source?: DemandSource): Promise<FastifyInstance> {
  return makeTestApp({
    store: new RedisStore({ url: REDIS_URL, keyPrefix: prefix, logger: silent }),
    env: { ROLE: role, REDIS_URL, REDIS_KEY_PREFIX: prefix },
    ...(source ? { sources: [source] } : {}),
  });
}

test('a client of a ROLE=api instance reaches the on-demand source run by the ROLE=ingest instance', async () => {
  const prefix = uniquePrefix('demand-relay');
  prefixes.push(prefix);
  const source = new DemandSource('betfair');
  const ingest = await redisApp(prefix, 'ingest', source);
  const api = await redisApp(prefix, 'api');
  const admin = new Redis(REDIS_URL);
  try {
    await until('the api instance to see the ingested events', () => api.readModel.events.size >= 4);
    assert.ok(api.demandRelay && ingest.demandRelay, 'both instances on Redis relay demand');
    await Promise.all([api.demandRelay.ready, ingest.demandRelay.ready]);
    assert.deepEqual(api.sources.statuses(), [], 'the api instance runs no source');

    // Junk on the channel (not ours, malformed, wrong types) is ignored.
    for (const junk of ['not json', '{"from":"x","eventId":"1"}', JSON.stringify({ eventId: -1, from: 'x' })])
      await admin.publish(`${prefix}demand`, junk);

    const football = SAMPLE_EVENTS[0]!;
    const event = [...api.readModel.events.values()].find((e) => e.name === football.name);
    assert.ok(event, 'the api instance serves the event');
    const res = await api.inject({ url: `/api/v1/feed/event/${event.id}/odds` });
    assert.equal(res.statusCode, 200);
    await until('the source to hear the demand', () => source.demanded.length > 0);
    assert.deepEqual(source.demanded[0], { bfi: football.bfi, markets: [football.marketId] });
    assert.equal(ingest.demandRelay.received, 1, 'the junk was not applied');

    // A burst of requests for the same event is one relayed message (throttled per event), and the
    // ingest instance does not echo what it heard back to the api instance.
    for (let i = 0; i < 5; i++) await api.inject({ url: `/api/v1/feed/event/${event.id}/odds` });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(api.demandRelay.sent, 1);
    assert.equal(source.demanded.length, 1);
    assert.equal(api.demandRelay.received, 0, 'no echo');

    // Another event: relayed too.
    const tennis = SAMPLE_EVENTS[1]!;
    const other = [...api.readModel.events.values()].find((e) => e.name === tennis.name)!;
    await api.inject({ url: `/api/v1/feed/event/${other.id}/odds` });
    await until('the second demand', () => source.demanded.length > 1);
    assert.deepEqual(source.demanded[1], { bfi: tennis.bfi, markets: [tennis.marketId] });
  } finally {
    admin.disconnect();
    await api.close();
    await ingest.close();
  }
});

test('on the memory store there is no relay and demand stays local', async () => {
  const source = new DemandSource('betfair');
  const app = await makeTestApp({ sources: [source] });
  try {
    assert.equal(app.demandRelay, undefined);
    await until('the events', () => app.readModel.events.size >= 4);
    const event = [...app.readModel.events.values()][0]!;
    await app.inject({ url: `/api/v1/feed/event/${event.id}/odds` });
    assert.equal(source.demanded.length, 1);
  } finally {
    await app.close();
  }
});
