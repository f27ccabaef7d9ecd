import type { MarketChange, MarketDefinition, RunnerChange, RunnerDefinition } from './protocol.js';
import { RunnerCache, type RunnerSnapshot } from './runner-cache.js';

/** A market as it stands, runners ordered by sortPriority (runners without one last, in arrival order). */
export interface MarketSnapshot {
  readonly marketId: string;
  /** Publish time (`pt`) of the last change applied, epoch ms. */
  readonly publishTime: number | null;
  /** The last market definition received (raw), null when the stream never sent one. */
  readonly definition: Readonly<MarketDefinition> | null;
  readonly status: string | null;
  readonly inPlay: boolean;
  /** Market traded volume (`tv`) as given. */
  readonly totalMatched: number;
  readonly runners: readonly RunnerSnapshot[];
}

/** Key of a runner: (selection id, handicap); handicap defaults to 0. */
function runnerKey(id: number, hc: number): number | string {
  return hc === 0 ? id : `${id}:${hc}`;
}

function toSelectionId(id: unknown): number | null {
  const n = typeof id === 'number' ? id : typeof id === 'string' ? Number(id) : NaN;
  return Number.isFinite(n) ? n : null;
}

function bySortPriority(a: RunnerCache, b: RunnerCache): number {
  const pa = a.definition?.sortPriority ?? Number.MAX_SAFE_INTEGER;
  const pb = b.definition?.sortPriority ?? Number.MAX_SAFE_INTEGER;
  return pa - pb;
}

function snapshotAll(runners: readonly RunnerCache[]): RunnerSnapshot[] {
  const out = new Array<RunnerSnapshot>(runners.length);
  for (let i = 0; i < runners.length; i++) out[i] = (runners[i] as RunnerCache).snapshot();
  return out;
}

/**
 * The cache of one market: its definition, market volume and runners with their ladders
 * (the third stage of listener → stream → cache). Snapshots are taken on demand and memoized.
 */
export class MarketCache {
  definition: MarketDefinition | null = null;
  totalMatched = 0;
  publishTime: number | null;
  /** Market changes received with `con: true` (conflated by Betfair). */
  conflated = 0;
  /** Publish time at which the market was first seen CLOSED (for eviction), null while not closed. */
  closedAt: number | null = null;
  /** Sequence number of the stream message that last touched this market (set by the stream). */
  touchedIn = 0;
  /** What the normalizer keeps between conversions of this market (see MarketNormalizer); never read here. */
  normalized: unknown = null;
  private readonly runners = new Map<number | string, RunnerCache>();
  private ordered: RunnerCache[] = [];
  private orderDirty = false;
  private snap: MarketSnapshot | null = null;
  private lastRunners: RunnerSnapshot[] | null = null;
  /** Bumped by every reorder; `lastRunners` follows the order of `lastRunnersOrder`. */
  private orderVersion = 0;
  private lastRunnersOrder = -1;
  /** Position of each runner in `ordered` (valid while !orderDirty). */
  private readonly position = new Map<RunnerCache, number>();
  /** Runners changed since the last snapshot (its runners array is patched instead of rebuilt). */
  private changed: RunnerCache[] = [];

  constructor(
    readonly marketId: string,
    publishTime: number | null = null,
  ) {
    this.publishTime = publishTime;
  }

  /** Status from the definition (OPEN, SUSPENDED, CLOSED, INACTIVE), null before any definition. */
  get status(): string | null {
    return this.definition?.status ?? null;
  }

  /** True once the definition says CLOSED. */
  get closed(): boolean {
    return this.definition?.status === 'CLOSED';
  }

  /** Number of runners held (every runner ever seen, removed ones included). */
  get runnerCount(): number {
    return this.runners.size;
  }

  /** A runner by selection id and handicap. */
  runner(selectionId: number, handicap = 0): RunnerCache | undefined {
    return this.runners.get(runnerKey(selectionId, handicap));
  }

