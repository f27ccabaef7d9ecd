import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { DemandRegistry, EventThrottle } from '../../src/broker/demand.js';

test('DemandRegistry: every touch reaches the listeners and is recorded, repeats within a second too', () => {
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
    assert.deepEqual(heard, [7, 7, 8, 7]);
    assert.equal(demand.lastTouched(7), 1_000_999, 'the last touch is recorded');
    mock.timers.tick(1);
    demand.touch(7);
    assert.equal(demand.lastTouched(7), 1_001_000);
    assert.equal(demand.lastTouched(8), 1_000_000);
    assert.equal(demand.lastTouched(9), undefined);
  } finally {
    mock.timers.reset();
  }
});

test('EventThrottle: once per window per event, again after it or after forget, a clock set back is due, bounded', () => {
  const t = new EventThrottle(1000, 2);
  assert.equal(t.due(7, 5000), true);
  t.mark(7, 5000);
  assert.equal(t.due(7, 5999), false, 'within the window');
  assert.equal(t.due(8, 5999), true, 'other events apart');
  assert.equal(t.due(7, 6000), true, 'the window passed');
  assert.equal(t.due(7, 4000), true, 'a clock set back');
  t.forget(7);
  assert.equal(t.due(7, 5001), true, 'forgotten');
  t.mark(1, 5000);
  t.mark(2, 5000);
  t.mark(3, 5000);
  assert.deepEqual(
    [1, 2, 3].map((id) => t.due(id, 5001)),
    [true, false, false],
    'beyond the bound the oldest mark is forgotten',
  );
});
