import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRoom, roomsFor, marketKind } from '../../src/broker/rooms.js';
import { event, market, result } from '../store/fixtures.js';

describe('roomsFor: which rooms a stored change is published to', () => {
  const ev = event(1_000_001, { sportId: 3 });

  test('an odds market → all, sport, event, market, odds; fancy and bookmaker markets skip odds', () => {
    const m = market('1.5', 1_000_001);
    assert.deepEqual(roomsFor({ type: 'market', market: m }, { event: ev }), [
      'all',
      'sport:3',
      'event:1000001',
      'market:1.5',
      'odds',
    ]);
    const fancy = { ...m, id: 'f.1', type: 'FANCY' };
    assert.deepEqual(roomsFor({ type: 'market', market: fancy }, { event: ev }), [
      'all',
      'sport:3',
      'event:1000001',
      'market:f.1',
    ]);
    assert.deepEqual(roomsFor({ type: 'market', market: m }, { event: undefined }), [
      'all',
      'event:1000001',
      'market:1.5',
      'odds',
    ]);
  });

  test('event: matches only when list-relevant; closing → remove (all, matches, event) once', () => {
    const change = { type: 'event' as const, event: ev };
    assert.deepEqual(roomsFor(change, { event: ev }), ['all', 'sport:3', 'event:1000001', 'matches']);
    assert.deepEqual(roomsFor(change, { event: ev, prev: ev }), ['all', 'sport:3', 'event:1000001']);
    assert.deepEqual(roomsFor(change, { event: ev, prev: { ...ev, inPlay: true } }), [
      'all',
      'sport:3',
      'event:1000001',
      'matches',
    ]);
    const closed = { type: 'event' as const, event: { ...ev, status: 'CLOSED' as const } };
    assert.deepEqual(roomsFor(closed, { event: ev, prev: ev }), ['all', 'matches', 'event:1000001']);
    assert.deepEqual(roomsFor(closed, { event: ev, prev: ev, removed: true }), []);
    assert.deepEqual(roomsFor(closed, { event: ev, prev: closed.event }), []);
  });

  test('result → remove_match_from_list rooms unless already removed; score; notices; bookmaker removal only', () => {
    const r = result(1_000_001, '2026-11-22T17:00:00.000Z');
    assert.deepEqual(roomsFor({ type: 'result', result: r }, { event: ev }), [
      'all',
      'matches',
      'event:1000001',
    ]);
    assert.deepEqual(roomsFor({ type: 'result', result: r }, { event: ev, removed: true }), []);
    assert.deepEqual(roomsFor({ type: 'score', eventId: 1_000_001, score: {} }, { event: ev }), [
      'all',
      'event:1000001',
    ]);
    assert.deepEqual(roomsFor({ type: 'notice', name: 'matches_updated', data: [] }, { event: undefined }), [
      'all',
      'matches',
    ]);
    const removed = { type: 'marketRemoved' as const, marketId: 'bm.1', eventId: 1_000_001 };
    assert.deepEqual(roomsFor(removed, { event: ev, marketType: 'BOOKMAKER' }), [
      'all',
      'sport:3',
      'event:1000001',
      'market:bm.1',
    ]);
    assert.deepEqual(roomsFor(removed, { event: ev, marketType: 'MATCH_ODDS' }), []);
    assert.deepEqual(
      roomsFor({ type: 'sport', sport: { id: 1, name: 'Football' } }, { event: undefined }),
      [],
    );
  });

  test('parseRoom accepts the protocol rooms and nothing else; marketKind', () => {
    assert.deepEqual(parseRoom('all'), { kind: 'all' });
    assert.deepEqual(parseRoom('event:35540213'), { kind: 'event', id: '35540213' });
    assert.deepEqual(parseRoom('market:1.257422429'), { kind: 'market', id: '1.257422429' });
    assert.deepEqual(parseRoom('sport:Horse Racing'), { kind: 'sport', id: 'Horse Racing' });
    for (const bad of [
      '',
      'everything',
      'event:',
      'event:a b',
      'market:' + 'x'.repeat(65),
      'team:1',
      42,
      null,
    ]) {
      assert.equal(parseRoom(bad), null, String(bad));
    }
    assert.equal(marketKind('FANCY'), 'fancy');
    assert.equal(marketKind('BOOKMAKER'), 'bookmaker');
    assert.equal(marketKind('MATCH_ODDS'), 'odds');
  });
});
