import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RawFrameBuffer } from '../../src/ingest/raw-frames.js';
import type { Market } from '../../src/model/index.js';

function market(id: string, eventId: number, version: number): Market {
  return {
    id,
    eventId,
    source: 'betfair',
    type: 'MATCH_ODDS',
    name: 'Match Odds',
    status: 'OPEN',
    inPlay: false,
    minStake: null,
    maxStake: null,
    totalMatched: 0,
    numberOfWinners: 1,
    startTime: null,
    runners: [],
    updatedAt: 0,
    publishedAt: null,
    version,
  };
}

describe('RawFrameBuffer', () => {
  test('keeps the newest frames per market, newest first', () => {
    let t = 1000;
    const buf = new RawFrameBuffer({ perMarket: 3, clock: () => t++ });
    for (let v = 1; v <= 5; v++) buf.push(market('1.1', 7, v), { v });
    assert.deepEqual(
      buf.forMarket('1.1').map((f) => f.frame),
      [{ v: 5 }, { v: 4 }, { v: 3 }],
    );
    assert.deepEqual(
      buf.forMarket('1.1', 1).map((f) => f.version),
      [5],
    );
    assert.deepEqual(buf.stats(), { markets: 1, frames: 3, perMarket: 3, maxMarkets: 5000 });
  });

  test('bounds the number of markets, dropping the least recently updated', () => {
    let t = 0;
    const buf = new RawFrameBuffer({ perMarket: 2, maxMarkets: 2, clock: () => t++ });
    buf.push(market('1.1', 1, 1), 'a');
    buf.push(market('1.2', 2, 1), 'b');
    buf.push(market('1.1', 1, 2), 'c');
    buf.push(market('1.3', 3, 1), 'd');
    assert.deepEqual(buf.forMarket('1.2'), [], '1.2 was the least recently updated');
    assert.deepEqual(buf.forEvent(2), []);
    assert.deepEqual(buf.stats().frames, 3);
    assert.deepEqual(
      buf.recent(10).map((f) => f.frame),
      ['d', 'c', 'a'],
    );
  });

  test('frames of an event span its markets; recent() is bounded by its limit', () => {
    let t = 0;
    const buf = new RawFrameBuffer({ clock: () => t++ });
    buf.push(market('1.1', 9, 1), 'x1');
    buf.push(market('1.2', 9, 1), 'y1');
    buf.push(market('1.3', 8, 1), 'z1');
    buf.push(market('1.1', 9, 2), 'x2');
    assert.deepEqual(
      buf.forEvent(9).map((f) => f.frame),
      ['x2', 'y1', 'x1'],
    );
    assert.deepEqual(
      buf.recent(2).map((f) => f.frame),
      ['x2', 'z1'],
    );
  });

  test('markets and events that leave the state are forgotten', () => {
    const buf = new RawFrameBuffer();
    buf.push(market('1.1', 9, 1), 'x1');
    buf.push(market('1.1', 9, 2), 'x2');
    buf.push(market('1.2', 9, 1), 'y1');
    buf.push(market('1.3', 8, 1), 'z1');
    buf.forgetMarket('1.1');
    assert.deepEqual(buf.forMarket('1.1'), []);
    assert.deepEqual(
      buf.forEvent(9).map((f) => f.frame),
      ['y1'],
    );
    assert.equal(buf.stats().frames, 2);
    buf.forgetEvent(9);
    assert.deepEqual(buf.forEvent(9), []);
    assert.deepEqual(buf.stats(), { markets: 1, frames: 1, perMarket: 10, maxMarkets: 5000 });
    buf.forgetMarket('1.9');
    assert.deepEqual(
      buf.recent(10).map((f) => f.frame),
      ['z1'],
      'forgetting an unknown market changes nothing',
    );
  });
});
