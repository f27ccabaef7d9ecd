import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { abpWsSchema } from './responses.js';
import { AbpWsSession, DEFAULT_WS_LIMITS, KeyConnections, type AbpWsLimits } from './ws-session.js';

/** Largest inbound frame (a login or an ack list). */
const MAX_FRAME_BYTES = 64 * 1024;

/**
 * /abp/ws: the ABP WebSocket (document: WebSocket). No credential at connect time: the client logs in with
 * its API key in the protocol. Sessions get data from `app.abp.channels`; all are closed (1001) before the
 * server stops.
 */
export async function abpWsRoutes(app: FastifyInstance): Promise<void> {
  if (!app.hasDecorator('websocketServer'))
    await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });
  const cfg = app.config.abp;
  const limits: AbpWsLimits = {
    ...DEFAULT_WS_LIMITS,
    loginTimeoutMs: cfg.wsLoginTimeoutMs,
    pingIntervalMs: cfg.wsPingIntervalMs,
    pongTimeoutMs: cfg.wsPongTimeoutMs,
    ackRedeliverMs: cfg.wsAckRedeliverMs,
  };
  const connections = new KeyConnections();
  let subscriptionId = 0;
  const sockets = new Set<WebSocket>();
  app.addHook('preClose', async () => {
    for (const s of sockets) s.close(1001, 'Server shutting down');
  });
  app.route({
    method: 'GET',
    url: '/ws',
    schema: abpWsSchema,
    // A plain HTTP GET (no upgrade) is told to upgrade, in the document's error shape.
    handler: async (_req, reply) =>
      reply
        .code(426)
        .header('upgrade', 'websocket')
        .send({ detail: 'Upgrade Required: /abp/ws is a WebSocket' }),
    wsHandler: (socket, req) => {
      const abp = app.abp;
      if (!abp) {
        socket.close(1011, 'The records database is not available');
        return;
      }
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      new AbpWsSession(socket, {
        keys: abp.keys,
        channels: abp.channels,
        connections,
        limits,
        nextSubscriptionId: () => ++subscriptionId,
        log: req.log,
      });
    },
  });
}
