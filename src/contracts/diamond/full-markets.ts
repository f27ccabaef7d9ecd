import type { Event, Market, PriceLevel, Runner } from '../../model/index.js';
import { headlineMarket } from './game.js';

/** Market kinds of the seed's full-market view (seed 000 §3.6, §5). */
export type FullMarketKind = 'MatchOdds' | 'BookMaker' | 'Fancy';

/** A price level with the upstream site's text rendering ("6.40", "42k"). */
export interface FullPriceLevel {
  price: string;
  size: string;
}

/** A runner of the full-market view; `status` is "ACTIVE" or "SUSPENDED" as the seed shows. */
export interface FullRunner {
  name: string;
  back: FullPriceLevel[];
  lay: FullPriceLevel[];
  status: 'ACTIVE' | 'SUSPENDED';
  /** Additive: the market this runner belongs to (a Fancy entry gathers several markets). */
  marketId: string;
}

/** One kind's markets merged (seed 000 §5 Market); stakes are 0 when no market of the kind gives one. */
export interface FullMarket {
  name: FullMarketKind;
  minStake: number;
  maxStake: number;
  runners: FullRunner[];
}

/**
 * Where `/games/:gmid/detail?full=1` gets every market of a game on demand (the browser source, later).
 * Returning null falls back to the markets the read model holds.
 */
export interface FullMarketsProvider {
  fullMarkets(event: Event): Promise<FullMarket[] | null>;
}

/** Price text: integers of 100 and more (and Fancy lines) without decimals, else two decimals ("6.40"). */
export function formatPrice(price: number, kind: FullMarketKind): string {
  if (Number.isInteger(price) && (kind === 'Fancy' || price >= 100)) return String(price);
  return price.toFixed(2);
}

function compact(n: number, unit: string): string {
  const v = n >= 100 ? Math.round(n) : Math.round(n * 10) / 10;
  return `${v}${unit}`;
}

/** Size text as the upstream site shows liquidity: "950", "42k", "42.5k", "2m", "1.2m". */
export function formatSize(size: number): string {
  const s = Math.max(0, size);
  if (s < 999.5) return String(Math.round(s));
  if (s < 999_500) return compact(s / 1000, 'k');
  return compact(s / 1_000_000, 'm');
}

function kindOf(m: Market, headline: Market | undefined): FullMarketKind | null {
  if (m.type === 'BOOKMAKER') return 'BookMaker';
  if (m.type === 'FANCY') return 'Fancy';
  if (m.type === 'MATCH_ODDS' || m === headline) return 'MatchOdds';
  return null;
}

function levels(ladder: readonly PriceLevel[], kind: FullMarketKind): FullPriceLevel[] {
  return ladder.map((l) => ({ price: formatPrice(l.price, kind), size: formatSize(l.size) }));
}

function fullRunner(m: Market, r: Runner, kind: FullMarketKind): FullRunner {
  const active = m.status === 'OPEN' && r.status === 'ACTIVE';
  return {
    // A fancy line is usually a one-runner market named after the line ("6 over runs ENG W").
    name: kind === 'Fancy' && m.runners.length === 1 ? m.name : r.name,
    back: levels(r.back, kind),
    lay: levels(r.lay, kind),
    status: active ? 'ACTIVE' : 'SUSPENDED',
    marketId: m.id,
  };
}

/**
 * The full-market view built from the markets we hold: MATCH_ODDS (or the headline market when there is
 * none) → "MatchOdds", BOOKMAKER → "BookMaker", FANCY → "Fancy"; one entry per kind present, runners of
 * all markets of that kind merged, closed markets left out. Stakes: the smallest minimum and the largest
 * maximum given by the kind's markets, 0 when none gives one.
 */
export function fullMarketsFromCache(markets: readonly Market[]): FullMarket[] {
  const open = markets.filter((m) => m.status !== 'CLOSED');
  const hasMatchOdds = open.some((m) => m.type === 'MATCH_ODDS');
  const headline = hasMatchOdds ? undefined : headlineMarket(open);
  const byKind = new Map<FullMarketKind, Market[]>();
  for (const m of open) {
    const kind = kindOf(m, headline);
    if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), m]);
  }
  const out: FullMarket[] = [];
  for (const kind of ['MatchOdds', 'BookMaker', 'Fancy'] as const) {
    const ms = byKind.get(kind);
    if (!ms) continue;
    const mins = ms.map((m) => m.minStake).filter((v): v is number => v !== null);
    const maxs = ms.map((m) => m.maxStake).filter((v): v is number => v !== null);
    out.push({
      name: kind,
      minStake: mins.length ? Math.min(...mins) : 0,
      maxStake: maxs.length ? Math.max(...maxs) : 0,
      runners: ms.flatMap((m) =>
        [...m.runners].sort((a, b) => a.sortPriority - b.sortPriority).map((r) => fullRunner(m, r, kind)),
      ),
    });
  }
  return out;
}
