/**
 * The MM engine in the running server against the simulated exchange on real sockets (API-NG over HTTP,
 * PGlite records): 10 simulated minutes at 10× speed on in-play football markets. Every exchange fill is
 * recorded once and hedged once with `hedgeStakeOf`'s stake (fill polls run concurrently with the
 * quoting cycle), exposure stays within the market and client caps, the MM read API's positions and PnL
 * equal the sums over the database's orders, an MM WebSocket client written from the document sees the
 * order and bet broadcasts, and emergency mode cancels every quote until cleared.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/config/index.js';
import { ExchangeSimulator } from '../../src/sim/exchange.js';
import { startBetfairSimulation, type BetfairSimulation } from '../../src/sim/esa/index.js';
import { createBetfairPipeline } from '../../src/sources/betfair/pipeline.js';
import type { Source, UpdateSink } from '../../src/sources/types.js';
import type { SourceStatus } from '../../src/model/index.js';
import { hedgeStakeOf } from '../../src/mm/hedger.js';
import type { MmEngine } from '../../src/mm/engine.js';
import { makeTestApp } from '../helpers/app.js';
import { pgliteBackend, type Backend } from '../records/helpers.js';
import { newKey, TEST_SECRETS_KEY, withKey } from '../http/abp/helpers.js';

const ADMIN = 'mm-admin-password-123';
const MAX_EXPOSURE = 20;
const CLIENT_MAX = 50;

/** The test's simulator fed to the server through the production Betfair pipeline (as the `sim` source). */
class SharedSim implements Source {
  readonly name = 'sim';
  private off: (() => void) | null = null;
  constructor(
    private readonly sim: ExchangeSimulator,
    private readonly clock: () => number,
  ) {}
  async start(sink: UpdateSink): Promise<void> {
    const pipeline = createBetfairPipeline({ source: 'sim', sink, clock: this.clock, maxLatencyMs: null });
    this.off = this.sim.subscribe((m) => pipeline.handleMessage(m));
  }
  async stop(): Promise<void> {
    this.off?.();
  }
  status(): SourceStatus {
    return {
      source: 'sim',
      kind: 'sim',
      state: 'connected',
      connected: true,
      lastError: null,
      lastErrorAt: null,
      lastUpdateAt: Date.now(), // fed now: the books are fresh for the paper bookmaker's prices
      frames: 0,
      markets: 0,
      details: {},
    };
  }
}

interface Msg {
  type: string;
  channel?: string;
  payload?: Record<string, unknown>;
}

