/**
 * The Betfair Exchange live source: the stream client feeding the pipeline (listener → market stream →
 * cache → normalizer → sink), the session, the catalogue (names, the configured filter resolved to
 * markets, demand by event), demand-driven subscriptions, the listMarketBook poller while the stream is
 * down, and the order stream cache.
 */
import { readFile } from 'node:fs/promises';
import type { SourceState, SourceStatus, SourceUpdate } from '../../model/index.js';
import type { Source, UpdateSink } from '../types.js';
import { BookPoller } from './book-poller.js';
import { BetfairCatalogue } from './catalogue.js';
import { CatalogueNames } from './catalogue-names.js';
import { CatalogueSync, hasFilter, streamFilter } from './catalogue-sync.js';
import { DemandTracker } from './demand.js';
import { MarketRetirement } from './market-retirement.js';
import { createBetfairPipeline, type BetfairPipeline } from './pipeline.js';
import type { MarketChange, MarketChangeMessage } from './protocol.js';
import { BetfairSession } from './session.js';
import { BetfairStreamClient, type StreamClientState } from './stream-client.js';
import { silentLogger, type BetfairLogger } from './types.js';
import { defined, liveDetails } from './live-status.js';
import type { BetfairSourceOptions, DemandAware } from './live-options.js';
import { PollFallback } from './poll-fallback.js';

export type { BetfairSourceOptions, DemandAware } from './live-options.js';

/** The live Betfair Exchange source (`SOURCES=betfair`). */
export class BetfairSource implements Source, DemandAware {
  readonly name: string;
  readonly names = new CatalogueNames();
  private pipeline: BetfairPipeline | null = null;
  private session: BetfairSession | null = null;
  private catalogue: BetfairCatalogue | null = null;
  private sync: CatalogueSync | null = null;
  private client: BetfairStreamClient | null = null;
  private poller: BookPoller | null = null;
  private demand: DemandTracker;
  private sink: UpdateSink = () => {};
  private running = false;
  private everSubscribed = false;
  private readonly fallback: PollFallback;
  private subscribed = new Set<string>();
  private readonly log: BetfairLogger;
  private startError: string | null = null;
  private readonly retirement: MarketRetirement;

  constructor(private readonly opts: BetfairSourceOptions) {
    this.name = opts.name ?? 'betfair';
    this.log = opts.logger ?? silentLogger;
    this.demand = new DemandTracker({
      windowMs: opts.demandWindowMs,
      debounceMs: opts.resubscribeDebounceMs,
      limit: opts.marketLimit,
      onChange: () => this.onWantedChanged(),
      logger: this.log,
    });
    this.retirement = new MarketRetirement({
      source: this.name,
      stream: () => this.pipeline?.stream ?? null,
      catalogue: () => this.catalogue,
      toImage: (book, def) => this.poller?.toChange(book, def) ?? null,
      fields: opts.fields,
      ladderLevels: opts.ladderLevels,
      sink: (updates) => this.sink(updates),
      feed: (msg) => this.feed(msg),
    });
    this.fallback = new PollFallback({
      afterMs: opts.pollAfterMs,
      poller: () => this.poller,
      clientState: () => this.client?.state,
      running: () => this.running,
      subscribed: () => this.subscribed.size,
    });
  }

  /** The pipeline (caches and counters), null before start. */
  get current(): BetfairPipeline | null {
    return this.pipeline;
  }

  /** The stream client, null before start. */
  get stream(): BetfairStreamClient | null {
    return this.client;
  }

  /** Connects: session, catalogue (in the background) and stream. */
  async start(sink: UpdateSink): Promise<void> {
    if (this.running) await this.stop();
    this.sink = sink;
    const o = this.opts;
    const [ca, cert, key] = await Promise.all(
      [o.caFile, o.certFile, o.keyFile].map((f) => (f ? readFile(f, 'utf8') : undefined)),
    ).catch((err: unknown) => {
      this.startError = `cannot read a certificate/key/CA file: ${err instanceof Error ? err.message : String(err)}`;
      throw err;
    });
    this.startError = null;
    this.running = true;
    this.session = new BetfairSession({
      appKey: o.appKey,
      identityUrl: o.identityUrl,
      identityCertUrl: o.identityCertUrl,
      keepAliveMs: o.keepAliveMs,
      timeoutMs: o.requestTimeoutMs,
      logger: this.log,
      ...defined({ sessionToken: o.sessionToken, username: o.username, password: o.password, cert, key, ca }),
    });
    this.session.start();
    this.pipeline = this.createPipeline();
    this.catalogue = new BetfairCatalogue({
      url: o.apiUrl,
      appKey: o.appKey,
      session: this.session,
      timeoutMs: o.requestTimeoutMs,
      logger: this.log,
      ...defined({ ca }),
    });
    this.sync = new CatalogueSync({
      catalogue: this.catalogue,
      names: this.names,
      filter: o.filter,
      limit: () => this.demand.limit,
      refreshMs: o.catalogueRefreshMs,
      onConfigured: (ids) => this.demand.setConfigured(ids),
      onNamed: (ids) => this.renameCached(ids),
      logger: this.log,
    });
    this.poller = this.createPoller();
    this.client = this.createClient(ca);
    this.demand.start();
    void this.sync.start().then(() => this.client?.resubscribe());
    this.client.start();
  }

