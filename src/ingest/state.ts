import type { AppLogger as Logger } from '../logger.js';
import type {
  Change,
  Event,
  Market,
  Result,
  SourceEventFields,
  SourceMarket,
  SourceUpdate,
} from '../model/index.js';
import { mainMarket, sportName } from '../model/index.js';
import { deepFreeze, frozenValue } from '../store/frozen.js';
import type { StoreSnapshot } from '../store/types.js';
import { fieldsFromSource } from '../matching/primary.js';
import { closedByCompletion, isGone, type CompletionOptions } from './completion.js';
import { upstreamKey } from './ids.js';
import { eventChanged, flagsFromMarkets, mergeEvent, mergeMarket } from './merge.js';
import { buildResult, hasPrices } from './results.js';

/** What the merge state needs from ingest. */
export interface IngestStateOptions {
  logger: Logger;
  completion: CompletionOptions;
  /** Called for every market change with the raw upstream frame, when the source gave one. */
  onRaw: ((market: Market, raw: unknown) => void) | undefined;
  /** Called when a result is recorded for an event that had none in this process. */
  onNewResult: () => void;
}

/**
 * Ingest's merge state: the current events and markets to merge updates against, the upstream-id map, and
 * the changes not committed yet (coalesced per entity). Every event, market, sport and result it holds is
 * deep-frozen, so the same objects go into the store and, on the memory store, the read model: a change
 * is always a new object (copy on write), never an edit of one already handed out.
 */
export class IngestState {
  readonly events = new Map<number, Event>();
  readonly markets = new Map<string, Market>();
  /** "source:upstreamId" → internal event id. */
  readonly ids = new Map<string, number>();
  /** Changes to commit, by entity ("market:<id>", ...); the newest change of an entity wins. */
  pending = new Map<string, Change>();
  private readonly eventMarkets = new Map<number, Set<string>>();
  private readonly lastPriced = new Map<string, Market>();
  private readonly scores = new Map<number, unknown>();
  private readonly sports = new Set<number>();
  /** How the result of each event resulted by this process was known (a settled close upgrades the rest). */
  private readonly resulted = new Map<number, Result['winnerSource']>();
  private noticeSeq = 0;

  constructor(private readonly opts: IngestStateOptions) {}

  /** Replaces the state with a store snapshot (frozen here when the store handed out fresh objects). */
  load(snapshot: StoreSnapshot): void {
    this.clear();
    for (const s of snapshot.sports) this.sports.add(s.id);
    for (const e of snapshot.events) {
      this.events.set(e.id, deepFreeze(e));
      for (const [src, up] of Object.entries(e.upstreamIds)) this.ids.set(upstreamKey(src, up), e.id);
    }
    for (const m of snapshot.markets) this.putMarket(deepFreeze(m));
  }

