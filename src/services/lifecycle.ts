import type { Logger } from 'pino';

/** One service's part in the process lifecycle; every step is optional. */
export interface LifecyclePart {
  /** Names the part in log lines about a failed step. */
  name: string;
  /** Starts work once everything is built and the server is ready (sources, timers, subscriptions). */
  start?: () => Promise<void> | void;
  /** Stops producing before the server closes (sockets get 1001, sources stop, ingest commits). */
  stop?: () => Promise<void> | void;
  /** Releases what it holds after the server closed (connections, files, the database). */
  close?: () => Promise<void> | void;
}

/**
 * The order things start and end in: parts start in the order they were built and stop, then close, in
 * the reverse order, so a consumer stops before what it consumes (the broker before ingest, ingest before
 * the store, the store before the records database). A failing stop or close is logged and the next one
 * still runs: one stuck part must not keep the database open.
 */
export class Lifecycle {
  private readonly parts: LifecyclePart[] = [];
  private stopped = false;
  private closed = false;

  constructor(private readonly logger: Pick<Logger, 'error'>) {}

  /** Adds a part after the ones built before it. */
  add(part: LifecyclePart): void {
    this.parts.push(part);
  }

  /** Starts every part in build order; a failure stops the start (the caller closes). */
  async start(): Promise<void> {
    for (const part of this.parts) await part.start?.();
  }

  /** Stops every part, last built first (once). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const part of [...this.parts].reverse()) await this.run(part, 'stop');
  }

  /** Stops (if not yet) and closes every part, last built first (once). */
  async close(): Promise<void> {
    await this.stop();
    if (this.closed) return;
    this.closed = true;
    for (const part of [...this.parts].reverse()) await this.run(part, 'close');
  }

  private async run(part: LifecyclePart, step: 'stop' | 'close'): Promise<void> {
    try {
      await part[step]?.();
    } catch (err) {
      this.logger.error({ err, part: part.name }, `${part.name}: ${step} failed`);
    }
  }
}
