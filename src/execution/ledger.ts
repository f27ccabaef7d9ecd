import type { Kysely } from 'kysely';
import type { BetChange, BetPatch, ExecutionRepository, OrderPatch } from './repository.js';
import { round2, type BetRow, type OrderRow } from './rows.js';
import type { AccountDirectory, ExecutionPublisher, PlacedBet } from './types.js';

/** What a bet risks, in its currency: the stake backing, the liability laying. */
export function exposureOf(b: Pick<BetRow, 'back' | 'placedStake' | 'placedPrice'>): number {
  return b.back ? b.placedStake : round2(b.placedStake * Math.max((b.placedPrice ?? 1) - 1, 0));
}

/** The order-currency stake a bet stands for (kept in its oddsInfo when it was planned). */
export function orderStakeOf(b: BetRow): number {
  const info = b.oddsInfo as { orderStake?: number } | null;
  return typeof info?.orderStake === 'number' ? info.orderStake : b.placedStake;
}

/** True for a bet placed on a maker venue (its order rests on the book; `placedStake` is what matched). */
export function isMakerBet(b: Pick<BetRow, 'oddsInfo'>): boolean {
  return (b.oddsInfo as { maker?: unknown } | null)?.maker === true;
}

/** The stake a bet put on the book (what was sent), whatever has matched of it. */
export function sentStakeOf(b: Pick<BetRow, 'sentData' | 'placedStake'>): number {
  const stake = (b.sentData as { stake?: unknown } | null)?.stake;
  return typeof stake === 'number' ? stake : b.placedStake;
}

/** A maker bet resting on the book: PLACED with the venue's bet id (an unknown placement has none). */
export function isResting(b: BetRow): boolean {
  return b.betStatus === 'PLACED' && b.bookmakerBetId !== null && isMakerBet(b);
}

/** The order-currency stake a bet fills: a maker bet's matched share of it, else all of it. */
function filledOf(b: BetRow): number {
  if (!isMakerBet(b)) return orderStakeOf(b);
  const sent = sentStakeOf(b);
  return sent > 0 ? (orderStakeOf(b) * b.placedStake) / sent : 0;
}

/** What a venue says of a resting order: matched so far (cumulative) and whether anything still rests. */
export interface VenueOrderState {
  matched: number;
  done: boolean;
  bookmakerBetId?: string;
  /** Why the rest ended (cancelled, lapsed), when `done`. */
  reason?: string;
  raw?: unknown;
}

/** What came back for one bet of an order being placed. */
export type BetOutcome =
  | { bet: BetRow; kind: 'confirm'; answer: PlacedBet }
  | {
      bet: BetRow;
      kind: 'close';
      to: 'REJECTED' | 'FAILED' | 'CANCELLED';
      reason: string;
      received?: unknown;
    }
  | { bet: BetRow; kind: 'unknown'; reason: string };

/**
 * The state changes shared by placement, reconciliation and settlement: a bet confirmed (with the balance
 * debited in the same transaction), an order finalized from its bets. Each publishes what changed after
 * its transaction committed.
 */
