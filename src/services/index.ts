import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from '../config/index.js';
import { findArbs } from '../books/scan.js';
import { renderArb } from '../books/render.js';
import { Broker, type BrokerOptions } from '../broker/broker.js';
import type { DemandRegistry } from '../broker/demand.js';
import type { DemandRelay } from '../cluster/demand-relay.js';
import type { Execution } from '../execution/index.js';
import type { AbpService } from '../execution/service.js';
import type { Ingest } from '../ingest/ingest.js';
import { MatchingService } from '../matching/service.js';
import { AppMetrics } from '../metrics/app-metrics.js';
import { instrumentStore } from '../metrics/store-metrics.js';
import type { Market } from '../model/index.js';
import { ReadModel } from '../read-model/read-model.js';
import type { Records } from '../records/index.js';
import type { Source } from '../sources/types.js';
import type { Store } from '../store/types.js';
import { buildAbp } from './abp.js';
import { buildBooks, type BooksService } from './books.js';
import { buildDemand } from './demand.js';
import { buildExecution, type ExecutionOptions } from './execution.js';
import { buildHistory, type HistoryService } from './history.js';
import { buildMm, type MmOptions } from './mm.js';
import type { MmEngine } from '../mm/engine.js';
import type { ChannelRelay } from '../cluster/channel-relay.js';
import { buildIngest, type IngestServices } from './ingest.js';
import { Lifecycle } from './lifecycle.js';

export type { BooksService } from './books.js';
export type { ExecutionOptions } from './execution.js';
export type { HistoryService } from './history.js';
export type { MmOptions } from './mm.js';

/** The broker's hooks into the HTTP surfaces (API keys, the per-key rate limit, `get_odds` data). */
export type BrokerSurface = Pick<BrokerOptions, 'identify' | 'countRequest' | 'odds'>;

/** What the object graph is built from: configuration, the opened storage and the HTTP surfaces' hooks. */
export interface ServicesOptions {
  config: Config;
  store: Store;
  /** The records database (durable ids and results, results archive, orders); null: none (tests). */
  records: Records | null;
  /** Sources to run (ignored by ROLE=api and ROLE=history, which never write). */
  sources: Source[];
  logger: Logger;
  onRaw?: ((market: Market, raw: unknown) => void) | undefined;
  /** Execution settings over the defaults; false: no order execution. */
  execution?: Partial<ExecutionOptions> | false | undefined;
  /** Overrides of config.mm for the market maker (tests). */
  mm?: MmOptions | undefined;
  /** The WebSocket broker's surface hooks; null: no broker (ROLE=ingest, ROLE=history serve no /ws). */
  broker: BrokerSurface | null;
}

/** Every long-lived service of one process: what Fastify plugins expose to routes. */
export interface ServiceGraph extends IngestServices {
  store: Store;
  records: Records | null;
  /** This process's Prometheus registry (one per app, so several apps can share a process in tests). */
  metrics: Registry;
  /** The application metric families read at scrape time; null with METRICS_ENABLED=false. */
  appMetrics: AppMetrics | null;
  readModel: ReadModel;
  /** Resolves when the read model has applied everything committed so far (tests, graceful start). */
  settle(): Promise<void>;
  /** Cross-source event matching (null when MATCHING_ENABLED=false). */
  matching: MatchingService | null;
  books: BooksService;
  /** Demand for per-event live data (subscribes to event rooms, get_odds, /event/:id/odds). */
  demand: DemandRegistry;
  /** Relays demand between instances sharing a Redis (null on the memory store). */
  demandRelay: DemandRelay | null;
  /** Odds history; null without the records database. */
  history: HistoryService | null;
  /** The ABP services (keys, accounts, channels, betslips); null without the records database. */
  abp: AbpService | null;
  /** Relays the ABP/MM WebSocket pushes between instances sharing a Redis (null without Redis). */
  abpRelay: ChannelRelay | null;
  /** Order execution (ABP orders, Diamond bets); null without records, on ROLE=ingest, or when turned off. */
  execution: Execution | null;
  /** The market-making engine (null unless MM_ENABLED and order execution runs here). */
  mm: MmEngine | null;
  /** The WebSocket room broker; null where /ws is not served. */
  broker: Broker | null;
}

