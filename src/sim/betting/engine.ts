/**
 * The simulated exchange's matching engine: bets placed through the API-NG operations match against the
 * simulated books — an order at or better than the opposite best price takes the offered size (at the
 * offered price, best first), the rest rests unmatched and matches as the book moves through it. In play,
 * a bet waits the market's bet delay before it reaches the book; at the in-play turn unmatched LAPSE bets
 * lapse, PERSIST bets stay, MARKET_ON_CLOSE bets go to the starting price; at the market's close unmatched
 * bets lapse and matched ones settle with the result. Everything happens on the simulator's clock: the
 * simulator calls step() on each of its steps (unit tests drive it), nothing here reads the wall clock.
 */
import type { Clock } from '../../core/clock.js';
import type { SimMarket } from '../market.js';
import { isValidPrice } from '../../model/ticks.js';
import { placeReport, type InstructionReport, type PlaceExecutionReport } from './reports.js';
import { Account } from './account.js';
import {
  averagePriceMatched,
  betProfit,
  orderStatus,
  round2,
  sizeRemaining,
  type BetFill,
  type SimBet,
} from './types.js';
import type { PlaceInstruction } from './instructions.js';

/** The exchange the engine trades on (an ExchangeSimulator). */
export interface ExchangeVenue {
  market(marketId: string): SimMarket | undefined;
  takeOffered(
    m: SimMarket,
    selectionId: number,
    ladder: 'atb' | 'atl',
    price: number,
    amount: number,
  ): number;
}

/** Options of {@link MatchingEngine}. */
export interface MatchingEngineOptions {
  /** The simulator's clock. */
  now: Clock;
  /** Starting balance of the simulated account (default 10 000). */
  balance?: number;
  /** A repeated placeOrders customerRef within this long returns the first report (default 60 s). */
  customerRefWindowMs?: number;
  /** Commission on a market's net winnings (default 0.05: the market base rate 5 %). */
  commissionRate?: number;
  /** Bets kept (cleared ones are forgotten oldest first beyond this; default 100 000). */
  maxBets?: number;
}

/** A bet changed: `fills` are its new matches (empty for other changes). */
export type BetListener = (bet: SimBet, fills: readonly BetFill[]) => void;

/** Where a placement or its instruction failed: an API-NG error code. */
export class BetError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** Fields of a placeOrders call beside the instructions. */
export interface PlaceOptions {
  customerRef?: string | undefined;
  customerStrategyRef?: string | undefined;
}

interface OpenMarket {
  readonly market: SimMarket;
  readonly bets: Set<SimBet>;
  inPlay: boolean;
}

/** Betfair's minimum stake (account currency). */
export const MIN_BET_SIZE = 1;
/** Most instructions in one placeOrders call. */
export const MAX_INSTRUCTIONS = 200;

/** The simulated account's bets and their matching against the simulated books. */
export class MatchingEngine {
  readonly account: Account;
  private readonly now: Clock;
  private readonly refWindowMs: number;
  private readonly maxBets: number;
  private nextBetId = 310_000_000_000;
  private readonly bets = new Map<string, SimBet>();
  private readonly open = new Map<string, OpenMarket>();
  private readonly delayed = new Map<SimBet, () => void>();
  private readonly refs = new Map<string, { at: number; report: Promise<PlaceExecutionReport> }>();
  private readonly listeners = new Set<BetListener>();
  /** FILL_OR_KILL bets not yet at the book: the least they must match. */
  private readonly fillOrKill = new Map<SimBet, number>();

  constructor(
    private readonly venue: ExchangeVenue,
    opts: MatchingEngineOptions,
  ) {
    this.now = opts.now;
    this.refWindowMs = opts.customerRefWindowMs ?? 60_000;
    this.maxBets = opts.maxBets ?? 100_000;
    this.account = new Account(opts.balance ?? 10_000, opts.commissionRate ?? 0.05);
  }

