/** Types of the simulated fixture list (see schedule.ts). */

/** The simulated sports. */
export type SimSport = 'football' | 'tennis' | 'cricket' | 'racing';

/** Betfair event type ids and names of the simulated sports. */
export const SIM_SPORTS: Readonly<Record<SimSport, { eventTypeId: string; name: string }>> = {
  football: { eventTypeId: '1', name: 'Soccer' },
  tennis: { eventTypeId: '2', name: 'Tennis' },
  cricket: { eventTypeId: '4', name: 'Cricket' },
  racing: { eventTypeId: '7', name: 'Horse Racing' },
};

/** A selection of a simulated market. */
export interface SimRunnerSpec {
  selectionId: number;
  name: string;
  sortPriority: number;
}

/** A market of a simulated event. */
export interface SimMarketSpec {
  marketId: string;
  marketType: 'MATCH_ODDS' | 'WIN' | 'PLACE';
  name: string;
  numberOfWinners: number;
  bspMarket: boolean;
  runners: SimRunnerSpec[];
}

/** One scheduled event; all times are wall-clock epoch ms. */
export interface ScheduledEvent {
  /** `<sport>:<lane>:<slot>`: stable identity of the slot. */
  key: string;
  sport: SimSport;
  eventTypeId: string;
  /** Betfair-looking 8-digit event id. */
  eventId: string;
  name: string;
  competition: { id: string; name: string } | null;
  countryCode: string;
  timezone: string;
  venue: string | null;
  lane: number;
  slot: number;
  /** The event (and its markets) exists from appearAt (inclusive) to removeAt (exclusive). */
  appearAt: number;
  /** Kick-off / first ball / the off. */
  startAt: number;
  /** Final whistle / last ball / the finish. */
  endAt: number;
  /** Markets close and settle. */
  settleAt: number;
  removeAt: number;
  /** Intervals inside [startAt, endAt) without play (half time, innings break). */
  breaks: readonly (readonly [from: number, to: number])[];
  /** Football: expected goals [home, away] over 90 minutes. */
  goalRates?: readonly [number, number];
  /** Logit strengths of the main market's runners (tennis, cricket, racing). */
  strengths?: readonly number[];
  /** Cricket: index of the side batting first. */
  battingFirst?: number;
  markets: SimMarketSpec[];
}
