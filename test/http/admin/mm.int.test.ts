import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../../src/config/index.js';
import { makeTestApp } from '../../helpers/app.js';
import { pgliteBackend, type Backend } from '../../records/helpers.js';
import { TEST_SECRETS_KEY } from '../abp/helpers.js';

const ADMIN = 'mm-admin-password-123';
const URL = '/api/v1/admin/mm';
const H = { 'x-admin-password': ADMIN };

/**
 * The MM admin routes against a running market maker (no exchange needed to add or remove selectors):
 * a refused change — no or a wrong admin credential, a hostile body or query — answers 403 or 400 in the
 * admin error shape and leaves the engine's selectors as they were.
 */
describe('MM admin routes refuse what they must and change nothing', () => {
  let backend: Backend;
  let app: FastifyInstance;
  before(async () => {
    backend = await pgliteBackend();
    const parsed = loadConfig({
      env: { MM_ENABLED: 'on', MM_INTERVAL_MS: '60000' },
      configDir: null,
      overrides: { sources: [] },
    });
    app = await makeTestApp({
      records: await backend.open(),
      config: { abp: { secretsKey: TEST_SECRETS_KEY }, diamondAdminPassword: ADMIN, mm: parsed.mm },
    });
    assert.ok(app.mm, 'the engine runs');
  });
  after(async () => {
    await app?.close();
    await backend?.cleanup();
  });

  const selectors = async () => {
    const res = await app.inject({ url: URL });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json().data.selections as { selector: string }[]).map((s) => s.selector).sort();
  };
  const post = (payload: string | undefined, headers: Record<string, string> = H) =>
    app.inject({
      method: 'POST',
      url: `${URL}/markets`,
      headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(payload !== undefined ? { payload } : {}),
    });

  test('a selector is added and removed with the admin credential', async () => {
    const added = await post(JSON.stringify({ selector: 'sport:1', spreadTicks: 3 }));
    assert.equal(added.statusCode, 201, added.body);
    assert.equal(added.json().data.strategy.spreadTicks, 3);
    assert.deepEqual(await selectors(), ['sport:1']);
    const removed = await app.inject({
      method: 'DELETE',
      url: `${URL}/markets?selector=sport:1`,
      headers: H,
    });
    assert.equal(removed.statusCode, 200, removed.body);
    assert.deepEqual(await selectors(), []);
  });

  test('no or a wrong admin credential: 403, selectors unchanged', async () => {
    await post(JSON.stringify({ selector: 'sport:2' }));
    const refused: Record<string, string>[] = [
      {},
      { 'x-admin-password': 'wrong' },
      { 'x-admin-password': '' },
    ];
    for (const headers of refused) {
      const add = await post(JSON.stringify({ selector: 'sport:1' }), headers);
      assert.equal(add.statusCode, 403, JSON.stringify(headers));
      assert.equal(add.json().success, false);
      const del = await app.inject({ method: 'DELETE', url: `${URL}/markets?selector=sport:2`, headers });
      assert.equal(del.statusCode, 403, JSON.stringify(headers));
    }
    assert.deepEqual(await selectors(), ['sport:2']);
  });

  test('hostile bodies and queries: 400 worded by part and field, selectors unchanged', async () => {
    const before = await selectors();
    const bodies: [string | undefined, RegExp][] = [
      [JSON.stringify({ selector: 'league:1' }), /^Invalid body "selector": an MM market is/],
      [JSON.stringify({ selector: `tournament:${'x'.repeat(101)}` }), /^Invalid body "selector"/],
      [JSON.stringify({ selector: 'sport:1,sport:2' }), /^Invalid body "selector"/],
      [JSON.stringify({ selector: 'sport:1', spreadTicks: 0 }), /^Invalid body "spreadTicks"/],
      [JSON.stringify({ selector: 'sport:1', size: '2' }), /^Invalid body "size"/],
      [JSON.stringify({ selector: 'sport:1', maxExposure: -1 }), /^Invalid body "maxExposure"/],
      [JSON.stringify({ selector: 'sport:1', cancelInPlay: 'yes' }), /^Invalid body "cancelInPlay"/],
      [JSON.stringify({ selector: 'sport:1', halted: null }), /^Invalid body: /],
      [JSON.stringify([{ selector: 'sport:1' }]), /^Invalid body: /],
      [JSON.stringify('sport:1'), /^Invalid body: /],
      ['null', /^Invalid body "selector"/],
      [undefined, /^Invalid body "selector"/],
      ['{"selector":"sport:1","__proto__":{"spreadTicks":0}}', /not valid JSON/],
      ['{"selector":', /./],
    ];
    for (const [payload, wording] of bodies) {
      const res = await post(payload);
      assert.equal(res.statusCode, 400, `${payload}: ${res.body}`);
      assert.equal(res.json().success, false);
      assert.match(res.json().error, wording, `${payload}: ${res.body}`);
    }
    for (const query of ['', '?selector=', '?selector=league:1', `?selector=fixture:${'1'.repeat(101)}`]) {
      const res = await app.inject({ method: 'DELETE', url: `${URL}/markets${query}`, headers: H });
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
      assert.match(res.json().error, /^Invalid querystring "selector"/, query);
    }
    assert.deepEqual(await selectors(), before);
  });
});
