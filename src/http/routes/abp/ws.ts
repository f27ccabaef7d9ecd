import type { FastifyInstance } from 'fastify';
import { keyedWsRoute } from '../keyed-ws.js';
import { abpWsSchema } from './responses.js';
import { AbpWsSession, DEFAULT_WS_LIMITS, type AbpWsLimits } from './ws-session.js';

/** Largest inbound frame (a login or an ack list). */
const MAX_FRAME_BYTES = 64 * 1024;

/**
 * /abp/ws: the ABP WebSocket (document: WebSocket). No credential at connect time: the client logs in with
 * its API key in the protocol. Sessions get data from `app.abp.channels`; all are closed (1001) before the
 * server stops.
 */
export async function abpWsRoutes(app: FastifyInstance): Promise<void> {
  const cfg = app.config.abp;
  const limits: AbpWsLimits = {
    ...DEFAULT_WS_LIMITS,
    loginTimeoutMs: cfg.wsLoginTimeoutMs,
    pingIntervalMs: cfg.wsPingIntervalMs,
    pongTimeoutMs: cfg.wsPongTimeoutMs,
    ackRedeliverMs: cfg.wsAckRedeliverMs,
  };
  await keyedWsRoute(app, {
    url: '/ws',
    path: '/abp/ws',
    schema: abpWsSchema,
    maxFrameBytes: MAX_FRAME_BYTES,
    open: (socket, ctx) => void new AbpWsSession(socket, { ...ctx, limits }),
  });
}
