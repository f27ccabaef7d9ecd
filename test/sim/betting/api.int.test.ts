/**
 * The simulated API-NG betting and account operations over real HTTP: the requests betfairlightweight
 * sends (fixtures) get answers its resources parse (strict schemas written from its fixed constructors),
 * bets match against the simulated book, a repeated customerRef never places a second bet, the REST-style
 * paths answer the same, fills reach the order stream, and a closed market's bets are cleared with profit.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ManualClock } from '../../../src/core/clock.js';
import { ExchangeSimulator } from '../../../src/sim/exchange.js';
import { startBetfairSimulation, type BetfairSimulation } from '../../../src/sim/esa/index.js';
import type { SimMarket } from '../../../src/sim/market.js';
import { nextTick } from '../../../src/model/ticks.js';
import { rawClient } from '../esa/raw-client.js';

const FIXTURES = new URL('../fixtures/betfairlightweight/', import.meta.url);

/** A fixture with its `"${name}"` placeholders replaced by JSON values. */
async function fixture(name: string, vars: Record<string, unknown>): Promise<string> {
  const text = await readFile(new URL(name, FIXTURES), 'utf8');
  return text.replace(/"\$\{(\w+)\}"/g, (_, k: string) => {
    if (!(k in vars)) throw new Error(`fixture ${name}: no value for ${k}`);
    return JSON.stringify(vars[k]);
  });
}

// ---- shapes betfairlightweight's resources accept (fixed constructor signatures are strict) ----
const opt = <T extends z.ZodTypeAny>(t: T) => t.optional();
const LimitOrder = z
  .object({
    price: z.number(),
    size: opt(z.number()),
    persistenceType: opt(z.string()),
    timeInForce: opt(z.string()),
    minFillSize: opt(z.number()),
    betTargetType: opt(z.string()),
    betTargetSize: opt(z.number()),
  })
  .strict();
const PlaceInstruction = z
  .object({
    selectionId: z.number().int(),
    side: z.enum(['BACK', 'LAY']),
    orderType: z.string(),
    limitOrder: opt(LimitOrder),
    limitOnCloseOrder: opt(z.object({ liability: z.number(), price: z.number() }).strict()),
    marketOnCloseOrder: opt(z.object({ liability: z.number() }).strict()),
    handicap: opt(z.number()),
    customerOrderRef: opt(z.string()),
  })
  .strict();
const PlaceInstructionReport = z
  .object({
    status: z.enum(['SUCCESS', 'FAILURE', 'TIMEOUT']),
    instruction: opt(PlaceInstruction),
    orderStatus: opt(z.enum(['PENDING', 'EXECUTION_COMPLETE', 'EXECUTABLE', 'EXPIRED'])),
    betId: opt(z.string()),
    averagePriceMatched: opt(z.number()),
    sizeMatched: opt(z.number()),
    placedDate: opt(z.string().datetime()),
    errorCode: opt(z.string()),
  })
  .strict();
const PlaceExecutionReport = z.object({
  marketId: z.string(),
  status: z.enum(['SUCCESS', 'FAILURE', 'PROCESSED_WITH_ERRORS', 'TIMEOUT']),
  customerRef: opt(z.string()),
  errorCode: opt(z.string()),
  instructionReports: z.array(PlaceInstructionReport),
});
const PriceSize = z.object({ price: z.number(), size: z.number() }).strict();
const CurrentOrder = z
  .object({
    betId: z.string(),
    averagePriceMatched: z.number(),
    bspLiability: z.number(),
    handicap: z.number(),
    marketId: z.string(),
    orderType: z.string(),
    persistenceType: z.string(),
    placedDate: z.string().datetime(),
    selectionId: z.number().int(),
    side: z.enum(['BACK', 'LAY']),
    sizeCancelled: z.number(),
    sizeLapsed: z.number(),
    sizeMatched: z.number(),
    sizeRemaining: z.number(),
    sizeVoided: z.number(),
    status: z.string(),
    priceSize: PriceSize,
    regulatorCode: opt(z.string()),
    matchedDate: opt(z.string().datetime()),
    customerStrategyRef: opt(z.string()),
    customerOrderRef: opt(z.string()),
    regulatorAuthCode: opt(z.string()),
    lapsedDate: opt(z.string().datetime()),
    lapseStatusReasonCode: opt(z.string()),
    cancelledDate: opt(z.string().datetime()),
    currentItemDescription: opt(z.object({ marketVersion: z.object({ version: z.number() }) }).strict()),
  })
  .strict();
