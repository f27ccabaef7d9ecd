import { round2 } from '../../execution/rows.js';
import { hedgeStakeOf } from '../hedger.js';
import { fairPrices } from '../pricing.js';
import { decideQuotes, quoteExposure, type MmMarketConfig, type RestingQuote } from '../quoter.js';
import { stepsOf, type MarketStep, type ReplayMarket } from './book.js';
import { hedgeOffer, quoteFill, Taken } from './fills.js';
import { commissionOf, lossOf, MarketLedger } from './ledger.js';

/** The strategy's settings and the backtest's window and costs. */
export interface BacktestParams {
  spreadTicks: number;
  size: number;
  replaceTicks: number;
  /** Cap on each runner's exposure (the quoter's `maxExposure`). */
  maxExposure: number;
  cancelInPlay: boolean;
  /** Smallest stake posted (a smaller top-up waits). */
  minSize: number;
  /** Exchange commission on a market's net winnings (0.05 = 5%). */
  commission: number;
  /** Trading window, epoch ms: from ≤ ts < to. Earlier changes only build the book. */
  from: number;
  to: number;
}

/** The decision core: the live engine's `decideQuotes` (tests may pass their own). */
export type Decide = typeof decideQuotes;

/** What the strategy would have done in one market. Money in the market's currency, to cents. */
export interface MarketReport {
  marketId: string;
  name: string;
  type: string;
  /** Why the market was not traded, or null. */
  skipped: string | null;
  /** First and last traded step (epoch ms), null when none fell in the window. */
  firstAt: number | null;
  lastAt: number | null;
  steps: number;
  quotes: number;
  cancels: number;
  /** Quotes the exchange dropped unmatched: at the in-play turn, the window's end or the market's close. */
  lapsed: number;
  fills: number;
  backMatched: number;
  layMatched: number;
  hedges: number;
  hedgeStake: number;
  /** Filled size left unhedged at the end (the hedge side showed nothing in time). */
  unhedged: number;
  /** The market's largest and final worst-case loss over which runner wins. */
  maxExposure: number;
  endExposure: number;
  /**
   * The highest exposure the quoter saw for one runner after its decision (position's worst-case loss plus
   * resting quotes'), what `--max-exposure` caps — exceeded only by losses hedges locked in.
   */
  peakRunnerExposure: number;
  /** Profit by the recorded result before commission; null when the recording has no result. */
  profit: number | null;
  commission: number;
  net: number | null;
}

const MONEY = [
  'backMatched',
  'layMatched',
  'hedgeStake',
  'unhedged',
  'maxExposure',
  'endExposure',
  'peakRunnerExposure',
  'profit',
  'commission',
  'net',
] as const satisfies ReadonlyArray<keyof MarketReport>;

interface Resting extends RestingQuote {
  selectionId: number;
}

interface PendingHedge {
  selectionId: number;
  back: boolean;
  fillPrice: number;
  /** Filled size still to hedge. */
  size: number;
}

/** Markets quoted: one winner, so the de-margined back prices are each runner's chance. */
export function skipReason(m: ReplayMarket): string | null {
  const multi = /PLACE|EACH_WAY|TOP_\d|^TO_BE_PLACED/.test(m.type);
  if ((m.numberOfWinners ?? 1) !== 1 || (m.numberOfWinners === null && multi))
    return `${m.numberOfWinners ?? 'several'} winners (the fair price assumes one)`;
  if (m.ticks.length === 0) return 'no ticks';
  return null;
}

/**
 * The fair price of each active runner: the replayed exchange's best back prices, de-margined
 * (`fairPrices` over that one book). None when an active runner shows no back price.
 */
