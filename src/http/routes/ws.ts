import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { Broker } from '../../broker/broker.js';
import { DemandRegistry } from '../../broker/demand.js';
import { freshnessNow } from './feed/context.js';
import { oddsData } from './feed/event-odds.js';
import { apiKeyCheck } from '../plugins/api-keys.js';
import { wsSchema } from '../openapi/ops-schemas.js';
import { findArbs } from '../../books/scan.js';
import { renderArb } from '../../books/render.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The WebSocket room broker (`roomStats()`, `clientCount()` for the admin surface). */
    broker: Broker;
    /** Demand for per-event live data (touched by subscribe to an event room and get_odds). */
    demand: DemandRegistry;
  }
}

/** API keys from config when configured (`apiKeys`, a later addition); empty: the broker is open. */
function apiKeysOf(app: FastifyInstance): string[] {
  const keys: unknown = (app.config as unknown as { apiKeys?: unknown }).apiKeys;
  return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string' && k.length > 0) : [];
}

function queryKey(query: unknown): string | undefined {
  const v = (query as Record<string, unknown> | undefined)?.apiKey;
  return typeof v === 'string' ? v : undefined;
}

/**
 * `/ws`: the Porqpine WebSocket room protocol with positions and recovery (src/broker). Decorates the app
 * with `broker` and `demand`; closes every connection with 1001 before the server stops.
 */
export const wsRoutes = fp(
  async (app) => {
    if (!app.hasDecorator('demand')) app.decorate('demand', new DemandRegistry());
    const config = app.config.ws;
    const broker = await Broker.create({
      readModel: app.readModel,
      store: app.store,
      logger: app.log.child({ component: 'broker' }),
      config,
      apiKeys: apiKeysOf(app),
      // Hashed keys of the api-keys plugin (src/http/plugins/api-keys.ts), when configured; request
      // actions count against the same per-key limit as REST (src/http/plugins/rate-limit.ts).
      ...(app.hasDecorator('keyRing') && app.keyRing.size > 0
        ? { identify: (key: string) => app.keyRing.match(key) }
        : {}),
      ...(app.hasDecorator('countKeyRequest') ? { countRequest: app.countKeyRequest } : {}),
      demand: app.demand,
      arbs: () => {
        if (!app.hasDecorator('books')) return [];
        const rm = app.readModel;
        const found = findArbs(rm.events.values(), (id) => rm.marketsOf(id), app.books.clock(), {
          total: app.config.books.arbTotal,
          minEdgePct: 0,
          limits: app.books.limits,
        });
        return found.map((a) => renderArb(a, rm.events.get(a.eventId)));
      },
      odds: (matchId) => {
        const event = app.readModel.findEvent(matchId);
        if (!event) return null;
        return oddsData(event, matchId, app.readModel.marketsOf(event.id), freshnessNow(app));
      },
    });
    app.decorate('broker', broker);
    app.addHook('preClose', async () => broker.close());
    await app.register(websocket, {
      options: { maxPayload: config.maxFrameBytes, perMessageDeflate: false },
    });
    // The upgrade's key check is on the matched route (a valid key is noted for its rate limit).
    const keyCheck = apiKeyCheck(app, { query: 'apiKey', upgrade: true });
    const options = {
      websocket: true,
      schema: wsSchema,
      ...(keyCheck ? { onRequest: keyCheck } : {}),
    } as const;
    app.get('/ws', options, (socket, req) => {
      const header = req.headers['x-api-key'];
      const headerKey = typeof header === 'string' ? header : undefined;
      broker.connect(socket, req.raw.socket, { ip: req.ip, headerKey, queryKey: queryKey(req.query) });
    });
  },
  { name: 'broker', dependencies: ['store', 'read-model', 'ingest'] },
);
