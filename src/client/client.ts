import { EventEmitter } from 'node:events';
import { CLOSE_CODES } from '../contracts/ws/codes.js';
import type {
  ConnectedMessage,
  ErrorMessage,
  PushMessage,
  RecoveryMessage,
  ReplyFor,
  RequestAction,
  RequestFields,
  ServerMessage,
  SubscribedMessage,
  WebSocketFactory,
  WebSocketLike,
} from './types.js';
import { Backoff as Retries } from '../core/backoff.js';

/** Reconnect backoff: exponential from minMs to maxMs, each delay randomised by ±jitter (0–1). */
export interface Backoff {
  minMs: number;
  maxMs: number;
  jitter: number;
}

/** Options of OddsgateClient. */
export interface OddsgateClientOptions {
  /**
   * ws://host:port/ws, or several instances' URLs: after a close (e.g. 1001 when an instance drains) the
   * client reconnects to the next one and resumes every room with `since`.
   */
  url: string | readonly string[];
  /** Sent as a `login` frame after each connect, when set. */
  apiKey?: string;
  /** WebSocket implementation: default globalThis.WebSocket (pass `ws`'s WebSocket on Node 20). */
  WebSocket?: WebSocketFactory;
  backoff?: Partial<Backoff>;
  /** Replies to requests (get_stats, ...) time out after this. Default 10 s. */
  requestTimeoutMs?: number;
}

/**
 * Events: connected, disconnected {code, reason}, message (PushMessage), recovery, subscribed, gap, epoch
 * (the server's log was reset: every room is re-snapshotted), error, closed.
 */
export interface OddsgateClientEvents {
  connected: [{ clientId: string; epoch: string }];
  disconnected: [{ code: number; reason: string }];
  message: [PushMessage];
  recovery: [RecoveryMessage];
  subscribed: [SubscribedMessage];
  gap: [{ room: string; expected: number; got: number }];
  epoch: [{ from: string; to: string }];
  error: [ErrorMessage | Error];
  closed: [];
}

interface RoomState {
  /** The room name as the server calls it (event rooms by internal id), once known. */
  canonical: string;
  /** Last seq delivered (or the snapshot position); null until the first subscribe reply. */
  lastSeq: number | null;
  /** A resubscribe with `since` is in flight after a gap: later gaps wait for its replay. */
  healing: boolean;
  /** Ask for a snapshot when (re)subscribing without a position. */
  snapshot: boolean;
}

/** Options of subscribe(). */
export interface SubscribeOptions {
  /** Receive the room's current state (messages with `snapshot: true`) before its changes. */
  snapshot?: boolean;
}

/** Close codes after which reconnecting cannot help (CLOSE_CODES[…].retry false). */
const NO_RETRY_CODES = new Set<number>(
  Object.values(CLOSE_CODES)
    .filter((c) => !c.retry)
    .map((c) => c.code),
);
const DEFAULT_BACKOFF: Backoff = { minMs: 250, maxMs: 10_000, jitter: 0.5 };

/**
 * A typed client of the oddsgate broker for bots: reconnects with exponential backoff and jitter and
 * resumes every room with `since` and the log epoch, so each room's messages arrive exactly once and in
 * order across reconnects (a snapshot replaces them when the gap is older than the server's window, or
 * when the server's log epoch changed: a reset store). Duplicates are dropped; a seq gap (should not
 * happen) triggers a resubscribe with `since`. Every message is typed from the server's registry.
 */
export class OddsgateClient extends EventEmitter<OddsgateClientEvents> {
  private ws: WebSocketLike | null = null;
  private readonly rooms = new Map<string, RoomState>();
  private readonly byCanonical = new Map<string, string>();
  private readonly pending = new Map<
    number,
    { resolve: (m: ServerMessage) => void; reject: (e: Error) => void }
  >();
  /** Reconnect delays (the options' Backoff as core's: ±jitter around minMs × 2^n up to maxMs). */
  private readonly retries: Retries;
  private nextId = 1;
  private closedByUser = false;
  private ready = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private urlIndex = 0;
  /** The server's log epoch, as last seen (null: never connected). */
  private logEpoch: string | null = null;
  /** Resolves the current connect() once the session is open. */
  private opened: { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } | null = null;
  /** Requests made before the session opened: sent once it is. */
  private readonly queued: Array<() => void> = [];

  constructor(private readonly opts: OddsgateClientOptions) {
    super();
    const b = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.retries = new Retries({
      baseMs: b.minMs,
      maxMs: b.maxMs,
      jitter: { low: b.jitter, high: b.jitter },
    });
  }

