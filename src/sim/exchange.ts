/**
 * The simulated Betfair exchange: holds the scheduled events' markets, moves their prices on a clock
 * and publishes the changes as Exchange Stream API market change messages (`op: "mcm"`): a SUB_IMAGE
 * for each new subscriber, then one delta per tick with the changed ladders, new markets as images,
 * market definitions whenever they change, and heartbeats when idle. Transport-free: a socket server,
 * an in-process source or a file writer subscribes to it.
 */
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { ScheduledEvent } from './fixture.js';
import { LiveEvent, type EventSink } from './live-event.js';
import type { SimMarket } from './market.js';
import { OpenRunners } from './open-runners.js';
import { Prng } from './random.js';
import { scheduleAt } from './schedule.js';
import type { McmMessage, StreamMarketChange, StreamRunnerChange } from './stream-types.js';

/** Settings of the simulator (defaults in SIMULATOR_DEFAULTS). */
export interface ExchangeSimulatorOptions {
  seed?: number;
  /** Simulated-time multiplier. */
  speed?: number;
  /** Target runner changes per (clock) second across all open markets. */
  rate?: number;
  /** Events that exist at any time. */
  events?: number;
  /** The clock (epoch ms); inject a ManualClock in tests and call tick() after moving it. */
  now?: Clock;
  /** Milliseconds of clock per tick; each tick publishes at most one message. */
  tickMs?: number;
  /** A heartbeat is published after this long without a message. */
  heartbeatMs?: number;
  /** Price levels per side. */
  depth?: number;
  /** Racing PLACE markets beside the WIN markets. */
  placeMarkets?: boolean;
  /** Called when a subscriber throws (the simulator keeps going). */
  onListenerError?: (err: unknown) => void;
}

/** Default settings. */
export const SIMULATOR_DEFAULTS = {
  seed: 20261122,
  speed: 1,
  rate: 300,
  events: 40,
  tickMs: 50,
  heartbeatMs: 5000,
  depth: 3,
  placeMarkets: true,
  /** Beyond this much clock to catch up, the simulator jumps instead of replaying every tick. */
  maxCatchUpMs: 10 * 60_000,
} as const;

/** Receives every message; must not modify it (one object is shared by all subscribers). */
export type McmListener = (msg: McmMessage) => void;

/** Counters of a simulator. */
export interface SimulatorStats {
  messages: number;
  runnerChanges: number;
  heartbeats: number;
  clk: number;
  events: number;
  markets: number;
  lastMessageAt: number | null;
  listenerErrors: number;
}

interface Subscriber {
  listener: McmListener;
  id: number;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The simulated exchange engine. */
export class ExchangeSimulator {
  readonly seed: number;
  readonly speed: number;
  readonly rate: number;
  readonly eventCount: number;
  readonly tickMs: number;
  readonly heartbeatMs: number;
  private readonly now: Clock;
  private readonly rng: Prng;
  private readonly live = new Map<string, LiveEvent>();
  /** Markets of the events in `live` (kept with it, so stats() is O(1): status() is read per request). */
  private liveMarkets = 0;
  private readonly byEventId = new Map<string, LiveEvent>();
  private readonly byMarketId = new Map<string, SimMarket>();
  private readonly stepListeners = new Set<(t: number) => void>();
  private readonly subscribers = new Set<Subscriber>();
  private readonly initialClk: string;
  private readonly onListenerError: (err: unknown) => void;
  private readonly depth: number;
  private readonly placeMarkets: boolean;
  private simTime: number;
  private nextSyncAt = -Infinity;
  private clk = 0;
  private lastSentAt: number;
  private changeCarry = 0;
  /** Runner changes made beyond the budget (whole-market requotes) since the last tick. */
  private changeDebt = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly counters = { messages: 0, runnerChanges: 0, heartbeats: 0, listenerErrors: 0 };
  private lastMessageAt: number | null = null;
  // per tick
  private pending = new Map<string, StreamMarketChange>();
  private readonly defDirty = new Set<SimMarket>();
  private readonly open = new OpenRunners();

