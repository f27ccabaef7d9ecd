import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { AppLogger as Logger } from '../logger.js';
import type { Config } from '../config/index.js';
import type { ApiKeyEntry } from '../config/operations.js';
import type { Event } from '../model/index.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { Store } from '../store/types.js';
import { sportIdFromLabel } from '../contracts/porqpine/sports.js';
import { PendingEventRooms } from './aliases.js';
import { CloseCode, ErrorCode } from './close-codes.js';
import { ClientConnection, type FlushScheduler } from './connection.js';
import type { DemandRegistry } from './demand.js';
import { FlushLoop } from './flush-loop.js';
import { RoomHub } from './hub.js';
import { ConnectionLimiter } from './limiter.js';
import { messageHead } from './messages.js';
import { frameMessage } from './frame.js';
import { matchList } from './notices.js';
import type { ProtocolError, RequestId } from './protocol.js';
import { Publisher } from './publisher.js';
import { RoomHistory } from './room-history.js';
import { parseRoom } from './rooms.js';
import { ClientSession } from './session.js';
import { snapshotMessages, type SnapshotSource } from './snapshot.js';

/** The broker's configuration (config `ws`). */
export type WsConfig = Config['ws'];

/** Dependencies of the broker. */
export interface BrokerOptions {
  readModel: ReadModel;
  store: Store;
  logger: Logger;
  config: WsConfig;
  /** Accepted API keys; empty: the broker is open. */
  apiKeys?: readonly string[];
  /** Checks an API key (e.g. against hashed keys); when given, keys are required and `apiKeys` is unused. */
  authenticate?: (apiKey: string) => boolean;
  /**
   * The entry of an accepted API key (null: not accepted); preferred over `authenticate`. Its digest names
   * the key's connection slot and its entry is what `countRequest` counts against.
   */
  identify?: (apiKey: string) => ApiKeyEntry | null;
  /**
   * Counts one request action (get_odds, get_matches, get_stats) of a key against its rate limit, the
   * same budget as its REST requests; without it, request actions are not limited.
   */
  countRequest?: (entry: ApiKeyEntry) => Promise<RequestVerdict>;
  /** Told about events clients ask for. */
  demand?: DemandRegistry;
  /** The current arbitrages as GET /api/v1/feed/arbs renders them (the `arbs` room's snapshot). */
  arbs?: () => readonly unknown[];
  /** `get_odds` data for an event id (internal or bfi), null when unknown. */
  odds?: (matchId: string) => unknown;
}

/** The rate limit's verdict on one request action. */
export interface RequestVerdict {
  allowed: boolean;
  /** The key's requests per minute. */
  limit: number;
  /** Seconds until the key's window renews. */
  retryAfterSec: number;
}

/** Who is connecting, and the API keys the upgrade request presented (all must agree). */
export interface ConnectInfo {
  ip: string;
  /** The `X-API-Key` header of the upgrade request. */
  headerKey?: string | undefined;
  /** `?apiKey=` of the upgrade request. */
  queryKey?: string | undefined;
  /** A key presented some other way (embedders). */
  apiKey?: string | undefined;
}

/** A `subscribe` request, parsed. */
export interface SubscribeRequest {
  room: string;
  since?: number | undefined;
  snapshot?: boolean | undefined;
  /** The log epoch `since` belongs to; another epoch's seqs are not replayed (a snapshot is sent). */
  epoch?: string | undefined;
  id?: RequestId;
}

const TRIM_EVERY_MS = 5000;

/**
 * The WebSocket room broker. Listens to the read model (which applies the update log in order on every
 * instance) and publishes each change to the rooms its stored `rooms` field names, with those seqs
 * (Publisher): every message is serialized and framed once per room and the same bytes are queued on
 * every subscriber, written once per turn (FlushLoop). Keeps each room's recent messages so `subscribe`
 * with `since` replays exactly what was missed, and any instance can serve it.
 */
export class Broker implements FlushScheduler {
  readonly config: WsConfig;
  readonly limiter: ConnectionLimiter;
  private readonly hub = new RoomHub();
  private readonly history: RoomHistory;
  private readonly publisher: Publisher;
  private readonly flushLoop = new FlushLoop(this.hub);
  private readonly sessions = new Set<ClientSession>();
  private readonly pending = new PendingEventRooms();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly startedAt = Date.now();
  private closed = false;
  private slowClosed = 0;
  private logEpoch = '';

