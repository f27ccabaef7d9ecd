/**
 * The simulated exchange server's own view of every market, kept from the simulator's messages: the
 * (live-stream style) definition, market volume and each runner's full ladders. Images, best-offer
 * projections and `listMarketBook` answers are built from it, so they always match the clock (`clk`) of
 * the last message applied.
 */
import type { StreamMarketChange, StreamMarketDefinition } from '../stream-types.js';

/** A runner's state: full ladders keyed by price, traded volume by price, last traded price, volume. */
export interface RunnerState {
  readonly id: number;
  readonly atb: Map<number, number>;
  readonly atl: Map<number, number>;
  readonly trd: Map<number, number>;
  ltp: number | null;
  tv: number;
}

/** A market's state. */
export interface MarketState {
  readonly id: string;
  definition: StreamMarketDefinition | null;
  tv: number;
  readonly runners: Map<number, RunnerState>;
  /** Publish time at which the market was first seen CLOSED (for purging), null while not closed. */
  closedAt: number | null;
  /** Publish time of the last change that traded (a traded ladder or last traded price), null before any. */
  lastMatchAt: number | null;
}

/** `[price, size]` pairs of a ladder, best first (back: descending, lay and traded: ascending). */
export function sortedPairs(ladder: ReadonlyMap<number, number>, descending: boolean): [number, number][] {
  const out: [number, number][] = [];
  for (const [p, s] of ladder) if (s > 0) out.push([p, s]);
  return out.sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0]));
}

function newRunner(id: number): RunnerState {
  return { id, atb: new Map(), atl: new Map(), trd: new Map(), ltp: null, tv: 0 };
}

function applyPairs(
  ladder: Map<number, number>,
  pairs: readonly (readonly [number, number])[] | undefined,
): void {
  if (!pairs) return;
  for (const [p, s] of pairs) {
    if (s === 0) ladder.delete(p);
    else ladder.set(p, s);
  }
}

/** Every market the server holds, updated message by message. */
export class BookState {
  readonly markets = new Map<string, MarketState>();

  /** Applies one market change (`img: true` replaces the market). */
  apply(mc: StreamMarketChange, pt: number): MarketState {
    let m = this.markets.get(mc.id);
    if (!m || mc.img === true) {
      m = {
        id: mc.id,
        definition: m?.definition ?? null,
        tv: 0,
        runners: new Map(),
        closedAt: m?.closedAt ?? null,
        lastMatchAt: m?.lastMatchAt ?? null,
      };
      this.markets.set(mc.id, m);
    }
    if (mc.marketDefinition) {
      m.definition = mc.marketDefinition;
      m.closedAt = mc.marketDefinition.status === 'CLOSED' ? (m.closedAt ?? pt) : null;
    }
    if (typeof mc.tv === 'number') m.tv = mc.tv;
    for (const rc of mc.rc ?? []) {
      let r = m.runners.get(rc.id);
      if (!r) m.runners.set(rc.id, (r = newRunner(rc.id)));
      applyPairs(r.atb, rc.atb);
      applyPairs(r.atl, rc.atl);
      applyPairs(r.trd, rc.trd);
      if (typeof rc.ltp === 'number') r.ltp = rc.ltp;
      if (typeof rc.tv === 'number') r.tv = rc.tv;
      // An image re-states trades already made: it only dates a market that had no match time yet.
      if ((rc.trd?.length ?? 0) > 0 || typeof rc.ltp === 'number')
        m.lastMatchAt = mc.img === true ? (m.lastMatchAt ?? pt) : pt;
    }
    return m;
  }

  /** Forgets markets closed for longer than `retentionMs` (publish time); returns their ids. */
  purgeClosed(pt: number, retentionMs: number): string[] {
    const gone: string[] = [];
    for (const [id, m] of this.markets) {
      if (m.closedAt !== null && pt - m.closedAt > retentionMs) {
        this.markets.delete(id);
        gone.push(id);
      }
    }
    return gone;
  }

  /** The full image of a market (`img: true`, every ladder in full), as the simulator would send it. */
  image(id: string): StreamMarketChange | null {
    const m = this.markets.get(id);
    if (!m) return null;
    const mc: StreamMarketChange = { id, img: true, tv: m.tv, rc: [] };
    if (m.definition) mc.marketDefinition = m.definition;
    for (const r of m.runners.values()) {
      const rc: NonNullable<StreamMarketChange['rc']>[number] = {
        id: r.id,
        atb: sortedPairs(r.atb, true),
        atl: sortedPairs(r.atl, false),
        tv: r.tv,
      };
      if (r.trd.size > 0) rc.trd = sortedPairs(r.trd, false);
      if (r.ltp !== null) rc.ltp = r.ltp;
      mc.rc?.push(rc);
    }
    return mc;
  }
}
