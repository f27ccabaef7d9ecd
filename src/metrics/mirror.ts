import type { Counter } from 'prom-client';

/**
 * Mirrors counts kept elsewhere (source statuses, ingest and broker stats) into a prom-client Counter at
 * scrape time: adds what grew since the last scrape. A count that went down (its owner restarted) starts
 * the series over, as a Prometheus counter reset.
 */
export class CounterMirror<L extends string> {
  private readonly last = new Map<string, number>();

  constructor(private readonly counter: Counter<L>) {}

  /** Brings the series of `labels` up to `value`. */
  set(labels: Partial<Record<L, string>>, value: number): void {
    if (!Number.isFinite(value) || value < 0) return;
    const key = JSON.stringify(labels);
    const prev = this.last.get(key) ?? 0;
    if (value < prev) {
      this.counter.remove(labels);
      if (value > 0) this.counter.inc(labels, value);
    } else if (value > prev) this.counter.inc(labels, value - prev);
    else if (!this.last.has(key)) this.counter.inc(labels, 0);
    this.last.set(key, value);
  }
}
