import { z } from 'zod';
import { EventSummarySchema } from '../porqpine/events.js';

/**
 * zod schemas of the data WebSocket pushes and replies carry. Field names follow the REST surface that
 * serves the same object (Porqpine v1: snake_case; `updatedAt` as REST has it), so a client parses one
 * shape whichever way it got it. Objects are open: fields may be added, never removed or renamed.
 */

/** One ladder rung, best first (`level` 1). */
export const LadderLevel = z.looseObject({
  level: z.number().int().min(1),
  odds: z.number().describe('Decimal odds (or the rate of a fancy line).'),
  size: z.number(),
});

/** A runner with its ladders. */
export const Selection = z.looseObject({
  name: z.string(),
  selection_id: z.number(),
  status: z.string().describe('ACTIVE, SUSPENDED, WINNER, LOSER, REMOVED, ...'),
  back: z.array(LadderLevel),
  lay: z.array(LadderLevel),
  ltp: z.number().nullable().describe('Last traded price.'),
});

/** A market frame, as /event/:id/odds renders it (without REST's `stale`). */
export const MarketData = z
  .looseObject({
    market_id: z.string(),
    market_name: z.string(),
    type: z.string().describe('MATCH_ODDS, BOOKMAKER, FANCY, ...'),
    status: z.string(),
    in_play: z.boolean(),
    selections: z.array(Selection),
    total_matched: z.number().nullable(),
    internal_event_id: z.number().int(),
    source: z.string(),
    version: z.number().int(),
    updatedAt: z.number().describe('Epoch ms of the last change.'),
  })
  .describe('MarketData');

/** An event as /events lists it: the one Porqpine shape (src/contracts/porqpine/events.ts), named for AsyncAPI. */
export const EventSummary = EventSummarySchema.describe('EventSummary');

/** A completed event, as /result/:id renders it. */
export const ResultData = z
  .looseObject({
    internal_id: z.string(),
    bfi: z.string().nullable(),
    name: z.string(),
    sport: z.string(),
    team_a: z.string().nullable(),
    team_b: z.string().nullable(),
    completed_at: z.string(),
    winner: z.string().nullable(),
    final_match_odds: z.record(z.string(), MarketData),
    final_scores: z.unknown(),
    winner_source: z.string(),
    winners: z.array(z.looseObject({ selection_id: z.number(), name: z.string() })),
    market_id: z.string(),
  })
  .describe('ResultData');

/** The latest score of an event, with the ids a client matches it on. */
export const ScoreData = z
  .looseObject({
    event_id: z.string().describe('The bfi when known, else the internal id (as the seed reads it).'),
    internal_id: z.string(),
  })
  .describe('ScoreData');

/** One leg of an arbitrage. */
export const ArbLeg = z.looseObject({
  selection: z.string(),
  name: z.string(),
  odds: z.number().describe('Decimal odds.'),
  rate: z.number().optional().describe('The quoted rate, for rate-quoted (bookmaker) books.'),
  book: z.string(),
  source: z.string(),
  market_id: z.string(),
  stake: z.number(),
  payout: z.number().nullable(),
  liability: z.number().nullable(),
  size: z.number().nullable(),
});

/** An arbitrage, exactly as GET /api/v1/feed/arbs lists it. */
export const ArbData = z
  .looseObject({
    id: z.string().describe('<eventId>:<market group>:<kind>, stable while the arbitrage lasts.'),
    internal_id: z.string(),
    event_name: z.string(),
    sport_id: z.number().int(),
    start_time: z.string(),
    in_play: z.boolean(),
    sources: z.record(z.string(), z.string()),
    market: z.string(),
    market_name: z.string(),
    kind: z.enum(['back', 'lay']),
    sum: z.number(),
    edge_pct: z.number(),
    total: z.number(),
    profit: z.number(),
    max_total: z.number().nullable(),
    books: z.array(z.string()),
    legs: z.array(ArbLeg),
  })
  .describe('ArbData');

/** What `arb_closed` says of an arbitrage that vanished. */
export const ArbClosedData = z
  .looseObject({
    id: z.string(),
    internal_id: z.string(),
    market: z.string(),
    kind: z.enum(['back', 'lay']),
  })
  .describe('ArbClosedData');

/** The broker's counters (`connected`, get_stats). */
export const BrokerStats = z
  .looseObject({
    clients: z.number().int(),
    rooms: z.number().int(),
    events: z.number().int(),
    markets: z.number().int(),
    uptime_s: z.number(),
    slow_consumers_closed: z.number().int(),
    messages_out: z.number().int(),
    recovery: z.looseObject({ window_s: z.number() }),
  })
  .describe('BrokerStats');
