import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadModel } from '../../src/read-model/read-model.js';
import type { Source } from '../../src/sources/types.js';
import { demandForwarder } from '../../src/services/demand.js';

/** A read model knowing event 7 (bfi 31000007) with one market of `betfair`, and nothing else. */
function model(): { rm: ReadModel; lookups: () => number } {
  let lookups = 0;
  const event = { id: 7, upstreamIds: { betfair: '31000007' } };
  const rm = {
    findEvent(id: number | string) {
      lookups++;
      return Number(id) === 7 ? event : undefined;
    },
    marketsOf() {
      return [{ id: '1.7', source: 'betfair' }];
    },
  } as unknown as ReadModel;
  return { rm, lookups: () => lookups };
}

function demandSource(name: string) {
  const heard: { bfi: string | null; markets: readonly string[] }[] = [];
  const source = {
    name,
    demandEvent(bfi: string | null, markets: readonly string[]) {
      heard.push({ bfi, markets });
    },
  } as unknown as Source;
  return { source, heard };
}

test('demand for an event reaches an on-demand source once per throttle window', () => {
  const { rm } = model();
  const { source, heard } = demandSource('betfair');
  let now = 1_000_000;
  const forward = demandForwarder(rm, [source], 1000, () => now);
  forward(7);
  assert.deepEqual(heard, [{ bfi: '31000007', markets: ['1.7'] }]);
  for (let i = 0; i < 5; i++) forward(7);
  now += 999;
  forward(7);
  assert.equal(heard.length, 1, 'repeats within the window are not forwarded');
  now += 1;
  forward(7);
  assert.equal(heard.length, 2, 'forwarded again once the window passed');
  now -= 60_000;
  forward(7);
  assert.equal(heard.length, 3, 'a clock set back forwards at once');
});

test('an event not known yet is forwarded as soon as it is, without waiting for the window', () => {
  const { rm } = model();
  const { source, heard } = demandSource('betfair');
  const forward = demandForwarder(rm, [source], 1000, () => 5_000);
  forward(8);
  assert.equal(heard.length, 0);
  forward(7);
  assert.equal(heard.length, 1);
});

test('with no on-demand source, a touch does no read-model work', () => {
  const { rm, lookups } = model();
  const plain = { name: 'sim' } as unknown as Source;
  const forward = demandForwarder(rm, [plain]);
  for (let i = 0; i < 10; i++) forward(7);
  assert.equal(lookups(), 0);
});
