import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { z } from 'zod';
import {
  isChannel,
  LOCAL_CHANNELS,
  type AbpChannels,
  type AbpEvent,
  type ChannelMessage,
} from '../execution/channels.js';
import type { AppLogger as Logger } from '../logger.js';
import { commandClientOptions, reconnectDelay } from '../store/redis-connection.js';

/** A betslip (every bookmaker's entry of an outcome) is the largest payload; anything larger is not ours. */
const MAX_MESSAGE_BYTES = 512 * 1024;
/** Messages waiting for Redis to accept them; beyond this the oldest are dropped (and counted). */
const MAX_PENDING = 2000;

const MessageSchema = z.object({
  from: z.string().min(1).max(64),
  channel: z.string().refine(isChannel),
  event: z.enum(['INSERT', 'UPDATE', 'DELETE', 'SETTLED', 'STATUS']),
  payload: z.unknown(),
  clientName: z.string().min(1).max(200).optional(),
  ts: z.number().int().nonnegative(),
});

/** Options of ChannelRelay. */
export interface ChannelRelayOptions {
  redisUrl: string;
  /** Redis Pub/Sub channel shared by the instances (e.g. `oddsgate:abp`). */
  channel: string;
  channels: AbpChannels;
  logger: Logger;
}

/**
 * Carries the ABP WebSocket's data messages between instances sharing a Redis: what one instance publishes
 * (an order placed through it, a balance it changed, a betslip window it holds, the emergency switch it
 * flipped) is published on a Pub/Sub channel, and every other instance queues it for its own sessions
 * (`AbpChannels.deliver`) — each session numbers its messages itself, so seq stays gap-free per connection.
 * Channels every instance derives from its own read model (`fixtures`) are not relayed. Redis away: the
 * messages of that moment reach only this instance's sessions (logged at debug); nothing queues unbounded.
 */
export class ChannelRelay {
  readonly instanceId = randomBytes(8).toString('hex');
  private readonly pub: Redis;
  private readonly sub: Redis;
  private stopTap: (() => void) | null = null;
  private closed = false;
  private inFlight = 0;
  ready: Promise<void> | null = null;
  /** Messages published to / received from other instances, and dropped (Redis away, queue full, invalid). */
  sent = 0;
  received = 0;
  dropped = 0;

  constructor(private readonly opts: ChannelRelayOptions) {
    this.pub = new Redis(opts.redisUrl, commandClientOptions('oddsgate:abp:pub', 2000));
    this.sub = new Redis(opts.redisUrl, {
      lazyConnect: false,
      connectionName: 'oddsgate:abp:sub',
      retryStrategy: reconnectDelay,
      maxRetriesPerRequest: null,
    });
    for (const c of [this.pub, this.sub])
      c.on('error', (err: Error) => opts.logger.debug({ error: err.message }, 'channel relay connection'));
  }

  /** Starts relaying; resolves once connected and subscribed. Never throws (Redis away: the connections retry). */
  start(): Promise<void> {
    if (this.ready) return this.ready;
    this.stopTap = this.opts.channels.onPublish((m) => this.onLocal(m));
    this.sub.on('messageBuffer', (channel: Buffer, data: Buffer) => {
      if (channel.toString() === this.opts.channel) this.onMessage(data);
    });
    const connected = this.pub.connect().catch((err: unknown) => {
      this.opts.logger.warn({ error: String(err) }, 'channel relay: Redis not reachable yet, retrying');
    });
    const subscribed = this.sub.subscribe(this.opts.channel).then(
      () => undefined,
      (err: unknown) => {
        if (!this.closed) this.opts.logger.warn({ error: String(err) }, 'channel relay: subscribe failed');
      },
    );
    this.ready = Promise.all([connected, subscribed]).then(() => undefined);
    return this.ready;
  }

  private onLocal(m: ChannelMessage): void {
    if (this.closed || LOCAL_CHANNELS.has(m.channel)) return;
    if (this.inFlight >= MAX_PENDING || this.pub.status !== 'ready') {
      this.dropped++;
      return;
    }
    const text = JSON.stringify({ from: this.instanceId, ...m });
    if (text.length > MAX_MESSAGE_BYTES) {
      this.dropped++;
      return;
    }
    this.inFlight++;
    this.pub.publish(this.opts.channel, text).then(
      () => {
        this.inFlight--;
        this.sent++;
      },
      (err: unknown) => {
        this.inFlight--;
        this.dropped++;
        this.opts.logger.debug({ channel: m.channel, error: String(err) }, 'channel message not relayed');
      },
    );
  }

  private onMessage(data: Buffer): void {
    if (data.length > MAX_MESSAGE_BYTES) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString('utf8'));
    } catch {
      return;
    }
    const msg = MessageSchema.safeParse(parsed);
    if (!msg.success || msg.data.from === this.instanceId) return;
    const { channel, event, payload, clientName, ts } = msg.data;
    if (!isChannel(channel) || LOCAL_CHANNELS.has(channel)) return;
    this.received++;
    this.opts.channels.deliver({ channel, event: event as AbpEvent, payload, clientName, ts });
  }

  /** Stops relaying and closes both connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopTap?.();
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
    this.sub.disconnect();
    this.pub.disconnect();
  }
}
