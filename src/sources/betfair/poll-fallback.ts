/**
 * The listMarketBook fallback of the live source: when the stream connection is lost (waiting or
 * connecting) for longer than `afterMs`, the book poller feeds the subscribed markets until the stream
 * delivers market data again.
 */
import type { BookPoller } from './book-poller.js';
import type { StreamClientState } from './stream-client.js';

/** What the fallback reads from its source. */
export interface PollFallbackOptions {
  /** Start polling once the stream has been down this long. */
  afterMs: number;
  /** The poller (null before start). */
  poller: () => BookPoller | null;
  /** The stream client's state (undefined before start). */
  clientState: () => StreamClientState | undefined;
  /** The source is running. */
  running: () => boolean;
  /** Number of markets subscribed (nothing to poll without). */
  subscribed: () => number;
}

export class PollFallback {
  private timer: NodeJS.Timeout | null = null;
  /** The current connection has delivered market data (its image or RESUB_DELTA): no more polling. */
  private streamDelivering = false;

  constructor(private readonly opts: PollFallbackOptions) {}

  /** The stream client changed state: subscribed stops polling, a lost connection schedules it. */
  onClientState(s: StreamClientState): void {
    if (s === 'subscribed') {
      this.stop();
      return;
    }
    const o = this.opts;
    if (s === 'waiting' || s === 'connecting') this.streamDelivering = false;
    if ((s === 'waiting' || s === 'connecting') && !this.timer && !o.poller()?.active && o.running()) {
      this.timer = setTimeout(() => {
        this.timer = null;
        const down = o.clientState() !== 'subscribed' && !this.streamDelivering;
        if (o.running() && down && o.subscribed() > 0) o.poller()?.start();
      }, o.afterMs);
    }
  }

  /**
   * The stream delivers market data again (the SUB_IMAGE or RESUB_DELTA arrives before the client counts
   * as subscribed, which waits for the order subscription too): polling stops at once and answers still in
   * flight are dropped, since a polled book older than what the stream already applied would put back stale
   * prices that no later delta corrects.
   */
  onStreamData(): void {
    if (this.streamDelivering) return;
    this.streamDelivering = true;
    this.stop();
  }

  /** Stops polling and cancels a scheduled start. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.opts.poller()?.stop();
  }
}
