/**
 * The imatchodds replay (no browser): the recording from the simulated site played through the same
 * normalizer fills the read model with fancy and bookmaker markets and the account routes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { SourceUpdate } from '../../../src/model/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { createSources } from '../../../src/sources/registry.js';
import { SiteReplaySource, shiftUpdate } from '../../../src/sources/sites/replay-source.js';
import { loadSiteProfile } from '../../../src/sources/sites/profile.js';
import { makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { ROOT } from '../../helpers/process.js';
import { quietLogger, SITES_DIR, until } from './helpers.js';

const FILE = resolve(ROOT, 'config/recordings/imatchodds-sim-site.ndjson');

function replay(speed = 1000): SiteReplaySource {
  return new SiteReplaySource({
    name: 'imatchodds-replay',
    feedName: 'imatchodds',
    profile: loadSiteProfile('imatchodds', SITES_DIR),
    file: FILE,
    speed,
    log: quietLogger(),
  });
}

describe('imatchodds replay source', () => {
  test('plays every frame, loops, and moves start times to now', async () => {
    const src = replay(10_000);
    const updates: SourceUpdate[] = [];
    const t0 = Date.now();
    await src.start((u) => updates.push(...u));
    try {
      await until(() => (src.status().details['loops'] as number) >= 1, 10_000, 'a full loop');
      const types = new Set(updates.flatMap((u) => (u.kind === 'market' ? [u.market.type] : [])));
      assert.deepEqual([...types].sort(), ['BOOKMAKER', 'FANCY', 'MATCH_ODDS']);
      assert.ok(updates.every((u) => u.source === 'imatchodds'));
      const st = src.status();
      assert.equal(st.source, 'imatchodds');
      assert.equal(st.kind, 'replay');
      assert.equal(st.state, 'connected');
      const firstEvent = updates.find((u) => u.kind === 'event');
      assert.ok(firstEvent?.kind === 'event');
      const starts = updates.flatMap((u) => (u.kind === 'event' ? [Date.parse(u.event.startTime)] : []));
      const HALF_DAY = 12 * 3600_000;
      assert.ok(
        starts.every((t) => Math.abs(t - t0) < HALF_DAY),
        'start times moved next to now (the recording is older)',
      );
    } finally {
      await src.stop();
    }
  });

  test('shiftUpdate moves event and market times only', () => {
    const u: SourceUpdate = {
      kind: 'event',
      source: 's',
      upstreamEventId: '1',
      event: { sportId: 3, name: 'A v B', startTime: '2026-01-01T00:00:00.000Z' },
    };
    const moved = shiftUpdate(u, 60_000);
    assert.equal(moved.kind === 'event' ? moved.event.startTime : '', '2026-01-01T00:01:00.000Z');
  });

  test('SOURCES=imatchodds-replay creates it from config', () => {
    const config = loadConfig({ env: { SOURCES: 'imatchodds-replay' }, configDir: null });
    const [src] = createSources(config, quietLogger());
    assert.ok(src instanceof SiteReplaySource);
    assert.equal(src.name, 'imatchodds-replay');
  });
});

describe('the replay behind the Diamond surface', () => {
  let app: FastifyInstance;
  const src = replay(1);
  const get = (path: string) =>
    app.inject({ url: `/api/v2/diamond${path}`, headers: { 'x-password': TEST_PASSWORD } });

  before(async () => {
    app = await makeTestApp({ sources: [src] });
    await until(
      () => [...app.readModel.markets.values()].some((m) => m.type === 'FANCY'),
      15_000,
      'fancy markets in the read model',
    );
    await app.settle();
  });
  after(async () => {
    await app.close();
  });

  test('/games shows cricket with fancy and bookmaker flags; /markets serves the replayed scrape', async () => {
    const games = (await get('/games?sport_id=3')).json() as {
      data: { games: { gmid: string; isFancy: boolean; isBookMaker: boolean }[] };
    };
    const g = games.data.games.find((x) => x.isFancy);
    assert.ok(g);
    assert.equal(g.isBookMaker, true);
    const res = await get(`/games/${g.gmid}/markets`);
    assert.equal(res.statusCode, 200);
    const data = (res.json() as { data: { markets: { name: string }[]; _marketSource: string } }).data;
    assert.deepEqual(
      data.markets.map((m) => m.name),
      ['MatchOdds', 'BookMaker', 'Fancy'],
    );
  });

  test('the feed API fills /event/:id/fancy and /bookmaker (with skeleton) from it', async () => {
    const games = (await get('/games?sport_id=3')).json() as {
      data: { games: { gmid: string; isFancy: boolean }[] };
    };
    const g = games.data.games.find((x) => x.isFancy);
    assert.ok(g);
    const fancy = await app.inject({ url: `/api/v1/feed/event/${g.gmid}/fancy` });
    assert.equal(fancy.statusCode, 200);
    const f = fancy.json() as { data: { count: number; markets: { market_name: string }[] } };
    assert.equal(f.data.count, 5);
    assert.ok(f.data.markets.some((m) => /over runs/.test(m.market_name)));
    const bm = (await app.inject({ url: `/api/v1/feed/event/${g.gmid}/bookmaker` })).json() as {
      data: { skeleton: { selection_ids: string[] }[]; count: number };
    };
    assert.equal(bm.data.skeleton.length, 1);
    assert.equal(bm.data.skeleton[0]?.selection_ids.length, 2);
  });

  test('/tables and /status come from the replay', async () => {
    const tables = (await get('/tables')).json() as {
      data: { casino: unknown[]; _sources: Record<string, boolean> };
    };
    assert.ok(tables.data.casino.length > 0);
    assert.deepEqual(tables.data._sources, { imatchodds: true });
    const status = (await get('/status')).json() as {
      data: { sources: { source: string; gamesCount: number }[] };
    };
    const mine = status.data.sources.find((s) => s.source === 'imatchodds');
    assert.ok((mine?.gamesCount ?? 0) > 0);
  });
});
