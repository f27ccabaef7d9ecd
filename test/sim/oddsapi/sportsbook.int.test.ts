/**
 * The simulated sportsbook over real HTTP: line → place with a uniqueRequestId (idempotent), limits,
 * LINE_CHANGED when the price moved (accepted when better and acceptBetterLine), faults (a rejection; a
 * timeout whose bet is found by its request id), settlement after the event, credentials.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../../src/core/clock.js';
import { OddsApiSimulator } from '../../../src/sim/oddsapi/server.js';

const clock = new ManualClock(Date.parse('2026-11-22T12:00:00.000Z'));
const sim = new OddsApiSimulator({
  schedule: { seed: 20261122, speed: 1, events: 40 },
  apiKey: 'k',
  now: clock.now,
  sportsbook: { username: 'u', password: 'p', balance: 1000, maxRisk: 200 },
});
let url = '';
const auth = { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` };

async function get(path: string, headers: Record<string, string> = auth) {
  const res = await fetch(`${url}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
async function place(body: Record<string, unknown>, signal?: AbortSignal) {
  const res = await fetch(`${url}/v2/bets/place`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Fixture {
  id: number;
  starts: string;
}

/** A soccer event starting more than two hours from now. */
async function upcoming(): Promise<Fixture> {
  const fx = (await get('/v1/fixtures?sportId=29')).body as { league: { events: Fixture[] }[] };
  const ev = fx.league
    .flatMap((l) => l.events)
    .find((e) => Date.parse(e.starts) > clock.now() + 2 * 3600_000);
  assert.ok(ev, 'an upcoming soccer event');
  return ev;
}

async function line(eventId: number, team = 'TEAM1') {
  const r = await get(
    `/v2/line?sportId=29&eventId=${eventId}&periodNumber=0&betType=MONEYLINE&team=${team}&oddsFormat=Decimal`,
  );
  assert.equal(r.status, 200);
  return r.body as {
    status: string;
    price: number;
    lineId: number;
    maxRiskStake: number;
    minRiskStake: number;
  };
}

const bet = (eventId: number, lineId: number, extra: Record<string, unknown> = {}) => ({
  uniqueRequestId: randomUUID(),
  acceptBetterLine: true,
  oddsFormat: 'DECIMAL',
  stake: 10,
  winRiskStake: 'RISK',
  lineId,
  sportId: 29,
  eventId,
  periodNumber: 0,
  betType: 'MONEYLINE',
  team: 'TEAM1',
  ...extra,
});

