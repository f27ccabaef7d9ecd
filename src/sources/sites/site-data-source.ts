/**
 * What the HTTP surfaces need from a site source, live or replayed: every market of a game on demand and
 * the account data. Sources are matched to events by their feed name (the key of the event's upstream ids).
 */
import type { SiteAccountData } from './account.js';
import type { SiteFullMarket } from './scraped.js';

/** A source that can scrape full markets and hold account data. */
export interface SiteDataSource {
  readonly name: string;
  /** The key of its events' upstream ids and the prefix of its market ids. */
  readonly feedName: string;
  /** Every market of a game (seed string view), null when the source does not list it. */
  fullMarketsFor(gmid: string): Promise<SiteFullMarket[] | null>;
  /** Casino, open bets, betslips, user info, tokens; null before the first snapshot. */
  accountData(): SiteAccountData | null;
}

/** True for site data sources. */
export function isSiteDataSource<T>(v: T): v is T & SiteDataSource {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<Record<keyof SiteDataSource, unknown>>;
  return (
    typeof s.fullMarketsFor === 'function' &&
    typeof s.accountData === 'function' &&
    typeof s.feedName === 'string'
  );
}
