import type { WebSocket } from 'ws';
import type { FastifyBaseLogger } from 'fastify';
import type { AbpChannel, AbpChannels, AbpEvent, ChannelSubscriber } from '../../../execution/channels.js';
import { isUuid, type ApiKeyRepository } from '../../../execution/keys.js';
import type { BetRow, OrderRow } from '../../../execution/rows.js';
import { mmBetStatusOf, mmOrderStatusOf } from '../../../mm/read-api.js';
import { KeyedSocketSession, type KeyConnections } from '../keyed-session.js';

/** Close codes of /mm/ws/subscribe, each with its meaning. */
export const MM_CLOSE = {
  /** Subscribe refused: api_key missing, not a UUID, unknown or inactive. */
  AUTH_FAILED: 4001,
  /** The output queue is full: the client does not read fast enough. */
  SLOW_CONSUMER: 4003,
  /** No subscribe within 30 s. */
  SUBSCRIBE_TIMEOUT: 4008,
  /** Already 5 connections for this key. */
  CONNECTION_LIMIT: 4029,
} as const;

/** The document's error texts. */
export const MM_WS_ERRORS = {
  missingKey: 'api_key required',
  badFormat: 'Invalid api_key format',
  invalidKey: 'Invalid API key',
  connectionLimit: 'Connection limit exceeded',
} as const;

export const MM_CHANNELS = ['orders', 'bets', 'accounts', 'scores', 'emergency'] as const;
export type MmChannel = (typeof MM_CHANNELS)[number];

/** The execution channel each MM channel is fed from (`scores`: no source publishes scores yet). */
const FROM: Partial<Record<AbpChannel, MmChannel>> = {
  orders: 'orders',
  bets: 'bets',
  settlements: 'bets',
  balance: 'accounts',
  accounts: 'accounts',
  emergency: 'emergency',
};

export interface MmWsLimits {
  subscribeTimeoutMs: number;
  heartbeatMs: number;
  outputQueue: number;
  maxConnectionsPerKey: number;
  /** Rows whose last state a session remembers for `old` (least recently seen forgotten first). */
  remembered: number;
}

export const DEFAULT_MM_WS_LIMITS: MmWsLimits = {
  subscribeTimeoutMs: 30_000,
  heartbeatMs: 60_000,
  outputQueue: 2000,
  maxConnectionsPerKey: 5,
  remembered: 10_000,
};

export interface MmSessionDeps {
  keys: ApiKeyRepository;
  channels: AbpChannels;
  connections: KeyConnections;
  limits: MmWsLimits;
  nextSubscriptionId: () => number;
  log: FastifyBaseLogger;
}

type Payload = Record<string, unknown>;

/** An execution order or bet payload in the MM document's fields (see src/mm/read-api.ts). */
function mmPayload(channel: MmChannel, payload: unknown): { key: string | null; value: Payload } {
  if (channel === 'orders' && payload && typeof payload === 'object' && 'orderId' in payload) {
    const o = payload as OrderRow;
    return {
      key: `o${o.orderId}`,
      value: {
        orderId: o.orderId,
        fixtureId: o.fixtureId,
        outcomeId: o.outcomeId,
        orderStatus: mmOrderStatusOf(o.orderStatus),
        orderStake: o.orderStake,
        matchedStake: o.filledStake,
        orderCents: Math.round(10_000 / o.orderPrice) / 10_000,
        matchedAt: o.filledAt,
      },
    };
  }
  if (channel === 'bets' && payload && typeof payload === 'object' && 'betId' in payload) {
    const b = payload as BetRow;
    return {
      key: `b${b.betId}`,
      value: {
        betId: b.betId,
        orderId: b.orderId,
        bookmaker: b.bookmaker,
        bookmakerBetId: b.bookmakerBetId,
        placedPrice: b.placedPrice,
        placedStake: b.placedStake,
        betStatus: mmBetStatusOf(b.betStatus),
        settlementStatus: b.settlementStatus === 'UNSETTLED' ? null : b.settlementStatus,
        placedAt: b.placedAt,
      },
    };
  }
  return { key: null, value: (payload ?? {}) as Payload };
}

/**
 * One /mm/ws/subscribe connection (seed 002, MM WebSocket): `subscribe` with `api_key` within 30 s, then
 * `broadcast` messages of the subscribed channels with `old` (the fields that changed, as they were before);
 * `ping` → `pong`, a `heartbeat` every 60 s, `unsubscribe` stops the broadcasts. Bounded output queue.
 */
export class MmWsSession extends KeyedSocketSession implements ChannelSubscriber {
  clientName = '';
  private channels: ReadonlySet<MmChannel> = new Set();
  private readonly last = new Map<string, Payload>();
  private subscribing = false;

