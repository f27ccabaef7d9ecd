import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { FastifyBaseLogger } from 'fastify';
import { ABP_MESSAGES } from '../../../contracts/abp/errors.js';
import {
  ALL_CHANNELS,
  CLIENT_CHANNELS,
  GLOBAL_CHANNELS,
  isChannel,
  type AbpChannel,
  type AbpChannels,
  type AbpEvent,
  type ChannelSubscriber,
} from '../../../execution/channels.js';
import type { ApiKeyRepository } from '../../../execution/keys.js';
import { KeyedSocketSession, type KeyConnections } from '../keyed-session.js';

/** Close codes of /abp/ws, each with its meaning. */
export const ABP_CLOSE = {
  /** Login failed: missing, invalid, inactive or expired key. */
  AUTH_FAILED: 4001,
  /** No pong within the pong timeout. */
  PONG_TIMEOUT: 4002,
  /** The output queue (2,000 messages) is full: the client does not read fast enough. */
  SLOW_CONSUMER: 4003,
  /** No login within the login timeout (30 s). */
  LOGIN_TIMEOUT: 4008,
  /** Reliable delivery: 100 messages await an ack, the buffer is full. */
  ACK_BUFFER_FULL: 4009,
  /** Too many connections for this key (5). */
  CONNECTION_LIMIT: 4029,
  /** A login naming a channel that does not exist. */
  BAD_LOGIN: 4400,
} as const;

/** Limits and timings of one session (the document's defaults in config/abp.ts). */
export interface AbpWsLimits {
  loginTimeoutMs: number;
  pingIntervalMs: number;
  pongTimeoutMs: number;
  ackRedeliverMs: number;
  /** Unacknowledged messages held for redelivery (100). */
  ackBuffer: number;
  /** Messages handed to the socket and not yet written (2,000). */
  outputQueue: number;
  /** Connections per key (5). */
  maxConnectionsPerKey: number;
}

export const DEFAULT_WS_LIMITS: Omit<
  AbpWsLimits,
  'loginTimeoutMs' | 'pingIntervalMs' | 'pongTimeoutMs' | 'ackRedeliverMs'
> = { ackBuffer: 100, outputQueue: 2000, maxConnectionsPerKey: 5 };

const LoginSchema = z.object({
  type: z.literal('login'),
  apiKey: z.string().min(1).max(256),
  channels: z.array(z.string().max(40)).max(20).default([]),
  reliableDelivery: z.boolean().default(false),
});

const AckSchema = z.object({
  type: z.literal('ack'),
  seq: z.union([z.number().int().positive(), z.array(z.number().int().positive()).max(1000)]),
});

/** What a session needs. */
export interface AbpSessionDeps {
  keys: ApiKeyRepository;
  channels: AbpChannels;
  connections: KeyConnections;
  limits: AbpWsLimits;
  nextSubscriptionId: () => number;
  log: FastifyBaseLogger;
  now?: () => number;
}

interface Unacked {
  text: string;
  sentAt: number;
}

/**
 * One /abp/ws connection: login within the timeout, then data messages of the subscribed channels with a
 * per-subscription seq; reliable delivery keeps up to `ackBuffer` unacknowledged messages and sends each
 * again every `ackRedeliverMs` until acked (`{"type":"ack","seq":N}` or a list of seqs). Pings every
 * `pingIntervalMs`, closes after `pongTimeoutMs` without a pong; bounded output queue.
 */
export class AbpWsSession extends KeyedSocketSession implements ChannelSubscriber {
  clientName = '';
  private channels: ReadonlySet<AbpChannel> = new Set();
  private reliable = false;
  private seq = 0;
  private readonly unacked = new Map<number, Unacked>();
  private lastPongAt: number;
  private loggingIn = false;
  private readonly now: () => number;