  /** Registers a listener for every bet change; returns its remover. */
  onBet(listener: BetListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A bet by id. */
  bet(betId: string): SimBet | undefined {
    return this.bets.get(betId);
  }

  /** Every bet held, oldest first. */
  all(): IterableIterator<SimBet> {
    return this.bets.values();
  }

  /** Bets not yet settled on markets still open, by market. */
  openBets(): SimBet[] {
    return [...this.open.values()].flatMap((o) => [...o.bets]);
  }

  /**
   * placeOrders: validates each instruction, places the valid ones (matching at once, or after the bet
   * delay in play) and answers with the execution report. A customerRef seen within the window answers
   * the first call's report and places nothing.
   */
  place(
    marketId: string,
    instructions: readonly PlaceInstruction[],
    opts: PlaceOptions = {},
  ): Promise<PlaceExecutionReport> {
    const now = this.now();
    this.forgetRefs(now);
    const ref = opts.customerRef;
    if (ref !== undefined) {
      const seen = this.refs.get(ref);
      if (seen) return seen.report;
    }
    const report = this.placeNow(marketId, instructions, opts, now);
    if (ref !== undefined) this.refs.set(ref, { at: now, report });
    return report;
  }

  private placeNow(
    marketId: string,
    instructions: readonly PlaceInstruction[],
    opts: PlaceOptions,
    now: number,
  ): Promise<PlaceExecutionReport> {
    const fail = (code: string, per: string) =>
      Promise.resolve(
        placeReport(
          marketId,
          opts.customerRef,
          instructions.map((instruction) => ({ status: 'FAILURE', errorCode: per, instruction })),
          code,
        ),
      );
    if (instructions.length === 0 || instructions.length > MAX_INSTRUCTIONS)
      return fail(instructions.length === 0 ? 'INVALID_ORDER' : 'TOO_MANY_INSTRUCTIONS', 'ERROR_IN_ORDER');
    const market = this.venue.market(marketId);
    if (!market) return fail('INVALID_MARKET_ID', 'ERROR_IN_ORDER');
    if (market.status === 'CLOSED') return fail('MARKET_NOT_OPEN_FOR_BETTING', 'MARKET_NOT_OPEN_FOR_BETTING');
    if (market.status === 'SUSPENDED') return fail('MARKET_SUSPENDED', 'MARKET_NOT_OPEN_FOR_BETTING');
    const results = instructions.map((ins) => this.placeOne(market, ins, opts, now));
    return Promise.all(results).then((reports) => placeReport(marketId, opts.customerRef, reports));
  }

  private placeOne(
    market: SimMarket,
    ins: PlaceInstruction,
    opts: PlaceOptions,
    now: number,
  ): Promise<InstructionReport> | InstructionReport {
    let bet: SimBet;
    try {
      bet = this.newBet(market, ins, opts, now);
    } catch (err) {
      const code = err instanceof BetError ? err.code : 'ERROR_IN_ORDER';
      return { status: 'FAILURE', errorCode: code, instruction: ins };
    }
    const fillOrKill = ins.limitOrder?.timeInForce === 'FILL_OR_KILL';
    if (fillOrKill) this.fillOrKill.set(bet, ins.limitOrder?.minFillSize ?? bet.size);
    this.admit(bet);
    const delayMs = market.inPlay ? market.betDelay * 1000 : 0;
    const done = (): InstructionReport => ({
      status: 'SUCCESS',
      instruction: ins,
      betId: bet.betId,
      placedDate: new Date(bet.placedAt).toISOString(),
      averagePriceMatched: averagePriceMatched(bet),
      sizeMatched: bet.sizeMatched,
      orderStatus: fillOrKill && bet.sizeMatched === 0 ? 'EXPIRED' : orderStatus(bet),
    });
    if (delayMs <= 0 || bet.orderType !== 'LIMIT') {
      this.enter(bet);
      return done();
    }
    bet.dueAt = now + delayMs;
    this.emit(bet, []);
    return new Promise<InstructionReport>((resolve) => {
      this.delayed.set(bet, () => resolve(done()));
    });
  }

  private newBet(market: SimMarket, ins: PlaceInstruction, opts: PlaceOptions, now: number): SimBet {
    const runner = market.spec.runners.find((r) => r.selectionId === ins.selectionId);
    if (!runner || (ins.handicap ?? 0) !== 0) throw new BetError('INVALID_RUNNER');
    const base = {
      betId: String(this.nextBetId++),
      marketId: market.id,
      market,
      selectionId: ins.selectionId,
      handicap: 0,
      side: ins.side,
      orderType: ins.orderType,
      placedAt: now,
      dueAt: null,
      fills: [],
      sizeMatched: 0,
      sizeCancelled: 0,
      sizeLapsed: 0,
      sizeVoided: 0,
      cancelledAt: null,
      lapsedAt: null,
      lapseReason: null,
      customerOrderRef: ins.customerOrderRef ?? null,
      customerStrategyRef: opts.customerStrategyRef ?? null,
      settled: null,
    };
    let bet: SimBet;
    if (ins.orderType === 'LIMIT') {
      const lo = ins.limitOrder;
      if (!lo || lo.size === undefined) throw new BetError('ERROR_IN_ORDER');
      if (!isValidPrice(lo.price)) throw new BetError('INVALID_ODDS');
      if (lo.size < MIN_BET_SIZE || round2(lo.size) !== lo.size) throw new BetError('INVALID_BET_SIZE');
      const persistence = lo.persistenceType ?? 'LAPSE';
      if (lo.timeInForce === 'FILL_OR_KILL' && lo.persistenceType !== undefined)
        throw new BetError('TIME_IN_FORCE_CONFLICT');
      if (persistence === 'MARKET_ON_CLOSE' && !market.spec.bspMarket)
        throw new BetError('INVALID_PERSISTENCE_TYPE');
      bet = { ...base, persistence, price: lo.price, size: lo.size, bspLiability: 0 };
    } else {
      if (!market.spec.bspMarket || market.inPlay) throw new BetError('MARKET_NOT_OPEN_FOR_BSP_BETTING');
      const liability = ins.limitOnCloseOrder?.liability ?? ins.marketOnCloseOrder?.liability;
      const limit = ins.limitOnCloseOrder?.price;
      if (liability === undefined) throw new BetError('ERROR_IN_ORDER');
      if (limit !== undefined && !isValidPrice(limit)) throw new BetError('INVALID_ODDS');
      if (liability < MIN_BET_SIZE) throw new BetError('INVALID_BET_SIZE');
      const price = limit ?? (ins.side === 'BACK' ? 1.01 : 1000);
      bet = { ...base, persistence: 'MARKET_ON_CLOSE', price, size: liability, bspLiability: liability };
    }
    if (!this.account.canAfford(this.openBets(), bet)) throw new BetError('INSUFFICIENT_FUNDS');
    return bet;
  }

  private admit(bet: SimBet): void {
    this.bets.set(bet.betId, bet);
    let o = this.open.get(bet.marketId);
    if (!o)
      this.open.set(bet.marketId, (o = { market: bet.market, bets: new Set(), inPlay: bet.market.inPlay }));
    o.bets.add(bet);
    this.trim();
  }

  /**
   * The bet reaches the book: it matches what it can now (LIMIT bets) and is published. A FILL_OR_KILL bet
   * matches only when the book offers at least its minimum fill, and its unmatched rest is cancelled.
   */
  private enter(bet: SimBet): void {
    bet.dueAt = null;
    const need = this.fillOrKill.get(bet);
    const fills =
      bet.orderType === 'LIMIT' && (need === undefined || this.matchable(bet) + 1e-9 >= need)
        ? this.match(bet)
        : [];
    if (need !== undefined) {
      this.fillOrKill.delete(bet);
      const left = sizeRemaining(bet);
      if (left > 0) {
        bet.sizeCancelled = round2(bet.sizeCancelled + left);
        bet.cancelledAt = this.now();
      }
    }
    this.emit(bet, fills);
  }

  /** Size the book offers at or better than the bet's price now. */
  private matchable(bet: SimBet): number {
    const book = bet.market.books.find((b) => b.id === bet.selectionId);
    if (!book) return 0;
    const back = bet.side === 'BACK';
    const prices = back ? book.backP : book.layP;
    const sizes = back ? book.backS : book.layS;
    let sum = 0;
    prices.forEach((p, i) => {
      if (back ? p >= bet.price : p <= bet.price) sum += sizes[i] ?? 0;
    });
    return round2(sum);
  }

  /** Matches the bet's remaining size against the book at or better than its price, best price first. */
  private match(bet: SimBet): BetFill[] {
    const m = bet.market;
    const fills: BetFill[] = [];
    if (m.status !== 'OPEN' || bet.dueAt !== null || bet.orderType !== 'LIMIT') return fills;
    const book = m.books.find((b) => b.id === bet.selectionId);
    if (!book) return fills;
    const back = bet.side === 'BACK';
    for (;;) {
      const left = sizeRemaining(bet);
      const best = back ? book.bestBack : book.bestLay;
      if (left <= 0 || best === null || (back ? best < bet.price : best > bet.price)) break;
      const taken = this.venue.takeOffered(m, bet.selectionId, back ? 'atb' : 'atl', best, left);
      if (taken <= 0) break;
      const fill = { price: best, size: taken, at: this.now() };
      bet.fills.push(fill);
      bet.sizeMatched = round2(bet.sizeMatched + taken);
      fills.push(fill);
    }
    return fills;
  }

  /**
   * One simulator step: bets whose delay is over reach the book, resting bets match the moved books, the
   * in-play turn lapses LAPSE bets (MARKET_ON_CLOSE ones go to the starting price), and closed markets
   * settle.
   */
  step(): void {
    const now = this.now();
    for (const [bet, resolve] of this.delayed) {
      if ((bet.dueAt ?? 0) > now) continue;
      this.delayed.delete(bet);
      if (bet.market.status === 'OPEN') this.enter(bet);
      else {
        bet.dueAt = null;
        this.lapse(bet, now, 'MKT_SUSPENDED');
      }
      resolve();
    }
    for (const [id, o] of this.open) {
      const m = o.market;
      if (m.inPlay && !o.inPlay) {
        o.inPlay = true;
        for (const bet of o.bets) this.turnInPlay(bet, now);
      }
      if (m.status === 'CLOSED') {
        this.settleMarket(o, now);
        this.open.delete(id);
        continue;
      }
      if (m.status !== 'OPEN') continue;
      for (const bet of o.bets) {
        if (bet.dueAt !== null || sizeRemaining(bet) <= 0) continue;
        const fills = this.match(bet);
        if (fills.length > 0) this.emit(bet, fills);
      }
    }
  }

  private turnInPlay(bet: SimBet, now: number): void {
    if (sizeRemaining(bet) <= 0 || bet.dueAt !== null) return;
    if (bet.persistence === 'LAPSE') return this.lapse(bet, now, 'TIME_ELAPSED');
    if (bet.persistence !== 'MARKET_ON_CLOSE') return;
    const sp = bet.market.startingPrice(bet.selectionId);
    const withinLimit = sp !== null && (bet.side === 'BACK' ? sp >= bet.price : sp <= bet.price);
    if (sp === null || !withinLimit) return this.lapse(bet, now, 'LINE_SP');
    // the unmatched stake (a layer's: its liability over the SP's odds) is matched at the starting price
    const size =
      bet.orderType !== 'LIMIT' && bet.side === 'LAY'
        ? round2(bet.bspLiability / (sp - 1))
        : sizeRemaining(bet);
    const fill = { price: sp, size, at: now };
    bet.fills.push(fill);
    bet.sizeMatched = round2(bet.sizeMatched + size);
    if (bet.orderType !== 'LIMIT') (bet as { size: number }).size = round2(bet.sizeMatched);
    this.emit(bet, [fill]);
  }

  private lapse(bet: SimBet, now: number, reason: string): void {
    this.fillOrKill.delete(bet);
    const left = sizeRemaining(bet);
    if (left <= 0) return;
    bet.sizeLapsed = round2(bet.sizeLapsed + left);
    bet.lapsedAt = now;
    bet.lapseReason = reason;
    this.emit(bet, []);
  }

  private settleMarket(o: OpenMarket, now: number): void {
    const winners = new Set(o.market.winners());
    const settled: SimBet[] = [];
    for (const bet of o.bets) {
      const resolve = this.delayed.get(bet);
      if (resolve) {
        this.delayed.delete(bet);
        bet.dueAt = null;
        this.lapse(bet, now, 'MKT_SUSPENDED');
        resolve();
      } else this.lapse(bet, now, 'TIME_ELAPSED');
      if (bet.sizeMatched <= 0) continue;
      const win = winners.has(bet.selectionId);
      // the outcome is the bettor's: a lay of a losing runner wins
      const won = bet.side === 'BACK' ? win : !win;
      bet.settled = { outcome: won ? 'WIN' : 'LOSE', profit: betProfit(bet, win), at: now };
      settled.push(bet);
    }
    this.account.settle(settled);
  }

  /**
   * cancelOrders for one bet: cancels `sizeReduction` of the unmatched part (all of it when absent).
   * Returns the size cancelled; throws a BetError when nothing can be cancelled.
   */
  cancelBet(betId: string, sizeReduction?: number): { bet: SimBet; cancelled: number } {
    const bet = this.bets.get(betId);
    if (!bet || bet.settled) throw new BetError('INVALID_BET_ID');
    const left = sizeRemaining(bet);
    if (left <= 0 || bet.dueAt !== null)
      throw new BetError(left <= 0 ? 'BET_TAKEN_OR_LAPSED' : 'BET_IN_PROGRESS');
    if (sizeReduction !== undefined && (sizeReduction <= 0 || round2(sizeReduction) !== sizeReduction))
      throw new BetError('INVALID_BET_SIZE');
    const cancelled = round2(Math.min(left, sizeReduction ?? left));
    bet.sizeCancelled = round2(bet.sizeCancelled + cancelled);
    bet.cancelledAt = this.now();
    this.emit(bet, []);
    return { bet, cancelled };
  }

  /** updateOrders for one bet: a new persistence type for its unmatched part. */
  updatePersistence(betId: string, persistence: SimBet['persistence']): void {
    const bet = this.bets.get(betId);
    if (!bet || bet.settled) throw new BetError('INVALID_BET_ID');
    if (sizeRemaining(bet) <= 0) throw new BetError('BET_TAKEN_OR_LAPSED');
    if (bet.persistence === persistence) throw new BetError('NO_ACTION_REQUIRED');
    if (persistence === 'MARKET_ON_CLOSE' && !bet.market.spec.bspMarket)
      throw new BetError('INVALID_PERSISTENCE_TYPE');
    bet.persistence = persistence;
    this.emit(bet, []);
  }

  private emit(bet: SimBet, fills: readonly BetFill[]): void {
    for (const l of this.listeners) l(bet, fills);
  }

  private forgetRefs(now: number): void {
    for (const [ref, seen] of this.refs) {
      if (now - seen.at < this.refWindowMs && this.refs.size <= this.maxBets) break;
      this.refs.delete(ref);
    }
  }

  /** Forgets the oldest settled or cleared bets beyond maxBets (open markets' bets are always kept). */
  private trim(): void {
    if (this.bets.size <= this.maxBets) return;
    for (const [id, bet] of this.bets) {
      if (this.bets.size <= this.maxBets) break;
      if (this.open.get(bet.marketId)?.bets.has(bet) && !bet.settled) continue;
      this.bets.delete(id);
    }
  }
}
