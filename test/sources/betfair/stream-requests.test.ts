import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamRequests } from '../../../src/sources/betfair/stream-requests.js';
import type { StreamConnection } from '../../../src/sources/betfair/stream-connection.js';

function conn(): StreamConnection & { sent: Record<string, unknown>[] } {
  const sent: Record<string, unknown>[] = [];
  return {
    sent,
    send: (m: object) => sent.push(m as Record<string, unknown>),
    close: () => undefined,
    closed: new Promise(() => undefined),
    lastReceivedAt: 0,
  } as unknown as StreamConnection & { sent: Record<string, unknown>[] };
}

describe('StreamRequests', () => {
  test('each request goes out with a new id and is settled by the status carrying that id', async () => {
    const r = new StreamRequests(1000);
    const c = conn();
    const a = r.send(c, { op: 'authentication' });
    const b = r.send(c, { op: 'marketSubscription' });
    assert.deepEqual(
      c.sent.map((m) => [m.op, m.id]),
      [
        ['authentication', 1],
        ['marketSubscription', 2],
      ],
    );
    assert.equal(r.answer({ op: 'status', id: 2, statusCode: 'SUCCESS' }), true);
    assert.equal(r.answer({ op: 'status', id: 1, statusCode: 'FAILURE', errorCode: 'NO_APP_KEY' }), true);
    assert.equal((await b).statusCode, 'SUCCESS');
    assert.equal((await a).errorCode, 'NO_APP_KEY');
    // answered already, and a status without id, answer nothing
    assert.equal(r.answer({ op: 'status', id: 1, statusCode: 'SUCCESS' }), false);
    assert.equal(r.answer({ op: 'status', statusCode: 'FAILURE', errorCode: 'TIMEOUT' }), false);
  });

  test('an unanswered request fails with REQUEST_TIMEOUT', async () => {
    const r = new StreamRequests(20);
    await assert.rejects(r.send(conn(), { op: 'heartbeat' }), { code: 'REQUEST_TIMEOUT' });
  });

  test('failAll(conn) fails only the requests sent on that connection', async () => {
    const r = new StreamRequests(1000);
    const c1 = conn();
    const c2 = conn();
    const on1 = r.send(c1, { op: 'heartbeat' });
    const on2 = r.send(c2, { op: 'heartbeat' });
    r.failAll(new Error('gone'), c1);
    await assert.rejects(on1, /gone/);
    assert.equal(r.answer({ op: 'status', id: 2, statusCode: 'SUCCESS' }), true);
    assert.equal((await on2).statusCode, 'SUCCESS');
  });
});
