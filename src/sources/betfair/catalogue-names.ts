/**
 * Names from the catalogue for streamed markets. The live stream's market definitions carry no event,
 * market or runner names (historical files do); this store adds them to definitions as they arrive (so the
 * cache and the normalizer see what a historical file would show) and adds the competition to event updates.
 */
import type { SourceUpdate } from '../../model/index.js';
import type { MarketCatalogue } from './catalogue.js';
import type { MarketChange, MarketDefinition } from './protocol.js';
import { LRUCache } from 'lru-cache';

/** What the catalogue says about one market. */
export interface MarketNames {
  marketName: string;
  eventName: string | null;
  eventId: string | null;
  competition: { id: string; name: string } | null;
  countryCode: string | null;
  venue: string | null;
  /** selection id (":handicap" when not 0) → runner name. */
  runners: Map<string, string>;
}

const MAX_MARKETS = 50_000;

const runnerKey = (id: number | string, hc: number | undefined): string => (hc ? `${id}:${hc}` : String(id));

/**
 * Catalogue names by market id, and competitions by event id (both bounded to `max`, least recently
 * catalogued first: an event's competition is refreshed with each of its markets, so it outlives them).
 */
export class CatalogueNames {
  private readonly markets: LRUCache<string, MarketNames>;
  private readonly competitions: LRUCache<string, { id: string; name: string }>;

  constructor(max = MAX_MARKETS) {
    this.markets = new LRUCache({ max });
    this.competitions = new LRUCache({ max });
  }

  /** Markets named. */
  get size(): number {
    return this.markets.size;
  }

  /** True when the market has names. */
  has(marketId: string): boolean {
    return this.markets.has(marketId);
  }

  /** Names of a market. */
  get(marketId: string): MarketNames | undefined {
    return this.markets.peek(marketId);
  }

  /** Stores catalogue entries; returns the ids of markets whose names are new or changed. */
  add(entries: readonly MarketCatalogue[]): string[] {
    const changed: string[] = [];
    for (const e of entries) {
      const names: MarketNames = {
        marketName: e.marketName,
        eventName: e.event?.name ?? null,
        eventId: e.event?.id ?? null,
        competition: e.competition ?? null,
        countryCode: e.event?.countryCode ?? null,
        venue: e.event?.venue ?? null,
        runners: new Map((e.runners ?? []).map((r) => [runnerKey(r.selectionId, r.handicap), r.runnerName])),
      };
      const prev = this.markets.peek(e.marketId);
      if (
        !prev ||
        prev.marketName !== names.marketName ||
        prev.eventName !== names.eventName ||
        prev.runners.size !== names.runners.size
      ) {
        changed.push(e.marketId);
      }
      this.markets.set(e.marketId, names);
      // Bounded too: competitions were once never dropped, one entry per event ever catalogued.
      if (names.eventId && names.competition) this.competitions.set(names.eventId, names.competition);
    }
    return changed;
  }

  /** Adds names to the definitions of freshly parsed market changes (modified in place). */
  nameChanges(mcs: readonly MarketChange[]): void {
    for (const mc of mcs) {
      const def = mc?.marketDefinition;
      if (def) this.nameDefinition(mc.id, def);
    }
  }

  /** Adds names to one definition (in place); true when the catalogue knew the market. */
  nameDefinition(marketId: string, def: MarketDefinition): boolean {
    const n = this.markets.peek(marketId);
    if (!n) return false;
    def.name ??= n.marketName;
    if (n.eventName) def.eventName ??= n.eventName;
    if (Array.isArray(def.runners)) {
      for (const r of def.runners) {
        const name = n.runners.get(runnerKey(r.id, r.hc));
        if (name) r.name ??= name;
      }
    }
    return true;
  }

  /** A copy of a definition with names added (for re-emitting a market the catalogue named late). */
  namedCopy(marketId: string, def: Readonly<MarketDefinition>): MarketDefinition {
    const copy: MarketDefinition = { ...def, runners: def.runners?.map((r) => ({ ...r })) };
    this.nameDefinition(marketId, copy);
    return copy;
  }

  /** Event updates get their competition (the stream never sends it). Other updates pass unchanged. */
  enrich(updates: SourceUpdate[]): SourceUpdate[] {
    for (let i = 0; i < updates.length; i++) {
      const u = updates[i] as SourceUpdate;
      if (u.kind !== 'event' || u.event.competition) continue;
      const c = this.competitions.peek(u.upstreamEventId);
      if (c) updates[i] = { ...u, event: { ...u.event, competition: { id: c.id, name: c.name } } };
    }
    return updates;
  }
}