export class BetLedger {
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly repo: ExecutionRepository,
    private readonly accounts: AccountDirectory,
    private readonly publisher: ExecutionPublisher,
  ) {}

  /** A bookmaker accepted the bet: CONFIRMED with what came back, balance debited; null if already final. */
  async confirm(bet: BetRow, answer: PlacedBet, how: string): Promise<BetRow | null> {
    let balance: number | null = null;
    const done = await this.db.transaction().execute(async (trx) => {
      const b = await this.repo.betTo(
        trx,
        bet.betId,
        ['PENDING', 'PLACED'],
        'CONFIRMED',
        {
          bookmakerBetId: answer.bookmakerBetId,
          placedPrice: answer.price,
          placedStake: answer.stake,
          receivedData: answer.raw,
          placedAt: new Date(),
        },
        { reason: how, received: answer.raw },
      );
      if (b)
        balance = await this.accounts.adjustBalance(
          trx,
          b.clientName,
          b.bookmaker,
          b.account,
          -exposureOf(b),
        );
      return b;
    });
    if (done) {
      this.publisher.publish('bets', 'UPDATE', done, done.clientName);
      this.publishBalance(done, balance);
    }
    return done;
  }

  /** A bet that did not take: REJECTED, FAILED or CANCELLED with the reason; null if already final. */
  async close(
    bet: BetRow,
    to: 'REJECTED' | 'FAILED' | 'CANCELLED',
    reason: string,
    received?: unknown,
  ): Promise<BetRow | null> {
    const b = await this.repo.betTo(
      this.db,
      bet.betId,
      ['PENDING', 'PLACED'],
      to,
      { declineReason: reason, ...(received !== undefined ? { receivedData: received } : {}) },
      { reason },
    );
    if (b) this.publisher.publish('bets', 'UPDATE', b, b.clientName);
    return b;
  }

  /**
   * Applies what a maker venue says of a resting bet (matched so far, whether anything still rests) to the
   * bet and its order — one transaction with their audit rows, the order row locked. Matched stake only
   * grows (a lower report changes nothing); the same state twice changes nothing (null). When nothing rests
   * any more the bet ends CONFIRMED with what matched (CANCELLED when nothing did) and the exposure reserved
   * for the unmatched part goes back to the balance in the same transaction.
   */
  async applyState(betId: number, s: VenueOrderState): Promise<{ order: OrderRow; bet: BetRow } | null> {
    const first = await this.repo.bet(betId);
    const open = (b: BetRow | null) => b && (b.betStatus === 'PLACED' || b.betStatus === 'PENDING');
    if (!open(first)) return null;
    const published: (() => void)[] = [];
    const out = await this.db.transaction().execute(async (trx) => {
      const order = await this.repo.order((first as BetRow).orderId, trx);
      const bet = await this.repo.bet(betId, trx);
      if (!order || !bet || !open(bet) || !isMakerBet(bet)) return null;
      const change = restingChange(bet, s);
      if (!change) return null;
      const b = await this.repo.betTo(trx, betId, ['PENDING', 'PLACED'], change.to, change.patch, {
        reason: change.reason,
        received: s.raw,
      });
      if (!b) return null;
      const balance =
        change.delta === 0
          ? null
          : await this.accounts.adjustBalance(trx, b.clientName, b.bookmaker, b.account, change.delta);
      published.push(() => {
        this.publisher.publish('bets', 'UPDATE', b, b.clientName);
        this.publishBalance(b, balance);
      });
      const next = orderStateOf(order, await this.repo.betsOf([order.orderId], trx));
      if (!next || (next.status === order.orderStatus && next.filled === order.filledStake))
        return { order, bet: b };
      const o = await this.repo.orderTo(trx, order.orderId, ['PROCESSING', 'PARTIALLY_FILLED'], next.status, {
        filledStake: next.filled,
        filledAt: next.filled > 0 ? new Date() : null,
        statusReason: next.reason,
      });
      if (o) published.push(() => this.publisher.publish('orders', 'UPDATE', o, o.clientName));
      return { order: o ?? order, bet: b };
    });
    for (const p of published) p();
    return out;
  }

  /** Sent, outcome unknown: PLACED until reconciliation finds it at the bookmaker (or not). */
  async unknown(bet: BetRow, reason: string): Promise<void> {
    const b = await this.repo.betTo(this.db, bet.betId, ['PENDING'], 'PLACED', {}, { reason });
    if (b) this.publisher.publish('bets', 'UPDATE', b, b.clientName);
  }

  /**
   * Records what came back for every bet of an order and, unless one is unknown, the order's final state —
   * one transaction (each change with its audit row), published after it committed.
   */
  async complete(
    order: OrderRow,
    outcomes: readonly BetOutcome[],
  ): Promise<{ order: OrderRow; bets: BetRow[] }> {
    const atOnce = this.accounts.balanceStatement || this.accounts.outsideTransactions;
    const rests = outcomes.some((o) => o.kind === 'confirm' && restsOn(o.answer));
    if (atOnce && !rests && outcomes.length > 0) return this.completeAtOnce(order, outcomes);
    const published: (() => void)[] = [];
    const out = await this.db.transaction().execute(async (trx) => {
      const bets: BetRow[] = [];
      for (const o of outcomes) {
        const b = await this.record(trx, o);
        if (b) {
          bets.push(b.bet);
          published.push(b.publish);
        } else bets.push(o.bet);
      }
      const next = orderStateOf(order, bets);
      if (!next || (next.status === 'PROCESSING' && next.filled === 0)) return { order, bets };
      const done = await this.repo.orderTo(trx, order.orderId, ['PROCESSING'], next.status, {
        filledStake: next.filled,
        filledAt: next.filled > 0 ? new Date() : null,
        statusReason: next.reason,
      });
      if (done) published.push(() => this.publisher.publish('orders', 'UPDATE', done, done.clientName));
      return { order: done ?? order, bets };
    });
    for (const p of published) p();
    return out;
  }

  /** `complete` as one statement (repository.completeOrder), when the balance can join it. */
  private async completeAtOnce(
    order: OrderRow,
    outcomes: readonly BetOutcome[],
  ): Promise<{ order: OrderRow; bets: BetRow[] }> {
    const stmt = this.accounts.balanceStatement?.bind(this.accounts);
    const changes = outcomes.map((o) => changeOf(o, stmt));
    const final = outcomes.some((o) => o.kind === 'unknown') ? null : expectedFinal(order, outcomes);
    const done = await this.repo.completeOrder(order.orderId, changes, final);
    const bets = done.bets.map((b, i) => b ?? (outcomes[i] as BetOutcome).bet);
    for (const [i, b] of done.bets.entries()) {
      if (!b) continue;
      this.publisher.publish('bets', 'UPDATE', b, b.clientName);
      if (b.betStatus !== 'CONFIRMED') continue;
      const balance = stmt
        ? (done.balances[i] ?? null)
        : await this.accounts.adjustBalance(this.db, b.clientName, b.bookmaker, b.account, -exposureOf(b));
      this.publishBalance(b, balance);
    }
    if (done.order) {
      this.publisher.publish('orders', 'UPDATE', done.order, done.order.clientName);
      return { order: done.order, bets };
    }
    // A bet moved elsewhere first (reconciliation, a cancel): the order's state comes from the stored bets.
    if (final)
      return {
        order: (await this.finalize(order.orderId)) ?? (await this.repo.order(order.orderId)) ?? order,
        bets,
      };
    return { order, bets };
  }

  private async record(
    trx: Kysely<unknown>,
    o: BetOutcome,
  ): Promise<{ bet: BetRow; publish: () => void } | null> {
    if (o.kind === 'confirm') {
      const a = o.answer;
      const rests = restsOn(a);
      const b = await this.repo.betTo(
        trx,
        o.bet.betId,
        ['PENDING', 'PLACED'],
        rests ? 'PLACED' : 'CONFIRMED',
        {
          bookmakerBetId: a.bookmakerBetId,
          placedPrice: a.price,
          placedStake: rests ? round2(a.matched ?? 0) : a.stake,
          receivedData: a.raw,
          placedAt: new Date(),
        },
        { reason: rests ? `resting: matched ${a.matched ?? 0} of ${a.stake}` : 'placed', received: a.raw },
      );
      if (!b) return null;
      // a resting order reserves the exposure of all it put on the book; a cancel refunds the unmatched part
      const reserved = exposureOf({ back: b.back, placedStake: a.stake, placedPrice: a.price });
      const balance = await this.accounts.adjustBalance(trx, b.clientName, b.bookmaker, b.account, -reserved);
      return {
        bet: b,
        publish: () => {
          this.publisher.publish('bets', 'UPDATE', b, b.clientName);
          this.publishBalance(b, balance);
        },
      };
    }
    const b =
      o.kind === 'close'
        ? await this.repo.betTo(
            trx,
            o.bet.betId,
            ['PENDING', 'PLACED'],
            o.to,
            { declineReason: o.reason, ...(o.received !== undefined ? { receivedData: o.received } : {}) },
            { reason: o.reason },
          )
        : await this.repo.betTo(trx, o.bet.betId, ['PENDING'], 'PLACED', {}, { reason: o.reason });
    return b ? { bet: b, publish: () => this.publisher.publish('bets', 'UPDATE', b, b.clientName) } : null;
  }

  /**
   * Gives a PROCESSING order its final state from its bets, unless one is still unresolved: FILLED when the
   * bets cover the stake, PARTIALLY_FILLED when some do, else EXPIRED / CANCELLED / REJECTED / FAILED after
   * what stopped them.
   */
  async finalize(orderId: number): Promise<OrderRow | null> {
    const o = await this.db.transaction().execute(async (trx) => {
      const order = await this.repo.order(orderId, trx);
      const bets = await this.repo.betsOf([orderId], trx);
      if (bets.some((b) => b.betStatus === 'PENDING' || b.betStatus === 'PLACED')) return null;
      if (!order || order.orderStatus !== 'PROCESSING') return null;
      const next = orderStateOf(order, bets);
      if (!next) return null;
      return this.repo.orderTo(trx, orderId, ['PROCESSING'], next.status, {
        filledStake: next.filled,
        filledAt: next.filled > 0 ? new Date() : null,
        statusReason: next.reason,
      });
    });
    if (o) this.publisher.publish('orders', 'UPDATE', o, o.clientName);
    return o;
  }

  private publishBalance(b: BetRow, balance: number | null): void {
    if (balance === null) return;
    this.publisher.publish(
      'balance',
      'UPDATE',
      {
        clientName: b.clientName,
        bookmaker: b.bookmaker,
        username: b.account,
        balance,
        currency: b.placedCurrency,
        ts: Date.now(),
      },
      b.clientName,
    );
  }

  /** Balance change of a settlement (exposure back plus the result), published. */
  async credit(trx: Kysely<unknown>, b: BetRow, amount: number): Promise<() => void> {
    const balance = await this.accounts.adjustBalance(trx, b.clientName, b.bookmaker, b.account, amount);
    return () => this.publishBalance(b, balance);
  }
}

