/**
 * Price models of simulated events: the "true" win probabilities that the order books quote around.
 *
 * - Football: goals arrive as Poisson processes; probabilities come from the score and the expected
 *   goals left (so the draw shortens as time runs out at level scores), times a slow random factor.
 * - Tennis, cricket: before the start a slow walk of the logit edge; in play a score model — runner 0's
 *   lead walks (its variance spread over the match) and jumps on events (tennis breaks, cricket wickets),
 *   and the price is the logit (edge + lead) / √(share of play left): favourites drift and shorten on
 *   events and reach extreme prices only late or with a large lead (held to ≤ 0.94 while half the play
 *   is left).
 * - Racing: a random walk of logit strengths (softmax = probabilities) whose variance is spread over the
 *   race, with a closing drift towards the leader so that the final prices point at the winner; the
 *   leader is held to ≤ 0.94 while half the race is left.
 */
import type { ScheduledEvent } from './fixture.js';
import type { Prng } from './random.js';

/** Where play stands, in simulated ms. */
export interface PlayClock {
  playedMs: number;
  totalMs: number;
  /** True between start and end, outside breaks. */
  playing: boolean;
}

/** Play clock of an event at wall time t. */
export function playClock(ev: ScheduledEvent, t: number, speed: number): PlayClock {
  let breaksTotal = 0;
  let breaksPast = 0;
  let inBreak = false;
  for (const [from, to] of ev.breaks) {
    breaksTotal += to - from;
    breaksPast += Math.max(0, Math.min(t, to) - from);
    if (t >= from && t < to) inBreak = true;
  }
  const totalMs = (ev.endAt - ev.startAt - breaksTotal) * speed;
  const played = (Math.min(Math.max(t, ev.startAt), ev.endAt) - ev.startAt - breaksPast) * speed;
  return { playedMs: Math.max(0, played), totalMs, playing: t >= ev.startAt && t < ev.endAt && !inBreak };
}

/** Something that stops play and suspends the market. */
export type Incident = 'goal' | 'wicket';

/** A model of one event's main-market probabilities. */
export interface EventModel {
  /** Win probability per runner of the main market (runner order), sum 1. */
  readonly probs: Float64Array;
  /** Advances by dtSec simulated seconds; returns the incident that happened, if any. */
  step(dtSec: number, clock: PlayClock, rng: Prng): Incident | null;
  /** Runner indices in finishing order, winner first (called once, when play ends). */
  finishOrder(rng: Prng): number[];
  /** Current score text ("2-1"), when the sport keeps one. */
  score(): string | null;
}

const MIN_PROB = 0.002;

function normalize(p: Float64Array): void {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += p[i] = Math.max(MIN_PROB, p[i] as number);
  for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) / sum;
}

function poissonPmf(mean: number, out: Float64Array): void {
  let p = Math.exp(-mean);
  for (let k = 0; k < out.length; k++) {
    out[k] = p;
    p = (p * mean) / (k + 1);
  }
}

/** Ornstein–Uhlenbeck step of a noise term: mean 0, stationary sd `sd`, mean reversion rate theta (1/s). */
function ou(x: number, dt: number, sd: number, theta: number, rng: Prng): number {
  return x - theta * x * dt + sd * Math.sqrt(2 * theta * dt) * rng.gauss();
}

class FootballModel implements EventModel {
  readonly probs = new Float64Array(3);
  private home = 0;
  private away = 0;
  private readonly noise = [0, 0, 0];
  private readonly ph = new Float64Array(13);
  private readonly pa = new Float64Array(13);
  private readonly base = new Float64Array(3);
  private sinceCompute = 0;

  constructor(private readonly rates: readonly [number, number]) {
    this.compute(0, 5_400_000); // a whole match to play until the first step knows the clock
    this.applyNoise();
  }

