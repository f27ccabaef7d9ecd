/**
 * Keeps the catalogue side of the Betfair source current: resolves the configured market filter to market
 * ids (listMarketCatalogue, soonest first, up to the subscription limit) and names them, names demanded
 * markets the filter does not cover, finds an event's markets for demand by event id, and names the event
 * types (listEventTypes) for status reports. Refreshed periodically; a failed refresh is retried sooner.
 */
import { MAIN_MARKET_TYPES } from '../../model/index.js';
import type { ApiMarketFilter, BetfairCatalogue } from './catalogue.js';
import type { CatalogueNames } from './catalogue-names.js';
import { silentLogger, type BetfairLogger } from './types.js';

/** The configured market filter. */
export interface ConfiguredFilter {
  eventTypeIds: readonly string[];
  marketTypes: readonly string[];
  countryCodes: readonly string[];
  inPlayOnly: boolean;
}

/** Options of {@link CatalogueSync}. */
export interface CatalogueSyncOptions {
  catalogue: BetfairCatalogue;
  names: CatalogueNames;
  filter: ConfiguredFilter;
  /** Most markets the configured filter may resolve to. */
  limit: () => number;
  refreshMs: number;
  /** The configured filter resolved to these market ids (soonest first). */
  onConfigured: (ids: string[]) => void;
  /** Markets whose names are new or changed. */
  onNamed: (ids: string[]) => void;
  logger?: BetfairLogger;
}

const RETRY_MS = 30_000;
const CHUNK = 200;

/** True when the filter selects anything (an empty filter would mean "every market"). */
export function hasFilter(f: ConfiguredFilter): boolean {
  return f.eventTypeIds.length > 0 || f.marketTypes.length > 0 || f.countryCodes.length > 0;
}

/** The configured filter as an API-NG filter. */
export function apiFilter(f: ConfiguredFilter): ApiMarketFilter {
  const out: ApiMarketFilter = {};
  if (f.eventTypeIds.length > 0) out.eventTypeIds = [...f.eventTypeIds];
  if (f.marketTypes.length > 0) out.marketTypeCodes = [...f.marketTypes];
  if (f.countryCodes.length > 0) out.marketCountries = [...f.countryCodes];
  if (f.inPlayOnly) out.inPlayOnly = true;
  return out;
}

/** The configured filter as a stream market filter (used while the catalogue is unavailable). */
export function streamFilter(f: ConfiguredFilter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (f.eventTypeIds.length > 0) out.eventTypeIds = [...f.eventTypeIds];
  if (f.marketTypes.length > 0) out.marketTypes = [...f.marketTypes];
  if (f.countryCodes.length > 0) out.countryCodes = [...f.countryCodes];
  return out;
}

/** The catalogue synchroniser. */
export class CatalogueSync {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private readonly log: BetfairLogger;
  /** The first refresh has finished (successfully or not). */
  settled = false;
  /** The last refresh succeeded. */
  healthy = false;
  refreshes = 0;
  lastRefreshAt: number | null = null;
  eventTypes: Record<string, string> = {};

  constructor(private readonly opts: CatalogueSyncOptions) {
    this.log = opts.logger ?? silentLogger;
  }

  /** Refreshes now and then periodically. */
  start(): Promise<void> {
    this.stopped = false;
    return this.refresh();
  }

  /** Stops refreshing. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Resolves the configured filter and names its markets; schedules the next refresh. */
  async refresh(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      const c = this.opts.catalogue;
      if (Object.keys(this.eventTypes).length === 0) {
        const types = await c.listEventTypes({});
        this.eventTypes = Object.fromEntries(types.map((t) => [t.eventType.id, t.eventType.name]));
      }
      const f = this.opts.filter;
      const entries = hasFilter(f)
        ? await c.listMarketCatalogue(apiFilter(f), Math.min(1000, this.opts.limit()))
        : [];
      const named = this.opts.names.add(entries);
      this.healthy = true;
      this.refreshes++;
      this.lastRefreshAt = Date.now();
      this.opts.onConfigured(entries.map((e) => e.marketId));
      if (named.length > 0) this.opts.onNamed(named);
    } catch (err) {
      this.healthy = false;
      this.log.warn(
        { error: err instanceof Error ? err.message : String(err) },
        'betfair catalogue refresh failed',
      );
    } finally {
      this.settled = true;
      this.schedule(this.healthy ? this.opts.refreshMs : Math.min(this.opts.refreshMs, RETRY_MS));
    }
  }

  /** Names markets the catalogue has not named yet. */
  async nameMarkets(ids: readonly string[]): Promise<void> {
    const unknown = ids.filter((id) => !this.opts.names.has(id));
    for (let i = 0; i < unknown.length; i += CHUNK) {
      const chunk = unknown.slice(i, i + CHUNK);
      const entries = await this.opts.catalogue.listMarketCatalogue({ marketIds: chunk }, chunk.length);
      const named = this.opts.names.add(entries);
      if (named.length > 0) this.opts.onNamed(named);
    }
  }

  /** An event's markets of the configured market types and the main market types, named. */
  async marketsOfEvent(eventId: string): Promise<string[]> {
    const f: ApiMarketFilter = { eventIds: [eventId] };
    if (this.opts.filter.marketTypes.length > 0) {
      f.marketTypeCodes = [...new Set([...this.opts.filter.marketTypes, ...MAIN_MARKET_TYPES])];
    }
    const entries = await this.opts.catalogue.listMarketCatalogue(f, CHUNK);
    const named = this.opts.names.add(entries);
    if (named.length > 0) this.opts.onNamed(named);
    return entries.map((e) => e.marketId);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.refresh(), ms);
    this.timer.unref();
  }
}
