import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { EventThrottle, type DemandRegistry } from '../broker/demand.js';
import type { AppLogger as Logger } from '../logger.js';
import { commandClientOptions, reconnectDelay } from '../store/redis-connection.js';

/** How often one instance republishes demand for the same event (the sources keep demand for minutes). */
export const DEMAND_RELAY_THROTTLE_MS = 2000;
/** A relayed message is a few dozen bytes; anything larger on the channel is not ours. */
const MAX_MESSAGE_BYTES = 256;

const MessageSchema = z.object({
  from: z.string().min(1).max(64),
  eventId: z.number().int().positive(),
});

/** Options of DemandRelay. */
export interface DemandRelayOptions {
  redisUrl: string;
  /** Redis Pub/Sub channel shared by the instances (e.g. `oddsgate:demand`). */
  channel: string;
  registry: DemandRegistry;
  logger: Logger;
  throttleMs?: number;
}

/**
 * Carries demand between instances sharing a Redis. A client asking an API instance for an event's live
 * data (a WebSocket event room, /event/:id/odds) touches that instance's DemandRegistry; only the
 * instance holding the ingest lease (or ROLE=ingest) runs the on-demand sources, so the touch is
 * published on a Pub/Sub channel and every other instance touches its own registry with it. Event ids are
 * the internal ids allocated in Redis, the same on every instance. Publishing is throttled per event;
 * a lost message (Redis away) only delays demand until the client's next touch.
 */
export class DemandRelay {
  readonly instanceId = randomBytes(8).toString('hex');
  private readonly pub: Redis;
  private readonly sub: Redis;
  /** Per event: sent (or heard from another instance) within the throttle window. */
  private readonly throttle: EventThrottle;
  private applyingRemote = false;
  private stopListening: (() => void) | null = null;
  private closed = false;
  /** Resolves once subscribed (set by start()). */
  ready: Promise<void> | null = null;
  /** Messages received from other instances and applied (for /metrics-like introspection and tests). */
  received = 0;
  /** Messages published. */
  sent = 0;

  constructor(private readonly opts: DemandRelayOptions) {
    this.throttle = new EventThrottle(opts.throttleMs ?? DEMAND_RELAY_THROTTLE_MS);
    this.pub = new Redis(opts.redisUrl, commandClientOptions('oddsgate:demand:pub', 2000));
    this.sub = new Redis(opts.redisUrl, {
      lazyConnect: false,
      connectionName: 'oddsgate:demand:sub',
      retryStrategy: reconnectDelay,
      maxRetriesPerRequest: null,
    });
    for (const c of [this.pub, this.sub])
      c.on('error', (err: Error) => opts.logger.debug({ error: err.message }, 'demand relay connection'));
  }

  /**
   * Starts relaying local demand and subscribes. Never throws: with Redis away the connections retry by
   * themselves and the subscription is made when Redis answers (the returned promise resolves then).
   */
  start(): Promise<void> {
    if (this.ready) return this.ready;
    this.stopListening = this.opts.registry.onDemand((eventId) => this.onLocal(eventId));
    this.sub.on('message', (channel: string, text: string) => {
      if (channel === this.opts.channel) this.onMessage(text);
    });
    this.pub.connect().catch((err: unknown) => {
      this.opts.logger.warn({ error: String(err) }, 'demand relay: Redis not reachable yet, retrying');
    });
    this.ready = this.sub.subscribe(this.opts.channel).then(
      () => undefined,
      (err: unknown) => {
        if (!this.closed) this.opts.logger.warn({ error: String(err) }, 'demand relay: subscribe failed');
      },
    );
    return this.ready;
  }

  private onLocal(eventId: number): void {
    if (this.applyingRemote || this.closed) return;
    const now = Date.now();
    if (!this.throttle.due(eventId, now)) return;
    this.throttle.mark(eventId, now);
    const message = JSON.stringify({ from: this.instanceId, eventId });
    this.pub.publish(this.opts.channel, message).then(
      () => {
        this.sent++;
      },
      (err: unknown) => {
        // Redis away: the next touch after the throttle window tries again.
        this.throttle.forget(eventId);
        this.opts.logger.debug({ eventId, error: String(err) }, 'demand not relayed');
      },
    );
  }

  private onMessage(text: string): void {
    if (text.length > MAX_MESSAGE_BYTES) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    const msg = MessageSchema.safeParse(parsed);
    if (!msg.success || msg.data.from === this.instanceId) return;
    this.received++;
    // Remember it as sent too: this instance need not republish what every instance just heard.
    this.throttle.mark(msg.data.eventId, Date.now());
    this.applyingRemote = true;
    try {
      this.opts.registry.touch(msg.data.eventId);
    } finally {
      this.applyingRemote = false;
    }
  }

  /** Stops relaying and closes both connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopListening?.();
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
    this.sub.disconnect();
    this.pub.disconnect();
  }
}
