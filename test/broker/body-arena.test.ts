import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BodyArena, bodyText } from '../../src/broker/body-arena.js';
import { RoomHistory } from '../../src/broker/room-history.js';

describe('BodyArena: recovery bodies as UTF-8 bytes in shared chunks', () => {
  test('every body reads back exactly, across chunk boundaries, with multi-byte characters', () => {
    const arena = new BodyArena(1024);
    const bodies = Array.from(
      { length: 400 },
      (_, i) => `"n":${i},"name":"${'Atlético ⚽ 𝔘'.repeat(i % 9)}"`,
    );
    const stored = bodies.map((b) => arena.store(b));
    assert.deepEqual(
      stored.map((s) => bodyText(s.chunk, s.off, s.len)),
      bodies,
    );
    // Bodies fill chunks (no chunk per body): ~40 KB of bytes in 1 KiB chunks.
    const bytes = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0);
    assert.ok(
      arena.chunksAllocated <= Math.ceil(bytes / (1024 - 3 * 120)) + 1,
      `${arena.chunksAllocated} chunks`,
    );
    assert.ok(new Set(stored.map((s) => s.chunk)).size < bodies.length / 4);
  });

  test('a body over an eighth of a chunk gets a chunk of its own; the shared chunk keeps filling', () => {
    const arena = new BodyArena(1024);
    const a = arena.store('"a":1');
    const big = arena.store(`"big":"${'x'.repeat(500)}"`);
    const b = arena.store('"b":2');
    assert.equal(big.chunk.length, big.len);
    assert.equal(a.chunk, b.chunk);
    assert.equal(b.off, a.off + a.len);
    assert.equal(bodyText(big.chunk, big.off, big.len), `"big":"${'x'.repeat(500)}"`);
  });

  test('an empty body takes no bytes', () => {
    const s = new BodyArena().store('');
    assert.equal(s.len, 0);
    assert.equal(bodyText(s.chunk, s.off, s.len), '');
  });
});

describe('RoomHistory with stored bodies', () => {
  test('one stored body appended to several rooms is recovered from each, byte for byte', () => {
    const h = new RoomHistory({ windowMs: 60_000, maxPerRoom: 100 });
    const body = h.store('"marketId":"1.5","data":{"name":"Ñandú — 1/2"}');
    h.append('all', 7, 1000, 'market_odds', body);
    h.append('market:1.5', 3, 1000, 'market_odds', body);
    assert.deepEqual(h.since('all', 6), [
      { seq: 7, ts: 1000, type: 'market_odds', body: '"marketId":"1.5","data":{"name":"Ñandú — 1/2"}' },
    ]);
    assert.equal(h.since('market:1.5', 2)?.[0]?.body, '"marketId":"1.5","data":{"name":"Ñandú — 1/2"}');
  });

  test('slots trimmed out of the window let go of their chunk before the ring is compacted', () => {
    const h = new RoomHistory({ windowMs: 1000, maxPerRoom: 1000 });
    for (let i = 1; i <= 10; i++) h.push('all', { seq: i, ts: i * 100, type: 't', body: `"i":${i}` });
    h.trim(1650); // keeps ts ≥ 650: seqs 7..10
    const ring = (h as unknown as { rings: Map<string, { chunks: Buffer[]; head: number }> }).rings.get(
      'all',
    );
    assert.ok(ring);
    assert.equal(ring.head, 6);
    assert.ok(ring.chunks.slice(0, 6).every((c) => c.length === 0));
    assert.deepEqual(
      h.since('all', 6)?.map((e) => e.body),
      ['"i":7', '"i":8', '"i":9', '"i":10'],
    );
    assert.equal(h.since('all', 5), null);
  });
});
