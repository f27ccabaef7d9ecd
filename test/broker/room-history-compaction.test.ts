import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoomHistory } from '../../src/broker/room-history.js';

describe('RoomHistory memory', () => {
  test('a quiet room does not keep messages dropped from its window (found by the soak: RSS grew by GBs)', () => {
    const h = new RoomHistory({ windowMs: 1000, maxPerRoom: 100_000 });
    const body = 'x'.repeat(1000);
    // 2 messages/s for 10 minutes in one room: the window keeps ~2 of them.
    for (let i = 1; i <= 1200; i++) h.push('market:1.1', { seq: i, ts: i * 500, type: 'market_odds', body });
    assert.equal(h.size().messages <= 3, true);
    // What the ring still references (kept or not yet compacted) stays within twice what it keeps.
    const ring = (h as unknown as { rings: Map<string, { bodies: unknown[] }> }).rings.get('market:1.1');
    assert.ok(ring && ring.bodies.length <= 32, `ring holds ${ring?.bodies.length} entries`);
    assert.deepEqual(
      h.since('market:1.1', 1198)?.map((e) => e.seq),
      [1199, 1200],
    );
  });
});
