import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { KeyConnections } from '../abp/ws-session.js';
import { mmWsSchema } from './responses.js';
import { DEFAULT_MM_WS_LIMITS, MmWsSession, type MmWsLimits } from './ws-session.js';

/** Largest inbound frame (a subscribe message). */
const MAX_FRAME_BYTES = 16 * 1024;

/**
 * /mm/ws/subscribe: the MM WebSocket. No credential at connect time: the client subscribes with its API key.
 * Broadcasts come from the execution channels (`app.abp.channels`); a plain HTTP GET is 426.
 */
export async function mmWsRoutes(
  app: FastifyInstance,
  opts: { limits?: Partial<MmWsLimits> },
): Promise<void> {
  if (!app.hasDecorator('websocketServer'))
    await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });
  const limits: MmWsLimits = { ...DEFAULT_MM_WS_LIMITS, ...opts.limits };
  const connections = new KeyConnections();
  let subscriptionId = 0;
  const sockets = new Set<WebSocket>();
  app.addHook('preClose', async () => {
    for (const s of sockets) s.close(1001, 'Server shutting down');
  });
  app.route({
    method: 'GET',
    url: '/subscribe',
    schema: mmWsSchema,
    handler: async (_req, reply) =>
      reply
        .code(426)
        .header('upgrade', 'websocket')
        .send({ detail: 'Upgrade Required: /mm/ws/subscribe is a WebSocket' }),
    wsHandler: (socket, req) => {
      const abp = app.abp;
      if (!abp) {
        socket.close(1011, 'The records database is not available');
        return;
      }
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      new MmWsSession(socket, {
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
