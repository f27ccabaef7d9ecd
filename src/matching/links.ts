import type { Store } from '../store/types.js';

/**
 * Manual matching decisions, persisted as one store document so they survive restarts and are shared
 * by every instance: links (an upstream event moved onto another event) and unlinks (an upstream event
 * taken off an event, which it must then never be matched to again).
 */

/** One manual decision. */
export interface ManualAction {
  action: 'link' | 'unlink';
  source: string;
  upstreamId: string;
  /** link: the event the upstream event joined; unlink: the event it left. */
  eventId: number;
  /** unlink: the event it got instead. */
  newEventId?: number;
  /** Epoch ms. */
  at: number;
}

/** The stored document. */
export interface ManualDoc {
  actions: ManualAction[];
}

/** Store document key of the manual decisions. */
export const MANUAL_DOC_KEY = 'matching:manual';
/** Decisions kept (oldest dropped first). */
const MAX_ACTIONS = 5000;

/** Manual links and unlinks, loaded from and saved to the store. */
export class ManualLinks {
  private actions: ManualAction[] = [];

  constructor(private readonly store: Store) {}

  /** Loads the stored decisions (none when the document does not exist). */
  async load(): Promise<void> {
    const doc = await this.store.getDoc<ManualDoc>(MANUAL_DOC_KEY);
    this.actions = Array.isArray(doc?.actions) ? doc.actions : [];
  }

  /** Records a decision and saves the document. */
  async record(action: ManualAction): Promise<void> {
    this.actions.push(action);
    if (this.actions.length > MAX_ACTIONS) this.actions.splice(0, this.actions.length - MAX_ACTIONS);
    await this.store.setDoc(MANUAL_DOC_KEY, { actions: this.actions } satisfies ManualDoc);
  }

  /** Every decision, oldest first. */
  list(): readonly ManualAction[] {
    return this.actions;
  }

  /** Events (source, upstreamId) was unlinked from: it is never matched to them again. */
  excludedFor(source: string, upstreamId: string): Set<number> {
    const out = new Set<number>();
    for (const a of this.actions) {
      if (a.action === 'unlink' && a.source === source && a.upstreamId === upstreamId) out.add(a.eventId);
    }
    return out;
  }

  /** How many times (source, upstreamId) was unlinked (numbers the fresh ids it is given). */
  unlinkCount(source: string, upstreamId: string): number {
    let n = 0;
    for (const a of this.actions)
      if (a.action === 'unlink' && a.source === source && a.upstreamId === upstreamId) n++;
    return n;
  }
}
