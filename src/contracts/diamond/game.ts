import type { Event, Market, MarketStatus, PriceLevel, RunnerStatus } from '../../model/index.js';
import { bfiOf, mainMarket, sportName } from '../../model/index.js';

/** A best price across books as Diamond shows it beside a runner. */
export interface BestPrice {
  price: number;
  /** null when the book gives no size (bookmakers). */
  size: number | null;
  book: string;
}

/**
 * Best back and lay across books for each runner (by selection id) of the event's `headline` market: the
 * caller's comparison of books (src/books `headlineBest`), passed in so this contract renders the model only.
 */
export type HeadlineBest = (
  event: Event,
  markets: readonly Market[],
  headline: Market,
) => ReadonlyMap<number, { bestBack: BestPrice | null; bestLay: BestPrice | null }>;

/** A runner of a game's main market, as the Diamond contract shows it (seed 000 §4 Runner). */
export interface DiamondRunner {
  name: string;
  back: PriceLevel[];
  lay: PriceLevel[];
  /** "Normal" | "Suspended" | "Closed" | "Winner" | "Loser" | "Placed" | "Removed" (see runnerStatus). */
  status: string;
  marketName: string;
  /** Additive: the upstream selection id. */
  selectionId: number;
  /** Additive: the best back across every book of this market (exchange, sites, bookmakers), with its book. */
  bestBack?: BestPrice | null;
  /** Additive: the best lay across every book of this market, with its book. */
  bestLay?: BestPrice | null;
}

/**
 * A Diamond game (seed 000 §4 Game), plus additive fields: `bfi` (Betfair event id or null), `marketId`
 * (the headline market's id or null) and `updatedAt` (ISO time of the last change to the event or its markets).
 */
export interface DiamondGame {
  gmid: string;
  etid: number;
  sportName: string;
  title: string;
  league: string;
  team1: string;
  team2: string;
  status: string;
  startTime: string;
  matchDate: string;
  isLive: boolean;
  isFancy: boolean;
  isBookMaker: boolean;
  videoURL: string;
  marketName: string;
  runners: DiamondRunner[];
  /** The upstream markets as held: only with `?raw=1` (heavy; most clients need `runners` only). */
  _rawMarkets?: Market[];
  _source: string;
  bfi: string | null;
  marketId: string | null;
  updatedAt: string;
  /** Additive: source → upstream id of every source that carries this game. */
  sources: Record<string, string>;
}

/** Looks up a sport's display name (the read model's sports, else the canonical table). */
export type SportNames = (sportId: number) => string;

/** Source name shown when an event carries no source at all (cannot happen through ingest). */
export const FALLBACK_SOURCE = 'oddsgate';

const RUNNER_STATUS: Readonly<Record<RunnerStatus, string>> = {
  ACTIVE: 'Normal',
  SUSPENDED: 'Suspended',
  WINNER: 'Winner',
  LOSER: 'Loser',
  PLACED: 'Placed',
  REMOVED: 'Removed',
  HIDDEN: 'Closed',
};

/**
 * Diamond runner status. A runner's own settled state wins (WINNER → "Winner", LOSER → "Loser",
 * PLACED → "Placed", REMOVED → "Removed", HIDDEN → "Closed"); an ACTIVE or SUSPENDED runner takes its
 * market's state: market CLOSED → "Closed", market SUSPENDED or INACTIVE → "Suspended", runner
 * SUSPENDED → "Suspended", else "Normal".
 */
export function runnerStatus(runner: RunnerStatus, market: MarketStatus): string {
  if (runner !== 'ACTIVE' && runner !== 'SUSPENDED') return RUNNER_STATUS[runner];
  if (market === 'CLOSED') return 'Closed';
  if (market === 'SUSPENDED' || market === 'INACTIVE') return 'Suspended';
  return RUNNER_STATUS[runner];
}

