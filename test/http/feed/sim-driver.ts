import type { FastifyInstance } from 'fastify';
import { feed } from '../../helpers/app.js';
import { ExchangeSimulator } from '../../../src/sim/exchange.js';
import { ManualClock } from '../../../src/core/clock.js';
import { createBetfairPipeline } from '../../../src/sources/betfair/pipeline.js';
import type { SourceUpdate } from '../../../src/model/index.js';

/**
 * Runs the simulated Betfair exchange as the app's upstream: its stream messages go through the real
 * Betfair pipeline (source "sim") into ingest, `seconds` of clock at 30× speed in 1 s steps (races run,
 * close and settle), waiting for the read model after each step.
 */
export async function driveSimulator(app: FastifyInstance, seconds: number, seed = 7): Promise<void> {
  const clock = new ManualClock(Date.now());
  const sim = new ExchangeSimulator({ now: clock.now, events: 12, speed: 30, rate: 50, seed });
  let batch: SourceUpdate[] = [];
  const pipeline = createBetfairPipeline({
    source: 'sim',
    sink: (u) => batch.push(...u),
    maxLatencyMs: null,
    clock: clock.now,
  });
  const unsubscribe = sim.subscribe((msg) => pipeline.handleMessage(msg));
  try {
    for (let i = 0; i < seconds; i++) {
      clock.advance(1000);
      sim.tick();
      const b = batch;
      batch = [];
      if (b.length > 0) await feed(app, b);
    }
  } finally {
    unsubscribe();
  }
}