  /** Disconnects everything. */
  async stop(): Promise<void> {
    this.running = false;
    this.demand.stop();
    this.sync?.stop();
    this.fallback.stop();
    await this.client?.stop();
    const { catalogue, session } = this;
    this.catalogue = null;
    this.session = null;
    await Promise.all([catalogue?.close(), session?.stop()]);
  }

  demandEvent(betfairEventId: string | null, marketIds: readonly string[]): void {
    if (!this.running) return;
    if (marketIds.length > 0) {
      this.demand.touch(marketIds);
      void this.sync?.nameMarkets(marketIds).catch(() => undefined);
      return;
    }
    if (!betfairEventId || !this.sync) return;
    this.sync.marketsOfEvent(betfairEventId).then(
      (ids) => this.demand.touch(ids),
      (err: unknown) =>
        this.log.warn({ eventId: betfairEventId, error: String(err) }, 'betfair demand lookup failed'),
    );
  }

  /** Status for /status and /admin: stream, subscription, session, catalogue, poller and orders. */
  status(): SourceStatus {
    const p = this.pipeline?.status();
    const c = this.client;
    return {
      source: this.name,
      kind: 'betfair-stream',
      state: this.state(),
      connected: c?.state === 'subscribed',
      lastError: c?.stats.lastError ?? this.session?.lastError ?? this.startError,
      lastErrorAt: c?.stats.lastErrorAt ?? null,
      lastUpdateAt: p?.lastUpdateAt ?? null,
      frames: p?.frames ?? 0,
      markets: p?.markets ?? 0,
      details: liveDetails({
        host: this.opts.streamHost,
        port: this.opts.streamPort,
        client: c,
        pipeline: p,
        subscription: {
          mode: this.mode(),
          subscribed: this.subscribed.size,
          ...this.demand.desired(),
          retired: this.retirement.retired,
        },
        session: this.session,
        sync: this.sync,
        catalogue: this.catalogue,
        named: this.names.size,
        poller: this.poller,
        orders: this.orderCounts(),
      }),
    };
  }

  /** Markets and orders held by the order stream cache. */
  orderCounts(): { markets: number; orders: number; clk: string | null } {
    const p = this.pipeline;
    if (!p) return { markets: 0, orders: 0, clk: null };
    let orders = 0;
    for (const id of this.orderMarkets)
      orders +=
        p.orders
          .get(id)
          ?.snapshot()
          .reduce((n, r) => n + r.orders.length, 0) ?? 0;
    return { markets: p.orders.size, orders, clk: p.status().orderClk };
  }

  private readonly orderMarkets = new Set<string>();

  private state(): SourceState {
    if (!this.running) return 'stopped';
    const s = this.client?.state;
    if (s === 'subscribed') return this.pipeline?.listener.degraded ? 'degraded' : 'connected';
    if (s === 'idle') return this.sync?.settled ? 'connected' : 'starting';
    if (this.poller?.active) return 'degraded';
    return this.everSubscribed ? 'disconnected' : 'starting';
  }

  private mode(): 'marketIds' | 'filter' | 'none' {
    if (this.demand.desired().marketIds.length > 0) return 'marketIds';
    return this.sync?.settled && !this.sync.healthy && hasFilter(this.opts.filter) ? 'filter' : 'none';
  }

  /** What the stream subscribes to now: the wanted market ids; the configured filter while the catalogue is down. */
  private marketFilter(): Record<string, unknown> | null {
    if (!this.sync?.settled) return null;
    const ids = this.demand.desired().marketIds;
    if (ids.length > 0) {
      this.subscribed = new Set(ids);
      return { marketIds: ids };
    }
    if (!this.sync.healthy && hasFilter(this.opts.filter)) return streamFilter(this.opts.filter);
    return null;
  }

