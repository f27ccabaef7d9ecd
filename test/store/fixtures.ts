import type { Event, Market, Result, Runner, Sport } from '../../src/model/index.js';

/** Test data builders: valid model objects with just the fields a test cares about overridden. */

export function sport(id: number, name = `Sport ${id}`): Sport {
  return { id, name };
}

export function event(id: number, over: Partial<Event> = {}): Event {
  return {
    id,
    upstreamIds: { betfair: String(30_000_000 + id) },
    sportId: 1,
    name: `Home ${id} v Away ${id}`,
    competition: { id: '10932509', name: 'English Premier League' },
    team1: `Home ${id}`,
    team2: `Away ${id}`,
    startTime: '2026-11-22T15:00:00.000Z',
    status: 'OPEN',
    inPlay: false,
    hasFancy: false,
    hasBookmaker: false,
    countryCode: 'GB',
    venue: null,
    scoreUrl: null,
    streamUrl: null,
    updatedAt: 1_763_800_000_000,
    ...over,
  };
}

function runner(selectionId: number, price: number): Runner {
  return {
    selectionId,
    handicap: 0,
    name: `Runner ${selectionId}`,
    status: 'ACTIVE',
    sortPriority: selectionId,
    back: [
      { price, size: 120.5 },
      { price: price - 0.02, size: 300 },
      { price: price - 0.04, size: 1200.75 },
    ],
    lay: [
      { price: price + 0.02, size: 80 },
      { price: price + 0.04, size: 410.1 },
      { price: price + 0.06, size: 999.99 },
    ],
    ltp: price,
    tv: 15_234.56,
    bsp: null,
    adjustmentFactor: 33.3,
  };
}

export function market(id: string, eventId: number, over: Partial<Market> = {}): Market {
  return {
    id,
    eventId,
    source: 'betfair',
    type: 'MATCH_ODDS',
    name: 'Match Odds',
    status: 'OPEN',
    inPlay: false,
    minStake: null,
    maxStake: null,
    totalMatched: 123_456.78,
    numberOfWinners: 1,
    startTime: '2026-11-22T15:00:00.000Z',
    runners: [runner(47972, 2.1), runner(47973, 3.45), runner(58805, 3.9)],
    updatedAt: 1_763_800_000_000,
    publishedAt: 1_763_799_999_950,
    version: 1,
    ...over,
  };
}

export function result(eventId: number, completedAt: string, over: Partial<Result> = {}): Result {
  return {
    eventId,
    upstreamIds: { betfair: String(30_000_000 + eventId) },
    sportId: 1,
    eventName: `Home ${eventId} v Away ${eventId}`,
    team1: `Home ${eventId}`,
    team2: `Away ${eventId}`,
    marketId: `1.${eventId}`,
    winners: [{ selectionId: 47972, name: 'Runner 47972' }],
    winner: 'Runner 47972',
    winnerSource: 'settled',
    finalMarket: market(`1.${eventId}`, eventId, { status: 'CLOSED' }),
    finalScore: { home: 2, away: 1 },
    completedAt,
    ...over,
  };
}
