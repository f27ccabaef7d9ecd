import type { AppLogger as Logger } from '../logger.js';
import type { SourceStatus } from '../model/index.js';
import type { Source, UpdateSink } from './types.js';

/** Runs the configured sources and reports their status. */
export class SourceManager {
  private started = false;

  constructor(
    readonly sources: readonly Source[],
    private readonly log: Logger,
  ) {}

  /** Starts every source; a source that fails to start is logged and reported in its status, not fatal. */
  async start(sink: UpdateSink): Promise<void> {
    this.started = true;
    await Promise.all(
      this.sources.map(async (s) => {
        try {
          await s.start(sink);
          this.log.info({ source: s.name }, 'source started');
        } catch (err) {
          this.log.error({ source: s.name, err }, 'source failed to start');
        }
      }),
    );
  }

  /** Stops every source (errors are logged). */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await Promise.all(
      this.sources.map(async (s) => {
        try {
          await s.stop();
        } catch (err) {
          this.log.warn({ source: s.name, err }, 'source failed to stop cleanly');
        }
      }),
    );
  }

  /** Status of every configured source. */
  statuses(): SourceStatus[] {
    return this.sources.map((s) => s.status());
  }

  /** A source by name. */
  get(name: string): Source | undefined {
    return this.sources.find((s) => s.name === name);
  }

  /** True when at least one source is connected and not degraded. */
  anyHealthy(): boolean {
    return this.sources.some((s) => {
      const st = s.status();
      return st.connected && st.state === 'connected';
    });
  }
}