  constructor(
    socket: WebSocket,
    private readonly deps: MmSessionDeps,
  ) {
    super(socket, {
      connections: deps.connections,
      outputQueue: deps.limits.outputQueue,
      slowConsumerCode: MM_CLOSE.SLOW_CONSUMER,
    });
    this.timers.push(
      setTimeout(() => {
        if (this.keyId === null) this.close(MM_CLOSE.SUBSCRIBE_TIMEOUT, 'Subscribe timeout');
      }, deps.limits.subscribeTimeoutMs),
    );
    socket.on('message', (data, isBinary) => {
      if (isBinary) return this.error('Binary frames are not accepted');
      void this.onText(data.toString()).catch((err: unknown) => {
        deps.log.warn({ err }, 'mm ws message failed');
        this.error('Internal error');
      });
    });
  }

  wants(channel: AbpChannel): boolean {
    const mm = FROM[channel];
    return mm !== undefined && this.channels.has(mm);
  }

  deliver(channel: AbpChannel, event: AbpEvent, payload: unknown): void {
    const mm = FROM[channel];
    if (this.closed || mm === undefined) return;
    const { key, value } = mmPayload(mm, payload);
    let old: Payload = {};
    if (key !== null) {
      const before = this.last.get(key);
      if (before) {
        this.last.delete(key);
        for (const [k, v] of Object.entries(value))
          if (JSON.stringify(before[k]) !== JSON.stringify(v)) old[k] = before[k];
      } else old = {};
      this.last.set(key, value);
      if (this.last.size > this.deps.limits.remembered) {
        const oldest = this.last.keys().next().value;
        if (oldest !== undefined) this.last.delete(oldest);
      }
    }
    const mmEvent = event === 'INSERT' || event === 'DELETE' ? event : 'UPDATE';
    this.send(JSON.stringify({ type: 'broadcast', channel: mm, event: mmEvent, payload: value, old }));
  }

  private async onText(text: string): Promise<void> {
    let msg: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        return this.error('Invalid message');
      msg = parsed as Record<string, unknown>;
    } catch {
      return this.error('Invalid JSON');
    }
    if (msg.type === 'ping') return this.send('{"type":"pong"}');
    if (msg.type === 'subscribe') return this.subscribe(msg);
    if (msg.type === 'unsubscribe') {
      this.unsubscribe?.();
      this.unsubscribe = null;
      this.channels = new Set();
      return this.send('{"type":"unsubscribed"}');
    }
    return this.error('Unknown message type');
  }

  private async subscribe(msg: Record<string, unknown>): Promise<void> {
    if (this.keyId !== null || this.subscribing) return this.error('Already subscribed');
    const key = msg.api_key;
    if (typeof key !== 'string' || key.length === 0) return this.refuse(MM_WS_ERRORS.missingKey);
    if (!isUuid(key)) return this.refuse(MM_WS_ERRORS.badFormat);
    const asked = Array.isArray(msg.channels) ? msg.channels : [...MM_CHANNELS];
    const unknown = asked.filter((c) => !(MM_CHANNELS as readonly unknown[]).includes(c));
    if (unknown.length > 0 || asked.length > 20)
      return this.error(`Unknown channel: ${unknown.map(String).join(', ').slice(0, 200)}`);
    this.subscribing = true;
    const check = await this.deps.keys.check(key);
    if (this.closed) return;
    if (!check.ok) return this.refuse(MM_WS_ERRORS.invalidKey);
    if (!this.deps.connections.take(check.client.keyId, this.deps.limits.maxConnectionsPerKey)) {
      this.error(MM_WS_ERRORS.connectionLimit);
      return this.close(MM_CLOSE.CONNECTION_LIMIT, MM_WS_ERRORS.connectionLimit);
    }
    this.keyId = check.client.keyId;
    this.clientName = check.client.clientName;
    this.channels = new Set(asked as MmChannel[]);
    this.send(
      JSON.stringify({
        type: 'subscribed',
        subscription_id: this.deps.nextSubscriptionId(),
        channels: [...this.channels],
      }),
    );
    this.unsubscribe = this.deps.channels.subscribe(this);
    this.timers.push(setInterval(() => this.send('{"type":"heartbeat"}'), this.deps.limits.heartbeatMs));
  }

  private refuse(message: string): void {
    this.error(message);
    this.close(MM_CLOSE.AUTH_FAILED, message);
  }

  private error(message: string): void {
    this.send(JSON.stringify({ type: 'error', message }));
  }

  protected released(): void {
    this.last.clear();
  }
}
