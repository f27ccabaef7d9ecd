/** Builds the live Betfair source from the configuration (the `betfair` entry of the source registry). */
import type { Config } from '../../config/index.js';
import type { AppLogger } from '../../logger.js';
import { BetfairSource, type BetfairSourceOptions } from './live-source.js';

/** The source options for a configuration; throws a configuration error when a required key is missing. */
export function betfairOptions(config: Config): BetfairSourceOptions {
  const b = config.betfair;
  if (!b.appKey)
    throw new Error('invalid configuration: betfair.appKey (BETFAIR_APP_KEY): required with SOURCES=betfair');
  if (!b.sessionToken && !(b.username && b.password)) {
    throw new Error(
      'invalid configuration: betfair.sessionToken (BETFAIR_SESSION_TOKEN): give a session token or BETFAIR_USERNAME and BETFAIR_PASSWORD',
    );
  }
  if (Boolean(b.certFile) !== Boolean(b.keyFile)) {
    throw new Error(
      'invalid configuration: betfair.certFile (BETFAIR_CERT_FILE): give both BETFAIR_CERT_FILE and BETFAIR_KEY_FILE',
    );
  }
  const optional = {
    sessionToken: b.sessionToken,
    username: b.username,
    password: b.password,
    certFile: b.certFile,
    keyFile: b.keyFile,
    caFile: b.caFile,
  };
  return {
    appKey: b.appKey,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    streamHost: b.streamHost,
    streamPort: b.streamPort,
    apiUrl: b.apiUrl,
    identityUrl: b.identityUrl,
    identityCertUrl: b.identityCertUrl,
    filter: {
      eventTypeIds: b.eventTypeIds,
      marketTypes: b.marketTypes,
      countryCodes: b.countryCodes,
      inPlayOnly: b.inPlayOnly,
    },
    fields: b.fields,
    ladderLevels: b.ladderLevels,
    conflateMs: b.conflateMs,
    heartbeatMs: b.heartbeatMs,
    marketLimit: b.marketLimit,
    demandWindowMs: Math.round(b.demandMinutes * 60_000),
    resubscribeDebounceMs: b.resubscribeDebounceMs,
    catalogueRefreshMs: b.catalogueRefreshSec * 1000,
    pollIntervalMs: b.pollIntervalMs,
    pollAfterMs: b.pollAfterMs,
    keepAliveMs: Math.round(b.keepAliveMin * 60_000),
    requestTimeoutMs: b.requestTimeoutMs,
    maxLatencyMs: b.maxLatencyMs,
    closedMarketTtlMs: config.closedMarketTtlSec * 1000,
    orders: b.orders,
  };
}

/** Registry factory: `SOURCES=betfair`. */
export function createBetfairSource(config: Config, logger: AppLogger): BetfairSource {
  return new BetfairSource({ ...betfairOptions(config), logger });
}
