import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { BetRow, OrderRow, PlaceOutcome } from '../../../execution/index.js';
import { listBets, listOrders } from '../../../execution/queries.js';
import type { AbpClient } from './context.js';
import { ORDER_ROUTES } from './order-responses.js';
import { DEFAULT_EXPIRY_MS, MAX_EXPIRY_MS, type PlaceOrderBody } from './order-schemas.js';

/** The ABP 409 body for a requestUuid already used. */
export const DUPLICATE_BODY = { detail: 'Duplicate request - requestUuid already in-flight' };
const DENIED = { detail: { message: 'Access denied to this order', code: 'FORBIDDEN' as const } };

type PlaceStatus = 'accepted' | 'declined' | 'partial-success';

/** The client the /abp scope authenticated; a route reached without one is a wiring error (401). */
function clientOf(req: FastifyRequest, reply: FastifyReply): AbpClient | null {
  if (req.abpClient) return req.abpClient;
  void reply.code(401).send({ detail: { message: 'Missing X-API-Key header', code: 'UNAUTHORIZED' } });
  return null;
}

/** 422 in the document's shape, for checks beyond the schema. */
function invalid(reply: FastifyReply, loc: (string | number)[], msg: string, type = 'value_error') {
  return reply.code(422).send({ detail: [{ loc, msg, type }] });
}

function expiryOf(o: PlaceOrderBody, now: number): Date {
  if (!o.expiresAt) return new Date(now + DEFAULT_EXPIRY_MS);
  return new Date(Math.min(Date.parse(o.expiresAt), now + MAX_EXPIRY_MS));
}

function betSummary(b: BetRow) {
  return {
    betId: b.betId,
    bookmaker: b.bookmaker,
    placedPrice: b.placedPrice,
    placedStake: b.placedStake,
    betStatus: b.betStatus,
  };
}

function acceptedOf(o: Extract<PlaceOutcome, { kind: 'accepted' }>) {
  return {
    orderId: o.order.orderId,
    requestUuid: o.order.requestUuid,
    orderStatus: o.order.orderStatus,
    statusReason: o.order.statusReason,
    fixtureId: o.order.fixtureId,
    outcomeId: o.order.outcomeId,
    orderStake: o.order.orderStake,
    orderPrice: o.order.orderPrice,
    filledStake: o.order.filledStake,
    bets: o.bets.map(betSummary),
  };
}

/** True when any of `ids` belongs to another client (the document's 403). */
async function othersOwn(
  app: FastifyInstance,
  table: 'orders' | 'bets',
  ids: readonly number[] | undefined,
  client: string,
): Promise<boolean> {
  if (!ids?.length) return false;
  const owners = await app.execution.repo.ownersOf(table, ids);
  return [...owners.values()].some((c) => c !== client);
}

/**
 * ABP orders and bets: POST /place-orders, /cancel-orders, /cancel-all-orders; GET /orders, /bets,
 * /bets/:bet_id. Every row is the authenticated client's (request.abpClient); naming another client's row
 * is 403 "Access denied to this order".
 */
export async function orderRoutes(app: FastifyInstance): Promise<void> {
  registerPlace(app);
  registerCancel(app);
  registerOrderReads(app);
  registerBetReads(app);
}

/** The execution input of one body order: the checked fixture and its expiry (default, capped). */
function orderInput(o: PlaceOrderBody, now: number) {
  return {
    ...o,
    fixtureId: o.fixtureId as string,
    bookmakers: o.bookmakers,
    expiresAt: expiryOf(o, now),
  };
}

/** A declined or duplicate outcome as the document's declined order. */
function declinedOf(o: Exclude<PlaceOutcome, { kind: 'accepted' }>) {
  return {
    requestUuid: o.requestUuid,
    fixtureId: o.fixtureId,
    outcomeId: o.outcomeId,
    declineReason:
      o.kind === 'declined'
        ? o.declineReason
        : 'Duplicate requestUuid: this requestUuid is already in-flight',
  };
}

/** The 200 body of POST /place-orders: accepted and declined orders, and the overall status. */
function placeAnswer(outcomes: readonly PlaceOutcome[]) {
  const acceptedOrders = outcomes.flatMap((o) => (o.kind === 'accepted' ? [acceptedOf(o)] : []));
  const declinedOrders = outcomes.flatMap((o) => (o.kind === 'accepted' ? [] : [declinedOf(o)]));
  const status: PlaceStatus =
    declinedOrders.length === 0 ? 'accepted' : acceptedOrders.length === 0 ? 'declined' : 'partial-success';
  return { status, acceptedOrders, declinedOrders };
}

/** POST /place-orders: 501 for futures, 422 without a fixture, 409 when every order is a duplicate. */
function registerPlace(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/place-orders', ORDER_ROUTES.placeOrders, async (req, reply) => {
    const client = clientOf(req, reply);
    if (!client) return reply;
    const futures = req.body.orders.findIndex((o) => o.futureId !== undefined);
    if (futures >= 0)
      return reply.code(501).send({
        detail: { message: 'Futures orders are not implemented yet', code: 'NOT_IMPLEMENTED' },
      });
    const missing = req.body.orders.findIndex((o) => o.fixtureId === undefined);
    if (missing >= 0)
      return invalid(reply, ['body', 'orders', missing, 'fixtureId'], 'Field required', 'missing');
    const now = Date.now();
    const outcomes = await Promise.all(
      req.body.orders.map((o) => app.execution.orders.place(client, orderInput(o, now))),
    );
    if (outcomes.every((o) => o.kind === 'duplicate')) return reply.code(409).send(DUPLICATE_BODY);
    return placeAnswer(outcomes);
  });
}

