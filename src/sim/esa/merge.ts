/**
 * Merges successive market changes into one per market, as Betfair does for conflation (`conflateMs`),
 * while a stream is held back (status 503) and for a RESUB_DELTA (everything since a clock). Ladder
 * entries are absolute (`[price, size]`, size 0 removes), so merging keeps the last value per price.
 */
import type {
  PricePair,
  StreamMarketChange,
  StreamMarketDefinition,
  StreamRunnerChange,
} from '../stream-types.js';

interface RunnerAcc {
  atb: Map<number, number> | null;
  atl: Map<number, number> | null;
  trd: Map<number, number> | null;
  ltp: number | undefined;
  tv: number | undefined;
}

interface MarketAcc {
  img: boolean;
  definition: StreamMarketDefinition | undefined;
  tv: number | undefined;
  runners: Map<number, RunnerAcc>;
  /** Changes merged into this one. */
  count: number;
}

function pairsInto(
  into: Map<number, number> | null,
  pairs: readonly PricePair[] | undefined,
): Map<number, number> | null {
  if (!pairs || pairs.length === 0) return into;
  const m = into ?? new Map<number, number>();
  for (const [p, s] of pairs) m.set(p, s);
  return m;
}

function toPairs(m: Map<number, number> | null): PricePair[] | undefined {
  return m ? [...m].map(([p, s]): PricePair => [p, s]) : undefined;
}

/** Accumulates market changes; {@link changes} returns one merged change per market, in first-seen order. */
export class ChangeMerger {
  private readonly markets = new Map<string, MarketAcc>();

  /** Number of markets held. */
  get size(): number {
    return this.markets.size;
  }

  /** Adds a change; an image (`img: true`) replaces what was merged for that market so far. */
  add(mc: StreamMarketChange): void {
    let acc = this.markets.get(mc.id);
    if (!acc || mc.img === true) {
      const count = acc ? acc.count : 0;
      acc = { img: mc.img === true, definition: undefined, tv: undefined, runners: new Map(), count };
      this.markets.set(mc.id, acc);
    }
    acc.count++;
    if (mc.marketDefinition) acc.definition = mc.marketDefinition;
    if (typeof mc.tv === 'number') acc.tv = mc.tv;
    for (const rc of mc.rc ?? []) this.addRunner(acc, rc);
  }

  private addRunner(acc: MarketAcc, rc: StreamRunnerChange): void {
    let r = acc.runners.get(rc.id);
    if (!r) acc.runners.set(rc.id, (r = { atb: null, atl: null, trd: null, ltp: undefined, tv: undefined }));
    r.atb = pairsInto(r.atb, rc.atb);
    r.atl = pairsInto(r.atl, rc.atl);
    r.trd = pairsInto(r.trd, rc.trd);
    if (typeof rc.ltp === 'number') r.ltp = rc.ltp;
    if (typeof rc.tv === 'number') r.tv = rc.tv;
  }

  /** The merged changes and how many changes each merged; clears the merger. */
  drain(): { mc: StreamMarketChange; merged: number }[] {
    const out: { mc: StreamMarketChange; merged: number }[] = [];
    for (const [id, acc] of this.markets) {
      const mc: StreamMarketChange = { id };
      if (acc.img) mc.img = true;
      if (acc.tv !== undefined) mc.tv = acc.tv;
      if (acc.definition) mc.marketDefinition = acc.definition;
      const rcs: StreamRunnerChange[] = [];
      for (const [rid, r] of acc.runners) {
        const rc: StreamRunnerChange = { id: rid };
        const atb = toPairs(r.atb);
        const atl = toPairs(r.atl);
        const trd = toPairs(r.trd);
        if (atb) rc.atb = atb;
        if (atl) rc.atl = atl;
        if (trd) rc.trd = trd;
        if (r.ltp !== undefined) rc.ltp = r.ltp;
        if (r.tv !== undefined) rc.tv = r.tv;
        rcs.push(rc);
      }
      if (rcs.length > 0) mc.rc = rcs;
      out.push({ mc, merged: acc.count });
    }
    this.markets.clear();
    return out;
  }
}
