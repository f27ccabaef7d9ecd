/**
 * Code that runs inside the site's pages: reading localStorage and scraping a match page's market blocks
 * with the profile's selectors. Kept as source text (evaluated as an expression) so that it needs nothing
 * from the Node side.
 */
import type { Page } from 'playwright-core';
import type { SiteProfile } from './profile.js';
import type { MarketKind, ScrapedMarket } from './scraped.js';
import type { StorageSnapshot } from './normalize.js';

/** In-page: localStorage values of the given keys. */
const READ_STORAGE_JS = `(keys) => {
  var out = {};
  for (var i = 0; i < keys.length; i++) out[keys[i]] = window.localStorage.getItem(keys[i]);
  return out;
}`;

/** Reads the given localStorage keys of the page's origin. */
export async function readStorage(page: Page, keys: readonly string[]): Promise<StorageSnapshot> {
  return (await page.evaluate(`(${READ_STORAGE_JS})(${JSON.stringify(keys)})`)) as StorageSnapshot;
}

/** In-page: one localStorage value. */
export async function readStorageKey(page: Page, key: string): Promise<string | null> {
  return (await page.evaluate(`window.localStorage.getItem(${JSON.stringify(key)})`)) as string | null;
}

/**
 * In-page scraper. Argument: `{ kinds: { MatchOdds: blockSelector, ... }, s: block selectors }`.
 * Returns `{ markets: ScrapedMarket[], counts: { kind: blocks found } }`; text is trimmed, nothing parsed.
 */
const SCRAPE_JS = `(a) => {
  var s = a.s;
  function text(root, sel) {
    var e = root.querySelector(sel);
    return e ? (e.textContent || '').replace(/\\s+/g, ' ').trim() : '';
  }
  function levels(row, boxSel) {
    var boxes = row.querySelectorAll(boxSel);
    var out = [];
    for (var i = 0; i < boxes.length; i++) out.push({ price: text(boxes[i], s.price), size: text(boxes[i], s.size) });
    return out;
  }
  function runner(row) {
    return {
      id: row.getAttribute(s.runnerIdAttr),
      name: text(row, s.runnerName),
      suspended: !!row.querySelector(s.suspended),
      back: levels(row, s.back),
      lay: levels(row, s.lay),
    };
  }
  var markets = [];
  var counts = {};
  for (var kind in a.kinds) {
    var blocks = document.querySelectorAll(a.kinds[kind]);
    counts[kind] = blocks.length;
    for (var i = 0; i < blocks.length; i++) {
      var b = blocks[i];
      var rows = b.querySelectorAll(s.runner);
      var runners = [];
      for (var j = 0; j < rows.length; j++) runners.push(runner(rows[j]));
      markets.push({
        kind: kind,
        id: b.getAttribute(s.marketIdAttr),
        name: text(b, s.name),
        minStake: text(b, s.minStake),
        maxStake: text(b, s.maxStake),
        runners: runners,
      });
    }
  }
  return { markets: markets, counts: counts };
}`;

/** What the scraper found on a match page. */
export interface PageScrape {
  markets: ScrapedMarket[];
  /** Blocks found per kind. */
  counts: Partial<Record<MarketKind, number>>;
}

/** Scrapes every market block of the match page open in `page`. */
export async function scrapeMatchPage(page: Page, profile: SiteProfile): Promise<PageScrape> {
  const kinds = Object.fromEntries(Object.entries(profile.match.kinds).map(([k, v]) => [k, v.block]));
  const arg = JSON.stringify({ kinds, s: profile.match.block });
  return (await page.evaluate(`(${SCRAPE_JS})(${arg})`)) as PageScrape;
}