  /**
   * Opens the connection (and keeps it open until close()). Resolves once the session is open (the
   * server's `connected` frame); rejects when close() is called first or the server refuses the
   * connection for good (4001). Requests and subscriptions made before that wait for it.
   */
  connect(): Promise<void> {
    this.closedByUser = false;
    if (!this.opened) {
      let resolve!: () => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      promise.catch(() => undefined); // a caller that does not await connect() gets no unhandled rejection
      this.opened = { promise, resolve, reject };
    }
    const { promise } = this.opened;
    if (this.ready) this.opened.resolve();
    else if (!this.ws && !this.retryTimer) this.open();
    return promise;
  }

  /** The server's update-log epoch as last seen (null before the first connection). */
  get epoch(): string | null {
    return this.logEpoch;
  }

  /** Subscribes to a room (kept across reconnects); with `snapshot`, its current state comes first. */
  subscribe(room: string, opts: SubscribeOptions = {}): void {
    if (this.rooms.has(room)) return;
    this.rooms.set(room, {
      canonical: room,
      lastSeq: null,
      healing: false,
      snapshot: opts.snapshot === true,
    });
    if (this.ready) this.sendSubscribe(room);
  }

  /** Unsubscribes and forgets a room's position. */
  unsubscribe(room: string): void {
    const st = this.rooms.get(room);
    if (!st) return;
    this.rooms.delete(room);
    this.byCanonical.delete(st.canonical);
    this.sendRaw({ action: 'unsubscribe', room: st.canonical });
  }

  /** The last seq seen for a room (null: none yet). */
  position(room: string): number | null {
    return this.rooms.get(room)?.lastSeq ?? null;
  }