/**
 * The change a venue state makes to a resting bet, null when none: matched stake (never lower, never above
 * what was sent), the end of the rest, and the balance delta (reserve on the first answer known, refund of
 * the unmatched part's exposure at the end).
 */
function restingChange(
  bet: BetRow,
  s: VenueOrderState,
): { to: 'PLACED' | 'CONFIRMED' | 'CANCELLED'; patch: BetPatch; reason: string; delta: number } | null {
  // known: the placement's answer was recorded (its reserve debited); else this is the first news of it
  const known = bet.betStatus === 'PLACED' && bet.bookmakerBetId !== null;
  const sent = sentStakeOf(bet);
  const prev = known ? bet.placedStake : 0;
  const matched = Math.min(sent, Math.max(prev, round2(s.matched)));
  const done = s.done || matched >= sent - 0.005;
  if (!done && known && matched === prev) return null;
  const exposure = (stake: number) =>
    exposureOf({ back: bet.back, placedStake: stake, placedPrice: bet.placedPrice });
  const reserved = known ? exposure(sent) : 0;
  const bookmakerBetId = bet.bookmakerBetId ?? s.bookmakerBetId ?? null;
  if (!done)
    return {
      to: 'PLACED',
      patch: { placedStake: matched, bookmakerBetId },
      reason: `resting: matched ${matched} of ${sent}`,
      delta: round2(reserved - exposure(sent)),
    };
  const ended = s.reason ?? 'cancelled';
  return {
    to: matched > 0 ? 'CONFIRMED' : 'CANCELLED',
    patch: {
      placedStake: matched,
      bookmakerBetId,
      ...(matched > 0 ? {} : { declineReason: `Not matched: ${ended} at the exchange` }),
    },
    reason: matched >= sent - 0.005 ? 'matched in full' : `matched ${matched} of ${sent}, rest ${ended}`,
    delta: round2(reserved - exposure(matched)),
  };
}

