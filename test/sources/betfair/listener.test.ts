import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceUpdate } from '../../../src/model/index.js';
import type { MalformedReport } from '../../../src/sources/betfair/listener.js';
import { createBetfairPipeline } from '../../../src/sources/betfair/pipeline.js';
import { streamLine, streamMessage } from './data.js';

const pairs = (l: readonly { price: number; size: number }[]) => l.map((x) => [x.price, x.size]);

function setup() {
  const batches: SourceUpdate[][] = [];
  const malformed: MalformedReport[] = [];
  const p = createBetfairPipeline({
    source: 'betfair',
    sink: (u) => batches.push(u),
    maxLatencyMs: null,
    onMalformed: (r) => malformed.push(r),
  });
  return { p, batches, malformed };
}

const SUB_IMAGE_MARKET = '1.126235656';

describe('connection and status messages', () => {
  test('connection keeps the connection id', () => {
    const { p } = setup();
    p.handleLine(streamLine('bflw_streaming_connection.json'));
    assert.equal(p.listener.connectionId, '002-051134157842-432409');
    assert.equal(p.status().connectionId, '002-051134157842-432409');
  });

  test('a SUCCESS status is kept and is no error', () => {
    const { p } = setup();
    p.handleLine(streamLine('bflw_streaming_status.json'));
    assert.equal(p.listener.lastStatus?.statusCode, 'SUCCESS');
    assert.equal(p.status().lastError, null);
    assert.equal(p.status().connectionClosed, false);
  });

  test('FAILURE statuses keep errorCode, errorMessage and connectionClosed', () => {
    const { p } = setup();
    p.handleLine(streamLine('parser_status_error.json'));
    assert.deepEqual(p.status().lastError, {
      statusCode: 'FAILURE',
      errorCode: 'TIMEOUT',
      errorMessage: 'Connection is not subscribed and is idle: 15000 ms',
      connectionClosed: true,
      connectionId: '12345',
    });
    assert.equal(p.status().connectionClosed, true);
    p.handleLine(streamLine('parser_status_error_alt.json'));
    assert.equal(p.status().lastError?.errorCode, 'INVALID_REQUEST');
    assert.equal(p.status().lastError?.connectionId, '111');
    assert.match(p.status().lastError?.errorMessage ?? '', /already authenticated/);
  });

  test('status 503 on a change message marks the stream degraded without losing the cache', () => {
    const { p } = setup();
    p.handleLine(streamLine('bflw_streaming_mcm_SUB_IMAGE.json'));
    const before = p.stream.get(SUB_IMAGE_MARKET)?.snapshot();
    p.handleLine(streamLine('bflw_streaming_503.json'));
    assert.equal(p.status().degraded, true);
    assert.equal(p.status().streamStatus, 503);
    assert.equal(p.status().connectionClosed, false);
    assert.equal(p.stream.get(SUB_IMAGE_MARKET)?.snapshot(), before, 'cache untouched');
    p.handleLine(streamLine('bflw_streaming_mcm_update.json'));
    assert.equal(p.status().degraded, false, 'the next ordinary message clears it');
  });
});

