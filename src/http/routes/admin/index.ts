import type { FastifyPluginAsync } from 'fastify';
import { brokerRoomStats } from '../../porqpine/broker-stats.js';
import { installCors } from '../../porqpine/cors.js';
import { renderResult } from '../../../contracts/porqpine/results.js';
import { porqpineState } from '../../porqpine/state.js';
import { withTimeout } from '../../../core/timeout.js';
import { requireApiKey } from '../../plugins/api-keys.js';
import { cacheByPrefix, cacheEntries } from './cache-stats.js';
import { requireAdminForChanges } from './credential.js';
import { domainRoutes } from './domains.js';
import { healthData, healthHttpStatus } from './health.js';
import { withoutPaths } from './paths.js';
import { matchingRoutes } from './matching.js';
import { abpKeyAdminRoutes } from './abp-keys.js';
import { emergencyRoutes } from './emergency.js';
import { STORE_PROBE_TIMEOUT_MS, storedResults, upstreamRooms } from './probes.js';

const RECENT_RESULTS = 20;
const NO_STORE = 'no-store';

/**
 * The Porqpine admin surface (seed 001), mounted at /api/v1/admin: health (503 when degraded), upstream
 * accounts, socket rooms, cache and result-saver diagnostics. Never cached, never carries a filesystem path.
 * API key when keys are configured; changes (non-GET) also the admin credential, and no CORS for them.
 */
export const adminRoutes: FastifyPluginAsync = async (app) => {
  porqpineState(app);
  installCors(app, { readOnly: true });
  requireApiKey(app);
  requireAdminForChanges(app);
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('cache-control', NO_STORE);
    return typeof payload === 'string' ? withoutPaths(payload) : payload;
  });

  app.get('/health', async (_req, reply) => {
    const data = await healthData(app);
    return reply.code(healthHttpStatus(data.status)).send({ success: true, data });
  });

  await app.register(domainRoutes());
  await app.register(matchingRoutes);
  await app.register(abpKeyAdminRoutes);
  await app.register(emergencyRoutes);

  app.get('/accounts', async () => {
    const data = app.sources.statuses().map((s) => ({
      source: s.source,
      kind: s.kind,
      state: s.state,
      connected: s.connected,
      active: s.connected && s.state === 'connected',
      last_error: s.lastError,
      last_error_at: s.lastErrorAt === null ? null : new Date(s.lastErrorAt).toISOString(),
      last_update_at: s.lastUpdateAt === null ? null : new Date(s.lastUpdateAt).toISOString(),
      frames: s.frames,
      markets: s.markets,
      /** Order stream cache counts (sources with an order stream, e.g. betfair), else null. */
      orders: s.details.orders ?? null,
      details: s.details,
    }));
    return { success: true, count: data.length, data };
  });

  app.get('/socket-rooms', async () => {
    const broker = brokerRoomStats(app);
    const rooms = Object.entries(broker?.rooms ?? {})
      .map(([room, subscribers]) => ({ room, subscribers }))
      .sort((a, b) => b.subscribers - a.subscribers || a.room.localeCompare(b.room));
    const data = {
      broker: broker !== null,
      ws_clients: broker?.clients ?? 0,
      rooms,
      upstream: upstreamRooms(app),
    };
    return { success: true, count: rooms.length, data };
  });

  app.get('/cache', async () => {
    const data = {
      entries: cacheEntries(app),
      by_prefix: cacheByPrefix(app),
      raw_frames: app.rawFrames.stats(),
    };
    return { success: true, data };
  });

  app.get('/results', async () => {
    const [total, recent] = await Promise.all([
      storedResults(app),
      withTimeout(app.store.listResults({ limit: RECENT_RESULTS }), STORE_PROBE_TIMEOUT_MS, 'results').catch(
        () => null,
      ),
    ]);
    const fallback = porqpineState(app).results.list({ limit: RECENT_RESULTS });
    const data = {
      total: total ?? app.ingest.stats.results,
      store_reachable: total !== null,
      recorded_since_start: app.ingest.stats.results,
      snapshots: { events_tracked: app.readModel.events.size },
      recent: (recent ?? fallback).map(renderResult),
    };
    return { success: true, data };
  });
};
