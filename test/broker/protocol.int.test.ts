import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { feed } from '../helpers/app.js';
import { matchOdds, runner, sampleUpdates, SAMPLE_EVENTS } from '../helpers/fixtures.js';
import { EV, listeningApp, priceUpdate, range, seqsOf, sleep, TestClient } from './helpers.js';
import { ApiKeysSchema } from '../../src/config/operations.js';

const CRICKET = SAMPLE_EVENTS[2] as (typeof SAMPLE_EVENTS)[number];

describe('WebSocket protocol (/ws)', () => {
  let app: FastifyInstance;
  let url: string;
  const clients: TestClient[] = [];
  const connect = async () => {
    const c = await TestClient.connect(url);
    clients.push(c);
    return c;
  };

  before(async () => {
    ({ app, url } = await listeningApp({ config: { ws: { matchesIntervalMs: 300, maxRooms: 8 } } }));
    await feed(app, sampleUpdates());
  });
  after(async () => {
    for (const c of clients) await c.close();
    await app.close();
  });

  test('greets with connected {clientId, stats}', async () => {
    const c = new TestClient(url);
    clients.push(c);
    const hello = await c.next((m) => m.type === 'connected');
    assert.equal(typeof hello.clientId, 'string');
    assert.equal((hello.stats as Record<string, unknown>).events, 4);
    assert.equal((hello.stats as Record<string, unknown>).markets, 4);
  });

  test('subscribe by bfi lands in the internal-id room; market_odds then carry room, seq and ts', async () => {
    const c = await connect();
    const internal = app.readModel.findEvent(EV.bfi)?.id;
    const sub = await c.subscribe(`event:${EV.bfi}`);
    assert.equal(sub.room, `event:${internal}`);
    assert.equal(sub.requested, `event:${EV.bfi}`);
    const before = sub.seq as number;
    await feed(app, [priceUpdate(1)]);
    const m = await c.next((x) => x.type === 'market_odds');
    assert.equal(m.room, `event:${internal}`);
    assert.equal(m.seq, before + 1);
    assert.equal(typeof m.ts, 'number');
    assert.equal(m.marketId, EV.marketId);
    const data = m.data as { market_id: string; selections: Array<{ back: Array<{ odds: number }> }> };
    assert.equal(data.market_id, EV.marketId);
    assert.equal(data.selections[0]?.back[0]?.odds, 2.01);
  });

  test('a client in two rooms gets a change once per room, each with that room’s seq; odds room gets match_odds {bfi}', async () => {
    const c = await connect();
    const subs = new Map<string, number>();
    for (const room of ['all', 'odds', `market:${EV.marketId}`])
      subs.set(room, (await c.subscribe(room)).seq as number);
    await feed(app, [priceUpdate(2)]);
    await c.next((m) => m.type === 'match_odds');
    await c.next((m) => m.room === `market:${EV.marketId}`);
    await c.next((m) => m.room === 'all' && m.type === 'market_odds');
    await sleep(50);
    const got = c.messages.filter((m) => m.marketId === EV.marketId && typeof m.seq === 'number');
    assert.deepEqual(got.map((m) => m.room).sort(), ['all', `market:${EV.marketId}`, 'odds']);
    const odds = got.find((m) => m.room === 'odds');
    assert.equal(odds?.type, 'match_odds');
    assert.equal(odds?.bfi, EV.bfi);
    for (const [room, from] of subs) {
      const pushes = seqsOf(c.pushes(room));
      assert.deepEqual(
        pushes,
        range(from + 1, from + pushes.length),
        `${room}: contiguous from the subscribe position`,
      );
    }
  });

  test('sport room (by id or label), fancy_update, bookmaker_add/remove, event_scores, event_update', async () => {
    const c = await connect();
    await c.subscribe('sport:cricket');
    const room = `event:${app.readModel.findEvent(CRICKET.bfi)?.id}`;
    await c.subscribe(room);
    const src = { source: 'betfair', upstreamEventId: CRICKET.bfi } as const;
    const fancy = matchOdds('f.1', [runner(1, '10 Over Runs', 18, 16)], {
      type: 'FANCY',
      name: '10 Over Runs',
      source: 'betfair',
    });
    const bm = matchOdds('bm.1', [runner(2, 'England W', 1.9, 1.95)], {
      type: 'BOOKMAKER',
      name: 'Bookmaker',
      source: 'betfair',
    });
    await feed(app, [
      { kind: 'market', ...src, market: fancy },
      { kind: 'market', ...src, market: bm },
      { kind: 'score', ...src, score: { runs: 120, wickets: 3 } },
      {
        kind: 'event',
        ...src,
        event: { sportId: 3, name: CRICKET.name, startTime: '2026-11-22T15:00:00.000Z', status: 'SUSPENDED' },
      },
    ]);
    await feed(app, [{ kind: 'marketRemoved', source: 'betfair', marketId: 'bm.1' }]);
    const inRoom = (type: string) => c.next((m) => m.room === room && m.type === type);
    assert.equal(((await inRoom('fancy_update')).data as { market_id: string }).market_id, 'f.1');
    assert.equal((await inRoom('bookmaker_add')).marketId, 'bm.1');
    assert.equal((await inRoom('bookmaker_remove')).marketId, 'bm.1');
    const score = (await inRoom('event_scores')).data as Record<string, unknown>;
    assert.deepEqual([score.event_id, score.runs, score.wickets], [CRICKET.bfi, 120, 3]);
    assert.equal(((await inRoom('event_update')).data as { status: string }).status, 'SUSPENDED');
    await c.next((m) => m.room === 'sport:3' && m.type === 'fancy_update');
    assert.deepEqual(
      seqsOf(c.pushes(room)),
      range(seqsOf(c.pushes(room))[0] as number, app.broker.lastSeq(room)),
    );
  });

  test('matches room: matches_updated every interval (sequenced), remove_match_from_list when a match settles', async () => {
    const c = await connect();
    await c.subscribe('matches');
    await feed(app, [priceUpdate(3)]);
    const list = await c.next((m) => m.type === 'matches_updated', 3000);
    assert.ok(Array.isArray(list.data) && list.data.length >= 3);
    const tennis = SAMPLE_EVENTS[1] as (typeof SAMPLE_EVENTS)[number];
    const closed = matchOdds(
      tennis.marketId,
      [
        runner(201, 'Carlos Alcaraz', 1.01, 1.02, { status: 'WINNER' }),
        runner(202, 'Jannik Sinner', 1000, 1000, { status: 'LOSER' }),
      ],
      {
        status: 'CLOSED',
        source: 'betfair',
      },
    );
    await feed(app, [{ kind: 'market', source: 'betfair', upstreamEventId: tennis.bfi, market: closed }]);
    const removed = await c.next((m) => m.type === 'remove_match_from_list');
    assert.equal(removed.bfi, tennis.bfi);
    assert.equal((removed.data as { winner: string }).winner, 'Carlos Alcaraz');
    await sleep(100);
    assert.equal(c.messages.filter((m) => m.type === 'remove_match_from_list').length, 1);
    const seqs = seqsOf(c.pushes('matches'));
    assert.deepEqual(seqs, range(seqs[0] as number, (seqs[0] as number) + seqs.length - 1));
  });

  test('subscribing to an event not known yet (by bfi) moves to its room when it appears; snapshot:true', async () => {
    const c = await connect();
    const sub = await c.subscribe('event:35999999');
    assert.equal(sub.room, 'event:35999999');
    await feed(app, [
      {
        kind: 'event',
        source: 'betfair',
        upstreamEventId: '35999999',
        event: { sportId: 1, name: 'Late v Comers', startTime: '2026-11-22T20:00:00.000Z' },
      },
    ]);
    const moved = await c.next(
      (m) => m.type === 'subscribed' && m.requested === 'event:35999999' && m.room !== m.requested,
    );
    const room = moved.room as string;
    assert.equal(room, `event:${app.readModel.findEvent('35999999')?.id}`);
    const upd = await c.next((m) => m.room === room && m.type === 'event_update');
    assert.equal(upd.seq, 1);
    const d = await connect();
    const from = d.messages.length;
    await d.subscribe(`event:${EV.bfi}`, { snapshot: true });
    const snap = await d.nextAfter(from, (m) => m.snapshot === true && m.type === 'market_odds');
    assert.equal(snap.marketId, EV.marketId);
  });

  test('get_stats, get_matches, get_odds (by bfi; unknown → NOT_FOUND), ping → pong; replies echo id', async () => {
    const c = await connect();
    const stats = await c.request({ action: 'get_stats', id: 7 }, 'stats');
    assert.equal(stats.id, 7);
    assert.ok(((stats.data as { clients: number }).clients ?? 0) >= 1);
    const matches = await c.request({ action: 'get_matches' }, 'matches');
    assert.ok(
      (matches.data as unknown[]).some(
        (e) => (e as { betfair_event_id: number }).betfair_event_id === Number(EV.bfi),
      ),
    );
    const odds = await c.request({ action: 'get_odds', matchId: EV.bfi }, 'odds');
    const data = odds.data as { bfi: string; match_odds: Array<{ market_id: string }> };
    assert.equal(data.bfi, EV.bfi);
    assert.equal(data.match_odds[0]?.market_id, EV.marketId);
    const nf = await c.request({ action: 'get_odds', matchId: '999999999' }, 'error');
    assert.equal(nf.code, 'NOT_FOUND');
    const pong = await c.request({ action: 'ping' }, 'pong');
    assert.equal(typeof pong.ts, 'number');
  });

  test('unsubscribe stops a room', async () => {
    const c = await connect();
    await c.subscribe(`market:${EV.marketId}`);
    const un = await c.request({ action: 'unsubscribe', room: `market:${EV.marketId}` }, 'unsubscribed');
    assert.equal(un.room, `market:${EV.marketId}`);
    await feed(app, [priceUpdate(4)]);
    await sleep(100);
    assert.equal(c.pushes(`market:${EV.marketId}`).length, 0);
  });

  test('bad frames get {type:error, error, code} and the connection stays open', async () => {
    const c = await connect();
    const cases: Array<[unknown, string]> = [
      ['{not json', 'BAD_JSON'],
      [[1, 2], 'BAD_FRAME'],
      [{ action: 'dance' }, 'UNKNOWN_ACTION'],
      [{ action: 'subscribe', room: 'nowhere' }, 'BAD_ROOM'],
      [{ action: 'subscribe', room: 'all', since: -1 }, 'BAD_SINCE'],
      [{ action: 'get_odds' }, 'BAD_FRAME'],
    ];
    for (const [frame, code] of cases) {
      const err = await c.request(frame, 'error');
      assert.equal(err.code, code);
      assert.equal(typeof err.error, 'string');
    }
    const from = c.messages.length;
    c.ws.send(Buffer.from('{"action":"ping"}'), { binary: true });
    assert.equal((await c.nextAfter(from, (m) => m.type === 'error')).code, 'BAD_FRAME');
    await c.request({ action: 'ping' }, 'pong');
  });

  test('max rooms per connection → TOO_MANY_ROOMS (stays open)', async () => {
    const c = await connect();
    for (let i = 0; i < 8; i++) await c.subscribe(`market:m${i}`);
    const err = await c.request({ action: 'subscribe', room: 'market:m8' }, 'error');
    assert.equal(err.code, 'TOO_MANY_ROOMS');
    await c.request({ action: 'ping' }, 'pong');
  });

  test('a frame over maxFrameBytes closes with 1009', async () => {
    const c = await connect();
    c.send({ action: 'ping', pad: 'x'.repeat(20_000) });
    assert.equal((await c.closed).code, 1009);
  });
});

