/**
 * Unit checks of the simulator's price model and quoting (deterministic, no clock): a book is a tick or
 * two wide at short prices, and a two-runner match in play has no near-certain favourite while half
 * the play is left, yet points at its winner by the end.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RunnerBook } from '../../src/sim/book.js';
import { createModel, playClock } from '../../src/sim/models.js';
import { Prng } from '../../src/sim/random.js';
import { scheduleAt } from '../../src/sim/schedule.js';
import { ticksBetween } from '../../src/model/ticks.js';

describe('simulated price model', () => {
  test('a short price is quoted a tick or two wide in play, back at or below fair, lay at or above', () => {
    const style = { halfSpread: 0.018, gapTicks: 0, maxSpreadTicks: 2, depth: 3, liquidity: 300 };
    for (const fair of [1.17, 1.545, 2.37, 3.3, 7.1]) {
      const b = new RunnerBook(1);
      b.quote(1 / fair, style, new Prng(1));
      const back = b.bestBack as number;
      const lay = b.bestLay as number;
      assert.ok(back <= fair && lay >= fair, `${fair}: ${back}/${lay}`);
      assert.ok(ticksBetween(back, lay) <= 2, `${fair}: ${back}/${lay} is ${ticksBetween(back, lay)} ticks`);
    }
  });

  test('tennis and cricket: no favourite above 0.94 while half the play is left; the winner clear at the end', () => {
    const speed = 1;
    let matches = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const t0 = Date.UTC(2026, 10, 22, 12, 0, 0);
      for (const ev of scheduleAt({ seed, speed, events: 40 }, t0)) {
        if (ev.sport !== 'tennis' && ev.sport !== 'cricket') continue;
        matches++;
        const model = createModel(ev, speed);
        const rng = new Prng(seed);
        let lastPlayed = 0;
        for (let t = ev.startAt + 5000; t <= ev.endAt + 4999; t += 5000) {
          const clock = playClock(ev, Math.min(t, ev.endAt), speed);
          model.step(5, clock, rng);
          const fav = Math.max(...model.probs);
          if (clock.playedMs <= clock.totalMs / 2)
            assert.ok(fav <= 0.94 + 1e-9, `${ev.name} at ${clock.playedMs / 60_000} min: ${fav}`);
          lastPlayed = clock.playedMs / clock.totalMs;
        }
        assert.ok(lastPlayed > 0.99, `${ev.name} played to the end`);
        assert.ok(
          Math.max(...model.probs) > 0.97,
          `${ev.name} ends with a clear winner: ${[...model.probs]}`,
        );
      }
    }
    assert.ok(matches >= 20, `matches modelled: ${matches}`);
  });
});
