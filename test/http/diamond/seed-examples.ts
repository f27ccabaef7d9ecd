/**
 * Example objects copied from seed 000 (Diamond v2) §3 and §4, used as expected shapes: every key must be
 * present in our responses with the same JSON type. Placeholders in the seed (`[...]`, `{ ... }`) are
 * written as empty arrays/objects, which check the type only.
 */

export const SEED_RUNNER = {
  name: 'England W',
  back: [{ price: 90.0, size: 1740 }],
  lay: [{ price: 95.0, size: 10000 }],
  status: 'Normal',
  marketName: 'Match Odds',
};

export const SEED_GAME = {
  gmid: '5359254',
  etid: 3,
  sportName: 'Cricket',
  title: 'England W v New Zealand W',
  league: 'Metro Bank Womens One Day Cup',
  team1: 'England W',
  team2: 'New Zealand W',
  status: 'IN_PLAY',
  startTime: '2026-05-16T15:00:00',
  matchDate: 'In-Play',
  isLive: true,
  isFancy: true,
  isBookMaker: true,
  videoURL: "<iframe ... src='https://getscoredata.com/score/...'></iframe>",
  marketName: 'Match Odds',
  runners: [SEED_RUNNER],
  _rawMarkets: [],
  _source: 'imatchodds',
};

export const SEED_SPORTS = {
  success: true,
  data: {
    count: 4,
    sports: [{ id: '3', name: 'Cricket', eventCount: 10, _source: 'imatchodds' }],
  },
  timestamp: '2026-05-16T18:00:00.000Z',
};

export const SEED_GAMES = {
  success: true,
  data: { count: 10, games: [SEED_GAME] },
  timestamp: '2026-05-16T18:00:00.000Z',
};

export const SEED_HIGHLIGHTS = {
  success: true,
  data: {
    t1: [],
    inplay: [
      {
        gmid: '5359254',
        title: 'England W v New Zealand W',
        isLive: true,
        runners: [],
        _source: 'imatchodds',
      },
    ],
    upcoming: [
      { gmid: '5315403', title: 'Test a vs test b', isLive: false, runners: [], _source: 'imatchodds' },
    ],
    _sources: { imatchodds: true },
  },
  timestamp: '2026-05-16T18:00:00.000Z',
};

export const SEED_GAME_DATA = {
  success: true,
  data: { game: SEED_GAME, _source: 'imatchodds' },
  timestamp: '2026-05-16T18:00:00.000Z',
};

export const SEED_FULL_RUNNER = {
  name: 'Bangladesh',
  back: [{ price: '6.40', size: '42k' }],
  lay: [{ price: '6.20', size: '30k' }],
  status: 'ACTIVE',
};

export const SEED_DETAIL_FULL = {
  success: true,
  data: {
    game: SEED_GAME,
    fullMarkets: [{ name: 'MatchOdds', minStake: 100, maxStake: 50000, runners: [SEED_FULL_RUNNER] }],
    _source: 'imatchodds',
    _marketSource: 'scraped',
  },
};

export const SEED_MARKETS = {
  success: true,
  data: {
    gmid: '5358824',
    title: 'Bangladesh v Pakistan',
    teams: { team1: 'Bangladesh', team2: 'Pakistan' },
    status: 'IN_PLAY',
    isFancy: true,
    isBookMaker: true,
    markets: [{ name: 'MatchOdds', minStake: 100, maxStake: 50000, runners: [SEED_FULL_RUNNER] }],
    _source: 'imatchodds',
    _marketSource: 'scraped',
  },
};

export const SEED_SCORECARD = {
  success: true,
  data: {
    event_id: '5359254',
    score_iframe:
      "<iframe style='height: 230px; width: 100%;' src='https://getscoredata.com/score/...'></iframe>",
    title: 'England W v New Zealand W',
    teams: { team1: 'England W', team2: 'New Zealand W' },
    status: 'IN_PLAY',
    _source: 'imatchodds',
  },
  timestamp: '2026-05-16T18:00:00.000Z',
};

export const SEED_LIVE_TV = {
  success: true,
  data: {
    event_id: '5359254',
    source: 'imatchodds',
    tv_available: true,
    stream_url: '<iframe ...>',
    note: 'Direct stream URL from upstream',
  },
  timestamp: '2026-05-16T18:00:00.000Z',
};

export const SEED_STATUS = {
  success: true,
  data: {
    sources: [
      {
        source: 'imatchodds',
        sportsPolled: 4,
        gamesCount: 38,
        perSport: [{ etid: 3, name: 'Cricket', eventCount: 10 }],
      },
    ],
    totalGames: 38,
    totalSports: 6,
    defaultEtid: '4',
  },
  timestamp: '2026-05-16T18:00:00.000Z',
};

export const SEED_UNAUTHORIZED = { success: false, error: 'Unauthorized' };
export const SEED_NOT_FOUND = { success: false, error: 'Game not found' };

/**
 * A seed example as served by default: every game's `_rawMarkets` (the heavy upstream markets) is opt-in
 * (`?raw=1`, issue 16), so default bodies carry every other seed key. Removes the key at any depth.
 */
export function withoutRaw<T>(example: T): T {
  if (Array.isArray(example)) return example.map((e: unknown) => withoutRaw(e)) as T;
  if (example === null || typeof example !== 'object') return example;
  return Object.fromEntries(
    Object.entries(example as Record<string, unknown>)
      .filter(([k]) => k !== '_rawMarkets')
      .map(([k, v]) => [k, withoutRaw(v)]),
  ) as T;
}
