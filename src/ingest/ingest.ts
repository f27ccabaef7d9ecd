import type { AppLogger as Logger } from '../logger.js';
import type { Change, Event, Market, Result, SourceEventFields, SourceUpdate } from '../model/index.js';
import { mainMarket, sportName } from '../model/index.js';
import type { Store, StoreSnapshot } from '../store/types.js';
import type { Clock } from '../sources/types.js';
import { systemClock } from '../sources/types.js';
import { eventChanged, flagsFromMarkets, mergeEvent, mergeMarket } from './merge.js';
import { buildResult, hasPrices } from './results.js';
import { closedByCompletion, completionOptions, isGone, type CompletionOptions } from './completion.js';
import { fieldsFromSource } from '../matching/primary.js';

export interface IngestOptions {
  store: Store;
  logger: Logger;
  clock?: Clock;
  /** Closed markets leave the current state this long after closing. */
  closedMarketTtlMs: number;
  /** Called for every market change with the raw upstream frame, when the source gave one. */
  onRaw?: (market: Market, raw: unknown) => void;
  /** Assigns broker positions (Change.rooms) right before each commit; the returned function undoes it. */
  sequencer?: CommitSequencer;
  /** When an event the upstream went quiet about counts as finished (see completion.ts). */
  completion?: Partial<CompletionOptions>;
  /** Cross-source matching: asked for an existing event before a new upstream event gets a fresh id. */
  matcher?: EventMatcher;
}

/** Finds the existing event (internal id) a new upstream event is the same match as, or null (src/matching). */
export interface EventMatcher {
  match(
    source: string,
    upstreamId: string,
    fields: SourceEventFields,
    events: Event[],
  ): Promise<number | null>;
}

/** Assigns per-room positions to changes before they are committed (the broker's sequencer). */
export interface CommitSequencer {
  assign(changes: Change[]): () => void;
}

export interface IngestStats {
  updates: number;
  commits: number;
  changes: number;
  failures: number;
  pending: number;
  lastCommitAt: number | null;
  lastError: string | null;
  results: number;
}

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5000;
const EVICT_EVERY_MS = 30_000;

/**
 * Ingest: turns sources' updates into stored state. Gives every upstream event a stable internal id,
 * merges updates into the current state, commits state + update log in one store round trip per batch,
 * and records results when an event's main market closes. While the store is down, changes are kept
 * (coalesced per entity) and committed when it is back.
 */
export class Ingest {
  private readonly store: Store;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly events = new Map<number, Event>();
  private readonly markets = new Map<string, Market>();
  private readonly eventMarkets = new Map<number, Set<string>>();
  private readonly ids = new Map<string, number>();
  private readonly lastPriced = new Map<string, Market>();
  private readonly scores = new Map<number, unknown>();
  private readonly sports = new Set<number>();
  /** How the result of each event resulted by this process was known (a settled close upgrades the rest). */
  private readonly resulted = new Map<number, Result['winnerSource']>();
  private readonly completion: CompletionOptions;
  private queue: SourceUpdate[] = [];
  private pending = new Map<string, Change>();
  private running = false;
  private scheduled = false;
  private retryMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private evictTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private paused = false;
  private noticeSeq = 0;
  private idle: (() => void)[] = [];
  readonly stats: IngestStats = {
    updates: 0,
    commits: 0,
    changes: 0,
    failures: 0,
    pending: 0,
    lastCommitAt: null,
    lastError: null,
    results: 0,
  };

  constructor(private readonly opts: IngestOptions) {
    this.store = opts.store;
    this.log = opts.logger;
    this.clock = opts.clock ?? systemClock;
    this.completion = completionOptions(opts.completion);
  }

  /**
   * Loads the current state to merge against and starts periodic eviction of closed markets. Called again
   * (an instance that takes over the ingest lease), it first forgets the state it had and resumes.
   */
  init(snapshot: StoreSnapshot): void {
    this.forget();
    this.paused = false;
    for (const s of snapshot.sports) this.sports.add(s.id);
    for (const e of snapshot.events) {
      this.events.set(e.id, e);
      for (const [src, up] of Object.entries(e.upstreamIds)) this.ids.set(`${src}:${up}`, e.id);
    }
    for (const m of snapshot.markets) this.putMarket(m);
    this.evictTimer = setInterval(() => {
      this.checkCompletion();
      this.evict();
    }, EVICT_EVERY_MS);
    this.evictTimer.unref();
  }

