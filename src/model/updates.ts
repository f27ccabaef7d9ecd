import { z } from 'zod';
import { SportSchema } from './sport.js';
import { EventSchema } from './event.js';
import { MarketSchema } from './market.js';
import { ResultSchema } from './result.js';

/**
 * What a normalizer emits: model updates keyed by upstream ids, with no internal ids yet.
 * Ingest resolves internal ids, merges and stores them.
 */
export const SourceEventFieldsSchema = EventSchema.omit({
  id: true,
  upstreamIds: true,
  updatedAt: true,
}).partial({
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
/**
 * Broker positions assigned by the single writer before commit: room → seq of this change's message in that
 * room. Carried in the stored change so every instance publishes with the same seqs.
 */
const rooms = z.record(z.string(), z.number().int()).optional();

export const ChangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sport'), sport: SportSchema, rooms }),
  z.object({ type: z.literal('event'), event: EventSchema, rooms }),
  z.object({ type: z.literal('market'), market: MarketSchema, rooms }),
  z.object({ type: z.literal('marketRemoved'), marketId: z.string(), eventId: z.number().int(), rooms }),
  z.object({ type: z.literal('eventRemoved'), eventId: z.number().int(), rooms }),
  z.object({ type: z.literal('result'), result: ResultSchema, rooms }),
  z.object({ type: z.literal('score'), eventId: z.number().int(), score: z.unknown(), rooms }),
  /** A broker-only message (e.g. matches_updated) that changes no state but is logged for recovery. */
  z.object({ type: z.literal('notice'), name: z.string(), data: z.unknown(), rooms }),
]);
export type Change = z.infer<typeof ChangeSchema>;

/** An entry of the update log. `id` orders entries ("<ms>-<n>", as Redis Streams ids). */
export interface LogEntry {
  id: string;
  /** Epoch ms when the entry was appended. */
  ts: number;
  change: Change;
}
