import type { Event } from '../../../model/index.js';
import type { Source } from '../../../sources/types.js';
import { isSiteDataSource } from '../../../sources/sites/site-data-source.js';
import { reasonOf } from '../../../sources/browser/errors.js';
import { HttpError } from '../../errors.js';
import type { FullMarket, FullMarketsProvider } from '../../../contracts/diamond/full-markets.js';

/**
 * The browser-backed FullMarketsProvider: `/games/:gmid/markets` and `/detail?full=1` ask the site source
 * that lists the game (by its upstream id) to scrape the match page — shared by concurrent callers and
 * cached for 15 s by the source. Games no site source lists fall back to the read model (null). A scrape
 * that times out or is blocked answers 502 in the surface's error shape.
 */
export function siteFullMarkets(sources: () => readonly Source[]): FullMarketsProvider {
  return {
    async fullMarkets(event: Event): Promise<FullMarket[] | null> {
      for (const s of sources()) {
        if (!isSiteDataSource(s)) continue;
        const gmid = event.upstreamIds[s.feedName];
        if (gmid === undefined) continue;
        try {
          const markets = await s.fullMarketsFor(gmid);
          if (markets) return markets;
        } catch (err) {
          const reason = reasonOf(err);
          const message =
            reason === 'timeout' ? 'Upstream scrape timed out' : `Upstream scrape failed (${reason})`;
          throw new HttpError(502, message, 'ERR_UPSTREAM_SCRAPE');
        }
      }
      return null;
    },
  };
}