describe('MM engine on the simulated exchange (10 simulated minutes at 10x)', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 14, 3, 17));
  const sim = new ExchangeSimulator({ now: clock.now, seed: 424242, speed: 10, events: 40 });
  let bf: BetfairSimulation;
  let backend: Backend;
  let app: FastifyInstance;
  let engine: MmEngine;
  let key: string;
  const wsMessages: Msg[] = [];
  let ws: WebSocket;
  let drive: NodeJS.Timeout | undefined;

  const admin = (method: 'POST' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { 'x-admin-password': ADMIN }, ...(payload ? { payload } : {}) });
  const advance = async (ms: number) => {
    clock.advance(ms);
    sim.tick();
    await app.settle();
  };

  before(async () => {
    bf = await startBetfairSimulation({ simulator: sim, now: clock.now, balance: 1_000_000 });
    backend = await pgliteBackend();
    const env = {
      EXEC_BETFAIR_EX: 'on',
      BETFAIR_APP_KEY: bf.ready.esa.appKey,
      BETFAIR_USERNAME: bf.ready.identity.username,
      BETFAIR_PASSWORD: bf.ready.identity.password,
      BETFAIR_API_URL: bf.ready.api.url,
      BETFAIR_IDENTITY_URL: bf.ready.identity.url,
      BETFAIR_IDENTITY_CERT_URL: bf.ready.identity.url,
      MM_ENABLED: 'on',
      MM_INTERVAL_MS: '60000',
      MM_MAX_EXPOSURE: String(MAX_EXPOSURE),
      MM_CLIENT_MAX_EXPOSURE: String(CLIENT_MAX),
      MM_SIZE: '3',
      MM_SPREAD_TICKS: '1',
      MM_REPLACE_TICKS: '3',
      MM_CANCEL_IN_PLAY: 'off',
    };
    const parsed = loadConfig({ env, configDir: null, overrides: { sources: [] } });
    app = await makeTestApp({
      records: await backend.open(),
      sources: [new SharedSim(sim, clock.now)],
      config: {
        abp: { secretsKey: TEST_SECRETS_KEY },
        diamondAdminPassword: ADMIN,
        execution: parsed.execution,
        betfair: parsed.betfair,
        mm: parsed.mm,
      },
    });
    assert.ok(app.mm, 'the engine runs');
    engine = app.mm;
    key = await newKey(app, 'mm');
    for (const account of [
      { bookmaker: 'betfair-ex-mm', username: 'bf-mm', password: 'bf-mm-secret', balance: 1_000_000 },
      { bookmaker: 'paper', username: 'mm-paper', password: 'paper-secret', balance: 1_000_000 },
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/abp/accounts',
        headers: withKey(key),
        payload: { ...account, currencyId: 'USD' },
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    await app.listen({ port: 0, host: '127.0.0.1' });
    await advance(1000);
    // the clock moves on its own meanwhile (in play, a bet reaches the book after the market's bet delay)
    drive = setInterval(() => {
      clock.advance(50);
      sim.tick();
    }, 5);
  });
  after(async () => {
    clearInterval(drive);
    ws?.close();
    await app?.close();
    await backend?.cleanup();
    await bf?.close();
  });

  test('the admin route adds markets by fixture (admin credential, zod-checked body)', async () => {
    // in-play football matches without a runaway favourite: their prices move (and fill quotes)
    const inPlay = [...app.readModel.events.values()].filter(
      (e) =>
        e.sportId === 1 &&
        e.inPlay &&
        app.readModel
          .marketsOf(e.id)
          .some(
            (m) =>
              m.type === 'MATCH_ODDS' &&
              m.status === 'OPEN' &&
              m.runners.every((r) => (r.back[0]?.price ?? 1000) < 15),
          ),
    );
    assert.ok(inPlay.length >= 2, `in-play football events: ${inPlay.length}`);
    const bad = await admin('POST', '/api/v1/admin/mm/markets', { selector: 'league:1' });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.equal(bad.json().success, false);
    const anonymous = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/mm/markets',
      payload: { selector: `fixture:${inPlay[0]!.id}` },
    });
    assert.equal(anonymous.statusCode, 403);
    for (const e of inPlay.slice(0, 2)) {
      const res = await admin('POST', '/api/v1/admin/mm/markets', { selector: `fixture:${e.id}` });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().data.strategy.maxExposure, MAX_EXPOSURE);
    }
    const listed = await app.inject({ url: '/api/v1/admin/mm' });
    assert.equal(listed.statusCode, 200);
    assert.equal(listed.json().data.selections.length, 2);
  });

  test('an MM client written from the document subscribes on the WebSocket', async () => {
    const port = (app.server.address() as AddressInfo).port;
    ws = new WebSocket(`ws://127.0.0.1:${port}/mm/ws/subscribe`);
    ws.on('message', (d) => wsMessages.push(JSON.parse(d.toString()) as Msg));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'subscribe', api_key: key, channels: ['orders', 'bets', 'emergency'] }));
    for (let i = 0; i < 200 && !wsMessages.some((m) => m.type === 'subscribed'); i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.ok(wsMessages.some((m) => m.type === 'subscribed'));
  });

  test('10 simulated minutes: fills hedged once each, exposure within its caps', async (t) => {
    const peakClient: number[] = [];
    const start = clock.now();
    {
      // 10 simulated minutes: 60 s of the simulator's clock at speed 10
      while (clock.now() - start < Number(process.env.MM_CLOCK_MS ?? 60_000)) {
        clock.advance(500);
        sim.tick();
        await app.settle();
        // the cycle and two more fill polls at once: concurrent reports of the same fills
        await Promise.all([engine.runOnce(), engine.pollNow(), engine.pollNow()]);
        const snap = engine.snapshot();
        if (process.env.MM_DEBUG)
          console.log(
            clock.now() - start,
            JSON.stringify(snap.markets.map((m) => [m.marketKey, m.fair, m.exposure, m.quotes.length])),
          );
        peakClient.push(snap.clientExposure);
        for (const m of snap.markets)
          assert.ok(m.exposure <= MAX_EXPOSURE + 1e-9, `${m.marketKey} exposure ${m.exposure}`);
      }
    }
    await engine.pollNow();
    assert.ok(Math.max(...peakClient) <= CLIENT_MAX + 1e-9, `client exposure ${Math.max(...peakClient)}`);
    for (const [market, peak] of engine.peakExposure)
      assert.ok(peak <= MAX_EXPOSURE + 1e-9, `${market}: ${peak}`);

    const db = app.execution.db;
    const fills = await sql<Record<string, unknown>>`select * from mm_fills order by fill_id`.execute(db);
    assert.ok(fills.rows.length > 0, 'quotes filled in 10 simulated minutes');
    // the exchange's own record: what our bets matched is what the fills recorded
    const matched = [...bf.engine.all()].reduce((s, b) => s + b.sizeMatched, 0);
    const recorded = fills.rows.reduce((s, f) => s + Number(f.fill_size), 0);
    assert.equal(Math.round(recorded * 100), Math.round(matched * 100), 'every exchange fill recorded');
    // exactly one hedge order per fill, of the right size and side
    const hedges = await sql<
      Record<string, unknown>
    >`select o.order_stake, o.back, o.meta->>'fillKey' as fill_key,
        o.order_status from orders o where o.user_ref = 'mm-hedge'`.execute(db);
    assert.equal(hedges.rows.length, fills.rows.length, 'one hedge order per fill');
    const byFill = new Map(hedges.rows.map((h) => [String(h.fill_key), h]));
    assert.equal(byFill.size, fills.rows.length, 'no fill hedged twice');
    const filled = hedges.rows.filter((h) => h.order_status === 'FILLED').length;
    t.diagnostic(`fills ${fills.rows.length} (${recorded.toFixed(2)} matched), hedges filled ${filled}`);
    t.diagnostic(`peak exposure ${Math.max(...engine.peakExposure.values())} of ${MAX_EXPOSURE}`);
    for (const f of fills.rows) {
      const h = byFill.get(String(f.fill_key));
      assert.ok(h, `hedge of ${String(f.fill_key)}`);
      const stake = hedgeStakeOf(Number(f.fill_size), Number(f.fill_price), Number(f.hedge_price));
      assert.equal(Number(h.order_stake), stake);
      assert.equal(Boolean(h.back), !f.quote_back, 'the hedge takes the other side');
    }
  });

  test('quote orders and bets record what the exchange matched, not the stake put on the book', async () => {
    await engine.pollNow();
    const db = app.execution.db;
    const rows = await sql<Record<string, unknown>>`select o.order_id, o.order_status, o.filled_stake,
        o.order_stake, b.bet_status, b.placed_stake, b.bookmaker_bet_id from orders o
        join bets b on b.order_id = o.order_id
        where o.user_ref = 'mm-quote' and b.bookmaker_bet_id is not null`.execute(db);
    const exchange = new Map([...bf.engine.all()].map((b) => [b.betId, b]));
    let unmatched: number | null = null;
    for (const r of rows.rows) {
      const x = exchange.get(String(r.bookmaker_bet_id));
      assert.ok(x, `bet ${String(r.bookmaker_bet_id)} at the exchange`);
      assert.equal(Number(r.placed_stake), x.sizeMatched, `bet ${String(r.bookmaker_bet_id)} matched stake`);
      assert.equal(Number(r.filled_stake), x.sizeMatched, `order ${String(r.order_id)} filled stake`);
      const rests = x.sizeMatched + x.sizeCancelled + x.sizeLapsed < x.size;
      const expected =
        x.sizeMatched >= x.size
          ? 'FILLED'
          : x.sizeMatched > 0
            ? 'PARTIALLY_FILLED'
            : rests
              ? 'PROCESSING'
              : 'CANCELLED';
      assert.equal(r.order_status, expected, `order ${String(r.order_id)}`);
      assert.equal(r.bet_status, rests ? 'PLACED' : x.sizeMatched > 0 ? 'CONFIRMED' : 'CANCELLED');
      if (x.sizeMatched === 0) unmatched = Number(r.order_id);
    }
    assert.ok(unmatched !== null, 'some quote matched nothing');
    const res = await app.inject({ url: `/mm/api/v1/orders/${unmatched}`, headers: withKey(key) });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().matchedStake, 0);
    assert.equal(res.json().matchedStatus, 'NOT_MATCHED');
  });

  test('the MM read API positions and PnL equal the sums over the database', async () => {
    const db = app.execution.db;
    const sums = await sql<
      Record<string, unknown>
    >`select count(*) as n, coalesce(sum(filled_stake), 0) as matched,
        coalesce(sum(order_stake), 0) as stake from orders
        where client_name = 'mm' and order_status <> 'CANCELLED'`.execute(db);
    const s = sums.rows[0]!;
    const summary = await app.inject({ url: '/mm/api/v1/positions/summary', headers: withKey(key) });
    assert.equal(summary.statusCode, 200, summary.body);
    const p = summary.json();
    assert.equal(p.totalOrders, Number(s.n));
    assert.equal(p.matchedStake, Math.round(Number(s.matched) * 100) / 100);
    assert.equal(p.totalStake, Math.round(Number(s.stake) * 100) / 100);
    const un = await sql<
      Record<string, unknown>
    >`select coalesce(sum(o.filled_stake * (o.order_price - 1)), 0) as win
        from orders o where o.client_name = 'mm' and o.filled_stake > 0 and not exists (select 1 from bets b
        where b.order_id = o.order_id and b.settlement_status <> 'UNSETTLED')`.execute(db);
    const pnl = await app.inject({ url: '/mm/api/v1/pnl', headers: withKey(key) });
    assert.equal(pnl.statusCode, 200, pnl.body);
    assert.equal(pnl.json().unrealizedPnl, Math.round(Number(un.rows[0]!.win) * 100) / 100);
  });

  test('the WebSocket client received order and hedge bet broadcasts as quotes filled', async () => {
    const hedgeBets = await sql<{ bet_id: string }>`select b.bet_id from bets b
      join orders o on o.order_id = b.order_id where o.user_ref = 'mm-hedge'`.execute(app.execution.db);
    assert.ok(hedgeBets.rows.length > 0);
    const seen = () =>
      new Set(
        wsMessages
          .filter((m) => m.type === 'broadcast' && m.channel === 'bets')
          .map((m) => Number(m.payload?.betId)),
      );
    const all = () => hedgeBets.rows.every((b) => seen().has(Number(b.bet_id)));
    for (let i = 0; i < 500 && !all(); i++) await new Promise((r) => setTimeout(r, 10));
    if (process.env.MM_DEBUG) console.log(JSON.stringify(wsMessages.slice(0, 30)), hedgeBets.rows);
    for (const b of hedgeBets.rows)
      assert.ok(seen().has(Number(b.bet_id)), `hedge bet ${b.bet_id} broadcast`);
    assert.ok(
      wsMessages.some((m) => m.type === 'broadcast' && m.channel === 'orders'),
      'order broadcasts',
    );
  });

  test('emergency mode cancels every quote and stops quoting until cleared', async () => {
    const resting = () =>
      [...bf.engine.all()].filter((b) => b.sizeMatched + b.sizeCancelled + b.sizeLapsed < b.size);
    const quotes = () =>
      sql<{ n: string }>`select count(*) as n from orders where user_ref = 'mm-quote'`.execute(
        app.execution.db,
      );
    const on = await admin('POST', '/api/v1/admin/emergency', { enabled: true, reason: 'test stop' });
    assert.equal(on.statusCode, 200, on.body);
    await engine.runOnce();
    assert.equal(resting().length, 0, 'nothing rests on the exchange');
    assert.match(String(engine.snapshot().halted), /emergency/);
    const before = Number((await quotes()).rows[0]!.n);
    await advance(500);
    await engine.runOnce();
    assert.equal(Number((await quotes()).rows[0]!.n), before, 'no quote placed while in emergency mode');
    await admin('POST', '/api/v1/admin/emergency', { enabled: false });
    await engine.runOnce();
    assert.equal(engine.snapshot().halted, null);
    assert.ok(resting().length > 0, 'quoting again');
  });

  test('cancelling a resting quote ends its remainder and refunds exactly its reserve', async () => {
    await engine.pollNow();
    const db = app.execution.db;
    const open = await sql<Record<string, unknown>>`select o.order_id, b.bet_id, b.back, b.placed_price,
        (b.sent_data->>'stake')::float8 as sent from orders o join bets b on b.order_id = o.order_id
        where o.user_ref = 'mm-quote' and b.bet_status = 'PLACED' and b.bookmaker_bet_id is not null
        order by o.order_id limit 1`.execute(db);
    const q = open.rows[0];
    assert.ok(q, 'a quote rests');
    const balance = async () => {
      const res = await app.inject({ url: '/abp/accounts/betfair-ex-mm/bf-mm', headers: withKey(key) });
      assert.equal(res.statusCode, 200, res.body);
      return Number(res.json().balance);
    };
    const before = await balance();
    const res = await app.inject({
      method: 'POST',
      url: `/mm/api/v1/orders/${String(q.order_id)}/cancel`,
      headers: withKey(key),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().cancelled, true, res.body);
    const bet = await app.execution.repo.bet(Number(q.bet_id));
    assert.ok(bet);
    const matched = bet.placedStake;
    assert.equal(bet.betStatus, matched > 0 ? 'CONFIRMED' : 'CANCELLED');
    assert.equal(res.json().order.orderStatus, matched > 0 ? 'PARTIAL' : 'CANCELLED');
    assert.equal(res.json().order.matchedStake, matched);
    const exposure = (stake: number) =>
      q.back ? stake : Math.round(stake * (Number(q.placed_price) - 1) * 100) / 100;
    const refund = Math.round((exposure(Number(q.sent)) - exposure(matched)) * 100) / 100;
    assert.ok(refund > 0);
    assert.equal(Math.round(((await balance()) - before) * 100) / 100, refund, 'the unmatched reserve back');
    const again = await app.inject({
      method: 'POST',
      url: `/mm/api/v1/orders/${String(q.order_id)}/cancel`,
      headers: withKey(key),
    });
    assert.equal(again.statusCode, 200);
    assert.equal(Math.round(((await balance()) - before) * 100) / 100, refund, 'refunded once');
  });

  test('removing a selector cancels its quotes', async () => {
    const sels = engine.listSelections();
    for (const s of sels) {
      const res = await admin(
        'DELETE',
        `/api/v1/admin/mm/markets?selector=${encodeURIComponent(s.selector)}`,
      );
      assert.equal(res.statusCode, 200, res.body);
    }
    assert.equal((await admin('DELETE', '/api/v1/admin/mm/markets?selector=fixture:1')).statusCode, 404);
    await engine.runOnce();
    const resting = [...bf.engine.all()].filter(
      (b) => b.sizeMatched + b.sizeCancelled + b.sizeLapsed < b.size,
    );
    assert.equal(resting.length, 0);
    // nothing rests: the exchange account is down exactly the exposure of what matched (no drift from churn)
    const held = await sql<Record<string, unknown>>`select b.back, b.placed_stake, b.placed_price from bets b
      join orders o on o.order_id = b.order_id
      where o.user_ref = 'mm-quote' and b.bet_status in ('PLACED', 'CONFIRMED')`.execute(app.execution.db);
    const exposure = held.rows.reduce(
      (s, b) =>
        s +
        (b.back
          ? Number(b.placed_stake)
          : Math.round(Number(b.placed_stake) * (Number(b.placed_price) - 1) * 100) / 100),
      0,
    );
    const acct = await app.inject({ url: '/abp/accounts/betfair-ex-mm/bf-mm', headers: withKey(key) });
    assert.equal(acct.statusCode, 200, acct.body);
    assert.ok(
      Math.abs(Number(acct.json().balance) - (1_000_000 - exposure)) < 0.005,
      `balance ${acct.json().balance}, expected ${1_000_000 - exposure}`,
    );
  });
});
