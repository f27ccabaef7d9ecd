import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { feed } from '../../helpers/app.js';
import { sampleUpdates } from '../../helpers/fixtures.js';
import { pgliteBackend, type Backend } from '../../records/helpers.js';
import { abpApp, newKey, withKey } from '../abp/helpers.js';

const BASE = '/mm/api/v1';

describe('MM reference data: fixtures, markets, players (pglite)', () => {
  let backend: Backend;
  let app: FastifyInstance;
  let alice: string;
  let bob: string;
  let football: string;
  let tennis: string;

  before(async () => {
    backend = await pgliteBackend();
    app = await abpApp(backend);
    await feed(app, sampleUpdates('sim'));
    alice = await newKey(app, 'alice');
    bob = await newKey(app, 'bob');
    const events = [...app.readModel.events.values()];
    football = String(events.find((e) => e.name === 'Real Sociedad v Betis')!.id);
    tennis = String(events.find((e) => e.name === 'Carlos Alcaraz v Jannik Sinner')!.id);
    await sql`insert into orders (request_uuid, client_name, fixture_id, outcome_id, player_id, order_price,
        order_stake, order_status, user_ref, test_order, accept_better_odds, accept_partial_stake, order_currency,
        back, allowed_bookmakers, expires_at)
      values (${randomUUID()}::uuid, 'alice', ${football}, 101, 0, 2, 10, 'PENDING', 'mm', false, true, true,
        'USD', true, '*', now() + interval '1 hour')`.execute(app.records!.database.db);
  });
  after(async () => {
    await app?.close();
    await backend?.cleanup();
  });

  const get = (url: string, key = alice) => app.inject({ url: `${BASE}${url}`, headers: withKey(key) });
  const ids = (body: { fixtures: { fixtureId: string }[] }) => body.fixtures.map((f) => f.fixtureId);

  test('GET /fixtures lists the fixtures the client has orders on; all=true every fixture', async () => {
    assert.deepEqual(ids((await get('/fixtures')).json()), [football]);
    assert.deepEqual(ids((await get('/fixtures', bob)).json()), []);
    const all = (await get('/fixtures?all=true')).json();
    assert.equal(all.count, app.readModel.events.size);
    const f = all.fixtures.find((x: { fixtureId: string }) => x.fixtureId === football);
    assert.equal(f.participants.participant1Name, 'Real Sociedad');
    assert.equal(f.sport.sportId, 1);
  });

  test('GET /fixtures filters by sport, live and fixtureIds, and pages by after_id', async () => {
    assert.deepEqual(ids((await get('/fixtures?all=true&sport_id=2')).json()), [tennis]);
    const live = (await get('/fixtures?all=true&live=false')).json();
    assert.ok(ids(live).includes(tennis) && !ids(live).includes(football));
    const chosen = (await get(`/fixtures?all=true&fixtureIds=${tennis}&fixtureIds=${football}`)).json();
    assert.deepEqual(new Set(ids(chosen)), new Set([tennis, football]));
    const first = (await get('/fixtures?all=true&limit=1')).json();
    assert.equal(first.hasMore, true);
    const second = (await get(`/fixtures?all=true&limit=1&after_id=${first.nextCursor}`)).json();
    assert.notDeepEqual(ids(second), ids(first));
    const bad = await get('/fixtures?live=maybe');
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['query', 'live']);
  });

  test('GET /fixtures/{id} answers a fixture or 404', async () => {
    assert.equal((await get(`/fixtures/${tennis}`)).json().fixtureId, tennis);
    const res = await get('/fixtures/999999999');
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { detail: 'Fixture not found' });
  });

  test('GET /markets?sportId lists the markets the books carry; sportId is required', async () => {
    const soccer = (await get('/markets?sportId=1')).json();
    assert.ok(soccer.length >= 1);
    const result = soccer.find((m: { outcomeIds: number[] }) => m.outcomeIds.includes(101));
    assert.deepEqual(result.outcomeIds, [101, 102, 103]);
    assert.ok(result.bookmakers.length >= 1);
    assert.deepEqual(result.playerIds, []);
    assert.deepEqual((await get('/markets?sportId=999')).json(), []);
    const missing = await get('/markets');
    assert.equal(missing.statusCode, 422);
    assert.deepEqual(missing.json().detail[0], {
      loc: ['query', 'sportId'],
      msg: 'Field required',
      type: 'missing',
    });
  });

  test('GET /players?sportId answers the (empty) player-prop list', async () => {
    const res = await get('/players?sportId=1');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), []);
  });
});
