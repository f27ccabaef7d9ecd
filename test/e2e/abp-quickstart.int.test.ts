import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { freePort, spawnOddsgate, waitFor, type Spawned } from '../helpers/process.js';
import { JsonWsClient, type WsDataMsg as DataMsg } from '../helpers/ws-client.js';
import pg from 'pg';
import { PG_ADMIN_URL } from '../records/helpers.js';

// Seed 002's ABP quickstart run against the real server process, with a client written only from the
// document (plain fetch and ws): accounts → betslip → place-orders → orders → bets → positions → pnl, and
// the WebSocket (login, login_ok, data messages with seq, acknowledgments). Then the emergency switch:
// orders declined with the reason, the flip pushed on `emergency`.

const ADMIN = 'e2e-admin-password-123';
const SECRETS_KEY = 'e2e-secrets-key-0123456789abcdef-xyz';
const REDELIVER_MS = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A small ABP client per the document: X-API-Key on every request, JSON in and out. */
function abpClient(base: string, key: string) {
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/abp${path}`, {
      method,
      headers: {
        'X-API-Key': key,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  return {
    get: <T = Record<string, unknown>>(path: string) => call<T>('GET', path),
    post: <T = Record<string, unknown>>(path: string, body: unknown) => call<T>('POST', path, body),
  };
}

async function adminPost(base: string, path: string, body: unknown, password = ADMIN) {
  const res = await fetch(`${base}/api/v1/admin${path}`, {
    method: 'POST',
    headers: { 'x-admin-password': password, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { success: boolean; data: Record<string, unknown> },
  };
}

interface Fixture {
  fixtureId: string;
  outcomes: { outcomeId: number; playerId: number; price: number | null }[];
}
interface Betslip {
  fixtureId: string;
  outcomeId: number;
  playerId: number;
  client: string;
  fixtureInfo: { sport: { sportId: number; sportName: string }; participants: Record<string, string> };
  outcomeInfo: { marketName: string; outcomeName: string };
  odds: Record<string, Record<string, BetslipOdds>>;
}
interface PlaceResponse {
  status: string;
  acceptedOrders: Record<string, unknown>[];
  declinedOrders: { requestUuid: string; fixtureId: string; outcomeId: number; declineReason: string }[];
}
interface BetList {
  status: string;
  bets: Record<string, unknown>[];
  count: number;
  hasMore: boolean;
  nextCursor: unknown;
}
interface Positions {
  status: string;
  groupBy: string;
  positions: { bookmaker: string; openBets: number; totalStake: number; avgPrice: number }[];
  count: number;
  totalStake: number;
  totalOpenBets: number;
}
interface BetslipOdds {
  price: number | null;
  limit: number;
  limitMin: number;
  limitCurrency: string;
  active: boolean;
  account: string | null;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<{ p: Spawned; base: string }> {
  const port = await freePort();
  const p = spawnOddsgate(['start'], {
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DIAMOND_ADMIN_PASSWORD: ADMIN,
    SECRETS_KEY,
    ABP_WS_ACK_REDELIVER_MS: String(REDELIVER_MS),
    ...env,
  });
  const base = `http://127.0.0.1:${port}`;
  // Start-up (compiling the sources, creating the records database) takes long on a loaded machine.
  await waitFor(
    async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined),
    180_000,
    `the server to be ready (output: ${p.output().slice(-2000)})`,
  );
  return { p, base };
}

