import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../../src/core/clock.js';
import { OddsApiSimulator } from '../../../src/sim/oddsapi/server.js';
import { normalizeOdds } from '../../../src/sources/oddsapi/normalizer.js';
import type { OddsApiEvent } from '../../../src/sources/oddsapi/types.js';
import { feed } from '../../helpers/app.js';
import { pgliteBackend, type Backend } from '../../records/helpers.js';
import { abpApp, newKey, withKey } from './helpers.js';

// The simulated odds API's football totals and handicaps, through the odds-API normalizer into the app:
// /abp/fixtures lists them under the catalogue's ids (ODDS_API_MARKETS=h2h,totals,spreads against the
// simulator gives the same).
describe('simulated totals and handicaps on /abp', () => {
  const clock = new ManualClock(Date.parse('2026-11-22T12:00:00.000Z'));
  const sim = new OddsApiSimulator({
    schedule: { seed: 20261122, speed: 1, events: 40 },
    apiKey: 'k',
    now: clock.now,
    quotaLimit: 1000,
  });
  let backend: Backend;
  let app: FastifyInstance;

  before(async () => {
    const url = await sim.start();
    const res = await fetch(
      `${url}/v4/sports/soccer_epl/odds?regions=uk&markets=h2h,totals,spreads&apiKey=k`,
    );
    const events = (await res.json()) as OddsApiEvent[];
    assert.ok(events.length > 0);
    backend = await pgliteBackend();
    app = await abpApp(backend);
    await feed(app, normalizeOdds(events, 1, clock.now()));
  });
  after(async () => {
    await app?.close();
    await backend?.cleanup();
    await sim.stop();
  });

  test('every football fixture lists Over/Under 2.5 and its ±0.5 handicap with prices', async () => {
    const key = await newKey(app, 'lines');
    const body = (
      await app.inject({ url: '/abp/fixtures?sportId=1&limit=50', headers: withKey(key) })
    ).json();
    assert.ok(body.fixtures.length > 0);
    for (const f of body.fixtures as { outcomes: { outcomeId: number; price: number | null }[] }[]) {
      const ids = new Set(f.outcomes.map((o) => o.outcomeId));
      for (const id of [101, 102, 103, 102501, 102502]) assert.ok(ids.has(id), `${id} in ${[...ids]}`);
      // home −0.5 = market 101998, home +0.5 = market 102002 (README "ABP outcome ids")
      const hcp = [1019981, 1019982, 1020021, 1020022].filter((id) => ids.has(id));
      assert.equal(hcp.length, 2, `one handicap market: ${[...ids]}`);
      for (const o of f.outcomes) assert.ok((o.price ?? 0) > 1, `${o.outcomeId} priced`);
    }
  });
});
