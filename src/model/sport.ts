import { z } from 'zod';

/** A sport. Canonical ids follow the Diamond appendix (1 Football, 2 Tennis, 3 Cricket, 26 Horse Racing). */
export const SportSchema = z.object({
  id: z.number().int(),
  name: z.string(),
});
export type Sport = z.infer<typeof SportSchema>;

/** Canonical sport ids and names. Sports not listed keep their Betfair event type id (see fromBetfairEventType). */
export const SPORT_NAMES: Readonly<Record<number, string>> = {
  1: 'Football',
  2: 'Tennis',
  3: 'Cricket',
  26: 'Horse Racing',
  4339: 'Greyhound Racing',
  7522: 'Basketball',
  7524: 'Ice Hockey',
  468328: 'Handball',
  998917: 'Volleyball',
  2593174: 'Table Tennis',
  6423: 'American Football',
  7511: 'Baseball',
  1477: 'Rugby League',
  5: 'Rugby Union',
  6: 'Boxing',
  26420387: 'Mixed Martial Arts',
  3503: 'Darts',
  6422: 'Snooker',
  61420: 'Australian Rules',
  998919: 'Bandy',
  27454571: 'Esports',
};

/** Betfair event type ids whose canonical id differs. */
const BETFAIR_TO_CANONICAL: Readonly<Record<number, number>> = { 1: 1, 2: 2, 4: 3, 7: 26 };
/** Betfair ids that collide with a canonical id of another sport are moved out of the way. */
const COLLISION_OFFSET = 1_000_000_000;

/** Maps a Betfair event type id to oddsgate's canonical sport id. */
export function sportIdFromBetfair(eventTypeId: number): number {
  const mapped = BETFAIR_TO_CANONICAL[eventTypeId];
  if (mapped !== undefined) return mapped;
  if (eventTypeId === 3 || eventTypeId === 26) return COLLISION_OFFSET + eventTypeId; // Golf (3) and 26 are taken
  return eventTypeId;
}

/** Maps a canonical sport id back to the Betfair event type id. */
export function betfairEventTypeFromSport(sportId: number): number {
  for (const [bf, canon] of Object.entries(BETFAIR_TO_CANONICAL)) if (canon === sportId) return Number(bf);
  if (sportId > COLLISION_OFFSET) return sportId - COLLISION_OFFSET;
  return sportId;
}

/** Display name of a canonical sport id ("Sport <id>" when unknown). */
export function sportName(id: number): string {
  if (id === COLLISION_OFFSET + 3) return 'Golf';
  return SPORT_NAMES[id] ?? `Sport ${id}`;
}
