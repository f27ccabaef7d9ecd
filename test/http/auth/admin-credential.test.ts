import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp } from '../../helpers/app.js';
import type { SourceUpdate } from '../../../src/model/index.js';

const KEY = 'admin-credential-key-01';
const ADMIN = 'admin-credential-pass-01';
const KICK_OFF = new Date(Date.now() + 3 * 3600_000).toISOString();

function ev(source: string, id: string, name: string): SourceUpdate {
  return { kind: 'event', source, upstreamEventId: id, event: { sportId: 1, name, startTime: KICK_OFF } };
}

async function twoEvents(app: FastifyInstance): Promise<{ eventId: number; into: number }> {
  await feed(app, [ev('betfair', '10', 'Man City v Leeds'), ev('oddsapi', 'm', 'Arsenal v Spurs')]);
  return {
    into: app.readModel.findByUpstream('betfair', '10')?.id as number,
    eventId: app.readModel.findByUpstream('oddsapi', 'm')?.id as number,
  };
}

/** Every state-changing admin route, with a body that would be accepted. */
const CHANGES = (ids: { eventId: number; into: number }) => [
  {
    method: 'POST' as const,
    url: '/api/v1/admin/matching/link',
    payload: { event_id: ids.eventId, into: ids.into },
  },
  {
    method: 'POST' as const,
    url: '/api/v1/admin/matching/unlink',
    payload: { event_id: ids.into, source: 'betfair' },
  },
  {
    method: 'POST' as const,
    url: '/api/v1/admin/domains/imatchodds',
    payload: { url: 'https://new.example' },
  },
  { method: 'DELETE' as const, url: '/api/v1/admin/domains/imatchodds?url=https://new.example' },
];

describe('state-changing admin routes need the admin credential', () => {
  test('with no admin credential configured every change is refused (403) and nothing changes', async () => {
    const app = await makeTestApp();
    try {
      const ids = await twoEvents(app);
      for (const req of CHANGES(ids)) {
        const res = await app.inject({ ...req, headers: { 'x-admin-password': 'anything-at-all-here' } });
        assert.equal(res.statusCode, 403, `${req.method} ${req.url}`);
        assert.equal(res.json().success, false);
      }
      assert.notEqual(app.readModel.findByUpstream('oddsapi', 'm')?.id, ids.into, 'not merged');
      assert.equal(
        (await app.inject({ url: '/api/v1/admin/matching/candidates' })).statusCode,
        200,
        'reads stay open',
      );
    } finally {
      await app.close();
    }
  });

  test('with keys: the key first (401), then x-admin-password (403 missing or wrong), then the change', async () => {
    const app = await makeTestApp({ config: { apiKeys: KEY, diamondAdminPassword: ADMIN } });
    try {
      const ids = await twoEvents(app);
      for (const req of CHANGES(ids)) {
        const name = `${req.method} ${req.url}`;
        assert.equal(
          (await app.inject({ ...req, headers: { 'x-admin-password': ADMIN } })).statusCode,
          401,
          name,
        );
        assert.equal((await app.inject({ ...req, headers: { 'x-api-key': KEY } })).statusCode, 403, name);
        const wrong = await app.inject({
          ...req,
          headers: { 'x-api-key': KEY, 'x-admin-password': `${ADMIN}x` },
        });
        assert.equal(wrong.statusCode, 403, name);
      }
      assert.notEqual(app.readModel.findByUpstream('oddsapi', 'm')?.id, ids.into, 'not merged yet');
      const [link] = CHANGES(ids);
      const ok = await app.inject({ ...link!, headers: { 'x-api-key': KEY, 'x-admin-password': ADMIN } });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(
        app.readModel.findByUpstream('oddsapi', 'm')?.id,
        ids.into,
        'merged with both credentials',
      );
      const read = await app.inject({ url: '/api/v1/admin/matching/links', headers: { 'x-api-key': KEY } });
      assert.equal(read.statusCode, 200, 'reads need only the key');
    } finally {
      await app.close();
    }
  });

  test('no CORS preflight is answered for admin changes, and their responses carry no CORS header', async () => {
    const app = await makeTestApp({ config: { diamondAdminPassword: ADMIN } });
    try {
      for (const method of ['POST', 'DELETE', 'PUT', 'PATCH']) {
        const res = await app.inject({
          method: 'OPTIONS',
          url: '/api/v1/admin/matching/link',
          headers: { origin: 'https://evil.example', 'access-control-request-method': method },
        });
        assert.equal(res.statusCode, 403, method);
        assert.equal(res.headers['access-control-allow-origin'], undefined, method);
        assert.equal(res.headers['access-control-allow-methods'], undefined, method);
      }
      const post = await app.inject({
        method: 'POST',
        url: '/api/v1/admin/matching/link',
        headers: { origin: 'https://evil.example', 'x-admin-password': ADMIN },
        payload: { event_id: 1, into: 2 },
      });
      assert.equal(post.headers['access-control-allow-origin'], undefined);
      const get = await app.inject({ url: '/api/v1/admin/health', headers: { origin: 'https://a.example' } });
      assert.equal(get.headers['access-control-allow-origin'], '*', 'reads stay readable cross-origin');
    } finally {
      await app.close();
    }
  });
});
