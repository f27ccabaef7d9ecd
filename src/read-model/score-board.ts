import type { ReadModelChange } from './read-model.js';
import { LRUCache } from 'lru-cache';

/** The latest score frame of an event. */
export interface ScoreFrame {
  eventId: number;
  score: unknown;
  /** Epoch ms the score arrived (its update-log entry time). */
  ts: number;
}

/**
 * Latest score per event, fed by the read model's changes (`score` log entries, so every instance sees
 * them). Bounded: an event's score leaves with the event, and the oldest scores go past `maxEvents`.
 */
export class ScoreBoard {
  /** Least recently scored first (`get` peeks, so reading does not keep a score). */
  private readonly scores: LRUCache<number, ScoreFrame>;

  constructor(maxEvents = 20_000) {
    this.scores = new LRUCache({ max: maxEvents });
  }

  /** Read-model listener: keeps score changes, forgets removed events. */
  readonly onChange = ({ entry }: ReadModelChange): void => {
    const c = entry.change;
    if (c.type === 'eventRemoved') {
      this.scores.delete(c.eventId);
      return;
    }
    if (c.type !== 'score') return;
    this.scores.set(c.eventId, { eventId: c.eventId, score: c.score, ts: entry.ts });
  };

  /** The latest score of an event, or undefined. */
  get(eventId: number): ScoreFrame | undefined {
    return this.scores.peek(eventId);
  }

  /** Number of events with a score. */
  get size(): number {
    return this.scores.size;
  }
}
