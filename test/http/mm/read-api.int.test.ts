import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { pgliteBackend, type Backend } from '../../records/helpers.js';
import { abpApp, newKey, withKey } from '../abp/helpers.js';

const BASE = '/mm/api/v1';

interface OrderSeed {
  client: string;
  fixture: string;
  outcome: number;
  price: number;
  stake: number;
  filled: number;
  status: string;
  createdAt?: string;
  bet?: { bookmaker: string; status: string; settlement: string; amount?: number };
}

async function seed(db: Kysely<unknown>, o: OrderSeed): Promise<number> {
  const created = o.createdAt ?? '2026-12-01T10:00:00Z';
  const r = await sql<{
    order_id: string;
  }>`insert into orders (request_uuid, client_name, fixture_id, outcome_id,
      player_id, order_price, order_stake, filled_stake, order_status, user_ref, test_order, accept_better_odds,
      accept_partial_stake, order_currency, back, allowed_bookmakers, expires_at, created_at, filled_at)
    values (${randomUUID()}::uuid, ${o.client}, ${o.fixture}, ${o.outcome}, 0, ${o.price}, ${o.stake}, ${o.filled},
      ${o.status}, 'mm', false, true, true, 'USD', true, '*', now() + interval '1 hour', ${created}::timestamptz,
      ${o.filled > 0 ? created : null}::timestamptz)
    returning order_id`.execute(db);
  const orderId = Number(r.rows[0]!.order_id);
  if (o.bet)
    await sql`insert into bets (order_id, client_name, bookmaker, account, bookmaker_bet_id, bet_status,
        settlement_status, placed_stake, placed_price, placed_currency, request_uuid, user_ref, test_bet,
        bet_request_id, fixture_id, outcome_id, player_id, back, settlement_amount, placed_at, created_at)
      values (${orderId}, ${o.client}, ${o.bet.bookmaker}, 'acct', ${`x-${orderId}`}, ${o.bet.status},
        ${o.bet.settlement}, ${o.filled}, ${o.price}, 'USD', ${randomUUID()}::uuid, 'mm', false, ${randomUUID()},
        ${o.fixture}, ${o.outcome}, 0, true, ${o.bet.amount ?? null}, ${created}::timestamptz,
        ${created}::timestamptz)`.execute(db);
  return orderId;
}

/** The document's PnL computed here, independently, from every order and bet row of `client`. */
async function pnlFromRows(db: Kysely<unknown>, client: string) {
  const orders = await sql<{ order_id: string; order_price: number; filled_stake: number }>`
    select order_id, order_price, filled_stake from orders where client_name = ${client}`.execute(db);
  const bets = await sql<{ order_id: string; settlement_status: string; bet_id: string }>`
    select order_id, settlement_status, bet_id from bets where client_name = ${client} order by bet_id`.execute(
    db,
  );
  let realized = 0;
  let unrealized = 0;
  for (const o of orders.rows) {
    const m = Number(o.filled_stake);
    if (m <= 0) continue;
    const settled = bets.rows.filter((b) => b.order_id === o.order_id && b.settlement_status !== 'UNSETTLED');
    const s = settled[settled.length - 1]?.settlement_status ?? 'UNDECIDED';
    const win = m * (Number(o.order_price) - 1);
    if (s === 'WON') realized += win;
    else if (s === 'LOST') realized -= m;
    else if (s === 'HALF_WON') realized += win / 2;
    else if (s === 'HALF_LOST') realized -= m / 2;
    else if (s === 'UNDECIDED') unrealized += win;
  }
  return { realized: Math.round(realized * 100) / 100, unrealized: Math.round(unrealized * 100) / 100 };
}

