import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  listMmBets,
  listMmOrders,
  mmBet,
  mmBetSummary,
  mmOrder,
  mmOrderSummary,
  mmPnl,
  mmPositionSummary,
  mmPositions,
  openMmOrders,
  type DateRange,
} from '../../../mm/read-api.js';
import { MM_MESSAGES, MmHttpError, mmClientOf, type MmRouter } from './scope.js';
import { MM_ROUTES } from './responses.js';

const range = (q: { from_date?: string | undefined; to_date?: string | undefined }): DateRange => ({
  fromDate: q.from_date,
  toDate: q.to_date,
});

/** The filters every MM list shares: statuses, the keyset cursor, the page size and the date range. */
function listFilter<S>(q: {
  status?: S | undefined;
  before_id?: number | undefined;
  limit: number;
  from_date?: string | undefined;
  to_date?: string | undefined;
}) {
  return { statuses: q.status, beforeId: q.before_id, limit: q.limit, ...range(q) };
}

/** A keyset page's fields beside its rows: how many, whether more follow, and the cursor of the next page. */
function pageFields<T>(rows: readonly T[], hasMore: boolean, idOf: (row: T) => number) {
  const last = rows[rows.length - 1];
  return { count: rows.length, hasMore, nextCursor: hasMore && last ? idOf(last) : null };
}

/** What the read routes reach on each request: each throws 503 when this process has no records database. */
interface ReadDeps {
  db(): Kysely<unknown>;
  execution(): FastifyInstance['execution'];
}

/** The records database and the execution services of `app`, looked up per request. */
function readDeps(app: FastifyInstance): ReadDeps {
  return {
    db: () => {
      if (!app.records) throw new MmHttpError(503, MM_MESSAGES.noDatabase);
      return app.records.database.db;
    },
    execution: () => {
      if (!app.hasDecorator('execution')) throw new MmHttpError(503, MM_MESSAGES.noDatabase);
      return app.execution;
    },
  };
}

/**
 * The MM read routes over the execution tables, each filtered by the key's client (another client's rows
 * are never visible: a foreign id is 404), and the cancel routes through the execution order service.
 */
export async function mmReadRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = readDeps(app);

  r.get('/me', { schema: MM_ROUTES.me }, async (req) => {
    const c = mmClientOf(req);
    return { client: c.clientName, clientName: c.clientName, active: true };
  });
  registerOrderReads(r, deps);
  registerCancels(r, deps);
  registerBetReads(r, deps);
  registerPositionReads(r, deps);
  registerAccounts(r, app);
}

/** GET /orders (a keyed page), /orders/open, /orders/summary and /orders/:order_id (404 when not the client's). */
function registerOrderReads(r: MmRouter, { db }: ReadDeps): void {
  r.get('/orders', { schema: MM_ROUTES.orders }, async (req) => {
    const q = req.query;
    const page = await listMmOrders(db(), {
      clientName: mmClientOf(req).clientName,
      fixtureId: q.fixture_id,
      exchange: q.exchange,
      ...listFilter(q),
    });
    return { orders: page.orders, ...pageFields(page.orders, page.hasMore, (o) => o.orderId) };
  });

  r.get('/orders/open', { schema: MM_ROUTES.openOrders }, async (req) =>
    openMmOrders(db(), mmClientOf(req).clientName, {
      fixtureId: req.query.fixture_id,
      exchange: req.query.exchange,
    }),
  );

  r.get('/orders/summary', { schema: MM_ROUTES.orderSummary }, async (req) =>
    mmOrderSummary(db(), mmClientOf(req).clientName, range(req.query)),
  );

  r.get('/orders/:order_id', { schema: MM_ROUTES.order }, async (req) => {
    const o = await mmOrder(db(), mmClientOf(req).clientName, req.params.order_id);
    if (!o) throw new MmHttpError(404, 'Order not found');
    return o;
  });
}

/**
 * POST /orders/:order_id/cancel (404 when not the client's) and /orders/cancel-all (every open order of the
 * client, optionally of one fixture or exchange), each through the execution order service.
 */
