import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { postgresBackend, type Backend } from '../../records/helpers.js';
import { abpApp } from './helpers.js';

const ADMIN = 'admin-password-123';

describe('ABP keys under /api/v1/admin (admin credential)', () => {
  let backend: Backend;
  let app: FastifyInstance;
  before(async () => {
    backend = await postgresBackend();
    app = await abpApp(backend, { diamondAdminPassword: ADMIN });
  });
  after(async () => {
    await app?.close();
    await backend?.cleanup();
  });

  test('reads and changes need x-admin-password', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/admin/abp/keys'],
      ['POST', '/api/v1/admin/abp/keys'],
    ] as const) {
      const res = await app.inject({
        method,
        url,
        payload: method === 'POST' ? { clientName: 'x' } : undefined,
      });
      assert.equal(res.statusCode, 403, `${method} ${url}`);
      assert.equal(res.json().success, false);
    }
    assert.equal((await app.abp!.keys.list()).length, 0, 'nothing created');
  });

  test('create → the key works; list never shows it; disable → 403 inactive; enable again', async () => {
    const h = { 'x-admin-password': ADMIN };
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/abp/keys',
      headers: h,
      payload: { clientName: 'acme', rateLimit: 30 },
    });
    assert.equal(created.statusCode, 201, created.body);
    const { apiKey, id, rateLimit } = created.json().data;
    assert.equal(rateLimit, 30);
    assert.equal(
      (await app.inject({ url: '/abp/accounts', headers: { 'x-api-key': apiKey } })).statusCode,
      200,
    );
    const list = await app.inject({ url: '/api/v1/admin/abp/keys', headers: h });
    assert.equal(list.json().count, 1);
    assert.ok(!list.body.includes(apiKey));
    const off = await app.inject({ method: 'POST', url: `/api/v1/admin/abp/keys/${id}/disable`, headers: h });
    assert.equal(off.json().data.enabled, false);
    const refused = await app.inject({ url: '/abp/accounts', headers: { 'x-api-key': apiKey } });
    assert.equal(refused.statusCode, 403);
    assert.deepEqual(refused.json(), { detail: { message: 'API key is inactive', code: 'FORBIDDEN' } });
    await app.inject({ method: 'POST', url: `/api/v1/admin/abp/keys/${id}/enable`, headers: h });
    assert.equal(
      (await app.inject({ url: '/abp/accounts', headers: { 'x-api-key': apiKey } })).statusCode,
      200,
    );
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/abp/keys',
      headers: h,
      payload: { clientName: '' },
    });
    assert.equal(bad.statusCode, 400);
    const none = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/abp/keys/00000000-0000-4000-8000-000000000000/disable',
      headers: h,
    });
    assert.equal(none.statusCode, 404);
  });
});
