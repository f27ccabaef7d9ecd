/**
 * One simulated market: its runners' books, status, in-play flag, settlement and the Betfair market
 * definition that describes it (rebuilt only when something in it changes).
 */
import { RunnerBook, type QuoteStyle } from './book.js';
import type { ScheduledEvent, SimMarketSpec } from './fixture.js';
import { hash32, type Prng } from './random.js';
import { MAX_PRICE, MIN_PRICE, priceAt, tickIndex } from '../model/ticks.js';
import type {
  StreamMarketChange,
  StreamMarketDefinition,
  StreamRunnerChange,
  StreamRunnerDefinition,
} from './stream-types.js';

/** Market status as the stream reports it. */
export type SimMarketStatus = 'OPEN' | 'SUSPENDED' | 'CLOSED';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Margin on the book sums, so that no summing order finds an arbitrage in floating point. */
const SUM_EPS = 1e-9;

/** Where a runner's best prices may go when it is requoted alone. */
export interface QuoteLimits {
  /** Highest best back price. */
  maxBack: number;
  /** Lowest best lay price. */
  minLay: number;
}

/** A market on the simulated exchange. */
export class SimMarket {
  readonly id: string;
  readonly books: RunnerBook[];
  /** Fair probability per runner (runner order) that the books quote around. */
  readonly fair: Float64Array;
  status: SimMarketStatus = 'OPEN';
  inPlay = false;
  betDelay = 0;
  bspReconciled = false;
  /** Market traded volume. */
  tv = 0;
  private version: number;
  private settledAt: number | null = null;
  private readonly runnerStatus: StreamRunnerDefinition['status'][];
  private readonly bsp: (number | null)[];
  private adjustment: number[] | null = null;
  private def: StreamMarketDefinition | null = null;
  private readonly lim: QuoteLimits = { maxBack: Infinity, minLay: 0 };

  constructor(
    readonly spec: SimMarketSpec,
    readonly event: ScheduledEvent,
  ) {
    this.id = spec.marketId;
    this.books = spec.runners.map((r) => new RunnerBook(r.selectionId));
    this.fair = new Float64Array(spec.runners.length).fill(1 / spec.runners.length);
    this.runnerStatus = spec.runners.map(() => 'ACTIVE');
    this.bsp = spec.runners.map(() => null);
    this.version = 1_000_000_000 + (hash32('version', spec.marketId) % 3_000_000_000);
  }

  /**
   * The limits within which runner r may be requoted alone so that the market holds no arbitrage on its
   * own: with W winners, Σ 1/best back ≥ W and Σ 1/best lay ≤ W whenever every runner has a price on
   * that side (see src/books/arbitrage.ts). No limit while another runner lacks a price on that side.
   * Written to a shared object (hot path): read it before the next call.
   */
  limits(r: number): Readonly<QuoteLimits> {
    const lim = this.lim;
    lim.maxBack = Infinity;
    lim.minLay = 0;
    if (this.books.length < 2) return lim;
    let backSum = 0;
    let laySum = 0;
    let allBack = true;
    let allLay = true;
    for (let j = 0; j < this.books.length; j++) {
      if (j === r) continue;
      const b = this.books[j] as RunnerBook;
      const back = b.bestBack;
      const lay = b.bestLay;
      if (back === null) allBack = false;
      else backSum += 1 / back;
      if (lay === null) allLay = false;
      else laySum += 1 / lay;
    }
    const w = this.spec.numberOfWinners;
    // 1/back ≥ w − backSum and 1/lay ≤ w − laySum, with a margin
    const backNeed = w + SUM_EPS - backSum;
    const layRoom = w - SUM_EPS - laySum;
    if (allBack && backNeed > 0) lim.maxBack = 1 / backNeed;
    if (allLay) lim.minLay = layRoom > 0 ? 1 / layRoom : Infinity;
    return lim;
  }

  /** Requotes runner r alone around `prob` within its limits. Returns the change, or null when nothing moved. */
  quoteRunner(r: number, prob: number, style: QuoteStyle, rng: Prng): StreamRunnerChange | null {
    const book = this.books[r];
    if (!book) return null;
    const { maxBack, minLay } = this.limits(r);
    return book.quote(prob, style, rng, maxBack, minLay);
  }

  /**
   * True when runner r's last quote was held back by the limits and the others have since left room
   * for at least one tick towards its fair price (a requote would move it).
   */
  released(r: number): boolean {
    const b = this.books[r];
    if (!b || (!b.backHeld && !b.layHeld)) return false;
    const { maxBack, minLay } = this.limits(r);
    const back = b.bestBack;
    const lay = b.bestLay;
    if (b.backHeld && maxBack >= (back === null ? MIN_PRICE : priceAt(tickIndex(back) + 1))) return true;
    return b.layHeld && minLay <= (lay === null ? MAX_PRICE : priceAt(tickIndex(lay) - 1));
  }