  step(dt: number, clock: PlayClock, rng: Prng): Incident | null {
    let incident: Incident | null = null;
    const [rh, ra] = this.rates;
    if (clock.playing && rng.chance(((rh + ra) / 5400) * dt)) {
      if (rng.chance(rh / (rh + ra))) this.home++;
      else this.away++;
      incident = 'goal';
    }
    const sd = clock.playedMs > 0 ? 0.08 : 0.05;
    for (let i = 0; i < 3; i++) this.noise[i] = ou(this.noise[i] as number, dt, sd, 1 / 600, rng);
    this.sinceCompute += dt;
    if (incident || this.sinceCompute >= 1) this.compute(clock.playedMs, clock.totalMs);
    this.applyNoise();
    return incident;
  }

  /** Outcome probabilities from the score and the expected goals left (recomputed ~ once a simulated second). */
  private compute(playedMs: number, totalMs: number): void {
    this.sinceCompute = 0;
    const left = Math.max(0, totalMs - playedMs) / 5_400_000; // in units of 90 minutes
    poissonPmf(this.rates[0] * left, this.ph);
    poissonPmf(this.rates[1] * left, this.pa);
    let h = 0;
    let d = 0;
    const diff = this.home - this.away;
    for (let i = 0; i < this.ph.length; i++) {
      for (let j = 0; j < this.pa.length; j++) {
        const p = (this.ph[i] as number) * (this.pa[j] as number);
        const g = diff + i - j;
        if (g > 0) h += p;
        else if (g === 0) d += p;
      }
    }
    this.base[0] = h;
    this.base[1] = Math.max(0, 1 - h - d);
    this.base[2] = d;
  }

  private applyNoise(): void {
    for (let i = 0; i < 3; i++) this.probs[i] = (this.base[i] as number) * Math.exp(this.noise[i] as number);
    normalize(this.probs);
  }

  finishOrder(): number[] {
    if (this.home > this.away) return [0, 1, 2];
    if (this.away > this.home) return [1, 0, 2];
    return [2, 0, 1];
  }

  score(): string {
    return `${this.home}-${this.away}`;
  }
}

/** Tunables of a logit model per sport. */
interface LogitStyle {
  /** Random-walk sd per √s before the start. */
  preSd: number;
  /** Total in-play variance of a runner's logit over the whole of play. */
  playVariance: number;
  /** Share of play at the end during which the leader is driven home, and the logit (racing) or lead gap added. */
  closeShare: number;
  closeLift: number;
  /** Jumps per simulated second of play and their size range. */
  jumpRate: number;
  jump: readonly [number, number];
  jumpIncident: Incident | null;
  /** Only runner 0 moves (two-runner markets: the other is the reference). */
  pairwise: boolean;
}

const LOGIT_STYLES: Readonly<Record<'tennis' | 'cricket' | 'racing', LogitStyle>> = {
  tennis: {
    preSd: 0.0025,
    playVariance: 3,
    closeShare: 0.05,
    closeLift: 0.6,
    jumpRate: 1 / 480,
    jump: [0.15, 0.35],
    jumpIncident: null,
    pairwise: true,
  },
  cricket: {
    preSd: 0.0025,
    playVariance: 2.5,
    closeShare: 0.05,
    closeLift: 0.6,
    jumpRate: 12 / 10_200,
    jump: [0.1, 0.25],
    jumpIncident: 'wicket',
    pairwise: true,
  },
  racing: {
    preSd: 0.01,
    playVariance: 3,
    closeShare: 0.2,
    closeLift: 4,
    jumpRate: 0,
    jump: [0, 0],
    jumpIncident: null,
    pairwise: false,
  },
};

/** Logit cap of the leader while half the play or more is left (0.94: backable at ~1.06, no shorter). */
const HALF_PLAY_CAP = 2.75;
/** Logit cap before the start (a strong favourite at ~1.07). */
const PRE_PLAY_CAP = 2.6;

