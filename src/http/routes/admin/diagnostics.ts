import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { brokerRoomStats } from '../../porqpine/broker-stats.js';
import { renderResult } from '../../../contracts/porqpine/results.js';
import { porqpineState } from '../../porqpine/state.js';
import { withTimeout } from '../../../core/timeout.js';
import { cacheByPrefix, cacheEntries } from './cache-stats.js';
import { STORE_PROBE_TIMEOUT_MS, storedResults, upstreamRooms } from './probes.js';
import { AccountsBody, adminSchema, CacheBody, ResultsBody, RoomsBody } from './responses.js';

const RECENT_RESULTS = 20;

/** `/accounts`: every source's session state. */
function accounts(app: FastifyInstance) {
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
  return { success: true as const, count: data.length, data };
}

/** `/socket-rooms`: the broker's rooms by subscribers, and the upstream live rooms. */
function socketRooms(app: FastifyInstance) {
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
  return { success: true as const, count: rooms.length, data };
}

/** `/results`: the result saver's counts and recent results (from memory when the store does not answer). */
async function results(app: FastifyInstance) {
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
    recent: (recent ?? fallback).map((r) => ({ ...renderResult(r) })),
  };
  return { success: true as const, data };
}

/** The admin diagnostics: `/accounts`, `/socket-rooms`, `/cache`, `/results`. */
export const diagnosticRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = <B extends z.ZodType>(summary: string, body: B) => ({
    schema: adminSchema({ summary, response: { 200: body } }),
  });
  r.get('/accounts', read('Per-source session state', AccountsBody), async () => accounts(app));
  r.get(
    '/socket-rooms',
    read('WebSocket rooms with subscriber counts, and upstream live rooms', RoomsBody),
    async () => socketRooms(app),
  );
  r.get('/cache', read('Cache sizes by prefix', CacheBody), async () => ({
    success: true as const,
    data: { entries: cacheEntries(app), by_prefix: cacheByPrefix(app), raw_frames: app.rawFrames.stats() },
  }));
  r.get('/results', read('Result-saver stats and recent results', ResultsBody), async () => results(app));
};