/** The quickstart, start to end, against a running server at `base`. */
async function quickstart(base: string): Promise<void> {
  // An operator creates a key (README: the admin route with the admin credential).
  assert.equal((await adminPost(base, '/abp/keys', { clientName: 'qs-desk' }, 'wrong-password')).status, 403);
  const created = await adminPost(base, '/abp/keys', { clientName: 'qs-desk', rateLimit: 600 });
  assert.equal(created.status, 201);
  const key = created.body.data.apiKey as string;
  assert.match(key, UUID, 'API keys are UUIDs');
  const abp = abpClient(base, key);

  // Authentication errors as documented.
  const missing = await fetch(`${base}/abp/accounts`);
  assert.equal(missing.status, 401);
  assert.deepEqual(await missing.json(), {
    detail: { message: 'Missing X-API-Key header', code: 'UNAUTHORIZED' },
  });
  const wrong = await abpClient(base, randomUUID()).get('/accounts');
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.body, { detail: { message: 'Invalid API key', code: 'UNAUTHORIZED' } });

  // WebSocket: connect, login within 30 s with reliable delivery, login_ok as documented.
  const ws = await JsonWsClient.open(`${base.replace('http', 'ws')}/abp/ws`, { autoReply: true });
  // Every data message is acknowledged on receipt except the first, which must then come again.
  ws.hold = (m) => m.seq === 1;
  ws.send({ type: 'login', apiKey: key, channels: [], reliableDelivery: true });
  const ok = await ws.until((ms) => ms.find((m) => m.type === 'login_ok'), 'login_ok');
  assert.equal(ok.clientName, 'qs-desk');
  assert.equal(typeof ok.subscriptionId, 'number');
  assert.equal(ok.reliableDelivery, true);
  assert.deepEqual(ok.access, {
    clientFiltered: ['orders', 'bets', 'settlements', 'accounts', 'balance', 'betslip'],
    global: ['fixtures', 'currencies', 'status', 'emergency'],
  });
  assert.deepEqual(ok.features, { messageOrdering: true, acknowledgments: true, batchAck: true });
  for (const c of ['orders', 'bets', 'settlements', 'emergency'])
    assert.ok((ok.channels as string[]).includes(c), `empty channels subscribes to all (${c})`);

  // Step 1: accounts. None yet; a paper account (any username and password).
  const none = await abp.get<unknown[]>('/accounts');
  assert.equal(none.status, 200);
  assert.deepEqual(none.body, []);
  const acc = await abp.post('/accounts', {
    bookmaker: 'paper',
    username: 'qs_paper',
    password: 'anything-at-all',
    balance: 1000,
    priority: 10,
  });
  assert.equal(acc.status, 201, JSON.stringify(acc.body));
  const accounts = await abp.get<Record<string, unknown>[]>('/accounts');
  assert.equal(accounts.status, 200);
  assert.equal(accounts.body.length, 1);
  const account = accounts.body[0]!;
  for (const f of ['bookmaker', 'username', 'client', 'password', 'balance', 'active', 'priority'])
    assert.ok(f in account, `account has ${f}`);
  for (const f of ['maxStake', 'minStake', 'currencyId', 'verifyBetslip', 'meta', 'createdAt', 'updatedAt'])
    assert.ok(f in account, `account has ${f}`);
  assert.equal(account.bookmaker, 'paper');
  assert.equal(account.username, 'qs_paper');
  assert.equal(account.client, 'qs-desk');
  assert.equal(account.password, '***', 'credentials are always masked');
  assert.equal(account.balance, 1000);

  // Steps 2 and 3: a betslip for a live fixture, then an order at the betslip's price. Live prices move
  // between the two calls; a client whose price went away is declined ("Invalid odds") and asks again.
  let placed: Record<string, unknown> | undefined;
  let quoted = 0;
  let fixtureId = '';
  let outcomeId = 0;
  const declines: string[] = [];
  for (let attempt = 0; attempt < 8 && !placed; attempt++) {
    const fx = await waitFor(
      async () => {
        const r = await abp.get<{ fixtures: Fixture[] }>('/fixtures?live=true&limit=50');
        assert.equal(r.status, 200);
        const list = r.body.fixtures;
        return list.find((f) => f.outcomes.some((o) => o.price !== null && o.price > 1.05 && o.price < 20));
      },
      30_000,
      'a live fixture with prices',
    );
    fixtureId = fx.fixtureId;
    const outcome = fx.outcomes.find((o) => o.price !== null && o.price > 1.05 && o.price < 20)!;
    outcomeId = outcome.outcomeId;
    const slip = await abp.get<Betslip>(`/betslip?fixtureId=${fixtureId}&outcomeId=${outcomeId}&playerId=0`);
    assert.equal(slip.status, 200, JSON.stringify(slip.body));
    const b = slip.body;
    assert.equal(b.fixtureId, fixtureId);
    assert.equal(b.outcomeId, outcomeId);
    assert.equal(b.playerId, 0);
    assert.equal(b.client, 'qs-desk');
    assert.equal(typeof b.fixtureInfo.sport.sportName, 'string');
    assert.equal(typeof b.fixtureInfo.participants.participant1Name, 'string');
    assert.equal(b.outcomeInfo.marketName, 'Full Time Result');
    const paper = b.odds.paper?.[`${fixtureId}:paper:${outcomeId}:0`];
    assert.ok(paper, `the paper bookmaker in the betslip, keyed fixtureId:bookmaker:outcomeId:playerId`);
    for (const [bookmaker, entries] of Object.entries(b.odds))
      for (const k of Object.keys(entries)) assert.equal(k, `${fixtureId}:${bookmaker}:${outcomeId}:0`);
    assert.equal(paper.account, 'qs_paper', 'the betslip names the account it would use');
    assert.equal(paper.limitCurrency, 'USD');
    if (!paper.active || paper.price === null) continue;
    quoted = paper.price;
    const requestUuid = randomUUID();
    const res = await abp.post<PlaceResponse>('/place-orders', {
      orders: [
        {
          requestUuid,
          fixtureId,
          outcomeId,
          playerId: 0,
          orderStake: 10.0,
          orderPrice: quoted,
          userRef: 'my-strategy-1',
          testOrder: false,
        },
      ],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const body = res.body;
    if (body.status === 'declined') {
      const d = body.declinedOrders[0]!;
      assert.equal(d.requestUuid, requestUuid);
      assert.match(d.declineReason, /^Invalid odds/, 'only a moved price may decline this order');
      declines.push(d.declineReason);
      continue;
    }
    assert.equal(body.status, 'accepted');
    assert.deepEqual(body.declinedOrders, []);
    placed = body.acceptedOrders[0];
  }
  assert.ok(placed, `an order filled within 8 betslips (declines: ${declines.join('; ')})`);
  const orderId = placed.orderId as number;
  assert.equal(typeof orderId, 'number');
  assert.equal(placed.orderStatus, 'FILLED');
  assert.equal(placed.fixtureId, fixtureId);
  assert.equal(placed.outcomeId, outcomeId);
  assert.equal(placed.orderStake, 10);
  assert.equal(placed.orderPrice, quoted);
  assert.equal(placed.filledStake, 10);
  const bets = placed.bets as {
    betId: number;
    bookmaker: string;
    placedPrice: number;
    placedStake: number;
    betStatus: string;
  }[];
  assert.equal(bets.length, 1);
  const bet = bets[0]!;
  assert.equal(bet.bookmaker, 'paper');
  assert.equal(bet.placedStake, 10);
  assert.equal(bet.betStatus, 'CONFIRMED');
  assert.ok(bet.placedPrice >= quoted, `filled at ${bet.placedPrice}: the betslip's ${quoted} or better`);

  // A second request with the same requestUuid is 409 and never a second bet.
  const requestUuid = (await abp.get<{ orders: { requestUuid: string }[] }>(`/orders?orderIds=${orderId}`))
    .body.orders[0]!.requestUuid;
  const dup = await abp.post('/place-orders', {
    orders: [
      {
        requestUuid,
        fixtureId,
        outcomeId,
        playerId: 0,
        orderStake: 10,
        orderPrice: quoted,
        userRef: 'my-strategy-1',
        testOrder: false,
      },
    ],
  });
  assert.equal(dup.status, 409);
  assert.deepEqual(dup.body, { detail: 'Duplicate request - requestUuid already in-flight' });

  // Step 4: track the order and its bets.
  const noFilter = await abp.get('/orders');
  assert.equal(noFilter.status, 422, 'at least one filter is required');
  const orders = await abp.get<{
    status: string;
    orders: Record<string, unknown>[];
    hasMore: boolean;
    nextCursor: unknown;
  }>('/orders?userRef=my-strategy-1');
  assert.equal(orders.status, 200);
  const ob = orders.body;
  assert.equal(ob.status, 'success');
  assert.equal(ob.hasMore, false);
  const order = ob.orders.find((o) => o.orderId === orderId);
  assert.ok(order, 'the order is listed by userRef');
  assert.equal(order.orderStatus, 'FILLED');
  assert.equal(order.clientName, 'qs-desk');
  assert.equal(order.remainingStake, 0);
  assert.equal(order.testOrder, false);
  assert.equal(order.acceptBetterOdds, true, 'default acceptBetterOdds');
  assert.equal(order.acceptPartialStake, true, 'default acceptPartialStake');
  assert.equal(order.back, true, 'default back');
  assert.equal(order.orderCurrency, 'USD', 'default orderCurrency');

  const betList = await abp.get<BetList>(`/bets?orderIds=${orderId}`);
  assert.equal(betList.status, 200);
  const bl = betList.body;
  assert.equal(bl.status, 'success');
  assert.equal(bl.count, 1);
  assert.equal(bl.hasMore, false);
  assert.equal(bl.nextCursor, null);
  const row = bl.bets[0]!;
  assert.equal(row.betId, bet.betId);
  assert.equal(row.orderId, orderId);
  assert.equal(row.bookmaker, 'paper');
  assert.equal(typeof row.bookmakerBetId, 'string');
  assert.equal(row.placedStake, 10);
  assert.equal(row.placedPrice, bet.placedPrice);
  assert.equal(row.placedCurrency, 'USD');
  assert.equal(row.betStatus, 'CONFIRMED');
  assert.equal(row.settlementStatus, 'UNSETTLED');
  assert.equal(row.account, 'qs_paper');
  assert.equal(row.userRef, 'my-strategy-1');
  const one = await abp.get(`/bets/${bet.betId}`);
  assert.equal(one.status, 200);

  // Step 5: positions and PnL.
  const positions = await abp.get<Positions>('/positions');
  assert.equal(positions.status, 200);
  const pb = positions.body;
  assert.equal(pb.status, 'success');
  assert.equal(pb.groupBy, 'bookmaker');
  assert.deepEqual(pb.positions, [
    { bookmaker: 'paper', openBets: 1, totalStake: 10, avgPrice: bet.placedPrice },
  ]);
  assert.equal(pb.count, 1);
  assert.equal(pb.totalStake, 10);
  assert.equal(pb.totalOpenBets, 1);
  const pnl = await abp.get('/pnl');
  assert.equal(pnl.status, 200);
  assert.deepEqual(pnl.body, {
    status: 'success',
    groupBy: 'bookmaker',
    pnl: [],
    count: 0,
    totalNetPnl: 0,
    totalStaked: 0,
    totalSettledBets: 0,
  });

  // WebSocket: the order's and the bet's data messages, each with requireAck and a per-subscription seq.
  const pushed = await ws.until((): DataMsg[] | undefined => {
    const d = ws.data();
    const o = d.find(
      (m) => m.channel === 'orders' && m.payload.orderId === orderId && m.payload.orderStatus === 'FILLED',
    );
    const b = d.find(
      (m) => m.channel === 'bets' && m.payload.betId === bet.betId && m.payload.betStatus === 'CONFIRMED',
    );
    return o && b ? [o, b] : undefined;
  }, 'the order and bet pushes');
  for (const m of pushed) {
    assert.ok(['INSERT', 'UPDATE'].includes(m.event), m.event);
    assert.equal(typeof m.ts, 'number');
    assert.equal(m.requireAck, true);
    assert.equal(m.payload.clientName, 'qs-desk');
  }
  // Reliable delivery: the held message comes again with the same seq until it is acknowledged.
  const first = await ws.until(() => {
    const copies = ws.data().filter((m) => m.seq === 1);
    return copies.length >= 2 ? copies : undefined;
  }, 'a redelivery of seq 1');
  assert.deepEqual(first[1], first[0], 'redelivered as it was');

  // Emergency mode (admin switch): pushed on `emergency`, and orders are declined with the reason.
  ws.hold = (m) => m.seq === 1 || m.channel === 'emergency';
  const on = await adminPost(base, '/emergency', { enabled: true, reason: 'Upstream provider maintenance' });
  assert.equal(on.status, 200, JSON.stringify(on.body));
  assert.equal(on.body.data.enabled, true);
  const state = (await (await fetch(`${base}/api/v1/admin/emergency`)).json()) as {
    data: { enabled: boolean; reason: string };
  };
  assert.deepEqual(
    { enabled: state.data.enabled, reason: state.data.reason },
    { enabled: true, reason: 'Upstream provider maintenance' },
  );
  const flip = await ws.until(
    () => ws.data().find((m) => m.channel === 'emergency' && m.payload.active === true),
    'the emergency push',
  );
  assert.equal(flip.event, 'STATUS');
  assert.equal(flip.payload.reason, 'Upstream provider maintenance');
  assert.equal(typeof flip.payload.ts, 'number');
  const paused = await abp.post<PlaceResponse>('/place-orders', {
    orders: [
      {
        requestUuid: randomUUID(),
        fixtureId,
        outcomeId,
        playerId: 0,
        orderStake: 10,
        orderPrice: 1.01,
        userRef: 'my-strategy-1',
        testOrder: false,
      },
    ],
  });
  assert.equal(paused.status, 200);
  assert.equal(paused.body.status, 'declined');
  assert.equal(
    paused.body.declinedOrders[0]?.declineReason,
    'Emergency mode: order processing is paused (Upstream provider maintenance)',
  );
  // Ack the first message (a single ack) and wait for the held emergency push to come again: that
  // redelivery round is later than the ack, so seq 1 would have been in it had the ack not counted.
  ws.send({ type: 'ack', seq: 1 });
  const ackedAt = ws.messages.length;
  await ws.until(
    (ms) =>
      ms.slice(ackedAt).filter((m) => m.type === 'data' && (m as DataMsg).seq === flip.seq).length >= 1
        ? true
        : undefined,
    'a redelivery of the emergency push',
  );
  ws.hold = () => false;
  ws.send({ type: 'ack', seq: [flip.seq] });

  // seq: per subscription, from 1, increasing, no gaps; only held messages were ever sent twice.
  const firstSeen = new Map<number, DataMsg>();
  const twice = new Set<number>();
  for (const m of ws.data()) {
    if (firstSeen.has(m.seq)) twice.add(m.seq);
    else firstSeen.set(m.seq, m);
  }
  const seqs = [...firstSeen.keys()];
  assert.deepEqual(
    seqs,
    seqs.map((_, i) => i + 1),
    'seq counts 1, 2, 3, … in order',
  );
  for (const seq of twice)
    assert.ok(seq === 1 || seq === flip.seq, `an acknowledged message (seq ${seq}) was sent again`);

  const offAgain = await adminPost(base, '/emergency', { enabled: false });
  assert.equal(offAgain.status, 200);
  assert.deepEqual(
    { enabled: offAgain.body.data.enabled, reason: offAgain.body.data.reason },
    { enabled: false, reason: null },
  );
  await ws.until(
    () => ws.data().find((m) => m.channel === 'emergency' && m.payload.active === false),
    'the end of emergency mode pushed',
  );
  ws.close();
}

describe('ABP quickstart against the running server (seed 002)', { timeout: 600_000 }, () => {
  const running: Spawned[] = [];
  after(async () => {
    await Promise.all(running.map((p) => p.stop(5000)));
  });

  test('embedded default: simulator upstream, PGlite records in DATA_DIR', async () => {
    const { p, base } = await startServer({});
    running.push(p);
    await quickstart(base);
    assert.equal(await p.stop(), 0, 'SIGTERM shuts down cleanly');
  });

  describe('on PostgreSQL (DATABASE_URL)', () => {
    // A fresh, empty database: the server migrates it at start.
    const name = `oddsgate_abp_e2e_${randomBytes(6).toString('hex')}`;
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    const admin = async (q: string) => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(q);
      } finally {
        await c.end();
      }
    };
    before(async () => admin(`create database ${name}`));
    after(async () => admin(`drop database if exists ${name} with (force)`));

    test('the same quickstart, with the records on PostgreSQL', async () => {
      const { p, base } = await startServer({ DATABASE_URL: url.toString() });
      running.push(p);
      await quickstart(base);
      assert.equal(await p.stop(), 0, 'SIGTERM shuts down cleanly');
    });
  });
});
