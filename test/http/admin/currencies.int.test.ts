import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { pgliteBackend, type Backend } from '../../records/helpers.js';
import { abpApp } from '../abp/helpers.js';

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

  test('bad input is 400, no credential 403; nothing changes, nothing is pushed', async () => {
    const before = await rates();
    const n = pushed.length;
    for (const [code, payload] of [
      ['eur', { usdRate: 1 }],
      ['TOOLONG', { usdRate: 1 }],
      ['GBP', { usdRate: 0 }],
      ['GBP', { usdRate: -1 }],
      ['GBP', { usdRate: '1.2' }],
      ['GBP', {}],
      ['GBP', { usdRate: 1.2, extra: 1 }],
    ] as const) {
      const res = await app.inject({ method: 'PUT', url: `${URL}/${code}`, headers: H, payload });
      assert.equal(res.statusCode, 400, `${code} ${JSON.stringify(payload)}: ${res.body}`);
      assert.equal(res.json().success, false);
      assert.match(res.json().error, /^Invalid (path|body)/);
    }
    const denied = await app.inject({ method: 'PUT', url: `${URL}/GBP`, payload: { usdRate: 2 } });
    assert.equal(denied.statusCode, 403);
    assert.deepEqual(await rates(), before);
    assert.equal(pushed.length, n);
  });
});
