import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { requestUuidOf } from '../../../src/http/routes/diamond/bet-views.js';
import { makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';

const H = { 'x-password': TEST_PASSWORD };

test('a requestId maps to one stable UUID (the orders key), different requestIds to different ones', () => {
  const a = requestUuidOf('desk-42');
  assert.equal(a, requestUuidOf('desk-42'));
  assert.notEqual(a, requestUuidOf('desk-43'));
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('without the execution layer the betting routes answer 503 in the Diamond error shape', async () => {
  const app = await makeTestApp();
  after(() => app.close());
  const bet = await app.inject({
    method: 'POST',
    url: '/api/v2/diamond/bets',
    headers: H,
    payload: { gmid: '1000001', selectionId: 1, side: 'back', price: 2, stake: 5, requestId: 'r1' },
  });
  assert.equal(bet.statusCode, 503);
  assert.equal(bet.json().success, false);
  assert.match(bet.json().error, /not available/);
  const list = await app.inject({ url: '/api/v2/diamond/bets', headers: H });
  assert.equal(list.statusCode, 503);
  const bad = await app.inject({ method: 'POST', url: '/api/v2/diamond/bets', headers: H, payload: {} });
  assert.equal(bad.statusCode, 400, 'validation first');
  const noAdmin = await app.inject({
    method: 'POST',
    url: '/api/v2/diamond/settlements/bulk',
    headers: H,
    payload: { games: [{ gmid: '1', winners: [1] }] },
  });
  assert.equal(noAdmin.statusCode, 403, 'bulk needs the admin credential (none configured: refused)');
});