function registerCancels(r: MmRouter, { db, execution }: ReadDeps): void {
  r.post('/orders/:order_id/cancel', { schema: MM_ROUTES.cancel }, async (req) => {
    const clientName = mmClientOf(req).clientName;
    const exec = execution();
    const row = await exec.repo.order(req.params.order_id);
    if (!row || row.clientName !== clientName) throw new MmHttpError(404, 'Order not found');
    const res = await exec.orders.cancel(row);
    const now = await mmOrder(db(), clientName, row.orderId);
    return { orderId: row.orderId, cancelled: res.cancelled, reason: res.reason ?? null, order: now };
  });

  r.post('/orders/cancel-all', { schema: MM_ROUTES.cancelAll }, async (req) => {
    const clientName = mmClientOf(req).clientName;
    const exec = execution();
    const open = await openMmOrders(db(), clientName, {
      fixtureId: req.query.fixture_id,
      exchange: req.query.exchange,
    });
    const cancelled: number[] = [];
    const notCancelled: { orderId: number; reason: string }[] = [];
    for (const o of open) {
      const row = await exec.repo.order(o.orderId);
      if (!row) continue;
      const res = await exec.orders.cancel(row);
      if (res.cancelled) cancelled.push(o.orderId);
      else notCancelled.push({ orderId: o.orderId, reason: res.reason ?? 'Not cancellable' });
    }
    return { cancelled, notCancelled, count: cancelled.length };
  });
}

/** GET /bets (a keyed page), /bets/summary and /bets/:bet_id (404 when not the client's). */
function registerBetReads(r: MmRouter, { db }: ReadDeps): void {
  r.get('/bets', { schema: MM_ROUTES.bets }, async (req) => {
    const q = req.query;
    const page = await listMmBets(db(), {
      clientName: mmClientOf(req).clientName,
      orderId: q.order_id,
      bookmaker: q.bookmaker,
      ...listFilter(q),
    });
    return { bets: page.bets, ...pageFields(page.bets, page.hasMore, (b) => b.betId) };
  });

  r.get('/bets/summary', { schema: MM_ROUTES.betSummary }, async (req) =>
    mmBetSummary(db(), mmClientOf(req).clientName, range(req.query)),
  );

  r.get('/bets/:bet_id', { schema: MM_ROUTES.bet }, async (req) => {
    const b = await mmBet(db(), mmClientOf(req).clientName, req.params.bet_id);
    if (!b) throw new MmHttpError(404, 'Bet not found');
    return b;
  });
}

/** GET /positions, /positions/summary (both by status) and /pnl, over the client's date range. */
function registerPositionReads(r: MmRouter, { db }: ReadDeps): void {
  r.get('/positions', { schema: MM_ROUTES.positions }, async (req) =>
    mmPositions(db(), mmClientOf(req).clientName, req.query.status ?? [], range(req.query)),
  );

  r.get('/positions/summary', { schema: MM_ROUTES.positionSummary }, async (req) =>
    mmPositionSummary(db(), mmClientOf(req).clientName, req.query.status ?? [], range(req.query)),
  );

  r.get('/pnl', { schema: MM_ROUTES.pnl }, async (req) =>
    mmPnl(db(), mmClientOf(req).clientName, range(req.query)),
  );
}

/** GET /accounts: the client's betting accounts from the ABP services, without any credential. */
function registerAccounts(r: MmRouter, app: FastifyInstance): void {
  r.get('/accounts', { schema: MM_ROUTES.accounts }, async (req) => {
    const service = app.abp;
    if (!service) throw new MmHttpError(503, MM_MESSAGES.noDatabase);
    const accounts = await service.accounts.list(mmClientOf(req).clientName);
    // No credential field at all (not even masked). The venue is the account's bookmaker slug; oddsgate's
    // accounts hedge on the venue they are on, so `bookmaker` is the same slug.
    return accounts.map((a) => ({
      exchange: a.bookmaker,
      username: a.username,
      client: a.client,
      bookmaker: a.bookmaker,
      balance: a.balance,
      currency: a.currencyId,
      maxOutcomeStake: a.maxStake,
      minStake: a.minStake,
      priority: a.priority,
      active: a.active,
    }));
  });
}