/** A maker venue's answer that leaves part of the order resting on the book. */
function restsOn(a: PlacedBet): boolean {
  return a.resting === true && (a.matched ?? 0) < a.stake - 0.005;
}

/**
 * The order's state from its bets: null while a placement is unresolved (PENDING, or PLACED with no answer);
 * while a maker bet rests, PROCESSING (nothing matched) or PARTIALLY_FILLED (part matched); else final.
 */
export function orderStateOf(
  order: OrderRow,
  bets: readonly BetRow[],
): { status: OrderRow['orderStatus']; filled: number; reason: string | null } | null {
  if (bets.some((b) => b.betStatus === 'PENDING' || (b.betStatus === 'PLACED' && !isResting(b)))) return null;
  const counted = bets.filter((b) => b.betStatus === 'CONFIRMED' || isResting(b));
  const filled = round2(counted.reduce((s, b) => s + filledOf(b), 0));
  if (bets.some(isResting))
    return { status: filled > 0 ? 'PARTIALLY_FILLED' : 'PROCESSING', filled, reason: null };
  const remainder = bets.find((b) => isMakerBet(b) && b.placedStake < sentStakeOf(b) - 0.005);
  const { status, reason } = finalStatus(order, bets, filled);
  return {
    status,
    filled,
    reason: reason ?? (remainder ? 'Unmatched remainder ended at the exchange' : null),
  };
}

