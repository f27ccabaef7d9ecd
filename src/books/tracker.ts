import type { ReadModel } from '../read-model/read-model.js';
import type { ArbLimits } from './comparable.js';
import type { BookClock } from './freshness.js';
import { renderArb, renderArbClosed } from './render.js';
import { eventArbs, type ArbOpportunity } from './scan.js';

/** Changed events wait this long to be re-checked together. */
const DIRTY_FLUSH_MS = 50;

/** Push names of the `arbs` room. */
export type ArbNotice = 'arb_opened' | 'arb_updated' | 'arb_closed';

/** Options of ArbTracker. */
export interface ArbTrackerOptions {
  readModel: ReadModel;
  /** The book clock now (source statuses and time). */
  clock: () => BookClock;
  /**
   * Publishes a change of the arbitrage list (ingest.notice: sequenced, logged, pushed to `arbs`), rendered
   * as GET /api/v1/feed/arbs renders it (snake_case), so REST and WebSocket carry the same object.
   */
  publish: (name: ArbNotice, data: unknown) => void;
  /** Total stake of the published stake split. */
  total: number;
  /** Edge ceiling and leg freshness: suspect arbitrages are never published. */
  limits?: ArbLimits;
  /** Events with an arbitrage are re-checked this often (their books may go stale without any change). */
  sweepMs: number;
  /** Every event is re-checked this often (a source that reconnects confirms its books without changes). */
  fullSweepMs: number;
}

/**
 * Keeps the current arbitrages and publishes them as they appear (`arb_opened`), change (`arb_updated`)
 * and vanish (`arb_closed`): events are re-checked when the read model changes them, events with an
 * arbitrage every `sweepMs`, every event every `fullSweepMs`. Runs on the ingest writer only.
 */
export class ArbTracker {
  private readonly current = new Map<string, ArbOpportunity>();
  private readonly byEvent = new Map<number, Set<string>>();
  private readonly dirty = new Set<number>();
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;
  private flushQueued = false;

  constructor(private readonly opts: ArbTrackerOptions) {}

  /** Starts watching the read model. */
  start(): void {
    this.unsubscribe = this.opts.readModel.onChange(({ event }) => {
      if (event) this.markDirty(event.id);
    });
    const sweep = setInterval(() => this.check([...this.byEvent.keys()]), this.opts.sweepMs);
    const full = setInterval(() => this.check(this.opts.readModel.events.keys()), this.opts.fullSweepMs);
    sweep.unref();
    full.unref();
    this.timers = [sweep, full];
    this.check(this.opts.readModel.events.keys());
  }

  /** Stops watching; the list is kept as it is. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** The current arbitrages, best edge first. */
  list(): ArbOpportunity[] {
    return [...this.current.values()].sort((a, b) => b.edgePct - a.edgePct || a.id.localeCompare(b.id));
  }

  /** Re-checks events now and publishes what changed. */
  check(eventIds: Iterable<number>): void {
    const clock = this.opts.clock();
    for (const id of eventIds) this.checkEvent(id, clock);
  }

  /** Changed events are re-checked together at most every DIRTY_FLUSH_MS (a busy stream is not re-checked per message). */
  private markDirty(id: number): void {
    this.dirty.add(id);
    if (this.flushQueued) return;
    this.flushQueued = true;
    const t = setTimeout(() => {
      this.flushQueued = false;
      const ids = [...this.dirty];
      this.dirty.clear();
      if (this.unsubscribe) this.check(ids);
    }, DIRTY_FLUSH_MS);
    t.unref();
  }

  private checkEvent(eventId: number, clock: BookClock): void {
    const rm = this.opts.readModel;
    const event = rm.events.get(eventId);
    const found = event
      ? eventArbs(event, rm.marketsOf(eventId), clock, this.opts.total, this.opts.limits)
      : [];
    const before = this.byEvent.get(eventId) ?? new Set<string>();
    const now = new Set<string>();
    for (const arb of found) {
      now.add(arb.id);
      const prev = this.current.get(arb.id);
      this.current.set(arb.id, arb);
      if (!prev) this.opts.publish('arb_opened', renderArb(arb, event));
      else if (changed(prev, arb)) this.opts.publish('arb_updated', renderArb(arb, event));
    }
    for (const id of before) {
      if (now.has(id)) continue;
      const gone = this.current.get(id);
      this.current.delete(id);
      if (gone) this.opts.publish('arb_closed', renderArbClosed(gone));
    }
    if (now.size > 0) this.byEvent.set(eventId, now);
    else this.byEvent.delete(eventId);
  }
}

/** True when an arbitrage's prices or books changed (what a subscriber would act on). */
function changed(a: ArbOpportunity, b: ArbOpportunity): boolean {
  if (a.legs.length !== b.legs.length) return true;
  return a.legs.some((l, i) => {
    const m = b.legs[i];
    return !m || m.price !== l.price || m.book !== l.book || m.size !== l.size;
  });
}
