import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { InjectOptions } from 'light-my-request';
import { feed, makeTestApp } from '../../helpers/app.js';
import { assertShape } from './shape.js';
import { ERROR } from './seed-examples.js';
import { richUpdates } from './fixtures.js';

const API = '/api/v1/feed';
const UNIFIED = `${API}/odds/unified`;

function post(payload: string, contentType = 'application/json'): InjectOptions {
  return { method: 'POST', url: UNIFIED, payload, headers: { 'content-type': contentType } };
}

describe('bad ids, queries and bodies get 4xx in the surface shape, never 5xx', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await makeTestApp();
    await feed(app, richUpdates());
  });
  after(async () => app.close());

  async function expectError(req: InjectOptions | string, status: number): Promise<string> {
    const opts = typeof req === 'string' ? { url: req } : req;
    const res = await app.inject(opts);
    const label = `${opts.method ?? 'GET'} ${String(opts.url).slice(0, 80)}`;
    assert.equal(res.statusCode, status, `${label}: ${res.body.slice(0, 200)}`);
    const body = res.json<{ error: string }>();
    assertShape(body, ERROR);
    assert.equal(Object.keys(body).includes('success'), true);
    assert.ok(body.error.length > 0 && body.error.length < 300, `${label}: error message is short`);
    assert.ok(!/at .+\.ts:\d+/.test(res.body), `${label}: no stack trace`);
    return body.error;
  }

  test('malformed ids → 400; unknown ids → 404', async () => {
    for (const id of [
      'abc$',
      'x'.repeat(65),
      '%F0%9F%92%A9',
      '%E2%80%AE1234',
      'a%20b',
      '1;DROP',
      '%ED%A0%80',
    ]) {
      for (const suffix of ['', '/odds', '/fancy', '/bookmaker', '/scores', '/scorecard', '/stream']) {
        await expectError(`${API}/event/${id}${suffix}`, 400);
      }
      await expectError(`${API}/result/${id}`, 400);
    }
    for (const id of ['999999999', 'nope', '1.0']) {
      for (const suffix of ['', '/odds', '/fancy', '/bookmaker', '/scores', '/scorecard', '/stream']) {
        await expectError(`${API}/event/${id}${suffix}`, 404);
      }
      await expectError(`${API}/result/${id}`, 404);
    }
    await expectError(`${API}/event/${'9'.repeat(300)}`, 414); // beyond maxParamLength
  });

  test('search: q required, bounded, with letters or digits', async () => {
    assert.match(await expectError(`${API}/search`, 400), /q/);
    await expectError(`${API}/search?q=`, 400);
    await expectError(`${API}/search?q=%20%20`, 400);
    await expectError(`${API}/search?q=${'a'.repeat(101)}`, 400);
    await expectError(`${API}/search?q=a&q=b`, 400);
    await expectError(`${API}/search?q=%F0%9F%92%A9%F0%9F%92%A9`, 400);
    await expectError(`${API}/search?q=%00%01`, 400);
    await expectError(`${API}/search?q=ipl&limit=0`, 400);
    await expectError(`${API}/search?q=ipl&limit=lots`, 400);
    const garbage = await app.inject({ url: `${API}/search?q=%C3%A9%CC%81%E2%80%8B%EF%BF%BDbetis` });
    assert.equal(
      garbage.statusCode,
      200,
      'accents, zero-width and replacement characters around a name still search',
    );
  });

  test('query filters: sport, limit, since, market_id, bfi, event_id', async () => {
    await expectError(`${API}/events?sport=${'x'.repeat(41)}`, 400);
    await expectError(`${API}/events?sport=a&sport=b`, 400);
    await expectError(`${API}/socket-events?sport=${'x'.repeat(41)}`, 400);
    await expectError(`${API}/results?limit=abc`, 400);
    await expectError(`${API}/results?limit=-1`, 400);
    await expectError(`${API}/results?limit=0`, 400);
    await expectError(`${API}/results?since=yesterday`, 400);
    await expectError(`${API}/results?since=2026-13-45T99:00:00Z`, 400);
    await expectError(`${API}/socket-odds?limit=1e3`, 400);
    await expectError(`${API}/socket-odds?market_id=%F0%9F%92%A9`, 400);
    await expectError(`${API}/socket-odds?bfi=a%20b`, 400);
    await expectError(`${API}/socket-scores?event_id=${'1'.repeat(65)}`, 400);
    for (let i = 0; i < 20; i++) {
      const res = await app.inject({ url: `${API}/events?sport=${900_000 + i}` });
      assert.equal(res.json<{ count: number }>().count, 0, 'an unknown sport id selects nothing');
    }
    const cache = await app.inject({ url: '/api/v1/admin/cache' });
    const prefixes = cache.json<{ data: { by_prefix: Record<string, number> } }>().data.by_prefix;
    assert.ok((prefixes['porqpine:events'] ?? 0) <= 1, 'unknown sports do not grow the response cache');
    const big = await app.inject({ url: `${API}/results?limit=999999` });
    assert.equal(big.statusCode, 200, 'an over-large limit is capped, not refused');
  });

  test('POST /odds/unified: wrong types, 51 ids, garbage and huge bodies', async () => {
    const ids = (n: number) =>
      JSON.stringify({ matchIds: Array.from({ length: n }, (_, i) => String(1_000_001 + i)) });
    assert.equal((await app.inject(post(ids(50)))).statusCode, 200, '50 ids are fine');
    assert.match(await expectError(post(ids(51)), 400), /50/);
    for (const body of [
      '{}',
      'null',
      '[1,2]',
      '"matchIds"',
      '{"matchIds":"1000001"}',
      '{"matchIds":{"0":"1000001"}}',
      '{"matchIds":[{}]}',
      '{"matchIds":[true]}',
      '{"matchIds":[null]}',
      '{"matchIds":[1.5]}',
      '{"matchIds":[-4]}',
      '{"matchIds":[1e300]}',
      '{"matchIds":[[["1"]]]}',
      `{"matchIds":["${'9'.repeat(65)}"]}`,
      '{"matchIds":["\\ud83d\\udca9"]}',
      '{"matchIds":["\\ud800"]}',
      '{"matchIds":["\\u0000"]}',
      '{"matchIds":["a b"]}',
      '{"matchIds":["1000001"],"__proto__":{"x":1}}',
      '{"matchIds":[',
      '\u00ff\u00fe\u0000garbage',
    ]) {
      await expectError(post(body), 400);
    }
    await expectError(post(''), 400);
    await expectError(post('matchIds=1', 'text/plain'), 400);
    await expectError(post('matchIds=1', 'application/x-www-form-urlencoded'), 415);
    const tenMb = `{"matchIds":["${'1'.repeat(10 * 1024 * 1024)}"]}`;
    assert.match(await expectError(post(tenMb), 413), /too large/i);
  });

  test('unknown routes under the surface are 404 in its shape', async () => {
    await expectError(`${API}/nope`, 404);
    await expectError({ method: 'DELETE', url: `${API}/events` }, 404);
    await expectError('/api/v1/admin/nope', 404);
  });
});
