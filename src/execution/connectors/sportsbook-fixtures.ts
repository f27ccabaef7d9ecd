/**
 * Where an execution selection is offered at the sportsbook: its fixtures (refreshed by `refresh()`)
 * matched to oddsgate's events the way cross-source matching does (src/matching: same sport, start within
 * a window, both sides alike), the outcome 101 / 103 / 102 to TEAM1 / TEAM2 / DRAW in the sportsbook's own
 * home/away order.
 */
import type { Event } from '../../model/event.js';
import { splitTeams } from '../../model/event.js';
import { nameKey } from '../../matching/names.js';
import { MATCH_THRESHOLD, keySimilarity } from '../../matching/teams.js';
import { INDIVIDUAL_SPORTS, eventSimilarity } from '../../matching/events.js';
import type { Selection } from '../types.js';
import type { SportsbookFixture, SportsbookSelection } from './sportsbook.js';

/** oddsgate's canonical sport id → the sportsbook's (Pinnacle's: soccer 29, tennis 33, cricket 8). */
export const SPORTSBOOK_SPORT_IDS: Readonly<Record<number, number>> = { 1: 29, 2: 33, 3: 8 };

/** Options of {@link SportsbookFixtures}. */
export interface SportsbookFixturesOptions {
  /** Reads a sport's fixtures (SportsbookConnector.fixtures). */
  fetch: (sportId: number) => Promise<SportsbookFixture[]>;
  /** oddsgate's events by fixture id (the read model). */
  findEvent: (id: string) => Event | undefined;
  sportIds?: Readonly<Record<number, number>>;
  /** Start-time tolerance (default 15 min). */
  windowMs?: number;
}

/** The sportsbook's fixtures, matched to oddsgate's events. */
export class SportsbookFixtures {
  private bySport = new Map<number, SportsbookFixture[]>();
  private readonly sportIds: Readonly<Record<number, number>>;

  constructor(private readonly opts: SportsbookFixturesOptions) {
    this.sportIds = opts.sportIds ?? SPORTSBOOK_SPORT_IDS;
  }

  /** Reloads every mapped sport's fixtures; returns how many there are. */
  async refresh(): Promise<number> {
    const next = new Map<number, SportsbookFixture[]>();
    for (const id of Object.values(this.sportIds)) next.set(id, await this.opts.fetch(id));
    this.bySport = next;
    return [...next.values()].reduce((n, l) => n + l.length, 0);
  }

  /** A resolver for SportsbookConnector's `resolve`. */
  resolve = (s: Selection): SportsbookSelection | null => {
    const team = ({ 101: 0, 103: 1, 102: 2 } as Record<number, number>)[s.outcomeId];
    const event = team === undefined || s.playerId !== 0 ? undefined : this.opts.findEvent(s.fixtureId);
    const sportId = event ? this.sportIds[event.sportId] : undefined;
    if (!event || sportId === undefined || team === undefined) return null;
    const window = this.opts.windowMs ?? 15 * 60_000;
    let best: { f: SportsbookFixture; score: number } | null = null;
    for (const f of this.bySport.get(sportId) ?? []) {
      const score = eventSimilarity(
        event,
        {
          sportId: event.sportId,
          name: `${f.home} v ${f.away}`,
          team1: f.home,
          team2: f.away,
          startTime: f.starts,
        },
        window,
      );
      if (score >= MATCH_THRESHOLD && (!best || score > best.score)) best = { f, score };
    }
    if (!best) return null;
    if (team === 2) return { sportId, eventId: best.f.id, team: 'DRAW' };
    // the sportsbook's home may be oddsgate's second side
    const individual = INDIVIDUAL_SPORTS.has(event.sportId);
    const first = event.team1 ?? splitTeams(event.name).team1 ?? '';
    const k = (x: string) => nameKey(x, { individual });
    const swapped =
      keySimilarity(k(first), k(best.f.away), individual) >
      keySimilarity(k(first), k(best.f.home), individual);
    const home = swapped ? team === 1 : team === 0;
    return { sportId, eventId: best.f.id, team: home ? 'TEAM1' : 'TEAM2' };
  };
}
