/** Options of the live Betfair source, and what it offers the http demand plugin. */
import type { BackoffOptions } from '../../core/backoff.js';
import type { ConfiguredFilter } from './catalogue-sync.js';
import type { BetfairLogger } from './types.js';

/** Options of {@link BetfairSource} (see the config `betfair` section). */
export interface BetfairSourceOptions {
  name?: string;
  appKey: string;
  sessionToken?: string;
  username?: string;
  password?: string;
  certFile?: string;
  keyFile?: string;
  caFile?: string;
  streamHost: string;
  streamPort: number;
  apiUrl: string;
  identityUrl: string;
  identityCertUrl: string;
  filter: ConfiguredFilter;
  fields: readonly string[];
  ladderLevels: number;
  conflateMs: number;
  heartbeatMs: number;
  marketLimit: number;
  demandWindowMs: number;
  resubscribeDebounceMs: number;
  catalogueRefreshMs: number;
  /** Poll listMarketBook every this long while the stream has been down for pollAfterMs. */
  pollIntervalMs: number;
  pollAfterMs: number;
  keepAliveMs: number;
  requestTimeoutMs: number;
  maxLatencyMs: number | null;
  closedMarketTtlMs?: number;
  orders: boolean;
  backoff?: BackoffOptions;
  logger?: BetfairLogger;
  /** Every message as the pipeline gets it, as an NDJSON line (the recorder). */
  onRecord?: (line: string) => void;
}

/** A source that takes demand for Betfair events (the http demand plugin calls it). */
export interface DemandAware {
  /** Clients want this event: its known Betfair markets, else its markets looked up by Betfair event id. */
  demandEvent(betfairEventId: string | null, marketIds: readonly string[]): void;
}
