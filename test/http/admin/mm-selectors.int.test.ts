/**
 * MM selectors changed through the admin route survive a restart (PGlite and PostgreSQL): an added
 * selector comes back with its strategy, a removed config selector (MM_MARKETS) stays removed until it is
 * added again, and a removed added one is gone.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../../src/config/index.js';
import { makeTestApp } from '../../helpers/app.js';
import { BACKENDS, type Backend } from '../../records/helpers.js';
import { TEST_SECRETS_KEY } from '../abp/helpers.js';

const ADMIN = 'mm-admin-password-123';
const URL = '/api/v1/admin/mm';
const H = { 'x-admin-password': ADMIN };

for (const make of BACKENDS) {
  describe(`MM admin selectors over a restart on ${make.name}`, () => {
    let backend: Backend | undefined;
    let app: FastifyInstance | undefined;
    after(async () => {
      await app?.close();
      await backend?.cleanup();
    });

    const start = async (first: boolean) => {
      const parsed = loadConfig({
        env: { MM_ENABLED: 'on', MM_INTERVAL_MS: '60000', MM_MARKETS: 'sport:7,tournament:Serie A' },
        configDir: null,
        overrides: { sources: [] },
      });
      const b = backend as Backend;
      const a = await makeTestApp({
        records: await (first ? b.open() : b.reopen()),
        config: { abp: { secretsKey: TEST_SECRETS_KEY }, diamondAdminPassword: ADMIN, mm: parsed.mm },
      });
      assert.ok(a.mm, 'the engine runs');
      await a.mm.runOnce();
      return a;
    };
    const selections = async (a: FastifyInstance) => {
      const res = await a.inject({ url: URL });
      assert.equal(res.statusCode, 200, res.body);
      const list = res.json().data.selections as { selector: string; strategy: { spreadTicks: number } }[];
      return Object.fromEntries(list.map((s) => [s.selector, s.strategy.spreadTicks]));
    };
    const change = (a: FastifyInstance, method: 'POST' | 'DELETE', selector: string, spreadTicks?: number) =>
      method === 'POST'
        ? a.inject({ method, url: `${URL}/markets`, headers: H, payload: { selector, spreadTicks } })
        : a.inject({ method, url: `${URL}/markets?selector=${encodeURIComponent(selector)}`, headers: H });

    test('added and removed selectors are as the admin left them after a restart', async () => {
      backend = await make();
      app = await start(true);
      assert.deepEqual(await selections(app), { 'sport:7': 2, 'tournament:Serie A': 2 });
      assert.equal((await change(app, 'POST', 'sport:1', 4)).statusCode, 201);
      assert.equal((await change(app, 'POST', 'fixture:42')).statusCode, 201);
      assert.equal((await change(app, 'DELETE', 'fixture:42')).statusCode, 200);
      assert.equal((await change(app, 'DELETE', 'sport:7')).statusCode, 200, 'a config selector');
      assert.equal((await change(app, 'DELETE', 'sport:7')).statusCode, 404, 'already removed');
      const expected = { 'tournament:Serie A': 2, 'sport:1': 4 };
      assert.deepEqual(await selections(app), expected);

      await app.close();
      app = await start(false);
      assert.deepEqual(await selections(app), expected, 'as before the restart');

      // a removed config selector added again is quoted again (with its new strategy), also after a restart
      assert.equal((await change(app, 'POST', 'sport:7', 5)).statusCode, 201);
      await app.close();
      app = await start(false);
      assert.deepEqual(await selections(app), { ...expected, 'sport:7': 5 });
    });
  });
}