describe('MM read API /mm/api/v1 (pglite)', () => {
  let backend: Backend;
  let app: FastifyInstance;
  let db: Kysely<unknown>;
  let alice: string;
  let bob: string;
  const ids: Record<string, number> = {};

  before(async () => {
    backend = await pgliteBackend();
    app = await abpApp(backend);
    db = app.records!.database.db;
    alice = await newKey(app, 'alice');
    bob = await newKey(app, 'bob');
    const paper = { bookmaker: 'paper', status: 'CONFIRMED' };
    ids.won = await seed(db, {
      client: 'alice',
      fixture: 'F1',
      outcome: 101,
      price: 2,
      stake: 100,
      filled: 100,
      status: 'FILLED',
      bet: { ...paper, settlement: 'WON', amount: 100 },
    });
    ids.lost = await seed(db, {
      client: 'alice',
      fixture: 'F1',
      outcome: 102,
      price: 3,
      stake: 50,
      filled: 50,
      status: 'FILLED',
      bet: { ...paper, settlement: 'LOST', amount: -50 },
    });
    ids.partial = await seed(db, {
      client: 'alice',
      fixture: 'F2',
      outcome: 101,
      price: 1.5,
      stake: 80,
      filled: 40,
      status: 'PARTIALLY_FILLED',
      createdAt: '2026-12-03T10:00:00Z',
      bet: { ...paper, settlement: 'UNSETTLED' },
    });
    ids.open = await seed(db, {
      client: 'alice',
      fixture: 'F2',
      outcome: 101,
      price: 1.8,
      stake: 60,
      filled: 0,
      status: 'PENDING',
      createdAt: '2026-12-03T11:00:00Z',
    });
    ids.cancelled = await seed(db, {
      client: 'alice',
      fixture: 'F1',
      outcome: 101,
      price: 2.5,
      stake: 30,
      filled: 0,
      status: 'CANCELLED',
    });
    ids.halfWon = await seed(db, {
      client: 'alice',
      fixture: 'F3',
      outcome: 103,
      price: 4,
      stake: 20,
      filled: 20,
      status: 'FILLED',
      bet: { bookmaker: 'pinnacle', status: 'CONFIRMED', settlement: 'HALF_WON', amount: 30 },
    });
    ids.bob = await seed(db, {
      client: 'bob',
      fixture: 'F1',
      outcome: 101,
      price: 2,
      stake: 500,
      filled: 500,
      status: 'FILLED',
      bet: { ...paper, settlement: 'WON', amount: 500 },
    });
  });
  after(async () => {
    await app?.close();
    await backend?.cleanup();
  });

  const get = (url: string, key = alice) => app.inject({ url: `${BASE}${url}`, headers: withKey(key) });

  test('a missing, non-UUID or unknown key is 401 {"detail":"Invalid or missing API key"}', async () => {
    const body = { detail: 'Invalid or missing API key' };
    for (const headers of [
      {},
      { 'x-api-key': 'not-a-uuid' },
      withKey('00000000-0000-4000-8000-000000000000'),
    ]) {
      const res = await app.inject({ url: `${BASE}/me`, headers });
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), body);
    }
    const auth = await app.inject({ url: `${BASE}/me`, headers: { authorization: `Bearer ${alice}` } });
    assert.equal(auth.statusCode, 401);
  });

  test("GET /me names the key's client", async () => {
    const res = await get('/me');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { client: 'alice', clientName: 'alice', active: true });
  });

  test("GET /orders lists only the client's orders, newest first, in the document's fields", async () => {
    const res = await get('/orders');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.count, 6);
    assert.equal(body.hasMore, false);
    assert.ok(!body.orders.some((o: { orderId: number }) => o.orderId === ids.bob));
    const ordersIds = body.orders.map((o: { orderId: number }) => o.orderId);
    assert.deepEqual(
      ordersIds,
      [...ordersIds].sort((a: number, b: number) => b - a),
    );
    const won = body.orders.find((o: { orderId: number }) => o.orderId === ids.won);
    assert.deepEqual(
      { ...won, createdAt: undefined, matchedAt: undefined },
      {
        orderId: ids.won,
        fixtureId: 'F1',
        outcomeId: 101,
        playerId: 0,
        exchange: 'paper',
        exchangeOrderId: `x-${ids.won}`,
        exchangeOutcomeId: 'F1:101:0',
        orderStatus: 'FILLED',
        matchedStatus: 'FULLY_MATCHED',
        orderCents: 0.5,
        orderStake: 100,
        matchedStake: 100,
        openStake: 0,
        back: true,
        settlementStatus: 'WON',
        bookmakerOutcomePrice: 2,
        bookmakerOutcomeLimit: null,
        createdAt: undefined,
        matchedAt: undefined,
      },
    );
    assert.equal(won.createdAt, '2026-12-01T10:00:00.000Z');
  });

  test('GET /orders filters by fixture, exchange, status and dates, and pages by before_id', async () => {
    const f2 = (await get('/orders?fixture_id=F2')).json();
    assert.deepEqual(
      f2.orders.map((o: { orderId: number }) => o.orderId),
      [ids.open, ids.partial],
    );
    const pin = (await get('/orders?exchange=pinnacle')).json();
    assert.deepEqual(
      pin.orders.map((o: { orderId: number }) => o.orderId),
      [ids.halfWon],
    );
    const st = (await get('/orders?status=PENDING_PLACEMENT,partial')).json();
    assert.deepEqual(
      st.orders.map((o: { orderStatus: string }) => o.orderStatus),
      ['PENDING_PLACEMENT', 'PARTIAL'],
    );
    const dated = (await get('/orders?from_date=2026-12-02')).json();
    assert.equal(dated.count, 2);
    const until = (await get('/orders?to_date=2026-12-01')).json();
    assert.equal(until.count, 4);

    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page: { orders: { orderId: number }[]; hasMore: boolean; nextCursor: number | null } = (
        await get(`/orders?limit=4${cursor ? `&before_id=${cursor}` : ''}`)
      ).json();
      seen.push(...page.orders.map((o) => o.orderId));
      assert.equal(page.hasMore, page.nextCursor !== null);
      cursor = page.nextCursor;
    } while (cursor !== null);
    assert.equal(seen.length, 6);
    assert.equal(new Set(seen).size, 6);
  });

  test('bad query values are 422 with loc', async () => {
    const res = await get('/orders?status=BOGUS&limit=0');
    assert.equal(res.statusCode, 422);
    const locs = res.json().detail.map((d: { loc: unknown[] }) => d.loc.join('.'));
    assert.ok(
      locs.some((l: string) => l.startsWith('query.status')),
      JSON.stringify(res.json()),
    );
    assert.ok(locs.includes('query.limit'), JSON.stringify(res.json()));
    const bad = await get('/orders/abc');
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['path', 'order_id']);
  });

  test('a malformed URL under /mm/api/v1 is answered in the MM shape', async () => {
    const res = await get('/orders/%E0%A4%A');
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { detail: 'Bad request: malformed URL' });
  });

  test("GET /orders/{id} is 404 for an unknown id and for another client's order", async () => {
    assert.equal((await get(`/orders/${ids.won}`)).json().orderId, ids.won);
    for (const id of [999999, ids.bob]) {
      const res = await get(`/orders/${id}`);
      assert.equal(res.statusCode, 404);
      assert.deepEqual(res.json(), { detail: 'Order not found' });
    }
  });

  test('GET /orders/open lists the open orders; /orders/summary counts by status', async () => {
    const open = (await get('/orders/open')).json();
    assert.deepEqual(
      open.map((o: { orderId: number }) => o.orderId),
      [ids.open],
    );
    assert.equal(open[0].openStake, 60);
    assert.deepEqual((await get('/orders/open?fixture_id=F1')).json(), []);
    const sum = (await get('/orders/summary')).json();
    assert.equal(sum.totalOrders, 6);
    assert.deepEqual(sum.byStatus, { FILLED: 3, PARTIAL: 1, PENDING_PLACEMENT: 1, CANCELLED: 1 });
    assert.equal(sum.totalStake, 340);
    assert.equal(sum.matchedStake, 210);
  });

  test("GET /bets lists the client's hedge bets with filters; /bets/{id} hides other clients", async () => {
    const all = (await get('/bets')).json();
    assert.equal(all.count, 4);
    const pin = (await get('/bets?bookmaker=pinnacle')).json();
    assert.equal(pin.count, 1);
    assert.equal(pin.bets[0].settlementStatus, 'HALF_WON');
    const byOrder = (await get(`/bets?order_id=${ids.partial}`)).json();
    assert.equal(byOrder.bets[0].settlementStatus, null);
    assert.equal(byOrder.bets[0].betStatus, 'placed');
    assert.equal((await get('/bets?status=declined')).json().count, 0);
    const bobBet = (await get('/bets', bob)).json().bets[0];
    const res = await get(`/bets/${bobBet.betId}`);
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { detail: 'Bet not found' });
    assert.equal((await get(`/bets/${bobBet.betId}`, bob)).json().client, 'bob');
    const sum = (await get('/bets/summary')).json();
    assert.equal(sum.totalBets, 4);
    assert.equal(sum.settlementAmount, 80);
  });

  test("positions and their summary equal the sums over the client's orders in the database", async () => {
    const positions = (await get('/positions')).json();
    const rows = await sql<{ order_stake: number; filled_stake: number; order_status: string }>`
      select order_stake, filled_stake, order_status from orders
      where client_name = 'alice' and order_status <> 'CANCELLED'`.execute(db);
    const total = rows.rows.reduce((s, r) => s + Number(r.order_stake), 0);
    const matched = rows.rows.reduce((s, r) => s + Number(r.filled_stake), 0);
    const sum = (k: string) => positions.reduce((s: number, p: Record<string, number>) => s + p[k]!, 0);
    assert.equal(sum('totalStake'), total);
    assert.equal(sum('matchedStake'), matched);
    assert.equal(sum('openStake'), 60);
    assert.equal(sum('orderCount'), rows.rows.length);
    const summary = (await get('/positions/summary')).json();
    assert.equal(summary.totalStake, total);
    assert.equal(summary.matchedStake, matched);
    assert.equal(summary.totalPositions, positions.length);
    const cancelled = (await get('/positions?status=cancelled')).json();
    assert.deepEqual(
      cancelled.map((p: { totalStake: number }) => p.totalStake),
      [30],
    );
    const openOrMatched = (await get('/positions?status=open,matched')).json();
    assert.equal(
      openOrMatched.reduce((s: number, p: { orderCount: number }) => s + p.orderCount, 0),
      5,
    );
  });

  test("pnl follows the document's formulas and equals the sums over orders and bets in the database", async () => {
    const res = (await get('/pnl')).json();
    const expected = await pnlFromRows(db, 'alice');
    assert.equal(res.realizedPnl, expected.realized);
    assert.equal(res.unrealizedPnl, expected.unrealized);
    // WON 100 × (2 − 1) − LOST 50 + HALF_WON ½ × 20 × (4 − 1) = 80; open 40 × (1.5 − 1) = 20.
    assert.equal(res.realizedPnl, 80);
    assert.equal(res.unrealizedPnl, 20);
    assert.equal(res.totalPnl, 100);
    const bobPnl = (await get('/pnl', bob)).json();
    assert.equal(bobPnl.realizedPnl, (await pnlFromRows(db, 'bob')).realized);
    const later = (await get('/pnl?from_date=2026-12-02')).json();
    assert.equal(later.realizedPnl, 0);
    assert.equal(later.unrealizedPnl, 20);
  });

  test("GET /accounts lists the client's accounts without credentials", async () => {
    await app.abp!.accounts.create('alice', {
      bookmaker: 'paper',
      username: 'paper_main',
      password: 'hunter2-very-secret',
      balance: 500,
    });
    const res = await get('/accounts');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().length, 1);
    assert.equal(res.json()[0].exchange, 'paper');
    assert.doesNotMatch(res.body, /hunter2|password/);
    assert.deepEqual((await get('/accounts', bob)).json(), []);
  });

  test("order cancel goes through the execution order service; another client's order is 404", async () => {
    const other = await app.inject({
      method: 'POST',
      url: `${BASE}/orders/${ids.open}/cancel`,
      headers: withKey(bob),
    });
    assert.equal(other.statusCode, 404);
    const res = await app.inject({
      method: 'POST',
      url: `${BASE}/orders/${ids.open}/cancel`,
      headers: withKey(alice),
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().cancelled, true);
    assert.equal(res.json().order.orderStatus, 'CANCELLED');
    const row = await sql<{ order_status: string }>`select order_status from orders
      where order_id = ${ids.open}`.execute(db);
    assert.equal(row.rows[0]!.order_status, 'CANCELLED');
    const all = await app.inject({
      method: 'POST',
      url: `${BASE}/orders/cancel-all`,
      headers: withKey(alice),
    });
    assert.deepEqual(all.json(), { cancelled: [], notCancelled: [], count: 0 });
  });

  test('the 101st request of a key within a minute is 429 {"detail":"Rate limit exceeded"}', async () => {
    const key = await newKey(app, 'carol');
    let last = 0;
    for (let i = 0; i < 100; i++) last = (await get('/me', key)).statusCode;
    assert.equal(last, 200);
    const res = await get('/me', key);
    assert.equal(res.statusCode, 429);
    assert.deepEqual(res.json(), { detail: 'Rate limit exceeded' });
    assert.ok(Number(res.headers['retry-after']) >= 1);
  });
});
