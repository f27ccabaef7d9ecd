import type { z } from 'zod';
import type * as P from '../contracts/ws/payloads.js';

/** Payload types of pushes and replies, inferred from the registry's schemas. */

/** A market frame (`data` of market_odds, match_odds, fancy_update, bookmaker_add). */
export type MarketData = z.infer<typeof P.MarketData>;
/** An event as /events lists it (`data` of event_update; items of matches_updated). */
export type EventSummary = z.infer<typeof P.EventSummary>;
/** A completed event (`data` of remove_match_from_list when the result is known). */
export type ResultData = z.infer<typeof P.ResultData>;
/** The latest score of an event (`data` of event_scores). */
export type ScoreData = z.infer<typeof P.ScoreData>;
/** An arbitrage, as GET /api/v1/feed/arbs lists it (`data` of arb_opened and arb_updated). */
export type ArbData = z.infer<typeof P.ArbData>;
/** `data` of arb_closed. */
export type ArbClosedData = z.infer<typeof P.ArbClosedData>;
