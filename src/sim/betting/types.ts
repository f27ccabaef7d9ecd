/**
 * The simulated exchange account's bets, in the terms of Betfair's API-NG betting operations (the
 * simulator keeps its own definitions of what it serves; nothing here is imported by production code).
 */
import type { SimMarket } from '../market.js';

/** Side of a bet. */
export type BetSide = 'BACK' | 'LAY';
/** API-NG OrderType. */
export type OrderType = 'LIMIT' | 'LIMIT_ON_CLOSE' | 'MARKET_ON_CLOSE';
/** API-NG PersistenceType: what happens to the unmatched part at the in-play turn. */
export type PersistenceType = 'LAPSE' | 'PERSIST' | 'MARKET_ON_CLOSE';
/** API-NG OrderStatus. */
export type OrderStatus = 'PENDING' | 'EXECUTION_COMPLETE' | 'EXECUTABLE' | 'EXPIRABLE';

/** One match of a bet: a part matched at a price. */
export interface BetFill {
  readonly price: number;
  readonly size: number;
  readonly at: number;
}

/** How a bet was settled: the bettor's outcome (a lay of a losing runner is a WIN) and profit. */
export interface BetSettlement {
  readonly outcome: 'WIN' | 'LOSE';
  readonly profit: number;
  readonly at: number;
}

/** A bet on the simulated exchange (mutable: the engine owns it and changes it in place). */
export interface SimBet {
  readonly betId: string;
  readonly marketId: string;
  readonly market: SimMarket;
  readonly selectionId: number;
  readonly handicap: number;
  readonly side: BetSide;
  readonly orderType: OrderType;
  persistence: PersistenceType;
  /** Limit price (the requested price; SP bets: their limit, or 1.01 / 1000 for MARKET_ON_CLOSE). */
  price: number;
  /** Requested size (SP bets: the backer's stake, or the layer's liability / (price − 1)). */
  readonly size: number;
  /** SP bets: the liability asked for. */
  readonly bspLiability: number;
  readonly placedAt: number;
  /** While the in-play bet delay runs: when the bet reaches the book. */
  dueAt: number | null;
  readonly fills: BetFill[];
  sizeMatched: number;
  sizeCancelled: number;
  sizeLapsed: number;
  sizeVoided: number;
  cancelledAt: number | null;
  lapsedAt: number | null;
  /** The order stream's lapse status reason code (`lsrc`) when it lapsed. */
  lapseReason: string | null;
  readonly customerOrderRef: string | null;
  readonly customerStrategyRef: string | null;
  settled: BetSettlement | null;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** What is still unmatched and live. */
export function sizeRemaining(b: SimBet): number {
  return Math.max(0, round2(b.size - b.sizeMatched - b.sizeCancelled - b.sizeLapsed - b.sizeVoided));
}

/** The bet's API-NG order status. */
export function orderStatus(b: SimBet): OrderStatus {
  if (b.dueAt !== null) return 'PENDING';
  return sizeRemaining(b) > 0 ? 'EXECUTABLE' : 'EXECUTION_COMPLETE';
}

/** Average price of the matched part (0 when nothing matched). */
export function averagePriceMatched(b: SimBet): number {
  if (b.sizeMatched <= 0) return 0;
  const value = b.fills.reduce((sum, f) => sum + f.price * f.size, 0);
  return round2(value / b.sizeMatched);
}

/** Time of the last match, null before any. */
export function lastMatchedAt(b: SimBet): number | null {
  return b.fills.length > 0 ? (b.fills[b.fills.length - 1] as BetFill).at : null;
}

/**
 * The bet's profit if its runner wins (`win`) or loses: a back wins size × (price − 1) and loses its
 * stake; a lay the reverse. `unmatchedToo` counts the unmatched part as if matched at its price (the
 * worst case the exposure reserves).
 */
export function betProfit(b: SimBet, win: boolean, unmatchedToo = false): number {
  let stake = 0;
  let winnings = 0;
  for (const f of b.fills) {
    stake += f.size;
    winnings += f.size * (f.price - 1);
  }
  if (unmatchedToo) {
    const rest = sizeRemaining(b);
    stake += rest;
    winnings += rest * (b.price - 1);
  }
  const backProfit = win ? winnings : -stake;
  return round2(b.side === 'BACK' ? backProfit : -backProfit);
}

export { round2 };
