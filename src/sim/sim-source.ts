/**
 * The embedded default upstream: the simulated exchange fed in-process through the Betfair stream
 * pipeline, exactly as a live Betfair connection would be (the messages are real `mcm` messages).
 */
import type { Config } from '../config/index.js';
import type { SourceStatus, SourceUpdate } from '../model/index.js';
import { createBetfairPipeline, type BetfairPipeline } from '../sources/betfair/pipeline.js';
import type { BetfairLogger } from '../sources/betfair/types.js';
import type { Source, UpdateSink } from '../sources/types.js';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { ExchangeSimulator, type ExchangeSimulatorOptions, type SimulatorStats } from './exchange.js';

/** Options of SimSource beside the configuration. */
export interface SimSourceOptions {
  /** Clock of the simulator and the pipeline (tests inject a ManualClock). */
  now?: Clock;
  logger?: BetfairLogger;
  /** False: no timer; the caller drives `simulator.tick()` (tests). Default true. */
  timer?: boolean;
  /** Extra simulator settings (tickMs, heartbeatMs, depth, placeMarkets). */
  simulator?: Omit<ExchangeSimulatorOptions, 'now' | 'seed' | 'speed' | 'rate' | 'events'>;
}

/** The "sim" source. */
export class SimSource implements Source {
  readonly name = 'sim';
  private sim: ExchangeSimulator | null = null;
  private pipeline: BetfairPipeline | null = null;
  private unsubscribe: (() => void) | null = null;
  private state: SourceStatus['state'] = 'stopped';
  private frames = 0;
  private lastError: { message: string; at: number } | null = null;
  private readonly now: Clock;
  /** The last status built and what it was built from (see status()). */
  private statusCache: {
    status: SourceStatus;
    frames: number;
    state: SourceStatus['state'];
    error: { message: string; at: number } | null;
    sim: ExchangeSimulator | null;
    messages: number | undefined;
    runnerChanges: number | undefined;
    events: number | undefined;
    markets: number | undefined;
  } | null = null;

  constructor(
    private readonly config: Pick<Config, 'sim'> & Partial<Pick<Config, 'closedMarketTtlSec'>>,
    private readonly opts: SimSourceOptions = {},
  ) {
    this.now = opts.now ?? systemClock;
  }

  /** The running simulator (null before start), e.g. for a stream server or a test driving the clock. */
  get simulator(): ExchangeSimulator | null {
    return this.sim;
  }

  /** Starts the simulator and feeds its stream through the Betfair pipeline into the sink. */
  async start(sink: UpdateSink): Promise<void> {
    if (this.sim) return;
    this.state = 'starting';
    const { speed, seed, rate, events } = this.config.sim;
    const sim = new ExchangeSimulator({
      ...this.opts.simulator,
      now: this.now,
      seed,
      speed,
      rate,
      events,
      onListenerError: (err) => this.fail(err),
    });
    this.sim = sim;
    this.pipeline = createBetfairPipeline({
      source: this.name,
      sink: (updates) => sink(this.withCompetitions(updates)),
      clock: this.now,
      // closed markets leave the pipeline's cache after CLOSED_MARKET_TTL_SEC, as with a live Betfair source
      ...(this.config.closedMarketTtlSec !== undefined
        ? { closedMarketTtlMs: this.config.closedMarketTtlSec * 1000 }
        : {}),
      ...(this.opts.logger ? { logger: this.opts.logger } : {}),
    });
    const pipeline = this.pipeline;
    this.unsubscribe = sim.subscribe((msg) => {
      this.frames++;
      pipeline.handleMessage(msg);
    });
    if (this.opts.timer !== false) sim.start();
    this.state = 'connected';
  }

  /** Stops the simulator; the source can be started again. */
  async stop(): Promise<void> {
    this.sim?.stop();
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.sim = null;
    this.state = 'stopped';
  }

  /**
   * State, frames fed, markets held and the simulator's settings and counters. Every REST response that
   * judges freshness reads this, so the status is built once per change and shared (frozen) until the
   * next: everything in it moves only with a frame fed, a simulator counter, the state or an error.
   */
  status(): SourceStatus {
    const s = this.sim?.stats();
    const c = this.statusCache;
    if (
      c !== null &&
      c.frames === this.frames &&
      c.state === this.state &&
      c.error === this.lastError &&
      c.sim === this.sim &&
      c.messages === s?.messages &&
      c.runnerChanges === s?.runnerChanges &&
      c.events === s?.events &&
      c.markets === s?.markets
    ) {
      return c.status;
    }
    const status = this.buildStatus(s);
    this.statusCache = {
      status,
      frames: this.frames,
      state: this.state,
      error: this.lastError,
      sim: this.sim,
      messages: s?.messages,
      runnerChanges: s?.runnerChanges,
      events: s?.events,
      markets: s?.markets,
    };
    return status;
  }

  private buildStatus(s: SimulatorStats | undefined): SourceStatus {
    const p = this.pipeline?.status();
    // Built by assignment: a spread followed by more fields (`{ ...sim, events }`) is V8's slow path.
    const details: Record<string, unknown> = Object.assign({}, this.config.sim);
    details.events = s?.events ?? 0;
    details.configuredEvents = this.config.sim.events;
    details.simulatedMarkets = s?.markets ?? 0;
    details.runnerChanges = s?.runnerChanges ?? 0;
    details.clk = s?.clk ?? null;
    details.updatesPushed = p?.updatesPushed ?? 0;
    return Object.freeze({
      source: this.name,
      kind: 'sim',
      state: this.state,
      connected: this.state === 'connected',
      lastError: this.lastError?.message ?? null,
      lastErrorAt: this.lastError?.at ?? null,
      lastUpdateAt: p?.lastUpdateAt ?? null,
      frames: this.frames,
      markets: p?.markets ?? 0,
      details: Object.freeze(details),
    });
  }

  /** Live Betfair streams carry no competition; the simulator knows it, so event updates get it here. */
  private withCompetitions(updates: SourceUpdate[]): SourceUpdate[] {
    const sim = this.sim;
    if (!sim) return updates;
    return updates.map((u) => {
      if (u.kind !== 'event' || u.event.competition) return u;
      const competition = sim.event(u.upstreamEventId)?.competition;
      return competition ? { ...u, event: { ...u.event, competition } } : u;
    });
  }

  private fail(err: unknown): void {
    this.lastError = { message: err instanceof Error ? err.message : String(err), at: this.now() };
  }
}

/** Registry factory: `sim: createSimSource` in src/sources/registry.ts. */
export function createSimSource(config: Config, logger: BetfairLogger): Source {
  return new SimSource(config, { logger });
}

/** The simulator's sources by name, for the composition root to pass to createSources / main. */
export const SIM_SOURCE_FACTORIES = { sim: createSimSource } as const;
