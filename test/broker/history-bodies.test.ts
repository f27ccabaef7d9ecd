import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoomHistory } from '../../src/broker/room-history.js';
import { bodyText, renderBody, renderBodyParts, type Body } from '../../src/broker/messages.js';
import { renderMarket } from '../../src/contracts/porqpine/markets.js';
import { event, market } from '../store/fixtures.js';

describe('message bodies in parts: market data as bytes, one copy per market', () => {
  const ev = event(1_000_001, { name: 'Atlético v Ñublense' });
  const m = market('1.5', 1_000_001);

  test('the market data is rendered once per market object and shared by every push type', () => {
    const odds = renderBodyParts({ type: 'market', market: m }, 'market_odds', ev);
    const match = renderBodyParts({ type: 'market', market: m }, 'match_odds', ev);
    assert.ok(odds.data && match.data);
    assert.equal(odds.data, match.data, 'the same Buffer');
    assert.equal(odds.data.toString('utf8'), JSON.stringify(renderMarket(m)));
    // A new market object (a change) gets its own rendering.
    const next = renderBodyParts({ type: 'market', market: { ...m } }, 'market_odds', ev);
    assert.notEqual(next.data, odds.data);
  });

  test('as one string a body is the Porqpine fields in order, data last', () => {
    assert.equal(
      renderBody({ type: 'market', market: m }, 'market_odds', ev),
      `"marketId":"1.5","matchId":"1000001","data":${JSON.stringify(renderMarket(m))}`,
    );
    assert.equal(bodyText({ text: '', data: Buffer.from('{"a":"é"}') }), '"data":{"a":"é"}');
    assert.equal(bodyText({ text: '"matchId":"1"', data: null }), '"matchId":"1"');
  });
});

describe('RoomHistory keeps bodies as given', () => {
  test('one body appended to several rooms is recovered from each; the market bytes are shared, not copied', () => {
    const h = new RoomHistory({ windowMs: 60_000, maxPerRoom: 100 });
    const body: Body = { text: '"marketId":"1.5"', data: Buffer.from('{"name":"Ñandú — 1/2"}') };
    h.append('all', 7, 1000, 'market_odds', body);
    h.append('market:1.5', 3, 1000, 'market_odds', body);
    assert.deepEqual(h.since('all', 6), [
      { seq: 7, ts: 1000, type: 'market_odds', body: '"marketId":"1.5","data":{"name":"Ñandú — 1/2"}' },
    ]);
    assert.equal(h.storedSince('market:1.5', 2)?.[0]?.body.data, body.data);
  });

  test('slots trimmed out of the window let go of their body before the ring is compacted', () => {
    const h = new RoomHistory({ windowMs: 1000, maxPerRoom: 1000 });
    for (let i = 1; i <= 10; i++) h.push('all', { seq: i, ts: i * 100, type: 't', body: `"i":${i}` });
    h.trim(1650); // keeps ts ≥ 650: seqs 7..10
    const ring = (h as unknown as { rings: Map<string, { bodies: Body[]; head: number }> }).rings.get('all');
    assert.ok(ring);
    assert.equal(ring.head, 6);
    assert.ok(ring.bodies.slice(0, 6).every((b) => b.text === '' && b.data === null));
    assert.deepEqual(
      h.since('all', 6)?.map((e) => e.body),
      ['"i":7', '"i":8', '"i":9', '"i":10'],
    );
    assert.equal(h.since('all', 5), null);
  });
});