export function fairOf(step: MarketStep, order: readonly number[]): Map<number, number> {
  const active = order.filter((id) => step.runners.get(id)?.status === 'ACTIVE');
  const prices: Record<string, number> = {};
  for (const id of active) {
    const back = step.runners.get(id)?.back;
    if (back != null) prices[String(id)] = back;
  }
  const fair = fairPrices([{ book: 'exchange', prices }], active.map(String));
  return new Map(fair ? active.map((id) => [id, fair.odds[String(id)] as number]) : []);
}

/** Replays one market through the quoter against the paper exchange of `fills.ts`. */
class MarketReplayer {
  private readonly ledger = new MarketLedger();
  private readonly taken = new Taken();
  private readonly resting: Resting[] = [];
  private readonly pending: PendingHedge[] = [];
  private readonly order: number[];
  private seq = 0;
  private inPlay = false;
  readonly report: MarketReport;

  constructor(
    private readonly market: ReplayMarket,
    private readonly p: BacktestParams,
    private readonly decide: Decide,
  ) {
    this.order = market.runners.map((r) => r.selectionId);
    this.report = {
      ...{ marketId: market.marketId, name: market.name, type: market.type, skipped: null },
      ...{ firstAt: null, lastAt: null, steps: 0, quotes: 0, cancels: 0, lapsed: 0, fills: 0 },
      ...{ backMatched: 0, layMatched: 0, hedges: 0, hedgeStake: 0, unhedged: 0 },
      ...{ maxExposure: 0, endExposure: 0, peakRunnerExposure: 0, profit: null, commission: 0, net: null },
    };
  }

  run(): MarketReport {
    let last: MarketStep | null = null;
    for (const step of stepsOf(this.market.ticks)) {
      last = step;
      if (step.ts < this.p.from) continue;
      if (step.ts >= this.p.to) this.lapseAll();
      else this.trade(step);
    }
    this.lapseAll();
    this.settle(last);
    return this.report;
  }

  private trade(step: MarketStep): void {
    const r = this.report;
    r.firstAt ??= step.ts;
    r.lastAt = step.ts;
    r.steps++;
    // Betfair lapses unmatched bets when the market turns in play (persistence LAPSE).
    if (step.inPlay && !this.inPlay) this.lapseAll();
    this.inPlay = step.inPlay;
    if (step.status === 'OPEN') {
      this.hedge(step);
      this.fill(step);
    }
    const fair = fairOf(step, this.order);
    for (const id of this.order) this.quote(step, id, fair.get(id) ?? null);
  }

  /** Fills resting quotes against the step's book and traded volume (placement order). */
  private fill(step: MarketStep): void {
    for (const id of this.order) {
      const book = step.runners.get(id);
      if (!book || book.status !== 'ACTIVE') continue;
      let traded = step.traded.get(id) ?? 0;
      for (const q of this.resting.filter((x) => x.selectionId === id)) {
        const f = quoteFill(q, id, book, traded, this.taken);
        if (f.size <= 0) continue;
        const best = (q.back ? book.back : book.lay) as number;
        if (f.fromBook > 0) this.taken.take(id, q.back, best, f.fromBook);
        traded = round2(traded - f.fromTraded);
        q.size = round2(q.size - f.size);
        if (q.size <= 0) this.resting.splice(this.resting.indexOf(q), 1);
        this.ledger.add({ selectionId: id, back: q.back, price: q.price, stake: f.size });
        this.report.fills++;
        if (q.back) this.report.backMatched += f.size;
        else this.report.layMatched += f.size;
        this.pending.push({ selectionId: id, back: !q.back, fillPrice: q.price, size: f.size });
        this.noteExposure();
      }
    }
  }

