import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { sampleUpdates } from '../../helpers/fixtures.js';

describe('Diamond input validation', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await makeTestApp();
    await feed(app, sampleUpdates());
  });
  after(() => app.close());

  const get = (url: string) =>
    app.inject({ url: `/api/v2/diamond${url}`, headers: { 'x-password': TEST_PASSWORD } });

  const expect400 = async (url: string, mentions: string) => {
    const res = await get(url);
    assert.equal(res.statusCode, 400, url);
    const body = res.json() as { success: boolean; error: string };
    assert.deepEqual(Object.keys(body), ['success', 'error'], url);
    assert.equal(body.success, false);
    assert.ok(body.error.includes(mentions), `${url}: "${body.error}" should mention ${mentions}`);
    return body.error;
  };

  test('sport_id that is not a number → 400 naming the parameter', async () => {
    const error = await expect400('/games?sport_id=abc', '"sport_id"');
    assert.equal(error, 'Invalid querystring "sport_id": must be a numeric sport id (e.g. 3 for Cricket)');
    await expect400('/highlights?etid=3.5', '"etid"');
    await expect400('/games?sport_id=-1', '"sport_id"');
    await expect400('/games?sport_id=%20', '"sport_id"');
  });

  test('optional parameters given empty count as not given (seed: "If omitted, returns ALL sports")', async () => {
    const all = await get('/games');
    assert.equal(all.statusCode, 200);
    const count = (all.json() as { data: { count: number } }).data.count;
    assert.ok(count > 1, 'several sports in the fixture');
    for (const url of [
      '/games?sport_id=',
      '/games?etid=',
      '/games?sport_id=&etid=',
      '/highlights?sport_id=',
    ]) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      if (url.startsWith('/games'))
        assert.equal((res.json() as { data: { count: number } }).data.count, count, `${url}: all sports`);
    }
    assert.equal((await get('/search?q=a&limit=&sport_id=')).statusCode, 200);
    assert.equal((await get('/games/1000001/detail?full=&sport_id=')).statusCode !== 400, true);
  });

  test('full accepts the usual spellings of on/off; anything else is still 400', async () => {
    const id = (await get('/games').then((r) => r.json() as { data: { games: { gmid: string }[] } })).data
      .games[0]!.gmid;
    for (const on of ['1', 'true', 'yes', 'YES', 'on']) {
      const res = await get(`/games/${id}/detail?full=${on}`);
      assert.equal(res.statusCode, 200, on);
      assert.ok('fullMarkets' in (res.json() as { data: object }).data, `full=${on} asks for every market`);
    }
    for (const off of ['0', 'false', 'no', 'off', '']) {
      const res = await get(`/games/${id}/detail?full=${off}`);
      assert.equal(res.statusCode, 200, off);
      assert.equal('fullMarkets' in (res.json() as { data: object }).data, false, `full=${off}`);
    }
  });

  test('sport_id repeated → 400 "must be given once"', async () => {
    const error = await expect400('/games?sport_id=1&sport_id=2', '"sport_id"');
    assert.match(error, /must be given once/);
    await expect400('/highlights?etid=1&etid=1', '"etid"');
  });

  test('huge sport ids → 400', async () => {
    await expect400('/games?sport_id=99999999999', '"sport_id"');
    await expect400('/games?sport_id=4294967296', '"sport_id"');
    await expect400(`/games?sport_id=${'9'.repeat(5000)}`, '"sport_id"');
  });

  test('sport_id and etid that disagree → 400', async () => {
    await expect400('/games?sport_id=1&etid=2', 'disagree');
  });

  test('bad detail flags and game ids → 400', async () => {
    await expect400('/games/1000001/detail?full=maybe', '"full"');
    await expect400('/games/1000001/detail?full=1&full=1', '"full"');
    await expect400('/games?raw=2', '"raw"');
    await expect400('/games/a%20b/data', '"gmid"');
    await expect400(`/games/${'1'.repeat(65)}`, '"gmid"');
  });

  test('search: q required, 1..100 characters, limit 1..100', async () => {
    await expect400('/search', '"q"');
    await expect400('/search?q=', '"q"');
    await expect400('/search?q=%20%20%20', '"q"');
    await expect400(`/search?q=${'a'.repeat(101)}`, 'at most 100');
    await expect400('/search?q=a&q=b', '"q"');
    await expect400('/search?q=a&limit=0', '"limit"');
    await expect400('/search?q=a&limit=101', '"limit"');
    await expect400('/search?q=a&limit=ten', '"limit"');
    assert.equal((await get(`/search?q=${'a'.repeat(100)}&limit=100`)).statusCode, 200);
  });

  test('a 1 MB query string gets 4xx, never 5xx', async () => {
    const big = 'a'.repeat(1024 * 1024);
    for (const url of [
      `/search?q=${big}`,
      `/games?sport_id=${big}`,
      `/games?junk=${big}`,
      `/games/1000001/data?x=${big}`,
    ]) {
      const res = await get(url);
      assert.ok(res.statusCode < 500, `${url.slice(0, 40)}: ${res.statusCode}`);
    }
    assert.equal((await get(`/search?q=${big}`)).statusCode, 400);
    assert.equal((await get(`/games?sport_id=${big}`)).statusCode, 400);
  });

  test('unicode garbage gets 4xx or an empty result, never 5xx', async () => {
    const garbage = [
      '/search?q=%00%01%02',
      '/search?q=%F0%9F%98%80%E2%80%AE%EF%BF%BF',
      '/search?q=%ED%A0%80', // a lone surrogate as UTF-8
      '/search?q=%E0%A4%A',
      '/search?q=%ZZ',
      '/games?sport_id=%D9%A3', // Arabic-Indic digit three
      '/games?sport_id=%EF%BC%93', // full-width 3
      '/games/%E0%A4%A',
      '/games/%F0%9F%98%80/data',
      '/games/%00',
      '/games/..%2F..%2Fetc%2Fpasswd',
      `/games/${'é'.repeat(300)}`,
    ];
    for (const url of garbage) {
      const res = await get(url);
      assert.ok(res.statusCode < 500, `${url}: ${res.statusCode} ${res.body}`);
      if (url.startsWith('/games')) assert.ok(res.statusCode >= 400, `${url}: ${res.statusCode}`);
      else if (res.statusCode === 200) assert.equal(res.json().data.count, 0, url);
    }
  });
});
