import { z } from 'zod';

export const EventStatusSchema = z.enum(['OPEN', 'IN_PLAY', 'SUSPENDED', 'CLOSED']);
export type EventStatus = z.infer<typeof EventStatusSchema>;

export const CompetitionSchema = z.object({
  id: z.string().nullable(),
  name: z.string(),
});
export type Competition = z.infer<typeof CompetitionSchema>;

/**
 * A sporting event (a Diamond "game"). `id` is oddsgate's internal id, stable across restarts on Redis;
 * `upstreamIds` keeps the id each source knows it by (Betfair's event id under "betfair" = the bfi).
 */
export const EventSchema = z.object({
  id: z.number().int(),
  upstreamIds: z.record(z.string(), z.string()),
  sportId: z.number().int(),
  name: z.string(),
  competition: CompetitionSchema.nullable(),
  team1: z.string().nullable(),
  team2: z.string().nullable(),
  /** ISO 8601. */
  startTime: z.string(),
  status: EventStatusSchema,
  inPlay: z.boolean(),
  hasFancy: z.boolean(),
  hasBookmaker: z.boolean(),
  countryCode: z.string().nullable(),
  venue: z.string().nullable(),
  scoreUrl: z.string().nullable(),
  streamUrl: z.string().nullable(),
  /** Epoch ms of the last change. */
  updatedAt: z.number(),
});
export type Event = z.infer<typeof EventSchema>;

/** Splits "A v B", "A vs B", "A @ B" into team names; null teams when the name is not a fixture. */
export function splitTeams(name: string): { team1: string | null; team2: string | null } {
  const m = /^(.+?)\s+(?:v|vs\.?|@|-)\s+(.+)$/i.exec(name.trim());
  if (!m || !m[1] || !m[2]) return { team1: null, team2: null };
  return { team1: m[1].trim(), team2: m[2].trim() };
}

/**
 * Sources whose event ids are Betfair event ids (the live exchange, its historical data and the simulator,
 * which speaks the same protocol), in order of preference.
 */
export const BETFAIR_ID_SOURCES: readonly string[] = ['betfair', 'historical', 'sim'];

/** An event's bfi (Betfair event id) as a string, or null when no Betfair-protocol source knows it. */
export function bfiOf(event: Pick<Event, 'upstreamIds'>): string | null {
  for (const s of BETFAIR_ID_SOURCES) {
    const id = event.upstreamIds[s];
    if (id !== undefined) return id;
  }
  return null;
}
