import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { feed } from '../helpers/app.js';
import { sampleUpdates } from '../helpers/fixtures.js';
import { loadConfig } from '../../src/config/index.js';
import { bigBatch, EV, listeningApp, sleep, TestClient, type Msg } from './helpers.js';

/** Sends a ping and waits for its pong: every reply and burst queued before it has then arrived. */
async function settled(c: TestClient, id: string): Promise<void> {
  await c.request({ action: 'ping', id }, 'pong');
}

const snapshots = (c: TestClient, room: string): Msg[] =>
  c.messages.filter((m) => m.room === room && m.snapshot === true);

describe('WebSocket queue bound: every byte counts (issue 14, 1.2)', () => {
  test('a client that never reads and keeps asking for snapshots is closed with 4008; its backlog stays bounded', async () => {
    const maxQueueBytes = 256 * 1024;
    const { app, url } = await listeningApp({
      config: {
        // Only the queue bound may end this connection: no flood or error close on the way.
        ws: { maxQueueBytes, maxErrors: 1_000_000, maxInboundPerSec: 1_000_000, closeGraceMs: 30_000 },
      },
    });
    try {
      await feed(app, [...sampleUpdates(), ...bigBatch()]);
      const event = app.readModel.findEvent(EV.bfi);
      assert.ok(event);
      const rooms = ['all', `sport:${event.sportId}`, `event:${event.id}`];
      const c = await TestClient.connect(url);
      const id = c.messages[0]?.clientId as string;
      const stats = () => app.broker.stats() as { slow_consumers_closed: number };
      c.ws.pause();
      let maxBacklog = 0;
      let cycles = 0;
      // Each cycle asks for three ~200 KB snapshots (the client asked 50 times a second).
      while (stats().slow_consumers_closed === 0 && cycles < 150) {
        cycles++;
        for (const room of rooms) {
          c.send({ action: 'subscribe', room, snapshot: true });
          c.send({ action: 'subscribe', room, snapshot: true });
          c.send({ action: 'unsubscribe', room });
        }
        await sleep(5);
        maxBacklog = Math.max(maxBacklog, app.broker.backlogOf(id) ?? 0);
      }
      assert.equal(stats().slow_consumers_closed, 1, `cut after ${cycles} cycles`);
      // A few bytes of ws's own control frames (the close frame) may follow the bound.
      assert.ok(maxBacklog <= maxQueueBytes + 1024, `backlog reached ${maxBacklog} bytes`);
      c.ws.resume();
      const closed = await c.closed;
      assert.equal(closed.code, 4008);
      assert.equal(closed.reason, 'slow consumer');
    } finally {
      await app.close();
    }
  });

  test('subscribing again to a room already joined grants no new snapshot or replay; the reply says so', async () => {
    const { app, url } = await listeningApp();
    try {
      await feed(app, sampleUpdates());
      const c = await TestClient.connect(url);
      const first = await c.request(
        { action: 'subscribe', room: 'all', snapshot: true, id: 1 },
        'subscribed',
      );
      assert.equal(first.already, undefined);
      await settled(c, 'p1');
      const count = snapshots(c, 'all').length;
      assert.ok(count > 0, 'the first subscribe got a snapshot');
      const again = await c.request(
        { action: 'subscribe', room: 'all', snapshot: true, id: 2 },
        'subscribed',
      );
      assert.equal(again.already, true);
      assert.equal(again.id, 2);
      assert.equal(again.seq, first.seq);
      const since = await c.request({ action: 'subscribe', room: 'all', since: 0, id: 3 }, 'subscribed');
      assert.equal(since.already, true);
      await settled(c, 'p2');
      assert.equal(snapshots(c, 'all').length, count, 'no second snapshot');
      assert.equal(c.messages.filter((m) => m.type === 'recovery').length, 0, 'no replay');
      // Leaving and joining again is a new subscription, with its burst.
      await c.request({ action: 'unsubscribe', room: 'all' }, 'unsubscribed');
      await settled(c, 'p3');
      const rejoin = await c.request({ action: 'subscribe', room: 'all', snapshot: true }, 'subscribed');
      assert.equal(rejoin.already, undefined);
      await settled(c, 'p4');
      assert.equal(snapshots(c, 'all').length, 2 * count);
      await c.close();
    } finally {
      await app.close();
    }
  });
});

