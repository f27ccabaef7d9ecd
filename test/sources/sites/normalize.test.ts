/**
 * The site normalizer on the recording made from the simulated site (test/fixtures/imatchodds): events,
 * summary markets, scraped Match Odds / BookMaker / Fancy, amounts such as "42k" parsed once, and the diff
 * that emits only changes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { loadSiteProfile, parseSiteProfile, SiteProfileError } from '../../../src/sources/sites/profile.js';
import { normalizeScrape, normalizeStorage } from '../../../src/sources/sites/normalize.js';
import { readRecording, type ScrapeFrame, type StorageFrame } from '../../../src/sources/sites/recorder.js';
import { fullView } from '../../../src/sources/sites/scraped.js';
import { SnapshotDiff } from '../../../src/sources/sites/snapshot-diff.js';
import { accountData } from '../../../src/sources/sites/account.js';
import { isoTime, linkOf, parseAmount } from '../../../src/sources/sites/values.js';
import { ROOT } from '../../helpers/process.js';
import { SITES_DIR } from './helpers.js';

const profile = loadSiteProfile('imatchodds', SITES_DIR);
const frames = readRecording(resolve(ROOT, 'config/recordings/imatchodds-sim-site.ndjson'));
const storage = frames.filter((f): f is StorageFrame => f.type === 'storage');
const scrapes = frames.filter((f): f is ScrapeFrame => f.type === 'scrape');

describe('amounts and fields as sites write them', () => {
  test('"42k" → 42000, "2m" → 2000000, "6.40" → 6.4, lakh and crore, blanks are NaN', () => {
    assert.equal(parseAmount('42k'), 42_000);
    assert.equal(parseAmount('42.5K'), 42_500);
    assert.equal(parseAmount('2m'), 2_000_000);
    assert.equal(parseAmount('1.2M'), 1_200_000);
    assert.equal(parseAmount('758.8k'), 758_800);
    assert.equal(parseAmount('6.40'), 6.4);
    assert.equal(parseAmount('1,250'), 1250);
    assert.equal(parseAmount('3L'), 300_000);
    assert.equal(parseAmount('1cr'), 10_000_000);
    assert.equal(parseAmount(95), 95);
    for (const blank of ['', '-', 'SUSPENDED', null, undefined]) assert.ok(Number.isNaN(parseAmount(blank)));
  });

  test('site times without a zone are UTC; iframe snippets give their link', () => {
    assert.equal(isoTime('2026-05-16T15:00:00'), '2026-05-16T15:00:00.000Z');
    assert.equal(isoTime('2026-05-16 15:00:00'), '2026-05-16T15:00:00.000Z');
    assert.equal(isoTime('2026-05-16T15:00:00+05:30'), '2026-05-16T09:30:00.000Z');
    assert.equal(isoTime('soon'), null);
    assert.equal(linkOf("<iframe src='https://x.example/score/1'></iframe>"), 'https://x.example/score/1');
    assert.equal(linkOf(''), null);
  });
});

describe('site profiles', () => {
  test('the shipped imatchodds profile validates', () => {
    assert.equal(profile.name, 'imatchodds');
    assert.equal(profile.login.mode, 'demo');
    assert.equal(profile.sportIds['4'], 3);
  });

  test('an invalid profile names the key', () => {
    const bad = structuredClone(profile) as unknown as { match: { kinds: { Fancy: { block: string } } } };
    bad.match.kinds.Fancy.block = '';
    assert.throws(
      () => parseSiteProfile(bad, 'x.json'),
      /invalid site profile x\.json: match\.kinds\.Fancy\.block/,
    );
    const noGmid = { ...profile, match: { ...profile.match, urlPattern: '/match/{etid}' } };
    assert.throws(() => parseSiteProfile(noGmid, 'y.json'), /match\.urlPattern: must contain \{gmid\}/);
    assert.throws(() => loadSiteProfile('nope', SITES_DIR), SiteProfileError);
  });
});

describe('normalizer on the recording', () => {
  test('the recording holds storage snapshots and scrapes', () => {
    assert.ok(storage.length >= 5);
    assert.ok(scrapes.length >= 10);
  });

  test('events: upstream gmid kept, site sport ids mapped, fancy flags, teams, UTC start', () => {
    const norm = normalizeStorage(profile, 'imatchodds', (storage[0] as StorageFrame).data);
    assert.deepEqual(norm.problems, []);
    assert.ok(norm.events.length >= 8);
    const cricket = norm.events.filter((e) => e.siteSportId === '4');
    assert.ok(cricket.length > 0);
    for (const e of cricket) {
      assert.equal(e.event.sportId, 3);
      assert.equal(e.event.hasFancy, true);
      assert.equal(e.event.hasBookmaker, true);
      assert.match(e.upstreamEventId, /^\d{7}$/);
      assert.ok(e.event.team1 && e.event.team2);
      assert.match(e.event.startTime, /Z$/);
      assert.match(e.event.scoreUrl ?? '', /^https:\/\/score\.example\/score\/\d+$/);
    }
    assert.ok(
      norm.events.some((e) => e.event.sportId === 26),
      'horse racing 7 → 26',
    );
  });

  test('summary markets: Match Odds with numeric ladders and prefixed ids', () => {
    const norm = normalizeStorage(profile, 'imatchodds', (storage[0] as StorageFrame).data);
    assert.equal(norm.markets.length, norm.events.length, 'one summary market per event');
    for (const { market } of norm.markets) {
      assert.match(market.id, /^imatchodds:\d+$/);
      assert.equal(market.type, 'MATCH_ODDS');
      assert.equal(market.minStake, 100);
      assert.equal(market.maxStake, 50_000);
      for (const r of market.runners) {
        assert.equal(r.back.length, 3);
        assert.ok(r.back.every((l) => l.price >= 1.01 && l.size >= 100));
      }
    }
  });

  test('scrapes: Match Odds, BookMaker and every Fancy line as a one-runner market', () => {
    const s = scrapes.find((f) => f.markets.some((m) => m.kind === 'Fancy')) as ScrapeFrame;
    assert.ok(s);
    const ms = normalizeScrape(
      'imatchodds',
      { gmid: s.gmid, at: s.t, markets: s.markets },
      {
        inPlay: true,
        startTime: '2026-11-22T12:00:00.000Z',
      },
    ).map((u) => u.market);
    const byType = (t: string) => ms.filter((m) => m.type === t);
    assert.equal(byType('MATCH_ODDS').length, 1);
    assert.equal(byType('BOOKMAKER').length, 1);
    assert.equal(byType('FANCY').length, 5);
    const fancy = byType('FANCY')[0];
    assert.equal(fancy?.runners.length, 1);
    assert.equal(fancy?.runners[0]?.name, fancy?.name, 'a fancy line is named after its market');
    assert.equal(fancy?.maxStake, 200_000, '"200k" parsed');
    const bm = byType('BOOKMAKER')[0];
    assert.equal(bm?.maxStake, 500_000);
    assert.ok(bm?.runners.every((r) => r.back[0]?.size === 500_000 || r.status === 'SUSPENDED'));
    const rendered = s.markets.find((m) => m.kind === 'MatchOdds')?.runners[0]?.back[0];
    const parsed = byType('MATCH_ODDS')[0]?.runners[0]?.back[0];
    assert.equal(parsed?.price, Number(rendered?.price));
    assert.equal(parsed?.size, parseAmount(rendered?.size));
    assert.equal(
      byType('MATCH_ODDS')[0]?.id,
      `imatchodds:${s.markets.find((m) => m.kind === 'MatchOdds')?.id}`,
      'same id as the summary market',
    );
  });

  test('the seed view keeps the page text and merges a kind', () => {
    const s = scrapes.find((f) => f.markets.some((m) => m.kind === 'Fancy')) as ScrapeFrame;
    const view = fullView('imatchodds', { gmid: s.gmid, at: s.t, markets: s.markets }, parseAmount);
    assert.deepEqual(
      view.map((v) => [v.name, v.minStake, v.maxStake]),
      [
        ['MatchOdds', 100, 50_000],
        ['BookMaker', 100, 500_000],
        ['Fancy', 100, 200_000],
      ],
    );
    const mo = view[0]?.runners[0]?.back[0];
    assert.match(mo?.price ?? '', /^\d+\.\d\d$/);
    assert.equal(view[2]?.runners.length, 5);
  });

  test('account data: casino catalogue, open bets, betslips, user info, tokens', () => {
    const acc = accountData(profile, 'imatchodds', (storage[0] as StorageFrame).data, 1);
    assert.equal(acc.casino[0]?.category, 'Lobby');
    assert.equal(acc.casino[0]?.games[0]?.gameId, 201206);
    assert.equal(acc.openBets?.openBets.length, 3);
    assert.equal(acc.betslips.length, 4);
    assert.equal(acc.userInfo?.['cricket'], true);
    assert.match(String(acc.tokens?.['accessToken']), /^eyJ/);
  });
});

describe('snapshot diff', () => {
  test('emits everything first, then only changes; vanished events close with their markets', () => {
    const diff = new SnapshotDiff('imatchodds');
    const a = normalizeStorage(profile, 'imatchodds', (storage[0] as StorageFrame).data);
    const first = diff.storage(a.events, a.markets);
    assert.equal(first.filter((u) => u.kind === 'event').length, a.events.length);
    assert.equal(first.filter((u) => u.kind === 'market').length, a.markets.length);
    assert.deepEqual(diff.storage(a.events, a.markets), [], 'same snapshot: nothing');

    const b = normalizeStorage(profile, 'imatchodds', (storage[1] as StorageFrame).data);
    const second = diff.storage(b.events, b.markets);
    assert.ok(second.length > 0 && second.length < first.length, 'prices moved, not everything');

    const [gone, ...rest] = b.events;
    assert.ok(gone);
    const third = diff.storage(
      rest,
      b.markets.filter((m) => m.upstreamEventId !== gone.upstreamEventId),
    );
    const closedEvent = third.find((u) => u.kind === 'event' && u.upstreamEventId === gone.upstreamEventId);
    assert.equal(closedEvent?.kind === 'event' ? closedEvent.event.status : null, 'CLOSED');
    const closedMarket = third.find((u) => u.kind === 'market' && u.upstreamEventId === gone.upstreamEventId);
    assert.equal(closedMarket?.kind === 'market' ? closedMarket.market.status : null, 'CLOSED');
  });

  test('fancy lines gone from the page close, unless the scrape was partial', () => {
    const s = scrapes.find((f) => f.markets.some((m) => m.kind === 'Fancy')) as ScrapeFrame;
    const store = storage.find((f) => f.data['eventsList']?.includes(s.gmid)) as StorageFrame;
    const diff = new SnapshotDiff('imatchodds');
    const norm = normalizeStorage(profile, 'imatchodds', store.data);
    diff.storage(norm.events, norm.markets);
    const ctx = { inPlay: true, startTime: null };
    const all = normalizeScrape('imatchodds', { gmid: s.gmid, at: s.t, markets: s.markets }, ctx);
    assert.equal(diff.page(s.gmid, all).length, all.length);
    const withoutFancy = all.filter((u) => u.market.type !== 'FANCY');
    assert.deepEqual(diff.page(s.gmid, withoutFancy, false), [], 'partial scrape closes nothing');
    const closed = diff.page(s.gmid, withoutFancy, true);
    assert.equal(closed.length, 5);
    assert.ok(closed.every((u) => u.kind === 'market' && u.market.status === 'CLOSED'));
  });
});
