import type { Kysely } from 'kysely';
import { converter, type CurrencyRates } from './currencies.js';
import type { EmergencySwitch } from './emergency.js';
import type { GuardedConnector } from './connectors/guard.js';
import type { BetLedger, BetOutcome } from './ledger.js';
import type { ExecutionRepository } from './repository.js';
import { planOrder, type Candidate, type Leg } from './routing.js';
import type { BetRow, OrderRow } from './rows.js';
import type { AccountDirectory, ExecutionPublisher, Selection } from './types.js';

/** An order as the client sent it (validated), with the document's defaults applied. */
export interface OrderInput {
  requestUuid: string;
  fixtureId: string;
  outcomeId: number;
  playerId: number;
  orderStake: number;
  orderPrice: number;
  userRef: string;
  testOrder: boolean;
  /** Comma-separated slugs, or undefined for automatic selection. */
  bookmakers?: string | undefined;
  orderCurrency: string;
  acceptBetterOdds: boolean;
  acceptPartialStake: boolean;
  back: boolean;
  expiresAt: Date;
  meta: Record<string, unknown>;
}

/** Who places: the API key's client and the bookmakers it may use (empty: all). */
export interface OrderClient {
  clientName: string;
  bookmakers: readonly string[];
}

/** What became of one order. */
export type PlaceOutcome =
  | { kind: 'accepted'; order: OrderRow; bets: BetRow[] }
  | { kind: 'declined'; requestUuid: string; fixtureId: string; outcomeId: number; declineReason: string }
  | { kind: 'duplicate'; requestUuid: string; fixtureId: string; outcomeId: number };

export interface OrderServiceDeps {
  db: Kysely<unknown>;
  repo: ExecutionRepository;
  ledger: BetLedger;
  accounts: AccountDirectory;
  connectors: ReadonlyMap<string, GuardedConnector>;
  currencies: CurrencyRates;
  emergency: EmergencySwitch;
  publisher: ExecutionPublisher;
}

/** The document's text for a requestUuid seen before. */
export const DUPLICATE_REASON = 'Duplicate requestUuid: this requestUuid is already in-flight';

/**
 * Orders: the requestUuid is claimed by inserting the order (the database refuses a second), the order is
 * validated and routed (declined with the document's reason, as REJECTED), its bets are written before they
 * are sent (their ids are the bookmakers' idempotency keys), sent through each bookmaker's breaker, and the
 * order is finalized from what came back. Placements whose answer was lost stay PLACED for reconciliation.
 */
export class OrderService {
  /** Orders placing on this instance: cancel signals them. */
  private readonly inFlight = new Map<number, { abort: AbortController; done: Promise<unknown> }>();

  constructor(private readonly deps: OrderServiceDeps) {}

  async place(client: OrderClient, input: OrderInput): Promise<PlaceOutcome> {
    const { repo, publisher } = this.deps;
    const order = await repo.insertOrder({
      ...input,
      clientName: client.clientName,
      allowedBookmakers: input.bookmakers ?? '*',
    });
    if (!order) return { kind: 'duplicate', ...ids(input) };
    publisher.publish('orders', 'INSERT', order, order.clientName);
    const plan = await this.route(client, order);
    if ('decline' in plan) return this.reject(order, plan.decline);
    if (input.testOrder) return this.test(order, plan.legs);
    const abort = new AbortController();
    const done = this.execute(order, plan.legs, abort);
    this.inFlight.set(order.orderId, { abort, done });
    try {
      return await done;
    } finally {
      this.inFlight.delete(order.orderId);
    }
  }

  /** Cancels one order: PENDING ones at once, PROCESSING ones placing here by stopping their placement. */
  async cancel(order: OrderRow): Promise<{ order: OrderRow; cancelled: boolean; reason?: string }> {
    if (order.orderStatus === 'PENDING') {
      const o = await this.deps.repo.orderTo(this.deps.db, order.orderId, ['PENDING'], 'CANCELLED', {
        statusReason: 'Cancelled by client',
      });
      if (o) {
        this.deps.publisher.publish('orders', 'UPDATE', o, o.clientName);
        return { order: o, cancelled: true };
      }
    }
    const running = this.inFlight.get(order.orderId);
    if (order.orderStatus === 'PROCESSING' && running) {
      running.abort.abort('cancelled');
      await running.done.catch(() => undefined);
    }
    const now = (await this.deps.repo.order(order.orderId)) ?? order;
    if (now.orderStatus === 'CANCELLED') return { order: now, cancelled: true };
    const reason =
      now.filledStake > 0
        ? 'Order has confirmed bets'
        : now.orderStatus === 'PROCESSING'
          ? 'Order is being placed'
          : `Order is ${now.orderStatus}`;
    return { order: now, cancelled: false, reason };
  }