class LogitModel implements EventModel {
  readonly probs: Float64Array;
  private readonly x: Float64Array;
  private readonly style: LogitStyle;
  private readonly firstInningsMs: number;
  /** Two-runner sports in play: runner 0's logit edge when play started, and its lead since. */
  private edge: number | null = null;
  private lead = 0;

  constructor(
    private readonly ev: ScheduledEvent,
    speed: number,
  ) {
    this.style = LOGIT_STYLES[ev.sport as 'tennis' | 'cricket' | 'racing'];
    this.x = Float64Array.from(ev.strengths ?? ev.markets[0]?.runners.map(() => 0) ?? []);
    this.probs = new Float64Array(this.x.length);
    const brk = ev.breaks[0];
    this.firstInningsMs = brk ? (brk[0] - ev.startAt) * speed : Infinity;
    this.compute();
  }

  step(dt: number, clock: PlayClock, rng: Prng): Incident | null {
    if (this.style.pairwise) return this.stepPair(dt, clock, rng);
    const s = this.style;
    const n = this.x.length;
    const sd = clock.playing
      ? Math.sqrt(s.playVariance / (clock.totalMs / 1000))
      : clock.playedMs > 0
        ? 0
        : s.preSd;
    if (sd > 0)
      for (let i = 0; i < n; i++) this.x[i] = (this.x[i] as number) + sd * Math.sqrt(dt) * rng.gauss();
    let incident: Incident | null = null;
    if (clock.playing) {
      if (s.jumpRate > 0 && rng.chance(s.jumpRate * dt)) incident = this.jump(clock, rng);
      if (clock.playedMs > clock.totalMs * (1 - s.closeShare)) {
        const lift = (s.closeLift / ((clock.totalMs * s.closeShare) / 1000)) * dt;
        const lead = this.leader();
        this.x[lead] = (this.x[lead] as number) + lift;
      }
    }
    this.compute();
    if (clock.playing) this.capLeader(clock);
    return incident;
  }

  /**
   * Holds the leader of a many-runner field to ≤ 0.94 (logit HALF_PLAY_CAP) while half the play or
   * more is left, the cap easing as √ of the play left: nobody is a near-certainty early in a race.
   */
  private capLeader(clock: PlayClock): void {
    const left = Math.max(1e-6, 1 - clock.playedMs / Math.max(1, clock.totalMs));
    const cap = (HALF_PLAY_CAP * Math.SQRT1_2) / Math.sqrt(left);
    const lead = this.leader();
    const p = this.probs[lead] as number;
    const over = Math.log(p / (1 - p)) - cap;
    if (!(over > 0) || p >= 1) return;
    this.x[lead] = (this.x[lead] as number) - over;
    this.compute();
  }

  /**
   * Two runners (tennis, cricket). Before the start a slow random walk of runner 0's logit, kept within
   * ±PRE_PLAY_CAP. In play, a score model: runner 0's lead moves as play goes (a random walk whose
   * variance is spread over the whole of play) and jumps on events (breaks, wickets); the price is the
   * logit (edge + lead) / √(share of play left), so a lead counts for more as time runs out and the
   * market is nearly decided only late or with a large lead. While half the play or more is left the
   * leader is held at ≤ 0.94 (backable at ~1.06 and longer), and the cap eases as √ of the play left.
   * In the last closeShare of play the side ahead pulls away (closeLift), so the match ends decided.
   */
  private stepPair(dt: number, clock: PlayClock, rng: Prng): Incident | null {
    const s = this.style;
    let incident: Incident | null = null;
    if (clock.playedMs <= 0 && !clock.playing) {
      const d = (this.x[0] as number) - (this.x[1] as number) + s.preSd * Math.sqrt(dt) * rng.gauss();
      this.x[0] = Math.max(-PRE_PLAY_CAP, Math.min(PRE_PLAY_CAP, d));
      this.x[1] = 0;
      this.compute();
      return null;
    }
    if (this.edge === null) this.edge = (this.x[0] as number) - (this.x[1] as number);
    const total = Math.max(1, clock.totalMs / 1000);
    if (clock.playing) {
      this.lead += Math.sqrt((s.playVariance * dt) / total) * rng.gauss();
      if (s.jumpRate > 0 && rng.chance(s.jumpRate * dt)) incident = this.jump(clock, rng);
      // the closing stretch: the side ahead closes it out (no coin flip on the last point)
      if (clock.playedMs > clock.totalMs * (1 - s.closeShare)) {
        const lift = (s.closeLift / (total * s.closeShare)) * dt;
        this.lead += this.edge + this.lead >= 0 ? lift : -lift;
      }
    }
    const left = Math.max(1e-6, 1 - clock.playedMs / Math.max(1, clock.totalMs));
    const root = Math.sqrt(left);
    const cap = Math.max(Math.abs(this.edge), (HALF_PLAY_CAP * Math.SQRT1_2) / root);
    const z = (this.edge + this.lead) / root;
    this.x[0] = Math.max(-cap, Math.min(cap, z));
    this.x[1] = 0;
    this.compute();
    return incident;
  }

