import type { Event, Market, Result } from '../model/index.js';

/** Below this price an inferred winner is taken as certain (no "(favourite)" tag). */
export const CERTAIN_PRICE = 1.05;

/**
 * Builds the result of a finished event from its closed main market. The upstream's settlement wins
 * (runners with status WINNER); otherwise the winner is inferred from the last priced state of the market:
 * the runner with the lowest price, tagged "<name> (favourite)" unless its price is under 1.05.
 */
export function buildResult(
  event: Event,
  closed: Market,
  lastPriced: Market | undefined,
  finalScore: unknown,
  now: number,
): Result {
  const settled = closed.runners.filter((r) => r.status === 'WINNER');
  const base = {
    eventId: event.id,
    upstreamIds: event.upstreamIds,
    sportId: event.sportId,
    eventName: event.name,
    team1: event.team1,
    team2: event.team2,
    marketId: closed.id,
    finalMarket: withLastPrices(closed, lastPriced),
    finalScore: finalScore ?? null,
    completedAt: new Date(now).toISOString(),
  };
  if (settled.length > 0) {
    return {
      ...base,
      winners: settled.map((r) => ({ selectionId: r.selectionId, name: r.name })),
      winner: settled.map((r) => r.name).join(', '),
      winnerSource: 'settled',
    };
  }
  const fav = favourite(lastPriced ?? closed);
  if (!fav) return { ...base, winners: [], winner: null, winnerSource: 'unknown' };
  return {
    ...base,
    winners: [{ selectionId: fav.selectionId, name: fav.name }],
    winner: fav.price < CERTAIN_PRICE ? fav.name : `${fav.name} (favourite)`,
    winnerSource: 'inferred',
  };
}

/**
 * The closed market with the last seen prices: upstreams usually close a market with empty ladders, so each
 * runner without prices takes its ladders (and last traded price) from the last priced state of the market.
 * Statuses (WINNER, LOSER, ...) stay as closed.
 */
export function withLastPrices(closed: Market, lastPriced: Market | undefined): Market {
  if (!lastPriced) return closed;
  const last = new Map(lastPriced.runners.map((r) => [`${r.selectionId}:${r.handicap}`, r]));
  return {
    ...closed,
    runners: closed.runners.map((r) => {
      const prev = last.get(`${r.selectionId}:${r.handicap}`);
      if (!prev || r.back.length > 0 || r.lay.length > 0) return r;
      return { ...r, back: prev.back, lay: prev.lay, ltp: r.ltp ?? prev.ltp };
    }),
  };
}

/** The runner with the lowest price (best back, else last traded), ignoring removed runners. */
export function favourite(m: Market): { selectionId: number; name: string; price: number } | undefined {
  let best: { selectionId: number; name: string; price: number } | undefined;
  for (const r of m.runners) {
    if (r.status === 'REMOVED') continue;
    const price = r.back[0]?.price ?? r.ltp;
    if (price === null || price === undefined || !Number.isFinite(price)) continue;
    if (!best || price < best.price) best = { selectionId: r.selectionId, name: r.name, price };
  }
  return best;
}

/** True when a market has any price to infer from. */
export function hasPrices(m: Market): boolean {
  return m.runners.some((r) => r.back.length > 0 || r.lay.length > 0 || r.ltp !== null);
}