  /** Hedges earlier fills at the best opposite price, as far as the book shows size (the rest waits). */
  private hedge(step: MarketStep): void {
    for (const h of [...this.pending]) {
      const book = step.runners.get(h.selectionId);
      const offer = book?.status === 'ACTIVE' ? hedgeOffer(h.back, h.selectionId, book, this.taken) : null;
      if (!offer) continue;
      const full = hedgeStakeOf(h.size, h.fillPrice, offer.price);
      const stake = round2(Math.min(full, offer.size));
      if (stake < 0.01) continue;
      this.taken.take(h.selectionId, h.back, offer.price, stake);
      this.ledger.add({ selectionId: h.selectionId, back: h.back, price: offer.price, stake });
      this.report.hedges++;
      this.report.hedgeStake += stake;
      h.size = stake >= full ? 0 : round2(h.size - (stake * offer.price) / h.fillPrice);
      if (h.size <= 0) this.pending.splice(this.pending.indexOf(h), 1);
      this.noteExposure();
    }
  }

  /** Asks the quoter about one runner and applies its actions (a new quote rests from the next step). */
  private quote(step: MarketStep, id: number, fair: number | null): void {
    const book = step.runners.get(id);
    const mine = this.resting.filter((q) => q.selectionId === id);
    if (!book && mine.length === 0) return;
    const exposure = this.runnerExposure(id);
    const view = {
      fair,
      suspended: step.status !== 'OPEN' || book?.status !== 'ACTIVE',
      inPlay: step.inPlay,
      exposure,
    };
    for (const a of this.decide(this.configOf(id), view, mine)) {
      if (a.kind === 'cancel') {
        const i = this.resting.findIndex((q) => q.id === a.id);
        if (i >= 0) this.resting.splice(i, 1);
        this.report.cancels++;
      } else {
        const qid = `${this.market.marketId}:${id}:${++this.seq}`;
        this.resting.push({ id: qid, selectionId: id, back: a.back, price: a.price, size: a.size });
        this.report.quotes++;
      }
    }
    const after = this.runnerExposure(id);
    if (after > this.report.peakRunnerExposure) this.report.peakRunnerExposure = after;
  }

  /** As the live MM engine: the runner's worst-case loss plus its resting quotes', to cents. */
  private runnerExposure(id: number): number {
    const quotes = this.resting.filter((q) => q.selectionId === id);
    const resting = quotes.reduce((s, q) => s + quoteExposure(q.back, q.price, q.size), 0);
    return round2(lossOf(this.ledger.position(id)) + resting);
  }

  private configOf(id: number): MmMarketConfig {
    const { spreadTicks, size, replaceTicks, maxExposure, cancelInPlay, minSize } = this.p;
    const key = `${this.market.marketId}:${id}`;
    return {
      marketKey: key,
      fixtureId: this.market.marketId,
      outcomeId: id,
      spreadTicks,
      size,
      replaceTicks,
      maxExposure,
      cancelInPlay,
      minSize,
    };
  }

  private lapseAll(): void {
    this.report.lapsed += this.resting.length;
    this.resting.length = 0;
  }

  private noteExposure(): void {
    const e = this.ledger.exposure(this.order);
    if (e > this.report.maxExposure) this.report.maxExposure = e;
  }

  private settle(last: MarketStep | null): void {
    const r = this.report;
    const statuses = new Map([...(last?.runners ?? new Map())].map(([id, b]) => [id, b.status]));
    const live = this.order.filter((id) => statuses.get(id) !== 'REMOVED');
    r.endExposure = this.ledger.exposure(live);
    r.unhedged = this.pending.reduce((s, h) => s + h.size, 0);
    r.profit = this.ledger.profit(statuses);
    r.commission = r.profit === null ? 0 : commissionOf(r.profit, this.p.commission);
    r.net = r.profit === null ? null : r.profit - r.commission;
    for (const k of MONEY) if (r[k] !== null) r[k] = round2(r[k]);
  }
}

/** Backtests one market (a skipped market reports why). */
export function backtestMarket(
  m: ReplayMarket,
  p: BacktestParams,
  decide: Decide = decideQuotes,
): MarketReport {
  const replayer = new MarketReplayer(m, p, decide);
  const why = skipReason(m);
  if (why === null) return replayer.run();
  return { ...replayer.report, skipped: why };
}