  constructor(opts: ExchangeSimulatorOptions = {}) {
    const d = SIMULATOR_DEFAULTS;
    this.seed = opts.seed ?? d.seed;
    this.speed = opts.speed ?? d.speed;
    this.rate = opts.rate ?? d.rate;
    this.eventCount = opts.events ?? d.events;
    this.tickMs = opts.tickMs ?? d.tickMs;
    this.heartbeatMs = opts.heartbeatMs ?? d.heartbeatMs;
    this.depth = Math.max(3, opts.depth ?? d.depth);
    this.placeMarkets = opts.placeMarkets ?? d.placeMarkets;
    this.now = opts.now ?? systemClock;
    this.onListenerError = opts.onListenerError ?? (() => {});
    this.rng = new Prng(this.seed);
    this.simTime = this.now();
    this.lastSentAt = this.simTime;
    this.initialClk = Buffer.from(`sim:${this.seed}:${this.simTime}`).toString('base64');
    this.sync(this.simTime, false);
  }

  /** Starts publishing on a real timer (every tickMs). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  /** Stops the timer; state is kept (start() resumes, catching up with the clock). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** True while the timer runs. */
  get running(): boolean {
    return this.timer !== null;
  }

  /** Catches up with the clock: one simulation step (and at most one message) per tickMs elapsed. */
  tick(): void {
    const now = this.now();
    if (now - this.simTime > SIMULATOR_DEFAULTS.maxCatchUpMs) {
      this.simTime = now - this.tickMs;
      this.sync(this.simTime, true);
    }
    while (this.simTime + this.tickMs <= now) {
      this.simTime += this.tickMs;
      this.step(this.simTime);
    }
  }

  /**
   * Subscribes: the listener gets a SUB_IMAGE of every current market at once (split into segments of
   * at most `segmentSize` markets when given), then every message. `id` is the subscription id echoed
   * in each message (Betfair echoes the request id). Returns unsubscribe.
   */
  subscribe(listener: McmListener, opts: { id?: number; segmentSize?: number } = {}): () => void {
    const sub: Subscriber = { listener, id: opts.id ?? 1 };
    this.subscribers.add(sub);
    for (const msg of this.snapshotSegments(opts.segmentSize ?? 0, { id: sub.id })) this.deliver(sub, msg);
    return () => {
      this.subscribers.delete(sub);
    };
  }

  /** Same as subscribe(listener). */
  onMessage(listener: McmListener): () => void {
    return this.subscribe(listener);
  }

  /** A full image of every current market (for a late subscriber or a resubscription). */
  snapshotMessage(opts: { id?: number; ct?: 'SUB_IMAGE' | 'RESUB_DELTA' } = {}): McmMessage {
    const mc: StreamMarketChange[] = [];
    for (const ev of this.live.values()) for (const m of ev.markets) mc.push(m.image());
    return {
      op: 'mcm',
      id: opts.id ?? 1,
      initialClk: this.initialClk,
      clk: String(this.clk),
      conflateMs: 0,
      heartbeatMs: this.heartbeatMs,
      pt: this.simTime,
      ct: opts.ct ?? 'SUB_IMAGE',
      mc,
    };
  }

  /**
   * The snapshot as SEG_START, SEG…, SEG_END messages of at most `maxMarkets` markets each (the stream
   * splits large images this way), or the single message when it is small enough or maxMarkets ≤ 0.
   */
  snapshotSegments(
    maxMarkets: number,
    opts: { id?: number; ct?: 'SUB_IMAGE' | 'RESUB_DELTA' } = {},
  ): McmMessage[] {
    const whole = this.snapshotMessage(opts);
    const mc = whole.mc ?? [];
    if (maxMarkets <= 0 || mc.length <= maxMarkets) return [whole];
    const out: McmMessage[] = [];
    for (let i = 0; i < mc.length; i += maxMarkets) {
      const segmentType = i === 0 ? 'SEG_START' : i + maxMarkets >= mc.length ? 'SEG_END' : 'SEG';
      out.push({ ...whole, segmentType, mc: mc.slice(i, i + maxMarkets) });
    }
    return out;
  }

  /** The events currently held, in schedule order. */
  events(): ScheduledEvent[] {
    return [...this.live.values()].map((e) => e.spec);
  }

  /** A held event by Betfair event id. */
  event(eventId: string): ScheduledEvent | undefined {
    return this.byEventId.get(eventId)?.spec;
  }