  /** Applies one market change; returns true when it carried a market definition. */
  apply(mc: MarketChange, publishTime: number | null): boolean {
    this.snap = null;
    if (publishTime !== null) this.publishTime = publishTime;
    if (mc.con === true) this.conflated++;
    const def = mc.marketDefinition;
    if (def) this.setDefinition(def);
    if (typeof mc.tv === 'number') this.totalMatched = mc.tv;
    if (Array.isArray(mc.rc)) for (const rc of mc.rc) this.applyRunner(rc);
    return def !== undefined;
  }

  /**
   * Keeps a definition from the cache this one replaces, for an image (`img: true`) that carries none:
   * the definition is only sent when it changes, so the previous one still holds.
   */
  inheritDefinition(def: MarketDefinition): void {
    this.snap = null;
    this.setDefinition(def);
  }

  /** The market as it stands (memoized until the next change). */
  snapshot(): MarketSnapshot {
    if (this.snap) return this.snap;
    const d = this.definition;
    this.snap = {
      marketId: this.marketId,
      publishTime: this.publishTime,
      definition: d,
      status: d?.status ?? null,
      inPlay: d?.inPlay === true,
      totalMatched: this.totalMatched,
      runners: this.runnerSnapshots(),
    };
    return this.snap;
  }

  /** The runners array: rebuilt when the order changed, else the previous one patched where runners changed. */
  private runnerSnapshots(): RunnerSnapshot[] {
    const prev = this.lastRunners;
    const changed = this.changed;
    this.changed = [];
    if (this.orderDirty) this.reorder();
    if (!prev || this.lastRunnersOrder !== this.orderVersion) {
      this.lastRunners = snapshotAll(this.ordered);
      this.lastRunnersOrder = this.orderVersion;
      return this.lastRunners;
    }
    if (changed.length === 0) return prev;
    const out = prev.slice();
    for (const r of changed) out[this.position.get(r) as number] = r.snapshot();
    this.lastRunners = out;
    return out;
  }

  /**
   * The runner caches in snapshot order (sortPriority, then arrival). Shared: do not mutate; read it
   * again after the next change (a definition or a new runner replaces it).
   */
  orderedRunners(): readonly RunnerCache[] {
    if (this.orderDirty) this.reorder();
    return this.ordered;
  }

  private reorder(): void {
    this.ordered = [...this.runners.values()].sort(bySortPriority);
    this.position.clear();
    this.ordered.forEach((r, i) => this.position.set(r, i));
    this.orderDirty = false;
    this.orderVersion++;
  }

  private setDefinition(def: MarketDefinition): void {
    this.definition = def;
    if (def.status === 'CLOSED') this.closedAt ??= this.publishTime ?? 0;
    else this.closedAt = null;
    if (!Array.isArray(def.runners)) return;
    for (const rd of def.runners) this.defineRunner(rd);
    this.orderDirty = true;
  }

  private defineRunner(rd: RunnerDefinition): void {
    const id = toSelectionId(rd.id);
    if (id === null) return;
    const hc = typeof rd.hc === 'number' ? rd.hc : 0;
    const key = runnerKey(id, hc);
    let runner = this.runners.get(key);
    if (!runner) {
      runner = new RunnerCache(id, hc);
      this.runners.set(key, runner);
    }
    runner.setDefinition(rd); // a definition also reorders: every runner is re-snapshotted
  }

  private applyRunner(rc: RunnerChange): void {
    const id = toSelectionId(rc.id);
    if (id === null) return;
    const hc = typeof rc.hc === 'number' ? rc.hc : 0;
    const key = runnerKey(id, hc);
    let runner = this.runners.get(key);
    if (!runner) {
      runner = new RunnerCache(id, hc);
      this.runners.set(key, runner);
      this.orderDirty = true;
    } else if (runner.clean) this.changed.push(runner);
    runner.apply(rc);
  }
}
