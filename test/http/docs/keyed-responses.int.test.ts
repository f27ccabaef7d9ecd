import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { app as rootPlugin, serverOptions } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/index.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { TEST_PASSWORD } from '../../helpers/app.js';
import { pgliteBackend } from '../../records/helpers.js';
import { newKey, TEST_SECRETS_KEY, withKey } from '../abp/helpers.js';
import { CRICKET, richUpdates } from '../feed/fixtures.js';

const ADMIN = 'keyed-admin-secret';
type Req = [method: string, url: string, body?: unknown, headers?: Record<string, string>];

/**
 * The routes that need a records database and keys (ABP, MM, Diamond betting, odds history, ABP key admin)
 * declare their responses in their route schemas; those schemas document the routes and are not run per
 * request (src/http/openapi/route-schema.ts), so this holds them to the truth: a scenario of good and bad
 * requests (accounts, orders filled at the paper bookmaker, bets, settlement, history) where every JSON
 * answer must have its status declared and parse with the schema declared for it.
 */
describe('declared response schemas of the keyed routes match real answers', () => {
  let app: FastifyInstance;
  const seen: { label: string; status: number; problem?: string }[] = [];

  before(async () => {
    app = Fastify(serverOptions(false));
    app.addHook('onSend', async (req, reply, payload) => {
      const schema = req.routeOptions.schema as { response?: Record<string, z.ZodType> } | undefined;
      const type = String(reply.getHeader('content-type') ?? '');
      if (!schema?.response || !type.includes('json') || typeof payload !== 'string' || payload === '')
        return payload;
      const label = `${req.method} ${req.url} → ${reply.statusCode}`;
      const declared = schema.response[String(reply.statusCode)];
      if (!declared) seen.push({ label, status: reply.statusCode, problem: 'status not declared' });
      else {
        const r = declared.safeParse(JSON.parse(payload));
        seen.push({ label, status: reply.statusCode, ...(r.success ? {} : { problem: r.error.message }) });
      }
      return payload;
    });
    const config = loadConfig({
      env: {},
      configDir: null,
      overrides: {
        diamondPassword: TEST_PASSWORD,
        sources: [],
        diamondAdminPassword: ADMIN,
        abp: { secretsKey: TEST_SECRETS_KEY },
      },
    });
    await app.register(rootPlugin, {
      config,
      store: new MemoryStore({ logMaxLen: 10_000 }),
      sources: [],
      diamondPassword: TEST_PASSWORD,
      records: await (await pgliteBackend()).open(),
    });
    await app.ready();
    app.ingest.push(richUpdates());
    await app.settle();
  });
  after(async () => app.close());

  function scenario(key: string, fixture: string): Req[] {
    const K = withKey(key);
    const D = { 'x-password': TEST_PASSWORD };
    const DA = { ...D, 'x-admin-password': ADMIN };
    const order = (o: Record<string, unknown>) => ({
      requestUuid: crypto.randomUUID(),
      fixtureId: fixture,
      outcomeId: 101,
      playerId: 0,
      orderStake: 10,
      orderPrice: 1.01,
      userRef: 'keyed',
      testOrder: false,
      ...o,
    });
    const abp: Req[] = [
      ['GET', '/abp/accounts', undefined, {}],
      ['GET', '/abp/accounts?bookmaker='],
      ['POST', '/abp/accounts', { bookmaker: 'paper', username: 'pap', password: 'p', balance: 1000 }],
      ['POST', '/abp/accounts', { bookmaker: 'paper', username: 'pap', password: 'p' }],
      ['POST', '/abp/accounts', { bookmaker: 'BAD', password: 3 }],
      ['PATCH', '/abp/accounts/paper/pap', { priority: 2 }],
      ['GET', '/abp/accounts/paper/nobody'],
      ['GET', '/abp/accounts'],
      ['GET', '/abp/bookmakers'],
      ['GET', '/abp/markets'],
      ['GET', '/abp/fixtures?limit=2'],
      ['GET', `/abp/betslip?fixtureId=${fixture}&outcomeId=101&playerId=0`],
      ['GET', '/abp/betslip?futureId=1'],
      ['GET', '/abp/betslip?fixtureId=999999&outcomeId=101&playerId=0'],
      ['POST', '/abp/place-orders', { orders: [order({}), order({ outcomeId: 103 })] }],
      ['POST', '/abp/place-orders', { orders: [order({ orderStake: 0 })] }],
      ['POST', '/abp/place-orders', { orders: [order({ futureId: 'f', fixtureId: undefined })] }],
      ['GET', '/abp/orders?userRef=keyed&limit=1'],
      ['GET', '/abp/orders'],
      ['GET', '/abp/bets?orderIds=1,2'],
      ['GET', '/abp/bets/1'],
      ['GET', '/abp/bets/999'],
      ['GET', '/abp/positions?groupBy=account'],
      ['POST', '/abp/cancel-orders', { userRef: 'keyed' }],
      ['POST', '/abp/cancel-all-orders'],
      ['GET', '/abp/ws', undefined, {}],
    ];
    const mm: Req[] = [
      '/me',
      '/orders',
      '/orders?limit=0',
      '/orders/open',
      '/orders/summary',
      '/orders/1',
      '/orders/999',
      '/bets',
      '/bets/summary',
      '/bets/1',
      '/positions',
      '/positions/summary',
      '/pnl',
      '/accounts',
      '/fixtures?all=true',
      `/fixtures/${fixture}`,
      '/markets?sportId=3',
      '/players?sportId=3',
    ].map((u): Req => ['GET', `/mm/api/v1${u}`]);
    mm.push(['POST', '/mm/api/v1/orders/1/cancel'], ['POST', '/mm/api/v1/orders/cancel-all']);
    const diamond: Req[] = [
      ['GET', '/api/v2/diamond/bets', undefined, D],
      [
        'POST',
        '/api/v2/diamond/bets',
        { gmid: 'nope', selectionId: 1, side: 'back', price: 2, stake: 1, requestId: 'r' },
        D,
      ],
      [
        'POST',
        '/api/v2/diamond/settlements/preview',
        { games: [{ gmid: fixture, winners: [301] }, { gmid: 'nope' }] },
        D,
      ],
      ['POST', '/api/v2/diamond/settlements/bulk', { games: [{ gmid: fixture, winners: [301] }] }, DA],
      ['POST', '/api/v2/diamond/settlements/auto', {}, D],
      ['GET', '/api/v2/diamond/trace/orders/1', undefined, DA],
      ['GET', '/api/v2/diamond/trace/bets/1', undefined, DA],
      ['POST', '/api/v2/diamond/settlements/void', { gmid: fixture, reason: 'keyed test' }, DA],
      ['GET', `/api/v2/diamond/games/${CRICKET.bfi}/odds/history?interval=raw`, undefined, D],
      ['GET', `/api/v1/feed/event/${CRICKET.bfi}/odds/history`],
      ['GET', `/api/v1/feed/event/${CRICKET.bfi}/closing`],
      ['GET', '/api/v1/admin/abp/keys', undefined, { 'x-admin-password': ADMIN }],
      ['POST', '/api/v1/admin/abp/keys', { clientName: 'second' }, { 'x-admin-password': ADMIN }],
      ['GET', '/api/v1/admin/emergency'],
    ];
    return [
      ...abp.map((r): Req => [r[0], r[1], r[2], r[3] ?? K]),
      ...mm.map((r): Req => [r[0], r[1], undefined, K]),
      ...diamond,
    ];
  }

  test('every JSON answer of the scenario is declared and parses with its schema', async () => {
    const fixture = String(app.readModel.findEvent(CRICKET.bfi)?.id);
    for (const [method, url, body, headers] of scenario(await newKey(app, 'keyed'), fixture)) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: headers ?? {},
        ...(body !== undefined ? { payload: body as object } : {}),
      });
      // 501 is the document's answer to futures; any other 5xx is a failure of the scenario itself.
      assert.ok(
        res.statusCode < 500 || res.statusCode === 501,
        `${method} ${url}: ${res.statusCode} ${res.body}`,
      );
    }
    const problems = seen.filter((s) => s.problem).map((s) => `${s.label}: ${s.problem?.slice(0, 400)}`);
    assert.deepEqual(problems, []);
    const statuses = new Set(seen.map((s) => s.status));
    for (const s of [200, 201, 401, 404, 409, 422, 426, 501])
      assert.ok(statuses.has(s), `a ${s} was checked`);
    // The orders were filled at the paper bookmaker: order and bet rows were checked, not only empty lists.
    assert.ok(
      seen.some((s) => s.label.startsWith('GET /abp/bets/1 → 200')),
      'a bet row was checked',
    );
    assert.ok(seen.length >= 55, `answers checked: ${seen.length}`);
  });
});
