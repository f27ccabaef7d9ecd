/**
 * The state a site source keeps between frames, shared by the live browser source and its replay: the
 * latest events (for match-page URLs and flags), the account data, the last full-market view per game and
 * the diff that turns each frame into only the model changes since the previous one.
 */
import type { SourceUpdate } from '../../model/index.js';
import { accountData, type SiteAccountData } from './account.js';
import {
  normalizeScrape,
  normalizeStorage,
  type SiteEventUpdate,
  type StorageSnapshot,
} from './normalize.js';
import type { SiteProfile } from './profile.js';
import { fullView, type ScrapeResult, type SiteFullMarket } from './scraped.js';
import { SnapshotDiff } from './snapshot-diff.js';
import { parseAmount } from './values.js';

/** Result of applying a storage frame. */
export interface StorageApplied {
  updates: SourceUpdate[];
  events: number;
  sports: number;
  problems: string[];
}

/** Per-source site state: events, account, scraped views, diff. */
export class SiteFeed {
  private readonly diff: SnapshotDiff;
  private events = new Map<string, SiteEventUpdate>();
  private account: SiteAccountData | null = null;
  private readonly views = new Map<string, { at: number; markets: SiteFullMarket[] }>();

  constructor(
    readonly profile: SiteProfile,
    readonly source: string,
  ) {
    this.diff = new SnapshotDiff(source);
  }

  /** Applies a localStorage snapshot taken at `at`; returns the model changes. */
  applyStorage(snapshot: StorageSnapshot, at: number): StorageApplied {
    const norm = normalizeStorage(this.profile, this.source, snapshot);
    this.events = new Map(norm.events.map((e) => [e.upstreamEventId, e]));
    for (const id of this.views.keys()) if (!this.events.has(id)) this.views.delete(id);
    this.account = accountData(this.profile, this.source, snapshot, at);
    const sports = new Set(norm.events.map((e) => e.event.sportId));
    return {
      updates: this.diff.storage(norm.events, norm.markets),
      events: norm.events.length,
      sports: sports.size,
      problems: norm.problems,
    };
  }

  /**
   * Applies a match-page scrape; returns the model changes and the seed's string view. With `partial`
   * (some expected kinds were not found) markets missing from the page are not closed.
   */
  applyScrape(scrape: ScrapeResult, partial = false): { updates: SourceUpdate[]; view: SiteFullMarket[] } {
    const ev = this.events.get(scrape.gmid);
    const ctx = { inPlay: ev?.event.inPlay ?? false, startTime: ev?.event.startTime ?? null };
    const markets = normalizeScrape(this.source, scrape, ctx);
    const view = fullView(this.source, scrape, parseAmount);
    this.views.set(scrape.gmid, { at: scrape.at, markets: view });
    return { updates: this.diff.page(scrape.gmid, markets, !partial), view };
  }

  /** The latest event with this upstream id. */
  event(gmid: string): SiteEventUpdate | undefined {
    return this.events.get(gmid);
  }

  /** Every current event. */
  eventList(): SiteEventUpdate[] {
    return [...this.events.values()];
  }

  /** The last full-market view of a game and when it was scraped. */
  lastView(gmid: string): { at: number; markets: SiteFullMarket[] } | undefined {
    return this.views.get(gmid);
  }

  /** The latest account data. */
  accountData(): SiteAccountData | null {
    return this.account;
  }

  /** Open markets last emitted. */
  get openMarkets(): number {
    return this.diff.openMarkets;
  }

  /** Sports with events now. */
  get sportsPolled(): number {
    return new Set([...this.events.values()].map((e) => e.event.sportId)).size;
  }
}
