import type { FastifyPluginAsync } from 'fastify';
import { requireApiKey } from '../../plugins/api-keys.js';
import { installCors } from '../../porqpine/cors.js';
import { porqpineState } from '../../porqpine/state.js';
import { PORQPINE_ERRORS, useSurfaceErrors } from '../../surface-errors.js';
import { arbRoutes } from './arbs.js';
import { bulkRoutes } from './bulk.js';
import { discoveryRoutes } from './discovery.js';
import { eventRoutes } from './event.js';
import { feedHealthRoutes } from './health.js';
import { mediaRoutes } from './media.js';
import { oddsHistoryRoutes } from './odds-history.js';
import { rawRoutes } from './raw.js';
import { resultRoutes } from './results.js';
import { searchRoutes } from './search.js';

/**
 * The Porqpine v1 feed surface (seed 001), mounted at /api/v1/feed: discovery, single event (internal id
 * or bfi), bulk odds, raw frames, results, health (the page's JSON link). Open CORS for GET, POST, OPTIONS. With API keys configured every
 * route here needs X-API-Key (checked on the matched route, so no spelling of the URL skips it).
 */
export const feedRoutes: FastifyPluginAsync = async (app) => {
  porqpineState(app); // subscribes the score board and result memory to the read model from boot on
  useSurfaceErrors(app, PORQPINE_ERRORS);
  installCors(app);
  requireApiKey(app); // on this scope's matched routes, after CORS (preflights need no key)
  await app.register(discoveryRoutes);
  await app.register(searchRoutes);
  await app.register(eventRoutes);
  await app.register(mediaRoutes);
  await app.register(bulkRoutes);
  await app.register(rawRoutes);
  await app.register(resultRoutes);
  await app.register(arbRoutes);
  await app.register(feedHealthRoutes);
  await app.register(oddsHistoryRoutes);
};