describe('market change messages', () => {
  test('SUB_IMAGE fills the cache and the subscription state (id, clocks, conflation, heartbeat)', () => {
    const { p, batches } = setup();
    p.handleLine(streamLine('bflw_streaming_mcm_SUB_IMAGE.json'));
    const st = p.status();
    assert.equal(st.subscriptionId, 2);
    assert.equal(st.initialClk, 'ab34r43r');
    assert.equal(st.clk, 'AAAAAAAA');
    assert.equal(p.listener.market.heartbeatMs, 5000);
    assert.equal(p.listener.market.conflateMs, 0);
    const m = p.stream.get(SUB_IMAGE_MARKET)?.snapshot();
    assert.ok(m);
    assert.equal(m.status, 'OPEN');
    assert.equal(m.runners.length, 7);
    assert.deepEqual(
      m.runners.map((r) => r.selectionId),
      [11131804, 11064886, 11404390, 11527192, 14341, 11530194, 10257411],
      'runners ordered by sortPriority',
    );
    const fav = m.runners[0];
    assert.deepEqual(pairs(fav?.back ?? []), [[2.54, 7.95]]);
    assert.deepEqual(pairs(fav?.lay ?? []), [[2.72, 8.8]]);
    assert.equal(fav?.adjustmentFactor, 44.323);
    assert.deepEqual(
      batches[0]?.map((u) => u.kind),
      ['event', 'market'],
    );
  });

  test('SUB_IMAGE replaces the whole cache: markets absent from the image are forgotten', () => {
    const { p } = setup();
    p.handleLine(streamLine('bflw_streaming_mcm_UPDATE_md.json'));
    assert.ok(p.stream.get('1.128149474'));
    p.handleLine(streamLine('bflw_streaming_mcm_SUB_IMAGE.json'));
    assert.equal(p.stream.get('1.128149474'), undefined);
    assert.equal(p.stream.size, 1);
  });

  test('HEARTBEAT moves the clock and changes nothing else', () => {
    const { p, batches } = setup();
    p.handleLine(streamLine('bflw_streaming_mcm_SUB_IMAGE.json'));
    const before = p.stream.get(SUB_IMAGE_MARKET)?.snapshot();
    const pushed = batches.length;
    p.handleLine(streamLine('bflw_streaming_mcm_HEARTBEAT.json'));
    assert.equal(p.status().clk, 'APIDAO4EAK8D');
    assert.equal(p.status().initialClk, 'ab34r43r');
    assert.equal(p.status().heartbeats, 1);
    assert.equal(batches.length, pushed, 'no update pushed');
    assert.equal(p.stream.get(SUB_IMAGE_MARKET)?.snapshot(), before);
  });

  test('a level update replaces that level only; market tv replaces the market total', () => {
    const { p, batches } = setup();
    p.handleLine(streamLine('bflw_streaming_mcm_SUB_IMAGE.json'));
    p.handleLine(streamLine('bflw_streaming_mcm_update.json'));
    const r = p.stream.get(SUB_IMAGE_MARKET)?.runner(11527192)?.snapshot();
    assert.deepEqual(pairs(r?.back ?? []), [[4.7, 4.33]]);
    assert.deepEqual(pairs(r?.lay ?? []), [[980, 22.72]]);
    assert.equal(p.status().clk, 'AHMAcArtjjje');
    const last = batches.at(-1);
    assert.deepEqual(
      last?.map((u) => u.kind),
      ['market'],
      'no event update when the definition did not change',
    );
    p.handleLine(streamLine('bflw_streaming_mcm_UPDATE_tv.json'));
    assert.equal(p.stream.get(SUB_IMAGE_MARKET)?.snapshot().totalMatched, 69.69);
  });

  test('an empty level array (batl: []) changes nothing', () => {
    const { p } = setup();
    p.handleLine(streamLine('bflw_streaming_mcm_SUB_IMAGE.json'));
    p.handleMessage({
      op: 'mcm',
      id: 2,
      clk: 'X',
      pt: 1471370160000,
      mc: [{ id: SUB_IMAGE_MARKET, rc: [{ id: 11131804, batl: [] }] }],
    });
    const r = p.stream.get(SUB_IMAGE_MARKET)?.runner(11131804)?.snapshot();
    assert.deepEqual(pairs(r?.lay ?? []), [[2.72, 8.8]]);
  });

  test('RESUB_DELTA: every market counted as conflated; markets without definition are held but not emitted', () => {
    const { p, batches } = setup();
    p.handleLine(streamLine('bflw_streaming_mcm_RESUB_DELTA.json'));
    const st = p.status();
    assert.equal(st.markets, 43);
    assert.equal(st.conflated, 43);
    assert.equal(st.initialClk, 'yhfXkdfHDMoXgtDFvwzKF9+D78QM');
    // Only 1.128049357 (OPEN) and 1.128049352 (SUSPENDED, in play) of event 28002263 carry a definition.
    assert.equal(st.marketsWithoutDefinition, 41);
    assert.equal(batches.length, 1);
    const kinds = batches[0]?.map((u) => (u.kind === 'market' ? u.market.id : u.kind));
    assert.deepEqual(kinds?.sort(), ['1.128049352', '1.128049357', 'event', 'event']);
    const lastEvent = batches[0]?.filter((u) => u.kind === 'event').at(-1);
    assert.ok(lastEvent?.kind === 'event');
    assert.equal(lastEvent.upstreamEventId, '28002263');
    assert.equal(lastEvent.event.status, 'IN_PLAY', 'one market of the meeting is in play');
    assert.equal(p.stream.get('1.128076835')?.conflated, 1);
    const r = p.stream.get('1.128076835')?.runner(10738672)?.snapshot();
    assert.deepEqual(pairs(r?.back ?? []), [[6.8, 35.8]]);
    assert.deepEqual(pairs(r?.lay ?? []), [], 'batl: [] on a new runner leaves it empty');
  });

  test('RESUB_DELTA with img:true replaces the market (definition kept, old ladders gone)', () => {
    const { p } = setup();
    p.handleLine(streamLine('bflw_streaming_mcm_SUB_IMAGE.json'));
    p.handleMessage({
      op: 'mcm',
      id: 2,
      ct: 'RESUB_DELTA',
      initialClk: 'again',
      clk: 'B',
      pt: 1471370170000,
      mc: [{ id: SUB_IMAGE_MARKET, img: true, rc: [{ id: 11131804, batb: [[0, 3, 1]] }] }],
    });
    const m = p.stream.get(SUB_IMAGE_MARKET)?.snapshot();
    assert.equal(m?.status, 'OPEN', 'definition kept');
    assert.deepEqual(pairs(m?.runners.find((r) => r.selectionId === 11131804)?.back ?? []), [[3, 1]]);
    assert.deepEqual(
      pairs(m?.runners.find((r) => r.selectionId === 14341)?.back ?? []),
      [],
      'old ladder gone',
    );
    assert.equal(p.status().initialClk, 'again');
  });

  test('con:true is counted per market', () => {
    const { p } = setup();
    p.handleLine(streamLine('parser_mcm_con_true.json'));
    assert.equal(p.stream.get('1.116499285')?.conflated, 1);
    assert.equal(p.stream.get('1.116499285')?.snapshot().totalMatched, 398222.04);
    assert.equal(p.status().conflated, 1);
  });

  test('a sequence of updates (with a HEARTBEAT) builds the ladders as betfairlightweight does', () => {
    const { p } = setup();
    for (const m of streamMessage('parser_mcm_market_updates.json') as unknown[]) p.handleMessage(m);
    assert.equal(p.status().clk, 'AOUEAJMGAPIH');
    assert.equal(p.status().heartbeats, 1);
    const c = p.stream.get('1.180770798');
    // Expected values from a transcription of bflw's cache semantics run in Python on the same file.
    const a = c?.runner(13834991)?.snapshot();
    assert.deepEqual(pairs(a?.back ?? []).slice(0, 3), [
      [1.17, 1306.24],
      [1.16, 932.64],
      [1.15, 436.49],
    ]);
    assert.equal(a?.back.length, 17);
    assert.deepEqual(pairs(a?.lay ?? []).slice(0, 3), [
      [1.19, 539.76],
      [1.2, 137.75],
      [1.21, 76.38],
    ]);
    assert.equal(a?.lay.length, 41);
    assert.equal(a?.trd.length, 8);
    const b = c?.runner(3120169)?.snapshot();
    assert.deepEqual(pairs(b?.back ?? []).slice(0, 1), [[6.4, 26.16]]);
    assert.equal(b?.back.length, 21);
    assert.equal(b?.lay.length, 11);
  });

  test('runner ids sent as strings are selection ids (numbers)', () => {
    const { p } = setup();
    p.handleLine(streamLine('parser_mcm_resub_delta.json'));
    const m = p.stream.get('1.176621195');
    assert.deepEqual(pairs(m?.runner(42153)?.snapshot().back ?? []), [[2.7, 179.35]]);
    // 42 market changes, 41 markets: 1.170436895 appears twice in the message.
    assert.equal(p.status().markets, 41);
    assert.equal(p.status().conflated, 42);
  });

  test('a REMOVED runner keeps its status, removal date and adjustment factor', () => {
    const { p, batches } = setup();
    p.handleLine(streamLine('parser_mcm_market_definition_runner_removed.json'));
    const r = p.stream.get('1.185781457')?.runner(38465947)?.snapshot();
    assert.equal(r?.status, 'REMOVED');
    assert.equal(r?.removalDate, '2021-07-29T11:52:16.000Z');
    assert.equal(r?.adjustmentFactor, 30.766);
    const market = batches[0]?.find((u) => u.kind === 'market');
    assert.ok(market?.kind === 'market');
    assert.equal(market.market.runners.length, 8);
    assert.equal(market.market.runners.at(-1)?.status, 'REMOVED');
    assert.equal(market.market.runners.filter((x) => x.status === 'ACTIVE').length, 7);
  });

  test('segmented messages are applied together at SEG_END, with the last clock', () => {
    const { p } = setup();
    const image = streamMessage('bflw_streaming_mcm_SUB_IMAGE_no_market_def.json') as {
      mc: unknown[];
      [k: string]: unknown;
    };
    const mc = image.mc;
    const third = Math.ceil(mc.length / 3);
    const { mc: _drop, clk: _clk, ...header } = image;
    p.handleMessage({ ...header, segmentType: 'SEG_START', mc: mc.slice(0, third) });
    p.handleMessage({ ...header, segmentType: 'SEG', mc: mc.slice(third, 2 * third) });
    assert.equal(p.status().markets, 0, 'nothing applied before SEG_END');
    assert.equal(p.status().clk, null);
    p.handleMessage({ ...header, segmentType: 'SEG_END', clk: 'SEGCLK', mc: mc.slice(2 * third) });
    assert.equal(p.status().markets, mc.length);
    assert.equal(p.status().clk, 'SEGCLK');
    assert.equal(p.listener.market.segmented, 1);
    assert.equal(p.status().malformed, 0);
    // Two markets of this image carry no marketDefinition: held, not emitted.
    assert.equal(p.status().marketsWithoutDefinition, 2);
    const vr = p.stream.get('1.168845955')?.runner(12210252)?.snapshot();
    assert.deepEqual(pairs(vr?.back ?? []).slice(0, 2), [
      [1.4, 2133.41],
      [1.39, 1009.12],
    ]);
  });
});