/** The graph and the lifecycle that starts, stops and closes it in order. */
export interface Services extends ServiceGraph {
  lifecycle: Lifecycle;
}

const SETTLE_TIMEOUT_MS = 5000;

/**
 * The composition root: builds the object graph in dependency order — records, store, metrics registry,
 * read model, results archive, matching, sequencer and ingest (lease, sources, status board, notices),
 * books, demand, history, ABP, execution, broker, application metrics — and registers each part with the
 * lifecycle, which starts them in that order and stops and closes them in the reverse one. If a step
 * fails, what was built is closed before the error is thrown.
 */
export async function createServices(opts: ServicesOptions): Promise<Services> {
  const lifecycle = new Lifecycle(opts.logger);
  try {
    const graph = await buildGraph(opts, lifecycle);
    return { ...graph, lifecycle };
  } catch (err) {
    await lifecycle.close();
    throw err;
  }
}

async function buildGraph(opts: ServicesOptions, lifecycle: Lifecycle): Promise<ServiceGraph> {
  const { config, store, records } = opts;
  if (records) lifecycle.add({ name: 'records', close: () => records.close() });
  await store.connect();
  lifecycle.add({ name: 'store', close: () => store.close() });
  const metrics = metricsRegistry(config, store, lifecycle);
  const readModel = await buildReadModel(store, records, lifecycle);
  const matching = await buildMatching(config, store, opts.logger);
  const passive = config.role === 'api' || config.role === 'history';
  const ing = await buildIngest({
    ...opts,
    readModel,
    matching,
    lifecycle,
    sources: passive ? [] : opts.sources,
    passive,
  });
  const domain = await buildDomain(opts, lifecycle, { ...ing, metrics, readModel });
  const broker = opts.broker
    ? await buildBroker(
        opts,
        opts.broker,
        { readModel, books: domain.books, demand: domain.demand },
        lifecycle,
      )
    : null;
  const appMetrics = config.metrics.enabled
    ? observe(new AppMetrics({ ...ing, readModel, broker }, metrics), ing.ingest, lifecycle)
    : null;
  const settle = settler(store, readModel, ing.ingest);
  return { ...ing, ...domain, store, records, metrics, appMetrics, readModel, settle, matching, broker };
}

/** The domain services over ingest and the read model: books, demand, odds history, ABP, execution. */
async function buildDomain(
  opts: ServicesOptions,
  lifecycle: Lifecycle,
  core: IngestServices & { metrics: Registry; readModel: ReadModel },
): Promise<
  Pick<ServiceGraph, 'books' | 'demand' | 'demandRelay' | 'history' | 'abp' | 'abpRelay' | 'execution' | 'mm'>
> {
  const { config, store, records, logger } = opts;
  const { readModel, metrics, ingestLease } = core;
  const books = buildBooks({ config, readModel, sources: core.sources, ingest: core.ingest, lifecycle });
  const sources = core.sources.sources;
  const demand = buildDemand({ config, readModel, sources, logger, lifecycle });
  const history = records
    ? buildHistory({ config, records, store, readModel, ingestLease, metrics, logger, lifecycle })
    : null;
  const { abp, abpRelay } = records
    ? await buildAbp({ config, records, readModel, logger, lifecycle })
    : { abp: null, abpRelay: null };
  // Not on an ingest-only instance, which serves no order routes.
  const executes = config.role !== 'ingest' && opts.execution !== false && records !== null && abp !== null;
  const execution = executes
    ? await buildExecution({
        config,
        records,
        readModel,
        bookClock: () => books.clock(),
        publisher: abp.channels,
        overrides: opts.execution || {},
        logger,
        lifecycle,
      })
    : null;
  // The market maker (MM_ENABLED): quotes on the maker exchange through the order service just built.
  const mm = execution
    ? buildMm({ config: config.mm, options: opts.mm, readModel, execution, logger, lifecycle })
    : null;
  return { books, ...demand, history, abp, abpRelay, execution, mm };
}