const KEY_A = 'ws-bound-key-a-0001';
const KEY_B = 'ws-bound-key-b-0002';

describe('WebSocket requests count against the key’s rate limit (issue 14, 1.5)', () => {
  test('after login, get_stats/get_matches/get_odds share the key’s 5/min with REST: the 6th is RATE_LIMITED', async () => {
    const { app, url } = await listeningApp({ env: { API_KEYS: `${KEY_A}:5,${KEY_B}:600` } });
    try {
      await feed(app, sampleUpdates());
      const c = await TestClient.connect(url);
      assert.equal((await c.request({ action: 'login', apiKey: KEY_A }, 'login')).ok, true);
      const actions = [
        { action: 'get_stats' },
        { action: 'get_matches' },
        { action: 'get_odds', matchId: EV.bfi },
        { action: 'get_stats' },
        { action: 'get_matches' },
      ];
      const types = ['stats', 'matches', 'odds', 'stats', 'matches'];
      for (const [i, a] of actions.entries()) {
        const reply = await c.request({ ...a, id: i }, types[i] as string);
        assert.equal(reply.id, i);
      }
      const over = await c.request({ action: 'get_odds', matchId: EV.bfi, id: 'x' }, 'error');
      assert.equal(over.code, 'RATE_LIMITED');
      assert.equal(over.action, 'get_odds');
      assert.equal(over.id, 'x');
      assert.ok(
        Number(over.retryAfter) >= 1 && Number(over.retryAfter) <= 60,
        `retryAfter ${over.retryAfter}`,
      );
      assert.match(over.error as string, /5 requests per minute/);
      // The connection stays open; frames that do not read data are not counted.
      assert.equal((await c.request({ action: 'ping' }, 'pong')).type, 'pong');
      assert.equal((await c.subscribe('all')).room, 'all');
      // One budget: the key's REST requests are over it too; another key is not.
      const rest = await app.inject({ url: '/api/v1/feed/sports', headers: { 'x-api-key': KEY_A } });
      assert.equal(rest.statusCode, 429);
      const other = await app.inject({ url: '/api/v1/feed/sports', headers: { 'x-api-key': KEY_B } });
      assert.equal(other.statusCode, 200);
      await c.close();
    } finally {
      await app.close();
    }
  });

  test('REST requests spend the budget WS requests draw from; replies keep the order of the frames', async () => {
    const { app, url } = await listeningApp({ env: { API_KEYS: `${KEY_A}:5` } });
    try {
      await feed(app, sampleUpdates());
      const c = await TestClient.connect(`${url}?apiKey=${KEY_A}`);
      assert.equal(c.messages[0]?.auth, 'ok');
      // REST requests until one request is left (whether the upgrade itself counted or not).
      let remaining = Infinity;
      for (let i = 0; i < 5 && remaining > 1; i++) {
        const res = await app.inject({ url: '/api/v1/feed/sports', headers: { 'x-api-key': KEY_A } });
        assert.equal(res.statusCode, 200);
        remaining = Number(res.headers['x-ratelimit-remaining']);
      }
      assert.equal(remaining, 1);
      const from = c.messages.length;
      c.send({ action: 'get_stats', id: 1 }); // the last request of the budget
      c.send({ action: 'ping', id: 2 });
      c.send({ action: 'get_matches', id: 3 }); // over
      c.send({ action: 'ping', id: 4 });
      await c.nextAfter(from, (m) => m.id === 4);
      const replies = c.messages.slice(from).map((m) => `${m.id}:${m.type}:${String(m.code ?? '')}`);
      assert.deepEqual(replies, ['1:stats:', '2:pong:', '3:error:RATE_LIMITED', '4:pong:']);
      await c.close();
    } finally {
      await app.close();
    }
  });
});

