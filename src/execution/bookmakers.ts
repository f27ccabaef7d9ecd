/**
 * The bookmakers the ABP surface knows: the document's 30 slugs, the `paper` bookmaker (fills at the best
 * price of any book, no account needed upstream) and the books oddsgate's own sources bring (the simulated
 * exchange is `betfair-ex`; each odds-API bookmaker is its own slug). Default stake limits per bookmaker are
 * the middle of the limit cascade (account > bookmaker > odds).
 */
export type BookmakerKind = 'sportsbook' | 'exchange' | 'prediction' | 'punter' | 'paper' | 'site';

/** One bookmaker as /abp/bookmakers lists it. */
export interface Bookmaker {
  slug: string;
  name: string;
  kind: BookmakerKind;
  minStake: number;
  maxStake: number;
  currencyId: string;
}

const SPORTSBOOKS = [
  ['pinnacle', 'Pinnacle'],
  ['pinnacleb2b', 'Pinnacle B2B'],
  ['betamapola', 'Betamapola'],
  ['betcris', 'Betcris'],
  ['bookmaker.eu', 'Bookmaker.eu'],
  ['cloudbet', 'Cloudbet'],
  ['cloudbetb2b', 'Cloudbet B2B'],
  ['justbet', 'Justbet'],
  ['kaiyun', 'Kaiyun'],
  ['monkeyline.vip', 'Monkeyline'],
  ['novig.us', 'Novig'],
  ['198bet', '198bet'],
  ['paradisewager', 'Paradise Wager'],
  ['sharpbet', 'Sharpbet'],
  ['singbet', 'Singbet'],
  ['sports411.ag', 'Sports411'],
  ['3et', '3et'],
  ['vertex', 'Vertex'],
] as const;
const EXCHANGES = [
  ['betfair-ex', 'Betfair Exchange'],
  ['limitless-ex', 'Limitless Exchange'],
  ['matchbook', 'Matchbook'],
  ['smarkets', 'Smarkets'],
] as const;
const PREDICTION = [
  ['4casters', '4casters'],
  ['kalshi', 'Kalshi'],
  ['polymarket', 'Polymarket'],
  ['polymarket.us', 'Polymarket US'],
  ['predict.fun', 'Predict.fun'],
  ['prophetx', 'ProphetX'],
  ['sx.bet', 'SX Bet'],
] as const;

function entries(
  list: readonly (readonly [string, string])[],
  kind: BookmakerKind,
  max: number,
): Bookmaker[] {
  return list.map(([slug, name]) => ({ slug, name, kind, minStake: 1, maxStake: max, currencyId: 'USD' }));
}

/** The fixed catalogue (sources may add more, see bookmakerOfBook). */
export const BOOKMAKERS: readonly Bookmaker[] = [
  ...entries(SPORTSBOOKS, 'sportsbook', 5000),
  ...entries(EXCHANGES, 'exchange', 10_000),
  ...entries(PREDICTION, 'prediction', 5000),
  ...entries([['punter.io', 'Punter']], 'punter', 5000),
  { slug: 'paper', name: 'Paper trading', kind: 'paper', minStake: 1, maxStake: 10_000, currencyId: 'USD' },
];

const BY_SLUG: ReadonlyMap<string, Bookmaker> = new Map(BOOKMAKERS.map((b) => [b.slug, b]));

/** Sources whose books are the Betfair exchange (live, replayed or simulated). */
const EXCHANGE_SOURCES: ReadonlySet<string> = new Set(['betfair', 'historical', 'sim']);

/**
 * The bookmaker slug of a book (src/books: "sim", "betfair", "oddsapi/pinnacle", "imatchodds"): Betfair
 * sources are `betfair-ex`; an odds-API bookmaker is its own key with `_` as `-` (`betfair_ex_uk` →
 * `betfair-ex-uk`); any other source is its name.
 */
export function bookmakerOfBook(book: string): string {
  if (EXCHANGE_SOURCES.has(book)) return 'betfair-ex';
  const slash = book.indexOf('/');
  const name = slash === -1 ? book : book.slice(slash + 1);
  return name.toLowerCase().replace(/_/g, '-');
}

/** A bookmaker by slug: the catalogue's, or one a source brings (sportsbook defaults). */
export function bookmakerBySlug(slug: string): Bookmaker | undefined {
  return BY_SLUG.get(slug);
}

/** The bookmaker a source-brought slug stands for, with default limits, when it is not in the catalogue. */
export function sourceBookmaker(slug: string, title?: string): Bookmaker {
  return (
    BY_SLUG.get(slug) ?? {
      slug,
      name: title ?? slug,
      kind: 'site',
      minStake: 1,
      maxStake: 5000,
      currencyId: 'USD',
    }
  );
}

/** True for a well-formed slug (what account routes accept for a bookmaker not yet seen). */
export function isSlug(v: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{0,39}$/.test(v);
}
