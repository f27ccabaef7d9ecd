import { createHash } from 'node:crypto';
import type { ReadModel } from '../../read-model/read-model.js';
import { streamKind } from '../../contracts/porqpine/media.js';

const REBUILD_EVERY_MS = 2000;

/**
 * Finds the upstream page behind a proxy path: a scorecard by the SHA-1 of its URL (as /event/:id/scorecard
 * builds it) and a tracker by its fixture id, among the events of the read model. The index is rebuilt on a
 * miss at most every 2 s, so unknown hashes cannot make every request scan all events.
 */
export class ProxyTargets {
  private scorecards = new Map<string, string>();
  private trackers = new Map<string, string>();
  private builtAt = 0;

  constructor(private readonly readModel: ReadModel) {}

  /** The original scorecard URL whose SHA-1 is `hash`, or null. */
  scorecard(hash: string): string | null {
    return this.scorecards.get(hash) ?? (this.rebuild() ? (this.scorecards.get(hash) ?? null) : null);
  }

  /** The tracker page URL of a fixture, or null. */
  tracker(fixtureId: string): string | null {
    return this.trackers.get(fixtureId) ?? (this.rebuild() ? (this.trackers.get(fixtureId) ?? null) : null);
  }

  private rebuild(): boolean {
    const now = Date.now();
    if (now - this.builtAt < REBUILD_EVERY_MS) return false;
    this.builtAt = now;
    const scorecards = new Map<string, string>();
    const trackers = new Map<string, string>();
    for (const e of this.readModel.events.values()) {
      if (e.scoreUrl) scorecards.set(createHash('sha1').update(e.scoreUrl).digest('hex'), e.scoreUrl);
      if (e.streamUrl) {
        const kind = streamKind(e.streamUrl);
        if (kind.type === 'tracker') trackers.set(kind.fixtureId, e.streamUrl);
      }
    }
    this.scorecards = scorecards;
    this.trackers = trackers;
    return true;
  }
}
