/**
 * Conformance with what real Betfair clients send and expect: the exact requests betfairlightweight writes
 * (fixtures under test/sim/fixtures/betfairlightweight) are accepted by the simulator, and its answers carry
 * every field the Exchange Stream API and API-NG documentation give. The schemas below are written from
 * that documentation, independently of the simulator's own types; where betfairlightweight builds an object
 * with a fixed constructor (MarketDescription, Event, RunnerBook, ...) the schema is strict, because an
 * undocumented extra field fails that client just as a missing one does.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { ManualClock } from '../../../src/core/clock.js';
import { ExchangeSimulator } from '../../../src/sim/exchange.js';
import { startBetfairSimulation, type BetfairSimulation } from '../../../src/sim/esa/index.js';
import { sortedPairs } from '../../../src/sim/esa/book-state.js';
import { decodeClk } from '../../../src/sim/esa/market-feed.js';
import { rawClient, type Msg } from './raw-client.js';

const FIXTURES = new URL('../fixtures/betfairlightweight/', import.meta.url);

/** A fixture with its `${name}` placeholders filled in (only whole-string placeholders in JSON). */
async function fixture(name: string, vars: Record<string, string> = {}): Promise<string> {
  const text = await readFile(new URL(name, FIXTURES), 'utf8');
  return text.replace(/\$\{(\w+)\}/g, (_, k: string) => {
    const v = vars[k];
    if (v === undefined) throw new Error(`fixture ${name}: no value for ${k}`);
    return v;
  });
}

