/**
 * The sample responses of seed 001 (Porqpine v1), as written there. Placeholders the seed elides
 * (`{ ... }`, `[...]`) are `{}` / `[]` (type only); maps keyed by ids use `*` (see shape.ts).
 */

const LEVEL = { level: 1, odds: 1.93, size: 500000 };

/** GET /api/v1/feed/sports */
export const SPORTS = {
  success: true,
  data: [{ name: 'Football', count: 870, events: [{ id: 1572164, name: '...' }] }],
};

/** GET /api/v1/feed/events?sport=Football (also /events/live) */
export const EVENTS = {
  success: true,
  count: 870,
  data: [
    {
      id: 1572164,
      name: 'Real Sociedad vs Betis',
      team_a: 'Real Sociedad',
      team_b: 'Betis',
      sport: 'Football',
      status: 'LIVE',
      in_play: true,
      betfair_event_id: 35540213,
      competition: { id: 12018851, slug: '...' },
    },
  ],
};

/** GET /api/v1/feed/socket-events */
export const SOCKET_EVENTS = {
  success: true,
  count: 139,
  data: [
    {
      id: 35540213,
      bfi: 35540213,
      name: 'Real Sociedad vs Betis',
      sport: 'Football',
      status: 'In Play',
      in_play: true,
      markets: [{ market_id: '1.257422429', type: 'MATCH_ODDS' }],
      selections: [
        {
          name: 'Real Sociedad',
          market_id: '1.257422429',
          back_odds: 2.58,
          back_size: 151,
          lay_odds: 2.62,
          lay_size: 89,
        },
      ],
    },
  ],
};

/** GET /api/v1/feed/event/:id */
export const EVENT = {
  success: true,
  data: {
    event_id: '35540213',
    internal_id: '1598914',
    bfi: '35540213',
    event: {
      id: 1598914,
      name: 'Real Sociedad vs Betis',
      sport: 'Football',
      in_play: true,
      team_a: 'Real Sociedad',
      team_b: 'Betis',
      betfair_event_id: 35540213,
    },
    socket_odds: { byMarketId: { '*': {} }, byBfi: { '*': {} } },
    source: 'live',
  },
};

/** A market with selections and `{level, odds, size}` ladders (match_odds, fancy, bookmaker entries). */
export const MARKET = {
  market_id: '1.257823308',
  market_name: 'Match Odds',
  selections: [{ name: 'Delhi Capitals', back: [LEVEL], lay: [LEVEL] }],
};

/** GET /api/v1/feed/event/:id/odds */
export const ODDS = {
  success: true,
  data: {
    event_id: '1610350',
    internal_id: '1610350',
    bfi: '35574416',
    market: { byMarketId: { '*': {} }, byBfi: {} },
    match_odds: [MARKET],
    fancy: [],
    bookmaker: [],
    _meta: { matchoddsFound: 1, marketIds: ['1.257823308'] },
    source: 'live',
  },
};

/** GET /api/v1/feed/event/:id/fancy */
export const FANCY = {
  success: true,
  data: {
    event_id: '1610350',
    internal_id: '1610350',
    bfi: '35574416',
    markets: [
      {
        market_id: 'c5bae77612b6d55d67af728b9e2ce0f5',
        market_name: "2 Over Runs Mitchell Starc 'DC' ADV.",
        selections: [
          {
            name: "2 Over Runs Mitchell Starc 'DC' ADV.",
            back: [{ level: 1, odds: 18, size: 100 }],
            lay: [{ level: 1, odds: 16, size: 100 }],
          },
        ],
      },
    ],
    count: 90,
    source: 'live',
    best: [],
  },
};

/** GET /api/v1/feed/event/:id/bookmaker */
export const BOOKMAKER = {
  success: true,
  data: {
    event_id: '1610350',
    skeleton: [
      {
        market_id: '98d947a9...',
        market_name: 'Bookmaker 0 Commission',
        selection_ids: ['47068057', '47068058'],
      },
    ],
    markets: [],
    count: 0,
    source: 'skeleton',
  },
};

/** GET /api/v1/feed/event/:id/scorecard */
export const SCORECARD = {
  success: true,
  data: {
    event_id: '1610386',
    scorecard_url: 'https://porqpine.cloud/proxy/scorecard/<hash>/<channel>',
    iframe_html:
      "<iframe src='https://porqpine.cloud/proxy/scorecard/<hash>/<channel>' width='100%' height='245px' frameborder='0'></iframe>",
    channel_id: '1234',
    hash: '8031746d39afeab07af7ce8351ab56d30d27cd50',
  },
};

/** GET /api/v1/feed/event/:id/stream */
export const STREAM = {
  success: true,
  data: {
    event_id: '1598914',
    team_a: 'Real Sociedad',
    team_b: 'Betis',
    streams: [
      { type: 'tracker', url: 'https://porqpine.cloud/proxy/tracker/12562643?productName=v33-1-dark' },
    ],
  },
};

/** POST /api/v1/feed/odds/unified */
export const UNIFIED = {
  success: true,
  data: {
    match_ids: ['1610250', '1598914'],
    market: {
      '*': {
        internal_id: '1610250',
        bfi: '35575273',
        market: { byMarketId: {} },
        fancy: null,
        bookmaker: null,
      },
    },
    source: 'live',
  },
};

/** GET /api/v1/feed/results (one record is also the `data` of /result/:id) */
export const RESULT = {
  internal_id: '1610350',
  bfi: '35574416',
  name: 'Delhi Capitals vs Kolkata Knight Riders',
  sport: 'Cricket',
  team_a: 'Delhi Capitals',
  team_b: 'Kolkata Knight Riders',
  completed_at: '2026-05-08T23:54:18.022Z',
  winner: 'Kolkata Knight Riders',
  final_match_odds: { '*': {} },
  final_scores: {},
};

export const RESULTS = {
  success: true,
  count: 50,
  totals: { saved: 12, rest: 38 },
  data: [RESULT],
};

/** GET /api/v1/admin/health */
export const HEALTH = {
  success: true,
  data: {
    status: 'ok',
    version: '2.0.0',
    uptime_s: 168,
    memory: { rss_mb: 139, heapUsed_mb: 24 },
    cache: { entries: 700 },
    socket: { connected: true, rooms_subscribed: { matchOdds: 7, fancy: 7, bookmaker: 7 } },
    accounts: { total: 4, active: 4 },
    ws_clients: 3,
    result_saver: { total: 6, snapshots: { events_tracked: 1760 } },
  },
};

/** The error shape of every status code the seed lists. */
export const ERROR = { success: false, error: '<message>' };
