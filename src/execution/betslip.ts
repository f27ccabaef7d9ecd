import { groupBooks, type Book, type MarketGroup } from '../books/books.js';
import type { BookClock } from '../books/freshness.js';
import { decimalOdds } from '../books/price.js';
import { sportName, type Event, type Market, type Runner } from '../model/index.js';
import type { Account } from './accounts.js';
import { bookmakerOfBook, sourceBookmaker, type Bookmaker } from './bookmakers.js';
import { marketOfGroup, outcomeOf, type CatalogueOutcome, type Side } from './outcomes.js';
import { USD_PER_UNIT, toUsd } from './usd-rates.js';

/** One bookmaker's offer of an outcome, as the document's betslip `odds` entries. */
export interface BetslipOdds {
  price: number | null;
  limit: number;
  limitMin: number;
  limitCurrency: string;
  limitUsd: number | null;
  limitMinUsd: number | null;
  active: boolean;
  account: string | null;
  currencyInfo: { currencyId: string; usdRate: number | null };
  bookmakerFixtureId: string | null;
  bookmakerMarketId: string | null;
  bookmakerOutcomeId: string | null;
  meta: Record<string, unknown>;
}

/** The fixture block of a betslip and of /abp/fixtures. */
export interface FixtureInfo {
  fixtureId: string;
  sport: { sportId: number; sportName: string };
  tournament: { tournamentName: string | null; categoryName: string | null };
  participants: { participant1Name: string | null; participant2Name: string | null };
  startTime: string;
  status: Event['status'];
  inPlay: boolean;
  scores: null;
}

/** The document's betslip (GET /betslip and the `betslip` channel's payload). */
export interface Betslip {
  fixtureId: string;
  outcomeId: number;
  playerId: number;
  client: string;
  userRef: string | null;
  fixtureInfo: FixtureInfo;
  outcomeInfo: {
    marketId: number;
    marketName: string;
    marketType: string;
    outcomeName: string;
    handicap: number | null;
  };
  playerInfo: null;
  odds: Record<string, Record<string, BetslipOdds>>;
}

/** What a betslip is made from. */
export interface BetslipInput {
  event: Event;
  markets: readonly Market[];
  outcome: CatalogueOutcome;
  clientName: string;
  /** The client's accounts (any order; the active one with the highest priority is used per bookmaker). */
  accounts: readonly Account[];
  /** Bookmakers the key may use; empty: all. */
  allowed: readonly string[];
  clock: BookClock;
  userRef?: string | null;
}

/** The fixture block of an event. */
export function fixtureInfo(e: Event): FixtureInfo {
  return {
    fixtureId: String(e.id),
    sport: { sportId: e.sportId, sportName: sportName(e.sportId) },
    tournament: { tournamentName: e.competition?.name ?? null, categoryName: e.countryCode },
    participants: { participant1Name: e.team1, participant2Name: e.team2 },
    startTime: e.startTime,
    status: e.status,
    inPlay: e.inPlay,
    scores: null,
  };
}

/** The groups of an event's books that are the outcome's catalogue market. */
export function groupsOfMarket(event: Event, markets: readonly Market[], marketId: number): MarketGroup[] {
  return groupBooks(event, markets).filter((g) => marketOfGroup(g)?.marketId === marketId);
}

/** A book's runner for a side: its back price (decimal), whether it can be bet, its available size. */
interface Offer {
  slug: string;
  book: Book;
  runner: Runner;
  price: number | null;
  active: boolean;
  /** What the book itself allows: an exchange's available size, else the market's max stake. */
  oddsLimit: number | null;
  oddsLimitMin: number | null;
}

