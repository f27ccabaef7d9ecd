import type { SourceUpdate } from '../../../src/model/index.js';
import { matchOdds, runner, SAMPLE_EVENTS } from '../../helpers/fixtures.js';

/** The sample cricket event (England W v New Zealand W, in play). */
export const CRICKET = SAMPLE_EVENTS[2]!;
export const TENNIS = SAMPLE_EVENTS[1]!;

export const SCORE_URL = 'https://getscoredata.com/score/35574416';
export const STREAM_URL = 'https://stream.example.test/tv/35574416';

/** The cricket event again with score and stream links, and BOOKMAKER + two FANCY markets for it. */
export function cricketExtras(source = 'betfair'): SourceUpdate[] {
  const ev = { source, upstreamEventId: CRICKET.bfi } as const;
  return [
    {
      kind: 'event',
      ...ev,
      event: {
        sportId: 3,
        name: CRICKET.name,
        competition: { id: null, name: CRICKET.competition },
        startTime: '2026-11-22T15:00:00.000Z',
        status: 'IN_PLAY',
        inPlay: true,
        scoreUrl: SCORE_URL,
        streamUrl: STREAM_URL,
      },
    },
    {
      kind: 'market',
      ...ev,
      market: matchOdds(
        'bm:35574416',
        [runner(311, 'England W', 90, 95), runner(312, 'New Zealand W', 1.01, 1.02)],
        {
          source,
          type: 'BOOKMAKER',
          name: 'Bookmaker',
          minStake: 100,
          maxStake: 500000,
          inPlay: true,
        },
      ),
    },
    {
      kind: 'market',
      ...ev,
      market: matchOdds('fancy:1', [runner(321, 'Yes', 46, 47)], {
        source,
        type: 'FANCY',
        name: '6 over runs ENG W',
        minStake: 100,
        maxStake: 200000,
        inPlay: true,
      }),
    },
    {
      kind: 'market',
      ...ev,
      market: matchOdds('fancy:2', [runner(322, 'Yes', 12, 13)], {
        source,
        type: 'FANCY',
        name: 'Fall of 1st wkt ENG W',
        status: 'SUSPENDED',
        minStake: 100,
        maxStake: 100000,
        inPlay: true,
      }),
    },
  ];
}

/** A market update of the sample cricket match odds with new best prices. */
export function cricketPriceMove(back: number, lay: number, source = 'betfair'): SourceUpdate {
  return {
    kind: 'market',
    source,
    upstreamEventId: CRICKET.bfi,
    market: matchOdds(
      CRICKET.marketId,
      [runner(301, 'England W', back, lay), runner(302, 'New Zealand W', 2.06, 2.08)],
      {
        source,
        inPlay: true,
      },
    ),
  };
}

/** An event update closing a sample event. */
export function closeEvent(index: number, source = 'betfair'): SourceUpdate {
  const e = SAMPLE_EVENTS[index]!;
  return {
    kind: 'event',
    source,
    upstreamEventId: e.bfi,
    event: {
      sportId: e.sportId,
      name: e.name,
      startTime: '2026-11-22T15:00:00.000Z',
      status: 'CLOSED',
      inPlay: false,
    },
  };
}
