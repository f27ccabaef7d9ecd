/** Milliseconds clock (epoch ms), injectable for tests; every layer takes one of these, never a copy. */
export type Clock = () => number;

/** The wall clock. */
export const systemClock: Clock = () => Date.now();

/** A clock for tests and replays: time moves only when told to. */
export class ManualClock {
  constructor(private t: number = Date.UTC(2026, 10, 22, 12, 0, 0)) {}

  /** Current time (epoch ms); pass `clock.now` as an injectable Clock. */
  readonly now = (): number => this.t;

  /** Moves the clock forward by ms. */
  advance(ms: number): void {
    this.t += ms;
  }

  /** Sets the clock to an absolute time. */
  set(ms: number): void {
    this.t = ms;
  }
}