  /** Forgets everything, uncommitted changes included. */
  clear(): void {
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

  /** Entries of the per-event and per-market maps (diagnostics: none may outgrow the state). */
  sizes(): Record<string, number> {
    return {
      events: this.events.size,
      markets: this.markets.size,
      ids: this.ids.size,
      eventMarkets: this.eventMarkets.size,
      lastPriced: this.lastPriced.size,
      scores: this.scores.size,
      resulted: this.resulted.size,
    };
  }

  /** Queues a broker-only notice. */
  notice(name: string, data: unknown): void {
    this.pending.set(`notice:${name}:${this.noticeSeq++}`, { type: 'notice', name, data });
  }

  /** Merges one source update (its upstream event id already resolved). */
  apply(u: SourceUpdate, now: number): void {
    if (u.kind === 'marketRemoved') return this.removeMarket(u.marketId);
    const eventId = this.ids.get(upstreamKey(u.source, u.upstreamEventId));
    if (eventId === undefined) return;
    if (u.kind === 'event') return this.applyEvent(eventId, u.source, u.upstreamEventId, u.event, now);
    if (u.kind === 'score') {
      const score = frozenValue(u.score);
      this.scores.set(eventId, score);
      this.pending.set(`score:${eventId}`, { type: 'score', eventId, score });
      return;
    }
    if (!this.events.has(eventId)) {
      this.opts.logger.debug({ marketId: u.market.id }, 'market before its event; skipped');
      return;
    }
    this.applyMarket(eventId, u.market, u.raw, now);
  }

  /**
   * Points (source, upstreamId) at `targetId` in the state: moves that source's markets from the event it
   * was on (`fromId`) to the target, adds the upstream id to the target and takes it off the event it
   * leaves (dropped when it has no source left).
   */
  relink(
    source: string,
    upstreamId: string,
    fromId: number | undefined,
    targetId: number,
    now: number,
  ): void {
    this.ids.set(upstreamKey(source, upstreamId), targetId);
    if (fromId === targetId) return;
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
  }

  /**
   * Finishes events the upstream went quiet about (see completion.ts): closes their open markets and the
   * event, records an inferred result unless one exists, and drops events that never had a market.
   * Returns how many events it finished.
   */
  checkCompletion(now: number): number {
    let n = 0;
    for (const ev of [...this.events.values()]) {
      const markets = this.marketsOf(ev.id);
      if (!isGone(ev, markets, now, this.opts.completion)) continue;
      n++;
      const main = mainMarket(markets);
      if (!main) {
        this.dropEvent(ev.id);
        continue;
      }
      const hadResult = this.resulted.has(ev.id) || main.status === 'CLOSED';
      for (const m of markets) {
        if (m.status === 'CLOSED') continue;
        const closed = this.putMarket(closedByCompletion(m, now));
        this.pending.set(`market:${m.id}`, { type: 'market', market: closed });
      }
      if (!hadResult) {
        const closedMain = this.markets.get(main.id) ?? main;
        const result = buildResult(ev, closedMain, this.lastPriced.get(main.id), this.scores.get(ev.id), now);
        this.recordResult(result);
      }
      this.setEvent({ ...ev, status: 'CLOSED', inPlay: false, updatedAt: now });
      this.opts.logger.info(
        { eventId: ev.id, name: ev.name },
        'event gone quiet after its expected end; completed',
      );
    }
    return n;
  }

  /** Drops markets closed before `cutoff`, and closed events left without markets; returns how many markets. */
  evict(cutoff: number): number {
    let n = 0;
    for (const m of [...this.markets.values()]) {
      if (m.status === 'CLOSED' && m.updatedAt < cutoff) {
        this.removeMarket(m.id);
        n++;
      }
    }
    return n;
  }

  /** Moves `source`'s markets of `from` to `targetId` and takes `source` off `from`. */
  private leave(from: Event, source: string, targetId: number, now: number): void {
    for (const m of this.marketsOf(from.id)) {
      if (m.source !== source) continue;
      this.eventMarkets.get(from.id)?.delete(m.id);
      const moved = this.putMarket({ ...m, eventId: targetId, updatedAt: now, version: m.version + 1 });
      this.pending.set(`market:${m.id}`, { type: 'market', market: moved });
    }
    const ids = { ...from.upstreamIds };
    delete ids[source];
    if (Object.keys(ids).length === 0) this.dropEvent(from.id);
    else this.setEvent({ ...from, upstreamIds: ids, updatedAt: now });
  }

  private applyEvent(
    id: number,
    source: string,
    upstreamId: string,
    fields: SourceEventFields,
    now: number,
  ): void {
    const prev = this.events.get(id);
    const next = mergeEvent(id, source, upstreamId, fieldsFromSource(source, fields, prev), prev, now);
    if (prev && !eventChanged(prev, next)) return;
    if (!this.sports.has(next.sportId)) {
      this.sports.add(next.sportId);
      const sport = deepFreeze({ id: next.sportId, name: sportName(next.sportId) });
      this.pending.set(`sport:${next.sportId}`, { type: 'sport', sport });
    }
    const ev = this.setEvent(next);
    if (ev.status === 'CLOSED' && prev?.status !== 'CLOSED') this.onEventClosed(ev, now);
  }

  private applyMarket(eventId: number, src: SourceMarket, raw: unknown, now: number): void {
    const prev = this.markets.get(src.id);
    const m = this.putMarket(mergeMarket(eventId, src, prev, now));
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

  private recordResult(result: Result): void {
    if (!this.resulted.has(result.eventId)) this.opts.onNewResult();
    this.resulted.set(result.eventId, result.winnerSource);
    this.pending.set(`result:${result.eventId}`, { type: 'result', result: deepFreeze(result) });
  }

  /** Freezes and keeps `e` as the event's state, and queues it; returns the frozen event. */
  private setEvent(e: Event): Event {
    const ev = deepFreeze(e);
    this.events.set(ev.id, ev);
    this.pending.set(`event:${ev.id}`, { type: 'event', event: ev });
    return ev;
  }

  /** Freezes and keeps `m` as the market's state; returns the frozen market. */
  private putMarket(m: Market): Market {
    const market = deepFreeze(m);
    this.markets.set(market.id, market);
    let set = this.eventMarkets.get(market.eventId);
    if (!set) this.eventMarkets.set(market.eventId, (set = new Set()));
    set.add(market.id);
    return market;
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
    // The event's upstream ids leave with it (the store keeps the mapping: an upstream event that comes back
    // resolves to the same internal id); kept, they grew by one entry per event ever seen.
    const ev = this.events.get(id);
    for (const [src, up] of Object.entries(ev?.upstreamIds ?? {})) {
      const key = upstreamKey(src, up);
      if (this.ids.get(key) === id) this.ids.delete(key);
    }
    this.events.delete(id);
    this.eventMarkets.delete(id);
    this.scores.delete(id);
    this.resulted.delete(id);
    this.pending.set(`event:${id}`, { type: 'eventRemoved', eventId: id });
  }
}
