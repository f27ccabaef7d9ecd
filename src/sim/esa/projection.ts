/**
 * Per-connection projection of the simulator's full-depth changes onto the fields a subscription asked for:
 * full ladders (`EX_ALL_OFFERS` → atb/atl), best offers by level (`EX_BEST_OFFERS` → batb/batl,
 * `EX_BEST_OFFERS_DISP` → bdatb/bdatl, `ladderLevels` deep, diffed against what this connection was last
 * sent), traded ladder, traded volume, last traded price and the market definition.
 */
import type {
  LevelTriple,
  PricePair,
  ProjectedMarketChange as MarketChange,
  ProjectedRunnerChange as RunnerChange,
  StreamMarketChange,
  StreamRunnerChange,
} from '../stream-types.js';
import { sortedPairs, type BookState, type RunnerState } from './book-state.js';
import type { MarketSubscription } from './subscription.js';

type Levels = [number, number][];

interface SentLevels {
  back: Levels;
  lay: Levels;
}

/** Level triples turning `prev` into `next` (size 0 removes a level). */
function levelDiff(prev: Levels, next: Levels): LevelTriple[] {
  const out: LevelTriple[] = [];
  for (let i = 0; i < Math.max(prev.length, next.length); i++) {
    const a = prev[i];
    const b = next[i];
    if (b && (!a || a[0] !== b[0] || a[1] !== b[1])) out.push([i, b[0], b[1]]);
    else if (!b && a) out.push([i, a[0], 0]);
  }
  return out;
}

/** Projects raw changes for one subscription; keeps the best-offer levels it sent per runner. */
export class Projector {
  private readonly sent = new Map<string, Map<number, SentLevels>>();
  private readonly full: boolean;
  private readonly levels: 'batb' | 'bdatb' | null;

  constructor(
    private readonly sub: MarketSubscription,
    private readonly state: BookState,
  ) {
    this.full = sub.fields.has('EX_ALL_OFFERS');
    this.levels = sub.fields.has('EX_BEST_OFFERS')
      ? 'batb'
      : sub.fields.has('EX_BEST_OFFERS_DISP')
        ? 'bdatb'
        : null;
  }

  /** True when deltas of the full ladders can be replayed for this subscription (RESUB_DELTA). */
  get replaysDeltas(): boolean {
    return this.levels === null;
  }

  /** The change to send for a raw (possibly merged) change, or null when none of its fields are wanted. */
  project(raw: StreamMarketChange, con: boolean): MarketChange | null {
    if (raw.img === true) return this.image(raw.id);
    const f = this.sub.fields;
    const out: MarketChange = { id: raw.id };
    if (con) out.con = true;
    if (raw.marketDefinition && f.has('EX_MARKET_DEF')) out.marketDefinition = raw.marketDefinition;
    if (typeof raw.tv === 'number' && f.has('EX_TRADED_VOL')) out.tv = raw.tv;
    const rcs: RunnerChange[] = [];
    for (const rc of raw.rc ?? []) {
      const p = this.runner(raw.id, rc);
      if (p) rcs.push(p);
    }
    if (rcs.length > 0) out.rc = rcs;
    return out.marketDefinition || out.tv !== undefined || out.rc ? out : null;
  }

  /** The whole market as this subscription sees it (`img: true`), from the server's state. */
  image(marketId: string): MarketChange | null {
    const full = this.state.image(marketId);
    const m = this.state.markets.get(marketId);
    if (!full || !m) return null;
    this.sent.delete(marketId);
    const f = this.sub.fields;
    const out: MarketChange = { id: marketId, img: true };
    if (f.has('EX_TRADED_VOL')) out.tv = full.tv ?? 0;
    if (full.marketDefinition && f.has('EX_MARKET_DEF')) out.marketDefinition = full.marketDefinition;
    const rcs: RunnerChange[] = [];
    for (const rc of full.rc ?? []) {
      const p = this.runner(marketId, rc, m.runners.get(rc.id));
      if (p) rcs.push(p);
    }
    out.rc = rcs;
    return out;
  }

  private runner(marketId: string, rc: StreamRunnerChange, state?: RunnerState): RunnerChange | null {
    const f = this.sub.fields;
    const out: RunnerChange = { id: rc.id };
    if (this.full && rc.atb) out.atb = rc.atb as PricePair[];
    if (this.full && rc.atl) out.atl = rc.atl as PricePair[];
    if (rc.trd && f.has('EX_TRADED')) out.trd = rc.trd as PricePair[];
    if (rc.ltp !== undefined && f.has('EX_LTP')) out.ltp = rc.ltp;
    if (rc.tv !== undefined && f.has('EX_TRADED_VOL')) out.tv = rc.tv;
    let any = Object.keys(out).length > 1;
    if (this.levels && (rc.atb || rc.atl)) any = this.bestOffers(marketId, rc.id, out, state) || any;
    return any ? out : null;
  }

  private bestOffers(marketId: string, selectionId: number, out: RunnerChange, state?: RunnerState): boolean {
    const r = state ?? this.state.markets.get(marketId)?.runners.get(selectionId);
    if (!r) return false;
    let market = this.sent.get(marketId);
    if (!market) this.sent.set(marketId, (market = new Map()));
    const prev = market.get(selectionId) ?? { back: [], lay: [] };
    const n = this.sub.ladderLevels;
    const next = { back: sortedPairs(r.atb, true).slice(0, n), lay: sortedPairs(r.atl, false).slice(0, n) };
    market.set(selectionId, next);
    const b = levelDiff(prev.back, next.back);
    const l = levelDiff(prev.lay, next.lay);
    if (this.levels === 'batb') {
      if (b.length > 0) out.batb = b;
      if (l.length > 0) out.batl = l;
    } else {
      if (b.length > 0) out.bdatb = b;
      if (l.length > 0) out.bdatl = l;
    }
    return b.length > 0 || l.length > 0;
  }
}