describe('simulated sportsbook betting API', () => {
  before(async () => {
    url = await sim.start();
  });
  after(async () => sim.stop());

  test('credentials are required; bad input is 400 with a code', async () => {
    assert.equal((await get('/v1/client/balance', {})).status, 401);
    const wrong = { authorization: `Basic ${Buffer.from('u:x').toString('base64')}` };
    assert.equal((await get('/v1/client/balance', wrong)).status, 401);
    const bad = await place({ uniqueRequestId: 'x', stake: -1 });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'INVALID_REQUEST_DATA');
    assert.equal((await get('/v3/bets')).status, 400, 'a bets query needs a filter');
  });

  test('line then place: accepted at the line price; the same uniqueRequestId never places twice', async () => {
    const ev = await upcoming();
    const l = await line(ev.id);
    assert.equal(l.status, 'SUCCESS');
    assert.equal(l.maxRiskStake, 200);
    const body = bet(ev.id, l.lineId);
    const first = await place(body);
    assert.equal(first.body.status, 'ACCEPTED');
    const sb = first.body.straightBet as { betId: number; price: number; risk: number; betStatus: string };
    assert.deepEqual([sb.price, sb.risk, sb.betStatus], [l.price, 10, 'ACCEPTED']);
    const [again, third] = await Promise.all([place(body), place(body)]);
    assert.deepEqual(again.body, first.body);
    assert.deepEqual(third.body, first.body);
    const listed = await get(`/v3/bets?uniqueRequestIds=${body.uniqueRequestId}`);
    assert.equal((listed.body.straightBets as unknown[]).length, 1);
    assert.equal((await get('/v1/client/balance')).body.availableBalance, 990);
  });

  test('limits: below the minimum and above the maximum risk are refused; FILLMAXLIMIT fills the maximum', async () => {
    const ev = await upcoming();
    const l = await line(ev.id, 'TEAM2');
    const low = await place(bet(ev.id, l.lineId, { team: 'TEAM2', stake: 0.5 }));
    assert.deepEqual([low.body.status, low.body.errorCode], ['PROCESSED_WITH_ERROR', 'BELOW_MIN_BET_AMOUNT']);
    const high = await place(bet(ev.id, l.lineId, { team: 'TEAM2', stake: 201 }));
    assert.equal(high.body.errorCode, 'ABOVE_MAX_BET_AMOUNT');
    const filled = await place(bet(ev.id, l.lineId, { team: 'TEAM2', stake: 500, fillType: 'FILLMAXLIMIT' }));
    assert.equal((filled.body.straightBet as { risk: number }).risk, 200);
  });

  test('a price that moved after the line: worse is LINE_CHANGED; better is taken only with acceptBetterLine', async () => {
    const ev = await upcoming();
    let worse: { lineId: number } | null = null;
    let better: { lineId: number } | null = null;
    for (let i = 0; i < 120 && (!worse || !better); i++) {
      const before = await line(ev.id, 'DRAW');
      clock.advance(60_000); // the bookmaker requotes every minute
      const now = await line(ev.id, 'DRAW');
      if (now.price < before.price && !worse) worse = before;
      if (now.price > before.price && !better) better = before;
    }
    assert.ok(worse && better, 'the price moved both ways within two hours');
    const refused = await place(bet(ev.id, worse.lineId, { team: 'DRAW' }));
    assert.equal(refused.body.errorCode, 'LINE_CHANGED');
    const strict = await place(bet(ev.id, better.lineId, { team: 'DRAW', acceptBetterLine: false }));
    assert.equal(strict.body.errorCode, 'LINE_CHANGED');
    const taken = await place(bet(ev.id, better.lineId, { team: 'DRAW' }));
    assert.equal(taken.body.status, 'ACCEPTED');
  });

  test('faults: a rejection, and a timeout whose bet exists and is found by its uniqueRequestId', async () => {
    const ev = await upcoming();
    const admin = (b: unknown) =>
      fetch(`${url}/admin/mode`, { method: 'POST', body: JSON.stringify(b) }).then((r) => r.json());
    await admin({ betFault: { kind: 'reject', code: 'BLOCKED_BETTING' } });
    const l = await line(ev.id);
    const rejected = await place(bet(ev.id, l.lineId));
    assert.equal(rejected.body.errorCode, 'BLOCKED_BETTING');
    await admin({ betFault: { kind: 'timeout' } });
    const body = bet(ev.id, l.lineId);
    await assert.rejects(place(body, AbortSignal.timeout(300)), /abort|timeout/i);
    const found = await get(`/v3/bets?uniqueRequestIds=${body.uniqueRequestId}`);
    const bets = found.body.straightBets as { betStatus: string; uniqueRequestId: string }[];
    assert.equal(bets.length, 1, 'the timed-out placement was placed');
    assert.equal(bets[0]!.betStatus, 'ACCEPTED');
    const retry = await place(body);
    assert.equal(retry.body.status, 'ACCEPTED', 'a retry with the same id answers the placed bet');
  });

  test('accepted bets settle after the event: WON pays risk × (price − 1), LOSE loses the risk', async () => {
    const ev = await upcoming();
    const ids: string[] = [];
    for (const team of ['TEAM1', 'TEAM2', 'DRAW']) {
      const l = await line(ev.id, team);
      const body = bet(ev.id, l.lineId, { team, stake: 5 });
      ids.push(body.uniqueRequestId);
      assert.equal((await place(body)).body.status, 'ACCEPTED');
    }
    clock.set(Date.parse(ev.starts) + 6 * 3600_000);
    const from = new Date(clock.now() - 24 * 3600_000).toISOString();
    const to = new Date(clock.now()).toISOString();
    const settled = await get(`/v3/bets?betlist=SETTLED&fromDate=${from}&toDate=${to}`);
    const mine = (
      settled.body.straightBets as {
        uniqueRequestId: string;
        betStatus: string;
        winLoss: number;
        risk: number;
        price: number;
      }[]
    ).filter((b) => ids.includes(b.uniqueRequestId));
    assert.equal(mine.length, 3);
    assert.equal(mine.filter((b) => b.betStatus === 'WON').length, 1, 'one outcome won');
    for (const b of mine) {
      if (b.betStatus === 'WON') assert.equal(b.winLoss, Math.round(b.risk * (b.price - 1) * 100) / 100);
      else assert.deepEqual([b.betStatus, b.winLoss], ['LOSE', -b.risk]);
    }
  });
});
