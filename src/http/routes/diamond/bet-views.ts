import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Execution } from '../../../execution/index.js';
import type { BetPayout } from '../../../execution/game-settlement.js';
import type { BetRow, OrderRow } from '../../../execution/rows.js';
import { secretFromRequest, secretMatcher } from '../../../core/auth.js';
import { HttpError, sendError } from '../../errors.js';
import { refuseIfBlocked } from '../../failed-attempts.js';

/** The execution client Diamond bets are placed as (its accounts are this client's). */
export const DIAMOND_CLIENT = 'diamond';

/** The execution layer, or 503 when this server runs without it (no records database). */
export function executionOf(app: FastifyInstance): Execution {
  const e = (app as { execution?: Execution }).execution;
  if (!e)
    throw new HttpError(
      503,
      'Betting is not available: the execution layer is not configured (records database)',
      'ERR_NO_EXECUTION',
    );
  return e;
}

/**
 * The orders table's request UUID of a Diamond `requestId`: a name-based UUID (SHA-256, version 8), so the
 * same requestId is the same order and the database's unique key refuses a second one.
 */
export function requestUuidOf(requestId: string): string {
  const h = createHash('sha256').update(`diamond:${requestId}`).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x80;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** What a Diamond bet order keeps in its meta (to show and compare the bet as it was asked). */
export interface DiamondBetMeta {
  source: 'diamond';
  requestId: string;
  gmid: string;
  marketId: string;
  selectionId: number;
  runnerName: string;
}

function metaOf(m: Record<string, unknown>): Partial<DiamondBetMeta> {
  return m as Partial<DiamondBetMeta>;
}

/** A bet as Diamond shows it: the runner and side it was asked for, what was placed, its settlement. */
export function betView(b: BetRow, order: Pick<OrderRow, 'meta' | 'orderPrice' | 'orderStatus'>) {
  const m = metaOf(order.meta);
  return {
    betId: b.betId,
    orderId: b.orderId,
    requestId: m.requestId ?? null,
    gmid: b.fixtureId,
    marketId: m.marketId ?? null,
    selectionId: m.selectionId ?? null,
    runnerName: m.runnerName ?? null,
    side: b.back ? ('back' as const) : ('lay' as const),
    requestedPrice: order.orderPrice,
    price: b.placedPrice,
    stake: b.placedStake,
    currency: b.placedCurrency,
    bookmaker: b.bookmaker,
    account: b.account,
    bookmakerBetId: b.bookmakerBetId,
    status: b.betStatus,
    orderStatus: order.orderStatus,
    declineReason: b.declineReason,
    settlement: {
      status: b.settlementStatus,
      amount: b.settlementAmount,
      reason: b.settlementReason,
      settledAt: b.settledAt,
    },
    placedAt: b.placedAt,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
  };
}

/** One bet of a settlement (preview or done): what it settles as and what its account gets back. */
export function payoutView(p: BetPayout) {
  return {
    betId: p.bet.betId,
    client: p.bet.clientName,
    outcomeId: p.bet.outcomeId,
    side: p.bet.back ? ('back' as const) : ('lay' as const),
    stake: p.bet.placedStake,
    price: p.bet.placedPrice,
    status: p.settlement.status,
    amount: p.settlement.amount,
    payout: p.payout,
    reason: p.settlement.reason,
  };
}

/** Totals of a list of payouts (cents). */
export function totalsOf(list: readonly { stake: number; amount: number; payout: number }[]) {
  const sum = (f: (x: { stake: number; amount: number; payout: number }) => number) =>
    Math.round(list.reduce((s, x) => s + f(x) * 100, 0)) / 100;
  return {
    bets: list.length,
    stake: sum((x) => x.stake),
    amount: sum((x) => x.amount),
    payout: sum((x) => x.payout),
  };
}

/** Where the admin credential is sent (as on the admin surface and `/tokens`). */
const ADMIN_AT = { header: 'x-admin-password' } as const;

/**
 * The admin check of a route (`preHandler`): the Diamond password is not enough, the request needs
 * `x-admin-password` (DIAMOND_ADMIN_PASSWORD, constant-time). None configured: refused (403). A wrong one
 * counts as a failed attempt of the address.
 */
export function adminGate(app: FastifyInstance) {
  const password = app.config.diamondAdminPassword;
  const matches = password ? secretMatcher(password) : null;
  const isAdmin = (req: FastifyRequest) => matches !== null && matches(secretFromRequest(req, ADMIN_AT));
  const require = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!matches) return sendError(reply, 403, 'Forbidden: no admin credential is configured');
    if (refuseIfBlocked(app.failedAttempts, req, reply)) return reply;
    const given = secretFromRequest(req, ADMIN_AT);
    if (matches(given)) return;
    if (given !== undefined) app.failedAttempts.fail(req.ip);
    return sendError(reply, 403, 'Forbidden: this change needs the admin credential (x-admin-password)');
  };
  return { isAdmin, require };
}
