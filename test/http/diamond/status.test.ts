import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { SourceStatus } from '../../../src/model/index.js';
import type { Source } from '../../../src/sources/types.js';
import { feed, makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { sampleUpdates } from '../../helpers/fixtures.js';
import { assertShape } from './shape.js';
import { SEED_STATUS } from './seed-examples.js';
import { closeEvent } from './fixtures.js';

/** A source that does nothing and reports the given status. */
function fakeSource(status: Partial<SourceStatus> & { source: string }): Source {
  return {
    name: status.source,
    start: async () => undefined,
    stop: async () => undefined,
    status: () => ({
      kind: 'fake',
      state: 'connected',
      connected: true,
      lastError: null,
      lastErrorAt: null,
      lastUpdateAt: null,
      frames: 0,
      markets: 0,
      details: {},
      ...status,
    }),
  };
}

describe('Diamond /status', () => {
  let app: FastifyInstance;
  const lastUpdateAt = Date.parse('2026-11-22T15:00:05.000Z');
  before(async () => {
    app = await makeTestApp({
      sources: [
        fakeSource({ source: 'live', lastUpdateAt, frames: 42, markets: 4 }),
        fakeSource({
          source: 'dead',
          state: 'disconnected',
          connected: false,
          lastError: 'getaddrinfo ENOTFOUND example.invalid',
          details: { sportsPolled: 1 },
        }),
      ],
    });
    await feed(app, sampleUpdates('live'));
    await feed(app, [closeEvent(3, 'live')]); // horse racing closes: not counted
  });
  after(() => app.close());

  test('every configured source with the seed fields and its events per sport', async () => {
    const res = await app.inject({ url: '/api/v2/diamond/status', headers: { 'x-password': TEST_PASSWORD } });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assertShape(body, SEED_STATUS);
    assert.deepEqual(body.data.sources, [
      {
        source: 'live',
        sportsPolled: 3,
        gamesCount: 3,
        perSport: [
          { etid: 1, name: 'Football', eventCount: 1 },
          { etid: 2, name: 'Tennis', eventCount: 1 },
          { etid: 3, name: 'Cricket', eventCount: 1 },
        ],
        kind: 'fake',
        state: 'connected',
        connected: true,
        lastError: null,
        lastUpdateAt: '2026-11-22T15:00:05.000Z',
        frames: 42,
        markets: 4,
      },
      {
        source: 'dead',
        sportsPolled: 1,
        gamesCount: 0,
        perSport: [],
        kind: 'fake',
        state: 'disconnected',
        connected: false,
        lastError: 'getaddrinfo ENOTFOUND example.invalid',
        lastUpdateAt: null,
        frames: 0,
        markets: 0,
      },
    ]);
    assert.equal(body.data.totalGames, 3);
    assert.equal(body.data.totalSports, 3);
    assert.equal(body.data.defaultEtid, '1');
  });

  test('/highlights _sources names every configured source, true when it contributed games', async () => {
    const res = await app.inject({
      url: '/api/v2/diamond/highlights',
      headers: { 'x-password': TEST_PASSWORD },
    });
    assert.deepEqual(res.json().data._sources, { live: true, dead: false });
  });
});

describe('Diamond /status with a domain pool', () => {
  test("a browser source's per-domain state is listed with it (seed 000 §8)", async () => {
    const domains = [
      { url: 'https://a.example', healthy: true, score: 1.2, consecutiveFailures: 0, cooldownUntil: null },
      { url: 'https://b.example', healthy: false, score: 0.05, consecutiveFailures: 2, cooldownUntil: 1 },
    ];
    const app = await makeTestApp({ sources: [fakeSource({ source: 'site', details: { domains } })] });
    try {
      const res = await app.inject({
        url: '/api/v2/diamond/status',
        headers: { 'x-password': TEST_PASSWORD },
      });
      assert.deepEqual(res.json().data.sources[0].domains, domains);
    } finally {
      await app.close();
    }
  });
});
