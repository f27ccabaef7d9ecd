import { z } from 'zod';
import { open } from '../../contracts/open.js';
import { EventSummarySchema } from '../../contracts/porqpine/events.js';

export { open };

/**
 * Zod pieces of the documented responses. They describe the shapes for the OpenAPI document only (the routes
 * send pre-serialized bodies and are not re-validated against them); objects are open (`looseObject`) since
 * every surface may gain fields, never lose them.
 */

/** An open JSON object (fields documented by the example). */
export const AnyObject = z.looseObject({}) as unknown as z.ZodType<object>;

/** The error shape of every surface. */
export const ErrorBody = z
  .object({ success: z.literal(false), error: z.string().describe('What went wrong, for a person.') })
  .describe('Error');

/** Porqpine v1 envelope: `{ success, data }`, plus `count` on lists. */
export function porqpine<T extends z.ZodType>(data: T, description: string) {
  return open({ success: z.literal(true), data }).describe(description);
}

/** Porqpine v1 list envelope `{ success, count, data: [...] }`. */
export function porqpineList<T extends z.ZodType>(item: T, description: string) {
  return open({ success: z.literal(true), count: z.number().int().min(0), data: z.array(item) }).describe(
    description,
  );
}

/** Diamond v2 envelope `{ success, data, timestamp }`. */
export function diamond<T extends z.ZodType>(data: T, description: string) {
  return open({
    success: z.literal(true),
    data,
    timestamp: z.string().describe('ISO time the data was built.'),
  }).describe(description);
}

const nullableNumber = z.number().nullable();

/** One ladder level. */
export const Level = open({ level: z.number().int(), odds: z.number(), size: z.number() });

/** A runner with its back/lay ladders (best first). */
export const Selection = open({
  name: z.string(),
  selection_id: z.number().optional(),
  status: z.string().optional(),
  back: z.array(Level),
  lay: z.array(Level),
  ltp: nullableNumber.optional(),
});

/** A market frame as the feed renders it. */
export const MarketFrame = open({
  market_id: z.string(),
  market_name: z.string(),
  type: z.string().describe('MATCH_ODDS, BOOKMAKER, FANCY, ...'),
  status: z.string(),
  in_play: z.boolean(),
  selections: z.array(Selection),
  total_matched: nullableNumber.optional(),
  source: z.string(),
  version: z.number().int().optional(),
  updatedAt: z.number().describe('Epoch ms of the last change.'),
  stale: z.boolean(),
});

/** An event as the catalogue lists it (the Porqpine shape the WebSocket pushes too). */
export const EventSummary = EventSummarySchema;

/** Both ids of an event, as every single-event response starts. */
export const EventIds = open({
  event_id: z.string().describe('The id asked for.'),
  internal_id: z.string(),
  bfi: z.string().nullable(),
});

/** A live event with its best prices per selection. */
export const SocketEvent = open({
  id: z.number(),
  bfi: z.number().nullable(),
  internal_id: z.number(),
  name: z.string(),
  sport: z.string(),
  status: z.string(),
  in_play: z.boolean(),
  start_time: z.string().describe('Scheduled start (ISO 8601); for races, the off time. Additive.'),
  markets: z.array(open({ market_id: z.string(), type: z.string() })),
  selections: z.array(
    open({
      name: z.string(),
      market_id: z.string(),
      back_odds: nullableNumber,
      back_size: nullableNumber,
      lay_odds: nullableNumber,
      lay_size: nullableNumber,
    }),
  ),
});

/** A completed event. */
export const Result = open({
  internal_id: z.string(),
  bfi: z.string().nullable(),
  name: z.string(),
  sport: z.string(),
  completed_at: z.string(),
  winner: z.string().nullable(),
  winner_source: z.string().describe('settled (upstream said so) or inferred (from final prices).'),
  final_match_odds: AnyObject,
  final_scores: z.unknown(),
});

/** `:id` of the feed: internal id or bfi. */
export const IdParams = z.object({
  id: z.string().describe('Internal event id or Betfair event id (bfi); either is accepted.'),
});

/** `?sport=` of the feed. */
export const SportQuery = z.object({
  sport: z.string().optional().describe('Sport name, case-insensitive (Football, Cricket, ...).'),
});