  /** Live state of an event by Betfair event id: lifecycle phase, score, incidents. */
  eventState(eventId: string): { phase: string; score: string | null; incidents: number } | null {
    const e = this.byEventId.get(eventId);
    return e ? { phase: e.phase, score: e.model.score(), incidents: e.incidents } : null;
  }

  /** Markets currently held. */
  marketCount(): number {
    return this.liveMarkets;
  }

  /** A held market by id (the live object: its books, status and settlement). */
  market(marketId: string): SimMarket | undefined {
    return this.byMarketId.get(marketId);
  }

  /** The simulated time of the last step (epoch ms). */
  get time(): number {
    return this.simTime;
  }

  /**
   * Registers a listener called at every step after the books moved and before the step's message is
   * published, so that what it changes (see takeOffered) goes out in the same message. Returns its remover.
   */
  onStep(listener: (t: number) => void): () => void {
    this.stepListeners.add(listener);
    return () => this.stepListeners.delete(listener);
  }

  /**
   * A customer's order takes `amount` offered at `price` on runner `selectionId`'s `ladder` of market `m`
   * (see RunnerBook.takeOffered); the change and the trade are published with the step's message.
   * Returns the amount taken.
   */
  takeOffered(
    m: SimMarket,
    selectionId: number,
    ladder: 'atb' | 'atl',
    price: number,
    amount: number,
  ): number {
    const book = m.books.find((b) => b.id === selectionId);
    if (!book) return 0;
    const rc: StreamRunnerChange = { id: selectionId };
    const taken = book.takeOffered(ladder, price, amount, rc);
    if (taken <= 0) return 0;
    m.tv = round2(m.tv + taken);
    this.entry(m).tv = m.tv;
    this.pushChange(m, rc);
    return taken;
  }

  /** Counters. */
  stats(): SimulatorStats {
    // Fields listed rather than spread: `{ ...counters, clk, ... }` takes V8's slow path (~5 µs a call),
    // and status() (hence this) is read by every REST response that judges freshness.
    const c = this.counters;
    return {
      messages: c.messages,
      runnerChanges: c.runnerChanges,
      heartbeats: c.heartbeats,
      listenerErrors: c.listenerErrors,
      clk: this.clk,
      events: this.live.size,
      markets: this.marketCount(),
      lastMessageAt: this.lastMessageAt,
    };
  }

  private readonly sink: EventSink = {
    definitionChanged: (m) => {
      this.defDirty.add(m);
      this.open.invalidate();
    },
    requote: (ev, m) => this.requoteAll(ev, m),
  };

  /** Adds the events the schedule has at time t and drops those it no longer has. */
  private sync(t: number, publish: boolean): void {
    const wanted = scheduleAt({ seed: this.seed, speed: this.speed, events: this.eventCount }, t);
    const keys = new Set(wanted.map((e) => e.key));
    for (const [key, ev] of this.live) {
      if (keys.has(key)) continue;
      if (publish) ev.finalize(t, this.sink);
      this.live.delete(key);
      this.liveMarkets -= ev.markets.length;
      this.byEventId.delete(ev.spec.eventId);
      for (const m of ev.markets) {
        this.byMarketId.delete(m.id);
        if (this.defDirty.delete(m)) this.entry(m).marketDefinition = m.definition();
      }
    }
    const ctx = { speed: this.speed, rng: this.rng, depth: this.depth, placeMarkets: this.placeMarkets };
    for (const spec of wanted) {
      if (this.live.has(spec.key) || spec.settleAt <= t) continue;
      const ev = new LiveEvent(spec, ctx, t);
      this.live.set(spec.key, ev);
      this.liveMarkets += ev.markets.length;
      this.byEventId.set(spec.eventId, ev);
      for (const m of ev.markets) this.byMarketId.set(m.id, m);
      if (publish) for (const m of ev.markets) this.pending.set(m.id, m.image());
    }
    this.nextSyncAt = Math.min(...wanted.map((e) => e.removeAt));
    this.open.invalidate();
  }

