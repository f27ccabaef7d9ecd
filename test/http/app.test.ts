import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { makeTestApp, TEST_PASSWORD } from '../helpers/app.js';

describe('app-wide behaviour', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await makeTestApp();
  });
  after(async () => {
    await app.close();
  });

  test('/healthz answers while the process is alive', async () => {
    const res = await app.inject('/healthz');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  test('an unknown path is a 404 in the error shape', async () => {
    const res = await app.inject('/nope');
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { success: false, error: 'Not found' });
  });

  test('malformed percent-encoding is a 400 in the error shape, not the framework default', async () => {
    const res = await app.inject({
      url: '/api/v2/diamond/games/%E0%A4%A',
      headers: { 'x-password': TEST_PASSWORD },
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { success: false, error: 'Bad request: malformed URL' });
  });

  test('an over-long path parameter is a 414 in the error shape', async () => {
    const res = await app.inject({
      url: `/api/v2/diamond/games/${'9'.repeat(500)}`,
      headers: { 'x-password': TEST_PASSWORD },
    });
    assert.equal(res.statusCode, 414);
    assert.deepEqual(res.json(), { success: false, error: 'URI too long' });
  });
});
