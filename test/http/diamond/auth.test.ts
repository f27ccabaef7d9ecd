import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { SEED_UNAUTHORIZED } from './seed-examples.js';

const ROUTES = [
  '/sports',
  '/games',
  '/highlights',
  '/status',
  '/search?q=x',
  '/games/1',
  '/games/1/data',
  '/games/1/detail?full=1',
  '/games/1/markets',
  '/games/1/odds',
  '/games/1/scorecard',
  '/games/1/live-tv',
];

describe('Diamond password', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await makeTestApp();
  });
  after(() => app.close());

  const call = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ url: `/api/v2/diamond${url}`, headers });

  test('x-password header is accepted', async () => {
    const res = await call('/sports', { 'x-password': TEST_PASSWORD });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().success, true);
  });

  test('?password= query parameter is accepted (URL-encoded)', async () => {
    const res = await call(`/sports?password=${encodeURIComponent(TEST_PASSWORD)}`);
    assert.equal(res.statusCode, 200);
  });

  test('missing password → 401 with the exact seed body on every route', async () => {
    for (const url of ROUTES) {
      const res = await call(url);
      assert.equal(res.statusCode, 401, url);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(res.json(), SEED_UNAUTHORIZED, url);
    }
  });

  test('wrong password (header or query) → 401 exact body', async () => {
    for (const res of [
      await call('/games', { 'x-password': 'wrong' }),
      await call('/games', { 'x-password': `${TEST_PASSWORD} ` }),
      await call('/games?password=wrong'),
      await call(`/games?password=${TEST_PASSWORD}&password=${TEST_PASSWORD}`),
    ]) {
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), SEED_UNAUTHORIZED);
    }
  });

  test('a wrong header is not rescued by a right query parameter (the header is preferred)', async () => {
    const res = await call(`/games?password=${TEST_PASSWORD}`, { 'x-password': 'wrong' });
    assert.equal(res.statusCode, 401);
  });

  test('auth is checked before validation: bad input without password is 401, not 400', async () => {
    const res = await call('/games?sport_id=abc');
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), SEED_UNAUTHORIZED);
  });

  test('a 1 MB password is refused with 401', async () => {
    const res = await call('/games', { 'x-password': 'p'.repeat(1_000_000) });
    assert.equal(res.statusCode, 401);
  });
});
