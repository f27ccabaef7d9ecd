import { EventSchema, SportSchema, type Event, type Market, type Sport } from '../model/index.js';

/**
 * Checks on values read back at the loadSnapshot boundary. Sports and events (few, small) get the full
 * zod schema. Markets get a structural check of the fields the read model indexes by: full zod parsing
 * of 10,000 markets costs about as much CPU as JSON.parse of them, doubling boot time, and everything
 * in the hash was written from typed Market objects by this code.
 */
export const snapshotChecks = {
  sport: (v: unknown): v is Sport => SportSchema.safeParse(v).success,
  event: (v: unknown): v is Event => EventSchema.safeParse(v).success,
  market: (v: unknown): v is Market => {
    if (typeof v !== 'object' || v === null) return false;
    const m = v as Record<string, unknown>;
    return (
      typeof m.id === 'string' &&
      Number.isInteger(m.eventId) &&
      typeof m.status === 'string' &&
      typeof m.type === 'string' &&
      Array.isArray(m.runners) &&
      Number.isInteger(m.version)
    );
  },
};
