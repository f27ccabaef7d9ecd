import { createHash } from 'node:crypto';
import type { ScheduledEvent } from '../fixture.js';
import { SPORT_OF_COMPETITION, fullName, type SimOddsSport } from './catalog.js';

/** An arbitrage planted on one event: one bookmaker per runner quoting above fair. */
export interface PlantedArb {
  id: string;
  sportKey: string;
  /** The odds API event id. */
  eventId: string;
  eventKey: string;
  /** Home v away, as the API names them. */
  name: string;
  edgePct: number;
  /** Σ 1/price over the legs (below 1). */
  sum: number;
  legs: { bookmaker: string; outcome: string; price: number }[];
  /** Odds requests (numbered as stats.oddsRequests counts them) whose response carried this arbitrage. */
  servedIn: number[];
}

/** The odds API event id of a simulated event (32 hex characters, stable). */
export function oddsEventId(ev: ScheduledEvent): string {
  return createHash('md5').update(`oddsapi:${ev.key}:${ev.eventId}`).digest('hex');
}

/** The odds API sport of a simulated event, or null (racing is not covered). */
export function sportOf(ev: ScheduledEvent): SimOddsSport | null {
  if (ev.sport === 'racing' || !ev.competition) return null;
  return SPORT_OF_COMPETITION[ev.competition.name] ?? null;
}

/** Home and away as the API names them (the main market's first two runners, full names). */
export function sidesOf(ev: ScheduledEvent): [string, string] {
  const rs = ev.markets[0]?.runners ?? [];
  return [fullName(rs[0]?.name ?? 'Home'), fullName(rs[1]?.name ?? 'Away')];
}

/** Outcome names of the h2h market, in the main market's runner order (home, away, Draw). */
export function outcomeNames(ev: ScheduledEvent): string[] {
  const [home, away] = sidesOf(ev);
  return (ev.markets[0]?.runners ?? []).map((_, i) => (i === 0 ? home : i === 1 ? away : 'Draw'));
}