describe('WebSocket limits and liveness', () => {
  test('flooding frames closes with 4030; too many bad frames closes with 4030', async () => {
    const { app, url } = await listeningApp({ config: { ws: { maxInboundPerSec: 20, maxErrors: 5 } } });
    try {
      const a = await TestClient.connect(url);
      for (let i = 0; i < 40; i++) a.send({ action: 'ping' });
      assert.equal((await a.closed).code, 4030);
      const b = await TestClient.connect(url);
      for (let i = 0; i < 6; i++) b.send('nope');
      assert.equal((await b.closed).code, 4030);
      assert.equal(b.messages.filter((m) => m.type === 'error').length, 5);
    } finally {
      await app.close();
    }
  });

  test('connections over maxConnections (per IP when keys are off) close with 4029', async () => {
    const { app, url } = await listeningApp({ config: { ws: { maxConnections: 2 } } });
    try {
      const a = await TestClient.connect(url);
      const b = await TestClient.connect(url);
      const c = new TestClient(url);
      assert.equal((await c.closed).code, 4029);
      await a.close();
      await sleep(50);
      const d = await TestClient.connect(url);
      await Promise.all([b.close(), d.close()]);
    } finally {
      await app.close();
    }
  });

  test('server pings; a client that does not answer is reaped, one that does stays', async () => {
    const { app, url } = await listeningApp({ config: { ws: { pingIntervalMs: 100 } } });
    try {
      const alive = await TestClient.connect(url);
      const pings: number[] = [];
      alive.ws.on('ping', () => pings.push(Date.now()));
      const dead = await TestClient.connect(url, { autoPong: false });
      const closed = await dead.closed;
      assert.equal(closed.code, 1006);
      assert.ok(pings.length >= 1);
      assert.equal(alive.ws.readyState, 1);
      for (let i = 0; i < 100 && app.broker.clientCount() !== 1; i++) await sleep(10);
      assert.equal(app.broker.clientCount(), 1);
      await alive.close();
    } finally {
      await app.close();
    }
  });

  test('API keys: ?apiKey= or a login frame within the timeout; wrong key 4001, no login 4002', async () => {
    const { app, url } = await listeningApp({ config: { ws: { loginTimeoutMs: 300 } } });
    await app.close();
    const { buildApp } = await import('../../src/app.js');
    const { MemoryStore } = await import('../../src/store/memory-store.js');
    const keyed = await buildApp({
      config: { ...app.config, apiKeys: ApiKeysSchema.parse(['k-123-protocol-key']) },
      store: new MemoryStore(),
      sources: [],
      diamondPassword: 'x'.repeat(16),
    });
    await keyed.listen({ port: 0, host: '127.0.0.1' });
    const base = url.replace(/:\d+\//, `:${(keyed.server.address() as { port: number }).port}/`);
    try {
      const q = await TestClient.connect(`${base}?apiKey=k-123-protocol-key`);
      assert.equal(q.messages[0]?.auth, 'ok');
      await q.subscribe('all');
      const l = await TestClient.connect(base);
      assert.equal(l.messages[0]?.auth, 'required');
      assert.equal((await l.request({ action: 'subscribe', room: 'all' }, 'error')).code, 'AUTH_REQUIRED');
      assert.equal((await l.request({ action: 'login', apiKey: 'k-123-protocol-key' }, 'login')).ok, true);
      await l.subscribe('all');
      const bad = new TestClient(`${base}?apiKey=nope`);
      assert.equal((await bad.closed).code, 4001);
      const wrong = await TestClient.connect(base);
      wrong.send({ action: 'login', apiKey: 'nope' });
      assert.equal((await wrong.closed).code, 4001);
      const slow = await TestClient.connect(base);
      assert.equal((await slow.closed).code, 4002);
      await Promise.all([q.close(), l.close()]);
    } finally {
      await keyed.close();
    }
  });
});
