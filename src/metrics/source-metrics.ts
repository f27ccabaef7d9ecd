import { Counter, Gauge, type Registry } from 'prom-client';
import type { SourceStatus } from '../model/index.js';
import { CounterMirror } from './mirror.js';

const STATES = ['starting', 'connected', 'degraded', 'disconnected', 'stopped'] as const;

/** A number at `path` in a source's details (e.g. `stream.latencyMs`), else null. */
function detailNumber(details: Record<string, unknown>, path: readonly string[]): number | null {
  let cur: unknown = details;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null) return null;
    cur = (cur as Record<string, unknown>)[p];
  }
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
}

/** Upstream lag (now − upstream publish time) in ms, where the source measures it. */
function upstreamLagMs(s: SourceStatus): number | null {
  return detailNumber(s.details, ['stream', 'latencyMs']) ?? detailNumber(s.details, ['latencyMs']);
}

/** Reconnects, where the source counts them (stream disconnects, browser restarts), else null. */
function reconnectCount(s: SourceStatus): number | null {
  return (
    detailNumber(s.details, ['stream', 'disconnects']) ??
    detailNumber(s.details, ['reconnects']) ??
    detailNumber(s.details, ['browser', 'restarts'])
  );
}

/** What one source looked like at the previous scrape (for counts derived from transitions). */
interface Seen {
  lastErrorAt: number | null;
  errors: number;
  connected: boolean;
  reconnects: number;
}

/**
 * Per-source families, read from `app.sources.statuses()` at scrape time (no hook in any source's hot
 * path): frames, updates (counted at the ingest sink), upstream lag where the source measures it, age of
 * its last update, errors (each new `lastErrorAt` is one), reconnects (the source's own count, else each
 * connected → not-connected transition seen), state, and markets held.
 */
export class SourceMetrics {
  private readonly frames: CounterMirror<'source'>;
  private readonly updates: CounterMirror<'source'>;
  private readonly errors: CounterMirror<'source'>;
  private readonly reconnects: CounterMirror<'source'>;
  private readonly lag: Gauge<'source'>;
  private readonly age: Gauge<'source'>;
  private readonly up: Gauge<'source'>;
  private readonly state: Gauge<'source' | 'state'>;
  private readonly markets: Gauge<'source'>;
  private readonly seen = new Map<string, Seen>();
  /** Updates pushed per source (filled by the ingest sink wrapper). */
  readonly pushed = new Map<string, number>();

  constructor(registry: Registry) {
    const counter = (name: string, help: string) =>
      new CounterMirror(new Counter({ name, help, labelNames: ['source'] as const, registers: [registry] }));
    const gauge = (name: string, help: string) =>
      new Gauge({ name, help, labelNames: ['source'] as const, registers: [registry] });
    this.frames = counter('oddsgate_source_frames_total', 'Upstream frames received by the source.');
    this.updates = counter('oddsgate_source_updates_total', 'Model updates the source pushed to ingest.');
    this.errors = counter('oddsgate_source_errors_total', 'Errors the source reported (new lastError).');
    this.reconnects = counter('oddsgate_source_reconnects_total', 'Upstream reconnects of the source.');
    this.lag = gauge('oddsgate_source_upstream_lag_seconds', 'Now minus the upstream publish time.');
    this.age = gauge('oddsgate_source_last_update_age_seconds', 'Seconds since the last upstream update.');
    this.up = gauge('oddsgate_source_up', '1 when the source is connected and healthy.');
    this.markets = gauge('oddsgate_source_markets', 'Markets the source holds.');
    this.state = new Gauge({
      name: 'oddsgate_source_state',
      help: '1 for the state the source is in.',
      labelNames: ['source', 'state'] as const,
      registers: [registry],
    });
  }

  /** Counts a batch pushed by a source (a sink call carries one source's updates). */
  countPush(source: string, n: number): void {
    this.pushed.set(source, (this.pushed.get(source) ?? 0) + n);
  }

  /** Updates every family from the current statuses. */
  collect(statuses: readonly SourceStatus[], now: number): void {
    for (const s of statuses) {
      const labels = { source: s.source };
      this.frames.set(labels, s.frames);
      this.updates.set(labels, this.pushed.get(s.source) ?? 0);
      const lag = upstreamLagMs(s);
      if (lag !== null) this.lag.set(labels, Math.max(0, lag) / 1000);
      if (s.lastUpdateAt !== null) this.age.set(labels, Math.max(0, now - s.lastUpdateAt) / 1000);
      const healthy = s.connected && s.state === 'connected';
      this.up.set(labels, healthy ? 1 : 0);
      this.markets.set(labels, s.markets);
      for (const st of STATES) this.state.set({ source: s.source, state: st }, s.state === st ? 1 : 0);
      const seen = this.track(s, healthy);
      this.errors.set(labels, seen.errors);
      this.reconnects.set(labels, reconnectCount(s) ?? seen.reconnects);
    }
  }

  private track(s: SourceStatus, healthy: boolean): Seen {
    const prev = this.seen.get(s.source) ?? {
      lastErrorAt: null,
      errors: 0,
      connected: healthy,
      reconnects: 0,
    };
    const next: Seen = { ...prev, lastErrorAt: s.lastErrorAt, connected: healthy };
    if (s.lastErrorAt !== null && s.lastErrorAt !== prev.lastErrorAt) next.errors++;
    if (prev.connected && !healthy) next.reconnects++;
    this.seen.set(s.source, next);
    return next;
  }
}
