import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { OddsApiSimulator } from '../../../src/sim/oddsapi/server.js';
import { ManualClock } from '../../../src/core/clock.js';
import { OddsApiSource, type OddsApiSourceOptions } from '../../../src/sources/oddsapi/source.js';
import { QuotaPlan, periodEnd, periodStart } from '../../../src/sources/oddsapi/quota.js';
import { dueJobs, type ScheduleOptions, type SportState } from '../../../src/sources/oddsapi/schedule.js';
import type { SourceUpdate } from '../../../src/model/index.js';

const silent = pino({ level: 'silent' });
const HOUR = 3600_000;
const SCHEDULE = { seed: 20261122, speed: 1, events: 40 };

function sourceOptions(
  url: string,
  clock: ManualClock,
  extra: Partial<OddsApiSourceOptions> = {},
): OddsApiSourceOptions {
  return {
    baseUrl: url,
    apiKey: 'quota-key',
    monthlyQuota: 100,
    quotaResetDay: 1,
    regions: ['uk'],
    markets: ['h2h'],
    sports: [],
    maxSports: 16,
    minIntervalMs: 60_000,
    inPlayWeight: 4,
    scoresDaysFrom: 1,
    timeoutMs: 5000,
    logger: silent,
    clock: clock.now,
    autoSchedule: false,
    ...extra,
  };
}

describe('odds API quota plan', () => {
  test('quota periods run from the reset day to the same day next month (UTC)', () => {
    const t = Date.parse('2026-11-28T10:00:00Z');
    assert.equal(new Date(periodStart(t, 1)).toISOString(), '2026-11-01T00:00:00.000Z');
    assert.equal(new Date(periodEnd(t, 1)).toISOString(), '2026-12-01T00:00:00.000Z');
    assert.equal(new Date(periodStart(t, 28)).toISOString(), '2026-11-28T00:00:00.000Z');
    assert.equal(
      new Date(periodEnd(Date.parse('2026-11-27T10:00:00Z'), 28)).toISOString(),
      '2026-11-28T00:00:00.000Z',
    );
  });

  test('spends what is left evenly over the rest of the period and never the reserve', () => {
    const start = Date.parse('2026-11-28T00:00:00Z');
    const plan = new QuotaPlan({ monthlyQuota: 100, resetDay: 1 }, start);
    plan.spend(0, { remaining: 10, used: 90, last: 0 }, start);
    let spent = 0;
    for (let t = start; t < start + 72 * HOUR; t += 60_000) {
      if (plan.canSpend(1, t)) {
        spent++;
        plan.spend(1, { remaining: 10 - spent, used: 90 + spent, last: 1 }, t);
      }
    }
    assert.equal(plan.reserve, 2);
    assert.ok(spent >= 7 && spent <= 8, `spent ${spent} of the 8 above the reserve`);
    assert.equal(plan.snapshot(start + 72 * HOUR - 1).remaining, 10 - spent);
  });

  test('sports with games in play are polled about inPlayWeight times as often as sports with games to come', () => {
    const opts: ScheduleOptions = {
      oddsCost: 1,
      scoresCost: 0,
      inPlayWeight: 4,
      minIntervalMs: 60_000,
      maxGameMs: 6 * HOUR,
    };
    const t0 = Date.parse('2026-11-22T12:00:00Z');
    const sport = (key: string, commenceAt: number): SportState => ({
      key,
      title: key,
      sportId: 1,
      lastOddsAt: t0,
      lastScoresAt: null,
      games: new Map([['g', { commenceAt, completed: false }]]),
      disabled: null,
    });
    const live = sport('live', t0 - HOUR);
    const later = sport('later', t0 + 5 * HOUR);
    const counts = { live: 0, later: 0 };
    // one request every 5 minutes, as a tight quota would allow
    for (let t = t0 + 5 * 60_000; t < t0 + 4 * HOUR; t += 5 * 60_000) {
      const job = dueJobs([live, later], t, opts)[0];
      assert.ok(job);
      job.sport.lastOddsAt = t;
      counts[job.sport.key as 'live' | 'later']++;
    }
    const ratio = counts.live / counts.later;
    assert.ok(ratio >= 3 && ratio <= 5, `live ${counts.live} vs later ${counts.later}`);
  });

  test('over two simulated days the source stays inside a quota of 100 and reports what remains', async () => {
    const clock = new ManualClock(Date.parse('2026-11-28T00:00:00Z'));
    const sim = new OddsApiSimulator({
      schedule: SCHEDULE,
      apiKey: 'quota-key',
      now: clock.now,
      quotaLimit: 100,
      quotaUsed: 90,
    });
    const url = await sim.start();
    const source = new OddsApiSource(sourceOptions(url, clock));
    const updates: SourceUpdate[] = [];
    await source.start((u) => updates.push(...u));
    try {
      let minRemaining = Infinity;
      for (let t = 0; t < 48 * HOUR; t += 30_000) {
        await source.step();
        minRemaining = Math.min(minRemaining, sim.quotaLimit - sim.quotaUsed);
        clock.advance(30_000);
      }
      const spent = sim.quotaUsed - 90;
      assert.ok(spent >= 4, `spent ${spent}`);
      assert.ok(spent <= 8, `spent ${spent}: more than the 8 credits above the reserve`);
      assert.ok(minRemaining >= 2, 'the reserve was never touched');
      const quota = source.status().details.quota as {
        remaining: number;
        apiRemaining: number;
        used: number;
        monthlyQuota: number;
      };
      assert.equal(quota.monthlyQuota, 100);
      assert.equal(quota.used, sim.quotaUsed);
      assert.equal(quota.remaining, 100 - sim.quotaUsed);
      assert.equal(quota.apiRemaining, 100 - sim.quotaUsed);
      assert.ok(
        updates.some((u) => u.kind === 'market'),
        'odds were delivered',
      );
    } finally {
      await source.stop();
      await sim.stop();
    }
  });
});
