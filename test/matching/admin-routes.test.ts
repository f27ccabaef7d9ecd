import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp } from '../helpers/app.js';
import type { SourceUpdate } from '../../src/model/index.js';

const ADMIN = 'matching-admin-password';
const KICK_OFF = new Date(Date.now() + 3 * 3600_000).toISOString();

function ev(source: string, id: string, name: string): SourceUpdate {
  return { kind: 'event', source, upstreamEventId: id, event: { sportId: 1, name, startTime: KICK_OFF } };
}

describe('admin matching routes', () => {
  let app: FastifyInstance;
  const idOf = (source: string, up: string) => app.readModel.findByUpstream(source, up)?.id as number;
  const post = (url: string, payload: unknown) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers: { 'x-admin-password': ADMIN } });

  before(async () => {
    app = await makeTestApp({ config: { diamondAdminPassword: ADMIN } });
    await feed(app, [ev('betfair', '10', 'Man City v Leeds'), ev('imatchodds', '20', 'Man Utd v Leeds')]);
    await feed(app, [ev('oddsapi', 'm', 'Manchester v Leeds United')]);
  });
  after(async () => {
    await app.close();
  });

  test('an ambiguous upstream event is listed with its candidates', async () => {
    const res = await app.inject({ url: '/api/v1/admin/matching/candidates' });
    assert.equal(res.statusCode, 200);
    const body = res.json() as {
      data: {
        source: string;
        upstream_id: string;
        reason: string;
        event: { id: number };
        candidates: { event: { id: number; name: string } }[];
      }[];
    };
    const row = body.data.find((d) => d.source === 'oddsapi' && d.upstream_id === 'm');
    assert.equal(row?.reason, 'ambiguous');
    assert.equal(row?.event.id, idOf('oddsapi', 'm'));
    assert.deepEqual(row?.candidates.map((c) => c.event.name).sort(), [
      'Man City v Leeds',
      'Man Utd v Leeds',
    ]);
  });

  test('link merges the upstream event into the chosen one; unlink splits it off again; both persist', async () => {
    const city = idOf('betfair', '10');
    const res = await post('/api/v1/admin/matching/link', { event_id: idOf('oddsapi', 'm'), into: city });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual((res.json() as { data: { sources: Record<string, string> } }).data.sources, {
      betfair: '10',
      oddsapi: 'm',
    });
    assert.equal(idOf('oddsapi', 'm'), city);
    const listed = (await app.inject({ url: '/api/v1/admin/matching/candidates' })).json() as {
      data: { upstream_id: string }[];
    };
    assert.ok(!listed.data.some((d) => d.upstream_id === 'm'), 'no longer a candidate');

    const un = await post('/api/v1/admin/matching/unlink', { event_id: city, source: 'oddsapi' });
    assert.equal(un.statusCode, 200, un.body);
    const data = (
      un.json() as { data: { event: { sources: object }; unlinked: { id: number; sources: object } } }
    ).data;
    assert.deepEqual(data.event.sources, { betfair: '10' });
    assert.deepEqual(data.unlinked.sources, { oddsapi: 'm' });
    const links = (await app.inject({ url: '/api/v1/admin/matching/links' })).json() as {
      data: { action: string }[];
    };
    assert.deepEqual(
      links.data.map((a) => a.action),
      ['link', 'unlink'],
    );
    assert.deepEqual(
      ((await app.store.getDoc('matching:manual')) as { actions: unknown[] }).actions.length,
      2,
    );
  });

  test('bad requests answer in the surface’s error shape', async () => {
    const cases: [unknown, number, string][] = [
      [{ event_id: 'x', into: 1 }, 400, 'Invalid body'],
      [{ event_id: idOf('betfair', '10'), into: idOf('betfair', '10') }, 400, 'into itself'],
      [{ event_id: 999_999_999, into: idOf('betfair', '10') }, 404, 'not found'],
      [{ event_id: idOf('imatchodds', '20'), into: idOf('betfair', '10') }, 200, ''],
    ];
    for (const [payload, status, msg] of cases) {
      const res = await post('/api/v1/admin/matching/link', payload);
      assert.equal(res.statusCode, status, res.body);
      if (status !== 200) {
        const body = res.json() as { success: boolean; error: string };
        assert.equal(body.success, false);
        assert.match(body.error, new RegExp(msg));
      }
    }
    await feed(app, [ev('betfair', '11', 'Chelsea v Spurs'), ev('betfair', '12', 'Chelsea v Tottenham')]);
    const clash = await post('/api/v1/admin/matching/link', {
      event_id: idOf('betfair', '11'),
      into: idOf('betfair', '12'),
    });
    assert.equal(clash.statusCode, 409);
    const single = await post('/api/v1/admin/matching/unlink', {
      event_id: idOf('betfair', '12'),
      source: 'betfair',
    });
    assert.equal(single.statusCode, 409);
  });
});
