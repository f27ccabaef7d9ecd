import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { InjectOptions } from 'light-my-request';
import { feed, makeTestApp, TEST_PASSWORD } from '../helpers/app.js';
import { richUpdates, CRICKET } from './feed/fixtures.js';

/**
 * Every surface answers bad input (and good input) with the status, error body and caching headers it
 * answered before its routes declared zod schemas: the expected answers were recorded from the hand-validated
 * routes (UPDATE_GOLDEN=1 rewrites the file; review its diff). 2xx bodies hold times, so only their status
 * and headers are compared.
 */
const GOLDEN = new URL('../fixtures/http/validation-golden.json', import.meta.url);
const ADMIN = 'golden-admin-secret';
const F = '/api/v1/feed';
const A = '/api/v1/admin';
const D = '/api/v2/diamond';

/**
 * The answers that changed on purpose, with why. A request with a bad `:id` and a bad `?view=` both: the
 * path is now checked first (Fastify validates params before the query string), so the error names the id.
 */
const CHANGED: Record<string, Answer> = Object.fromEntries(
  ['nope', 'best&view=all', 'BEST'].map((v) => [
    `GET ${F}/event/abc$/odds?view=${v}`,
    {
      status: 400,
      body: '{"success":false,"error":"Invalid id"}',
      contentType: 'application/json; charset=utf-8',
    },
  ]),
);

interface Answer {
  status: number;
  body?: string;
  contentType?: string;
  cacheControl?: string;
  etag?: boolean;
}

function get(url: string, headers: Record<string, string> = {}): InjectOptions {
  return { method: 'GET', url, headers };
}
function post(url: string, payload: string, headers: Record<string, string> = {}): InjectOptions {
  return {
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': 'application/json', 'x-admin-password': ADMIN, ...headers },
  };
}

const BAD_IDS = ['abc$', 'x'.repeat(65), '%F0%9F%92%A9', 'a%20b', '%20', '999999999', 'nope', '1.0'];
const EVENT_SUFFIXES = ['', '/odds', '/fancy', '/bookmaker', '/scores', '/scorecard', '/stream'];
const LIMITS = ['', '0', '-1', 'abc', '1e3', '9999999999', '999999', '5', '5&limit=6', '%20'];
const SPORTS = ['', 'Cricket', 'cricket', 'nope', 'x'.repeat(40), 'x'.repeat(41), 'a&sport=b', '4'];
const TIMES = ['', 'yesterday', '2026-13-45T99:00:00Z', '2026-01-01', 'x&since=y'];