  private jump(clock: PlayClock, rng: Prng): Incident | null {
    const s = this.style;
    const size = rng.range(s.jump[0], s.jump[1]);
    if (s.jumpIncident === 'wicket') {
      const batting =
        clock.playedMs < this.firstInningsMs ? (this.ev.battingFirst ?? 0) : 1 - (this.ev.battingFirst ?? 0);
      this.lead += batting === 0 ? -size : size;
    } else {
      this.lead += rng.chance(0.5) ? size : -size;
    }
    return s.jumpIncident;
  }

  private leader(): number {
    let best = 0;
    for (let i = 1; i < this.probs.length; i++)
      if ((this.probs[i] as number) > (this.probs[best] as number)) best = i;
    return best;
  }

  private compute(): void {
    let max = -Infinity;
    for (const v of this.x) max = Math.max(max, v);
    for (let i = 0; i < this.x.length; i++) this.probs[i] = Math.exp((this.x[i] as number) - max);
    normalize(this.probs);
  }

  finishOrder(rng: Prng): number[] {
    const left = [...this.probs.keys()];
    const order: number[] = [];
    while (left.length > 0) {
      let total = 0;
      for (const i of left) total += this.probs[i] as number;
      let r = rng.next() * total;
      let k = 0;
      for (; k < left.length - 1; k++) {
        r -= this.probs[left[k] as number] as number;
        if (r < 0) break;
      }
      order.push(left.splice(k, 1)[0] as number);
    }
    return order;
  }

  score(): null {
    return null;
  }
}

/** The model for an event's sport. */
export function createModel(ev: ScheduledEvent, speed: number): EventModel {
  if (ev.sport === 'football') return new FootballModel(ev.goalRates ?? [1.4, 1.1]);
  return new LogitModel(ev, speed);
}

/**
 * Place probabilities from win probabilities for a market with `places` winners: q = min(0.97, c·p^0.75)
 * with c chosen so that the q sum to `places`.
 */
export function placeProbs(win: Float64Array, places: number, out: Float64Array): void {
  const w = out;
  let max = 0;
  for (let i = 0; i < win.length; i++) max = Math.max(max, (w[i] = Math.pow(win[i] as number, 0.75)));
  let lo = 0;
  let hi = 0.97 / Math.max(1e-9, Math.min(...w.filter((x) => x > 0)));
  for (let it = 0; it < 30; it++) {
    const c = (lo + hi) / 2;
    let sum = 0;
    for (let i = 0; i < w.length; i++) sum += Math.min(0.97, c * (w[i] as number));
    if (sum > places) hi = c;
    else lo = c;
  }
  for (let i = 0; i < w.length; i++) w[i] = Math.max(MIN_PROB, Math.min(0.97, lo * (w[i] as number)));
}