  private async route(client: OrderClient, order: OrderRow): Promise<{ legs: Leg[] } | { decline: string }> {
    const { emergency, currencies, accounts, connectors } = this.deps;
    const e = await emergency.state();
    if (e.active)
      return { decline: `Emergency mode: order processing is paused${e.reason ? ` (${e.reason})` : ''}` };
    const rates = await currencies.all();
    if (!rates.has(order.orderCurrency))
      return { decline: `Currency conversion failed: unknown currency ${order.orderCurrency}` };
    const wanted =
      order.allowedBookmakers === '*' ? null : order.allowedBookmakers.split(',').map((s) => s.trim());
    const allowed = (slug: string) =>
      (client.bookmakers.length === 0 || client.bookmakers.includes(slug)) &&
      (!wanted || wanted.includes(slug));
    const unknown = wanted?.find((s) => !connectors.has(s) || !allowed(s));
    if (unknown) return { decline: `Bookmaker not available: ${unknown}` };
    const active = (await accounts.list(client.clientName)).filter(
      (a) => a.active && allowed(a.bookmaker) && connectors.has(a.bookmaker),
    );
    if (active.length === 0) return { decline: 'No active accounts' };
    const selection = selectionOf(order);
    const candidates: Candidate[] = [];
    let open = false;
    for (const account of active) {
      const guarded = connectors.get(account.bookmaker) as GuardedConnector;
      if (guarded.open) {
        open = true;
        continue;
      }
      const quote = guarded.connector.quote(selection);
      if (quote) candidates.push({ account, quote, bookmakerLimits: guarded.connector.limits });
    }
    if (candidates.length === 0)
      return {
        decline: open
          ? 'Bookmaker not available: circuit open, try again shortly'
          : `Bookmaker not available: no odds for fixture ${order.fixtureId} outcome ${order.outcomeId}`,
      };
    return planOrder(order, candidates, converter(rates));
  }

  private async reject(order: OrderRow, reason: string): Promise<PlaceOutcome> {
    const o = await this.deps.repo.orderTo(this.deps.db, order.orderId, ['PENDING'], 'REJECTED', {
      statusReason: reason,
    });
    if (o) this.deps.publisher.publish('orders', 'UPDATE', o, o.clientName);
    return { kind: 'declined', ...ids(order), declineReason: reason };
  }

  /** A test order: validated and routed, its bets recorded as test bets; nothing is sent, no balance moves. */
  private async test(order: OrderRow, legs: readonly Leg[]): Promise<PlaceOutcome> {
    const { db, repo } = this.deps;
    const out = await db.transaction().execute(async (trx) => {
      await repo.orderTo(trx, order.orderId, ['PENDING'], 'PROCESSING');
      const bets: BetRow[] = [];
      for (const [i, leg] of legs.entries())
        bets.push(await repo.insertBet(trx, this.newBet(order, leg, i, true), 'CONFIRMED'));
      const filled = legs.reduce((s, l) => s + l.stake, 0);
      const status = filled >= order.orderStake - 0.005 ? 'FILLED' : 'PARTIALLY_FILLED';
      const o = await repo.orderTo(trx, order.orderId, ['PROCESSING'], status, {
        filledStake: Math.round(filled * 100) / 100,
        statusReason: 'Test order: validated, not sent',
      });
      return { order: o as OrderRow, bets };
    });
    return { kind: 'accepted', ...out };
  }

