import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { Execution } from '../../../execution/index.js';
import type { OrderInput, PlaceOutcome } from '../../../execution/order-service.js';
import { betFromDb, type BetRow, type OrderRow } from '../../../execution/rows.js';
import { HttpError } from '../../errors.js';
import { gameOf, resolveSelection, type ResolvedSelection } from './bet-catalog.js';
import { BET_ROUTES } from './bet-responses.js';
import { DEFAULT_BET_PAGE, type PlaceBet } from './bet-schemas.js';
import {
  adminGate,
  betView,
  DIAMOND_CLIENT,
  executionOf,
  requestUuidOf,
  type DiamondBetMeta,
} from './bet-views.js';
import { envelope } from './envelope.js';

/** How long a Diamond bet may take to be placed before it expires unplaced. */
const BET_EXPIRY_MS = 30_000;

/** The placed order and its bets, as `POST /bets` answers. */
function placedBody(order: OrderRow, bets: readonly BetRow[], duplicate: boolean) {
  return envelope({
    duplicate,
    order: {
      orderId: order.orderId,
      status: order.orderStatus,
      statusReason: order.statusReason,
      filledStake: order.filledStake,
    },
    bets: bets.map((b) => betView(b, order)),
  });
}

/** A jsonb column as an object (PGlite and node-postgres both parse it; a string is parsed). */
function jsonObject(v: unknown): Record<string, unknown> {
  const o = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  return o && typeof o === 'object' ? (o as Record<string, unknown>) : {};
}

/** A repeated requestId must name the same bet: else it is a mistake, refused with 409. */
function sameBet(order: OrderRow, body: PlaceBet, selectionId: number): boolean {
  const m = order.meta as Partial<DiamondBetMeta>;
  return (
    m.selectionId === selectionId &&
    order.back === (body.side === 'back') &&
    order.orderPrice === body.price &&
    order.orderStake === body.stake
  );
}

/** What a repeated requestId found: the answer, or `retry` when its earlier placement was declined. */
async function answerOf(
  execution: Execution,
  outcome: PlaceOutcome,
  body: PlaceBet,
  selectionId: number,
): Promise<ReturnType<typeof placedBody> | 'retry'> {
  if (outcome.kind === 'accepted') return placedBody(outcome.order, outcome.bets, false);
  if (outcome.kind === 'declined') throw declined(body, outcome.declineReason);
  const order = await execution.repo.orderByUuid(DIAMOND_CLIENT, outcome.requestUuid);
  // released by a concurrent retry between the claim and this read: place again
  if (!order) return 'retry';
  if (!sameBet(order, body, selectionId))
    throw new HttpError(
      409,
      `requestId ${body.requestId} was used for a different bet`,
      'ERR_REQUEST_ID_REUSED',
    );
  const bets = await execution.repo.betsOf([order.orderId]);
  // Declined at routing, nothing sent: the retry is evaluated anew (a lasting reason declines it again,
  // a passing one — price moved, circuit open, emergency — places it now; still at most one bet).
  if (bets.length === 0 && order.orderStatus === 'REJECTED') {
    await execution.repo.releaseDeclined(DIAMOND_CLIENT, outcome.requestUuid);
    return 'retry';
  }
  return placedBody(order, bets, true);
}

/** The 409 of a bet the order service declined, with its reason and the requestId. */
function declined(body: PlaceBet, reason: string): HttpError {
  return new HttpError(409, `Bet declined: ${reason}`, 'ERR_BET_DECLINED', { requestId: body.requestId });
}

/** The order a Diamond bet places; built per attempt, so each one expires BET_EXPIRY_MS after it is sent. */
function orderInputOf(body: PlaceBet, sel: ResolvedSelection): OrderInput {
  const meta: DiamondBetMeta = {
    source: 'diamond',
    requestId: body.requestId,
    gmid: body.gmid,
    marketId: sel.marketId,
    selectionId: sel.selectionId,
    runnerName: sel.runnerName,
  };
  return {
    requestUuid: requestUuidOf(body.requestId),
    fixtureId: sel.fixtureId,
    outcomeId: sel.outcomeId,
    playerId: 0,
    orderStake: body.stake,
    orderPrice: body.price,
    userRef: DIAMOND_CLIENT,
    testOrder: false,
    bookmakers: body.bookmaker,
    orderCurrency: body.currency,
    acceptBetterOdds: true,
    acceptPartialStake: false,
    back: body.side === 'back',
    expiresAt: new Date(Date.now() + BET_EXPIRY_MS),
    meta: { ...meta },
  };
}