describe('One API key per WebSocket connection (issue 14, 1.5)', () => {
  test('header and ?apiKey= naming different keys: AUTH_CONFLICT, then close 4001; the same key twice is fine', async () => {
    const { app, url } = await listeningApp({ env: { API_KEYS: `${KEY_A}:600,${KEY_B}:600` } });
    try {
      const both = new TestClient(`${url}?apiKey=${KEY_B}`, { headers: { 'x-api-key': KEY_A } });
      const err = await both.next((m) => m.type === 'error');
      assert.equal(err.code, 'AUTH_CONFLICT');
      const closed = await both.closed;
      assert.equal(closed.code, 4001);
      assert.equal(closed.reason, 'conflicting api keys');
      assert.equal(
        both.messages.some((m) => m.type === 'connected'),
        false,
      );
      const same = await TestClient.connect(`${url}?apiKey=${KEY_A}`, { headers: { 'x-api-key': KEY_A } });
      assert.equal(same.messages[0]?.auth, 'ok');
      await same.close();
    } finally {
      await app.close();
    }
  });

  test('a login with a different key than the connection already has is refused (AUTH_CONFLICT, 4001); the same key is a no-op', async () => {
    const { app, url } = await listeningApp({ env: { API_KEYS: `${KEY_A}:600,${KEY_B}:600` } });
    try {
      const q = await TestClient.connect(`${url}?apiKey=${KEY_A}`);
      assert.equal((await q.request({ action: 'login', apiKey: KEY_A, id: 1 }, 'login')).ok, true);
      const refused = await q.request({ action: 'login', apiKey: KEY_B, id: 2 }, 'error');
      assert.equal(refused.code, 'AUTH_CONFLICT');
      assert.equal(refused.id, 2);
      assert.equal((await q.closed).code, 4001);

      const l = await TestClient.connect(url);
      assert.equal((await l.request({ action: 'login', apiKey: KEY_B }, 'login')).ok, true);
      assert.equal((await l.request({ action: 'login', apiKey: KEY_A }, 'error')).code, 'AUTH_CONFLICT');
      assert.equal((await l.closed).code, 4001);
    } finally {
      await app.close();
    }
  });

  test('WS_MAX_CONNECTIONS_PER_KEY (default 5) caps a key’s connections however it is presented; closing one frees a slot', async () => {
    assert.equal(loadConfig({ env: {}, configDir: null }).ws.maxConnectionsPerKey, 5);
    assert.equal(
      loadConfig({ env: { WS_MAX_CONNECTIONS_PER_KEY: '7' }, configDir: null }).ws.maxConnectionsPerKey,
      7,
    );
    const { app, url } = await listeningApp({ env: { API_KEYS: `${KEY_A}:600,${KEY_B}:600` } });
    try {
      const open: TestClient[] = [];
      open.push(await TestClient.connect(`${url}?apiKey=${KEY_A}`));
      open.push(await TestClient.connect(url, { headers: { 'x-api-key': KEY_A } }));
      for (let i = 0; i < 3; i++) {
        const c = await TestClient.connect(url);
        assert.equal((await c.request({ action: 'login', apiKey: KEY_A }, 'login')).ok, true);
        open.push(c);
      }
      const sixth = new TestClient(`${url}?apiKey=${KEY_A}`);
      const closed = await sixth.closed;
      assert.equal(closed.code, 4029);
      assert.match(closed.reason, /too many connections for this api key/);
      const sixthByLogin = await TestClient.connect(url);
      sixthByLogin.send({ action: 'login', apiKey: KEY_A });
      assert.equal((await sixthByLogin.closed).code, 4029);
      // Another key has its own slots.
      const other = await TestClient.connect(`${url}?apiKey=${KEY_B}`);
      await other.close();
      await (open.shift() as TestClient).close();
      // The server frees the slot when it sees the close.
      for (let i = 0; i < 500 && app.broker.clientCount() > 4; i++) await sleep(10);
      assert.equal(app.broker.clientCount(), 4);
      const again = await TestClient.connect(url, { headers: { 'x-api-key': KEY_A } });
      assert.equal(again.messages[0]?.auth, 'ok');
      open.push(again);
      await Promise.all(open.map((c) => c.close()));
    } finally {
      await app.close();
    }
  });
});
