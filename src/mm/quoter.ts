import { floorTick, ticksBetween } from '../model/ticks.js';
import { round2 } from '../execution/rows.js';
import { cappedSize, quoteAround } from './pricing.js';

/** One market the engine quotes: an outcome of a fixture, with its strategy and caps. */
export interface MmMarketConfig {
  marketKey: string;
  fixtureId: string;
  outcomeId: number;
  /** Ticks between the fair price and each quote (≥ 1). */
  spreadTicks: number;
  /** Backer's stake each quote shows. */
  size: number;
  /** Ladder ticks a quote must be off its target before it is replaced (≥ 1). */
  replaceTicks: number;
  /** Cap on the market's exposure (its position's worst-case loss plus what the resting quotes may add). */
  maxExposure: number;
  /** Cancel every quote (and stop quoting) once the fixture is in play. */
  cancelInPlay: boolean;
  /** Smallest stake worth posting (a top-up below it waits); default 0.01. */
  minSize?: number;
}

/** The client's cap over all its markets: what it may still add is `cap − exposure`. */
export interface ClientRoom {
  exposure: number;
  cap: number;
}

/** What the engine knows of a market right now. */
export interface MmMarketView {
  fair: number | null;
  suspended: boolean;
  inPlay: boolean;
  /**
   * Worst-case loss of the market's position plus, for each resting quote, what its fill could add
   * (`quoteExposure`), ≥ 0. Additive in the resting quotes, so a cancelled quote frees exactly its share.
   */
  exposure: number;
  /** The client's cap across markets (optional: no client cap when absent). */
  client?: ClientRoom;
}

/** A quote resting on the exchange (its remaining, unmatched size). */
export interface RestingQuote {
  id: string;
  back: boolean;
  price: number;
  size: number;
}

export type QuoteAction =
  | { kind: 'place'; back: boolean; price: number; size: number }
  | { kind: 'cancel'; id: string; reason: string };

/** What a quote's fill adds to the worst-case loss: the stake of our back, the liability of our lay. */
export function quoteExposure(back: boolean, price: number, size: number): number {
  return back ? size : size * (price - 1);
}

/** Why the market must not be quoted now, or null when it may be. */
export function haltReason(cfg: MmMarketConfig, view: MmMarketView): string | null {
  if (view.suspended) return 'suspended';
  if (view.inPlay && cfg.cancelInPlay) return 'in-play';
  if (view.fair === null || !(view.fair > 1)) return 'no fair price';
  if (view.exposure > cfg.maxExposure) return 'exposure cap';
  if (view.client && view.client.exposure > view.client.cap) return 'client exposure cap';
  return null;
}

const cancel = (q: RestingQuote, reason: string): QuoteAction => ({ kind: 'cancel', id: q.id, reason });

/** True when a resting quote is far enough from its target price to be replaced. */
function stale(q: RestingQuote, target: number, replaceTicks: number): boolean {
  const moved = Math.abs(ticksBetween(floorTick(q.price), target));
  return moved > 0 && moved >= Math.max(1, replaceTicks);
}

/** One side's decision: which resting quotes go, and what size the side still shows at its kept price. */
interface SidePlan {
  cancels: QuoteAction[];
  freed: number;
  price: number;
  shown: number;
}

function planSide(
  cfg: MmMarketConfig,
  back: boolean,
  target: number,
  resting: readonly RestingQuote[],
): SidePlan {
  const mine = resting.filter((q) => q.back === back);
  const keep = mine.filter((q) => !stale(q, target, cfg.replaceTicks));
  // all kept quotes must sit at one price: the one nearest the target (ties: the first seen)
  const price = keep.reduce<number | null>(
    (best, q) =>
      best === null ||
      Math.abs(ticksBetween(floorTick(q.price), target)) < Math.abs(ticksBetween(best, target))
        ? floorTick(q.price)
        : best,
    null,
  );
  const plan: SidePlan = { cancels: [], freed: 0, price: price ?? target, shown: 0 };
  for (const q of mine) {
    const kept = price !== null && floorTick(q.price) === price && plan.shown < cfg.size;
    if (kept) plan.shown = round2(plan.shown + q.size);
    else {
      plan.cancels.push(cancel(q, keep.includes(q) ? 'duplicate' : 'fair moved'));
      plan.freed += quoteExposure(q.back, q.price, q.size);
    }
  }
  return plan;
}

/**
 * What to do now so the resting quotes match the strategy: everything is cancelled when the market is
 * suspended, turns in play (if `cancelInPlay`), has no fair price or is over a cap. Otherwise each side
 * keeps its quote while it is fewer than `replaceTicks` ticks off the target (`quoteAround` the fair price),
 * replaces it when further, and tops the side up to `size` (a fill's amount is reposted). A new quote's size
 * is cut so its fill cannot take the market's (or client's) exposure past its cap. Cancels come first.
 */
export function decideQuotes(
  cfg: MmMarketConfig,
  view: MmMarketView,
  resting: readonly RestingQuote[],
): QuoteAction[] {
  const halt = haltReason(cfg, view);
  if (halt !== null) return resting.map((q) => cancel(q, halt));
  const target = quoteAround(view.fair as number, { spreadTicks: cfg.spreadTicks, size: cfg.size });
  const sides = [
    planSide(cfg, true, target.back.price, resting),
    planSide(cfg, false, target.lay.price, resting),
  ];
  const actions: QuoteAction[] = sides.flatMap((s) => s.cancels);
  const freed = sides.reduce((n, s) => n + s.freed, 0);
  let used = Math.max(0, view.exposure - freed);
  let clientUsed = view.client ? Math.max(0, view.client.exposure - freed) : 0;
  const clientCap = view.client ? view.client.cap : Number.POSITIVE_INFINITY;
  for (const [i, side] of sides.entries()) {
    const back = i === 0;
    const want = round2(cfg.size - side.shown);
    if (want < Math.max(0.01, cfg.minSize ?? 0.01)) continue;
    const room = { market: { cap: cfg.maxExposure, used }, client: { cap: clientCap, used: clientUsed } };
    const size = cappedSize(want, side.price, back, room);
    if (size < Math.max(0.01, cfg.minSize ?? 0.01)) continue;
    actions.push({ kind: 'place', back, price: side.price, size });
    const added = quoteExposure(back, side.price, size);
    used += added;
    clientUsed += added;
  }
  return actions;
}
