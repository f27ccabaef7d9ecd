import type { MarketGroup } from '../books/books.js';

/**
 * oddsgate's published outcome-id catalogue (stable: ids are computed from the market and line, never
 * assigned in order of appearance), documented in README "ABP outcome ids":
 *
 * - market 101 "Full Time Result" (match odds and bookmaker-rate markets): outcome 101 "1" (home),
 *   102 "X" (draw), 103 "2" (away) — the document's own ids;
 * - totals on line L (a multiple of 0.25, 0 < L < 900): market 10000 + L×100, outcomes market×10+1 "Over",
 *   market×10+2 "Under" (line 2.5: market 10250, over 102501, under 102502);
 * - handicap with home line H (a multiple of 0.25, |H| < 500): market 100000 + (H+500)×4, outcomes
 *   market×10+1 home, market×10+2 away (home −1.5: market 101994, home 1019941, away 1019942).
 *
 * playerId is 0 for every one of them (oddsgate carries no player markets).
 */
export type Side = 'home' | 'draw' | 'away' | 'over' | 'under';

/** One market of the catalogue. */
export interface CatalogueMarket {
  marketId: number;
  marketName: string;
  /** oddsgate market type of the books it is made of (MATCH_ODDS, TOTALS, SPREADS). */
  marketType: 'MATCH_ODDS' | 'TOTALS' | 'SPREADS';
  /** Totals line, or the home side's handicap; null for the match result. */
  line: number | null;
}

/** A decoded outcome id. */
export interface CatalogueOutcome {
  outcomeId: number;
  outcomeName: string;
  side: Side;
  market: CatalogueMarket;
}

export const FULL_TIME_RESULT: CatalogueMarket = {
  marketId: 101,
  marketName: 'Full Time Result',
  marketType: 'MATCH_ODDS',
  line: null,
};

const RESULT_OUTCOMES: Readonly<Record<number, { side: Side; name: string }>> = {
  101: { side: 'home', name: '1' },
  102: { side: 'draw', name: 'X' },
  103: { side: 'away', name: '2' },
};

const TOTALS_BASE = 10_000;
const HANDICAP_BASE = 100_000;

function quarter(v: number): boolean {
  return Number.isFinite(v) && Math.abs(v * 4 - Math.round(v * 4)) < 1e-9;
}

/** The catalogue market of a totals line, or null when the line has no id. */
export function totalsMarket(line: number): CatalogueMarket | null {
  if (!quarter(line) || line <= 0 || line >= 900) return null;
  return {
    marketId: TOTALS_BASE + Math.round(line * 100),
    marketName: `Over/Under ${line}`,
    marketType: 'TOTALS',
    line,
  };
}

/** The catalogue market of a handicap (the home side's line), or null when the line has no id. */
export function handicapMarket(homeLine: number): CatalogueMarket | null {
  if (!quarter(homeLine) || Math.abs(homeLine) >= 500) return null;
  return {
    marketId: HANDICAP_BASE + Math.round((homeLine + 500) * 4),
    marketName: `Handicap ${homeLine > 0 ? '+' : ''}${homeLine}`,
    marketType: 'SPREADS',
    line: homeLine,
  };
}

/** The catalogue market of a book group (src/books groupBooks), or null when it has none (fancy, win). */
export function marketOfGroup(g: Pick<MarketGroup, 'type' | 'line'>): CatalogueMarket | null {
  if (g.type === 'MATCH_ODDS' || g.type === 'BOOKMAKER') return FULL_TIME_RESULT;
  if (g.type === 'TOTALS' && g.line !== null) return totalsMarket(Math.abs(g.line));
  if (g.type === 'SPREADS' && g.line !== null) return handicapMarket(g.line);
  return null;
}

/** The outcome of a catalogue market for a side, or null when the market has no such side. */
export function outcomeOf(market: CatalogueMarket, side: Side): CatalogueOutcome | null {
  if (market.marketType === 'MATCH_ODDS') {
    const id = side === 'home' ? 101 : side === 'draw' ? 102 : side === 'away' ? 103 : null;
    return id === null ? null : { outcomeId: id, outcomeName: RESULT_OUTCOMES[id]?.name ?? '', side, market };
  }
  const first = market.marketType === 'TOTALS' ? 'over' : 'home';
  const second = market.marketType === 'TOTALS' ? 'under' : 'away';
  if (side !== first && side !== second) return null;
  const name =
    market.marketType === 'TOTALS' ? (side === 'over' ? 'Over' : 'Under') : side === 'home' ? '1' : '2';
  return { outcomeId: market.marketId * 10 + (side === first ? 1 : 2), outcomeName: name, side, market };
}

/** Decodes an outcome id of the catalogue; null for an id it does not define. */
export function decodeOutcome(outcomeId: number): CatalogueOutcome | null {
  if (!Number.isSafeInteger(outcomeId) || outcomeId <= 0) return null;
  const result = RESULT_OUTCOMES[outcomeId];
  if (result) return outcomeOf(FULL_TIME_RESULT, result.side);
  const marketId = Math.floor(outcomeId / 10);
  const which = outcomeId % 10;
  if (which !== 1 && which !== 2) return null;
  let market: CatalogueMarket | null = null;
  if (marketId > TOTALS_BASE && marketId < TOTALS_BASE + 90_000)
    market = totalsMarket((marketId - TOTALS_BASE) / 100);
  else if (marketId >= HANDICAP_BASE && marketId < HANDICAP_BASE + 4000)
    market = handicapMarket((marketId - HANDICAP_BASE) / 4 - 500);
  if (!market || market.marketId !== marketId) return null;
  const side: Side =
    market.marketType === 'TOTALS' ? (which === 1 ? 'over' : 'under') : which === 1 ? 'home' : 'away';
  return outcomeOf(market, side);
}

/** Markets /abp/markets lists for a sport: the result market, then the lines seen in current books. */
export function sportHasDraw(sportId: number): boolean {
  // Football and cricket have drawn results; the exchange lists "The Draw" there.
  return sportId === 1 || sportId === 3;
}