/**
 * The Prometheus registry: Node's process metrics with `metrics.processDefaults`, and the store's timings
 * through its explicit hook (`Store.observe`), nothing patched. Empty with METRICS_ENABLED=false.
 */
function metricsRegistry(config: Config, store: Store, lifecycle: Lifecycle): Registry {
  const registry = new Registry();
  if (!config.metrics.enabled) return registry;
  if (config.metrics.processDefaults) collectDefaultMetrics({ register: registry });
  const stop = instrumentStore(store, registry);
  lifecycle.add({ name: 'store metrics', close: stop });
  return registry;
}

/**
 * The read model, loaded from the store and kept current from the update log. With a store that keeps
 * results itself (Redis), results still go to the archive: every result change the read model applies is
 * queued (an upsert; instances sharing one PostgreSQL write the same row).
 */
async function buildReadModel(
  store: Store,
  records: Records | null,
  lifecycle: Lifecycle,
): Promise<ReadModel> {
  const model = new ReadModel();
  const snapshot = await store.loadSnapshot();
  model.load(snapshot);
  const stop = store.tailLog(snapshot.logPosition, (entries) => model.apply(entries));
  lifecycle.add({ name: 'read model', close: () => stop() });
  if (records && store.kind !== 'memory') {
    const off = model.onChange(({ entry }) => {
      if (entry.change.type === 'result') records.archive(entry.change.result);
    });
    lifecycle.add({ name: 'results archive', close: () => off() });
  }
  return model;
}

/** The matching service (manual decisions loaded from the store), built before ingest, which uses it. */
async function buildMatching(config: Config, store: Store, logger: Logger): Promise<MatchingService | null> {
  const cfg = config.matching;
  if (!cfg.enabled) return null;
  const service = new MatchingService({
    store,
    logger: logger.child({ component: 'matching' }),
    windowMs: cfg.windowMin * 60_000,
  });
  await service.load();
  return service;
}

/** The broker of `/ws`: rooms fed from the read model, `arbs` snapshots from the books, demand touched. */
async function buildBroker(
  opts: ServicesOptions,
  surface: BrokerSurface,
  deps: { readModel: ReadModel; books: BooksService; demand: DemandRegistry },
  lifecycle: Lifecycle,
): Promise<Broker> {
  const { config } = opts;
  const { readModel: rm, books } = deps;
  const broker = await Broker.create({
    readModel: rm,
    store: opts.store,
    logger: opts.logger.child({ component: 'broker' }),
    config: config.ws,
    ...surface,
    demand: deps.demand,
    arbs: () => {
      const found = findArbs(rm.events.values(), (id) => rm.marketsOf(id), books.clock(), {
        total: config.books.arbTotal,
        minEdgePct: 0,
        limits: books.limits,
      });
      return found.map((a) => renderArb(a, rm.events.get(a.eventId)));
    },
  });
  // Stopped first of all: clients get 1001 before sources and ingest stop.
  lifecycle.add({ name: 'broker', stop: () => broker.close() });
  return broker;
}

/** Counts each source's updates through ingest's explicit hook (a sink call carries one source's updates). */
function observe(appMetrics: AppMetrics, ingest: Ingest, lifecycle: Lifecycle): AppMetrics {
  const stop = ingest.onPush((updates) => {
    const first = updates[0];
    if (first) appMetrics.sources.countPush(first.source, updates.length);
  });
  lifecycle.add({ name: 'ingest metrics', close: stop });
  return appMetrics;
}

/** Resolves when ingest committed what it holds and the read model applied the log (≤ 5 s). */
function settler(store: Store, readModel: ReadModel, ingest: Ingest): () => Promise<void> {
  return async () => {
    await ingest.drain();
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const ahead = await store.readLog(readModel.position, 1);
      if (ahead.length === 0) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
}
