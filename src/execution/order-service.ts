import type { Kysely } from 'kysely';
import { converter, type CurrencyRates } from './currencies.js';
import type { EmergencySwitch } from './emergency.js';
import type { GuardedConnector } from './connectors/guard.js';
import { isResting, type BetLedger, type BetOutcome, type VenueOrderState } from './ledger.js';
import type { ClaimPlan, ExecutionRepository, NewOrder } from './repository.js';
import { planOrder, type Candidate, type Leg } from './routing.js';
import { round2, type BetRow, type OrderRow } from './rows.js';
import type { AccountDirectory, Connector, ExecutionPublisher, Selection } from './types.js';

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
    const { repo } = this.deps;
    const order = { ...input, clientName: client.clientName, allowedBookmakers: input.bookmakers ?? '*' };
    // Routing reads only (prices, accounts, rates); the requestUuid is claimed by the one statement that
    // writes the order in the state routing decided, with its bets and their keys, before anything is sent.
    const plan = await this.route(client, order);
    if ('decline' in plan) {
      const claimed = await repo.claimOrder(order, {
        status: 'REJECTED',
        patch: { statusReason: plan.decline },
        bets: [],
      });
      if (!claimed) return { kind: 'duplicate', ...ids(input) };
      this.published(claimed.order, []);
      return { kind: 'declined', ...ids(input), declineReason: plan.decline };
    }
    if (input.testOrder) return this.test(order, plan.legs);
    const claimed = await repo.claimOrder(order, {
      status: 'PROCESSING',
      patch: { oddsInfo: plan.legs.map((l) => ({ bookmaker: l.account.bookmaker, ...l.quote.info })) },
      bets: plan.legs.map((l) => this.newBet(order, l, false)),
    });
    if (!claimed) return { kind: 'duplicate', ...ids(input) };
    this.published(claimed.order, claimed.bets);
    const abort = new AbortController();
    const done = this.execute(claimed.order, claimed.bets, plan.legs, abort);
    this.inFlight.set(claimed.order.orderId, { abort, done });
    try {
      return await done;
    } finally {
      this.inFlight.delete(claimed.order.orderId);
    }
  }

  private published(order: OrderRow, bets: readonly BetRow[]): void {
    this.deps.publisher.publish('orders', 'INSERT', order, order.clientName);
    for (const b of bets) this.deps.publisher.publish('bets', 'INSERT', b, b.clientName);
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
    const ended = await this.endResting(order.orderId);
    const now = (await this.deps.repo.order(order.orderId)) ?? order;
    if (now.orderStatus === 'CANCELLED') return { order: now, cancelled: true };
    if (ended && now.orderStatus === 'PARTIALLY_FILLED') return { order: now, cancelled: true };
    const reason =
      now.filledStake > 0
        ? 'Order has confirmed bets'
        : now.orderStatus === 'PROCESSING'
          ? 'Order is being placed'
          : `Order is ${now.orderStatus}`;
    return { order: now, cancelled: false, reason };
  }

  /**
   * Applies a maker venue's state of a resting bet (by its key) to the bet and its order: matched so far,
   * and when nothing rests any more, the end (the unmatched part's reserve refunded). Idempotent.
   */
  async applyVenueState(
    key: string,
    state: VenueOrderState,
  ): Promise<{ order: OrderRow; bet: BetRow } | null> {
    const bet = await this.deps.repo.betByKey(key);
    return bet ? this.deps.ledger.applyState(bet.betId, state) : null;
  }

  /**
   * Ends what of an order rests on maker venues: each resting bet cancelled at the venue, then its state read
   * back and applied (the matched part kept, the rest refunded). True when none of it rests any more.
   */
  private async endResting(orderId: number): Promise<boolean> {
    const resting = (await this.deps.repo.betsOf([orderId])).filter(isResting);
    if (resting.length === 0) return false;
    let ended = true;
    for (const b of resting) {
      const connector = this.deps.connectors.get(b.bookmaker)?.connector;
      if (!connector) {
        ended = false;
        continue;
      }
      await connector.cancel(b.betRequestId).catch(() => false);
      const state = await venueStateOf(connector, b.betRequestId);
      if (state) await this.deps.ledger.applyState(b.betId, state);
      if (!state?.done) ended = false;
    }
    return ended;
  }

  private async route(
    client: OrderClient,
    order: ClaimedInput,
  ): Promise<{ legs: Leg[] } | { decline: string }> {
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

  /** A test order: validated and routed, its bets recorded as test bets; nothing is sent, no balance moves. */
  private async test(order: ClaimedInput, legs: readonly Leg[]): Promise<PlaceOutcome> {
    const filled = round2(legs.reduce((s, l) => s + l.stake, 0));
    const claimed = await this.deps.repo.claimOrder(order, {
      status: filled >= order.orderStake - 0.005 ? 'FILLED' : 'PARTIALLY_FILLED',
      patch: { filledStake: filled, statusReason: 'Test order: validated, not sent' },
      bets: legs.map((l) => this.newBet(order, l, true)),
      betStatus: 'CONFIRMED',
    });
    if (!claimed) return { kind: 'duplicate', ...ids(order) };
    this.published(claimed.order, claimed.bets);
    return { kind: 'accepted', ...claimed };
  }

  private async execute(
    order: OrderRow,
    bets: readonly BetRow[],
    legs: readonly Leg[],
    abort: AbortController,
  ): Promise<PlaceOutcome> {
    const { ledger } = this.deps;
    const left = order.expiresAt ? Date.parse(order.expiresAt) - Date.now() : 0;
    const expiry = setTimeout(() => abort.abort('expired'), Math.max(0, left));
    let outcomes: BetOutcome[];
    try {
      outcomes = await Promise.all(bets.map((b, i) => this.send(order, b, legs[i] as Leg, abort.signal)));
    } finally {
      clearTimeout(expiry);
    }
    const done = await ledger.complete(order, outcomes);
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

  private newBet(order: ClaimedInput, leg: Leg, test: boolean): ClaimPlan['bets'][number] {
    return {
      bookmaker: leg.account.bookmaker,
      account: leg.account.username,
      placedStake: leg.accountStake,
      placedPrice: test ? leg.quote.price : order.orderPrice,
      placedCurrency: leg.account.currency,
      testBet: test,
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

/** An order about to be claimed: the validated input with its client and bookmaker list. */
type ClaimedInput = NewOrder;

function ids(o: { requestUuid: string; fixtureId: string; outcomeId: number }) {
  return { requestUuid: o.requestUuid, fixtureId: o.fixtureId, outcomeId: o.outcomeId };
}

/** What a maker venue says now of a resting order by key: current (orderStates), else cleared. */
export async function venueStateOf(connector: Connector, key: string): Promise<VenueOrderState | null> {
  const [s] = (await connector.orderStates?.([key])) ?? [];
  if (s)
    return {
      matched: s.sizeMatched,
      done: s.status === 'EXECUTION_COMPLETE',
      bookmakerBetId: s.betId,
      raw: s,
    };
  const [cleared] = await connector.currentOrders([key]);
  if (!cleared) return null;
  return {
    matched: cleared.status === 'accepted' ? cleared.stake : 0,
    done: true,
    bookmakerBetId: cleared.bookmakerBetId,
    reason: (cleared.reason ?? 'cleared').toLowerCase(),
    raw: cleared.raw,
  };
}

/** The selection an order names. */
export function selectionOf(o: Pick<OrderRow, 'fixtureId' | 'outcomeId' | 'playerId' | 'back'>): Selection {
  return { fixtureId: o.fixtureId, outcomeId: o.outcomeId, playerId: o.playerId, back: o.back };
}

function stopReason(signal: AbortSignal): string {
  return signal.reason === 'expired' ? 'Order expired before placement' : 'Cancelled by client';
}
