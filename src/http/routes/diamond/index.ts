import type { FastifyPluginAsync } from 'fastify';
import { secretFromRequest, secretMatcher } from '../../../core/auth.js';
import { sendError } from '../../errors.js';
import { DIAMOND_ERRORS, useSurfaceErrors } from '../../surface-errors.js';
import { refuseIfBlocked } from '../../failed-attempts.js';
import { installCors } from '../../porqpine/cors.js';
import type { FullMarketsProvider } from '../../../contracts/diamond/full-markets.js';
import { betRoutes } from './bet-routes.js';
import { gameRoutes } from './game-routes.js';
import { listRoutes } from './list-routes.js';
import { diamondHistoryRoutes } from './odds-history.js';
import { siteFullMarkets } from './site-markets.js';
import { settlementRoutes } from './settlement-routes.js';
import { siteRoutes } from './site-routes.js';

export type { FullMarket, FullMarketsProvider } from '../../../contracts/diamond/full-markets.js';

/** Options of the Diamond surface. */
export interface DiamondOptions {
  /** The password clients send in `x-password` (preferred) or `?password=`. */
  password: string;
  /** Optional on-demand source of every market of a game (`/detail?full=1`, `/markets`); else the cache. */
  fullMarkets?: FullMarketsProvider;
}

/** Where Diamond clients put the password (seed 000 §2). */
const PASSWORD_AT = { header: 'x-password', query: 'password' } as const;

/**
 * Diamond v2 routes (seed 000 §3, §4, §12), served from the read model. Every route needs the password;
 * a missing or wrong one gets 401 `{"success":false,"error":"Unauthorized"}` before any validation, and
 * counts as a failed attempt of the client address (429 with Retry-After past AUTH_MAX_FAILURES a minute).
 * CORS for reads from the origins of DIAMOND_CORS_ORIGINS (default any, never with credentials): its hook
 * runs first, so preflights (which browsers send without the password) answer 204 with no data, and a
 * browser page can read the 401 of a wrong password.
 */
export const diamondRoutes: FastifyPluginAsync<DiamondOptions> = async (app, opts) => {
  const matches = secretMatcher(opts.password);
  const attempts = app.failedAttempts;
  useSurfaceErrors(app, DIAMOND_ERRORS);
  installCors(app, { readOnly: true, origins: app.config.diamondCorsOrigins });
  // A callback hook (no promise per request); replying in it ends the request there.
  app.addHook('onRequest', (req, reply, done) => {
    if (refuseIfBlocked(attempts, req, reply)) return;
    const given = secretFromRequest(req, PASSWORD_AT);
    if (matches(given)) return done();
    if (given !== undefined) attempts.fail(req.ip); // a guess; a request without any is not one
    void sendError(reply, 401, 'Unauthorized');
  });
  await app.register(listRoutes);
  // Without an explicit provider, games of a site source (imatchodds) are scraped on demand.
  await app.register(gameRoutes(opts.fullMarkets ?? siteFullMarkets(() => app.sources.sources)));
  await app.register(siteRoutes(app.config.diamondAdminPassword));
  await app.register(diamondHistoryRoutes);
  // Roadmap betting (Appendix C): bets, settlements and the bet trace over the execution layer.
  await app.register(betRoutes);
  await app.register(settlementRoutes);
};