function finalStatus(
  order: OrderRow,
  bets: readonly BetRow[],
  filled: number,
): { status: OrderRow['orderStatus']; reason: string | null } {
  if (filled >= order.orderStake - 0.005) return { status: 'FILLED', reason: null };
  const why = bets.find((b) => b.betStatus !== 'CONFIRMED')?.declineReason ?? null;
  if (filled > 0) return { status: 'PARTIALLY_FILLED', reason: why };
  if (bets.length > 0 && bets.every((b) => b.betStatus === 'CANCELLED')) {
    const expired = bets.some((b) => b.declineReason?.startsWith('Order expired'));
    return { status: expired ? 'EXPIRED' : 'CANCELLED', reason: why };
  }
  if (bets.some((b) => b.betStatus === 'REJECTED')) return { status: 'REJECTED', reason: why };
  return { status: 'FAILED', reason: why ?? 'No bet was placed' };
}

type BalanceStatement = NonNullable<AccountDirectory['balanceStatement']>;

/** What `completeOrder` writes for one outcome (a confirmation with its balance debit statement). */
function changeOf(o: BetOutcome, stmt: BalanceStatement | undefined): BetChange {
  const { betId, clientName, bookmaker, account } = o.bet;
  if (o.kind === 'confirm') {
    const a = o.answer;
    const debit = exposureOf({ back: o.bet.back, placedStake: a.stake, placedPrice: a.price });
    return {
      betId,
      from: ['PENDING', 'PLACED'],
      to: 'CONFIRMED',
      patch: {
        bookmakerBetId: a.bookmakerBetId,
        placedPrice: a.price,
        placedStake: a.stake,
        receivedData: a.raw,
        placedAt: new Date(),
      },
      note: { reason: 'placed', received: a.raw },
      balance: stmt && ((when) => stmt(clientName, bookmaker, account, -debit, when)),
    };
  }
  if (o.kind === 'close') {
    const received = o.received !== undefined ? { receivedData: o.received } : {};
    return {
      betId,
      from: ['PENDING', 'PLACED'],
      to: o.to,
      patch: { declineReason: o.reason, ...received },
      note: { reason: o.reason },
    };
  }
  return { betId, from: ['PENDING'], to: 'PLACED', patch: {}, note: { reason: o.reason } };
}

/** The order's final state as it will be when every bet moves (completeOrder checks that they all did). */
function expectedFinal(
  order: OrderRow,
  outcomes: readonly BetOutcome[],
): { status: OrderRow['orderStatus']; patch: OrderPatch } {
  const expected = outcomes.map((o) =>
    o.kind === 'confirm'
      ? { ...o.bet, betStatus: 'CONFIRMED' as const }
      : o.kind === 'close'
        ? { ...o.bet, betStatus: o.to, declineReason: o.reason }
        : { ...o.bet, betStatus: 'PLACED' as const },
  );
  const filled = round2(
    expected.filter((b) => b.betStatus === 'CONFIRMED').reduce((s, b) => s + orderStakeOf(b), 0),
  );
  const { status, reason } = finalStatus(order, expected, filled);
  return {
    status,
    patch: { filledStake: filled, filledAt: filled > 0 ? new Date() : null, statusReason: reason },
  };
}
