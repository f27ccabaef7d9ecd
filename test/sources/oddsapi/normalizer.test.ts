import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  marketIdOf,
  normalizeOdds,
  selectionIdOf,
  settleMarket,
} from '../../../src/sources/oddsapi/normalizer.js';
import { OddsApiEventSchema, OddsApiScoreSchema } from '../../../src/sources/oddsapi/types.js';
import { errorFor, quotaOf } from '../../../src/sources/oddsapi/client.js';
import { sportIdOf } from '../../../src/sources/oddsapi/sports.js';
import type { SourceMarket } from '../../../src/model/index.js';

/** An /odds response entry as The Odds API v4 sends it (regions=uk, markets=h2h,h2h_lay, decimal). */
const EVENT = OddsApiEventSchema.parse({
  id: 'e912304de2b2ce35b473ce2ecd3d1502',
  sport_key: 'soccer_epl',
  sport_title: 'EPL',
  commence_time: '2026-11-22T15:00:00Z',
  home_team: 'Manchester United',
  away_team: 'Chelsea',
  bookmakers: [
    {
      key: 'williamhill',
      title: 'William Hill',
      last_update: '2026-11-22T13:58:01Z',
      markets: [
        {
          key: 'h2h',
          last_update: '2026-11-22T13:58:01Z',
          outcomes: [
            { name: 'Chelsea', price: 3.6 },
            { name: 'Manchester United', price: 2.05 },
            { name: 'Draw', price: 3.5 },
          ],
        },
      ],
    },
    {
      key: 'betfair_ex_uk',
      title: 'Betfair',
      last_update: '2026-11-22T13:59:12Z',
      markets: [
        {
          key: 'h2h',
          outcomes: [
            { name: 'Chelsea', price: 3.75 },
            { name: 'Manchester United', price: 2.12 },
            { name: 'Draw', price: 3.65 },
          ],
        },
        {
          key: 'h2h_lay',
          outcomes: [
            { name: 'Chelsea', price: 3.85 },
            { name: 'Manchester United', price: 2.16 },
            { name: 'Draw', price: 3.75 },
          ],
        },
      ],
    },
  ],
});
const BEFORE = Date.parse('2026-11-22T14:00:00Z');

describe('odds API normalizer', () => {
  test('an event becomes an oddsgate event with home and away sides and its start time', () => {
    const [first] = normalizeOdds([EVENT], 1, BEFORE);
    assert.deepEqual(first, {
      kind: 'event',
      source: 'oddsapi',
      upstreamEventId: EVENT.id,
      event: {
        sportId: 1,
        name: 'Manchester United v Chelsea',
        competition: { id: 'soccer_epl', name: 'EPL' },
        team1: 'Manchester United',
        team2: 'Chelsea',
        startTime: '2026-11-22T15:00:00.000Z',
        status: 'OPEN',
        inPlay: false,
      },
    });
    const after = normalizeOdds([EVENT], 1, Date.parse('2026-11-22T15:10:00Z'))[0];
    assert.equal(after?.kind === 'event' && after.event.status, 'IN_PLAY');
  });

  test('each bookmaker is a book of its own; an exchange’s h2h_lay is the lay side of its h2h book', () => {
    const markets = normalizeOdds([EVENT], 1, BEFORE).flatMap((u) => (u.kind === 'market' ? [u.market] : []));
    assert.deepEqual(
      markets.map((m) => [m.id, m.type, m.name]),
      [
        [marketIdOf(EVENT.id, 'williamhill', 'h2h'), 'MATCH_ODDS', 'Match Odds - William Hill'],
        [marketIdOf(EVENT.id, 'betfair_ex_uk', 'h2h'), 'MATCH_ODDS', 'Match Odds - Betfair'],
      ],
    );
    const wh = markets[0];
    assert.deepEqual(
      wh?.runners.map((r) => [r.name, r.back, r.lay]),
      [
        ['Chelsea', [{ price: 3.6, size: 0 }], []],
        ['Manchester United', [{ price: 2.05, size: 0 }], []],
        ['Draw', [{ price: 3.5, size: 0 }], []],
      ],
    );
    assert.equal(wh?.publishedAt, Date.parse('2026-11-22T13:58:01Z'));
    const bf = markets[1];
    assert.deepEqual(
      bf?.runners.map((r) => [r.name, r.back[0]?.price, r.lay[0]?.price]),
      [
        ['Chelsea', 3.75, 3.85],
        ['Manchester United', 2.12, 2.16],
        ['Draw', 3.65, 3.75],
      ],
    );
    assert.equal(bf?.runners[2]?.selectionId, 58805, 'the draw keeps Betfair’s draw selection id');
    assert.equal(
      selectionIdOf('Chelsea'),
      bf?.runners[0]?.selectionId,
      'selection ids are stable across books',
    );
  });

  test('a completed game settles the match-winner books from its final score', () => {
    const market = normalizeOdds([EVENT], 1, BEFORE).find((u) => u.kind === 'market');
    assert.ok(market?.kind === 'market');
    const score = OddsApiScoreSchema.parse({
      id: EVENT.id,
      sport_key: 'soccer_epl',
      commence_time: EVENT.commence_time,
      completed: true,
      home_team: 'Manchester United',
      away_team: 'Chelsea',
      scores: [
        { name: 'Manchester United', score: '1' },
        { name: 'Chelsea', score: '2' },
      ],
      last_update: '2026-11-22T16:55:00Z',
    });
    const settled = settleMarket(market.market as SourceMarket, score);
    assert.equal(settled.status, 'CLOSED');
    assert.deepEqual(
      settled.runners.map((r) => [r.name, r.status]),
      [
        ['Chelsea', 'WINNER'],
        ['Manchester United', 'LOSER'],
        ['Draw', 'LOSER'],
      ],
    );
  });

  test('quota headers, error bodies and sport groups are read as the API documents them', () => {
    assert.deepEqual(
      quotaOf({ 'x-requests-remaining': '487', 'x-requests-used': '13', 'x-requests-last': '2' }),
      {
        remaining: 487,
        used: 13,
        last: 2,
      },
    );
    assert.deepEqual(quotaOf({}), { remaining: null, used: null, last: null });
    assert.equal(
      errorFor(401, { message: 'API key is not valid', error_code: 'INVALID_KEY' }, null).code,
      'UNAUTHORIZED',
    );
    assert.equal(
      errorFor(401, { message: 'Usage quota has been reached', error_code: 'OUT_OF_USAGE_CREDITS' }, null)
        .code,
      'QUOTA_EXHAUSTED',
    );
    assert.equal(
      errorFor(422, { message: 'Invalid markets', error_code: 'INVALID_MARKET' }, null).code,
      'INVALID_REQUEST',
    );
    const limited = errorFor(429, { error_code: 'EXCEEDED_FREQ_LIMIT' }, 3);
    assert.equal(limited.code, 'RATE_LIMITED');
    assert.equal(limited.retryAfterSec, 3);
    assert.equal(sportIdOf('Soccer', 'soccer_epl'), 1);
    assert.equal(sportIdOf(undefined, 'tennis_atp_paris'), 2);
    assert.equal(sportIdOf('Ice Hockey', 'icehockey_nhl'), 7524);
    assert.equal(sportIdOf('Politics', 'politics_us_presidential_election_winner'), null);
  });
});
