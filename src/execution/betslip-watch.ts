import type { Betslip } from './betslip.js';

/** One open betslip window: who asked for what, until when. */
export interface BetslipSubscription {
  clientName: string;
  eventId: number;
  outcomeId: number;
  playerId: number;
  expiresAt: number;
  /** Rebuilds the betslip now (null: the fixture or its market is gone). */
  build: () => Betslip | null;
  /** The odds last sent or answered (JSON), to push only changes. */
  last: string;
}

/** Options of the watch. */
export interface BetslipWatchOptions {
  windowMs: number;
  /** Pushes a changed betslip on the client's `betslip` channel. */
  publish: (payload: Betslip, clientName: string) => void;
  /** Changes of one event are gathered this long before betslips are rebuilt. */
  coalesceMs?: number;
  maxPerClient?: number;
  maxTotal?: number;
  now?: () => number;
}

/**
 * The 60-second betslip windows: each GET /betslip opens or extends one (client, fixture, outcome, player);
 * while it is open, a change of the fixture's books rebuilds the betslip and pushes it on the `betslip`
 * channel when its odds changed. Bounded per client and in total (the oldest window goes first).
 */
export class BetslipWatch {
  private readonly subs = new Map<string, BetslipSubscription>();
  private readonly dirty = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  private readonly maxPerClient: number;
  private readonly maxTotal: number;

  constructor(private readonly opts: BetslipWatchOptions) {
    this.now = opts.now ?? Date.now;
    this.maxPerClient = opts.maxPerClient ?? 200;
    this.maxTotal = opts.maxTotal ?? 20_000;
  }

  /** Opens or extends the window of a betslip just answered. */
  touch(sub: Omit<BetslipSubscription, 'expiresAt' | 'last'>, answered: Betslip): void {
    const key = `${sub.clientName}\u0000${sub.eventId}:${sub.outcomeId}:${sub.playerId}`;
    this.subs.delete(key);
    this.subs.set(key, {
      ...sub,
      expiresAt: this.now() + this.opts.windowMs,
      last: JSON.stringify(answered.odds),
    });
    this.bound(sub.clientName);
  }

  /** Notes a change of an event's books (from the read model). */
  changed(eventId: number): void {
    if (this.subs.size === 0) return;
    this.dirty.add(eventId);
    this.timer ??= setTimeout(() => this.flush(), this.opts.coalesceMs ?? 100);
  }

  /** Open windows (tests, health). */
  get size(): number {
    return this.subs.size;
  }

  /** Rebuilds the betslips of changed events and pushes those whose odds changed; drops expired windows. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const now = this.now();
    const events = new Set(this.dirty);
    this.dirty.clear();
    for (const [key, s] of this.subs) {
      if (s.expiresAt <= now) {
        this.subs.delete(key);
        continue;
      }
      if (!events.has(s.eventId)) continue;
      const slip = s.build();
      if (!slip) continue;
      const odds = JSON.stringify(slip.odds);
      if (odds === s.last) continue;
      s.last = odds;
      this.opts.publish(slip, s.clientName);
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.subs.clear();
  }

  private bound(clientName: string): void {
    let own = 0;
    for (const s of this.subs.values()) if (s.clientName === clientName) own++;
    for (const [key, s] of this.subs) {
      if (own <= this.maxPerClient && this.subs.size <= this.maxTotal) break;
      if (s.clientName === clientName || this.subs.size > this.maxTotal) {
        this.subs.delete(key);
        if (s.clientName === clientName) own--;
      }
    }
  }
}
