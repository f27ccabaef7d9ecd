import type { FastifyInstance } from 'fastify';
import { brokerRoomStats } from '../../porqpine/broker-stats.js';
import { APP_VERSION } from '../../porqpine/version.js';
import { cacheEntries } from './cache-stats.js';
import { historyHealth } from './history-health.js';
import { probeRecords, probeStore, storedResults, upstreamRooms } from './probes.js';

const MB = 1024 * 1024;

/**
 * The /admin/health `data` (seed 001 fields, plus additive `role`, `store`, `ingest`, `sources`,
 * `sources_origin`, `reasons`): `degraded` when no source is healthy (ROLE=api: when the update log is
 * stale) or the store does not answer its ping; `standby` (HTTP 200) when this instance runs sources but
 * waits for the ingest lease another instance holds; else `ok`. `sources` are the whole system's: this
 * instance's own while it is the writer, else those the writer published to the store (SourceStatusBoard). Bounded in time: each store call
 * has a guard timeout, and they run in parallel.
 */
export async function healthData(app: FastifyInstance) {
  const [store, results, board, records] = await Promise.all([
    probeStore(app),
    storedResults(app),
    app.sourceBoard.view(),
    probeRecords(app),
  ]);
  const statuses = board.statuses;
  const active = statuses.filter((s) => s.connected && s.state === 'connected').length;
  const reasons: string[] = [];
  // ROLE=api runs no source: it is healthy while the update log (written by the ingest role) is fresh.
  if (app.config.role === 'api') {
    const last = app.readModel.lastChangeAt;
    const staleSec = app.config.health.logStaleSec;
    if (last === null || Date.now() - last > staleSec * 1000)
      reasons.push(
        `update log stale: nothing applied for over ${staleSec} s (is an ingest instance running?)`,
      );
  } else if (isStandby(app)) {
    // A healthy instance waiting for the ingest lease: nothing of its own to be healthy about.
  } else if (app.config.role === 'history') {
    // ROLE=history runs no source: healthy while its writer is (the records database check is below).
    if (app.history?.writer?.stats.paused) reasons.push('history writer paused: database writes failing');
  } else if (active === 0)
    reasons.push(statuses.length === 0 ? 'no upstream source configured' : 'no upstream source is healthy');
  if (!store.reachable) reasons.push(`store (${app.store.kind}) unreachable`);
  if (records && !records.reachable) reasons.push(`records database (${records.kind}) unreachable`);
  const mem = process.memoryUsage();
  const broker = brokerRoomStats(app);
  return {
    status: healthStatus(app, reasons),
    role: app.config.role,
    version: APP_VERSION,
    uptime_s: Math.floor((Date.now() - app.startedAt) / 1000),
    memory: { rss_mb: Math.round(mem.rss / MB), heapUsed_mb: Math.round(mem.heapUsed / MB) },
    cache: { entries: cacheEntries(app) },
    socket: { connected: active > 0, rooms_subscribed: upstreamRooms(app) },
    accounts: { total: statuses.length, active },
    ws_clients: broker?.clients ?? 0,
    result_saver: {
      total: results ?? app.ingest.stats.results,
      snapshots: { events_tracked: app.readModel.events.size },
      recorded_since_start: app.ingest.stats.results,
      pending_changes: app.ingest.stats.pending,
    },
    store: { kind: app.store.kind, ...store },
    records,
    history: await historyHealth(app),
    ingest: ingestRole(app),
    sources: statuses.map((s) => ({ source: s.source, state: s.state, connected: s.connected })),
    sources_origin: {
      origin: board.origin,
      instance: board.instance,
      published_at: board.publishedAt === null ? null : new Date(board.publishedAt).toISOString(),
      stale: board.stale,
    },
    reasons,
  };
}

/** The health answer's HTTP status: 503 only when `degraded` (`standby` is healthy, waiting). */
export function healthHttpStatus(status: HealthStatus): 200 | 503 {
  return status === 'degraded' ? 503 : 200;
}

export type HealthStatus = 'ok' | 'standby' | 'degraded';

/** True when this instance runs sources but another instance holds the ingest lease. */
function isStandby(app: FastifyInstance): boolean {
  return app.ingestLease !== null && !app.ingestLease.held;
}

function healthStatus(app: FastifyInstance, reasons: readonly string[]): HealthStatus {
  if (reasons.length > 0) return 'degraded';
  return isStandby(app) ? 'standby' : 'ok';
}

/**
 * Whether this instance is the writer of state and update log: with an ingest lease (Redis, sources), its
 * holder, with the lease's term (fencing epoch); without one, every instance that runs sources.
 */
function ingestRole(app: FastifyInstance): { writer: boolean; lease: boolean; lease_epoch: number | null } {
  const lease = app.ingestLease;
  if (lease) return { writer: lease.held, lease: true, lease_epoch: lease.epoch };
  return { writer: app.config.role !== 'api', lease: false, lease_epoch: null };
}