  private constructor(private readonly opts: BrokerOptions) {
    this.config = opts.config;
    this.limiter = new ConnectionLimiter();
    this.history = new RoomHistory({
      windowMs: opts.config.recoveryWindowSec * 1000,
      maxPerRoom: opts.config.recoveryMaxMessages,
    });
    this.publisher = new Publisher({
      readModel: opts.readModel,
      store: opts.store,
      logger: opts.logger,
      hub: this.hub,
      history: this.history,
      recoveryWindowSec: opts.config.recoveryWindowSec,
      onEvent: (e) => {
        if (this.pending.size > 0) this.resolvePending(e);
      },
    });
  }

  /** Creates the broker: fills the recovery window from the update log, then goes live. */
  static async create(opts: BrokerOptions): Promise<Broker> {
    const broker = new Broker(opts);
    broker.logEpoch = await opts.store.logEpoch();
    await broker.publisher.boot(opts.readModel.position);
    broker.every(opts.config.pingIntervalMs, () => broker.sweep());
    broker.every(TRIM_EVERY_MS, () => {
      broker.history.trim(Date.now());
      void broker.refreshEpoch();
    });
    return broker;
  }

  /**
   * The update log's epoch (Store.logEpoch), sent in `connected`, `subscribed` and `recovery`: seqs are
   * positions within one epoch, so a client whose remembered epoch differs resubscribes with a snapshot.
   */
  get epoch(): string {
    return this.logEpoch;
  }

  /** Re-reads the log epoch (a store reset under a running server gives a new one). */
  private async refreshEpoch(): Promise<void> {
    try {
      const epoch = await this.opts.store.logEpoch();
      if (epoch !== this.logEpoch) {
        this.opts.logger.warn({ from: this.logEpoch, to: epoch }, 'update log epoch changed (store reset)');
        this.logEpoch = epoch;
      }
    } catch {
      // the store is unreachable: keep the epoch; the next sweep reads it again
    }
  }

  /** True when API keys are configured. */
  get authRequired(): boolean {
    return (
      (this.opts.apiKeys?.length ?? 0) > 0 ||
      this.opts.authenticate !== undefined ||
      this.opts.identify !== undefined
    );
  }

  /** The identify option, if any (the session prefers it to authenticate). */
  get identify(): ((apiKey: string) => ApiKeyEntry | null) | undefined {
    return this.opts.identify;
  }

  /** The countRequest option, if any (request actions are rate limited with it). */
  get countRequest(): ((entry: ApiKeyEntry) => Promise<RequestVerdict>) | undefined {
    return this.opts.countRequest;
  }

  /** The authenticate option, if any (the session uses it instead of matching `apiKeys`). */
  get authenticate(): ((apiKey: string) => boolean) | undefined {
    return this.opts.authenticate;
  }

  /** The API keys (for the session's matcher). */
  get apiKeys(): readonly string[] {
    return this.opts.apiKeys ?? [];
  }

  /** Takes over an upgraded WebSocket. */
  connect(ws: WebSocket, socket: Socket, info: ConnectInfo): void {
    const id = randomBytes(9).toString('base64url');
    const conn = new ClientConnection(id, ws, socket, this.config, this);
    if (this.closed) return conn.close(CloseCode.GOING_AWAY);
    const session = new ClientSession(conn, this, info);
    this.sessions.add(session);
    ws.on('close', () => {
      this.sessions.delete(session);
      for (const room of conn.rooms) this.leave(conn, room);
      session.dispose();
    });
    session.start();
  }

  /** FlushScheduler: flushes the connection once, after the current turn's publishes. */
  markDirty(conn: ClientConnection): void {
    this.flushLoop.markDirty(conn);
  }

  /** FlushScheduler: a connection was closed as a slow consumer (4008). */
  closedSlow(conn: ClientConnection): void {
    this.slowClosed++;
    this.opts.logger.info(
      { clientId: conn.id, backlogBytes: conn.backlogBytes },
      'slow consumer closed (4008)',
    );
  }

