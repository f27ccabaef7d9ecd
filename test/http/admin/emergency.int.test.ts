import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { pgliteBackend, type Backend } from '../../records/helpers.js';
import { abpApp, newKey, withKey } from '../abp/helpers.js';
import { makeTestApp } from '../../helpers/app.js';

const ADMIN = 'admin-password-123';
const URL = '/api/v1/admin/emergency';

describe('emergency mode under /api/v1/admin/emergency', () => {
  let backend: Backend;
  let app: FastifyInstance;
  const pushed: { channel: string; event: string; payload: unknown }[] = [];
  before(async () => {
    backend = await pgliteBackend();
    app = await abpApp(backend, { diamondAdminPassword: ADMIN });
    app.abp!.channels.subscribe({
      clientName: 'observer',
      wants: (c) => c === 'emergency',
      deliver: (channel, event, payload) => pushed.push({ channel, event, payload }),
    });
  });
  after(async () => {
    await app?.close();
    await backend?.cleanup();
  });

  const state = async () => {
    const res = await app.inject({ url: URL });
    assert.equal(res.statusCode, 200);
    return res.json().data as { enabled: boolean; reason: string | null; since: string | null };
  };

  test('GET shows it off before anyone touched it', async () => {
    assert.deepEqual(await state(), { enabled: false, reason: null, since: null });
  });

  test('a change needs x-admin-password; refused changes change nothing', async () => {
    for (const headers of [{}, { 'x-admin-password': 'wrong-password' }]) {
      const res = await app.inject({
        method: 'POST',
        url: URL,
        headers,
        payload: { enabled: true, reason: 'x' },
      });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().success, false);
    }
    assert.equal((await state()).enabled, false);
    assert.equal(pushed.length, 0);
  });

  test('bad bodies are 400 in the admin error shape and change nothing', async () => {
    for (const payload of [
      { enabled: 'yes' },
      { enabled: true },
      { enabled: true, reason: '   ' },
      { enabled: true, reason: 'r'.repeat(201) },
      { enabled: true, reason: 'ok', extra: 1 },
      [],
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: URL,
        headers: { 'x-admin-password': ADMIN },
        payload,
      });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      const body = res.json();
      assert.equal(body.success, false);
      assert.match(body.error, /^Invalid body/);
    }
    assert.equal((await state()).enabled, false);
    assert.equal(pushed.length, 0);
  });

  test('on: orders are declined with the reason and the flip is pushed; off: orders flow again', async () => {
    const key = await newKey(app, 'desk');
    const on = await app.inject({
      method: 'POST',
      url: URL,
      headers: { 'x-admin-password': ADMIN },
      payload: { enabled: true, reason: 'Upstream provider maintenance' },
    });
    assert.equal(on.statusCode, 200, on.body);
    assert.equal(on.json().data.enabled, true);
    const s = await state();
    assert.equal(s.enabled, true);
    assert.equal(s.reason, 'Upstream provider maintenance');
    assert.ok(s.since && Date.parse(s.since) > 0);
    assert.equal(pushed.length, 1);
    assert.equal(pushed[0]!.channel, 'emergency');
    assert.equal(pushed[0]!.event, 'STATUS');
    assert.deepEqual(
      { ...(pushed[0]!.payload as object), ts: 0 },
      { active: true, reason: 'Upstream provider maintenance', ts: 0 },
    );

    const order = {
      requestUuid: randomUUID(),
      fixtureId: '1000001',
      outcomeId: 101,
      playerId: 0,
      orderStake: 10,
      orderPrice: 1.5,
      userRef: 'e',
      testOrder: false,
    };
    const res = await app.inject({
      method: 'POST',
      url: '/abp/place-orders',
      headers: withKey(key),
      payload: { orders: [order] },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().declinedOrders, [
      {
        requestUuid: order.requestUuid,
        fixtureId: '1000001',
        outcomeId: 101,
        declineReason: 'Emergency mode: order processing is paused (Upstream provider maintenance)',
      },
    ]);

    const off = await app.inject({
      method: 'POST',
      url: URL,
      headers: { 'x-admin-password': ADMIN },
      payload: { enabled: false },
    });
    assert.equal(off.statusCode, 200);
    assert.deepEqual({ ...off.json().data, since: null }, { enabled: false, reason: null, since: null });
    assert.equal(pushed.length, 2);
    assert.equal((pushed[1]!.payload as { active: boolean }).active, false);
    // Off again: the next order is routed (no account here, so declined for that, not for the switch).
    const next = await app.inject({
      method: 'POST',
      url: '/abp/place-orders',
      headers: withKey(key),
      payload: { orders: [{ ...order, requestUuid: randomUUID() }] },
    });
    assert.equal(next.statusCode, 200);
    assert.doesNotMatch(next.json().declinedOrders[0]?.declineReason ?? '', /Emergency/);
  });
});

describe('emergency mode without an admin credential or without order execution', () => {
  test('no admin credential configured: changes are refused (403)', async () => {
    const backend = await pgliteBackend();
    const app = await abpApp(backend);
    try {
      const res = await app.inject({ method: 'POST', url: URL, payload: { enabled: false } });
      assert.equal(res.statusCode, 403);
      assert.equal((await app.inject({ url: URL })).json().data.enabled, false);
    } finally {
      await app.close();
      await backend.cleanup();
    }
  });

  test('no records database (so no order execution): 503 in the admin error shape', async () => {
    const app = await makeTestApp({ config: { diamondAdminPassword: ADMIN } });
    try {
      const res = await app.inject({ url: URL });
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().success, false);
    } finally {
      await app.close();
    }
  });
});