  private async execute(
    order: OrderRow,
    legs: readonly Leg[],
    abort: AbortController,
  ): Promise<PlaceOutcome> {
    const { db, repo, publisher, ledger } = this.deps;
    const started = await db.transaction().execute(async (trx) => {
      const o = await repo.orderTo(trx, order.orderId, ['PENDING'], 'PROCESSING', {
        oddsInfo: legs.map((l) => ({ bookmaker: l.account.bookmaker, ...l.quote.info })),
      });
      if (!o) return null; // cancelled before it started
      const bets: BetRow[] = [];
      for (const [i, leg] of legs.entries())
        bets.push(await repo.insertBet(trx, this.newBet(o, leg, i, false)));
      return { o, bets };
    });
    if (!started) return this.accepted(order.orderId);
    publisher.publish('orders', 'UPDATE', started.o, started.o.clientName);
    for (const b of started.bets) publisher.publish('bets', 'INSERT', b, b.clientName);
    const left = order.expiresAt ? Date.parse(order.expiresAt) - Date.now() : 0;
    const expiry = setTimeout(() => abort.abort('expired'), Math.max(0, left));
    let outcomes: BetOutcome[];
    try {
      outcomes = await Promise.all(
        started.bets.map((b, i) => this.send(started.o, b, legs[i] as Leg, abort.signal)),
      );
    } finally {
      clearTimeout(expiry);
    }
    const done = await ledger.complete(started.o, outcomes);
    return { kind: 'accepted', ...done };
  }

  /** Sends one bet; what came back is recorded with the others in one transaction (ledger.complete). */
  private async send(order: OrderRow, bet: BetRow, leg: Leg, signal: AbortSignal): Promise<BetOutcome> {
    if (signal.aborted) return { bet, kind: 'close', to: 'CANCELLED', reason: stopReason(signal) };
    const guarded = this.deps.connectors.get(bet.bookmaker) as GuardedConnector;
    const answer = await guarded.place(
      {
        key: bet.betRequestId,
        account: bet.account,
        selection: selectionOf(order),
        stake: leg.accountStake,
        price: order.orderPrice,
        acceptBetterOdds: order.acceptBetterOdds,
      },
      signal,
    );
    if ('kind' in answer) {
      if (answer.kind === 'unknown')
        return { bet, kind: 'unknown', reason: `Outcome unknown: ${answer.reason}` };
      if (signal.aborted) return { bet, kind: 'close', to: 'CANCELLED', reason: stopReason(signal) };
      return { bet, kind: 'close', to: 'FAILED', reason: `Bookmaker not available: ${answer.reason}` };
    }
    if (answer.status === 'accepted') return { bet, kind: 'confirm', answer };
    return {
      bet,
      kind: 'close',
      to: 'REJECTED',
      reason: `Rejected by ${bet.bookmaker}: ${answer.reason ?? 'no reason'}`,
      received: answer.raw,
    };
  }

  private async accepted(orderId: number): Promise<PlaceOutcome> {
    const order = (await this.deps.repo.order(orderId)) as OrderRow;
    return { kind: 'accepted', order, bets: await this.deps.repo.betsOf([orderId]) };
  }

  private newBet(order: OrderRow, leg: Leg, i: number, test: boolean) {
    return {
      orderId: order.orderId,
      clientName: order.clientName,
      bookmaker: leg.account.bookmaker,
      account: leg.account.username,
      placedStake: leg.accountStake,
      placedPrice: test ? leg.quote.price : order.orderPrice,
      placedCurrency: leg.account.currency,
      requestUuid: order.requestUuid,
      userRef: order.userRef,
      testBet: test,
      betRequestId: `${order.orderId}-${i}`,
      fixtureId: order.fixtureId,
      outcomeId: order.outcomeId,
      playerId: order.playerId,
      back: order.back,
      // What is sent to the bookmaker: never the account's credentials.
      sentData: {
        stake: leg.accountStake,
        price: order.orderPrice,
        acceptBetterOdds: order.acceptBetterOdds,
      },
      oddsInfo: { ...leg.quote.info, quotedPrice: leg.quote.price, orderStake: leg.stake },
    };
  }
}

function ids(o: { requestUuid: string; fixtureId: string; outcomeId: number }) {
  return { requestUuid: o.requestUuid, fixtureId: o.fixtureId, outcomeId: o.outcomeId };
}

/** The selection an order names. */
export function selectionOf(o: Pick<OrderRow, 'fixtureId' | 'outcomeId' | 'playerId' | 'back'>): Selection {
  return { fixtureId: o.fixtureId, outcomeId: o.outcomeId, playerId: o.playerId, back: o.back };
}

function stopReason(signal: AbortSignal): string {
  return signal.reason === 'expired' ? 'Order expired before placement' : 'Cancelled by client';
}
