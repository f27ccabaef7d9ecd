/**
 * The market-making engine (issue 19, seed 002's MM platform): for each configured market it quotes a back
 * above and a lay below the fair price on the exchange, through the execution layer's order service (the
 * quotes are orders of the MM client on the maker exchange connector, LIMIT PERSIST), reads their fills
 * from the exchange's current orders, hedges each fill once on the configured bookmaker (`Hedger`) and
 * reposts the filled amount. What to do is decided by the pure `decideQuotes` (src/mm/quoter.ts); this file
 * does the I/O. Emergency mode cancels every quote and quoting stops until it is cleared.
 */
import { randomUUID } from 'node:crypto';
import type { MmConfig, MmStrategy } from '../config/mm.js';
import type { Execution } from '../execution/index.js';
import { sentStakeOf, type VenueOrderState } from '../execution/ledger.js';
import { round2 } from '../execution/rows.js';
import { Hedger } from './hedger.js';
import { MmLease } from './lease.js';
import { MmSelectorStore } from './selectors.js';
import { marketState, selectedMarkets, type MmBooks, type MmSelection } from './markets.js';
import { decideQuotes, quoteExposure, type MmMarketConfig, type QuoteAction } from './quoter.js';
import {
  fillKeyOf,
  isRestingVenue,
  positionsOf,
  restingQuotesOf,
  type LiveQuote,
  type RestingVenue,
} from './venue.js';

/** Logging the engine does. */
interface EngineLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MmEngineDeps {
  config: MmConfig;
  books: MmBooks;
  execution: Pick<Execution, 'orders' | 'repo' | 'emergency' | 'connectors' | 'db'>;
  logger?: EngineLogger;
  /** The clock the lease expires by (tests drive it). */
  now?: () => number;
  /** This instance's name as lease holder (default: a random UUID). */
  holder?: string;
}

/** One market as the engine last saw it. */
export interface MmMarketSnapshot {
  marketKey: string;
  fixtureId: string;
  outcomeId: number;
  fair: number | null;
  suspended: boolean;
  inPlay: boolean;
  exposure: number;
  maxExposure: number;
  quotes: { back: boolean; price: number; size: number; matched: number; remaining: number }[];
}

const QUIET: EngineLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
/** Betfair's minimum stake: a top-up smaller than this waits. */
const MIN_QUOTE = 1;
/** How long a quote order may take to be placed. */
const PLACE_EXPIRY_MS = 30_000;

export class MmEngine {
  private readonly selections = new Map<string, MmSelection>();
  private readonly quotes = new Map<string, LiveQuote>();
  private readonly markets = new Map<string, MmMarketSnapshot>();
  private readonly hedger: Hedger;
  private readonly log: EngineLogger;
  private readonly lease: MmLease;
  private readonly selectorStore: MmSelectorStore;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private adopted = false;
  private halted: string | null = null;
  /** Highest exposure each market reached after a decision (what the caps must bound). */
  readonly peakExposure = new Map<string, number>();

  constructor(private readonly deps: MmEngineDeps) {
    this.hedger = new Hedger({
      db: deps.execution.db,
      orders: deps.execution.orders,
      repo: deps.execution.repo,
    });
    this.log = deps.logger ?? QUIET;
    this.lease = new MmLease({
      db: deps.execution.db,
      holder: deps.holder ?? randomUUID(),
      ttlMs: deps.config.leaseTtlMs ?? 5 * deps.config.intervalMs,
      now: deps.now,
    });
    this.selectorStore = new MmSelectorStore(
      deps.execution.db,
      deps.config.markets,
      deps.config.strategy,
      (selector, err) => this.log.error({ selector, err }, 'mm: stored selector skipped'),
    );
    for (const selector of deps.config.markets)
      this.selections.set(selector, { selector, strategy: { ...deps.config.strategy } });
  }

