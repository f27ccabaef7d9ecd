import type { Market, PriceLevel, Runner } from '../../model/index.js';
import type { FreshnessContext } from './freshness.js';
import { isStale, marketAsOf } from './freshness.js';

/** One rung of a Porqpine ladder: `level` counts from 1 (best price). */
export interface LadderLevel {
  level: number;
  odds: number;
  size: number;
}

/** A Porqpine selection with its back and lay ladders. */
export interface PorqpineSelection {
  name: string;
  back: LadderLevel[];
  lay: LadderLevel[];
  selection_id: number;
  status: string;
  ltp: number | null;
}

/** A Porqpine market (the `match_odds`/`fancy`/`bookmaker` entries and the `byMarketId` frames). */
export interface PorqpineMarket {
  market_id: string;
  market_name: string;
  selections: PorqpineSelection[];
  type: string;
  status: string;
  in_play: boolean;
  total_matched: number;
  internal_event_id: number;
  source: string;
  version: number;
  updatedAt: number;
  stale?: boolean;
}

/** Market types kept out of `match_odds` (they have their own arrays). */
export const SIDE_MARKET_TYPES: ReadonlySet<string> = new Set(['FANCY', 'BOOKMAKER']);

/** Renders a price ladder as `{level, odds, size}` rungs, best first. */
export function renderLadder(levels: readonly PriceLevel[]): LadderLevel[] {
  return levels.map((l, i) => ({ level: i + 1, odds: l.price, size: l.size }));
}

/** Renders one runner as a Porqpine selection. */
export function renderSelection(r: Runner): PorqpineSelection {
  return {
    name: r.name,
    back: renderLadder(r.back),
    lay: renderLadder(r.lay),
    selection_id: r.selectionId,
    status: r.status,
    ltp: r.ltp,
  };
}

/**
 * Renders a market. With a freshness context (REST), the market carries `stale: true|false` against
 * `ttlSec`; without one (pushes), it has no `stale` field.
 */
export function renderMarket(m: Market, fresh?: { ctx: FreshnessContext; ttlSec: number }): PorqpineMarket {
  const out: PorqpineMarket = {
    market_id: m.id,
    market_name: m.name,
    selections: m.runners.map(renderSelection),
    type: m.type,
    status: m.status,
    in_play: m.inPlay,
    total_matched: m.totalMatched,
    internal_event_id: m.eventId,
    source: m.source,
    version: m.version,
    updatedAt: m.updatedAt,
  };
  if (fresh) out.stale = isStale(marketAsOf(m, fresh.ctx), fresh.ttlSec, fresh.ctx);
  return out;
}

/** `{ [marketId]: market }` for the given markets. */
export function byMarketId(
  markets: readonly Market[],
  fresh?: { ctx: FreshnessContext; ttlSec: number },
): Record<string, PorqpineMarket> {
  const out: Record<string, PorqpineMarket> = {};
  for (const m of markets) out[m.id] = renderMarket(m, fresh);
  return out;
}

/** A `/socket-events` selection row: best back and lay with sizes, null for a thin book. */
export interface SocketSelection {
  name: string;
  market_id: string;
  back_odds: number | null;
  back_size: number | null;
  lay_odds: number | null;
  lay_size: number | null;
  selection_id: number;
}

/** The `/socket-events` rows of a market's runners (removed runners left out). */
export function socketSelections(m: Market): SocketSelection[] {
  return m.runners
    .filter((r) => r.status !== 'REMOVED' && r.status !== 'HIDDEN')
    .map((r) => ({
      name: r.name,
      market_id: m.id,
      back_odds: r.back[0]?.price ?? null,
      back_size: r.back[0]?.size ?? null,
      lay_odds: r.lay[0]?.price ?? null,
      lay_size: r.lay[0]?.size ?? null,
      selection_id: r.selectionId,
    }));
}

/** True when any runner of the market has a back or lay price. */
export function isPriced(m: Market): boolean {
  return m.runners.some((r) => r.back.length > 0 || r.lay.length > 0);
}
