import type { RunningServer } from './server.js';

/**
 * Steady REST load: `workers` loops each GETting the paths in turn until stopped, recording every
 * status (a network error or timeout counts as status 0) and the slowest answer.
 */
export class RequestLoad {
  readonly statuses = new Map<number, number>();
  slowestMs = 0;
  requests = 0;
  private running = true;
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly server: RunningServer,
    private readonly paths: () => string[],
    workers = 4,
  ) {
    for (let i = 0; i < workers; i++) this.loops.push(this.loop(i));
  }

  /** Statuses other than 200, as "status×count". */
  failures(): string[] {
    return [...this.statuses].filter(([s]) => s !== 200).map(([s, n]) => `${s}×${n}`);
  }

  /** Stops the loops and waits for them. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(offset: number): Promise<void> {
    let i = offset;
    while (this.running) {
      const list = this.paths();
      const path = list[i++ % list.length] as string;
      const t0 = Date.now();
      const status = await this.server.get(path).then(
        (r) => r.status,
        () => 0,
      );
      this.slowestMs = Math.max(this.slowestMs, Date.now() - t0);
      this.requests++;
      this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
