/** The `details` of the Betfair source's status (what /admin/accounts and /status show). */
import type { BookPoller } from './book-poller.js';
import type { BetfairCatalogue } from './catalogue.js';
import type { CatalogueSync } from './catalogue-sync.js';
import type { DesiredMarkets } from './demand.js';
import type { BetfairPipelineStatus } from './pipeline.js';
import type { BetfairSession } from './session.js';
import type { BetfairStreamClient } from './stream-client.js';

/** Everything the details are made of (null parts before start). */
export interface LiveStatusParts {
  host: string;
  port: number;
  client: BetfairStreamClient | null;
  pipeline: BetfairPipelineStatus | undefined;
  subscription: DesiredMarkets & { mode: string; subscribed: number; retired: number };
  session: BetfairSession | null;
  sync: CatalogueSync | null;
  catalogue: BetfairCatalogue | null;
  named: number;
  poller: BookPoller | null;
  orders: { markets: number; orders: number; clk: string | null };
}

/** Stream, subscription, session, catalogue, poller and order counts; never a secret. */
export function liveDetails(x: LiveStatusParts): Record<string, unknown> {
  const c = x.client;
  const p = x.pipeline;
  return {
    stream: {
      state: c?.state ?? 'stopped',
      host: x.host,
      port: x.port,
      ...(c ? c.stats : {}),
      reconnectAttempts: c?.attempts ?? 0,
      clk: p?.clk ?? null,
      initialClk: p?.initialClk ?? null,
      latencyMs: p?.latencyMs ?? null,
      degraded: p?.degraded ?? false,
      streamStatus: p?.streamStatus ?? null,
      heartbeats: p?.heartbeats ?? 0,
      conflated: p?.conflated ?? 0,
      malformed: p?.malformed ?? 0,
    },
    subscription: x.subscription,
    session: x.session?.status() ?? null,
    catalogue: {
      healthy: x.sync?.healthy ?? false,
      named: x.named,
      eventTypes: x.sync?.eventTypes ?? {},
      ...(x.catalogue?.stats ?? {}),
    },
    poller: { active: x.poller?.active ?? false, ...(x.poller?.stats ?? {}) },
    orders: x.orders,
  };
}

/** The entries of `o` whose values are not undefined (optional options without `undefined` values). */
export function defined<T extends Record<string, unknown>>(
  o: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
