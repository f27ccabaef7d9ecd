/**
 * Markets that leave the Betfair stream without a final message: dropped from the subscription (demand
 * expired, the limit), or missing from a fresh SUB_IMAGE (they closed and were purged while the stream was
 * away, e.g. after INVALID_CLOCK). Each is forgotten by the cache; its final book is asked of the catalogue,
 * so a market that closed meanwhile still reports its result; the others are removed from the current
 * state (`marketRemoved`): nothing stale stays served as live.
 */
import type { SourceUpdate } from '../../model/index.js';
import type { BetfairCatalogue, MarketBook } from './catalogue.js';
import type { MarketStream } from './market-stream.js';
import type { MarketChange, MarketChangeMessage, MarketDefinition } from './protocol.js';

/** What the retirement needs of the source. */
export interface RetirementDeps {
  source: string;
  stream: () => MarketStream | null;
  catalogue: () => Pick<BetfairCatalogue, 'listMarketBook'> | null;
  /** A book as a market image on top of a definition (the poller's conversion). */
  toImage: (book: MarketBook, def: Readonly<MarketDefinition> | null) => MarketChange | null;
  fields: readonly string[];
  ladderLevels: number;
  sink: (updates: SourceUpdate[]) => void;
  /** Feeds a message made here through the pipeline. */
  feed: (msg: MarketChangeMessage) => void;
}

/** Books per listMarketBook call (well inside the request weight limit). */
const CHUNK = 10;

/** Retires markets that left the stream. */
export class MarketRetirement {
  /** Markets retired so far. */
  retired = 0;
  private baseline: Map<string, Readonly<MarketDefinition> | null> | null = null;

  constructor(private readonly deps: RetirementDeps) {}

  /** Call before the pipeline handles a message: a SUB_IMAGE starts a comparison with what is held. */
  before(m: Partial<MarketChangeMessage>): void {
    const stream = this.deps.stream();
    if (m.op !== 'mcm' || m.ct !== 'SUB_IMAGE' || !stream) return;
    this.baseline = new Map([...stream.markets()].map((c) => [c.marketId, c.definition]));
  }

  /** Call after: once the image is complete, markets held before but absent from it are retired. */
  after(m: Partial<MarketChangeMessage>): void {
    const stream = this.deps.stream();
    const base = this.baseline;
    if (!base || !stream || m.op !== 'mcm' || (m.segmentType !== undefined && m.segmentType !== 'SEG_END'))
      return;
    this.baseline = null;
    const gone = [...base.keys()].filter((id) => !stream.get(id));
    if (gone.length > 0) this.retire(gone, base);
  }

  /** Forgets the markets and settles their final state (see the module comment). */
  retire(ids: readonly string[], defs?: ReadonlyMap<string, Readonly<MarketDefinition> | null>): void {
    this.retired += ids.length;
    const stream = this.deps.stream();
    const held = new Map(ids.map((id) => [id, defs?.get(id) ?? stream?.get(id)?.definition ?? null]));
    for (const id of ids) stream?.forget(id);
    for (let i = 0; i < ids.length; i += CHUNK) void this.settle(ids.slice(i, i + CHUNK), held);
  }

  private async settle(ids: string[], held: Map<string, Readonly<MarketDefinition> | null>): Promise<void> {
    const cat = this.deps.catalogue();
    let saved: MarketChange[] = [];
    if (cat) {
      const priceData = this.deps.fields.includes('EX_ALL_OFFERS') ? ['EX_ALL_OFFERS'] : ['EX_BEST_OFFERS'];
      const books = await cat.listMarketBook(ids, priceData, this.deps.ladderLevels).catch(() => []);
      saved = books
        .filter((b) => b.status === 'CLOSED')
        .map((b) => this.deps.toImage(b, held.get(b.marketId) ?? null))
        .filter((c): c is MarketChange => c !== null);
    }
    if (saved.length > 0) this.deps.feed({ op: 'mcm', mc: saved });
    const kept = new Set(saved.map((c) => c.id));
    const removed = ids.filter((id) => !kept.has(id));
    if (removed.length > 0) {
      this.deps.sink(
        removed.map((marketId) => ({ kind: 'marketRemoved' as const, source: this.deps.source, marketId })),
      );
    }
  }
}