  /**
   * Requotes every runner around `fair` (a new market, a reopen) and passes each change to `emit`.
   * Likeliest first: the runners before the last are quoted freely (a side with a runner still to quote
   * cannot be an arbitrage), the last within the limits the others leave.
   */
  quoteAll(
    fair: ArrayLike<number>,
    style: QuoteStyle,
    rng: Prng,
    emit: (rc: StreamRunnerChange) => void,
  ): void {
    const order = this.books.map((_, i) => i).sort((a, b) => (fair[b] ?? 0) - (fair[a] ?? 0));
    const last = order.pop();
    for (const i of order) {
      const rc = (this.books[i] as RunnerBook).quote(fair[i] ?? 0, style, rng);
      if (rc) emit(rc);
    }
    if (last === undefined) return;
    const rc = this.quoteRunner(last, fair[last] ?? 0, style, rng);
    if (rc) emit(rc);
  }

  /** Sets status / in-play / bet delay; the definition is re-sent when anything changed. Returns true then. */
  setState(status: SimMarketStatus, inPlay: boolean, betDelay: number): boolean {
    if (status === this.status && inPlay === this.inPlay && betDelay === this.betDelay) return false;
    this.status = status;
    this.inPlay = inPlay;
    this.betDelay = betDelay;
    this.touch();
    return true;
  }

  /** Fixes starting prices from fair odds (racing, at the off). */
  reconcileBsp(noise: () => number): void {
    if (!this.spec.bspMarket || this.bspReconciled) return;
    this.fair.forEach((p, i) => {
      this.bsp[i] = Math.min(1000, Math.max(1.01, round2((1 / p) * (0.95 + 0.1 * noise()))));
    });
    this.bspReconciled = true;
    this.touch();
  }

  /** Adjustment factors (racing WIN markets): the runners' win chances in percent when the market opens. */
  setAdjustmentFactors(): void {
    this.adjustment = [...this.fair].map((p) => Math.round(p * 100_000) / 1000);
    this.touch();
  }

  /** Closes and settles the market: runners at the given indices win, all others lose. */
  settle(winners: readonly number[], t: number): void {
    for (let i = 0; i < this.runnerStatus.length; i++)
      this.runnerStatus[i] = winners.includes(i) ? 'WINNER' : 'LOSER';
    this.settledAt = t;
    this.status = 'CLOSED';
    this.touch();
  }

  /** Marks the definition changed (new version, rebuilt on next use). */
  touch(): void {
    this.version++;
    this.def = null;
  }

  /** Winners so far (selection ids), empty until settled. */
  winners(): number[] {
    return this.spec.runners.filter((_, i) => this.runnerStatus[i] === 'WINNER').map((r) => r.selectionId);
  }

  /** A runner's reconciled starting price (BSP markets after the off), null before or without one. */
  startingPrice(selectionId: number): number | null {
    const i = this.spec.runners.findIndex((r) => r.selectionId === selectionId);
    return i < 0 ? null : (this.bsp[i] ?? null);
  }

  /** The full market definition. */
  definition(): StreamMarketDefinition {
    return (this.def ??= this.buildDefinition());
  }

  private buildDefinition(): StreamMarketDefinition {
    const ev = this.event;
    const closed = this.status === 'CLOSED';
    const def: StreamMarketDefinition = {
      bspMarket: this.spec.bspMarket,
      turnInPlayEnabled: true,
      persistenceEnabled: true,
      marketBaseRate: 5,
      eventId: ev.eventId,
      eventTypeId: ev.eventTypeId,
      numberOfWinners: this.spec.numberOfWinners,
      bettingType: 'ODDS',
      marketType: this.spec.marketType,
      marketTime: iso(ev.startAt),
      suspendTime: iso(ev.startAt),
      bspReconciled: this.bspReconciled,
      complete: true,
      inPlay: this.inPlay,
      crossMatching: !closed,
      runnersVoidable: false,
      numberOfActiveRunners: closed ? 0 : this.books.length,
      betDelay: this.betDelay,
      status: this.status,
      runners: this.spec.runners.map((r, i) =>
        this.runnerDefinition(i, r.name, r.sortPriority, r.selectionId),
      ),
      regulators: ['MR_INT'],
      countryCode: ev.countryCode,
      discountAllowed: true,
      timezone: ev.timezone,
      openDate: iso(ev.startAt),
      version: this.version,
      priceLadderDefinition: { type: 'CLASSIC' },
      name: this.spec.name,
      eventName: ev.name,
    };
    if (this.settledAt !== null) def.settledTime = iso(Math.floor(this.settledAt / 1000) * 1000);
    if (ev.venue !== null) def.venue = ev.venue;
    return def;
  }

  private runnerDefinition(
    i: number,
    name: string,
    sortPriority: number,
    id: number,
  ): StreamRunnerDefinition {
    const rd: StreamRunnerDefinition = { status: this.runnerStatus[i] ?? 'ACTIVE', sortPriority, id, name };
    const af = this.adjustment?.[i];
    if (af !== undefined) rd.adjustmentFactor = af;
    const bsp = this.bsp[i];
    if (bsp !== null && bsp !== undefined) rd.bsp = bsp;
    return rd;
  }

  /** The market as an image entry (`img: true`, full definition, every runner's ladders). */
  image(): StreamMarketChange {
    return {
      id: this.id,
      img: true,
      tv: round2(this.tv),
      marketDefinition: this.definition(),
      rc: this.books.map((b) => b.image()),
    };
  }
}