  private step(t: number): void {
    const dtSec = (this.tickMs * this.speed) / 1000;
    for (const ev of this.live.values()) ev.advance(t, dtSec, this.sink);
    if (t >= this.nextSyncAt) this.sync(t, true);
    this.randomChanges();
    for (const l of this.stepListeners) l(t);
    this.publish(t);
  }

  private entry(m: SimMarket): StreamMarketChange {
    let mc = this.pending.get(m.id);
    if (!mc) {
      mc = { id: m.id };
      this.pending.set(m.id, mc);
    }
    return mc;
  }

  private pushChange(m: SimMarket, rc: StreamRunnerChange): void {
    (this.entry(m).rc ??= []).push(rc);
    this.counters.runnerChanges++;
  }

  private requoteAll(ev: LiveEvent, m: SimMarket): void {
    m.quoteAll(ev.fairOf(m), ev.quoteStyle(m), this.rng, (rc) => this.pushChange(m, rc));
  }

  /**
   * Spends about rate × tickMs / 1000 runner changes: first on runners whose fair price has moved
   * outside their best back/lay, the rest on distinct random open runners.
   */
  private randomChanges(): void {
    this.open.refresh(this.live.values());
    const perTick = (this.rate * this.tickMs) / 1000;
    // whole-market requotes are repaid from at most half of a tick's budget (every tick still changes
    // something), and what a market in a quick move owes beyond ten ticks' budget is forgiven (bounded)
    const repay = Math.min(this.changeDebt, perTick / 2);
    this.changeDebt = Math.min(this.changeDebt - repay, perTick * 10);
    this.changeCarry += perTick - repay;
    const budget = Math.max(0, Math.floor(this.changeCarry));
    this.changeCarry -= budget;
    const crossed = this.open.visitCrossed(budget, this.changeRunner);
    this.open.visitRandom(budget - crossed, this.rng, this.changeRunner);
  }

  /** One runner change: a requote around the fair price, often with a trade. */
  private readonly changeRunner = (ev: LiveEvent, m: SimMarket, r: number): void => {
    const book = m.books[r];
    if (!book) return;
    const rc = m.quoteRunner(r, ev.fairOf(m)[r] as number, ev.quoteStyle(m), this.rng) ?? { id: book.id };

    if ((rc.atb === undefined && rc.atl === undefined) || this.rng.chance(ev.tradeChance(m))) {
      const side = this.rng.chance(0.5) ? 'back' : 'lay';
      const matched = book.trade(side, book.bestSize(side) * this.rng.range(0.05, 0.5), rc);
      if (matched > 0) {
        m.tv = round2(m.tv + matched);
        this.entry(m).tv = m.tv;
      }
    }
    this.pushChange(m, rc);
    // held wide by the others' stale quotes (the no-arbitrage limits): the whole market is requoted
    // around fair, as a market maker would, rather than left wide until the others happen to move
    // (after this runner's change, so that the deltas apply in order)
    if (book.backHeld || book.layHeld) {
      const before = this.counters.runnerChanges;
      this.requoteAll(ev, m);
      // those changes are spent from the next ticks' budget, so that the configured rate holds
      this.changeDebt += this.counters.runnerChanges - before;
    }
  };

  private publish(t: number): void {
    for (const m of this.defDirty) this.entry(m).marketDefinition = m.definition();
    this.defDirty.clear();
    if (this.pending.size > 0) {
      const mc = [...this.pending.values()];
      this.pending = new Map();
      this.send({ op: 'mcm', id: 1, clk: String(++this.clk), pt: t, mc });
    } else if (t - this.lastSentAt >= this.heartbeatMs) {
      this.counters.heartbeats++;
      this.send({ op: 'mcm', id: 1, clk: String(++this.clk), pt: t, ct: 'HEARTBEAT' });
    }
  }

  private send(msg: McmMessage): void {
    this.lastSentAt = msg.pt;
    this.lastMessageAt = msg.pt;
    this.counters.messages++;
    for (const sub of this.subscribers) this.deliver(sub, msg);
  }

  private deliver(sub: Subscriber, msg: McmMessage): void {
    try {
      sub.listener(sub.id === msg.id ? msg : { ...msg, id: sub.id });
    } catch (err) {
      this.counters.listenerErrors++;
      this.onListenerError(err);
    }
  }
}
