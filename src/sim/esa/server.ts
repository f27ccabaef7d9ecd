/**
 * The simulated Exchange Stream API endpoint: a TLS server on loopback (self-signed certificate) speaking
 * the stream protocol over the hub's market stream, with faults injectable on command: drop every
 * connection, stall (no output, not even heartbeats), degrade (status 503), answer INVALID_CLOCK, cut or
 * merge lines across writes, refuse authentication.
 */
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../core/clock.js';
import type { CertificatePair } from './cert.js';
import { EsaConnection, type ConnectionContext, type RequestFaults } from './connection.js';
import type { EsaHub } from './hub.js';
import type { SimOrders } from './orders.js';
import type { SessionStore } from './sessions.js';
import type { WriteMode } from './writer.js';

/** Options of {@link EsaServer}. */
export interface EsaServerOptions {
  hub: EsaHub;
  sessions: SessionStore;
  orders: SimOrders;
  certificate: CertificatePair;
  host?: string;
  port?: number;
  /** Publish-time clock (the simulator's). */
  now?: Clock;
  /** Default 15 000 (Betfair closes idle unsubscribed connections after 15 s). */
  authTimeoutMs?: number;
  /** Default 200 markets per subscription. */
  subscriptionLimit?: number;
  /** Default 10. */
  maxConnectionsPerSession?: number;
  /** Messages above this size are segmented. Default 64 KiB. */
  maxSegmentBytes?: number;
}

/** A fault the stream server can be told to inject. */
export type StreamFault =
  | { fault: 'drop' }
  | { fault: 'stall' }
  | { fault: 'degraded'; on: boolean }
  | { fault: 'invalidClock'; times?: number }
  | { fault: 'refuseAuth'; code?: string; times?: number }
  | { fault: 'writeMode'; mode: WriteMode }
  | { fault: 'clear' };

const MAX_REGISTERED = 1000;

/** The simulated stream endpoint. */
export class EsaServer {
  private readonly server: Server;
  private readonly connections = new Set<EsaConnection>();
  private readonly registry = new Map<number, Set<string>>();
  private nextInstance = 1;
  private refusal: { code: string; remaining: number } | null = null;
  private invalidClocks = 0;
  private degraded = false;
  private writeMode: WriteMode = 'normal';
  private stopHub: (() => void) | null = null;
  private address: AddressInfo | null = null;
  /** Connections accepted since start. */
  accepted = 0;

  constructor(private readonly opts: EsaServerOptions) {
    this.server = createServer({
      cert: opts.certificate.cert,
      key: opts.certificate.key,
      minVersion: 'TLSv1.2',
    });
    this.server.on('secureConnection', (socket: TLSSocket) => this.accept(socket));
    this.server.on('tlsClientError', () => {});
  }

  /** Starts listening; resolves with the bound address. */
  async listen(): Promise<{ host: string; port: number }> {
    const host = this.opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, host, () => resolve());
    });
    this.address = this.server.address() as AddressInfo;
    this.stopHub = this.opts.hub.onEntry((e) => {
      for (const c of this.connections) c.onEntry(e);
    });
    return { host, port: this.address.port };
  }

  /** Stops listening and destroys every connection. */
  async close(): Promise<void> {
    this.stopHub?.();
    this.stopHub = null;
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Applies a fault; returns how many connections it touched (where that applies). */
  inject(f: StreamFault): number {
    switch (f.fault) {
      case 'drop':
        return this.each((c) => c.socket.destroy());
      case 'stall':
        return this.each((c) => c.stall());
      case 'degraded':
        this.degraded = f.on;
        return this.each((c) => c.feed?.setDegraded(f.on));
      case 'invalidClock':
        this.invalidClocks = f.times ?? 1;
        return 0;
      case 'refuseAuth':
        this.refusal = { code: f.code ?? 'NOT_AUTHORIZED', remaining: f.times ?? 1 };
        return 0;
      case 'writeMode':
        this.writeMode = f.mode;
        return this.each((c) => (c.writer.mode = f.mode));
      case 'clear':
        this.refusal = null;
        this.invalidClocks = 0;
        this.writeMode = 'normal';
        this.each((c) => (c.writer.mode = 'normal'));
        return this.inject({ fault: 'degraded', on: false });
    }
  }

  /** What the admin route shows. */
  state(): Record<string, unknown> {
    return {
      port: this.address?.port ?? null,
      accepted: this.accepted,
      connections: [...this.connections].map((c) => ({
        connectionId: c.connectionId,
        authenticated: c.session !== null,
        subscribedMarkets: c.feed?.markets.size ?? null,
        stalled: c.stalled,
        requests: c.requests,
      })),
      faults: {
        degraded: this.degraded,
        writeMode: this.writeMode,
        invalidClock: this.invalidClocks,
        refuseAuth: this.refusal,
      },
    };
  }

  /** Live connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  private each(fn: (c: EsaConnection) => void): number {
    for (const c of this.connections) fn(c);
    return this.connections.size;
  }

  private accept(socket: TLSSocket): void {
    this.accepted++;
    const conn = new EsaConnection(socket, this.context());
    conn.writer.mode = this.writeMode;
    this.connections.add(conn);
  }

  private context(): ConnectionContext {
    const o = this.opts;
    const isDegraded = (): boolean => this.degraded;
    const faults: RequestFaults = {
      takeRefusal: () => {
        if (!this.refusal || this.refusal.remaining <= 0) return null;
        this.refusal.remaining--;
        return this.refusal.code;
      },
      takeInvalidClock: () => this.invalidClocks > 0 && this.invalidClocks-- > 0,
      get degraded() {
        return isDegraded();
      },
    };
    return {
      hub: o.hub,
      sessions: o.sessions,
      orders: o.orders,
      faults,
      feed: { maxSegmentBytes: o.maxSegmentBytes ?? 64 * 1024, now: o.now ?? Date.now },
      authTimeoutMs: o.authTimeoutMs ?? 15_000,
      subscriptionLimit: o.subscriptionLimit ?? 200,
      maxConnectionsPerSession: o.maxConnectionsPerSession ?? 10,
      connectionsOf: (session) => [...this.connections].filter((c) => c.session === session).length,
      register: (markets) => this.register(markets),
      registered: (instance) => this.registry.get(instance) ?? null,
      onClose: (c) => this.connections.delete(c),
    };
  }

  private register(markets: Set<string>): number {
    const instance = this.nextInstance++;
    this.registry.set(instance, markets);
    if (this.registry.size > MAX_REGISTERED) {
      const oldest = this.registry.keys().next();
      if (!oldest.done) this.registry.delete(oldest.value);
    }
    return instance;
  }
}
