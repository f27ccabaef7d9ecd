import { z } from 'zod';
import { SportSchema } from './sport.js';
import { EventSchema } from './event.js';
import { MarketSchema } from './market.js';
import { ResultSchema } from './result.js';

/**
 * What a normalizer emits: model updates keyed by upstream ids, with no internal ids yet.
 * Ingest resolves internal ids, merges and stores them.
 */
export const SourceEventFieldsSchema = EventSchema.omit({ id: true, upstreamIds: true, updatedAt: true }).partial({
  competition: true,
  team1: true,
  team2: true,
  hasFancy: true,
  hasBookmaker: true,
  countryCode: true,
  venue: true,
  scoreUrl: true,
  streamUrl: true,
  status: true,
  inPlay: true,
});
export type SourceEventFields = z.infer<typeof SourceEventFieldsSchema>;

export const SourceMarketSchema = MarketSchema.omit({ eventId: true, updatedAt: true, version: true });
export type SourceMarket = z.infer<typeof SourceMarketSchema>;

export type SourceUpdate =
  | { kind: 'event'; source: string; upstreamEventId: string; event: SourceEventFields }
  | {
      kind: 'market';
      source: string;
      upstreamEventId: string;
      market: SourceMarket;
      /** The raw upstream frame that produced this change (kept, bounded, for /socket-odds). */
      raw?: unknown;
    }
  | { kind: 'marketRemoved'; source: string; marketId: string }
  | { kind: 'score'; source: string; upstreamEventId: string; score: unknown };

/** One stored change. The store writes the new state and appends the change to the update log together. */
export const ChangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sport'), sport: SportSchema }),
  z.object({ type: z.literal('event'), event: EventSchema }),
  z.object({ type: z.literal('market'), market: MarketSchema }),
  z.object({ type: z.literal('marketRemoved'), marketId: z.string(), eventId: z.number().int() }),
  z.object({ type: z.literal('eventRemoved'), eventId: z.number().int() }),
  z.object({ type: z.literal('result'), result: ResultSchema }),
  z.object({ type: z.literal('score'), eventId: z.number().int(), score: z.unknown() }),
]);
export type Change = z.infer<typeof ChangeSchema>;

/** An entry of the update log. `id` orders entries ("<ms>-<n>", as Redis Streams ids). */
export interface LogEntry {
  id: string;
  /** Epoch ms when the entry was appended. */
  ts: number;
  change: Change;
}
