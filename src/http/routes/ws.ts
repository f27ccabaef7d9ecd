import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import { apiKeyCheck } from '../plugins/api-keys.js';
import { wsSchema } from '../openapi/ops-schemas.js';

function queryKey(query: unknown): string | undefined {
  const v = (query as Record<string, unknown> | undefined)?.apiKey;
  return typeof v === 'string' ? v : undefined;
}

/**
 * `/ws`: the Porqpine WebSocket room protocol with positions and recovery, served by the broker the
 * composition root built (`app.broker`, src/broker), which closes every connection with 1001 before the
 * server stops.
 */
export const wsRoutes = fp(
  async (app) => {
    const broker = app.broker;
    await app.register(websocket, {
      options: { maxPayload: app.config.ws.maxFrameBytes, perMessageDeflate: false },
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
  { name: 'broker', dependencies: ['services'] },
);
