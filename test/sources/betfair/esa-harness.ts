/**
 * Integration harness: the simulated exchange on a driven clock, served as a Betfair endpoint over real
 * TLS on 127.0.0.1, a reference pipeline fed in-process by the same simulator (the uninterrupted run),
 * and a BetfairSource connected to the endpoint.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../../../src/core/clock.js';
import { ExchangeSimulator } from '../../../src/sim/exchange.js';
import {
  startBetfairSimulation,
  type BetfairSimulation,
  type BetfairSimulationOptions,
} from '../../../src/sim/esa/index.js';
import { decodeClk } from '../../../src/sim/esa/market-feed.js';
import { BetfairSource, type BetfairSourceOptions } from '../../../src/sources/betfair/live-source.js';
import type { MarketSnapshot } from '../../../src/sources/betfair/market-cache.js';
import { createBetfairPipeline, type BetfairPipeline } from '../../../src/sources/betfair/pipeline.js';
import type { SourceUpdate } from '../../../src/model/index.js';

/** Options of {@link esaHarness}. */
export interface HarnessOptions {
  seed?: number;
  events?: number;
  rate?: number;
  sim?: Partial<Omit<BetfairSimulationOptions, 'simulator'>>;
  source?: Partial<BetfairSourceOptions>;
  /** Give the source the ready session token (default) or log in with username/password. */
  login?: 'token' | 'interactive';
  /** Runs before the source starts (e.g. to inject a fault). */
  beforeStart?: (bf: BetfairSimulation) => void;
}

/** Everything a test needs. */
export interface Harness {
  clock: ManualClock;
  sim: ExchangeSimulator;
  bf: BetfairSimulation;
  reference: BetfairPipeline;
  source: BetfairSource;
  updates: SourceUpdate[];
  /** Advances the simulation by `ms` in ticks, letting sockets flow between ticks. */
  run(ms: number): Promise<void>;
  /** Waits until `cond` holds (polling), failing after `timeoutMs`. */
  until(cond: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Waits until the source's cache has caught up with the hub's clock. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Asserts the source's cache holds exactly its subscribed markets, each equal to the reference run's. */
  assertEqualToReference(): void;
  close(): Promise<void>;
}

/** Default source options pointed at a simulation (fast timers for tests). */
export function sourceOptions(bf: BetfairSimulation, login: 'token' | 'interactive'): BetfairSourceOptions {
  const r = bf.ready;
  return {
    appKey: r.esa.appKey,
    ...(login === 'token'
      ? { sessionToken: r.esa.session }
      : { username: r.identity.username, password: r.identity.password }),
    caFile: r.esa.caFile,
    streamHost: r.esa.host,
    streamPort: r.esa.port,
    apiUrl: r.api.url,
    identityUrl: r.identity.url,
    identityCertUrl: r.identity.url,
    filter: {
      eventTypeIds: ['1', '7'],
      marketTypes: ['MATCH_ODDS', 'WIN'],
      countryCodes: [],
      inPlayOnly: false,
    },
    fields: ['EX_ALL_OFFERS', 'EX_TRADED', 'EX_TRADED_VOL', 'EX_LTP', 'EX_MARKET_DEF'],
    ladderLevels: 3,
    conflateMs: 0,
    heartbeatMs: 500,
    marketLimit: 200,
    demandWindowMs: 60_000,
    resubscribeDebounceMs: 20,
    catalogueRefreshMs: 60_000,
    pollIntervalMs: 100,
    pollAfterMs: 50,
    keepAliveMs: 3_600_000,
    requestTimeoutMs: 2000,
    maxLatencyMs: null,
    orders: true,
    backoff: { baseMs: 20, maxMs: 200 },
  };
}

/** A comparable view of a market: status, definition flags and every runner's prices and names. */
export function marketView(m: MarketSnapshot) {
  const d = m.definition;
  return {
    status: m.status,
    inPlay: m.inPlay,
    totalMatched: m.totalMatched,
    name: d?.name ?? null,
    eventName: d?.eventName ?? null,
    version: d?.version ?? null,
    runners: m.runners.map((r) => ({
      id: r.selectionId,
      name: r.name,
      status: r.status,
      bsp: r.bsp,
      ltp: r.ltp,
      tv: r.tv,
      atb: r.atb.map((l) => [l.price, l.size]),
      atl: r.atl.map((l) => [l.price, l.size]),
      batb: r.batb.map((l) => [l.price, l.size]),
      batl: r.batl.map((l) => [l.price, l.size]),
      trd: r.trd.map((l) => [l.price, l.size]),
    })),
  };
}

/** Starts a simulation, a reference pipeline and a source; `source.start` is called. */
export async function esaHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const clock = new ManualClock(Date.now());
  const sim = new ExchangeSimulator({
    now: clock.now,
    seed: opts.seed ?? 7,
    events: opts.events ?? 8,
    rate: opts.rate ?? 200,
  });
  const bf = await startBetfairSimulation({ simulator: sim, now: clock.now, ...opts.sim });
  const reference = createBetfairPipeline({
    source: 'reference',
    sink: () => {},
    maxLatencyMs: null,
    closedMarketTtlMs: Infinity,
  });
  const stopReference = sim.subscribe((m) => reference.handleMessage(m));
  const source = new BetfairSource({
    ...sourceOptions(bf, opts.login ?? 'token'),
    closedMarketTtlMs: 3_600_000,
    ...opts.source,
  });
  const updates: SourceUpdate[] = [];
  opts.beforeStart?.(bf);
  await source.start((u) => updates.push(...u));

  const until = async (cond: () => boolean, what: string, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await sleep(10);
    }
  };
  const h: Harness = {
    clock,
    sim,
    bf,
    reference,
    source,
    updates,
    async run(ms) {
      for (let t = 0; t < ms; t += sim.tickMs) {
        clock.advance(sim.tickMs);
        sim.tick();
        await sleep(2);
      }
    },
    until,
    async caughtUp(timeoutMs = 15_000) {
      await until(
        () => {
          const clk = source.current?.status().clk;
          const token = clk ? decodeClk(clk) : null;
          return source.stream?.state === 'subscribed' && token !== null && token.clk === bf.hub.clk;
        },
        'the source to catch up with the hub clock',
        timeoutMs,
      );
    },
    assertEqualToReference() {
      const p = source.current;
      assert.ok(p, 'source started');
      const held = [...p.stream.markets()].map((c) => c.marketId).sort();
      const expected = source.status().details.subscription as { marketIds: string[] };
      const wanted = expected.marketIds.filter((id) => bf.hub.state.markets.has(id)).sort();
      assert.deepEqual(held, wanted, 'the cache holds exactly the subscribed markets');
      for (const id of held) {
        const live: MarketSnapshot | undefined = p.stream.get(id)?.snapshot();
        const ref: MarketSnapshot | undefined = reference.stream.get(id)?.snapshot();
        assert.ok(live && ref, `${id} in both caches`);
        assert.deepEqual(marketView(live), marketView(ref), `market ${id} equals the reference run`);
      }
    },
    async close() {
      await source.stop();
      stopReference();
      await bf.close();
    },
  };
  return h;
}
