import type { SourceMarket, SourceUpdate, Runner } from '../../src/model/index.js';

/** A runner with the given best back/lay and two more levels each side. */
export function runner(
  selectionId: number,
  name: string,
  back: number,
  lay: number,
  extra: Partial<Runner> = {},
): Runner {
  return {
    selectionId,
    handicap: 0,
    name,
    status: 'ACTIVE',
    sortPriority: selectionId % 100,
    back: [
      { price: back, size: 120 },
      { price: +(back - 0.02).toFixed(2), size: 300 },
      { price: +(back - 0.04).toFixed(2), size: 800 },
    ],
    lay: [
      { price: lay, size: 95 },
      { price: +(lay + 0.02).toFixed(2), size: 250 },
      { price: +(lay + 0.04).toFixed(2), size: 600 },
    ],
    ltp: back,
    tv: 1000,
    bsp: null,
    adjustmentFactor: null,
    ...extra,
  };
}

/** A MATCH_ODDS market as a source would emit it. */
export function matchOdds(id: string, runners: Runner[], extra: Partial<SourceMarket> = {}): SourceMarket {
  return {
    id,
    source: 'test',
    type: 'MATCH_ODDS',
    name: 'Match Odds',
    status: 'OPEN',
    inPlay: false,
    minStake: null,
    maxStake: null,
    totalMatched: 12345,
    numberOfWinners: 1,
    startTime: '2026-11-22T15:00:00.000Z',
    runners,
    publishedAt: null,
    ...extra,
  };
}

export interface SampleEvent {
  bfi: string;
  sportId: number;
  name: string;
  competition: string;
  inPlay: boolean;
  marketId: string;
  runners: Runner[];
}

/** Four events over four sports (Football in play, Tennis, Cricket, Horse Racing). */
export const SAMPLE_EVENTS: SampleEvent[] = [
  {
    bfi: '35540213',
    sportId: 1,
    name: 'Real Sociedad v Betis',
    competition: 'Spanish La Liga',
    inPlay: true,
    marketId: '1.257422429',
    runners: [
      runner(101, 'Real Sociedad', 2.58, 2.62),
      runner(102, 'Betis', 3.1, 3.15),
      runner(103, 'The Draw', 3.4, 3.45),
    ],
  },
  {
    bfi: '35540300',
    sportId: 2,
    name: 'Carlos Alcaraz v Jannik Sinner',
    competition: 'ATP Finals',
    inPlay: false,
    marketId: '1.257422500',
    runners: [runner(201, 'Carlos Alcaraz', 1.9, 1.92), runner(202, 'Jannik Sinner', 2.08, 2.1)],
  },
  {
    bfi: '35574416',
    sportId: 3,
    name: 'England W v New Zealand W',
    competition: 'Womens One Day Cup',
    inPlay: true,
    marketId: '1.257823308',
    runners: [runner(301, 'England W', 1.93, 1.94), runner(302, 'New Zealand W', 2.06, 2.08)],
  },
  {
    bfi: '35580001',
    sportId: 26,
    name: '14:30 Ascot',
    competition: 'Ascot 22nd Nov',
    inPlay: false,
    marketId: '1.257900001',
    runners: [
      runner(401, 'Desert Crown', 3.5, 3.6),
      runner(402, 'Baaeed', 4.0, 4.1),
      runner(403, 'Frankel Star', 6.0, 6.2),
      runner(404, 'Enable Again', 8.0, 8.4),
      runner(405, 'Sea The Moon', 10, 10.5),
      runner(406, 'Galileo Gold', 12, 13),
    ],
  },
];

/** SourceUpdates (event + market) for the sample events, as source `source`. */
export function sampleUpdates(source = 'betfair'): SourceUpdate[] {
  const out: SourceUpdate[] = [];
  for (const e of SAMPLE_EVENTS) {
    out.push({
      kind: 'event',
      source,
      upstreamEventId: e.bfi,
      event: {
        sportId: e.sportId,
        name: e.name,
        competition: { id: null, name: e.competition },
        startTime: '2026-11-22T15:00:00.000Z',
        status: e.inPlay ? 'IN_PLAY' : 'OPEN',
        inPlay: e.inPlay,
      },
    });
    out.push({
      kind: 'market',
      source,
      upstreamEventId: e.bfi,
      market: matchOdds(e.marketId, e.runners, {
        source,
        inPlay: e.inPlay,
        type: e.sportId === 26 ? 'WIN' : 'MATCH_ODDS',
        name: e.sportId === 26 ? '1m2f Hcap' : 'Match Odds',
      }),
      raw: { id: e.marketId, rc: [] },
    });
  }
  return out;
}
