/**
 * One simulated market: its runners' books, status, in-play flag, settlement and the Betfair market
 * definition that describes it (rebuilt only when something in it changes).
 */
import { RunnerBook } from './book.js';
import type { ScheduledEvent, SimMarketSpec } from './fixture.js';
import { hash32 } from './random.js';
import type { StreamMarketChange, StreamMarketDefinition, StreamRunnerDefinition } from './stream-types.js';

/** Market status as the stream reports it. */
export type SimMarketStatus = 'OPEN' | 'SUSPENDED' | 'CLOSED';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
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
