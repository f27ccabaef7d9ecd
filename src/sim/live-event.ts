/**
 * An event while the simulator holds it: its price model, its markets and its lifecycle
 * (pre-match → turning in play → in play ⇄ suspended on incidents → ended → closed and settled),
 * driven by the scheduled times and the clock.
 */
import type { QuoteStyle } from './book.js';
import type { ScheduledEvent, SimSport } from './fixture.js';
import { SimMarket } from './market.js';
import { createModel, placeProbs, playClock, type EventModel } from './models.js';
import { hashUnit, type Prng } from './random.js';

/** Lifecycle phase of a live event. */
export type EventPhase = 'pre' | 'off' | 'live' | 'suspended' | 'ended' | 'closed';

/** What a live event tells the engine about its markets. */
export interface EventSink {
  /** The market definition changed (status, in-play, settlement, BSP). */
  definitionChanged(market: SimMarket): void;
  /** Every runner of the market should be requoted now (after a reopen). */
  requote(event: LiveEvent, market: SimMarket): void;
}

/** Shared settings of the live events. */
export interface EventContext {
  speed: number;
  rng: Prng;
  depth: number;
  placeMarkets: boolean;
}

interface SportStyle {
  liquidity: number;
  halfSpread: number;
  betDelay: number;
  /** Simulated seconds suspended at the start before turning in play: [min, max]. */
  turnDelay: readonly [number, number];
}

const SPORT_STYLE: Readonly<Record<SimSport, SportStyle>> = {
  football: { liquidity: 450, halfSpread: 0.004, betDelay: 5, turnDelay: [3, 8] },
  tennis: { liquidity: 220, halfSpread: 0.006, betDelay: 3, turnDelay: [3, 8] },
  cricket: { liquidity: 300, halfSpread: 0.006, betDelay: 5, turnDelay: [3, 8] },
  racing: { liquidity: 80, halfSpread: 0.012, betDelay: 1, turnDelay: [1, 2] },
};

/** Simulated seconds a market stays suspended after a goal or wicket. */
const INCIDENT_SUSPEND: readonly [number, number] = [8, 20];
const NO_SINK: EventSink = { definitionChanged() {}, requote() {} };

/** An event on the simulated exchange. */
export class LiveEvent {
  phase: EventPhase = 'pre';
  readonly markets: SimMarket[];
  readonly model: EventModel;
  /** Goals / wickets so far while held. */
  incidents = 0;
  private resumeAt = 0;
  private placeStale = true;
  private placeAge = 0;
  private readonly style: SportStyle;
  private readonly liquidity: number;

  constructor(
    readonly spec: ScheduledEvent,
    private readonly ctx: EventContext,
    t: number,
  ) {
    this.style = SPORT_STYLE[spec.sport];
    this.liquidity = this.style.liquidity * (0.5 + hashUnit('liquidity', spec.eventId));
    this.model = createModel(spec, ctx.speed);
    const specs = ctx.placeMarkets ? spec.markets : spec.markets.slice(0, 1);
    this.markets = specs.map((m) => new SimMarket(m, spec));
    this.fastForward(t);
    this.updateFair();
    if (spec.sport === 'racing') this.markets[0]?.setAdjustmentFactors();
    while (this.transition(t, NO_SINK));
    for (const m of this.markets) this.openBooks(m);
  }

  /** Runs the model from the start to t (an event first seen while under way); incidents are dropped. */
  private fastForward(t: number): void {
    const to = Math.min(t, this.spec.endAt);
    const chunk = 5000 / this.ctx.speed; // 5 simulated seconds
    for (let at = this.spec.startAt + chunk; at <= to; at += chunk) {
      this.model.step(5, playClock(this.spec, at, this.ctx.speed), this.ctx.rng);
    }
  }

  /** Quotes a fresh market and gives it the volume traded before the simulator saw it. */
  private openBooks(m: SimMarket): void {
    const rng = this.ctx.rng;
    const total = this.liquidity * 40 * (0.5 + rng.next()) * (this.phase === 'pre' ? 1 : 3);
    const fair = this.fairOf(m);
    let roots = 0;
    for (const p of fair) roots += Math.sqrt(p);
    m.quoteAll(fair, this.quoteStyle(m), rng, () => {});
    m.books.forEach((b, i) => {
      const amount = (total * Math.sqrt(fair[i] as number)) / roots;
      if (b.bestBack !== null) b.seedTraded(b.bestBack, amount * 0.6);
      if (b.bestLay !== null) b.seedTraded(b.bestLay, amount * 0.4);
      m.tv += b.tv;
    });
  }