  constructor(
    socket: WebSocket,
    private readonly deps: AbpSessionDeps,
  ) {
    super(socket, {
      connections: deps.connections,
      outputQueue: deps.limits.outputQueue,
      slowConsumerCode: ABP_CLOSE.SLOW_CONSUMER,
    });
    this.now = deps.now ?? Date.now;
    this.lastPongAt = this.now();
    const loginTimer = setTimeout(() => {
      if (this.keyId === null) this.close(ABP_CLOSE.LOGIN_TIMEOUT, 'Login timeout');
    }, deps.limits.loginTimeoutMs);
    this.timers.push(loginTimer);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return this.error('Binary frames are not accepted');
      void this.onText(data.toString());
    });
  }

  wants(channel: AbpChannel): boolean {
    return this.channels.has(channel);
  }

  deliver(channel: AbpChannel, event: AbpEvent, payload: unknown, ts: number): void {
    if (this.closed) return;
    const seq = ++this.seq;
    const msg = {
      type: 'data',
      channel,
      event,
      payload,
      ts,
      seq,
      ...(this.reliable ? { requireAck: true } : {}),
    };
    const text = JSON.stringify(msg);
    if (this.reliable) {
      if (this.unacked.size >= this.deps.limits.ackBuffer)
        return this.close(ABP_CLOSE.ACK_BUFFER_FULL, 'Too many unacknowledged messages');
      this.unacked.set(seq, { text, sentAt: this.now() });
    }
    this.send(text);
  }

  private async onText(text: string): Promise<void> {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return this.error('Invalid JSON');
    }
    const type = (msg as { type?: unknown } | null)?.type;
    if (type === 'ping') {
      this.lastPongAt = this.now();
      return this.send('{"type":"pong"}');
    }
    if (type === 'pong') {
      this.lastPongAt = this.now();
      return;
    }
    if (type === 'login') return this.login(msg);
    if (this.keyId === null) return this.error('Login first: {"type":"login","apiKey":"…","channels":[]}');
    if (type === 'ack') return this.ack(msg);
    return this.error(`Unknown message type: ${typeof type === 'string' ? type.slice(0, 40) : String(type)}`);
  }

  private async login(msg: unknown): Promise<void> {
    if (this.keyId !== null || this.loggingIn) return this.error('Already logged in');
    const parsed = LoginSchema.safeParse(msg);
    if (!parsed.success) {
      const missingKey = typeof (msg as { apiKey?: unknown }).apiKey !== 'string';
      if (missingKey) {
        this.error(ABP_MESSAGES.missingKey.replace('X-API-Key header', 'apiKey'), 'UNAUTHORIZED');
        return this.close(ABP_CLOSE.AUTH_FAILED, 'apiKey required');
      }
      this.error('Invalid login message');
      return this.close(ABP_CLOSE.BAD_LOGIN, 'Invalid login');
    }
    const unknown = parsed.data.channels.filter((c) => !isChannel(c));
    if (unknown.length > 0) {
      this.error(`Unknown channel: ${unknown.join(', ')}`);
      return this.close(ABP_CLOSE.BAD_LOGIN, 'Unknown channel');
    }
    this.loggingIn = true;
    const check = await this.deps.keys.check(parsed.data.apiKey);
    if (this.closed) return;
    if (!check.ok) {
      const message =
        check.reason === 'invalid'
          ? ABP_MESSAGES.invalidKey
          : check.reason === 'inactive'
            ? ABP_MESSAGES.inactiveKey
            : ABP_MESSAGES.expiredKey;
      this.error(message, check.reason === 'invalid' ? 'UNAUTHORIZED' : 'FORBIDDEN');
      return this.close(ABP_CLOSE.AUTH_FAILED, message);
    }
    const { limits } = this.deps;
    if (!this.deps.connections.take(check.client.keyId, limits.maxConnectionsPerKey)) {
      this.error('Connection limit exceeded');
      return this.close(ABP_CLOSE.CONNECTION_LIMIT, 'Connection limit exceeded');
    }
    this.keyId = check.client.keyId;
    this.clientName = check.client.clientName;
    const wanted = parsed.data.channels.length === 0 ? ALL_CHANNELS : (parsed.data.channels as AbpChannel[]);
    this.channels = new Set(wanted);
    this.reliable = parsed.data.reliableDelivery;
    this.send(
      JSON.stringify({
        type: 'login_ok',
        clientName: this.clientName,
        channels: [...this.channels],
        subscriptionId: this.deps.nextSubscriptionId(),
        access: { clientFiltered: [...CLIENT_CHANNELS], global: [...GLOBAL_CHANNELS] },
        reliableDelivery: this.reliable,
        features: { messageOrdering: true, acknowledgments: this.reliable, batchAck: this.reliable },
      }),
    );
    this.unsubscribe = this.deps.channels.subscribe(this);
    this.timers.push(setInterval(() => this.heartbeat(), limits.pingIntervalMs));
    if (this.reliable) {
      const every = Math.max(25, Math.floor(limits.ackRedeliverMs / 2));
      this.timers.push(setInterval(() => this.redeliver(), every));
    }
  }

  private ack(msg: unknown): void {
    const parsed = AckSchema.safeParse(msg);
    if (!parsed.success)
      return this.error('Invalid ack: {"type":"ack","seq":N} or {"type":"ack","seq":[N,…]}');
    for (const seq of [parsed.data.seq].flat()) this.unacked.delete(seq);
  }

  private heartbeat(): void {
    if (this.now() - this.lastPongAt > this.deps.limits.pongTimeoutMs)
      return this.close(ABP_CLOSE.PONG_TIMEOUT, 'Pong timeout');
    this.send('{"type":"ping"}');
  }

  private redeliver(): void {
    const due = this.now() - this.deps.limits.ackRedeliverMs;
    for (const m of this.unacked.values()) {
      if (m.sentAt > due) continue;
      m.sentAt = this.now();
      this.send(m.text);
    }
  }

  private error(message: string, code?: string): void {
    this.send(JSON.stringify({ type: 'error', message, ...(code ? { code } : {}) }));
  }

  protected released(): void {
    this.unacked.clear();
  }
}
