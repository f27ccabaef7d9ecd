/** Test helpers for the simulator: drive a ManualClock and collect messages. */
import { ManualClock } from '../../src/core/clock.js';
import { ExchangeSimulator, type ExchangeSimulatorOptions } from '../../src/sim/exchange.js';
import type { McmMessage, StreamMarketChange, StreamMarketDefinition } from '../../src/sim/stream-types.js';

export const T0 = Date.UTC(2026, 10, 22, 14, 3, 17);

/** A simulator on a manual clock with every message collected. */
export function harness(opts: ExchangeSimulatorOptions = {}, start = T0) {
  const clock = new ManualClock(start);
  const sim = new ExchangeSimulator({ now: clock.now, ...opts });
  const messages: McmMessage[] = [];
  const unsubscribe = sim.subscribe((m) => messages.push(m));
  /** Moves the clock forward by ms in tick steps. */
  const run = (ms: number, step = sim.tickMs): void => {
    for (let t = 0; t < ms; t += step) {
      clock.advance(step);
      sim.tick();
    }
  };
  return { clock, sim, messages, unsubscribe, run };
}

/** Every market change in the messages, with the message's publish time. */
export function marketChanges(messages: McmMessage[]): { pt: number; mc: StreamMarketChange }[] {
  return messages.flatMap((m) => (m.mc ?? []).map((mc) => ({ pt: m.pt, mc })));
}

/** Definitions seen per market id, in order. */
export function definitions(messages: McmMessage[]): Map<string, StreamMarketDefinition[]> {
  const out = new Map<string, StreamMarketDefinition[]>();
  for (const { mc } of marketChanges(messages)) {
    if (mc.marketDefinition) out.set(mc.id, [...(out.get(mc.id) ?? []), mc.marketDefinition]);
  }
  return out;
}
