import { z } from 'zod';
import type { RouteDoc, RouteDocs } from './route-doc.js';
import { AnyObject, diamond, ErrorBody } from './schemas.js';

const P = '/api/v2/diamond';
const tags = ['Diamond v2'];
const security: RouteDoc['security'] = [{ DiamondPassword: [] }, { DiamondPasswordQuery: [] }];
const common = { 401: ErrorBody.describe('Missing or wrong password (x-password or ?password=).') };
const gameErrors = {
  400: ErrorBody.describe('Invalid game id or query.'),
  404: ErrorBody.describe('Game not found.'),
};

function doc(d: Omit<RouteDoc, 'tags' | 'security'>): RouteDoc {
  return { tags, security, ...d, response: { ...common, ...d.response } };
}

const Game = z.looseObject({
  gmid: z.string().describe('Internal id.'),
  etid: z.number().describe('Sport id.'),
  title: z.string(),
  team1: z.string().nullable(),
  team2: z.string().nullable(),
  status: z.string(),
  isLive: z.boolean(),
  isFancy: z.boolean(),
  isBookMaker: z.boolean(),
});

const game = (summary: string, data: z.ZodType = z.looseObject({ game: Game })) =>
  doc({ summary, response: { 200: diamond(data, summary), ...gameErrors } });

/** The Diamond v2 routes (password protected). */
export const DIAMOND_DOCS: RouteDocs = {
  [`GET ${P}/sports`]: doc({
    summary: 'Sports with game counts',
    response: { 200: diamond(z.looseObject({ count: z.number(), sports: z.array(AnyObject) }), 'Sports') },
  }),
  [`GET ${P}/games`]: doc({
    summary: 'Games, optionally of one sport (sport_id / etid)',
    response: {
      200: diamond(z.looseObject({ count: z.number(), games: z.array(Game) }), 'Games'),
      400: gameErrors[400],
    },
  }),
  [`GET ${P}/highlights`]: doc({
    summary: 'In-play and upcoming games with their main market',
    response: {
      200: diamond(z.looseObject({ inplay: z.array(AnyObject), upcoming: z.array(AnyObject) }), 'Highlights'),
    },
  }),
  [`GET ${P}/search`]: doc({
    summary: 'Search games by name',
    response: {
      200: diamond(z.looseObject({ query: z.string(), count: z.number(), games: z.array(Game) }), 'Search'),
    },
  }),
  [`GET ${P}/status`]: doc({
    summary: 'Sources and catalogue totals',
    response: {
      200: diamond(z.looseObject({ sources: z.array(AnyObject), totalGames: z.number() }), 'Status'),
    },
  }),
  [`GET ${P}/games/:gmid`]: game('One game with its main market runners'),
  [`GET ${P}/games/:gmid/data`]: game('One game (alias of /games/:gmid)'),
  [`GET ${P}/games/:gmid/detail`]: game('One game; full=1 scrapes every market on demand (browser sources)'),
  [`GET ${P}/games/:gmid/markets`]: game(
    'Every market of a game: match odds, bookmaker, fancy',
    z.looseObject({ gmid: z.string(), markets: z.array(AnyObject) }),
  ),
  [`GET ${P}/games/:gmid/odds`]: game(
    'Odds of a game',
    z.looseObject({ gmid: z.string(), markets: z.array(AnyObject) }),
  ),
  [`GET ${P}/games/:gmid/scorecard`]: game(
    'Scorecard iframe of a game',
    z.looseObject({ event_id: z.string(), available: z.boolean() }),
  ),
  [`GET ${P}/games/:gmid/live-tv`]: game(
    'Live TV availability of a game',
    z.looseObject({ event_id: z.string(), tv_available: z.boolean() }),
  ),
  [`GET ${P}/tables`]: doc({
    summary: 'Casino tables of the browser-source accounts',
    response: { 200: diamond(AnyObject, 'Tables') },
  }),
  [`GET ${P}/open-bets`]: doc({
    summary: 'Open bets of the browser-source account',
    response: { 200: diamond(AnyObject, 'Open bets') },
  }),
  [`GET ${P}/betslips`]: doc({
    summary: 'Bet slips of the browser-source account',
    response: { 200: diamond(AnyObject, 'Bet slips') },
  }),
  [`GET ${P}/userinfo`]: doc({
    summary: 'Account information of the browser source',
    response: { 200: diamond(AnyObject, 'User info') },
  }),
  [`GET ${P}/tokens`]: doc({
    summary: 'Session tokens of the browser-source accounts (x-admin-password)',
    headers: z.object({ 'x-admin-password': z.string().optional().describe('DIAMOND_ADMIN_PASSWORD.') }),
    response: { 200: diamond(AnyObject, 'Tokens'), 403: ErrorBody.describe('No or wrong admin password.') },
    example: {
      success: true,
      data: {
        casinoToken: 'c4f…',
        accessToken: 'eyJ…',
        baseUrl: 'https://site.example',
        domainSetting: null,
      },
      timestamp: '2026-11-21T21:18:25.000Z',
    },
  }),
};
