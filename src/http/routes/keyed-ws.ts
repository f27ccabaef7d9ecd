import websocket from '@fastify/websocket';
import type { FastifyBaseLogger, FastifyInstance, FastifySchema } from 'fastify';
import type { WebSocket } from 'ws';
import type { AbpService } from '../../execution/service.js';
import { KeyConnections } from './keyed-session.js';

/** What a session of a keyed WebSocket route starts with. */
export interface KeyedWsContext {
  /** The API keys a client logs in with. */
  keys: AbpService['keys'];
  /** The channels it subscribes to. */
  channels: AbpService['channels'];
  /** Open connections per API key (each session enforces its key's cap). */
  connections: KeyConnections;
  /** Subscription ids, unique within the route. */
  nextSubscriptionId: () => number;
  log: FastifyBaseLogger;
}

/** A WebSocket route whose clients log in with an ABP API key inside the protocol (/abp/ws, /mm/ws/subscribe). */
export interface KeyedWsRoute {
  /** The route's URL within its scope. */
  url: string;
  /** Its full path, named in the 426 answer to a plain HTTP GET. */
  path: string;
  /** The route's OpenAPI schema (its 426 answer and the upgrade). */
  schema: FastifySchema;
  /** Largest inbound frame, when this scope registers the WebSocket server. */
  maxFrameBytes: number;
  /** Starts the protocol session on an accepted socket. */
  open: (socket: WebSocket, ctx: KeyedWsContext) => void;
}

/**
 * Registers a keyed WebSocket route: no credential at connect time (the session logs in), connections
 * counted per key, every open socket closed with 1001 before the server stops, 1011 when there is no
 * records database (no keys to check), and 426 `{detail}` with `Upgrade: websocket` for a plain HTTP GET.
 */
export async function keyedWsRoute(app: FastifyInstance, route: KeyedWsRoute): Promise<void> {
  if (!app.hasDecorator('websocketServer'))
    await app.register(websocket, { options: { maxPayload: route.maxFrameBytes } });
  const connections = new KeyConnections();
  let subscriptionId = 0;
  const nextSubscriptionId = () => ++subscriptionId;
  const sockets = new Set<WebSocket>();
  app.addHook('preClose', async () => {
    for (const s of sockets) s.close(1001, 'Server shutting down');
  });
  app.route({
    method: 'GET',
    url: route.url,
    schema: route.schema,
    handler: async (_req, reply) =>
      reply
        .code(426)
        .header('upgrade', 'websocket')
        .send({ detail: `Upgrade Required: ${route.path} is a WebSocket` }),
    wsHandler: (socket, req) => {
      const abp = app.abp;
      if (!abp) {
        socket.close(1011, 'The records database is not available');
        return;
      }
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      route.open(socket, {
        keys: abp.keys,
        channels: abp.channels,
        connections,
        nextSubscriptionId,
        log: req.log,
      });
    },
  });
}
