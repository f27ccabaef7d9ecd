/**
 * The fallback while the stream is down: polls listMarketBook for the subscribed markets and turns each
 * book into a market image in stream form (`img: true`, the same ladder fields the subscription asked
 * for, the last definition with the book's status), fed through the same pipeline. Stream ladder entries
 * are absolute values, so the RESUB_DELTA after reconnecting applies cleanly on top of a polled image; a
 * polled image must never land after it though (it would put back older prices the stream's later deltas
 * do not touch again), so stop() drops every answer still in flight, even if polling restarts meanwhile.
 */
import type { BookLevel, BetfairCatalogue, MarketBook } from './catalogue.js';
import type { MarketChange, MarketChangeMessage, MarketDefinition, RunnerChange } from './protocol.js';
import { silentLogger, type BetfairLogger } from './types.js';
import type { Clock } from '../../core/clock.js';

/** Options of {@link BookPoller}. */
export interface BookPollerOptions {
  catalogue: Pick<BetfairCatalogue, 'listMarketBook'>;
  /** The markets to poll. */
  markets: () => readonly string[];
  /** The last definition the cache holds for a market (a book without one is skipped). */
  definition: (marketId: string) => Readonly<MarketDefinition> | null;
  /** The stream subscription's fields and depth (the polled images carry the same fields). */
  fields: readonly string[];
  ladderLevels: number;
  intervalMs: number;
  /** Receives each polled image message (only while still polling). */
  feed: (msg: MarketChangeMessage) => void;
  logger?: BetfairLogger;
  clock?: Clock;
}

/** listMarketBook request weight per market for the fields asked for (Betfair's market data limits). */
function weightOf(priceData: readonly string[]): number {
  let w = priceData.includes('EX_ALL_OFFERS') ? 17 : priceData.includes('EX_BEST_OFFERS') ? 5 : 0;
  if (priceData.includes('EX_TRADED')) w += 17;
  return Math.max(2, w);
}

const pairs = (levels: readonly BookLevel[] | undefined) =>
  (levels ?? []).map((l) => [l.price, l.size] as [number, number]);
const triples = (levels: readonly BookLevel[] | undefined, n: number) =>
  (levels ?? []).slice(0, n).map((l, i) => [i, l.price, l.size] as [number, number, number]);

/** Polls market books while active. */
export class BookPoller {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private busy = false;
  /** Bumped by stop(): answers to requests made before it are dropped. */
  private generation = 0;
  private readonly priceData: string[];
  private readonly log: BetfairLogger;
  readonly stats = {
    polls: 0,
    books: 0,
    failures: 0,
    lastPollAt: null as number | null,
    lastError: null as string | null,
  };

  constructor(private readonly opts: BookPollerOptions) {
    const f = opts.fields;
    this.priceData = [
      ...(f.includes('EX_ALL_OFFERS')
        ? ['EX_ALL_OFFERS']
        : f.some((x) => x.startsWith('EX_BEST_OFFERS'))
          ? ['EX_BEST_OFFERS']
          : []),
      ...(f.includes('EX_TRADED') ? ['EX_TRADED'] : []),
    ];
    this.log = opts.logger ?? silentLogger;
  }

  /** True while polling. */
  get active(): boolean {
    return this.running;
  }

  /** Starts polling (at once, then every interval). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.log.warn({ intervalMs: this.opts.intervalMs }, 'betfair stream down: polling listMarketBook');
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.opts.intervalMs);
  }

  /** Stops polling; answers still in flight are dropped (also after a later start()). */
  stop(): void {
    this.running = false;
    this.generation++;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round over every market (chunked by request weight). */
  async poll(): Promise<void> {
    if (this.busy || !this.running) return;
    this.busy = true;
    const generation = this.generation;
    const current = () => this.running && this.generation === generation;
    try {
      const ids = [...this.opts.markets()];
      const chunk = Math.max(1, Math.floor(200 / weightOf(this.priceData)));
      for (let i = 0; i < ids.length && current(); i += chunk) {
        const books = await this.opts.catalogue.listMarketBook(
          ids.slice(i, i + chunk),
          this.priceData,
          this.opts.ladderLevels,
        );
        if (!current()) return;
        const mc = books.map((b) => this.toChange(b)).filter((c): c is MarketChange => c !== null);
        this.stats.books += mc.length;
        if (mc.length > 0) this.opts.feed({ op: 'mcm', pt: (this.opts.clock ?? Date.now)(), mc });
      }
      this.stats.polls++;
      this.stats.lastPollAt = (this.opts.clock ?? Date.now)();
    } catch (err) {
      this.stats.failures++;
      this.stats.lastError = err instanceof Error ? err.message : String(err);
    } finally {
      this.busy = false;
    }
  }

  /** A book as a stream market image on top of `def` (default: the cache's), null without a definition. */
  toChange(book: MarketBook, def = this.opts.definition(book.marketId)): MarketChange | null {
    if (!def) return null;
    const f = this.opts.fields;
    const statusOf = new Map(
      (book.runners ?? []).map((r) => [`${r.selectionId}:${r.handicap ?? 0}`, r.status]),
    );
    const marketDefinition: MarketDefinition = {
      ...def,
      status: book.status ?? def.status,
      inPlay: book.inplay ?? def.inPlay,
      runners: def.runners?.map((r) => ({ ...r, status: statusOf.get(`${r.id}:${r.hc ?? 0}`) ?? r.status })),
    };
    const mc: MarketChange = { id: book.marketId, img: true, marketDefinition, rc: [] };
    if (f.includes('EX_TRADED_VOL')) mc.tv = book.totalMatched ?? 0;
    for (const r of book.runners ?? []) mc.rc?.push(this.runnerChange(r));
    return mc;
  }

  private runnerChange(r: NonNullable<MarketBook['runners']>[number]): RunnerChange {
    const f = this.opts.fields;
    const n = this.opts.ladderLevels;
    const rc: RunnerChange = { id: r.selectionId };
    if (r.handicap) rc.hc = r.handicap;
    const ex = r.ex ?? {};
    if (f.includes('EX_ALL_OFFERS')) {
      rc.atb = pairs(ex.availableToBack);
      rc.atl = pairs(ex.availableToLay);
    } else if (f.includes('EX_BEST_OFFERS')) {
      rc.batb = triples(ex.availableToBack, n);
      rc.batl = triples(ex.availableToLay, n);
    } else if (f.includes('EX_BEST_OFFERS_DISP')) {
      rc.bdatb = triples(ex.availableToBack, n);
      rc.bdatl = triples(ex.availableToLay, n);
    }
    if (f.includes('EX_TRADED') && ex.tradedVolume?.length) rc.trd = pairs(ex.tradedVolume);
    if (f.includes('EX_LTP') && typeof r.lastPriceTraded === 'number') rc.ltp = r.lastPriceTraded;
    if (f.includes('EX_TRADED_VOL')) rc.tv = r.totalMatched ?? 0;
    return rc;
  }
}