/** POST /cancel-orders (by ids, request uuids or userRef) and POST /cancel-all-orders (every open one). */
function registerCancel(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/cancel-orders', ORDER_ROUTES.cancelOrders, async (req, reply) => {
    const client = clientOf(req, reply);
    if (!client) return reply;
    const { orderIds, requestUuids, userRef } = req.body;
    if (!orderIds?.length && !requestUuids?.length && userRef === undefined)
      return invalid(reply, ['body'], 'At least one filter is required: orderIds, requestUuids or userRef');
    if (await othersOwn(app, 'orders', orderIds, client.clientName)) return reply.code(403).send(DENIED);
    const page = await listOrders(app.execution.db, {
      clientName: client.clientName,
      ...(orderIds ? { orderIds } : {}),
      ...(requestUuids ? { requestUuids } : {}),
      ...(userRef !== undefined ? { userRef } : {}),
      limit: 1000,
    });
    return cancelAll(app, page.rows);
  });

  r.post('/cancel-all-orders', ORDER_ROUTES.cancelAllOrders, async (req, reply) => {
    const client = clientOf(req, reply);
    if (!client) return reply;
    const open = await app.execution.repo.openOrdersOf(client.clientName);
    return cancelAll(app, open);
  });
}

/** GET /orders: a page of the client's orders, each with its bets, by ids, request uuids or userRef. */
function registerOrderReads(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/orders', ORDER_ROUTES.orders, async (req, reply) => {
    const client = clientOf(req, reply);
    if (!client) return reply;
    const q = req.query;
    if (!q.orderIds && !q.requestUuids && q.userRef === undefined)
      return invalid(reply, ['query'], 'At least one filter is required: orderIds, requestUuids or userRef');
    if (await othersOwn(app, 'orders', q.orderIds, client.clientName)) return reply.code(403).send(DENIED);
    const page = await listOrders(app.execution.db, {
      ...strip(q),
      clientName: client.clientName,
      limit: q.limit,
    });
    const bets = await app.execution.repo.betsOf(page.rows.map((o) => o.orderId));
    const orders = page.rows.map((o) => ({ ...o, bets: bets.filter((b) => b.orderId === o.orderId) }));
    const last = page.rows[page.rows.length - 1];
    return {
      status: 'success' as const,
      orders,
      count: orders.length,
      hasMore: page.hasMore,
      nextCursor: page.hasMore && last ? { afterOrderId: last.orderId } : null,
    };
  });
}

/** GET /bets (a page by bet ids, order ids or userRef) and GET /bets/:bet_id (404, or 403 if another's). */
function registerBetReads(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/bets', ORDER_ROUTES.bets, async (req, reply) => {
    const client = clientOf(req, reply);
    if (!client) return reply;
    const q = req.query;
    if (!q.betIds && !q.orderIds && q.userRef === undefined)
      return invalid(reply, ['query'], 'At least one filter is required: betIds, orderIds or userRef');
    if (
      (await othersOwn(app, 'bets', q.betIds, client.clientName)) ||
      (await othersOwn(app, 'orders', q.orderIds, client.clientName))
    )
      return reply.code(403).send(DENIED);
    const page = await listBets(app.execution.db, {
      ...strip(q),
      clientName: client.clientName,
      limit: q.limit,
    });
    const last = page.rows[page.rows.length - 1];
    return {
      status: 'success' as const,
      bets: page.rows,
      count: page.rows.length,
      hasMore: page.hasMore,
      nextCursor: page.hasMore && last ? { afterBetId: last.betId } : null,
    };
  });

  r.get('/bets/:bet_id', ORDER_ROUTES.bet, async (req, reply) => {
    const client = clientOf(req, reply);
    if (!client) return reply;
    const bet = await app.execution.repo.bet(req.params.bet_id);
    if (!bet) return reply.code(404).send({ detail: { message: 'Bet not found', code: 'NOT_FOUND' } });
    if (bet.clientName !== client.clientName) return reply.code(403).send(DENIED);
    return { status: 'success' as const, bet };
  });
}

/** The query without undefined members (exactOptionalPropertyTypes). */
function strip<T extends object>(q: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

async function cancelAll(app: FastifyInstance, orders: readonly OrderRow[]) {
  const cancelled: OrderRow[] = [];
  const notCancelled: { orderId: number; requestUuid: string; orderStatus: string; reason: string }[] = [];
  for (const o of orders) {
    const out = await app.execution.orders.cancel(o);
    if (out.cancelled) cancelled.push(out.order);
    else
      notCancelled.push({
        orderId: out.order.orderId,
        requestUuid: out.order.requestUuid,
        orderStatus: out.order.orderStatus,
        reason: out.reason ?? 'Not cancellable',
      });
  }
  return { status: 'success' as const, cancelled, notCancelled, count: cancelled.length };
}