  /**
   * How the market's books are quoted now: a little wider and gappier in play, but never more than
   * three ticks wide on their own (only the no-arbitrage limits of a market in a quick move widen a
   * runner, until the others are requoted).
   */
  quoteStyle(m: SimMarket): QuoteStyle {
    const place = m.spec.marketType === 'PLACE';
    const inPlay = m.inPlay;
    return {
      halfSpread: this.style.halfSpread * (inPlay ? 1.5 : 1) * (place ? 1.5 : 1),
      gapTicks: inPlay ? this.ctx.rng.int(3) : 0,
      maxSpreadTicks: 2,
      depth: this.ctx.depth,
      liquidity: this.liquidity * (place ? 0.4 : 1) * (inPlay ? 1.5 : 1),
    };
  }

  /** Probability that a runner change includes a trade. */
  tradeChance(m: SimMarket): number {
    return m.inPlay ? 0.5 : 0.3;
  }

  /** Advances the model by dtSec simulated seconds and runs every lifecycle step due by wall time t. */
  advance(t: number, dtSec: number, sink: EventSink): void {
    if (this.phase !== 'ended' && this.phase !== 'closed') {
      const incident = this.model.step(dtSec, playClock(this.spec, t, this.ctx.speed), this.ctx.rng);
      this.updateFair(dtSec);
      if (incident && this.phase === 'live' && t < this.spec.endAt) this.suspend(t, sink);
    }
    while (this.transition(t, sink));
  }

  /** Runs the lifecycle to the end (the event leaves the schedule): ends and settles if not yet done. */
  finalize(t: number, sink: EventSink): void {
    while (this.transition(Math.max(t, this.spec.settleAt), sink));
  }

  /** Copies the model's win chances to the main market; PLACE chances follow at most once a simulated second. */
  private updateFair(dtSec = Infinity): void {
    this.markets[0]?.fair.set(this.model.probs);
    this.placeAge += dtSec;
    if (this.placeAge >= 1) {
      this.placeStale = true;
      this.placeAge = 0;
    }
  }

  /** Fair probabilities of a market's runners (PLACE markets are derived from the win chances on demand). */
  fairOf(m: SimMarket): Float64Array {
    if (this.placeStale && m.spec.marketType === 'PLACE') {
      placeProbs(this.model.probs, m.spec.numberOfWinners, m.fair);
      this.placeStale = false;
    }
    return m.fair;
  }

  private transition(t: number, sink: EventSink): boolean {
    const s = this.spec;
    switch (this.phase) {
      case 'pre':
        if (t < s.startAt) return false;
        this.turnInPlay(sink);
        return true;
      case 'off':
      case 'suspended':
        if (t >= s.endAt) this.end(sink);
        else if (t >= this.resumeAt) this.reopen(sink);
        else return false;
        return true;
      case 'live':
        if (t < s.endAt) return false;
        this.end(sink);
        return true;
      case 'ended':
        if (t < s.settleAt) return false;
        this.settle(sink);
        return true;
      default:
        return false;
    }
  }

  private setAll(status: 'OPEN' | 'SUSPENDED', inPlay: boolean, betDelay: number, sink: EventSink): void {
    for (const m of this.markets) if (m.setState(status, inPlay, betDelay)) sink.definitionChanged(m);
  }

  private simDelay([min, max]: readonly [number, number]): number {
    return (this.ctx.rng.range(min, max) * 1000) / this.ctx.speed;
  }

  private turnInPlay(sink: EventSink): void {
    this.phase = 'off';
    this.resumeAt = this.spec.startAt + this.simDelay(this.style.turnDelay);
    this.setAll('SUSPENDED', false, 0, sink);
    for (const m of this.markets) {
      if (!m.spec.bspMarket) continue;
      this.fairOf(m);
      m.reconcileBsp(() => this.ctx.rng.next());
      sink.definitionChanged(m);
    }
  }

  private reopen(sink: EventSink): void {
    this.phase = 'live';
    this.setAll('OPEN', true, this.style.betDelay, sink);
    for (const m of this.markets) sink.requote(this, m);
  }

  private suspend(t: number, sink: EventSink): void {
    this.phase = 'suspended';
    this.incidents++;
    this.resumeAt = t + this.simDelay(INCIDENT_SUSPEND);
    this.setAll('SUSPENDED', true, this.style.betDelay, sink);
  }

  private end(sink: EventSink): void {
    this.phase = 'ended';
    this.setAll('SUSPENDED', true, this.style.betDelay, sink);
  }

  private settle(sink: EventSink): void {
    this.phase = 'closed';
    const order = this.model.finishOrder(this.ctx.rng);
    for (const m of this.markets) {
      m.settle(order.slice(0, m.spec.numberOfWinners), this.spec.settleAt);
      sink.definitionChanged(m);
    }
  }
}
