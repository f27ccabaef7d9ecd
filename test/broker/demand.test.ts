import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { DemandRegistry } from '../../src/broker/demand.js';

test('DemandRegistry: listeners hear of an event at most once a second, while every touch is recorded', () => {
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
    assert.equal(demand.lastTouched(7), 1_000_999, 'the last touch is recorded');
    mock.timers.tick(1);
    demand.touch(7);
    assert.deepEqual(heard, [7, 8, 7], 'a second after they were told, they are told again');
    assert.equal(demand.lastTouched(7), 1_001_000);
    mock.timers.tick(500);
    demand.touch(7);
    mock.timers.tick(500);
    demand.touch(7);
    assert.deepEqual(heard, [7, 8, 7, 7], 'steady demand keeps reaching them once a second');
    assert.equal(demand.lastTouched(9), undefined);
  } finally {
    mock.timers.reset();
  }
});
