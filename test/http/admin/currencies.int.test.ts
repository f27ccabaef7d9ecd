import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { pgliteBackend, type Backend } from '../../records/helpers.js';
import { abpApp } from '../abp/helpers.js';
import { makeTestApp } from '../../helpers/app.js';

const ADMIN = 'admin-password-123';
const URL = '/api/v1/admin/currencies';
const H = { 'x-admin-password': ADMIN };

// The currencies table behind orderCurrency: listed and set under the admin surface; each change of a
// rate is pushed on the ABP global `currencies` channel.
describe('currency rates under /api/v1/admin/currencies and the currencies channel', () => {
  let backend: Backend;
  let app: FastifyInstance;
  const pushed: { channel: string; event: string; payload: Record<string, unknown> }[] = [];
  before(async () => {
    backend = await pgliteBackend();
    app = await abpApp(backend, { diamondAdminPassword: ADMIN });
    app.abp!.channels.subscribe({
      clientName: 'observer',
      wants: (c) => c === 'currencies',
      deliver: (channel, event, payload) =>
        pushed.push({ channel, event, payload: payload as Record<string, unknown> }),
    });
  });
  after(async () => {
    await app?.close();
    await backend?.cleanup();
  });

  const rates = async () => {
    const res = await app.inject({ url: URL });
    assert.equal(res.statusCode, 200);
    return new Map(
      (res.json().data as { currencyId: string; usdRate: number }[]).map((r) => [r.currencyId, r.usdRate]),
    );
  };

  test('GET lists the seeded rates', async () => {
    const r = await rates();
    assert.equal(r.get('USD'), 1);
    assert.equal(r.get('EUR'), 1.08);
  });

  test('a changed rate is stored, used and pushed once; the same rate again pushes nothing', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: `${URL}/EUR`,
      headers: H,
      payload: { usdRate: 1.12 },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().data.usdRate, 1.12);
    assert.equal((await rates()).get('EUR'), 1.12);
    assert.equal((await app.execution.currencies.all()).get('EUR'), 1.12, 'orders convert with it at once');
    assert.equal(pushed.length, 1);
    assert.equal(pushed[0]!.channel, 'currencies');
    assert.equal(pushed[0]!.event, 'UPDATE');
    assert.deepEqual(
      { ...pushed[0]!.payload, updatedAt: 'x' },
      { currencyId: 'EUR', usdRate: 1.12, updatedAt: 'x' },
    );
    assert.ok(Date.parse(String(pushed[0]!.payload.updatedAt)) > 0);
    await app.inject({ method: 'PUT', url: `${URL}/EUR`, headers: H, payload: { usdRate: 1.12 } });
    assert.equal(pushed.length, 1, 'unchanged: no push');
    const added = await app.inject({
      method: 'PUT',
      url: `${URL}/CHF`,
      headers: H,
      payload: { usdRate: 1.13 },
    });
    assert.equal(added.statusCode, 200);
    assert.equal(pushed.length, 2, 'a new currency is a change');
    assert.equal(pushed[1]!.payload.currencyId, 'CHF');
  });

  test('hostile input is 400 in the admin error shape, worded by part and field; nothing changes', async () => {
    const before = await rates();
    const n = pushed.length;
    // No payload: no body and no content-type (the route reads it as `{}`).
    const put = (code: string, payload?: string) =>
      app.inject({
        method: 'PUT',
        url: `${URL}/${code}`,
        headers: payload === undefined ? H : { ...H, 'content-type': 'application/json' },
        ...(payload !== undefined ? { payload } : {}),
      });
    const cases: [string, unknown, RegExp][] = [
      ['eur', { usdRate: 1 }, /^Invalid path "code": must be 3-5 upper-case letters$/],
      ['TOOLONG', { usdRate: 1 }, /^Invalid path "code"/],
      ['US%24D', { usdRate: 1 }, /^Invalid path "code"/],
      ['GBP', { usdRate: 0 }, /^Invalid body "usdRate": /],
      ['GBP', { usdRate: -1 }, /^Invalid body "usdRate": /],
      ['GBP', { usdRate: 1e7 }, /^Invalid body "usdRate": /],
      ['GBP', { usdRate: '1.2' }, /^Invalid body "usdRate": /],
      ['GBP', { usdRate: null }, /^Invalid body "usdRate": /],
      ['GBP', {}, /^Invalid body "usdRate": /],
      ['GBP', { usdRate: 1.2, extra: 1 }, /^Invalid body: /],
      ['GBP', '{"usdRate":1.2,"__proto__":{"admin":true}}', /not valid JSON/],
      ['GBP', [], /^Invalid body: /],
      ['GBP', JSON.stringify('1.2'), /^Invalid body: /],
      ['GBP', undefined, /^Invalid body "usdRate": /],
    ];
    for (const [code, payload, wording] of cases) {
      const res = await put(code, typeof payload === 'string' ? payload : JSON.stringify(payload));
      const what = `${code} ${JSON.stringify(payload)}: ${res.body}`;
      assert.equal(res.statusCode, 400, what);
      assert.equal(res.json().success, false, what);
      assert.match(res.json().error, wording, what);
    }
    const notJson = await put('GBP', '{"usdRate":');
    assert.equal(notJson.statusCode, 400, notJson.body);
    assert.equal(notJson.json().success, false);
    assert.deepEqual(await rates(), before);
    assert.equal(pushed.length, n);
  });

  test('a change without the right admin credential is 403; nothing changes, nothing is pushed', async () => {
    const before = await rates();
    const n = pushed.length;
    for (const headers of [{}, { 'x-admin-password': 'wrong-password' }, { 'x-admin-password': '' }]) {
      const res = await app.inject({ method: 'PUT', url: `${URL}/GBP`, headers, payload: { usdRate: 2 } });
      assert.equal(res.statusCode, 403, JSON.stringify(headers));
      assert.equal(res.json().success, false);
    }
    // refused before validation: a hostile body without the credential is 403 too, not a hint at the schema
    const hostile = await app.inject({ method: 'PUT', url: `${URL}/gbp`, payload: { usdRate: -1 } });
    assert.equal(hostile.statusCode, 403);
    assert.deepEqual(await rates(), before);
    assert.equal(pushed.length, n);
  });
});

describe('currency rates without an admin credential or without order execution', () => {
  test('no admin credential configured: a change is refused (403) and the rate stays', async () => {
    const backend = await pgliteBackend();
    const app = await abpApp(backend);
    try {
      const res = await app.inject({ method: 'PUT', url: `${URL}/EUR`, payload: { usdRate: 9 } });
      assert.equal(res.statusCode, 403);
      const eur = (await app.inject({ url: URL }))
        .json()
        .data.find((r: { currencyId: string }) => r.currencyId === 'EUR');
      assert.equal(eur.usdRate, 1.08);
    } finally {
      await app.close();
      await backend.cleanup();
    }
  });

  test('no records database (so no order execution): 503 in the admin error shape', async () => {
    const app = await makeTestApp({ config: { diamondAdminPassword: ADMIN } });
    try {
      for (const res of [
        await app.inject({ url: URL }),
        await app.inject({ method: 'PUT', url: `${URL}/EUR`, headers: H, payload: { usdRate: 1.1 } }),
      ]) {
        assert.equal(res.statusCode, 503, res.body);
        assert.deepEqual(res.json(), { success: false, error: 'Order execution is not running here' });
      }
    } finally {
      await app.close();
    }
  });
});