const CurrentOrders = z.object({ currentOrders: z.array(CurrentOrder), moreAvailable: z.boolean() }).strict();
const ItemDescription = z
  .object({
    eventDesc: opt(z.string()),
    eventTypeDesc: opt(z.string()),
    marketDesc: opt(z.string()),
    marketStartTime: opt(z.string().datetime()),
    marketType: opt(z.string()),
    numberOfWinners: opt(z.number()),
    runnerDesc: opt(z.string()),
    eachWayDivisor: opt(z.number()),
  })
  .strict();
const ClearedOrder = z
  .object({
    eventTypeId: z.string(),
    eventId: z.string(),
    marketId: z.string(),
    selectionId: z.number().int(),
    handicap: z.number(),
    betId: z.string(),
    placedDate: z.string().datetime(),
    persistenceType: z.string(),
    orderType: z.string(),
    side: z.enum(['BACK', 'LAY']),
    itemDescription: opt(ItemDescription),
    betOutcome: opt(z.string()),
    priceRequested: z.number(),
    settledDate: opt(z.string().datetime()),
    lastMatchedDate: opt(z.string().datetime()),
    betCount: z.number().int(),
    priceMatched: opt(z.number()),
    priceReduced: z.boolean(),
    sizeSettled: opt(z.number()),
    profit: opt(z.number()),
    sizeCancelled: opt(z.number()),
    customerOrderRef: opt(z.string()),
    customerStrategyRef: opt(z.string()),
  })
  .strict();
const ClearedOrders = z.object({ clearedOrders: z.array(ClearedOrder), moreAvailable: z.boolean() }).strict();
const RunnerBookOrder = z
  .object({
    betId: z.string(),
    avgPriceMatched: z.number(),
    bspLiability: z.number(),
    orderType: z.string(),
    persistenceType: z.string(),
    price: z.number(),
    side: z.string(),
    sizeCancelled: z.number(),
    sizeLapsed: z.number(),
    sizeMatched: z.number(),
    sizeRemaining: z.number(),
    sizeVoided: z.number(),
    status: z.string(),
    size: z.number(),
    customerStrategyRef: opt(z.string()),
    customerOrderRef: opt(z.string()),
    placedDate: opt(z.string().datetime()),
  })
  .strict();
const RunnerBookMatch = z
  .object({
    price: z.number(),
    side: z.string(),
    size: z.number(),
    betId: opt(z.string()),
    matchId: opt(z.string()),
    matchDate: opt(z.string().datetime()),
  })
  .strict();
const CancelReport = z
  .object({
    status: z.string(),
    instruction: z.object({ betId: z.string(), sizeReduction: opt(z.number()) }).strict(),
    sizeCancelled: opt(z.number()),
    cancelledDate: opt(z.string().datetime()),
    errorCode: opt(z.string()),
  })
  .strict();
const ReplaceReport = z
  .object({
    status: z.string(),
    cancelInstructionReport: CancelReport,
    placeInstructionReport: PlaceInstructionReport,
    errorCode: opt(z.string()),
  })
  .strict();
const AccountFunds = z.object({
  availableToBetBalance: z.number(),
  exposure: z.number(),
  retainedCommission: z.number(),
  exposureLimit: z.number(),
  discountRate: z.number(),
  pointsBalance: z.number(),
  wallet: z.string(),
});