/** True when the event is being played now. */
export function isLive(event: Event): boolean {
  return event.status !== 'CLOSED' && (event.inPlay || event.status === 'IN_PLAY');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Display date: "In-Play" while live, else the start time in UTC as "22 Nov 2026 15:00"
 * (the raw start time string when it does not parse).
 */
export function matchDate(event: Event): string {
  if (isLive(event)) return 'In-Play';
  const d = new Date(event.startTime);
  if (Number.isNaN(d.getTime())) return event.startTime;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** The event's headline market: the main market among open ones, else among all. */
export function headlineMarket(markets: readonly Market[]): Market | undefined {
  return mainMarket(markets.filter((m) => m.status !== 'CLOSED')) ?? mainMarket(markets);
}

/** The source a game is attributed to: its headline market's source, else the first source that named it. */
export function gameSource(event: Event, headline: Market | undefined): string {
  return headline?.source ?? Object.keys(event.upstreamIds)[0] ?? FALLBACK_SOURCE;
}

function escapeAttr(url: string): string {
  return url.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * An iframe tag for a score or stream link. Upstream values that already are iframe HTML pass through;
 * a plain http(s) URL is wrapped; anything else (or nothing) gives "".
 */
export function iframeHtml(url: string | null, height = 230): string {
  if (!url) return '';
  const v = url.trim();
  if (/^<iframe\b/i.test(v)) return v;
  if (!/^https?:\/\//i.test(v)) return '';
  return `<iframe style='height: ${height}px; width: 100%;' src='${escapeAttr(v)}'></iframe>`;
}

/** The main market's runners in Diamond shape, in the market's sort order. */
export function diamondRunners(market: Market | undefined): DiamondRunner[] {
  if (!market) return [];
  return [...market.runners]
    .sort((a, b) => a.sortPriority - b.sortPriority)
    .map((r) => ({
      name: r.name,
      back: r.back.map((l) => ({ price: l.price, size: l.size })),
      lay: r.lay.map((l) => ({ price: l.price, size: l.size })),
      status: runnerStatus(r.status, market.status),
      marketName: market.name,
      selectionId: r.selectionId,
    }));
}

/**
 * Builds the Diamond game object of an event from the markets the read model holds for it, with each
 * runner's best prices across books from `best`; `raw` adds `_rawMarkets` (every market as held), which
 * clients ask for with `?raw=1`.
 */
export function toGame(
  event: Event,
  markets: readonly Market[],
  best: HeadlineBest,
  names: SportNames = sportName,
  raw = false,
): DiamondGame {
  const headline = headlineMarket(markets);
  const open = markets.filter((m) => m.status !== 'CLOSED');
  return {
    gmid: String(event.id),
    etid: event.sportId,
    sportName: names(event.sportId),
    title: event.name,
    league: event.competition?.name ?? '',
    team1: event.team1 ?? '',
    team2: event.team2 ?? '',
    status: event.status,
    startTime: event.startTime,
    matchDate: matchDate(event),
    isLive: isLive(event),
    isFancy: event.hasFancy || open.some((m) => m.type === 'FANCY'),
    isBookMaker: event.hasBookmaker || open.some((m) => m.type === 'BOOKMAKER'),
    videoURL: iframeHtml(event.scoreUrl ?? event.streamUrl),
    marketName: headline?.name ?? '',
    runners: withBest(diamondRunners(headline), best, event, markets, headline),
    ...(raw ? { _rawMarkets: [...markets] } : {}),
    _source: gameSource(event, headline),
    bfi: bfiOf(event),
    marketId: headline?.id ?? null,
    updatedAt: new Date(Math.max(event.updatedAt, ...markets.map((m) => m.updatedAt))).toISOString(),
    sources: { ...event.upstreamIds },
  };
}

/** Adds each runner's best back and lay across the event's books of the headline market. */
function withBest(
  runners: DiamondRunner[],
  headlineBest: HeadlineBest,
  event: Event,
  markets: readonly Market[],
  headline: Market | undefined,
): DiamondRunner[] {
  if (!headline) return runners;
  const best = headlineBest(event, markets, headline);
  return runners.map((r) => {
    const b = best.get(r.selectionId);
    return { ...r, bestBack: b?.bestBack ?? null, bestLay: b?.bestLay ?? null };
  });
}

/** Orders games for lists: live first, then by start time, then by id. */
export function compareEvents(a: Event, b: Event): number {
  const live = Number(isLive(b)) - Number(isLive(a));
  if (live !== 0) return live;
  if (a.startTime !== b.startTime) return a.startTime < b.startTime ? -1 : 1;
  return a.id - b.id;
}
