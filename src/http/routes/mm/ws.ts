import type { FastifyInstance } from 'fastify';
import { keyedWsRoute } from '../keyed-ws.js';
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
  const limits: MmWsLimits = { ...DEFAULT_MM_WS_LIMITS, ...opts.limits };
  await keyedWsRoute(app, {
    url: '/subscribe',
    path: '/mm/ws/subscribe',
    schema: mmWsSchema,
    maxFrameBytes: MAX_FRAME_BYTES,
    open: (socket, ctx) => void new MmWsSession(socket, { ...ctx, limits }),
  });
}
