/**
 * What a match-page scrape returns (text exactly as the page renders it) and the seed's string-priced
 * full-market view built from it (seed 000 §3.6, §3.7, §5).
 */

/** The market kinds of a match page. */
export type MarketKind = 'MatchOdds' | 'BookMaker' | 'Fancy';
/** The kinds in the order the seed lists them. */
export const MARKET_KINDS: readonly MarketKind[] = ['MatchOdds', 'BookMaker', 'Fancy'];

/** A price box as rendered ("6.40", "42k"). */
export interface ScrapedLevel {
  price: string;
  size: string;
}

/** A runner row. */
export interface ScrapedRunner {
  id: string | null;
  name: string;
  suspended: boolean;
  back: ScrapedLevel[];
  lay: ScrapedLevel[];
}

/** A market block. */
export interface ScrapedMarket {
  kind: MarketKind;
  id: string | null;
  name: string;
  minStake: string;
  maxStake: string;
  runners: ScrapedRunner[];
}

/** One scrape of a match page. */
export interface ScrapeResult {
  gmid: string;
  /** Epoch ms of the scrape. */
  at: number;
  markets: ScrapedMarket[];
}

/** A runner of the seed's full-market view (`status` ACTIVE or SUSPENDED); `marketId` is additive. */
export interface SiteFullRunner {
  name: string;
  back: ScrapedLevel[];
  lay: ScrapedLevel[];
  status: 'ACTIVE' | 'SUSPENDED';
  marketId: string;
}

/** One kind's markets merged, as seed 000 §5 shows them. */
export interface SiteFullMarket {
  name: MarketKind;
  minStake: number;
  maxStake: number;
  runners: SiteFullRunner[];
}

/** Market id used for a scraped block: `<source>:<upstream id>`, else a slug of its kind and name. */
export function scrapedMarketId(source: string, gmid: string, m: ScrapedMarket): string {
  if (m.id) return `${source}:${m.id}`;
  const slug = m.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${source}:${gmid}:${m.kind}:${slug}`;
}

function extreme(pick: (a: number, b: number) => number, values: number[]): number {
  return values.length ? values.reduce((a, b) => pick(a, b)) : 0;
}

/**
 * The seed's full-market view from a scrape: one entry per kind present (MatchOdds, BookMaker, Fancy),
 * runners of all the kind's blocks merged, prices and sizes as the page rendered them. A one-runner
 * (fancy) block's runner carries the block's name. Stakes: smallest min, largest max, 0 when none.
 */
export function fullView(
  source: string,
  scrape: ScrapeResult,
  parse: (v: string) => number,
): SiteFullMarket[] {
  const out: SiteFullMarket[] = [];
  for (const kind of ['MatchOdds', 'BookMaker', 'Fancy'] as const) {
    const blocks = scrape.markets.filter((m) => m.kind === kind);
    if (blocks.length === 0) continue;
    const mins = blocks.map((b) => parse(b.minStake)).filter(Number.isFinite);
    const maxs = blocks.map((b) => parse(b.maxStake)).filter(Number.isFinite);
    out.push({
      name: kind,
      minStake: extreme(Math.min, mins),
      maxStake: extreme(Math.max, maxs),
      runners: blocks.flatMap((b) =>
        b.runners.map((r) => ({
          name: b.runners.length === 1 && kind === 'Fancy' ? b.name || r.name : r.name,
          back: r.back,
          lay: r.lay,
          status: r.suspended ? ('SUSPENDED' as const) : ('ACTIVE' as const),
          marketId: scrapedMarketId(source, scrape.gmid, b),
        })),
      ),
    });
  }
  return out;
}