function offersOf(groups: readonly MarketGroup[], side: Side, clock: BookClock): Offer[] {
  const out: Offer[] = [];
  for (const g of groups)
    for (const o of g.outcomes) {
      if (o.key !== side) continue;
      for (const { book, runner } of o.runners) {
        const m = book.market;
        const top = runner.back[0];
        const price = top ? decimalOdds(top.price, m) : null;
        const exchange = m.type !== 'BOOKMAKER' && m.source !== 'oddsapi' && top !== undefined;
        out.push({
          slug: bookmakerOfBook(book.name),
          book,
          runner,
          price,
          active: price !== null && m.status === 'OPEN' && runner.status === 'ACTIVE' && !clock.isStale(m),
          oddsLimit: exchange ? top.size : m.maxStake,
          oddsLimitMin: m.minStake,
        });
      }
    }
  return out;
}

function better(a: Offer, b: Offer | undefined): boolean {
  if (!b) return true;
  if (a.active !== b.active) return a.active;
  return (a.price ?? 0) > (b.price ?? 0);
}

function accountFor(accounts: readonly Account[], slug: string): Account | undefined {
  let best: Account | undefined;
  for (const a of accounts)
    if (a.bookmaker === slug && a.active && (!best || a.priority > best.priority)) best = a;
  return best;
}

/**
 * The limit cascade (account > bookmaker > odds): the minimum is the first of account.minStake,
 * bookmaker.minStake, the book's own minimum; the maximum is the first of account.maxStake,
 * bookmaker.maxStake, capped by what the book offers now (an exchange's available size) and by the
 * account's balance (a back stake is never above what the account can stake; never below 0).
 */