  /**
   * `get_stats`, `get_matches`, `get_odds` or `ping`: resolves with the typed reply (rejects on an error
   * reply, a timeout, or close()). Made before the session is open, it is sent once it is.
   */
  request<A extends RequestAction>(
    action: A,
    ...fields: Record<never, never> extends RequestFields<A> ? [RequestFields<A>?] : [RequestFields<A>]
  ): Promise<ReplyFor<A>> {
    const id = this.nextId++;
    const extra = fields[0] ?? {};
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${action} timed out`));
      }, this.opts.requestTimeoutMs ?? 10_000);
      this.pending.set(id, {
        resolve: (m) => (clearTimeout(timer), resolve(m as ReplyFor<A>)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      const send = () => {
        if (this.pending.has(id) && !this.sendRaw({ action, ...extra, id })) {
          this.pending.get(id)?.reject(new Error('not connected'));
        }
      };
      if (this.ready) send();
      else this.queued.push(send);
    });
  }

  /** Closes for good (no reconnect). */
  close(): void {
    this.closedByUser = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.ws?.close(1000, 'client closing');
    this.ws = null;
    this.ready = false;
    this.queued.length = 0;
    this.failPending(new Error('client closed'));
    this.opened?.reject(new Error('client closed'));
    this.opened = null;
    this.emit('closed');
  }

  private open(): void {
    const Impl = this.opts.WebSocket ?? (globalThis as { WebSocket?: WebSocketFactory }).WebSocket;
    if (!Impl) throw new Error('no WebSocket implementation: pass options.WebSocket');
    const ws = new Impl(this.currentUrl()) as WebSocketLike;
    this.ws = ws;
    ws.onmessage = (ev) => this.onMessage(String(ev.data));
    ws.onerror = () => undefined;
    ws.onclose = (ev) => this.onClose(ws, ev.code, ev.reason);
  }

  private onClose(ws: WebSocketLike, code: number, reason: string): void {
    if (this.ws !== ws) return;
    this.ws = null;
    this.ready = false;
    this.failPending(new Error(`connection closed (${code})`));
    this.emit('disconnected', { code, reason });
    if (this.closedByUser) return;
    if (NO_RETRY_CODES.has(code)) {
      this.queued.length = 0;
      this.opened?.reject(new Error(`connection refused (${code} ${reason})`));
      this.opened = null;
      return;
    }
    this.urlIndex++; // with several URLs, the next attempt goes to the next instance
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, this.retries.next());
  }

  /** The URL of the next connection attempt. */
  currentUrl(): string {
    const u = this.opts.url;
    return typeof u === 'string' ? u : (u[this.urlIndex % u.length] as string);
  }

  private onMessage(text: string): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    switch (msg.type) {
      case 'connected':
        return this.onConnected(msg);
      case 'subscribed':
        return this.onSubscribed(msg);
      case 'recovery':
        return this.onRecovery(msg);
      case 'error':
      case 'unsubscribed':
      case 'pong':
      case 'stats':
      case 'matches':
      case 'odds':
      case 'login':
        return this.onReply(msg);
      default:
        return this.onPush(msg);
    }
  }

  private onConnected(msg: ConnectedMessage): void {
    this.retries.reset();
    this.ready = true;
    this.noteEpoch(msg.epoch);
    if (this.opts.apiKey) this.sendRaw({ action: 'login', apiKey: this.opts.apiKey });
    for (const room of this.rooms.keys()) this.sendSubscribe(room);
    this.emit('connected', { clientId: msg.clientId, epoch: msg.epoch });
    this.opened?.resolve();
    this.opened = null;
    for (const send of this.queued.splice(0)) send();
  }

  /**
   * A new log epoch (the server's store was reset or replaced): every room's position belongs to a log
   * that no longer exists, so each is forgotten and the rooms are resubscribed with a snapshot.
   */
  private noteEpoch(epoch: string | undefined): void {
    if (typeof epoch !== 'string' || epoch === this.logEpoch) return;
    const from = this.logEpoch;
    this.logEpoch = epoch;
    if (from === null) return;
    for (const st of this.rooms.values()) {
      if (st.lastSeq === null) continue;
      st.lastSeq = null;
      st.snapshot = true;
    }
    this.emit('epoch', { from, to: epoch });
  }

  private onSubscribed(msg: SubscribedMessage): void {
    this.noteEpoch(msg.epoch);
    const name = msg.requested ?? msg.room;
    const key = this.rooms.has(name) ? name : this.byCanonical.get(msg.room);
    const st = key === undefined ? undefined : this.rooms.get(key);
    if (st && key !== undefined) {
      if (st.canonical !== msg.room) {
        this.byCanonical.delete(st.canonical);
        st.lastSeq = null;
      }
      st.canonical = msg.room;
      this.byCanonical.set(msg.room, key);
      if (st.lastSeq === null) st.lastSeq = msg.seq;
    }
    this.emit('subscribed', msg);
  }

  private onRecovery(msg: RecoveryMessage): void {
    const st = this.stateOf(msg.room);
    if (st) st.healing = false;
    if (st && !msg.recovered) st.lastSeq = msg.seq;
    this.emit('recovery', msg);
  }

  private onPush(msg: PushMessage): void {
    const st = this.stateOf(msg.room);
    if (!st) return;
    if (msg.snapshot) return void this.emit('message', msg);
    const last = st.lastSeq;
    if (last !== null && msg.seq <= last) return;
    if (last !== null && msg.seq > last + 1) {
      if (st.healing) return;
      st.healing = true;
      this.emit('gap', { room: msg.room, expected: last + 1, got: msg.seq });
      // The server grants no replay to a room the connection is in: leave it and join again with `since`
      // (handled in order, so nothing published in between is lost: the replay covers it).
      this.sendRaw({ action: 'unsubscribe', room: st.canonical });
      this.sendRaw({ action: 'subscribe', room: st.canonical, since: last, ...this.epochField() });
      return;
    }
    st.lastSeq = msg.seq;
    this.emit('message', msg);
  }

  private onReply(msg: ServerMessage): void {
    const id = (msg as { id?: unknown }).id;
    const p = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (p && typeof id === 'number') {
      this.pending.delete(id);
      if (msg.type === 'error') p.reject(new Error(`${msg.code}: ${msg.error}`));
      else p.resolve(msg);
      return;
    }
    if (msg.type === 'error') this.emit('error', msg);
  }

  private stateOf(canonical: string): RoomState | undefined {
    return this.rooms.get(this.byCanonical.get(canonical) ?? canonical);
  }

  private sendSubscribe(room: string): void {
    const st = this.rooms.get(room);
    if (!st) return;
    const since = st.lastSeq;
    if (since !== null) {
      this.sendRaw({ action: 'subscribe', room: st.canonical, since, ...this.epochField() });
    } else if (st.snapshot) this.sendRaw({ action: 'subscribe', room: st.canonical, snapshot: true });
    else this.sendRaw({ action: 'subscribe', room: st.canonical });
  }

  private epochField(): { epoch?: string } {
    return this.logEpoch === null ? {} : { epoch: this.logEpoch };
  }

  private sendRaw(frame: Record<string, unknown>): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  private failPending(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