/** `POST /bets`: places the bet through the order service; a repeated requestId answers the first one. */
function registerPlace(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/bets', { schema: BET_ROUTES.place }, async (req) => {
    const execution = executionOf(app);
    const body = req.body;
    const sel = resolveSelection(app.readModel, body.gmid, body.selectionId, body.marketId);
    const place = () =>
      execution.orders.place({ clientName: DIAMOND_CLIENT, bookmakers: [] }, orderInputOf(body, sel));
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await answerOf(execution, await place(), body, sel.selectionId);
      if (answer !== 'retry') return answer;
    }
    throw new HttpError(409, 'requestId is being placed: retry shortly', 'ERR_DUPLICATE');
  });
}

/** `GET /bets`: Diamond's bets, newest first, by game and status, keyset-paged by bet id. */
function registerList(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/bets', { schema: BET_ROUTES.list }, async (req) => {
    const execution = executionOf(app);
    const q = req.query;
    const fixture = q.gmid === undefined ? undefined : String(gameOf(app.readModel, q.gmid)?.id ?? q.gmid);
    const limit = q.limit ?? DEFAULT_BET_PAGE;
    const status = q.status;
    const rows = await sql<Record<string, unknown>>`
      select b.*, o.meta as order_meta, o.order_price as o_price, o.order_status as o_status
      from bets b join orders o on o.order_id = b.order_id
      where b.client_name = ${DIAMOND_CLIENT} and not b.test_bet
        ${fixture !== undefined ? sql`and b.fixture_id = ${fixture}` : sql``}
        ${status !== undefined ? sql`and (b.bet_status = ${status} or b.settlement_status = ${status})` : sql``}
        ${q.afterBetId !== undefined ? sql`and b.bet_id < ${q.afterBetId}` : sql``}
      order by b.bet_id desc limit ${limit + 1}`.execute(execution.db);
    const page = rows.rows.slice(0, limit);
    const bets = page.map((row) =>
      betView(betFromDb(row), {
        meta: jsonObject(row.order_meta),
        orderPrice: Number(row.o_price),
        orderStatus: row.o_status as OrderRow['orderStatus'],
      }),
    );
    const hasMore = rows.rows.length > limit;
    return envelope({
      count: bets.length,
      bets,
      hasMore,
      nextAfterBetId: hasMore ? (bets.at(-1)?.betId ?? null) : null,
    });
  });
}

/** The bet trace: Diamond's own bets with the password; any client's with the admin credential. */
function registerTrace(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = adminGate(app);
  const visible = (clientName: string, req: Parameters<typeof admin.isAdmin>[0]) =>
    clientName === DIAMOND_CLIENT || admin.isAdmin(req);

  r.get('/trace/bets/:id', { schema: BET_ROUTES.traceBet }, async (req) => {
    const t = await executionOf(app).trace.bet(req.params.id);
    if (!t || !visible(t.bet.clientName, req)) throw new HttpError(404, 'Bet not found', 'ERR_BET_NOT_FOUND');
    return envelope(t);
  });

  r.get('/trace/orders/:id', { schema: BET_ROUTES.traceOrder }, async (req) => {
    const t = await executionOf(app).trace.order(req.params.id);
    if (!t || !visible(t.order.clientName, req))
      throw new HttpError(404, 'Order not found', 'ERR_ORDER_NOT_FOUND');
    return envelope(t);
  });
}

/**
 * `POST /bets`, `GET /bets` and the bet trace (`/trace/bets/:id`, `/trace/orders/:id`), over the execution
 * layer: a Diamond bet is an order of the `diamond` client placed through the order service (routing,
 * idempotency by the database, audit, reconciliation), on the bookmaker it names (`paper` by default).
 */
export async function betRoutes(app: FastifyInstance): Promise<void> {
  registerPlace(app);
  registerList(app);
  registerTrace(app);
}
