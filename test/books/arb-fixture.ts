import type { Runner, SourceStatus, SourceUpdate } from '../../src/model/index.js';
import type { Source } from '../../src/sources/types.js';
import { matchOdds } from '../helpers/fixtures.js';

/**
 * One football event carried by two sources (an exchange and two odds-API books) whose best backs lock a
 * profit: what makes the arbitrage tracker publish arb_opened. `pinnacle()` moves it (2.1: edge ~3%; 2.15:
 * arb_updated; 1.5 with the draw at 3.0: none, arb_closed).
 */
const KICK_OFF = new Date(Date.now() + 3 * 3600_000).toISOString();

function r(selectionId: number, name: string, back: number, lay: number | null, size = 0): Runner {
  return {
    selectionId,
    handicap: 0,
    name,
    status: 'ACTIVE',
    sortPriority: selectionId,
    back: [{ price: back, size }],
    lay: lay === null ? [] : [{ price: lay, size }],
    ltp: null,
    tv: 0,
    bsp: null,
    adjustmentFactor: null,
  };
}

/** The event on both sources and the three books. */
export function arbUpdates(): SourceUpdate[] {
  return [
    {
      kind: 'event',
      source: 'betfair',
      upstreamEventId: '3501',
      event: { sportId: 1, name: 'Man Utd v Chelsea', startTime: KICK_OFF },
    },
    {
      kind: 'market',
      source: 'betfair',
      upstreamEventId: '3501',
      market: matchOdds(
        '1.501',
        [r(1, 'Man Utd', 2.0, 2.04, 150), r(2, 'Chelsea', 4.2, 4.4, 80), r(58805, 'The Draw', 3.5, 3.85, 60)],
        { source: 'betfair', startTime: KICK_OFF },
      ),
    },
    {
      kind: 'event',
      source: 'oddsapi',
      upstreamEventId: 'abc',
      event: { sportId: 1, name: 'Manchester United v Chelsea', startTime: KICK_OFF },
    },
    pinnacle(2.1),
    book('bet365', 2.05, 4.4, 3.4),
  ];
}

function book(bm: string, h: number, a: number, d: number): SourceUpdate {
  return {
    kind: 'market',
    source: 'oddsapi',
    upstreamEventId: 'abc',
    market: matchOdds(
      `oddsapi:abc:${bm}:h2h`,
      [r(11, 'Manchester United', h, null), r(12, 'Chelsea', a, null), r(58805, 'Draw', d, null)],
      { source: 'oddsapi', totalMatched: 0, startTime: KICK_OFF },
    ),
  };
}

/** Pinnacle's book with its home and draw prices (with 1.5 and 3.0 the best backs sum over 1: no arbitrage). */
export function pinnacle(home: number, draw = 3.6): SourceUpdate {
  return book('pinnacle', home, 3.9, draw);
}

/** A source that is only there to make the app an ingest writer (the arbitrage tracker runs on it). */
export const statusSource: Source = {
  name: 'oddsapi',
  start: async () => undefined,
  stop: async () => undefined,
  status: (): SourceStatus => ({
    source: 'oddsapi',
    kind: 'http-poll',
    state: 'connected',
    connected: true,
    lastError: null,
    lastErrorAt: null,
    lastUpdateAt: Date.now(),
    frames: 3,
    markets: 2,
    details: {},
  }),
};