export function limitsOf(
  account: Account | undefined,
  bookmaker: Bookmaker,
  oddsLimit: number | null,
  oddsLimitMin: number | null,
): { limit: number; limitMin: number } {
  const max = account?.maxStake ?? bookmaker.maxStake;
  const offered = oddsLimit === null ? max : Math.min(max, oddsLimit);
  const limit = account ? Math.max(0, Math.min(offered, account.balance)) : offered;
  const limitMin = account?.minStake ?? bookmaker.minStake ?? oddsLimitMin ?? 0;
  return { limit: round2(limit), limitMin: round2(limitMin) };
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

function entry(
  o: Offer | null,
  bookmaker: Bookmaker,
  account: Account | undefined,
  price: number | null,
  active: boolean,
): BetslipOdds {
  const { limit, limitMin } = limitsOf(account, bookmaker, o?.oddsLimit ?? null, o?.oddsLimitMin ?? null);
  const currency = account?.currencyId ?? bookmaker.currencyId;
  const m = o?.book.market;
  return {
    price,
    limit,
    limitMin,
    limitCurrency: currency,
    limitUsd: toUsd(limit, currency),
    limitMinUsd: toUsd(limitMin, currency),
    active,
    account: account?.username ?? null,
    currencyInfo: { currencyId: currency, usdRate: USD_PER_UNIT[currency] ?? null },
    bookmakerFixtureId: null,
    bookmakerMarketId: m?.id ?? null,
    bookmakerOutcomeId: o ? String(o.runner.selectionId) : null,
    meta:
      o && m ? { source: o.book.name, back: o.runner.back.slice(0, 3), lay: o.runner.lay.slice(0, 3) } : {},
  };
}

/**
 * The betslip of one outcome: every bookmaker that has it (one entry per bookmaker slug, its best book),
 * plus `paper` at the best active price of them all; keyed `fixtureId:bookmaker:outcomeId:playerId`.
 * Bookmakers the key may not use are left out. Null when no book has the outcome's market.
 */
export function buildBetslip(input: BetslipInput): Betslip | null {
  const { event, outcome } = input;
  const groups = groupsOfMarket(event, input.markets, outcome.market.marketId);
  if (groups.length === 0) return null;
  const allowed = input.allowed.length === 0 ? null : new Set(input.allowed);
  const bySlug = new Map<string, Offer>();
  for (const o of offersOf(groups, outcome.side, input.clock)) {
    if (allowed && !allowed.has(o.slug)) continue;
    if (better(o, bySlug.get(o.slug))) bySlug.set(o.slug, o);
  }
  const fixtureId = String(event.id);
  const key = (slug: string) => `${fixtureId}:${slug}:${outcome.outcomeId}:0`;
  const odds: Betslip['odds'] = {};
  let best: Offer | undefined;
  for (const [slug, o] of [...bySlug].sort(([a], [b]) => a.localeCompare(b))) {
    const e = entry(o, sourceBookmaker(slug), accountFor(input.accounts, slug), o.price, o.active);
    e.bookmakerFixtureId = event.upstreamIds[o.book.source] ?? null;
    odds[slug] = { [key(slug)]: e };
    if (o.active && (!best || (o.price ?? 0) > (best.price ?? 0))) best = o;
  }
  if (!allowed || allowed.has('paper')) {
    const account = accountFor(input.accounts, 'paper');
    const paper = entry(null, sourceBookmaker('paper'), account, best?.price ?? null, best !== undefined);
    // Paper fills against the best book, so it offers no more than that book shows (its size, its max).
    const shown = best?.oddsLimit ?? null;
    if (shown !== null && shown < paper.limit) {
      paper.limit = round2(shown);
      paper.limitUsd = toUsd(paper.limit, paper.limitCurrency);
    }
    paper.meta = best ? { bestOf: best.slug } : {};
    odds.paper = { [key('paper')]: paper };
  }
  return {
    fixtureId,
    outcomeId: outcome.outcomeId,
    playerId: 0,
    client: input.clientName,
    userRef: input.userRef ?? null,
    fixtureInfo: fixtureInfo(event),
    outcomeInfo: {
      marketId: outcome.market.marketId,
      marketName: outcome.market.marketName,
      marketType: outcome.market.marketType,
      outcomeName: outcome.outcomeName,
      handicap:
        outcome.market.line === null
          ? null
          : outcome.side === 'away'
            ? -outcome.market.line
            : outcome.market.line,
    },
    playerInfo: null,
    odds,
  };
}

/** One outcome as /abp/fixtures lists it. */
export interface FixtureOutcome {
  marketId: number;
  marketName: string;
  outcomeId: number;
  outcomeName: string;
  playerId: 0;
  handicap: number | null;
  /** Best active back price across bookmakers (null: none active). */
  price: number | null;
  /** Bookmaker slugs offering it, with their prices. */
  bookmakers: Record<string, number | null>;
}

/** Every catalogue outcome of an event with its current prices. */
export function fixtureOutcomes(
  event: Event,
  markets: readonly Market[],
  clock: BookClock,
): FixtureOutcome[] {
  const out = new Map<number, FixtureOutcome>();
  for (const g of groupBooks(event, markets)) {
    const market = marketOfGroup(g);
    if (!market) continue;
    for (const side of ['home', 'draw', 'away', 'over', 'under'] as const) {
      const outcome = outcomeOf(market, side);
      if (!outcome) continue;
      const offers = offersOf([g], side, clock);
      if (offers.length === 0) continue;
      let row = out.get(outcome.outcomeId);
      if (!row) {
        row = {
          marketId: market.marketId,
          marketName: market.marketName,
          outcomeId: outcome.outcomeId,
          outcomeName: outcome.outcomeName,
          playerId: 0,
          handicap: market.line === null ? null : side === 'away' ? -market.line : market.line,
          price: null,
          bookmakers: {},
        };
        out.set(outcome.outcomeId, row);
      }
      for (const o of offers) {
        const prev = row.bookmakers[o.slug];
        const p = o.active ? o.price : null;
        if (prev === undefined || (p ?? 0) > (prev ?? 0)) row.bookmakers[o.slug] = p;
        if (p !== null && (row.price === null || p > row.price)) row.price = p;
      }
    }
  }
  return [...out.values()].sort((a, b) => a.outcomeId - b.outcomeId);
}
