import type { PriceLevel, Runner } from '../model/index.js';
import type { Book, MarketGroup } from './books.js';
import type { BookClock } from './freshness.js';
import { decimalOdds, isLineMarket, priceUnit } from './price.js';

/** A price and the book it came from. `size` is null when the book does not say (bookmakers). */
export interface BookPrice {
  /** Decimal odds (a rate-quoted book's rate converted: rate / 100 + 1). */
  price: number;
  /** The rate as the book quotes it, only for rate-quoted (bookmaker) books. */
  rate?: number;
  size: number | null;
  book: string;
  source: string;
  marketId: string;
}

/** A runner's best back and best lay across the books of its group. */
export interface BestRunner {
  key: string;
  name: string;
  bestBack: BookPrice | null;
  bestLay: BookPrice | null;
  /** True when no usable book offers the runner active and some book has it (or its market) suspended. */
  suspended: boolean;
}

/** A market group's best prices, overrounds, and which books took part. */
export interface BestMarket {
  key: string;
  type: string;
  line: number | null;
  name: string;
  /** Books whose prices were used (open, not suspended, not stale). */
  books: string[];
  /** Books left out because their data is older than their TTL. */
  staleBooks: string[];
  /** Books left out because their market is suspended (or not yet open). */
  suspendedBooks: string[];
  /** OPEN when some book's prices are used; SUSPENDED when every book still offering it is suspended. */
  status: 'OPEN' | 'SUSPENDED';
  runners: BestRunner[];
  /** Σ 1 / best back over the runners; null unless every runner has a back price. */
  backOverround: number | null;
  /** Σ 1 / best lay over the runners; null unless every runner has a lay price. */
  layOverround: number | null;
}

/** True when a book's prices may be used: its market open, not stale. */
export function bookUsable(book: Book, clock: BookClock): boolean {
  return book.market.status === 'OPEN' && !clock.isStale(book.market);
}

const RUNNING: ReadonlySet<Runner['status']> = new Set(['ACTIVE', 'SUSPENDED']);

function runnerUsable(r: Runner): boolean {
  return r.status === 'ACTIVE';
}

function priceOf(level: PriceLevel | undefined, book: Book): BookPrice | null {
  if (!level) return null;
  const price = decimalOdds(level.price, book.market);
  if (price === null) return null;
  return {
    price,
    ...(priceUnit(book.market) === 'rate' ? { rate: level.price } : {}),
    size: level.size > 0 ? level.size : null,
    book: book.name,
    source: book.source,
    marketId: book.market.id,
  };
}

/** The better of two prices for a side: back higher, lay lower; ties keep the larger size, then the first. */
function better(side: 'back' | 'lay', a: BookPrice | null, b: BookPrice | null): BookPrice | null {
  if (!a) return b;
  if (!b) return a;
  if (a.price !== b.price) return (side === 'back' ? b.price > a.price : b.price < a.price) ? b : a;
  return (b.size ?? Infinity) > (a.size ?? Infinity) ? b : a;
}

function overround(prices: (BookPrice | null)[]): number | null {
  if (prices.length === 0 || prices.some((p) => p === null)) return null;
  return prices.reduce((s, p) => s + 1 / (p as BookPrice).price, 0);
}

/**
 * Best back and lay per runner across the usable books of a group, with overrounds, in decimal odds.
 * A single-line (fancy) group has no best price: its numbers are lines, not odds.
 */
export function bestOf(group: MarketGroup, clock: BookClock): BestMarket {
  const line = group.books.some((b) => isLineMarket(b.market));
  const usable = new Set<Book>(line ? [] : group.books.filter((b) => bookUsable(b, clock)));
  const runners: BestRunner[] = group.outcomes.map((o) => {
    let bestBack: BookPrice | null = null;
    let bestLay: BookPrice | null = null;
    for (const { book, runner } of o.runners) {
      if (!usable.has(book) || !runnerUsable(runner)) continue;
      bestBack = better('back', bestBack, priceOf(runner.back[0], book));
      bestLay = better('lay', bestLay, priceOf(runner.lay[0], book));
    }
    const active = o.runners.some((x) => usable.has(x.book) && runnerUsable(x.runner));
    const suspended =
      !active &&
      o.runners.some(
        (x) =>
          x.runner.status === 'SUSPENDED' ||
          (x.runner.status === 'ACTIVE' && x.book.market.status === 'SUSPENDED'),
      );
    return { key: o.key, name: o.name, bestBack, bestLay, suspended };
  });
  // every runner still running in any open book counts, priced or not: a runner only a stale or
  // suspended book offers leaves the overround unknown rather than too low
  const live = runners.filter((_, i) => group.outcomes[i]?.runners.some((x) => RUNNING.has(x.runner.status)));
  const suspended = group.books.filter(
    (b) => b.market.status === 'SUSPENDED' || b.market.status === 'INACTIVE',
  );
  return {
    key: group.key,
    type: group.type,
    line: group.line,
    name: group.name,
    books: [...usable].map((b) => b.name),
    staleBooks: group.books
      .filter((b) => b.market.status === 'OPEN' && clock.isStale(b.market))
      .map((b) => b.name),
    suspendedBooks: suspended.map((b) => b.name),
    status: usable.size === 0 && suspended.length > 0 ? 'SUSPENDED' : 'OPEN',
    runners,
    backOverround: overround(live.map((r) => r.bestBack)),
    layOverround: overround(live.map((r) => r.bestLay)),
  };
}