  private createPipeline(): BetfairPipeline {
    return createBetfairPipeline({
      source: this.name,
      sink: (updates: SourceUpdate[]) => this.sink(this.names.enrich(updates)),
      logger: this.log,
      maxLatencyMs: this.opts.maxLatencyMs,
      ...defined({ closedMarketTtlMs: this.opts.closedMarketTtlMs }),
      onStatus: (msg) => this.client?.onStatus(msg),
      onOrderChange: (touched) => {
        for (const c of touched) this.orderMarkets.add(c.marketId);
      },
    });
  }

  private createClient(ca: string | undefined): BetfairStreamClient {
    const o = this.opts;
    const listener = () => (this.pipeline as BetfairPipeline).listener.market;
    return new BetfairStreamClient({
      host: o.streamHost,
      port: o.streamPort,
      appKey: o.appKey,
      session: this.session as BetfairSession,
      marketFilter: () => this.marketFilter(),
      fields: o.fields,
      ladderLevels: o.ladderLevels,
      conflateMs: o.conflateMs,
      heartbeatMs: o.heartbeatMs,
      orders: o.orders,
      clocks: () => ({ initialClk: listener().initialClk, clk: listener().clk }),
      resetClocks: () => {
        listener().initialClk = null;
        listener().clk = null;
      },
      onLine: (line) => this.onLine(line),
      onSubscriptionRefused: () => this.demand.lowerLimit(),
      onState: (s) => this.onClientState(s),
      logger: this.log,
      ...defined({ ca, backoff: o.backoff }),
    });
  }

  private createPoller(): BookPoller {
    return new BookPoller({
      catalogue: this.catalogue as BetfairCatalogue,
      markets: () => [...this.subscribed],
      definition: (id) => this.pipeline?.stream.get(id)?.definition ?? null,
      fields: this.opts.fields,
      ladderLevels: this.opts.ladderLevels,
      intervalMs: this.opts.pollIntervalMs,
      feed: (msg) => this.feed(msg),
      logger: this.log,
    });
  }

  /** A stream line: names added to definitions, then the pipeline (one parse). */
  private onLine(line: string): void {
    const p = this.pipeline;
    if (!p) return;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.opts.onRecord?.(line);
      return p.handleLine(line);
    }
    const m = msg as Partial<MarketChangeMessage>;
    if (m.op === 'mcm') this.fallback.onStreamData();
    let named = false;
    if (m.op === 'mcm' && Array.isArray(m.mc)) {
      named = m.mc.some((mc) => mc?.marketDefinition !== undefined);
      this.names.nameChanges(m.mc);
    }
    this.opts.onRecord?.(named ? JSON.stringify(msg) : line);
    this.retirement.before(m);
    p.handleMessage(msg);
    this.retirement.after(m);
  }

  /** A message made here (poller image, names refresh) goes through the pipeline (and the recorder). */
  private feed(msg: MarketChangeMessage): void {
    if (!this.pipeline) return;
    this.opts.onRecord?.(JSON.stringify(msg));
    this.pipeline.handleMessage(msg);
  }

  private onClientState(s: StreamClientState): void {
    if (s === 'subscribed') this.everSubscribed = true;
    this.fallback.onClientState(s);
  }

  /** The wanted set changed: resubscribe (clocks kept) and retire markets no longer wanted. */
  private onWantedChanged(): void {
    const before = this.subscribed;
    const now = new Set(this.demand.desired().marketIds);
    if (now.size === before.size && [...now].every((id) => before.has(id))) return;
    this.subscribed = now;
    const gone = [...before].filter((id) => !now.has(id));
    // Retired once Betfair switched subscriptions, so no late change of the old one recreates them.
    void this.client?.resubscribe().then(() => {
      if (gone.length > 0 && this.running) this.retirement.retire(gone);
    });
    void this.sync?.nameMarkets([...now]).catch(() => undefined);
  }

  /** Markets the catalogue named after the stream delivered them: re-emitted with the names. */
  private renameCached(ids: readonly string[]): void {
    const p = this.pipeline;
    if (!p) return;
    const mc: MarketChange[] = [];
    for (const id of ids) {
      const def = p.stream.get(id)?.definition;
      if (def) mc.push({ id, marketDefinition: this.names.namedCopy(id, def) });
    }
    if (mc.length > 0) this.feed({ op: 'mcm', mc });
  }
}