  /**
   * Adds (or updates) a selector, recorded in `mm_selectors` (kept over restarts, read by every instance);
   * the next cycle quotes its markets.
   */
  async select(selector: string, strategy: Partial<MmStrategy> = {}): Promise<MmSelection> {
    await this.selectorStore.add(selector, strategy);
    const s = { selector, strategy: { ...this.deps.config.strategy, ...strategy } };
    this.selections.set(selector, s);
    return s;
  }

  /**
   * Removes a selector (false: none such), recorded in `mm_selectors` — a config selector stays removed over
   * restarts until added again; the next cycle cancels the quotes of markets no selector names any more.
   */
  async unselect(selector: string): Promise<boolean> {
    await this.refreshSelections();
    if (!this.selections.has(selector)) return false;
    await this.selectorStore.remove(selector);
    return this.selections.delete(selector);
  }

  /** Reads the selectors again (config, then the table); on a database error the last ones stay. */
  private async refreshSelections(): Promise<void> {
    const loaded = await this.selectorStore.load();
    this.selections.clear();
    for (const [k, v] of loaded) this.selections.set(k, v);
  }

  listSelections(): MmSelection[] {
    return [...this.selections.values()];
  }

  /** The markets as last seen, the client's exposure and why quoting is halted (null: quoting). */
  snapshot() {
    const markets = [...this.markets.values()];
    const exposure = round2(markets.reduce((s, m) => s + m.exposure, 0));
    return {
      halted: this.halted,
      clientExposure: exposure,
      clientMaxExposure: this.deps.config.clientMaxExposure,
      markets,
    };
  }

