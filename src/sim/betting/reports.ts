/**
 * The simulated account's bets in API-NG answer shapes (PlaceExecutionReport, CurrentOrderSummary,
 * ClearedOrderSummary, the Order and Match of listRunnerBook) and as order-stream `uo` entries. Only
 * documented fields: clients build these objects with fixed constructors.
 */
import { averagePriceMatched, lastMatchedAt, orderStatus, sizeRemaining, type SimBet } from './types.js';

/** InstructionReport of a placement. */
export interface InstructionReport {
  status: 'SUCCESS' | 'FAILURE' | 'TIMEOUT';
  errorCode?: string;
  orderStatus?: string;
  instruction: unknown;
  betId?: string;
  placedDate?: string;
  averagePriceMatched?: number;
  sizeMatched?: number;
}

/** PlaceExecutionReport. */
export interface PlaceExecutionReport {
  customerRef?: string;
  status: 'SUCCESS' | 'FAILURE' | 'PROCESSED_WITH_ERRORS' | 'TIMEOUT';
  errorCode?: string;
  marketId: string;
  instructionReports: InstructionReport[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** A PlaceExecutionReport from its instruction reports (the status follows from them unless `errorCode`). */
export function placeReport(
  marketId: string,
  customerRef: string | undefined,
  reports: InstructionReport[],
  errorCode?: string,
): PlaceExecutionReport {
  const failed = reports.filter((r) => r.status === 'FAILURE').length;
  const out: PlaceExecutionReport = { status: 'SUCCESS', marketId, instructionReports: reports };
  if (customerRef !== undefined) out.customerRef = customerRef;
  if (errorCode !== undefined || failed === reports.length) {
    out.status = 'FAILURE';
    out.errorCode = errorCode ?? 'BET_ACTION_ERROR';
  } else if (failed > 0) {
    out.status = 'PROCESSED_WITH_ERRORS';
    out.errorCode = 'PROCESSED_WITH_ERRORS';
  }
  return out;
}

/** CurrentOrderSummary. */
export function currentOrder(b: SimBet, itemDescription: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = {
    betId: b.betId,
    marketId: b.marketId,
    selectionId: b.selectionId,
    handicap: b.handicap,
    priceSize: { price: b.price, size: b.size },
    bspLiability: b.bspLiability,
    side: b.side,
    status: orderStatus(b),
    persistenceType: b.persistence,
    orderType: b.orderType,
    placedDate: iso(b.placedAt),
    averagePriceMatched: averagePriceMatched(b),
    sizeMatched: b.sizeMatched,
    sizeRemaining: sizeRemaining(b),
    sizeLapsed: b.sizeLapsed,
    sizeCancelled: b.sizeCancelled,
    sizeVoided: b.sizeVoided,
    regulatorCode: 'MALTA LOTTERIES AND GAMBLING AUTHORITY',
  };
  const matched = lastMatchedAt(b);
  if (matched !== null) o.matchedDate = iso(matched);
  if (b.lapsedAt !== null) o.lapsedDate = iso(b.lapsedAt);
  if (b.cancelledAt !== null) o.cancelledDate = iso(b.cancelledAt);
  if (b.customerOrderRef !== null) o.customerOrderRef = b.customerOrderRef;
  if (b.customerStrategyRef !== null) o.customerStrategyRef = b.customerStrategyRef;
  if (itemDescription) o.currentItemDescription = { marketVersion: { version: 1 } };
  return o;
}

/** Which listClearedOrders betStatus a bet belongs to, null while it is not cleared. */
export function clearedStatus(b: SimBet): 'SETTLED' | 'LAPSED' | 'CANCELLED' | 'VOIDED' | null {
  if (b.settled) return 'SETTLED';
  if (b.sizeMatched > 0 || sizeRemaining(b) > 0 || b.dueAt !== null) return null;
  if (b.sizeVoided > 0) return 'VOIDED';
  if (b.sizeLapsed > 0) return 'LAPSED';
  return b.sizeCancelled > 0 ? 'CANCELLED' : null;
}

/** ClearedOrderSummary (grouped by bet). */
export function clearedOrder(b: SimBet, itemDescription: boolean): Record<string, unknown> {
  const ev = b.market.event;
  const o: Record<string, unknown> = {
    eventTypeId: ev.eventTypeId,
    eventId: ev.eventId,
    marketId: b.marketId,
    selectionId: b.selectionId,
    handicap: b.handicap,
    betId: b.betId,
    placedDate: iso(b.placedAt),
    persistenceType: b.persistence,
    orderType: b.orderType,
    side: b.side,
    priceRequested: b.price,
    priceReduced: false,
    betCount: 1,
  };
  const settledAt = b.settled?.at ?? b.lapsedAt ?? b.cancelledAt;
  if (settledAt !== null && settledAt !== undefined) o.settledDate = iso(settledAt);
  const matched = lastMatchedAt(b);
  if (matched !== null) o.lastMatchedDate = iso(matched);
  if (b.settled) {
    o.betOutcome = b.settled.outcome === 'WIN' ? 'WON' : 'LOST';
    o.priceMatched = averagePriceMatched(b);
    o.sizeSettled = b.sizeMatched;
    o.profit = b.settled.profit;
  }
  if (b.sizeCancelled > 0) o.sizeCancelled = b.sizeCancelled;
  if (b.customerOrderRef !== null) o.customerOrderRef = b.customerOrderRef;
  if (b.customerStrategyRef !== null) o.customerStrategyRef = b.customerStrategyRef;
  if (itemDescription) {
    const runner = b.market.spec.runners.find((r) => r.selectionId === b.selectionId);
    o.itemDescription = {
      eventTypeDesc: ev.sport,
      eventDesc: ev.name,
      marketDesc: b.market.spec.name,
      marketType: b.market.spec.marketType,
      marketStartTime: iso(ev.startAt),
      runnerDesc: runner?.name ?? String(b.selectionId),
      numberOfWinners: b.market.spec.numberOfWinners,
    };
  }
  return o;
}

/** listRunnerBook / listMarketBook `orders[]` entry (Order). */
export function runnerBookOrder(b: SimBet): Record<string, unknown> {
  const o: Record<string, unknown> = {
    betId: b.betId,
    orderType: b.orderType,
    status: orderStatus(b),
    persistenceType: b.persistence,
    side: b.side,
    price: b.price,
    size: b.size,
    bspLiability: b.bspLiability,
    placedDate: iso(b.placedAt),
    avgPriceMatched: averagePriceMatched(b),
    sizeMatched: b.sizeMatched,
    sizeRemaining: sizeRemaining(b),
    sizeLapsed: b.sizeLapsed,
    sizeCancelled: b.sizeCancelled,
    sizeVoided: b.sizeVoided,
  };
  if (b.customerOrderRef !== null) o.customerOrderRef = b.customerOrderRef;
  if (b.customerStrategyRef !== null) o.customerStrategyRef = b.customerStrategyRef;
  return o;
}

/** listRunnerBook / listMarketBook `matches[]` of a runner's bets, per the MatchProjection. */
export function runnerMatches(bets: readonly SimBet[], projection: string): Record<string, unknown>[] {
  if (projection === 'NO_ROLLUP') {
    return bets.flatMap((b) =>
      b.fills.map((f, i) => ({
        betId: b.betId,
        matchId: `${b.betId}-${i + 1}`,
        side: b.side,
        price: f.price,
        size: f.size,
        matchDate: iso(f.at),
      })),
    );
  }
  const rolled = new Map<string, { side: string; value: number; size: number; price: number }>();
  for (const b of bets) {
    for (const f of b.fills) {
      const key = projection === 'ROLLED_UP_BY_PRICE' ? `${b.side}:${f.price}` : b.side;
      const r = rolled.get(key) ?? { side: b.side, value: 0, size: 0, price: f.price };
      r.value += f.price * f.size;
      r.size += f.size;
      rolled.set(key, r);
    }
  }
  return [...rolled.values()].map((r) => ({
    side: r.side,
    price: projection === 'ROLLED_UP_BY_PRICE' ? r.price : Math.round((r.value / r.size) * 100) / 100,
    size: Math.round(r.size * 100) / 100,
  }));
}

/** An order-stream `uo` entry. */
export interface StreamOrder {
  id: string;
  p: number;
  s: number;
  side: 'B' | 'L';
  status: 'E' | 'EC';
  [key: string]: unknown;
}

/** The order stream's `uo` entry of a bet. */
export function streamOrder(b: SimBet): StreamOrder {
  const o: StreamOrder = {
    id: b.betId,
    p: b.price,
    s: b.size,
    bsp: b.bspLiability,
    side: b.side === 'BACK' ? 'B' : 'L',
    status: orderStatus(b) === 'EXECUTION_COMPLETE' ? 'EC' : 'E',
    pt: b.persistence === 'LAPSE' ? 'L' : b.persistence === 'PERSIST' ? 'P' : 'MOC',
    ot: b.orderType === 'LIMIT' ? 'L' : b.orderType === 'LIMIT_ON_CLOSE' ? 'LOC' : 'MOC',
    pd: b.placedAt,
    sm: b.sizeMatched,
    sr: sizeRemaining(b),
    sl: b.sizeLapsed,
    sc: b.sizeCancelled,
    sv: b.sizeVoided,
    rac: '',
    rc: 'REG_GGC',
    rfo: b.customerOrderRef ?? '',
    rfs: b.customerStrategyRef ?? '',
  };
  if (b.sizeMatched > 0) o.avp = averagePriceMatched(b);
  const matched = lastMatchedAt(b);
  if (matched !== null) o.md = matched;
  if (b.cancelledAt !== null) o.cd = b.cancelledAt;
  if (b.lapsedAt !== null) o.ld = b.lapsedAt;
  if (b.lapseReason !== null) o.lsrc = b.lapseReason;
  return o;
}
