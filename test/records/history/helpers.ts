import type { LogEntry, Market } from '../../../src/model/index.js';
import { compareLogIds } from '../../../src/store/log-id.js';
import { market } from '../../store/fixtures.js';

/**
 * An update log the test writes by hand (ids "<ts>-<n>", times chosen by the test), with trimming, standing
 * in for the store the history writer reads.
 */
export class ScriptedLog {
  readonly kind: 'memory' | 'redis';
  entries: LogEntry[] = [];
  private n = 0;
  private lastMs = 0;

  constructor(kind: 'memory' | 'redis' = 'redis') {
    this.kind = kind;
  }

  /** Appends a market version at `ts` (ids keep increasing even when `ts` goes back, as the stores' do). */
  market(m: Market, ts: number): LogEntry {
    this.lastMs = Math.max(this.lastMs, ts);
    const e: LogEntry = { id: `${this.lastMs}-${this.n++}`, ts, change: { type: 'market', market: m } };
    this.entries.push(e);
    return e;
  }

  /** Drops every entry up to and including `id`. */
  trimThrough(id: string): void {
    this.entries = this.entries.filter((e) => compareLogIds(e.id, id) > 0);
  }

  async readLog(after: string | null, limit: number): Promise<LogEntry[]> {
    const from = after === null ? this.entries : this.entries.filter((e) => compareLogIds(e.id, after) > 0);
    return from.slice(0, limit);
  }

  async oldestLogId(): Promise<string | null> {
    return this.entries[0]?.id ?? null;
  }
}

/** A two-runner market whose first runner's best back/lay/LTP/volume are given. */
export function priced(
  id: string,
  eventId: number,
  p: { back: number; lay: number; ltp: number; tv: number; inPlay?: boolean; bsp?: number },
): Market {
  const m = market(id, eventId);
  const [a, b] = m.runners;
  return {
    ...m,
    inPlay: p.inPlay ?? false,
    runners: [
      {
        ...a!,
        back: [{ price: p.back, size: 100 }],
        lay: [{ price: p.lay, size: 50 }],
        ltp: p.ltp,
        tv: p.tv,
        bsp: p.bsp ?? null,
      },
      { ...b!, back: [{ price: 3, size: 10 }], lay: [{ price: 3.1, size: 10 }], ltp: 3, tv: 10 },
    ],
  };
}