  /** Cycles every `intervalMs` (the first at once). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.deps.config.intervalMs);
    this.timer.unref();
    void this.runOnce();
  }

  /**
   * Stops cycling; the lease holder cancels every resting quote (no quote is left unattended) and releases
   * the lease. An instance on standby cancels nothing (the quotes are the holder's); one that cannot reach
   * the database cancels nothing either (the next holder adopts the quotes).
   */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    // renewed here, not just checked: a holder whose last cycle outlasted the TTL still cleans up its quotes
    const other = await this.lease.acquire().catch((err: unknown) => String(err));
    if (other !== null) return;
    await this.cancelAll('engine stopped').catch((err: unknown) =>
      this.log.error({ err: String(err) }, 'mm: cancel on stop failed'),
    );
    await this.lease
      .release()
      .catch((err: unknown) => this.log.error({ err: String(err) }, 'mm: lease not released'));
  }

  /** Whether this instance holds the lease (quotes) as of its last cycle. */
  leader(): boolean {
    return this.lease.held();
  }

  /** One cycle (a cycle already running is joined, never doubled). */
  runOnce(): Promise<void> {
    this.running ??= this.cycle()
      .catch((err: unknown) => this.log.error({ err: String(err) }, 'mm: cycle failed'))
      .finally(() => (this.running = null));
    return this.running;
  }

  /** Reads the fills of every resting quote now (beside the cycle: a second report of a fill is harmless). */
  pollNow(): Promise<void> {
    if (!this.lease.held()) return Promise.resolve();
    return this.pollFills([...this.quotes.values()]);
  }

  private venue(): RestingVenue {
    const c = this.deps.execution.connectors.get(this.deps.config.exchange)?.connector;
    if (!isRestingVenue(c))
      throw new Error(`mm: no resting-order exchange connector "${this.deps.config.exchange}"`);
    return c;
  }

  private async cycle(): Promise<void> {
    await this.refreshSelections().catch((err: unknown) =>
      this.log.error({ err: String(err) }, 'mm: selectors not read, the last ones kept'),
    );
    if (!(await this.holdLease())) return;
    if (!this.adopted) await this.adopt();
    await this.pollFills([...this.quotes.values()]);
    const emergency = await this.deps.execution.emergency.state();
    if (emergency.active) {
      this.halted = `emergency${emergency.reason ? `: ${emergency.reason}` : ''}`;
      await this.cancelAll('emergency');
      return;
    }
    this.halted = null;
    const wanted = selectedMarkets(
      this.deps.books,
      [...this.selections.values()],
      this.deps.config.maxMarkets,
    );
    const keys = new Set(wanted.map((m) => m.marketKey));
    for (const q of [...this.quotes.values()])
      if (!keys.has(q.marketKey)) await this.cancel(q, 'not selected');
    for (const k of this.markets.keys()) if (!keys.has(k)) this.markets.delete(k);
    const positions = await positionsOf(this.deps.execution.db, this.deps.config.client, [...keys]);
    for (const m of wanted) {
      if (!this.lease.held()) return; // ran out mid-cycle: the next cycle renews it or stands by
      await this.step(m, positions.get(m.marketKey));
    }
  }

  /**
   * Takes or renews the lease. Without it the engine forgets its quotes without cancelling them (the holder
   * adopts them from the database) and adopts again when it gets the lease back.
   */
  private async holdLease(): Promise<boolean> {
    const had = this.lease.held();
    const other = await this.lease.acquire();
    if (other === null) {
      if (!had) this.log.info({ holder: this.lease.holder }, 'mm: lease taken, quoting here');
      return true;
    }
    if (had || !this.halted?.startsWith('standby'))
      this.log.warn({ holder: other }, 'mm: lease held by another instance, not quoting');
    this.halted = `standby: another instance quotes (${other})`;
    this.quotes.clear();
    this.markets.clear();
    this.adopted = false;
    return false;
  }

  /**
   * At the first cycle: fills a crash left recorded but unhedged are hedged (same requestUuid: never twice),
   * and quotes a previous run left resting are taken over (their fills continue from what was recorded).
   */
  private async adopt(): Promise<void> {
    const resumed = await this.hedger.resume();
    if (resumed > 0) this.log.warn({ fills: resumed }, 'mm: unhedged fills of a previous run hedged');
    const venue = this.venue();
    const known = await restingQuotesOf(this.deps.execution.db, this.deps.config.client, venue.slug);
    const states = new Map((await venue.orderStates(known.map((q) => q.key))).map((s) => [s.key, s]));
    for (const q of known) if (states.get(q.key)?.status === 'EXECUTABLE') this.quotes.set(q.key, q);
    this.adopted = true;
    if (this.quotes.size > 0) this.log.info({ quotes: this.quotes.size }, 'mm: resting quotes taken over');
  }

  /**
   * Reads the quotes' states at the exchange: new matched stake is a fill (hedged) and is written to the
   * quote's order and bet (`applyVenueState`); finished quotes drop.
   */
  private async pollFills(quotes: readonly LiveQuote[]): Promise<void> {
    if (quotes.length === 0) return;
    const venue = this.venue();
    const states = new Map((await venue.orderStates(quotes.map((q) => q.key))).map((s) => [s.key, s]));
    for (const q of quotes) {
      const s = states.get(q.key);
      if (s) {
        if (!q.betId) q.betId = s.betId;
        await this.onMatched(q, s.sizeMatched, s.averagePriceMatched);
        const done = s.status === 'EXECUTION_COMPLETE';
        await this.record(q, { matched: s.sizeMatched, done, bookmakerBetId: s.betId, raw: s });
        q.remaining = s.sizeRemaining;
        if (done) this.quotes.delete(q.key);
        continue;
      }
      // no longer current (cleared): what it matched in the end, then it is gone
      const [done] = await venue.currentOrders([q.key]);
      if (done && !q.betId) q.betId = done.bookmakerBetId;
      if (done?.status === 'accepted' && q.betId) await this.onMatched(q, done.stake, done.price);
      if (done)
        await this.record(q, {
          matched: done.status === 'accepted' ? done.stake : q.matched,
          done: true,
          bookmakerBetId: done.bookmakerBetId,
          reason: (done.reason ?? 'cleared').toLowerCase(),
          raw: done.raw,
        });
      this.quotes.delete(q.key);
    }
  }

  /** Writes a quote's exchange state to its execution order and bet (idempotent; a failure waits a poll). */
  private async record(q: LiveQuote, state: VenueOrderState): Promise<void> {
    try {
      await this.deps.execution.orders.applyVenueState(q.key, state);
    } catch (err) {
      this.log.error({ quote: q.key, err: String(err) }, 'mm: quote state not recorded');
    }
  }

  /** Records the step from what was matched before to `matchedTotal` as one fill, and hedges it. */
  private async onMatched(q: LiveQuote, matchedTotal: number, avgPrice: number): Promise<void> {
    const size = round2(matchedTotal - q.matched);
    if (size < 0.01) return;
    const value = matchedTotal * avgPrice;
    const price = Math.max(1.01, Math.round(((value - q.matchedValue) / size) * 100) / 100);
    q.matched = round2(matchedTotal);
    q.matchedValue = value;
    const fill = {
      fillKey: fillKeyOf(this.venue().slug, q.betId, matchedTotal),
      clientName: this.deps.config.client,
      marketKey: q.marketKey,
      fixtureId: q.fixtureId,
      outcomeId: q.outcomeId,
      exchange: this.venue().slug,
      quoteBack: q.back,
      price,
      size,
    };
    try {
      const out = await this.hedger.onFill(fill, this.hedgeTarget(q, price));
      if (out.kind === 'hedged' && out.status !== 'FILLED')
        this.log.warn({ fill: fill.fillKey, status: out.status, reason: out.reason }, 'mm: hedge not filled');
    } catch (err) {
      this.log.error({ fill: fill.fillKey, err: String(err) }, 'mm: fill not recorded');
    }
  }

  /** The hedge bookmaker's price on the other side of the fill (the fill's own price when it has none). */
  private hedgeTarget(q: LiveQuote, fillPrice: number) {
    const bookmaker = this.deps.config.hedgeBookmaker;
    const c = this.deps.execution.connectors.get(bookmaker)?.connector;
    const quote = c?.quote({ fixtureId: q.fixtureId, outcomeId: q.outcomeId, playerId: 0, back: !q.back });
    return { bookmaker, price: quote && quote.active && quote.price > 1 ? quote.price : fillPrice };
  }

  /** One market: decide against what rests, cancel, then (when every cancel took) place. */
  private async step(m: MmMarketConfig, position: { win: number; lose: number } | undefined): Promise<void> {
    const state = marketState(this.deps.books, m, this.deps.config.fairBooks);
    const resting = [...this.quotes.values()].filter((q) => q.marketKey === m.marketKey);
    const exposure = this.exposureOf(position, resting);
    const others = this.snapshot().clientExposure - (this.markets.get(m.marketKey)?.exposure ?? 0);
    const view = {
      fair: state.fair,
      suspended: state.suspended,
      inPlay: state.inPlay,
      exposure,
      client: { exposure: others + exposure, cap: this.deps.config.clientMaxExposure },
    };
    const cfg = { ...m, minSize: MIN_QUOTE };
    const actions = decideQuotes(
      cfg,
      view,
      resting.map((q) => ({ id: q.key, back: q.back, price: q.price, size: q.remaining })),
    );
    const cancels = actions.filter((a) => a.kind === 'cancel');
    let ok = true;
    for (const a of cancels) ok = (await this.cancel(this.quotes.get(a.id) as LiveQuote, a.reason)) && ok;
    if (ok) for (const a of actions) if (a.kind === 'place') await this.place(m, a);
    this.remember(m, state, position);
  }

  /** Worst-case loss of the position plus what each resting quote could add if it filled. */
  private exposureOf(
    position: { win: number; lose: number } | undefined,
    resting: readonly LiveQuote[],
  ): number {
    const held = position ? Math.max(0, -Math.min(position.win, position.lose)) : 0;
    return round2(held + resting.reduce((s, q) => s + quoteExposure(q.back, q.price, q.remaining), 0));
  }

  private remember(
    m: MmMarketConfig,
    state: { fair: number | null; suspended: boolean; inPlay: boolean },
    position?: { win: number; lose: number },
  ): void {
    const resting = [...this.quotes.values()].filter((q) => q.marketKey === m.marketKey);
    const exposure = this.exposureOf(position, resting);
    this.peakExposure.set(m.marketKey, Math.max(this.peakExposure.get(m.marketKey) ?? 0, exposure));
    this.markets.set(m.marketKey, {
      marketKey: m.marketKey,
      fixtureId: m.fixtureId,
      outcomeId: m.outcomeId,
      fair: state.fair,
      suspended: state.suspended,
      inPlay: state.inPlay,
      exposure,
      maxExposure: m.maxExposure,
      quotes: resting.map((q) => ({
        back: q.back,
        price: q.price,
        size: q.size,
        matched: q.matched,
        remaining: q.remaining,
      })),
    });
  }

  /** Places one quote through the execution layer's order service; an accepted one rests and is tracked. */
  private async place(m: MmMarketConfig, a: Extract<QuoteAction, { kind: 'place' }>): Promise<void> {
    if (!this.lease.held()) return; // the lease ran out during a long cycle: the next one renews it first
    const out = await this.deps.execution.orders.place(
      { clientName: this.deps.config.client, bookmakers: [this.deps.config.exchange] },
      {
        requestUuid: randomUUID(),
        fixtureId: m.fixtureId,
        outcomeId: m.outcomeId,
        playerId: 0,
        orderStake: a.size,
        orderPrice: a.price,
        userRef: 'mm-quote',
        testOrder: false,
        bookmakers: this.deps.config.exchange,
        orderCurrency: 'USD',
        acceptBetterOdds: true,
        acceptPartialStake: false,
        back: a.back,
        expiresAt: new Date(Date.now() + PLACE_EXPIRY_MS),
        meta: { source: 'mm-quote', marketKey: m.marketKey },
      },
    );
    if (out.kind !== 'accepted') {
      this.log.warn(
        { market: m.marketKey, why: out.kind === 'declined' ? out.declineReason : out.kind },
        'mm: quote not placed',
      );
      return;
    }
    // PLACED: resting on the book (or its answer was lost: the exchange lists it by key if it exists);
    // CONFIRMED: matched in full at once (its fill is read like any other)
    const bet = out.bets.find((b) => b.betStatus === 'CONFIRMED' || b.betStatus === 'PLACED');
    if (!bet) return;
    this.quotes.set(bet.betRequestId, {
      key: bet.betRequestId,
      marketKey: m.marketKey,
      fixtureId: m.fixtureId,
      outcomeId: m.outcomeId,
      orderId: out.order.orderId,
      betId: bet.bookmakerBetId ?? '',
      back: a.back,
      price: bet.placedPrice ?? a.price,
      size: sentStakeOf(bet),
      matched: 0,
      matchedValue: 0,
      remaining: sentStakeOf(bet),
    });
  }

  /**
   * Cancels what of a quote still rests through the execution layer's cancel (its order keeps the matched
   * part, the rest's reserve is refunded), then reads its final state (fills that came before the cancel are
   * hedged). True when nothing of it rests any more.
   */
  private async cancel(q: LiveQuote, reason: string): Promise<boolean> {
    const { orders, repo } = this.deps.execution;
    try {
      const order = await repo.order(q.orderId);
      if (order) await orders.cancel(order);
      else await this.venue().cancel(q.key);
    } catch (err) {
      this.log.warn({ quote: q.key, err: String(err) }, 'mm: cancel failed');
    }
    await this.pollFills([q]);
    const gone = !this.quotes.has(q.key);
    if (gone) this.log.info({ market: q.marketKey, quote: q.key, reason }, 'mm: quote cancelled');
    return gone;
  }

  private async cancelAll(reason: string): Promise<void> {
    for (const q of [...this.quotes.values()]) await this.cancel(q, reason);
    for (const [k, m] of this.markets) this.markets.set(k, { ...m, quotes: [], exposure: m.exposure });
  }
}
