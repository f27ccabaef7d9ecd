import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { OddsApiSimulator } from '../../../src/sim/oddsapi/server.js';
import { ManualClock } from '../../../src/core/clock.js';
import { OddsApiSource, type OddsApiSourceOptions } from '../../../src/sources/oddsapi/source.js';

const silent = pino({ level: 'silent' });
const clock = new ManualClock(Date.parse('2026-11-22T12:00:00Z'));
const sim = new OddsApiSimulator({
  schedule: { seed: 20261122, speed: 1, events: 40 },
  apiKey: 'right-key',
  now: clock.now,
});
let url = '';

function make(extra: Partial<OddsApiSourceOptions> = {}): OddsApiSource {
  return new OddsApiSource({
    baseUrl: url,
    apiKey: 'right-key',
    monthlyQuota: 10_000,
    quotaResetDay: 1,
    regions: ['uk'],
    markets: ['h2h'],
    sports: ['soccer_epl'],
    maxSports: 8,
    minIntervalMs: 1000,
    inPlayWeight: 4,
    scoresDaysFrom: 0,
    timeoutMs: 5000,
    logger: silent,
    clock: clock.now,
    autoSchedule: false,
    ...extra,
  });
}

async function steps(source: OddsApiSource, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await source.step());
    clock.advance(2000);
  }
  return out;
}

describe('odds API source status', () => {
  before(async () => {
    url = await sim.start();
  });
  after(async () => {
    await sim.stop();
  });

  test('a refused key (401) disconnects with a message naming ODDS_API_KEY and stops asking', async () => {
    const source = make({ apiKey: 'wrong-key' });
    await source.start(() => undefined);
    const done = await steps(source, 3);
    const st = source.status();
    assert.equal(st.state, 'disconnected');
    assert.equal(st.connected, false);
    assert.match(st.lastError ?? '', /API key refused \(401 INVALID_KEY.*ODDS_API_KEY/);
    assert.equal(st.details.errorCode, 'UNAUTHORIZED');
    assert.deepEqual(done, ['failed', 'blocked', 'blocked']);
    assert.ok(!JSON.stringify(st).includes('wrong-key'), 'the key never shows in the status');
    await source.stop();
  });

  test('an invalid request (422) leaves that sport out and says why', async () => {
    const source = make({ markets: ['h2h', 'corners'] });
    await source.start(() => undefined);
    assert.deepEqual(await steps(source, 3), ['sports', 'failed', 'idle']);
    const st = source.status();
    assert.equal(st.state, 'degraded');
    assert.match(st.lastError ?? '', /invalid request \(422 INVALID_MARKET/);
    const sports = st.details.sports as { key: string; disabled: string | null }[];
    assert.match(sports.find((s) => s.key === 'soccer_epl')?.disabled ?? '', /422/);
    await source.stop();
  });

  test('rate limiting (429) backs off, shows as degraded, and the source recovers when it lifts', async () => {
    const source = make();
    const got: unknown[] = [];
    await source.start((u) => got.push(...u));
    sim.setRateLimited(Infinity);
    assert.deepEqual(await steps(source, 2), ['sports', 'failed']);
    let st = source.status();
    assert.equal(st.state, 'degraded');
    assert.equal(st.details.errorCode, 'RATE_LIMITED');
    assert.match(st.lastError ?? '', /rate limited \(429 EXCEEDED_FREQ_LIMIT/);
    assert.ok(st.details.blockedUntil !== null);
    assert.equal(await source.step(), 'blocked');
    sim.setRateLimited(0);
    clock.advance(10_000);
    assert.equal(await source.step(), 'odds');
    st = source.status();
    assert.equal(st.state, 'connected');
    assert.ok(got.length > 0);
    await source.stop();
  });

  test('a spent quota stops polling until the period renews', async () => {
    const source = make();
    await source.start(() => undefined);
    const limit = sim.quotaLimit;
    assert.deepEqual(await steps(source, 1), ['sports']);
    sim.quotaLimit = sim.quotaUsed;
    assert.deepEqual(await steps(source, 2), ['failed', 'blocked']);
    let st = source.status();
    assert.equal(st.details.errorCode, 'QUOTA_EXHAUSTED');
    assert.match(st.lastError ?? '', /usage quota spent \(401 OUT_OF_USAGE_CREDITS/);
    assert.equal(st.details.blockedUntil, '2026-12-01T00:00:00.000Z');
    await source.stop();

    // a fresh source learns from the headers that nothing is left and does not even try
    const next = make();
    await next.start(() => undefined);
    assert.deepEqual(await steps(next, 2), ['sports', 'idle']);
    st = next.status();
    assert.equal(st.details.errorCode, 'QUOTA_RESERVE');
    assert.equal((st.details.quota as { exhausted: boolean }).exhausted, true);
    sim.quotaLimit = limit;
    await next.stop();
  });
});