  /** Accepts updates from a source (the UpdateSink). Batched into one commit per event-loop turn. */
  readonly push = (updates: SourceUpdate[]): void => {
    if (this.closed || this.paused || updates.length === 0) return;
    this.stats.updates += updates.length;
    for (const u of updates) this.queue.push(u);
    this.schedule();
  };

  /** Resolves when everything pushed so far is committed (or the store is failing and it was tried). */
  async drain(): Promise<void> {
    if (!this.running && !this.scheduled && this.queue.length === 0 && this.pending.size === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** Stops timers; pending changes are attempted once more. */
  async close(): Promise<void> {
    if (this.evictTimer) clearInterval(this.evictTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.queue.length > 0 || this.pending.size > 0) await this.flush().catch(() => undefined);
    this.closed = true;
    for (const r of this.idle.splice(0)) r();
  }

  /**
   * Stops writing (this instance lost the ingest lease, or never had it): timers stop and queued or
   * uncommitted changes are dropped, since another instance is the writer now; push and notice are
   * ignored until init() is called again.
   */
  pause(): void {
    this.paused = true;
    this.forget();
    for (const r of this.idle.splice(0)) r();
  }

  /** True while paused (not the writer). */
  get isPaused(): boolean {
    return this.paused;
  }

  private forget(): void {
    if (this.evictTimer) clearInterval(this.evictTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.evictTimer = null;
    this.retryTimer = null;
    this.scheduled = false;
    this.queue = [];
    this.pending = new Map();
    for (const m of [
      this.events,
      this.markets,
      this.eventMarkets,
      this.ids,
      this.lastPriced,
      this.scores,
      this.resulted,
    ]) {
      m.clear();
    }
    this.sports.clear();
  }

  /** Appends a broker-only notice (e.g. matches_updated) to the update log with the next commit. */
  notice(name: string, data: unknown): void {
    if (this.closed || this.paused) return;
    this.pending.set(`notice:${name}:${this.noticeSeq++}`, { type: 'notice', name, data });
    this.schedule();
  }

  /** Current merged view of a market (ingest side). */
  market(id: string): Market | undefined {
    return this.markets.get(id);
  }

  private schedule(delayMs = 0): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.retryTimer = null;
      void this.flush();
    };
    if (delayMs > 0) this.retryTimer = setTimeout(run, delayMs);
    else setImmediate(run);
  }

  private async flush(): Promise<void> {
    if (this.running) return;
    this.running = true;
    let ok = true;
    try {
      ok = await this.processQueue();
      if (ok) ok = await this.commitPending();
    } finally {
      this.running = false;
    }
    if (this.paused) {
      // paused while this flush ran: a failed commit's changes are not this instance's to retry
      this.queue = [];
      this.pending = new Map();
      for (const r of this.idle.splice(0)) r();
      return;
    }
    if (!ok && !this.closed) {
      this.schedule(this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
      for (const r of this.idle.splice(0)) r();
      return;
    }
    this.retryMs = RETRY_MIN_MS;
    if (this.queue.length > 0) this.schedule();
    else for (const r of this.idle.splice(0)) r();
  }

  private async processQueue(): Promise<boolean> {
    const batch = this.queue;
    this.queue = [];
    try {
      await this.resolveIds(batch);
    } catch (err) {
      this.fail(err);
      this.queue = batch.concat(this.queue);
      return false;
    }
    const now = this.clock();
    for (const u of batch) this.applyUpdate(u, now);
    return true;
  }

  private async resolveIds(batch: SourceUpdate[]): Promise<void> {
    const missing = new Map<string, [string, string]>();
    const fields = new Map<string, SourceEventFields>();
    for (const u of batch) {
      if (u.kind === 'marketRemoved') continue;
      const key = `${u.source}:${u.upstreamEventId}`;
      if (!this.ids.has(key)) missing.set(key, [u.source, u.upstreamEventId]);
      if (u.kind === 'event' && missing.has(key)) fields.set(key, u.event);
    }
    if (this.opts.matcher) return this.resolveMatched(this.opts.matcher, missing, fields);
    await Promise.all(
      [...missing].map(async ([key, [src, up]]) =>
        this.ids.set(key, await this.store.resolveEventId(src, up)),
      ),
    );
  }

  /**
   * Resolves new upstream events one by one, asking the matcher for an existing event first (one seen
   * earlier in this batch included) and linking the upstream id to it when found.
   */
  private async resolveMatched(
    matcher: EventMatcher,
    missing: Map<string, [string, string]>,
    fields: Map<string, SourceEventFields>,
  ): Promise<void> {
    const fresh = new Map<number, Event>();
    for (const [key, [src, up]] of missing) {
      const f = fields.get(key);
      let id = f ? await this.store.findEventId(src, up) : null;
      if (id === null && f) {
        const known = [...this.events.values()].filter((e) => !fresh.has(e.id));
        id = await matcher.match(src, up, f, [...known, ...fresh.values()]);
        if (id !== null) await this.store.linkEventId(src, up, id);
      }
      id ??= await this.store.resolveEventId(src, up);
      this.ids.set(key, id);
      const base = fresh.get(id) ?? this.events.get(id);
      if (f) fresh.set(id, mergeEvent(id, src, up, f, base, this.clock()));
    }
  }

  /**
   * Points (source, upstreamId) at event `targetId` (a manual link, or an unlink to a fresh id): persists
   * the mapping, moves that source's markets to the target, adds the upstream id to the target and takes
   * it off the event it leaves (dropped when it has no source left). Resolves once committed.
   */
  async relink(source: string, upstreamId: string, targetId: number): Promise<void> {
    const key = `${source}:${upstreamId}`;
    const fromId = this.ids.get(key) ?? (await this.store.findEventId(source, upstreamId)) ?? undefined;
    await this.store.linkEventId(source, upstreamId, targetId);
    this.ids.set(key, targetId);
    if (fromId === targetId) return;
    const now = this.clock();
    const from = fromId === undefined ? undefined : this.events.get(fromId);
    const target = this.events.get(targetId);
    const next: Event | undefined = target
      ? { ...target, upstreamIds: { ...target.upstreamIds, [source]: upstreamId }, updatedAt: now }
      : from && { ...from, id: targetId, upstreamIds: { [source]: upstreamId }, updatedAt: now };
    // the event left behind goes first: its removal must not take the upstream id the target now has
    if (from) this.leave(from, source, targetId, now);
    if (next) {
      this.pending.delete(`event:${targetId}`);
      this.setEvent(next);
    }
    // a commit already under way does not take changes made during it: drain until they are in
    for (let i = 0; i < 3 && this.pending.size > 0 && !this.closed; i++) {
      this.schedule();
      await this.drain();
    }
  }

  /** Moves `source`'s markets of `from` to `targetId` and takes `source` off `from`. */
  private leave(from: Event, source: string, targetId: number, now: number): void {
    for (const m of this.marketsOf(from.id)) {
      if (m.source !== source) continue;
      this.eventMarkets.get(from.id)?.delete(m.id);
      const moved: Market = { ...m, eventId: targetId, updatedAt: now, version: m.version + 1 };
      this.putMarket(moved);
      this.pending.set(`market:${m.id}`, { type: 'market', market: moved });
    }
    const ids = { ...from.upstreamIds };
    delete ids[source];
    if (Object.keys(ids).length === 0) this.dropEvent(from.id);
    else this.setEvent({ ...from, upstreamIds: ids, updatedAt: now });
  }

  private applyUpdate(u: SourceUpdate, now: number): void {
    if (u.kind === 'marketRemoved') return this.removeMarket(u.marketId);
    const eventId = this.ids.get(`${u.source}:${u.upstreamEventId}`);
    if (eventId === undefined) return;
    if (u.kind === 'event') return this.applyEvent(eventId, u.source, u.upstreamEventId, u.event, now);
    if (u.kind === 'score') {
      this.scores.set(eventId, u.score);
      this.pending.set(`score:${eventId}`, { type: 'score', eventId, score: u.score });
      return;
    }
    if (!this.events.has(eventId)) {
      this.log.debug({ marketId: u.market.id }, 'market before its event; skipped');
      return;
    }
    this.applyMarket(eventId, u.market, u.raw, now);
  }

  private applyEvent(
    id: number,
    source: string,
    upstreamId: string,
    fields: Parameters<typeof mergeEvent>[3],
    now: number,
  ): void {
    const prev = this.events.get(id);
    const next = mergeEvent(id, source, upstreamId, fieldsFromSource(source, fields, prev), prev, now);
    if (prev && !eventChanged(prev, next)) return;
    if (!this.sports.has(next.sportId)) {
      this.sports.add(next.sportId);
      this.pending.set(`sport:${next.sportId}`, {
        type: 'sport',
        sport: { id: next.sportId, name: sportName(next.sportId) },
      });
    }
    this.setEvent(next);
    if (next.status === 'CLOSED' && prev?.status !== 'CLOSED') this.onEventClosed(next, now);
  }

  private applyMarket(
    eventId: number,
    src: Parameters<typeof mergeMarket>[1],
    raw: unknown,
    now: number,
  ): void {
    const prev = this.markets.get(src.id);
    const m = mergeMarket(eventId, src, prev, now);
    this.putMarket(m);
    this.pending.set(`market:${m.id}`, { type: 'market', market: m });
    if (raw !== undefined) this.opts.onRaw?.(m, raw);
    if (m.status !== 'CLOSED' && hasPrices(m)) this.lastPriced.set(m.id, m);
    const ev = this.events.get(eventId);
    if (!ev) return;
    // Markets can raise the flags; they never clear flags a source set on the event (a site lists an event's
    // fancy and bookmaker markets before any of them has been scraped).
    const found = flagsFromMarkets(this.marketsOf(eventId));
    const flags = {
      hasFancy: ev.hasFancy || found.hasFancy,
      hasBookmaker: ev.hasBookmaker || found.hasBookmaker,
    };
    if (flags.hasFancy !== ev.hasFancy || flags.hasBookmaker !== ev.hasBookmaker) {
      this.setEvent({ ...ev, ...flags, updatedAt: now });
    }
    if (m.status === 'CLOSED' && (prev?.status !== 'CLOSED' || this.settles(m))) this.onMarketClosed(m, now);
  }

  /** True when a closed market carries a settlement that upgrades an inferred result of this process. */
  private settles(m: Market): boolean {
    const known = this.resulted.get(m.eventId);
    return (known === 'inferred' || known === 'unknown') && m.runners.some((r) => r.status === 'WINNER');
  }

  /** The upstream closed the event before its main market: record a result from the last prices. */
  private onEventClosed(ev: Event, now: number): void {
    const main = mainMarket(this.marketsOf(ev.id));
    if (!main || main.status === 'CLOSED' || this.resulted.has(ev.id)) return;
    this.recordResult(buildResult(ev, main, this.lastPriced.get(main.id), this.scores.get(ev.id), now));
  }

  private recordResult(result: Result): void {
    if (!this.resulted.has(result.eventId)) this.stats.results++;
    this.resulted.set(result.eventId, result.winnerSource);
    this.pending.set(`result:${result.eventId}`, { type: 'result', result });
  }

  /**
   * Finishes events the upstream went quiet about (see completion.ts): closes their open markets and the
   * event, records an inferred result unless one exists, and drops events that never had a market.
   * Runs with eviction; returns how many events it finished.
   */
  checkCompletion(): number {
    const now = this.clock();
    let n = 0;
    for (const ev of [...this.events.values()]) {
      const markets = this.marketsOf(ev.id);
      if (!isGone(ev, markets, now, this.completion)) continue;
      n++;
      const main = mainMarket(markets);
      if (!main) {
        this.dropEvent(ev.id);
        continue;
      }
      const hadResult = this.resulted.has(ev.id) || main.status === 'CLOSED';
      for (const m of markets) {
        if (m.status === 'CLOSED') continue;
        const closed = closedByCompletion(m, now);
        this.putMarket(closed);
        this.pending.set(`market:${m.id}`, { type: 'market', market: closed });
      }
      if (!hadResult) {
        const closedMain = this.markets.get(main.id) ?? main;
        const result = buildResult(ev, closedMain, this.lastPriced.get(main.id), this.scores.get(ev.id), now);
        this.recordResult(result);
      }
      this.setEvent({ ...ev, status: 'CLOSED', inPlay: false, updatedAt: now });
      this.log.info({ eventId: ev.id, name: ev.name }, 'event gone quiet after its expected end; completed');
    }
    if (n > 0) this.schedule();
    return n;
  }

  private onMarketClosed(m: Market, now: number): void {
    const ev = this.events.get(m.eventId);
    if (!ev) return;
    const all = this.marketsOf(m.eventId);
    const main = mainMarket(all);
    if (main?.id === m.id) {
      this.recordResult(buildResult(ev, m, this.lastPriced.get(m.id), this.scores.get(ev.id), now));
    }
    if (all.every((x) => x.status === 'CLOSED') && ev.status !== 'CLOSED') {
      this.setEvent({ ...ev, status: 'CLOSED', inPlay: false, updatedAt: now });
    }
  }

  private setEvent(e: Event): void {
    this.events.set(e.id, e);
    this.pending.set(`event:${e.id}`, { type: 'event', event: e });
  }

  private putMarket(m: Market): void {
    this.markets.set(m.id, m);
    let set = this.eventMarkets.get(m.eventId);
    if (!set) this.eventMarkets.set(m.eventId, (set = new Set()));
    set.add(m.id);
  }

  private marketsOf(eventId: number): Market[] {
    const out: Market[] = [];
    for (const id of this.eventMarkets.get(eventId) ?? []) {
      const m = this.markets.get(id);
      if (m) out.push(m);
    }
    return out;
  }

  private removeMarket(marketId: string): void {
    const m = this.markets.get(marketId);
    if (!m) return;
    this.markets.delete(marketId);
    this.lastPriced.delete(marketId);
    this.eventMarkets.get(m.eventId)?.delete(marketId);
    this.pending.set(`market:${marketId}`, { type: 'marketRemoved', marketId, eventId: m.eventId });
    const left = this.eventMarkets.get(m.eventId);
    const ev = this.events.get(m.eventId);
    if (ev && (!left || left.size === 0) && ev.status === 'CLOSED') this.dropEvent(ev.id);
  }

  private dropEvent(id: number): void {
    this.events.delete(id);
    this.eventMarkets.delete(id);
    this.scores.delete(id);
    this.resulted.delete(id);
    this.pending.set(`event:${id}`, { type: 'eventRemoved', eventId: id });
  }

  /** Drops markets closed for longer than the TTL, and closed events left without markets. */
  evict(): void {
    const cutoff = this.clock() - this.opts.closedMarketTtlMs;
    let n = 0;
    for (const m of [...this.markets.values()]) {
      if (m.status === 'CLOSED' && m.updatedAt < cutoff) {
        this.removeMarket(m.id);
        n++;
      }
    }
    if (n > 0) this.schedule();
  }

  private async commitPending(): Promise<boolean> {
    if (this.pending.size === 0) return true;
    const batch = this.pending;
    this.pending = new Map();
    const changes = [...batch.values()];
    const undo = this.opts.sequencer?.assign(changes);
    try {
      await this.store.commit(changes);
      this.stats.commits++;
      this.stats.changes += changes.length;
      this.stats.lastCommitAt = this.clock();
      this.stats.pending = this.pending.size;
      return true;
    } catch (err) {
      undo?.();
      this.fail(err);
      for (const [k, v] of this.pending) batch.set(k, v);
      this.pending = batch;
      this.stats.pending = this.pending.size;
      return false;
    }
  }

  private fail(err: unknown): void {
    this.stats.failures++;
    this.stats.lastError = err instanceof Error ? err.message : String(err);
    if (this.stats.failures === 1 || this.stats.failures % 50 === 0) {
      this.log.warn(
        { err: this.stats.lastError, failures: this.stats.failures },
        'ingest commit failed; retrying',
      );
    }
  }
}
