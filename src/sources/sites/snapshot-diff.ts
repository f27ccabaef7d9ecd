/**
 * Emits only what changed between snapshots: events and markets are compared with what was last emitted
 * (by value, `publishedAt` ignored). Events that leave the site's list are closed, with their markets;
 * scraped markets that leave their page are closed too.
 */
import type { SourceMarket, SourceUpdate } from '../../model/index.js';
import type { SiteEventUpdate, SiteMarketUpdate } from './normalize.js';

interface Emitted {
  key: string;
  upstreamEventId: string;
  market?: SourceMarket;
}

function marketKey(m: SourceMarket): string {
  return JSON.stringify({ ...m, publishedAt: null });
}

/** The last emitted state of one source, and the diff against it. */
export class SnapshotDiff {
  private readonly events = new Map<string, { key: string; update: SiteEventUpdate }>();
  private readonly markets = new Map<string, Emitted>();
  /** Market ids last seen per (event, origin): "storage" or "page". */
  private readonly origins = new Map<string, Set<string>>();

  constructor(private readonly source: string) {}

  /** Updates for a storage snapshot: changed events and markets; vanished events closed with their markets. */
  storage(events: readonly SiteEventUpdate[], markets: readonly SiteMarketUpdate[]): SourceUpdate[] {
    const out: SourceUpdate[] = [];
    const seen = new Set<string>();
    for (const e of events) {
      seen.add(e.upstreamEventId);
      out.push(...this.event(e));
    }
    const byEvent = groupBy(markets);
    for (const id of seen) out.push(...this.marketsOf(id, 'storage', byEvent.get(id) ?? []));
    for (const [id, prev] of [...this.events])
      if (!seen.has(id)) out.push(...this.closeEvent(id, prev.update));
    return out;
  }

  /**
   * Updates for a match-page scrape of one event: changed markets; markets gone from the page closed unless
   * `closeMissing` is false (a scrape that could not see part of the page says nothing about those markets).
   */
  page(upstreamEventId: string, markets: readonly SiteMarketUpdate[], closeMissing = true): SourceUpdate[] {
    if (!this.events.has(upstreamEventId)) return [];
    return this.marketsOf(upstreamEventId, 'page', markets, closeMissing);
  }

  /** Last emitted markets of an event (for the read side of tests and replays). */
  marketsOfEvent(upstreamEventId: string): SourceMarket[] {
    return [...this.markets.values()]
      .filter((m) => m.upstreamEventId === upstreamEventId && m.market)
      .map((m) => m.market as SourceMarket);
  }

  /** Number of open markets last emitted. */
  get openMarkets(): number {
    let n = 0;
    for (const m of this.markets.values()) if (m.market && m.market.status !== 'CLOSED') n++;
    return n;
  }

  /** Forgets everything (the next snapshot is emitted whole). */
  reset(): void {
    this.events.clear();
    this.markets.clear();
    this.origins.clear();
  }

  private event(e: SiteEventUpdate): SourceUpdate[] {
    const key = JSON.stringify(e.event);
    if (this.events.get(e.upstreamEventId)?.key === key) return [];
    this.events.set(e.upstreamEventId, { key, update: e });
    return [{ kind: 'event', source: this.source, upstreamEventId: e.upstreamEventId, event: e.event }];
  }

  private marketsOf(
    eventId: string,
    origin: 'storage' | 'page',
    markets: readonly SiteMarketUpdate[],
    closeMissing = true,
  ): SourceUpdate[] {
    const out: SourceUpdate[] = [];
    const originKey = `${origin}:${eventId}`;
    const before = this.origins.get(originKey) ?? new Set<string>();
    const now = new Set<string>();
    for (const m of markets) {
      now.add(m.market.id);
      out.push(...this.market(eventId, m.market));
    }
    for (const id of before) {
      if (now.has(id) || this.stillShownElsewhere(id, origin, eventId)) continue;
      if (!closeMissing) {
        now.add(id);
        continue;
      }
      const last = this.markets.get(id)?.market;
      if (last && last.status !== 'CLOSED') out.push(...this.market(eventId, { ...last, status: 'CLOSED' }));
    }
    this.origins.set(originKey, now);
    return out;
  }

  private stillShownElsewhere(id: string, origin: 'storage' | 'page', eventId: string): boolean {
    const other = this.origins.get(`${origin === 'storage' ? 'page' : 'storage'}:${eventId}`);
    return other?.has(id) ?? false;
  }

  private market(upstreamEventId: string, market: SourceMarket): SourceUpdate[] {
    const key = marketKey(market);
    if (this.markets.get(market.id)?.key === key) return [];
    this.markets.set(market.id, { key, upstreamEventId, market });
    return [{ kind: 'market', source: this.source, upstreamEventId, market }];
  }

  private closeEvent(id: string, prev: SiteEventUpdate): SourceUpdate[] {
    const out: SourceUpdate[] = [];
    for (const m of this.marketsOfEvent(id)) {
      if (m.status !== 'CLOSED') out.push(...this.market(id, { ...m, status: 'CLOSED' }));
    }
    for (const [mid, e] of [...this.markets]) if (e.upstreamEventId === id) this.markets.delete(mid);
    this.origins.delete(`storage:${id}`);
    this.origins.delete(`page:${id}`);
    this.events.delete(id);
    out.push({
      kind: 'event',
      source: this.source,
      upstreamEventId: id,
      event: { ...prev.event, status: 'CLOSED', inPlay: false },
    });
    return out;
  }
}

function groupBy(markets: readonly SiteMarketUpdate[]): Map<string, SiteMarketUpdate[]> {
  const out = new Map<string, SiteMarketUpdate[]>();
  for (const m of markets) {
    const list = out.get(m.upstreamEventId);
    if (list) list.push(m);
    else out.set(m.upstreamEventId, [m]);
  }
  return out;
}