describe('simulated API-NG betting over HTTP', () => {
  let bf: BetfairSimulation;
  let sim: ExchangeSimulator;
  let clock: ManualClock;
  let market: SimMarket;
  before(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 22, 14, 3, 17));
    sim = new ExchangeSimulator({ now: clock.now, seed: 7 });
    bf = await startBetfairSimulation({ simulator: sim, now: clock.now, balance: 5000 });
    const found = sim
      .events()
      .filter((e) => e.sport === 'football')
      .map((e) => sim.market(e.markets[0]?.marketId ?? '') as SimMarket)
      .find((m) => m.status === 'OPEN' && !m.inPlay && m.books.every((b) => b.backP.length >= 3));
    assert.ok(found);
    market = found;
  });
  after(async () => bf.close());

  const headers = () => ({
    'content-type': 'application/json',
    'x-application': bf.ready.esa.appKey,
    'x-authentication': bf.ready.esa.session,
  });
  const rpc = async (
    body: string,
    path = bf.ready.api.url,
  ): Promise<{ result?: unknown; error?: unknown }> => {
    const res = await fetch(path, { method: 'POST', headers: headers(), body });
    assert.equal(res.status, 200);
    return (await res.json()) as { result?: unknown; error?: unknown };
  };
  const accountUrl = () => bf.ready.api.url.replace('/betting/', '/account/');
  const base = () => bf.ready.api.url.replace(/\/exchange\/.*$/, '');
  /** Steps the simulator once (50 ms of its clock), as its timer would. */
  const tick = () => {
    clock.advance(sim.tickMs);
    sim.tick();
  };

  test('placeOrders crosses the book; listCurrentOrders, listRunnerBook and getAccountFunds parse as the client’s resources', async () => {
    const book = market.books[0]!;
    const price = book.bestBack!;
    const vars = {
      marketId: market.id,
      selectionId: book.id,
      side: 'BACK',
      price,
      size: 5,
      customerOrderRef: 'order-a',
      customerRef: 'call-a',
    };
    const placed = PlaceExecutionReport.parse(
      (await rpc(await fixture('api-placeOrders.json', vars))).result,
    );
    assert.equal(placed.status, 'SUCCESS');
    assert.equal(placed.customerRef, 'call-a');
    const ir = placed.instructionReports[0]!;
    assert.deepEqual(
      [ir.orderStatus, ir.sizeMatched, ir.averagePriceMatched],
      ['EXECUTION_COMPLETE', 5, price],
    );

    const current = CurrentOrders.parse(
      (await rpc(await fixture('api-listCurrentOrders.json', { customerOrderRef: 'order-a' }))).result,
    );
    assert.equal(current.currentOrders.length, 1);
    assert.equal(current.currentOrders[0]!.betId, ir.betId);
    assert.equal(current.currentOrders[0]!.customerStrategyRef, 'sim-test');

    tick(); // the hub sees the step's message (the consumed offer and the trade)
    const runnerBook = (
      await rpc(await fixture('api-listRunnerBook.json', { marketId: market.id, selectionId: book.id }))
    ).result as { runners: { selectionId: number; orders?: unknown[]; matches?: unknown[] }[] }[];
    assert.equal(runnerBook.length, 1);
    assert.deepEqual(
      runnerBook[0]!.runners.map((r) => r.selectionId),
      [book.id],
    );
    const orders = z.array(RunnerBookOrder).parse(runnerBook[0]!.runners[0]!.orders);
    assert.equal(orders[0]!.betId, ir.betId);
    const matches = z.array(RunnerBookMatch).parse(runnerBook[0]!.runners[0]!.matches);
    assert.deepEqual(
      matches.map((m) => [m.price, m.size]),
      [[price, 5]],
    );

    const funds = AccountFunds.parse(
      (await rpc(await fixture('api-getAccountFunds.json', {}), accountUrl())).result,
    );
    assert.equal(funds.exposure, -5, 'a matched back risks its stake');
    assert.equal(funds.availableToBetBalance, 4995);
  });

  test('a repeated customerRef returns the original report and never places a second bet', async () => {
    const book = market.books[1]!;
    const vars = {
      marketId: market.id,
      selectionId: book.id,
      side: 'LAY',
      price: 1.01,
      size: 3,
      customerOrderRef: 'order-b',
      customerRef: 'call-b',
    };
    const body = await fixture('api-placeOrders.json', vars);
    const [first, second] = await Promise.all([rpc(body), rpc(body)]);
    assert.deepEqual(second.result, first.result);
    const again = await rpc(body);
    assert.deepEqual(again.result, first.result);
    const current = CurrentOrders.parse(
      (await rpc(await fixture('api-listCurrentOrders.json', { customerOrderRef: 'order-b' }))).result,
    );
    assert.equal(current.currentOrders.length, 1, 'one bet for three calls');
    assert.equal(current.currentOrders[0]!.status, 'EXECUTABLE');
  });

  test('cancelOrders with sizeReduction and replaceOrders answer the client’s report shapes', async () => {
    const book = market.books[2]!;
    const low = 1.01; // far below the book: it rests
    const placed = PlaceExecutionReport.parse(
      (
        await rpc(
          await fixture('api-placeOrders.json', {
            marketId: market.id,
            selectionId: book.id,
            side: 'LAY',
            price: low,
            size: 10,
            customerOrderRef: 'order-c',
            customerRef: 'call-c',
          }),
        )
      ).result,
    );
    const betId = placed.instructionReports[0]!.betId!;
    const cancel = (
      await rpc(await fixture('api-cancelOrders.json', { marketId: market.id, betId, sizeReduction: 4 }))
    ).result as { status: string; instructionReports: unknown[] };
    assert.equal(cancel.status, 'SUCCESS');
    const cr = CancelReport.parse(cancel.instructionReports[0]);
    assert.equal(cr.sizeCancelled, 4);
    const replace = (
      await rpc(
        await fixture('api-replaceOrders.json', { marketId: market.id, betId, newPrice: nextTick(low) }),
      )
    ).result as { status: string; instructionReports: unknown[] };
    assert.equal(replace.status, 'SUCCESS');
    const rr = ReplaceReport.parse(replace.instructionReports[0]);
    assert.equal(rr.cancelInstructionReport.sizeCancelled, 6);
    assert.equal(rr.placeInstructionReport.instruction?.limitOrder?.price, nextTick(low));
    assert.equal(rr.placeInstructionReport.instruction?.limitOrder?.size, 6);
    assert.notEqual(rr.placeInstructionReport.betId, betId);
  });

  test('the REST-style paths answer the same operations; bad input is a 400 APINGException', async () => {
    const res = await fetch(`${base()}/exchange/betting/rest/v1.0/listCurrentOrders/`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ customerOrderRefs: ['order-a'] }),
    });
    assert.equal(res.status, 200);
    assert.equal(CurrentOrders.parse(await res.json()).currentOrders.length, 1);
    const funds = await fetch(`${base()}/exchange/account/rest/v1.0/getAccountFunds/`, {
      method: 'POST',
      headers: headers(),
      body: '{}',
    });
    AccountFunds.parse(await funds.json());
    const bad = await fetch(`${base()}/exchange/betting/rest/v1.0/placeOrders/`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ marketId: market.id, instructions: [{ side: 'UP' }] }),
    });
    assert.equal(bad.status, 400);
    const body = (await bad.json()) as {
      faultstring: string;
      detail: { APINGException: { errorCode: string } };
    };
    assert.equal(body.detail.APINGException.errorCode, 'INVALID_INPUT_DATA');
    assert.equal(body.faultstring, 'ANGX-0002');
    const noSession = await fetch(`${base()}/exchange/betting/rest/v1.0/listCurrentOrders/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-application': bf.ready.esa.appKey },
      body: '{}',
    });
    assert.equal(noSession.status, 400);
    const rpcBad = await rpc(
      JSON.stringify({ jsonrpc: '2.0', method: 'SportsAPING/v1.0/listClearedOrders', params: {}, id: 2 }),
    );
    assert.match(JSON.stringify(rpcBad.error), /INVALID_INPUT_DATA/);
  });

  test('fills reach a subscribed order stream as uo entries with the matched ladder', async () => {
    const c = await rawClient(bf);
    c.send({ op: 'authentication', id: 1, appKey: bf.ready.esa.appKey, session: bf.ready.esa.session });
    await c.status(1);
    c.send({ op: 'orderSubscription', id: 2, orderFilter: { includeOverallPosition: true } });
    await c.status(2);
    await c.waitFor((m) => m.op === 'ocm' && m.ct === 'SUB_IMAGE', 'the order image');
    const book = market.books[0]!;
    const price = book.bestBack!;
    const placed = PlaceExecutionReport.parse(
      (
        await rpc(
          await fixture('api-placeOrders.json', {
            marketId: market.id,
            selectionId: book.id,
            side: 'BACK',
            price,
            size: 2,
            customerOrderRef: 'order-d',
            customerRef: 'call-d',
          }),
        )
      ).result,
    );
    const betId = placed.instructionReports[0]!.betId;
    const msg = await c.waitFor(
      (m) => m.op === 'ocm' && JSON.stringify(m).includes(`"id":"${betId}"`),
      'the fill on the order stream',
    );
    const orc = (
      msg.oc as { id: string; orc: { id: number; uo: Record<string, unknown>[]; mb?: number[][] }[] }[]
    )[0]!;
    assert.equal(orc.id, market.id);
    const uo = orc.orc[0]!.uo[0]!;
    assert.deepEqual([uo.status, uo.sm, uo.sr, uo.avp, uo.rfo, uo.side], ['EC', 2, 0, price, 'order-d', 'B']);
    assert.ok(orc.orc[0]!.mb?.some(([p]) => p === price));
    c.close();
  });

  test('when the market closes, unmatched bets lapse and matched ones are cleared as SETTLED with their profit', async () => {
    const winner = market.books[0]!.id;
    market.settle([0], clock.now());
    tick();
    const settled = ClearedOrders.parse(
      (await rpc(await fixture('api-listClearedOrders.json', { betStatus: 'SETTLED', marketId: market.id })))
        .result,
    );
    assert.ok(settled.clearedOrders.length >= 2);
    for (const o of settled.clearedOrders) {
      const runnerWon = o.selectionId === winner;
      assert.equal(o.betOutcome, (o.side === 'BACK') === runnerWon ? 'WON' : 'LOST', 'the bettor’s outcome');
      const expected =
        o.selectionId === winner
          ? Math.round(o.sizeSettled! * (o.priceMatched! - 1) * 100) / 100
          : -o.sizeSettled!;
      assert.equal(o.profit, o.side === 'BACK' ? expected : -expected);
      assert.ok(o.itemDescription?.runnerDesc);
    }
    const lapsed = ClearedOrders.parse(
      (await rpc(await fixture('api-listClearedOrders.json', { betStatus: 'LAPSED', marketId: market.id })))
        .result,
    );
    assert.ok(
      lapsed.clearedOrders.some((o) => o.customerOrderRef === 'order-b'),
      'the resting lay lapsed',
    );
    const current = CurrentOrders.parse(
      (await rpc(await fixture('api-listCurrentOrders.json', { customerOrderRef: 'order-a' }))).result,
    );
    assert.equal(current.currentOrders.length, 0, 'settled bets leave the current orders');
  });
});