// ---- Exchange Stream API (from the stream API documentation) ----
const PriceVol = z.tuple([z.number(), z.number()]);
const LevelPriceVol = z.tuple([z.number().int().min(0), z.number(), z.number()]);
const RunnerDefinition = z.object({
  id: z.number().int(),
  sortPriority: z.number().int(),
  status: z.enum(['ACTIVE', 'WINNER', 'LOSER', 'REMOVED', 'REMOVED_VACANT', 'HIDDEN', 'PLACED']),
  hc: z.number().optional(),
  adjustmentFactor: z.number().optional(),
  bsp: z.number().optional(),
  removalDate: z.string().optional(),
});
const MarketDefinition = z.object({
  bspMarket: z.boolean(),
  turnInPlayEnabled: z.boolean(),
  persistenceEnabled: z.boolean(),
  marketBaseRate: z.number(),
  eventId: z.string(),
  eventTypeId: z.string(),
  numberOfWinners: z.number().int(),
  bettingType: z.enum(['ODDS', 'LINE', 'RANGE', 'ASIAN_HANDICAP_DOUBLE_LINE', 'ASIAN_HANDICAP_SINGLE_LINE']),
  marketType: z.string(),
  marketTime: z.string().datetime(),
  suspendTime: z.string().datetime(),
  bspReconciled: z.boolean(),
  complete: z.boolean(),
  inPlay: z.boolean(),
  crossMatching: z.boolean(),
  runnersVoidable: z.boolean(),
  numberOfActiveRunners: z.number().int(),
  betDelay: z.number().int(),
  status: z.enum(['INACTIVE', 'OPEN', 'SUSPENDED', 'CLOSED']),
  runners: z.array(RunnerDefinition),
  regulators: z.array(z.string()),
  discountAllowed: z.boolean(),
  timezone: z.string(),
  openDate: z.string().datetime(),
  version: z.number().int(),
  priceLadderDefinition: z.object({ type: z.enum(['CLASSIC', 'FINEST', 'LINE_RANGE']) }),
  countryCode: z.string().optional(),
  venue: z.string().optional(),
  settledTime: z.string().optional(),
});
const RunnerChange = z.object({
  id: z.number().int(),
  hc: z.number().optional(),
  atb: z.array(PriceVol).optional(),
  atl: z.array(PriceVol).optional(),
  batb: z.array(LevelPriceVol).optional(),
  batl: z.array(LevelPriceVol).optional(),
  bdatb: z.array(LevelPriceVol).optional(),
  bdatl: z.array(LevelPriceVol).optional(),
  trd: z.array(PriceVol).optional(),
  spb: z.array(PriceVol).optional(),
  spl: z.array(PriceVol).optional(),
  spn: z.number().optional(),
  spf: z.number().optional(),
  ltp: z.number().optional(),
  tv: z.number().optional(),
});
const MarketChange = z.object({
  id: z.string(),
  img: z.boolean().optional(),
  con: z.boolean().optional(),
  tv: z.number().optional(),
  marketDefinition: MarketDefinition.optional(),
  rc: z.array(RunnerChange).optional(),
});
const MarketChangeMessage = z.object({
  op: z.literal('mcm'),
  id: z.number().int(),
  ct: z.enum(['SUB_IMAGE', 'RESUB_DELTA', 'HEARTBEAT']).optional(),
  clk: z.string().optional(),
  initialClk: z.string().optional(),
  pt: z.number().int(),
  conflateMs: z.number().int().optional(),
  heartbeatMs: z.number().int().optional(),
  segmentType: z.enum(['SEG_START', 'SEG', 'SEG_END']).optional(),
  status: z.number().int().optional(),
  mc: z.array(MarketChange).optional(),
});
const OrderChangeMessage = z.object({
  op: z.literal('ocm'),
  id: z.number().int(),
  ct: z.enum(['SUB_IMAGE', 'RESUB_DELTA', 'HEARTBEAT']).optional(),
  clk: z.string(),
  initialClk: z.string().optional(),
  pt: z.number().int(),
  conflateMs: z.number().int().optional(),
  heartbeatMs: z.number().int().optional(),
  oc: z.array(z.object({ id: z.string() }).passthrough()).optional(),
});
const StatusMessage = z.object({
  op: z.literal('status'),
  id: z.number().int().optional(),
  statusCode: z.enum(['SUCCESS', 'FAILURE']),
  connectionClosed: z.boolean(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  connectionId: z.string().optional(),
  connectionsAvailable: z.number().int().optional(),
});

// ---- API-NG betting types (from the API-NG type definitions) ----
const IsoDate = z.string().datetime();
const MarketDescription = z
  .object({
    persistenceEnabled: z.boolean(),
    bspMarket: z.boolean(),
    marketTime: IsoDate,
    suspendTime: IsoDate,
    settleTime: IsoDate.optional(),
    bettingType: z.enum([
      'ODDS',
      'LINE',
      'RANGE',
      'ASIAN_HANDICAP_DOUBLE_LINE',
      'ASIAN_HANDICAP_SINGLE_LINE',
    ]),
    turnInPlayEnabled: z.boolean(),
    marketType: z.string(),
    regulator: z.string(),
    marketBaseRate: z.number(),
    discountAllowed: z.boolean(),
    wallet: z.string().optional(),
    rules: z.string().optional(),
    rulesHasDate: z.boolean().optional(),
    eachWayDivisor: z.number().optional(),
    clarifications: z.string().optional(),
    lineRangeInfo: z.object({}).passthrough().optional(),
    raceType: z.string().optional(),
    priceLadderDescription: z
      .object({ type: z.enum(['CLASSIC', 'FINEST', 'LINE_RANGE']) })
      .strict()
      .optional(),
  })
  .strict();
const EventType = z.object({ id: z.string(), name: z.string() }).strict();
const Competition = z.object({ id: z.string(), name: z.string() }).strict();
const Event = z
  .object({
    id: z.string(),
    name: z.string(),
    countryCode: z.string().optional(),
    timezone: z.string(),
    venue: z.string().optional(),
    openDate: IsoDate,
  })
  .strict();
const RunnerCatalog = z.object({
  selectionId: z.number().int(),
  runnerName: z.string(),
  handicap: z.number(),
  sortPriority: z.number().int(),
  metadata: z.record(z.string(), z.string()).optional(),
});
const MarketCatalogue = z
  .object({
    marketId: z.string(),
    marketName: z.string(),
    marketStartTime: IsoDate.optional(),
    description: MarketDescription.optional(),
    totalMatched: z.number().optional(),
    runners: z.array(RunnerCatalog).optional(),
    eventType: EventType.optional(),
    competition: Competition.optional(),
    event: Event.optional(),
  })
  .strict();
const PriceSize = z.object({ price: z.number(), size: z.number() }).strict();
const StartingPrices = z
  .object({
    nearPrice: z.number().optional(),
    farPrice: z.number().optional(),
    backStakeTaken: z.array(PriceSize).optional(),
    layLiabilityTaken: z.array(PriceSize).optional(),
    actualSP: z.number().optional(),
  })
  .strict();
const ExchangePrices = z
  .object({
    availableToBack: z.array(PriceSize).optional(),
    availableToLay: z.array(PriceSize).optional(),
    tradedVolume: z.array(PriceSize).optional(),
  })
  .strict();
const Runner = z
  .object({
    selectionId: z.number().int(),
    handicap: z.number(),
    status: z.enum(['ACTIVE', 'WINNER', 'LOSER', 'PLACED', 'REMOVED_VACANT', 'REMOVED', 'HIDDEN']),
    adjustmentFactor: z.number().optional(),
    lastPriceTraded: z.number().optional(),
    totalMatched: z.number().optional(),
    removalDate: IsoDate.optional(),
    sp: StartingPrices.optional(),
    ex: ExchangePrices.optional(),
    orders: z.array(z.unknown()).optional(),
    matches: z.array(z.unknown()).optional(),
    matchesByStrategy: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
const MarketBook = z
  .object({
    marketId: z.string(),
    isMarketDataDelayed: z.boolean(),
    status: z.enum(['INACTIVE', 'OPEN', 'SUSPENDED', 'CLOSED']),
    betDelay: z.number().int(),
    bspReconciled: z.boolean(),
    complete: z.boolean(),
    inplay: z.boolean(),
    numberOfWinners: z.number().int(),
    numberOfRunners: z.number().int(),
    numberOfActiveRunners: z.number().int(),
    lastMatchTime: IsoDate.optional(),
    totalMatched: z.number(),
    totalAvailable: z.number(),
    crossMatching: z.boolean(),
    runnersVoidable: z.boolean(),
    version: z.number().int(),
    runners: z.array(Runner),
  })
  .strict();

/** Parses with a schema, failing with zod's account of what is wrong. */
function expectShape<T extends z.ZodTypeAny>(schema: T, value: unknown, what: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) assert.fail(`${what}: ${JSON.stringify(r.error.issues.slice(0, 5))}`);
  return r.data as z.output<T>;
}

/** A raw stream client writing fixture lines as betfairlightweight does (JSON + CRLF). */
async function streamClient(bf: BetfairSimulation) {
  const c = await rawClient(bf, 500);
  return {
    ...c,
    get closed() {
      return c.closed;
    },
    line: (text: string) => c.send(JSON.parse(text) as object),
    status: async (id: number) => expectShape(StatusMessage, await c.status(id), `status ${id}`),
  };
}

describe('conformance: the requests betfairlightweight sends', () => {
  let bf: BetfairSimulation;
  let sim: ExchangeSimulator;
  let clock: ManualClock;
  let vars: Record<string, string>;
  const ticks = (n: number) => {
    for (let i = 0; i < n; i++) {
      clock.advance(sim.tickMs);
      sim.tick();
    }
  };

  before(async () => {
    clock = new ManualClock(Date.now());
    sim = new ExchangeSimulator({ now: clock.now, seed: 5, events: 8 });
    bf = await startBetfairSimulation({ simulator: sim, now: clock.now, authTimeoutMs: 300 });
    ticks(40);
    const marketId = bf.hub.marketIds()[0];
    assert.ok(marketId, 'the simulator has markets');
    vars = { appKey: bf.ready.esa.appKey, session: bf.ready.esa.session, marketId };
  });
  after(async () => bf.close());

  async function authenticated() {
    const c = await streamClient(bf);
    c.line(await fixture('stream-authentication.json', vars));
    const st = await c.status(1);
    assert.equal(st.statusCode, 'SUCCESS');
    assert.equal(typeof st.connectionsAvailable, 'number');
    return c;
  }

  test('market subscription with "initialClk": null, "clk": null is accepted: SUB_IMAGE with the documented fields', async () => {
    const c = await authenticated();
    c.line(await fixture('stream-market-subscription.json', vars));
    const st = await c.status(2);
    assert.deepEqual([st.statusCode, st.errorCode], ['SUCCESS', undefined], JSON.stringify(st));
    const image = expectShape(
      MarketChangeMessage,
      await c.waitFor((m) => m.ct === 'SUB_IMAGE', 'the image'),
      'SUB_IMAGE',
    );
    // Defaults looped back: heartbeat 5000 ms, no conflation.
    assert.deepEqual([image.heartbeatMs, image.conflateMs], [5000, 0]);
    assert.ok(image.initialClk && image.clk, 'both clocks are handed out');
    const mc = image.mc?.[0];
    assert.equal(mc?.id, vars.marketId);
    assert.equal(mc?.img, true);
    assert.ok(mc?.marketDefinition, 'EX_MARKET_DEF gives the definition');
    assert.ok(
      mc?.rc?.some((r) => (r.batb?.length ?? 0) > 0),
      'EX_BEST_OFFERS gives level triples',
    );
    c.line(await fixture('stream-heartbeat.json', vars));
    assert.equal((await c.status(6)).statusCode, 'SUCCESS');
    c.close();
  });

  test('heartbeatMs beyond 5000 is clamped to 5000 and looped back on the image', async () => {
    const c = await authenticated();
    const sub = JSON.parse(await fixture('stream-market-subscription.json', vars)) as Record<string, unknown>;
    c.line(JSON.stringify({ ...sub, heartbeatMs: 30_000 }));
    assert.equal((await c.status(2)).statusCode, 'SUCCESS');
    const image = await c.waitFor((m) => m.ct === 'SUB_IMAGE', 'the image');
    assert.equal(image.heartbeatMs, 5000);
    c.close();
  });

  test('an order-only connection is not closed as idle and gets order heartbeats', async () => {
    const c = await authenticated();
    c.line(await fixture('stream-order-subscription-filtered.json', vars));
    assert.equal((await c.status(5)).statusCode, 'SUCCESS');
    const image = expectShape(
      OrderChangeMessage,
      await c.waitFor((m) => m.op === 'ocm' && m.ct === 'SUB_IMAGE', 'the order image'),
      'order SUB_IMAGE',
    );
    assert.equal(image.heartbeatMs, 500);
    // The idle timeout is 300 ms; a heartbeat comes after 500 ms of silence, so by then it would have fired.
    const hb = expectShape(
      OrderChangeMessage,
      await c.waitFor((m) => m.op === 'ocm' && m.ct === 'HEARTBEAT', 'an order heartbeat'),
      'order HEARTBEAT',
    );
    assert.equal(hb.id, 5);
    assert.equal(hb.clk, image.clk);
    assert.equal(c.closed, false, 'the connection is still open');
    assert.ok(!c.messages.some((m) => m.errorCode === 'TIMEOUT'), 'no TIMEOUT status');
    c.close();
  });

  test('the default order subscription (orderFilter null, null clocks) is accepted', async () => {
    const c = await authenticated();
    c.line(await fixture('stream-order-subscription.json', vars));
    assert.equal((await c.status(4)).statusCode, 'SUCCESS');
    const image = await c.waitFor((m) => m.op === 'ocm' && m.ct === 'SUB_IMAGE', 'the order image');
    assert.deepEqual([image.id, image.heartbeatMs], [4, 5000]);
    c.close();
  });

  test('the reconnect resubscription (initialClk and clk) answers RESUB_DELTA without con when not conflating', async () => {
    const a = await authenticated();
    a.line(await fixture('stream-market-subscription-full-depth.json', vars));
    assert.equal((await a.status(2)).statusCode, 'SUCCESS');
    const image = await a.waitFor((m) => m.ct === 'SUB_IMAGE', 'the image');
    a.close();
    ticks(60);
    const b = await authenticated();
    b.line(
      await fixture('stream-market-resubscription.json', {
        ...vars,
        initialClk: String(image.initialClk),
        clk: String(image.clk),
      }),
    );
    assert.equal((await b.status(3)).statusCode, 'SUCCESS');
    const resub = expectShape(
      MarketChangeMessage,
      await b.waitFor((m) => m.ct === 'RESUB_DELTA', 'the RESUB_DELTA'),
      'RESUB_DELTA',
    );
    assert.equal(resub.conflateMs, 0);
    const deltas = (resub.mc ?? []).filter((m) => m.img !== true);
    assert.ok(deltas.length > 0, `the held market is resumed with a delta: ${JSON.stringify(resub.mc)}`);
    assert.ok(
      deltas.every((m) => m.con === undefined),
      `no change is marked conflated: ${JSON.stringify(deltas.map((m) => m.con))}`,
    );
    b.close();
  });

  test("two independent connections with the client's subscription keep identical books through faults", async () => {
    type Book = Map<number, { back: Map<number, [number, number]>; lay: Map<number, [number, number]> }>;
    /** A client that keeps best-offer books from level triples and resubscribes with its clocks. */
    const follower = async () => {
      const book: Book = new Map();
      const clocks = { initialClk: '', clk: '', hub: -1 };
      let conn = await authenticated();
      let seen = 0;
      const subscribe = async (resume: boolean) => {
        const sub = JSON.parse(await fixture('stream-market-subscription.json', vars)) as Record<
          string,
          unknown
        >;
        conn.line(
          JSON.stringify({
            ...sub,
            heartbeatMs: 500,
            ...(resume ? { initialClk: clocks.initialClk, clk: clocks.clk } : {}),
          }),
        );
        assert.equal((await conn.status(2)).statusCode, 'SUCCESS');
      };
      const apply = (levels: Map<number, [number, number]>, triples: [number, number, number][] = []) => {
        for (const [level, price, size] of triples) {
          if (size === 0) levels.delete(level);
          else levels.set(level, [price, size]);
        }
      };
      /** Applies every message received so far. */
      const drain = () => {
        for (; seen < conn.messages.length; seen++) {
          const m = conn.messages[seen] as Msg;
          if (m.op !== 'mcm') continue;
          const msg = expectShape(MarketChangeMessage, m, 'mcm');
          if (msg.initialClk) clocks.initialClk = msg.initialClk;
          for (const mc of msg.mc ?? []) {
            if (mc.img) book.clear();
            for (const rc of mc.rc ?? []) {
              let r = book.get(rc.id);
              if (!r) book.set(rc.id, (r = { back: new Map(), lay: new Map() }));
              apply(r.back, rc.batb);
              apply(r.lay, rc.batl);
            }
          }
          if (msg.clk) {
            clocks.clk = msg.clk;
            clocks.hub = decodeClk(msg.clk)?.clk ?? -1;
          }
        }
      };
      await subscribe(false);
      return {
        book,
        /** Waits until this client has applied everything up to the simulator's current clock. */
        async caughtUp() {
          for (let i = 0; i < 500 && (drain(), clocks.hub < bf.hub.clk); i++) await sleep(10);
          assert.equal(clocks.hub, bf.hub.clk, 'the client reached the current clock');
        },
        async reconnect() {
          await conn.waitFor(() => conn.closed, 'the drop');
          drain();
          conn = await authenticated();
          seen = 0;
          await subscribe(true);
        },
        close: () => conn.close(),
      };
    };
    const server = (): Record<string, { back: [number, number][]; lay: [number, number][] }> => {
      const m = bf.hub.state.markets.get(vars.marketId as string);
      assert.ok(m);
      return Object.fromEntries(
        [...m.runners.values()].map((r) => [
          r.id,
          { back: sortedPairs(r.atb, true).slice(0, 3), lay: sortedPairs(r.atl, false).slice(0, 3) },
        ]),
      );
    };
    const view = (b: Book) =>
      Object.fromEntries(
        [...b].map(([id, r]) => [
          id,
          {
            back: [...r.back].sort((x, y) => x[0] - y[0]).map(([, pv]) => pv),
            lay: [...r.lay].sort((x, y) => x[0] - y[0]).map(([, pv]) => pv),
          },
        ]),
      );
    const a = await follower();
    const b = await follower();
    const check = async (what: string) => {
      await a.caughtUp();
      await b.caughtUp();
      assert.deepEqual(view(a.book), view(b.book), `${what}: the two connections agree`);
      assert.deepEqual(view(a.book), server(), `${what}: and match the simulator's book`);
      assert.ok(a.book.size > 0, `${what}: the book has runners`);
      snapshots.add(JSON.stringify(view(a.book)));
    };
    const snapshots = new Set<string>();
    try {
      ticks(30);
      await check('live');
      bf.esa.inject({ fault: 'degraded', on: true });
      ticks(30);
      bf.esa.inject({ fault: 'degraded', on: false });
      await check('after a degraded (503) stream');
      bf.esa.inject({ fault: 'writeMode', mode: 'split' });
      ticks(30);
      await check('with split writes');
      bf.esa.inject({ fault: 'writeMode', mode: 'merge' });
      ticks(30);
      await check('with merged writes');
      bf.esa.inject({ fault: 'clear' });
      bf.esa.inject({ fault: 'drop' });
      await Promise.all([a.reconnect(), b.reconnect()]);
      ticks(30);
      await check('after a dropped connection and a resubscription with the clocks');
      assert.ok(snapshots.size > 2, 'the books moved between the checks');
    } finally {
      a.close();
      b.close();
    }
  });

  describe('API-NG', () => {
    const rpc = async (body: string): Promise<{ result?: unknown; error?: { data?: unknown } }> => {
      const login = await fetch(`${bf.ready.identity.url}/login`, {
        method: 'POST',
        headers: {
          'x-application': bf.ready.esa.appKey,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        // A form body: the client (requests) percent-encodes the values.
        body: (
          await fixture('api-login.form', {
            username: encodeURIComponent(bf.ready.identity.username),
            password: encodeURIComponent(bf.ready.identity.password),
          })
        ).trim(),
      });
      const { token, status } = (await login.json()) as { token: string; status: string };
      assert.equal(status, 'SUCCESS');
      const res = await fetch(bf.ready.api.url, {
        method: 'POST',
        headers: {
          'x-application': bf.ready.esa.appKey,
          'x-authentication': token,
          'content-type': 'application/json',
        },
        body,
      });
      assert.equal(res.status, 200);
      return (await res.json()) as { result?: unknown; error?: { data?: unknown } };
    };

    test('listMarketCatalogue with every MarketProjection: every documented field, nothing undocumented', async () => {
      const answer = await rpc(await fixture('api-listMarketCatalogue.json', vars));
      assert.equal(answer.error, undefined, JSON.stringify(answer.error));
      const list = expectShape(z.array(MarketCatalogue), answer.result, 'listMarketCatalogue');
      assert.ok(list.length > 0);
      for (const m of list) {
        assert.ok(m.description, 'MARKET_DESCRIPTION');
        assert.ok(m.marketStartTime && m.event && m.eventType, 'MARKET_START_TIME, EVENT, EVENT_TYPE');
        assert.ok(m.runners && m.runners.length > 0, 'RUNNER_DESCRIPTION');
        assert.ok(
          m.runners.every((r) => r.metadata !== undefined),
          'RUNNER_METADATA',
        );
        assert.equal(m.description.marketTime, m.marketStartTime);
      }
      assert.ok(
        list.some((m) => m.competition),
        'COMPETITION where the event has one',
      );
    });

    test('listMarketBook with a price projection: every documented market and runner field, sp included', async () => {
      const answer = await rpc(await fixture('api-listMarketBook.json', vars));
      assert.equal(answer.error, undefined, JSON.stringify(answer.error));
      const [book] = expectShape(z.array(MarketBook), answer.result, 'listMarketBook');
      assert.ok(book);
      assert.equal(book.marketId, vars.marketId);
      assert.ok(book.runners.every((r) => r.sp !== undefined && r.ex !== undefined));
      assert.ok(
        book.runners.every((r) => Array.isArray(r.sp?.backStakeTaken)),
        'SP_TRADED',
      );
      assert.ok(book.totalAvailable > 0, 'the books have prices');
      const total = book.runners.reduce(
        (s, r) =>
          s +
          (r.ex?.availableToBack ?? []).reduce((a, p) => a + p.size, 0) +
          (r.ex?.availableToLay ?? []).reduce((a, p) => a + p.size, 0),
        0,
      );
      assert.ok(book.totalAvailable >= total - 0.01, 'totalAvailable covers at least the best offers shown');
      if (book.totalMatched > 0) assert.ok(book.lastMatchTime, 'a traded market has a lastMatchTime');
      const plain = await rpc(await fixture('api-listMarketBook-defaults.json', vars));
      const [bare] = expectShape(z.array(MarketBook), plain.result, 'listMarketBook (no price data)');
      assert.ok(
        bare?.runners.every((r) => r.sp === undefined),
        'no sp unless asked for',
      );
    });

    test('an unknown projection or price data value is INVALID_INPUT_DATA, not ignored', async () => {
      for (const body of [
        {
          jsonrpc: '2.0',
          method: 'SportsAPING/v1.0/listMarketCatalogue',
          params: { filter: {}, marketProjection: ['EVERYTHING'], maxResults: 1 },
          id: 1,
        },
        {
          jsonrpc: '2.0',
          method: 'SportsAPING/v1.0/listMarketBook',
          params: { marketIds: [vars.marketId], priceProjection: { priceData: ['EX_SOMETHING'] } },
          id: 1,
        },
      ]) {
        const answer = await rpc(JSON.stringify(body));
        const code = (answer.error?.data as { APINGException?: { errorCode?: string } } | undefined)
          ?.APINGException?.errorCode;
        assert.equal(code, 'INVALID_INPUT_DATA', JSON.stringify(answer));
      }
    });
  });
});
