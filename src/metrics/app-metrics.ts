import { Counter, Gauge, type Registry } from 'prom-client';
import type { SourceStatus } from '../model/index.js';
import { sharedDomainPools, type DomainPoolRegistry } from '../pool/registry.js';
import { CounterMirror } from './mirror.js';
import { SourceMetrics } from './source-metrics.js';

/** The broker's stats fields read here (src/broker/broker.ts `stats()`). */
interface BrokerStats {
  clients?: number;
  rooms?: number;
  slow_consumers_closed?: number;
  messages_out?: number;
}

/** What the application families are read from at scrape time (the services the composition root built). */
export interface MetricsSubjects {
  sources: { statuses(): readonly SourceStatus[] };
  /** Absent on a process without the WebSocket surface (ROLE=ingest, ROLE=history). */
  broker: { stats(): object } | null;
  ingest: { readonly stats: { updates: number; commits: number; failures: number; pending: number } };
  readModel: {
    readonly events: { readonly size: number };
    readonly markets: { readonly size: number };
    readonly lastChangeAt: number | null;
  };
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/**
 * The application families, all read at scrape time from what the services already keep: WebSocket
 * clients, rooms, messages out and slow-consumer closes (broker stats); per-source families; ingest
 * updates, commits and failures; events and markets in the read model and the update log's age; domain
 * pool state. Register `collect` as the collect function of one gauge so a scrape refreshes them all.
 */
export class AppMetrics {
  readonly sources: SourceMetrics;
  private readonly wsClients: Gauge;
  private readonly wsRooms: Gauge;
  private readonly wsOut: CounterMirror<never>;
  private readonly wsSlow: CounterMirror<never>;
  private readonly ingestUpdates: CounterMirror<never>;
  private readonly ingestCommits: CounterMirror<never>;
  private readonly ingestFailures: CounterMirror<never>;
  private readonly ingestPending: Gauge;
  private readonly events: Gauge;
  private readonly markets: Gauge;
  private readonly logAge: Gauge;
  private readonly poolDomains: Gauge<'pool' | 'state'>;
  private readonly poolRequests: CounterMirror<'pool'>;
  private readonly poolFailures: CounterMirror<'pool'>;

  constructor(
    private readonly subjects: MetricsSubjects,
    registry: Registry,
    private readonly pools: DomainPoolRegistry = sharedDomainPools,
  ) {
    const registers = [registry];
    const gauge = (name: string, help: string) => new Gauge({ name, help, registers });
    const counter = (name: string, help: string) => new CounterMirror(new Counter({ name, help, registers }));
    this.sources = new SourceMetrics(registry);
    this.wsClients = gauge('oddsgate_ws_clients', 'Open WebSocket connections.');
    this.wsRooms = gauge('oddsgate_ws_rooms', 'Rooms with at least one subscriber.');
    this.wsOut = counter('oddsgate_ws_messages_sent_total', 'Push messages queued to WebSocket clients.');
    this.wsSlow = counter(
      'oddsgate_ws_slow_consumer_closes_total',
      'Connections closed as slow consumers (4008).',
    );
    this.ingestUpdates = counter('oddsgate_ingest_updates_total', 'Source updates accepted by ingest.');
    this.ingestCommits = counter('oddsgate_ingest_commits_total', 'Ingest commits (state + update log).');
    this.ingestFailures = counter('oddsgate_ingest_commit_failures_total', 'Ingest commits that failed.');
    this.ingestPending = gauge('oddsgate_ingest_pending_changes', 'Changes waiting to be committed.');
    this.events = gauge('oddsgate_read_model_events', 'Events in this instance read model.');
    this.markets = gauge('oddsgate_read_model_markets', 'Markets in this instance read model.');
    this.logAge = gauge(
      'oddsgate_update_log_age_seconds',
      'Seconds since the last update-log entry applied.',
    );
    this.poolDomains = new Gauge({
      name: 'oddsgate_domain_pool_domains',
      help: 'Domains of each pool by state (healthy, cooldown).',
      labelNames: ['pool', 'state'] as const,
      registers,
    });
    const poolCounter = (name: string, help: string) =>
      new CounterMirror(new Counter({ name, help, labelNames: ['pool'] as const, registers }));
    this.poolRequests = poolCounter('oddsgate_domain_pool_requests_total', 'Requests made through the pool.');
    this.poolFailures = poolCounter('oddsgate_domain_pool_failures_total', 'Failed requests of the pool.');
  }

  /** Refreshes every family (called at scrape). */
  collect(): void {
    const now = Date.now();
    const { sources, broker, ingest, readModel: rm } = this.subjects;
    this.sources.collect(sources.statuses(), now);
    if (broker) this.collectBroker(broker.stats() as BrokerStats);
    const s = ingest.stats;
    this.ingestUpdates.set({}, s.updates);
    this.ingestCommits.set({}, s.commits);
    this.ingestFailures.set({}, s.failures);
    this.ingestPending.set(s.pending);
    this.events.set(rm.events.size);
    this.markets.set(rm.markets.size);
    if (rm.lastChangeAt !== null) this.logAge.set(Math.max(0, now - rm.lastChangeAt) / 1000);
    this.collectPools(now);
  }

  private collectBroker(s: BrokerStats): void {
    this.wsClients.set(num(s.clients));
    this.wsRooms.set(num(s.rooms));
    this.wsOut.set({}, num(s.messages_out));
    this.wsSlow.set({}, num(s.slow_consumers_closed));
  }

  private collectPools(now: number): void {
    for (const pool of this.pools.all()) {
      let healthy = 0;
      let requests = 0;
      let failures = 0;
      const list = pool.list();
      for (const d of list) {
        if (d.cooldownUntil === null || d.cooldownUntil <= now) healthy++;
        requests += d.totalRequests;
        failures += d.failures;
      }
      this.poolDomains.set({ pool: pool.name, state: 'healthy' }, healthy);
      this.poolDomains.set({ pool: pool.name, state: 'cooldown' }, list.length - healthy);
      this.poolRequests.set({ pool: pool.name }, requests);
      this.poolFailures.set({ pool: pool.name }, failures);
    }
  }
}