describe('malformed input', () => {
  test('a bad line is counted and reported, never thrown; later lines still apply', () => {
    const { p, malformed } = setup();
    p.handleLine('{"op":"mcm","clk":"A","pt":1,"mc":[{"id":"1.1"');
    p.handleLine('42');
    p.handleMessage({ op: 'mcm', segmentType: 'SEG', mc: [] });
    assert.equal(p.status().malformed, 3);
    assert.equal(malformed.length, 3);
    assert.equal(malformed[0]?.count, 1);
    assert.match(malformed[0]?.excerpt ?? '', /^\{"op":"mcm"/);
    assert.match(malformed[1]?.error ?? '', /no "op"/);
    assert.match(malformed[2]?.error ?? '', /without SEG_START/);
    p.handleLine(streamLine('bflw_streaming_mcm_SUB_IMAGE.json'));
    assert.equal(p.status().markets, 1);
    assert.equal(p.status().frames, 4);
  });
});

describe('order stream', () => {
  test('SUB_IMAGE keeps closed markets, matched backs and the order clocks', () => {
    const orders: string[] = [];
    const p = createBetfairPipeline({
      source: 'b',
      sink: () => {},
      onOrderChange: (t) => orders.push(...t.map((c) => c.marketId)),
    });
    p.handleLine(streamLine('bflw_streaming_ocm_SUB_IMAGE.json'));
    const c = p.orders.get('1.128111667');
    assert.equal(c?.closed, true);
    assert.deepEqual(pairs(c?.runner(8935915)?.matchedBacks ?? []), [[80, 0.08]]);
    assert.equal(p.listener.order.initialClk, 'Lfj28Y4CiQayxLyUAlDysIqUAkfx6qyNAq8Gpd6fjgI=');
    assert.equal(p.status().orderClk, 'AAAAAAAAAAAAAA==');
    assert.equal(p.status().clk, null, 'market clock untouched');
    assert.deepEqual(orders, ['1.128111667']);
  });

  test('full images per runner and handicap; updates add unmatched orders by bet id', () => {
    const p = createBetfairPipeline({ source: 'b', sink: () => {} });
    p.handleLine(streamLine('bflw_streaming_ocm_FULL_IMAGE.json'));
    const c = p.orders.get('1.161613698');
    assert.equal(c?.snapshot().length, 5);
    assert.equal(c?.runner(7017905, 8.5)?.orders[0]?.id, '175706685825');
    assert.deepEqual(pairs(c?.runner(7017905, 5.5)?.matchedBacks ?? []), [[2, 2]]);
    assert.equal(c?.runner(1017905)?.handicap, 0);
    p.handleLine(streamLine('bflw_streaming_ocm_UPDATE.json'));
    const u = p.orders.get('1.128126331')?.runner(10895629)?.orders;
    assert.deepEqual(
      u?.map((o) => [o.id, o.side, o.status, o.p, o.s]),
      [['78996704480', 'L', 'E', 1.02, 2]],
    );
    assert.equal(p.status().orderMarkets, 2);
  });
});
