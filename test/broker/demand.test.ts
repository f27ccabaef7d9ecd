import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { DemandRegistry } from '../../src/broker/demand.js';

test('DemandRegistry: repeated demand for an event within a second is told once; later demand again; each event apart', () => {
  mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
  try {
    const demand = new DemandRegistry();
    const heard: number[] = [];
    demand.onDemand((id) => heard.push(id));
    demand.touch(7);
    demand.touch(7);
    demand.touch(8);
    mock.timers.tick(999);
    demand.touch(7);
    assert.deepEqual(heard, [7, 8]);
    assert.equal(demand.lastTouched(7), 1_000_000);
    mock.timers.tick(1);
    demand.touch(7);
    assert.deepEqual(heard, [7, 8, 7]);
    assert.equal(demand.lastTouched(7), 1_001_000);
    assert.equal(demand.lastTouched(9), undefined);
  } finally {
    mock.timers.reset();
  }
});