  /**
   * Subscribes a connection to a room: replies `subscribed`, then with `since` either the missed messages
   * (`recovery` recovered:true) or `recovery` recovered:false and a snapshot; then the room is live.
   * Runs synchronously, so no message is published in between: no gap, no duplicate.
   * A room the connection is already in is not joined again and gets no new burst (`already: true`);
   * while the room's previous burst is still leaving this process, a new one is refused (BURST_IN_FLIGHT).
   */
  subscribe(conn: ClientConnection, req: SubscribeRequest): ProtocolError | null {
    const resolved = this.resolveRoom(req.room);
    if ('code' in resolved) return { ...resolved, ...(req.id !== undefined ? { id: req.id } : {}) };
    const { room, event } = resolved;
    if (conn.rooms.has(room)) {
      const requested = room !== req.room ? { requested: req.room } : {};
      conn.send({
        type: 'subscribed',
        room,
        seq: this.history.lastSeq(room),
        epoch: this.logEpoch,
        ...requested,
        already: true,
        ...idOf(req),
      });
      return null;
    }
    if (conn.rooms.size >= this.config.maxRooms) {
      return {
        code: ErrorCode.TOO_MANY_ROOMS,
        error: `at most ${this.config.maxRooms} rooms per connection`,
        id: req.id,
      };
    }
    const burst = req.since !== undefined || req.snapshot === true;
    if (burst && conn.burstInFlight(room)) {
      return {
        code: ErrorCode.BURST_IN_FLIGHT,
        error: `the previous snapshot or recovery of "${room}" is still being sent; subscribe again once it has arrived`,
        id: req.id,
      };
    }
    conn.rooms.add(room);
    this.hub.add(room, conn);
    if (resolved.alias) this.pending.add(resolved.alias, conn);
    const seq = this.history.lastSeq(room);
    conn.send({
      type: 'subscribed',
      room,
      seq,
      epoch: this.logEpoch,
      ...(room !== req.room ? { requested: req.room } : {}),
      ...idOf(req),
    });
    if (event) this.opts.demand?.touch(event.id);
    if (req.since !== undefined) this.recover(conn, room, req.since, seq, req.epoch);
    else if (req.snapshot) conn.sendFrames(snapshotMessages(room, seq, this.snapshotSource()), room);
    return null;
  }

  /** Unsubscribes a connection from a room (idempotent). */
  unsubscribe(conn: ClientConnection, rawRoom: string, id?: RequestId): ProtocolError | null {
    const resolved = this.resolveRoom(rawRoom);
    if ('code' in resolved) return id === undefined ? resolved : { ...resolved, id };
    this.leave(conn, resolved.room);
    conn.send({ type: 'unsubscribed', room: resolved.room, ...(id !== undefined ? { id } : {}) });
    return null;
  }

  /** One-shot stats (get_stats, and `connected`). */
  stats(): Record<string, unknown> {
    return {
      clients: this.sessions.size,
      rooms: this.hub.size,
      events: this.opts.readModel.events.size,
      markets: this.opts.readModel.markets.size,
      uptime_s: Math.round((Date.now() - this.startedAt) / 1000),
      slow_consumers_closed: this.slowClosed,
      messages_out: this.publisher.messagesOut,
      recovery: { window_s: this.config.recoveryWindowSec, ...this.history.size() },
    };
  }

  /** The current match list (get_matches). */
  matches(): unknown[] {
    return matchList(this.opts.readModel);
  }

  /** get_odds data, or null for an unknown event. Touches the event's demand. */
  odds(matchId: string): unknown {
    const event = this.opts.readModel.findEvent(matchId);
    if (!event) return null;
    this.opts.demand?.touch(event.id);
    return this.opts.odds
      ? this.opts.odds(matchId)
      : { internal_id: String(event.id), markets: this.opts.readModel.marketsOf(event.id) };
  }

  /** Rooms with subscriber counts, and connected clients (admin). */
  roomStats(): { clients: number; rooms: Record<string, number> } {
    return { clients: this.sessions.size, rooms: this.hub.stats() };
  }

  /**
   * Bytes waiting for a client (its queue and its socket's buffer), what its bound (`ws.maxQueueBytes`)
   * applies to; undefined for an unknown or closed client.
   */
  backlogOf(clientId: string): number | undefined {
    for (const s of this.sessions) if (s.conn.id === clientId) return s.conn.backlogBytes;
    return undefined;
  }

  /** Connected clients. */
  clientCount(): number {
    return this.sessions.size;
  }

  /** The last seq published to a room (0: none). */
  lastSeq(room: string): number {
    return this.history.lastSeq(room);
  }

