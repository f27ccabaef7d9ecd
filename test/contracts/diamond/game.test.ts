import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event, MarketStatus, RunnerStatus } from '../../../src/model/index.js';
import { iframeHtml, matchDate, runnerStatus } from '../../../src/contracts/diamond/game.js';
import { formatPrice, formatSize } from '../../../src/contracts/diamond/full-markets.js';

describe('runnerStatus (model → Diamond)', () => {
  test('runner states on an open market', () => {
    const cases: [RunnerStatus, string][] = [
      ['ACTIVE', 'Normal'],
      ['SUSPENDED', 'Suspended'],
      ['WINNER', 'Winner'],
      ['LOSER', 'Loser'],
      ['PLACED', 'Placed'],
      ['REMOVED', 'Removed'],
      ['HIDDEN', 'Closed'],
    ];
    for (const [model, diamond] of cases) assert.equal(runnerStatus(model, 'OPEN'), diamond, model);
  });

  test('the market state overrides active and suspended runners, not settled ones', () => {
    const cases: [RunnerStatus, MarketStatus, string][] = [
      ['ACTIVE', 'SUSPENDED', 'Suspended'],
      ['ACTIVE', 'INACTIVE', 'Suspended'],
      ['ACTIVE', 'CLOSED', 'Closed'],
      ['SUSPENDED', 'CLOSED', 'Closed'],
      ['WINNER', 'CLOSED', 'Winner'],
      ['LOSER', 'CLOSED', 'Loser'],
      ['REMOVED', 'SUSPENDED', 'Removed'],
    ];
    for (const [r, m, diamond] of cases) assert.equal(runnerStatus(r, m), diamond, `${r} on ${m}`);
  });
});

describe('matchDate', () => {
  const ev = (over: Partial<Event>): Event => ({
    id: 1,
    upstreamIds: {},
    sportId: 1,
    name: 'A v B',
    competition: null,
    team1: 'A',
    team2: 'B',
    startTime: '2026-05-16T15:00:00.000Z',
    status: 'OPEN',
    inPlay: false,
    hasFancy: false,
    hasBookmaker: false,
    countryCode: null,
    venue: null,
    scoreUrl: null,
    streamUrl: null,
    updatedAt: 0,
    ...over,
  });

  test('"In-Play" when live, else the UTC start as a display date', () => {
    assert.equal(matchDate(ev({ inPlay: true, status: 'IN_PLAY' })), 'In-Play');
    assert.equal(matchDate(ev({})), '16 May 2026 15:00');
    assert.equal(matchDate(ev({ startTime: '2026-01-02T03:04:00+02:00' })), '02 Jan 2026 01:04');
    assert.equal(matchDate(ev({ startTime: 'tomorrow' })), 'tomorrow');
  });

  test('a closed event is not live even when the in-play flag lingers', () => {
    assert.equal(matchDate(ev({ inPlay: true, status: 'CLOSED' })), '16 May 2026 15:00');
  });
});

describe('iframeHtml', () => {
  test('wraps http(s) URLs, escapes quotes, passes iframes through, drops anything else', () => {
    assert.equal(
      iframeHtml('https://x.test/s?a=1&b=2'),
      "<iframe style='height: 230px; width: 100%;' src='https://x.test/s?a=1&amp;b=2'></iframe>",
    );
    assert.equal(
      iframeHtml("https://x.test/'><script>"),
      "<iframe style='height: 230px; width: 100%;' src='https://x.test/&#39;>&lt;script>'></iframe>",
    );
    assert.equal(
      iframeHtml("<iframe src='https://y.test'></iframe>"),
      "<iframe src='https://y.test'></iframe>",
    );
    assert.equal(iframeHtml('javascript:alert(1)'), '');
    assert.equal(iframeHtml(null), '');
  });
});

describe('full-market text rendering', () => {
  test('prices: two decimals, integers of 100+ and fancy lines bare', () => {
    assert.equal(formatPrice(6.4, 'MatchOdds'), '6.40');
    assert.equal(formatPrice(1.01, 'BookMaker'), '1.01');
    assert.equal(formatPrice(90, 'BookMaker'), '90.00');
    assert.equal(formatPrice(541, 'Fancy'), '541');
    assert.equal(formatPrice(46, 'Fancy'), '46');
    assert.equal(formatPrice(1000, 'MatchOdds'), '1000');
  });

  test('sizes: plain under 1000, then k and m with at most one decimal', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [950, '950'],
      [999.6, '1k'],
      [42000, '42k'],
      [42500, '42.5k'],
      [150_400, '150k'],
      [999_499, '999k'],
      [999_600, '1m'],
      [2_000_000, '2m'],
      [1_250_000, '1.3m'],
      [57_614_540, '57.6m'],
      [-5, '0'],
    ];
    for (const [n, s] of cases) assert.equal(formatSize(n), s, String(n));
  });
});