function requests(): InjectOptions[] {
  const out: InjectOptions[] = [];
  const id = CRICKET.bfi;
  for (const bad of [...BAD_IDS, id, ` ${id}`])
    for (const s of EVENT_SUFFIXES) out.push(get(`${F}/event/${bad}${s}`));
  for (const bad of BAD_IDS) out.push(get(`${F}/result/${bad}`));
  for (const v of ['', 'best', 'all', 'nope', 'best&view=all', 'BEST'])
    out.push(get(`${F}/event/${id}/odds?view=${v}`), get(`${F}/event/abc$/odds?view=${v}`));
  for (const s of SPORTS) {
    for (const path of ['/events', '/events/live', '/socket-events', '/results', '/arbs', '/sports'])
      out.push(get(`${F}${path}?sport=${s}`));
  }
  for (const l of LIMITS) {
    out.push(get(`${F}/results?limit=${l}`), get(`${F}/socket-odds?limit=${l}`));
    out.push(get(`${F}/search?q=ind&limit=${l}`));
  }
  for (const t of TIMES) out.push(get(`${F}/results?since=${t}`));
  for (const q of ['', '%20%20', 'a'.repeat(100), 'a'.repeat(101), 'a&q=b', '%F0%9F%92%A9', '%00', 'ind']) {
    out.push(get(`${F}/search?q=${q}`));
    out.push(get(`${F}/search?q=${q}&limit=0`));
  }
  out.push(get(`${F}/search`), get(`${F}/search?limit=abc`));
  for (const k of ['market_id', 'bfi']) {
    for (const v of ['', '%F0%9F%92%A9', 'a%20b', '1.2', '1'.repeat(65), '1&x=1', `1&${k}=2`])
      out.push(get(`${F}/socket-odds?${k}=${v}`));
  }
  for (const v of ['', 'x$', ' 12 ', '1'.repeat(65), '1&event_id=2', id])
    out.push(get(`${F}/socket-scores?event_id=${v}`));
  for (const [k, vals] of [
    ['min_edge', ['', '0', '100', '101', '-1', 'abc', '1.1234567', '1&min_edge=2']],
    ['total', ['', '0', '0.01', '1e10', '5', 'x']],
    ['suspect', ['', '0', '1', '2', 'yes', '1&suspect=1']],
  ] as const) {
    for (const v of vals) out.push(get(`${F}/arbs?${k}=${v}`));
  }
  for (const body of [
    '{}',
    'null',
    '[1]',
    '{"matchIds":"1"}',
    '{"matchIds":[]}',
    '{"matchIds":[true]}',
    '{"matchIds":[1.5]}',
    '{"matchIds":["a b"]}',
    `{"matchIds":[${Array.from({ length: 51 }, (_, i) => i + 1).join(',')}]}`,
    `{"matchIds":["${id}", 3]}`,
    '{"matchIds":[',
  ])
    out.push(post(`${F}/odds/unified`, body));
  // admin
  for (const body of [
    '{}',
    'null',
    '{"event_id":"x","into":2}',
    '{"event_id":1,"into":-2}',
    '{"event_id":1}',
  ])
    out.push(post(`${A}/matching/link`, body));
  for (const body of ['{}', '{"event_id":1,"source":""}', '{"event_id":1,"source":"__proto__"}'])
    out.push(post(`${A}/matching/unlink`, body));
  for (const body of ['{}', '{"url":""}', '{"url":"ftp://x"}', '{"url":3}', 'null'])
    out.push(post(`${A}/domains/golden-pool`, body), post(`${A}/domains/nope`, body));
  for (const q of ['', '?url=', '?url=ftp%3A%2F%2Fx', '?url=https%3A%2F%2Fmissing.example', '?url=a&url=b'])
    for (const pool of ['golden-pool', 'nope'])
      out.push({ method: 'DELETE', url: `${A}/domains/${pool}${q}`, headers: { 'x-admin-password': ADMIN } });
  out.push(post(`${A}/matching/link`, '{"event_id":1,"into":2}', { 'x-admin-password': 'wrong' }));
  for (const path of ['/health', '/accounts', '/socket-rooms', '/cache', '/results', '/domains'])
    out.push(get(`${A}${path}`));
  // Diamond
  const pw = { 'x-password': TEST_PASSWORD };
  for (const q of ['', 'sport_id=4', 'sport_id=x', 'etid=4&sport_id=3', 'sport_id=1&sport_id=2', 'raw=2'])
    out.push(get(`${D}/games?${q}`, pw), get(`${D}/highlights?${q}`, pw), get(`${D}/games/${id}?${q}`, pw));
  for (const q of ['', 'q=', 'q=ind', `q=${'a'.repeat(101)}`, 'q=ind&limit=0', 'q=a&q=b'])
    out.push(get(`${D}/search?${q}`, pw));
  for (const g of ['abc$', 'nope', id]) out.push(get(`${D}/games/${g}/detail?full=maybe`, pw));
  out.push(get(`${D}/games`), get(`${D}/tokens`, pw));
  // proxy, dashboard, operations
  for (const u of ['', '?u=', '?u=notaurl', '?u=ftp%3A%2F%2Fx', `?u=${'a'.repeat(5000)}`, '?u=a&u=b'])
    out.push(get(`/proxy${u}`));
  out.push(get('/proxy/scorecard/xyz/1'), get(`/proxy/scorecard/${'a'.repeat(40)}/1`));
  out.push(get('/proxy/tracker/12'), get('/proxy/tracker/12345?productName=%3Cx%3E'));
  for (const f of ['app.js', 'style.css', 'nope.js', 'index.html']) out.push(get(`/dashboard/${f}`));
  out.push(get('/healthz'), get('/readyz'), get('/'), get('/metrics'), get('/ws'), get('/ws?apiKey=x'));
  return out;
}

function label(r: InjectOptions): string {
  return `${r.method} ${String(r.url)} ${typeof r.payload === 'string' ? r.payload.slice(0, 120) : ''}`.trim();
}

async function answer(app: FastifyInstance, r: InjectOptions): Promise<Answer> {
  const res = await app.inject(r);
  const ok = res.statusCode >= 200 && res.statusCode < 300;
  const header = (name: string) => {
    const v = res.headers[name];
    return v === undefined ? undefined : String(v);
  };
  return {
    status: res.statusCode,
    // Error bodies are compared whole; health bodies (also sent with 503) hold memory and times.
    ...(res.statusCode >= 400 && !res.body.includes('"success":true') ? { body: res.body } : {}),
    ...(header('content-type') ? { contentType: header('content-type') } : {}),
    ...(header('cache-control') ? { cacheControl: header('cache-control') } : {}),
    ...(ok ? { etag: res.headers.etag !== undefined } : {}),
  };
}

describe('no behaviour change: status, error bodies and cache headers per surface', () => {
  let app: FastifyInstance;
  before(async () => {
    const { sharedDomainPools } = await import('../../src/pool/registry.js');
    sharedDomainPools.pool('golden-pool', ['https://one.example']);
    app = await makeTestApp({ config: { diamondAdminPassword: ADMIN } });
    await feed(app, richUpdates());
  });
  after(async () => app.close());

  test('every recorded request gets the answer it got before', async () => {
    const got: Record<string, Answer> = {};
    for (const r of requests()) got[label(r)] = await answer(app, r);
    if (process.env.UPDATE_GOLDEN === '1') {
      writeFileSync(GOLDEN, `${JSON.stringify(got, null, 1)}\n`);
      return;
    }
    const want = { ...(JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, Answer>), ...CHANGED };
    const diffs = Object.keys({ ...want, ...got })
      .filter((k) => JSON.stringify(want[k]) !== JSON.stringify(got[k]))
      .map((k) => `${k}\n   was ${JSON.stringify(want[k])}\n   now ${JSON.stringify(got[k])}`);
    assert.ok(Object.keys(got).length > 300, `requests: ${Object.keys(got).length}`);
    assert.deepEqual(diffs, []);
  });
});
