import type { AppLogger as Logger } from '../logger.js';
import type { Event, SourceEventFields } from '../model/index.js';
import type { Store } from '../store/types.js';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { decideMatch, type ScoredCandidate } from './decide.js';
import { ManualLinks, type ManualAction } from './links.js';
import { OddsgateError } from '../core/errors.js';
import { LRUCache } from 'lru-cache';

/** A new upstream event that was left separate although existing events looked alike. */
export interface PendingMatch {
  source: string;
  upstreamId: string;
  name: string;
  sportId: number;
  startTime: string;
  /** `ambiguous`: several events matched equally well; `near`: only one side matched. */
  reason: 'ambiguous' | 'near';
  candidates: ScoredCandidate[];
  /** Epoch ms. */
  at: number;
}

/** What manual link and unlink need from ingest (Ingest.relink). */
export interface Relinker {
  relink(source: string, upstreamId: string, targetId: number): Promise<void>;
}

/** Raised by link/unlink; `code` maps to the HTTP status of the admin route. */
export class MatchingError extends OddsgateError<'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST'> {
  constructor(code: 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST', message: string) {
    super(code, message);
    this.name = 'MatchingError';
  }
}

/** Options of MatchingService. */
export interface MatchingServiceOptions {
  store: Store;
  logger: Logger;
  /** Largest start-time difference of one match across sources. */
  windowMs: number;
  clock?: Clock;
}

/** Pending entries kept (oldest dropped first). */
const MAX_PENDING = 500;
/** Pending entries are forgotten this long after their start time. */
const PENDING_TTL_MS = 12 * 3600_000;

/**
 * Cross-source event matching for ingest (the EventMatcher hook): links a new upstream event to the one
 * existing event that is the same match, keeps the ambiguous and near cases for an operator, and applies
 * manual links and unlinks (persisted in the store, never undone by automatic matching).
 */
export class MatchingService {
  private readonly manual: ManualLinks;
  /** Least recently decided first; bounded to MAX_PENDING. */
  private readonly pendingMatches = new LRUCache<string, PendingMatch>({ max: MAX_PENDING });
  private readonly clock: Clock;
  readonly stats = { matched: 0, ambiguous: 0, near: 0, separate: 0 };

  constructor(private readonly opts: MatchingServiceOptions) {
    this.manual = new ManualLinks(opts.store);
    this.clock = opts.clock ?? systemClock;
  }

  /** Loads the manual decisions. */
  async load(): Promise<void> {
    await this.manual.load();
  }

  /** See EventMatcher: the event id to link to, or null to give the upstream event its own. */
  async match(
    source: string,
    upstreamId: string,
    fields: SourceEventFields,
    events: Event[],
  ): Promise<number | null> {
    const excluded = this.manual.excludedFor(source, upstreamId);
    const decision = decideMatch(source, fields, events, {
      windowMs: this.opts.windowMs,
      excluded,
    });
    const key = `${source}:${upstreamId}`;
    if (decision.kind === 'match') {
      this.stats.matched++;
      this.pendingMatches.delete(key);
      this.opts.logger.info(
        { source, upstreamId, eventId: decision.eventId, score: decision.score },
        'event matched across sources',
      );
      return decision.eventId;
    }
    const candidates = decision.kind === 'ambiguous' ? decision.candidates : decision.near;
    if (candidates.length === 0) {
      this.stats.separate++;
      return null;
    }
    const reason = decision.kind === 'ambiguous' ? 'ambiguous' : 'near';
    this.stats[reason]++;
    this.remember({
      source,
      upstreamId,
      name: fields.name,
      sportId: fields.sportId,
      startTime: fields.startTime,
      reason,
      candidates,
      at: this.clock(),
    });
    return null;
  }

  /** Upstream events left separate that an operator may want to link, newest first. */
  pending(): PendingMatch[] {
    const cutoff = this.clock() - PENDING_TTL_MS;
    const past = [...this.pendingMatches.entries()].filter(([, p]) => Date.parse(p.startTime) < cutoff);
    for (const [k] of past) this.pendingMatches.delete(k);
    return [...this.pendingMatches.values()]; // newest first
  }

  /** Manual decisions, oldest first. */
  actions(): readonly ManualAction[] {
    return this.manual.list();
  }

  /**
   * Links event `eventId` into event `intoId`: every upstream id of the first moves to the second, which
   * must not already have one of the same source.
   */
  async link(
    eventId: number,
    intoId: number,
    events: (id: number) => Event | undefined,
    relinker: Relinker,
  ): Promise<Event> {
    const from = events(eventId);
    const into = events(intoId);
    if (!from) throw new MatchingError('NOT_FOUND', `event ${eventId} not found`);
    if (!into) throw new MatchingError('NOT_FOUND', `event ${intoId} not found`);
    if (eventId === intoId) throw new MatchingError('BAD_REQUEST', 'an event cannot be linked into itself');
    const clash = Object.keys(from.upstreamIds).filter((s) => Object.hasOwn(into.upstreamIds, s));
    if (clash.length > 0) {
      throw new MatchingError(
        'CONFLICT',
        `event ${intoId} already has an upstream event of ${clash.join(', ')}`,
      );
    }
    for (const [source, upstreamId] of Object.entries(from.upstreamIds)) {
      await relinker.relink(source, upstreamId, intoId);
      await this.manual.record({ action: 'link', source, upstreamId, eventId: intoId, at: this.clock() });
      this.pendingMatches.delete(`${source}:${upstreamId}`);
    }
    return events(intoId) ?? into;
  }

  /**
   * Takes `source`'s upstream event off event `eventId` onto an event of its own (a fresh internal id,
   * stable across restarts); it is never matched to `eventId` again. Returns the new event id.
   */
  async unlink(
    eventId: number,
    source: string,
    events: (id: number) => Event | undefined,
    relinker: Relinker,
  ): Promise<number> {
    const ev = events(eventId);
    if (!ev) throw new MatchingError('NOT_FOUND', `event ${eventId} not found`);
    // own keys only: `__proto__`, `constructor`, `toString` … are no source of this event
    const upstreamId = Object.hasOwn(ev.upstreamIds, source) ? ev.upstreamIds[source] : undefined;
    if (typeof upstreamId !== 'string')
      throw new MatchingError('NOT_FOUND', `event ${eventId} has no upstream event of ${source}`);
    if (Object.keys(ev.upstreamIds).length < 2) {
      throw new MatchingError('CONFLICT', `event ${eventId} has only one source; nothing to unlink`);
    }
    const n = this.manual.unlinkCount(source, upstreamId);
    // a fresh, stable internal id: the store allocates one for this (source, upstream id, n)
    const newId = await this.opts.store.resolveEventId('matching:unlinked', `${source}:${upstreamId}:${n}`);
    await this.manual.record({
      action: 'unlink',
      source,
      upstreamId,
      eventId,
      newEventId: newId,
      at: this.clock(),
    });
    await relinker.relink(source, upstreamId, newId);
    return newId;
  }

  private remember(p: PendingMatch): void {
    const key = `${p.source}:${p.upstreamId}`;
    this.pendingMatches.set(key, p);
  }
}
