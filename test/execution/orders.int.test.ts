import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Records } from '../../src/records/index.js';
import { BACKENDS, result, type Backend } from '../records/helpers.js';
import { abpApp, counts, harness, order, uuid, type Harness } from './helpers.js';

const A = { 'x-test-client': 'alpha' };
const B = { 'x-test-client': 'beta' };

// The ABP order routes over the execution core, on the embedded PGlite and on PostgreSQL.
for (const make of BACKENDS) {
  describe(`ABP orders (${make.name})`, () => {
    let backend: Backend;
    let records: Records;
    let h: Harness;
    let app: FastifyInstance;
    let fixture = 2000000;
    let fx: string;

    const place = (orders: Record<string, unknown>[], headers = A) =>
      app.inject({ method: 'POST', url: '/abp/place-orders', headers, payload: { orders } });

    before(async () => {
      backend = await make();
      records = await backend.open();
      h = harness(records.database.db);
      h.accounts
        .add({ bookmaker: 'paper', username: 'p-main', clientName: 'alpha', priority: 10, balance: 1000 })
        .add({ bookmaker: 'paper', username: 'p-low', clientName: 'alpha', priority: 1, balance: 1000 })
        .add({ bookmaker: 'paper-b', username: 'b-main', clientName: 'alpha', priority: 5, balance: 1000 })
        .add({ bookmaker: 'paper', username: 'beta-acc', clientName: 'beta', balance: 1000 });
      app = await abpApp(h.execution);
    });
    after(async () => {
      await app?.close();
      await records?.close();
      await backend?.cleanup();
    });
    beforeEach(() => {
      fx = String(++fixture);
      h.faults.clear();
    });

    test('a back order fills at the best price, highest-priority account, one bet CONFIRMED, balance debited', async () => {
      h.quotes.set(fx, 101, true, 2.0, 500);
      const before = h.accounts.get('alpha', 'paper', 'p-main')?.balance as number;
      const res = await place([
        order({ fixtureId: fx, orderStake: 10, orderPrice: 1.95, bookmakers: 'paper' }),
      ]);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.status, 'accepted');
      assert.deepEqual(body.declinedOrders, []);
      const o = body.acceptedOrders[0];
      assert.equal(o.orderStatus, 'FILLED');
      assert.equal(o.filledStake, 10);
      assert.equal(o.bets.length, 1);
      assert.equal(o.bets[0].bookmaker, 'paper');
      assert.equal(o.bets[0].betStatus, 'CONFIRMED');
      assert.equal(o.bets[0].placedPrice, 2.0, 'acceptBetterOdds (default): the better current price');
      const bet = (await app.inject({ url: `/abp/bets/${o.bets[0].betId}`, headers: A })).json().bet;
      assert.equal(bet.account, 'p-main');
      assert.match(bet.bookmakerBetId, /^paper-\d+$/);
      assert.equal(bet.settlementStatus, 'UNSETTLED');
      assert.deepEqual(bet.sentData, { stake: 10, price: 1.95, acceptBetterOdds: true });
      assert.equal(h.accounts.get('alpha', 'paper', 'p-main')?.balance, before - 10);
      // the lifecycle in the audit trail, one row per state change
      const audit = await sql<{ entity: string; from_status: string | null; to_status: string }>`
        select entity, from_status, to_status from execution_audit where order_id = ${o.orderId} order by audit_id`.execute(
        records.database.db,
      );
      assert.deepEqual(
        audit.rows.map((r) => `${r.entity}:${r.from_status ?? '-'}>${r.to_status}`),
        [
          'order:->PENDING',
          'order:PENDING>PROCESSING',
          'bet:->PENDING',
          'bet:PENDING>CONFIRMED',
          'order:PROCESSING>FILLED',
        ],
      );
      const channels = h.published
        .filter((p) => p.clientName === 'alpha')
        .map((p) => `${p.channel}:${p.event}`);
      for (const c of ['orders:INSERT', 'orders:UPDATE', 'bets:INSERT', 'bets:UPDATE', 'balance:UPDATE'])
        assert.ok(channels.includes(c), c);
    });

    test('acceptBetterOdds false places at orderPrice; a lay order needs a price at most orderPrice', async () => {
      h.quotes.set(fx, 103, true, 2.5, null).set(fx, 103, false, 2.6, null);
      const res = await place([
        order({
          fixtureId: fx,
          outcomeId: 103,
          orderPrice: 2.2,
          acceptBetterOdds: false,
          bookmakers: 'paper',
        }),
        order({
          fixtureId: fx,
          outcomeId: 103,
          orderPrice: 2.7,
          back: false,
          orderStake: 5,
          bookmakers: 'paper',
        }),
        order({ fixtureId: fx, outcomeId: 103, orderPrice: 2.5, back: false, bookmakers: 'paper' }),
      ]);
      const body = res.json();
      assert.equal(body.status, 'partial-success');
      assert.equal(body.acceptedOrders[0].bets[0].placedPrice, 2.2);
      assert.equal(body.acceptedOrders[1].bets[0].placedPrice, 2.6);
      assert.equal(body.declinedOrders.length, 1);
      assert.equal(
        body.declinedOrders[0].declineReason,
        'Invalid odds: best available price 2.60 is above orderPrice 2.50',
      );
    });

    test('partial fills across bookmakers: best price first, limits next; all-or-nothing declines with the limit', async () => {
      // one book, both bookmakers quote it: paper-b has a smaller account limit
      h.quotes.set(fx, 102, true, 3.0, null);
      h.accounts.add({ bookmaker: 'paper-b', username: 'b-capped', clientName: 'gamma', maxStake: 30 });
      h.accounts.add({ bookmaker: 'paper', username: 'p-capped', clientName: 'gamma', maxStake: 50 });
      const G = { 'x-test-client': 'gamma' };
      const res = await place(
        [order({ fixtureId: fx, outcomeId: 102, orderStake: 100, orderPrice: 2.9 })],
        G,
      );
      const o = res.json().acceptedOrders[0];
      assert.equal(o.orderStatus, 'PARTIALLY_FILLED');
      assert.equal(o.filledStake, 80);
      assert.deepEqual(
        o.bets.map((b: { bookmaker: string; placedStake: number }) => [b.bookmaker, b.placedStake]),
        [
          ['paper', 50],
          ['paper-b', 30],
        ],
      );
      const all = await place(
        [
          order({
            fixtureId: fx,
            outcomeId: 102,
            orderStake: 100,
            orderPrice: 2.9,
            acceptPartialStake: false,
          }),
        ],
        G,
      );
      assert.equal(all.json().status, 'declined');
      assert.equal(
        all.json().declinedOrders[0].declineReason,
        'Order stake 100.00 USD exceeds available limit 50.00 USD',
      );
      const small = await place(
        [order({ fixtureId: fx, outcomeId: 102, orderStake: 0.5, orderPrice: 2.9 })],
        G,
      );
      assert.equal(
        small.json().declinedOrders[0].declineReason,
        'Stake below minimum: order stake 0.50 USD is below the minimum 1.00 USD',
      );
    });

    test('orderCurrency converts through the currencies table; an unknown currency is declined', async () => {
      h.quotes.set(fx, 101, true, 2.0, null);
      const eur = await place([
        order({ fixtureId: fx, orderCurrency: 'EUR', orderStake: 10, bookmakers: 'paper' }),
      ]);
      const o = eur.json().acceptedOrders[0];
      assert.equal(o.filledStake, 10);
      assert.equal(o.bets[0].placedStake, 10.8, '10 EUR at 1.08 USD');
      const xyz = await place([order({ fixtureId: fx, orderCurrency: 'XYZ' })]);
      assert.equal(
        xyz.json().declinedOrders[0].declineReason,
        'Currency conversion failed: unknown currency XYZ',
      );
    });

    test('decline reasons: no odds, no accounts, unknown bookmaker, emergency mode', async () => {
      const none = await place([order({ fixtureId: fx })]);
      assert.match(
        none.json().declinedOrders[0].declineReason,
        /^Bookmaker not available: no odds for fixture/,
      );
      h.quotes.set(fx, 101, true, 2.0, null);
      const noAcc = await place([order({ fixtureId: fx })], { 'x-test-client': 'nobody' });
      assert.equal(noAcc.json().declinedOrders[0].declineReason, 'No active accounts');
      const unknown = await place([order({ fixtureId: fx, bookmakers: 'pinnacle' })]);
      assert.equal(unknown.json().declinedOrders[0].declineReason, 'Bookmaker not available: pinnacle');
      await h.execution.emergency.set(true, 'Upstream provider maintenance');
      try {
        const e = await place([order({ fixtureId: fx })]);
        assert.equal(
          e.json().declinedOrders[0].declineReason,
          'Emergency mode: order processing is paused (Upstream provider maintenance)',
        );
        assert.ok(
          h.published.some((p) => p.channel === 'emergency' && (p.payload as { active: boolean }).active),
        );
      } finally {
        await h.execution.emergency.set(false, null);
      }
      // declined orders are stored REJECTED with the reason
      const rejected = await app.inject({ url: '/abp/orders?userRef=strat-1&limit=1', headers: A });
      assert.equal(rejected.json().orders[0].orderStatus, 'REJECTED');
    });

    test('testOrder validates and routes, sends nothing and leaves positions alone', async () => {
      h.quotes.set(fx, 101, true, 2.0, null);
      const paperBefore = (await counts(records.database.db)).paperBets;
      const res = await place([order({ fixtureId: fx, testOrder: true, userRef: `t-${fx}` })]);
      const o = res.json().acceptedOrders[0];
      assert.equal(o.orderStatus, 'FILLED');
      assert.equal((await counts(records.database.db)).paperBets, paperBefore);
      const pos = (await app.inject({ url: `/abp/positions?userRef=t-${fx}`, headers: A })).json();
      assert.equal(pos.totalOpenBets, 0);
    });

    test('a duplicate requestUuid is 409 with the document body and never a second bet', async () => {
      h.quotes.set(fx, 101, true, 2.0, null);
      const o = order({ fixtureId: fx });
      assert.equal((await place([o])).statusCode, 200);
      const before = await counts(records.database.db);
      const dup = await place([o]);
      assert.equal(dup.statusCode, 409);
      assert.deepEqual(dup.json(), { detail: 'Duplicate request - requestUuid already in-flight' });
      assert.deepEqual(await counts(records.database.db), before);
      // beside a new order, the duplicate is declined and the new one placed
      const mixed = await place([o, order({ fixtureId: fx })]);
      assert.equal(mixed.json().status, 'partial-success');
      assert.match(mixed.json().declinedOrders[0].declineReason, /^Duplicate requestUuid/);
      // another client may use the same requestUuid: uniqueness is per client
      h.accounts.add({ bookmaker: 'paper', username: 'x', clientName: 'delta' });
      assert.equal((await place([o], { 'x-test-client': 'delta' })).json().status, 'accepted');
    });

    test('transient failures are retried; an unknown outcome stays PLACED and reconciliation finds it by key', async () => {
      h.quotes.set(fx, 101, true, 2.0, null);
      let calls = 0;
      h.faults.set('paper', () => (++calls <= 2 ? 'transient' : null));
      const retried = (await place([order({ fixtureId: fx, bookmakers: 'paper' })])).json().acceptedOrders[0];
      assert.equal(retried.orderStatus, 'FILLED');
      assert.equal(calls, 3);
      h.faults.set('paper', () => 'timeout'); // placed, answer lost
      const lost = (await place([order({ fixtureId: fx, bookmakers: 'paper' })])).json().acceptedOrders[0];
      assert.equal(lost.orderStatus, 'PROCESSING');
      assert.equal(lost.bets[0].betStatus, 'PLACED');
      h.faults.clear();
      const report = await h.execution.reconciler.runOnce(0);
      assert.ok(report.confirmed >= 1);
      const after = (await app.inject({ url: `/abp/orders?orderIds=${lost.orderId}`, headers: A })).json()
        .orders[0];
      assert.equal(after.orderStatus, 'FILLED');
      assert.equal(after.bets[0].betStatus, 'CONFIRMED');
      assert.equal(
        (
          await sql<{
            n: number;
          }>`select count(*)::int as n from paper_bets where idempotency_key = ${after.bets[0].betRequestId}`.execute(
            records.database.db,
          )
        ).rows[0]?.n,
        1,
      );
    });

    test('orders and bets: filters, keyset pagination, another client gets 403, unknown bet 404', async () => {
      h.quotes.set(fx, 101, true, 2.0, null);
      const ref = `page-${fx}`;
      for (let i = 0; i < 3; i++) await place([order({ fixtureId: fx, userRef: ref, bookmakers: 'paper' })]);
      const p1 = (await app.inject({ url: `/abp/orders?userRef=${ref}&limit=2`, headers: A })).json();
      assert.equal(p1.count, 2);
      assert.equal(p1.hasMore, true);
      assert.ok(p1.orders[0].orderId > p1.orders[1].orderId, 'newest first');
      assert.equal(p1.orders[0].bets.length, 1);
      const p2 = (
        await app.inject({
          url: `/abp/orders?userRef=${ref}&limit=2&afterOrderId=${p1.nextCursor.afterOrderId}`,
          headers: A,
        })
      ).json();
      assert.equal(p2.count, 1);
      assert.equal(p2.hasMore, false);
      assert.equal(p2.nextCursor, null);
      const bets = (await app.inject({ url: `/abp/bets?userRef=${ref}`, headers: A })).json();
      assert.equal(bets.count, 3);
      const id = p1.orders[0].orderId;
      const denied = await app.inject({ url: `/abp/orders?orderIds=${id}`, headers: B });
      assert.equal(denied.statusCode, 403);
      assert.deepEqual(denied.json(), {
        detail: { message: 'Access denied to this order', code: 'FORBIDDEN' },
      });
      assert.equal(
        (await app.inject({ url: `/abp/bets/${bets.bets[0].betId}`, headers: B })).statusCode,
        403,
      );
      assert.equal((await app.inject({ url: `/abp/bets?orderIds=${id}`, headers: B })).statusCode, 403);
      // another client's userRef filter sees nothing of alpha's
      assert.equal((await app.inject({ url: `/abp/orders?userRef=${ref}`, headers: B })).json().count, 0);
      const missing = await app.inject({ url: '/abp/bets/999999999', headers: A });
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(missing.json(), { detail: { message: 'Bet not found', code: 'NOT_FOUND' } });
    });

    test('cancel: a filled order is not cancelled; an order retrying a failing bookmaker is cancelled', async () => {
      h.quotes.set(fx, 101, true, 2.0, null);
      const filled = (await place([order({ fixtureId: fx, bookmakers: 'paper' })])).json().acceptedOrders[0];
      const c1 = await app.inject({
        method: 'POST',
        url: '/abp/cancel-orders',
        headers: A,
        payload: { orderIds: [filled.orderId] },
      });
      assert.equal(c1.json().count, 0);
      assert.equal(c1.json().notCancelled[0].reason, 'Order has confirmed bets');
      // an order still placing (a slow bookmaker) is stopped and CANCELLED
      const slowH = harness(records.database.db, { latencyMs: 30_000 });
      slowH.quotes.set(fx, 101, true, 2.0, null);
      slowH.accounts.add({ bookmaker: 'paper', username: 'p', clientName: 'slow' });
      const slowApp = await abpApp(slowH.execution);
      const S = { 'x-test-client': 'slow' };
      try {
        const placing = slowApp.inject({
          method: 'POST',
          url: '/abp/place-orders',
          headers: S,
          payload: {
            orders: [order({ fixtureId: fx, expiresAt: new Date(Date.now() + 60_000).toISOString() })],
          },
        });
        // wait until the order is PROCESSING (its bet written, the bookmaker answering slowly)
        for (let i = 0; i < 500; i++) {
          const r = await sql<{
            n: number;
          }>`select count(*)::int as n from orders where client_name = 'slow' and order_status = 'PROCESSING'`.execute(
            records.database.db,
          );
          if (r.rows[0]?.n === 1) break;
          await new Promise((r) => setTimeout(r, 10));
        }
        const all = (
          await slowApp.inject({ method: 'POST', url: '/abp/cancel-all-orders', headers: S })
        ).json();
        assert.equal(all.count, 1);
        assert.equal(all.cancelled[0].orderStatus, 'CANCELLED');
        const o = (await placing).json().acceptedOrders[0];
        assert.equal(o.orderStatus, 'CANCELLED');
        assert.equal(o.bets[0].betStatus, 'CANCELLED');
        assert.equal(o.bets[0].placedStake, 10);
      } finally {
        await slowApp.close();
      }
      // a PENDING order (accepted, not yet routed) is cancelled at once
      const pending = await h.execution.repo.insertOrder({
        requestUuid: uuid(),
        clientName: 'alpha',
        fixtureId: fx,
        outcomeId: 101,
        playerId: 0,
        orderPrice: 2,
        orderStake: 5,
        userRef: `pend-${fx}`,
        testOrder: false,
        acceptBetterOdds: true,
        acceptPartialStake: true,
        orderCurrency: 'USD',
        back: true,
        allowedBookmakers: '*',
        meta: {},
        expiresAt: new Date(Date.now() + 60_000),
      });
      const c2 = (
        await app.inject({
          method: 'POST',
          url: '/abp/cancel-orders',
          headers: A,
          payload: { userRef: `pend-${fx}` },
        })
      ).json();
      assert.equal(c2.count, 1);
      assert.equal(c2.cancelled[0].orderId, pending?.orderId);
      assert.equal(c2.cancelled[0].statusReason, 'Cancelled by client');
    });

    test('settlement from a settled result: WON/LOST, settlementAmount, balance, positions and pnl; inferred never settles', async () => {
      const ref = `settle-${fx}`;
      h.quotes.set(fx, 101, true, 2.5, null).set(fx, 103, true, 3.0, null).set(fx, 101, false, 2.6, null);
      await place([
        order({
          fixtureId: fx,
          outcomeId: 101,
          orderStake: 10,
          orderPrice: 2.5,
          userRef: ref,
          bookmakers: 'paper',
        }),
        order({
          fixtureId: fx,
          outcomeId: 103,
          orderStake: 20,
          orderPrice: 3.0,
          userRef: ref,
          bookmakers: 'paper',
        }),
        order({
          fixtureId: fx,
          outcomeId: 101,
          orderStake: 5,
          orderPrice: 2.6,
          back: false,
          userRef: ref,
          bookmakers: 'paper',
        }),
      ]);
      const pos = (await app.inject({ url: `/abp/positions?userRef=${ref}`, headers: A })).json();
      assert.equal(pos.totalOpenBets, 3);
      assert.equal(pos.totalStake, 35);
      assert.equal(pos.positions[0].bookmaker, 'paper');
      const balance0 = h.accounts.get('alpha', 'paper', 'p-main')?.balance as number;
      const inferred = {
        ...result(Number(fx), new Date().toISOString()),
        winnerSource: 'inferred' as const,
        team1: 'Home',
        team2: 'Away',
      };
      h.results.set(Number(fx), inferred);
      assert.equal(await h.execution.settlement.runOnce(), 0, 'an inferred winner settles nothing');
      h.results.set(Number(fx), { ...inferred, winnerSource: 'settled' });
      assert.equal(await h.execution.settlement.runOnce(), 3);
      assert.equal(await h.execution.settlement.runOnce(), 0, 'settled once');
      const bets = (await app.inject({ url: `/abp/bets?userRef=${ref}`, headers: A })).json().bets as {
        outcomeId: number;
        back: boolean;
        settlementStatus: string;
        settlementAmount: number;
      }[];
      const by = (o: number, back: boolean) => bets.find((b) => b.outcomeId === o && b.back === back);
      assert.deepEqual([by(101, true)?.settlementStatus, by(101, true)?.settlementAmount], ['WON', 15]);
      assert.deepEqual([by(103, true)?.settlementStatus, by(103, true)?.settlementAmount], ['LOST', -20]);
      assert.deepEqual([by(101, false)?.settlementStatus, by(101, false)?.settlementAmount], ['LOST', -8]);
      // credited back: exposure + result = 25 + 0 + 0
      assert.equal(h.accounts.get('alpha', 'paper', 'p-main')?.balance, balance0 + 25);
      const pnl = (await app.inject({ url: `/abp/pnl?userRef=${ref}&groupBy=userRef`, headers: A })).json();
      assert.deepEqual(pnl.pnl, [
        { userRef: ref, settledBets: 3, wins: 1, losses: 2, netPnl: -13, winRate: 33.3 },
      ]);
      assert.equal(pnl.totalNetPnl, -13);
      assert.equal(pnl.totalStaked, 35);
      assert.equal(pnl.totalSettledBets, 3);
      assert.equal(
        (await app.inject({ url: `/abp/positions?userRef=${ref}`, headers: A })).json().totalOpenBets,
        0,
      );
      assert.ok(h.published.some((p) => p.channel === 'settlements' && p.event === 'SETTLED'));
    });

    test('bad input on every route: the document error shape, and nothing stored changes', async () => {
      const before = await counts(records.database.db);
      const cases: [string, string, unknown, number][] = [
        ['POST', '/abp/place-orders', { orders: [order({ orderStake: 0 })] }, 422],
        ['POST', '/abp/place-orders', { orders: [order({ requestUuid: 'not-a-uuid' })] }, 422],
        ['POST', '/abp/place-orders', { orders: [order({ fixtureId: undefined })] }, 422],
        ['POST', '/abp/place-orders', { orders: [] }, 422],
        ['POST', '/abp/place-orders', { orders: Array.from({ length: 101 }, () => order()) }, 422],
        ['POST', '/abp/place-orders', { orders: [order({ expiresAt: 'tomorrow' })] }, 422],
        ['POST', '/abp/place-orders', { orders: [order({ fixtureId: undefined, futureId: 'f1' })] }, 501],
        ['POST', '/abp/cancel-orders', {}, 422],
        ['POST', '/abp/cancel-orders', { orderIds: ['x'] }, 422],
        ['GET', '/abp/orders', undefined, 422],
        ['GET', '/abp/orders?orderIds=1,x', undefined, 422],
        ['GET', '/abp/orders?requestUuids=nope', undefined, 422],
        ['GET', '/abp/bets', undefined, 422],
        ['GET', '/abp/bets?betIds=abc', undefined, 422],
        ['GET', '/abp/bets/abc', undefined, 422],
        ['GET', '/abp/positions?groupBy=sport', undefined, 422],
        ['GET', '/abp/pnl?groupBy=sport', undefined, 422],
      ];
      for (const [method, url, payload, status] of cases) {
        const res = await app.inject({
          method: method as 'GET',
          url,
          headers: A,
          ...(payload ? { payload: payload as object } : {}),
        });
        assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
        const detail = res.json().detail;
        if (status === 422) {
          assert.ok(Array.isArray(detail) && detail.length > 0, `${url}: ${res.body}`);
          for (const d of detail) {
            assert.ok(
              Array.isArray(d.loc) && typeof d.msg === 'string' && typeof d.type === 'string',
              res.body,
            );
          }
        } else assert.equal(detail.code, 'NOT_IMPLEMENTED');
      }
      const zero = await app.inject({
        method: 'POST',
        url: '/abp/place-orders',
        headers: A,
        payload: { orders: [order({ orderStake: 0 })] },
      });
      assert.deepEqual(zero.json().detail[0], {
        loc: ['body', 'orders', 0, 'orderStake'],
        msg: 'Input should be greater than 0',
        type: 'greater_than',
      });
      const missing = await app.inject({
        method: 'POST',
        url: '/abp/place-orders',
        headers: A,
        payload: { orders: [order({ userRef: undefined })] },
      });
      assert.deepEqual(missing.json().detail[0], {
        loc: ['body', 'orders', 0, 'userRef'],
        msg: 'Field required',
        type: 'missing',
      });
      assert.deepEqual(await counts(records.database.db), before);
    });
  });
}
