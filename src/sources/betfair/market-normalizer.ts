/**
 * The stream pipeline's normalizer: market caches → oddsgate model updates, incrementally (the hot path).
 * Works on the caches themselves, without building snapshots.
 */
import type {
  MarketStatus,
  PriceLevel,
  Runner,
  RunnerStatus,
  SourceEventFields,
  SourceMarket,
  SourceUpdate,
} from '../../model/index.js';
import type { MarketCache } from './market-cache.js';
import {
  combineEventStatus,
  eventFromDefinition,
  eventStatusOf,
  marketStatus,
  marketTypeName,
  runnerStatus,
} from './normalizer.js';
import type { MarketDefinition, RunnerDefinition } from './protocol.js';
import type { RunnerCache } from './runner-cache.js';

/** What a runner definition gives a runner, worked out once per definition object. */
interface RunnerDefinitionFields {
  readonly def: RunnerDefinition | null;
  readonly name: string;
  readonly status: RunnerStatus;
  readonly sortPriority: number;
  readonly bsp: number | null;
  readonly adjustmentFactor: number | null;
}

function runnerDefinitionFields(r: RunnerCache): RunnerDefinitionFields {
  const d = r.definition;
  const known = r.normalizedDefinition as RunnerDefinitionFields | null;
  if (known !== null && known.def === d) return known;
  const fields: RunnerDefinitionFields = {
    def: d,
    name: d?.name ?? `Selection ${r.selectionId}`,
    status: runnerStatus(d?.status),
    sortPriority: d?.sortPriority ?? 0,
    bsp: d?.bsp ?? null,
    adjustmentFactor: d?.adjustmentFactor ?? null,
  };
  r.normalizedDefinition = fields;
  return fields;
}

/** One runner in model form, straight from the runner cache (back/lay best first, as the cache gives them). */
function runnerFromCache(r: RunnerCache): Runner {
  const d = runnerDefinitionFields(r);
  return {
    selectionId: r.selectionId,
    handicap: r.handicap,
    name: d.name,
    status: d.status,
    sortPriority: d.sortPriority,
    back: r.back() as PriceLevel[],
    lay: r.lay() as PriceLevel[],
    ltp: r.ltp,
    tv: r.tv,
    bsp: d.bsp,
    adjustmentFactor: d.adjustmentFactor,
  };
}

/** What a definition gives a market, worked out once per definition object (definitions are replaced whole). */
interface DefinitionFields {
  readonly def: Readonly<MarketDefinition>;
  readonly upstreamEventId: string;
  readonly type: string;
  readonly name: string;
  readonly status: MarketStatus;
  readonly inPlay: boolean;
  readonly numberOfWinners: number | null;
  readonly startTime: string | null;
}

function definitionFields(def: Readonly<MarketDefinition>): DefinitionFields {
  return {
    def,
    upstreamEventId: String(def.eventId),
    type: def.marketType ?? 'UNKNOWN',
    name: def.name ?? marketTypeName(def.marketType ?? 'UNKNOWN'),
    status: marketStatus(def.status),
    inPlay: def.inPlay === true,
    numberOfWinners: typeof def.numberOfWinners === 'number' ? def.numberOfWinners : null,
    startTime: def.marketTime ?? def.openDate ?? null,
  };
}

/**
 * Converts market caches incrementally: the hot path of the stream pipeline. The output is exactly what
 * `appendMarketUpdates` gives for the cache's snapshot, but no snapshot is built: runners that did not
 * change since the last conversion are handed out again as the same objects (the cache clears a runner's
 * model when it changes), the definition's fields are worked out once per definition, and an update that
 * did not touch the runners reuses the previous runners array. Outputs are never mutated afterwards: the
 * ladders they hold are copy-on-write in the cache.
 */
/** What the normalizer keeps on a market cache between conversions (source-independent). */
interface Normalized {
  fields: DefinitionFields;
  /** The cache's runner order the runners below follow. */
  order: readonly RunnerCache[];
  runners: Runner[];
}

export class MarketNormalizer {
  constructor(private readonly source: string) {}

  /**
   * Appends `[event?, market]` for one changed market to `out` (nothing without a definition with
   * eventId/eventTypeId). `siblings`: definitions of the event's other markets, to combine the event status
   * (given when the event update is wanted).
   */
  append(
    out: SourceUpdate[],
    cache: MarketCache,
    raw: unknown,
    withEvent: boolean,
    siblings: readonly Readonly<MarketDefinition>[] | undefined,
  ): void {
    const def = cache.definition;
    if (!def || def.eventId === undefined || def.eventTypeId === undefined) return;
    const source = this.source;
    let last = cache.normalized as Normalized | null;
    if (last === null) {
      last = { fields: definitionFields(def), order: cache.orderedRunners(), runners: [] };
      cache.normalized = last;
    } else if (last.fields.def !== def) last.fields = definitionFields(def);
    const f = last.fields;
    const market: SourceMarket = {
      id: cache.marketId,
      source,
      type: f.type,
      name: f.name,
      status: f.status,
      inPlay: f.inPlay,
      minStake: null,
      maxStake: null,
      totalMatched: cache.totalMatched,
      numberOfWinners: f.numberOfWinners,
      startTime: f.startTime,
      runners: this.runners(cache, last),
      publishedAt: cache.publishTime,
    };
    const upstreamEventId = f.upstreamEventId;
    if (withEvent) {
      const ev = eventFromDefinition(def);
      if (ev) {
        const event = siblings?.length ? combinedStatus(ev.event, def, siblings) : ev.event;
        out.push({ kind: 'event', source, upstreamEventId, event });
      }
    }
    out.push(
      raw === undefined
        ? { kind: 'market', source, upstreamEventId, market }
        : { kind: 'market', source, upstreamEventId, market, raw },
    );
  }

  /** The runners array: the previous one when no runner changed, else a new one reusing unchanged runners. */
  private runners(cache: MarketCache, last: Normalized): Runner[] {
    const order = cache.orderedRunners();
    const prev = last.runners;
    const n = order.length;
    if (order === last.order && prev.length === n) {
      let i = 0;
      while (i < n && (order[i] as RunnerCache).model !== null) i++;
      if (i === n) return prev;
      const out = prev.slice();
      for (; i < n; i++) {
        const r = order[i] as RunnerCache;
        if (r.model === null) out[i] = r.model = runnerFromCache(r);
      }
      last.runners = out;
      return out;
    }
    const out = new Array<Runner>(n);
    for (let i = 0; i < n; i++) {
      const r = order[i] as RunnerCache;
      out[i] = r.model ??= runnerFromCache(r);
    }
    last.order = order;
    last.runners = out;
    return out;
  }
}

function combinedStatus(
  event: SourceEventFields,
  def: Readonly<MarketDefinition>,
  siblings: readonly Readonly<MarketDefinition>[],
): SourceEventFields {
  const statuses = [eventStatusOf(def)];
  for (const s of siblings) statuses.push(eventStatusOf(s));
  const status = combineEventStatus(statuses);
  return { ...event, status, inPlay: status === 'IN_PLAY' };
}