  /** Stops publishing and closes every connection with 1001 (destroying those that do not close in 1 s). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.publisher.stop();
    for (const t of this.timers) clearInterval(t);
    const waits: Promise<void>[] = [];
    for (const s of this.sessions) {
      waits.push(new Promise((resolve) => s.conn.ws.once('close', () => resolve())));
      s.conn.close(CloseCode.GOING_AWAY);
    }
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
    await Promise.race([Promise.all(waits), deadline]);
    for (const s of this.sessions) s.conn.terminate();
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  /** Liveness: reaps connections that did not answer the previous ping, pings the others. */
  private sweep(): void {
    for (const s of this.sessions) {
      const conn = s.conn;
      if (conn.isClosing) continue;
      if (!conn.alive) {
        conn.terminate();
        continue;
      }
      conn.alive = false;
      try {
        conn.ws.ping();
      } catch {
        conn.terminate();
      }
    }
  }

  private leave(conn: ClientConnection, room: string): void {
    conn.rooms.delete(room);
    this.hub.remove(room, conn);
    this.pending.remove(conn, room);
  }

  /**
   * An event appeared: subscribers that asked for it (by internal or upstream id) before it was known
   * move to its canonical room and are told so with a new `subscribed` (before its first message).
   */
  private resolvePending(e: Event): void {
    const room = `event:${e.id}`;
    for (const [requested, conns] of this.pending.take(e)) {
      for (const conn of conns) {
        this.leave(conn, requested);
        if (conn.isClosing) continue;
        conn.rooms.add(room);
        this.hub.add(room, conn);
        conn.send({
          type: 'subscribed',
          room,
          seq: this.history.lastSeq(room),
          epoch: this.logEpoch,
          requested,
        });
      }
    }
  }

  private recover(
    conn: ClientConnection,
    room: string,
    since: number,
    seq: number,
    epoch: string | undefined,
  ): void {
    const epochField = { epoch: this.logEpoch };
    // `since` of another log epoch names positions of a log that no longer exists: never replayed.
    const stored =
      epoch === undefined || epoch === this.logEpoch ? this.history.storedSince(room, since) : null;
    // A replay larger than the connection's queue bound could never be delivered (every byte counts):
    // the client gets the room's current state instead, as when `since` is older than the window.
    const missed =
      stored && conn.fits(stored.length, 0)
        ? stored.map((e) => frameMessage(messageHead(e.type, room, e.seq, e.ts), e.body))
        : null;
    if (missed && conn.fits(missed.length, byteLength(missed))) {
      conn.send({ type: 'recovery', room, recovered: true, since, seq, ...epochField, count: missed.length });
      conn.sendFrames(missed, room);
      return;
    }
    conn.send({ type: 'recovery', room, recovered: false, since, seq, ...epochField });
    conn.sendFrames(snapshotMessages(room, seq, this.snapshotSource()), room);
  }

  private snapshotSource(): SnapshotSource {
    return {
      readModel: this.opts.readModel,
      scores: this.publisher.scores,
      arbs: this.opts.arbs ?? (() => []),
    };
  }

  /** Canonical room for a client's room name: event rooms by internal id, sport rooms by id. */
  private resolveRoom(raw: string): { room: string; event?: Event; alias?: string } | ProtocolError {
    const parsed = parseRoom(raw);
    const bad = { code: ErrorCode.BAD_ROOM, error: `unknown room "${String(raw).slice(0, 80)}"` };
    if (!parsed) return bad;
    if (parsed.kind === 'event') {
      const event = this.opts.readModel.findEvent(parsed.id);
      return event ? { room: `event:${event.id}`, event } : { room: `event:${parsed.id}`, alias: parsed.id };
    }
    if (parsed.kind === 'sport') {
      const id = sportIdFromLabel(parsed.id, this.opts.readModel.sports.keys());
      return id === null ? bad : { room: `sport:${id}` };
    }
    if (parsed.kind === 'market') return { room: `market:${parsed.id}` };
    return { room: parsed.kind };
  }
}

function byteLength(frames: readonly Buffer[]): number {
  let n = 0;
  for (const f of frames) n += f.length;
  return n;
}

function idOf(req: { id?: RequestId }): { id?: RequestId } {
  return req.id === undefined ? {} : { id: req.id };
}
