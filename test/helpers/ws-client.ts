import WebSocket from 'ws';

/** A JSON message of the ABP and MM WebSockets. */
export interface WsMsg {
  type: string;
  [k: string]: unknown;
}

/** A `data` message of the ABP WebSocket. */
export interface WsDataMsg extends WsMsg {
  channel: string;
  event: string;
  payload: Record<string, unknown>;
  ts: number;
  seq: number;
  requireAck?: boolean;
}

/** What the client answers by itself. */
export interface WsClientOptions {
  /** Pong every ping and acknowledge every data message that asks for it (unless `hold` keeps it). */
  autoReply?: boolean;
}

/**
 * A test WebSocket client of the keyed JSON protocols (/abp/ws, /mm/ws/subscribe): keeps every message and
 * waits on them (readiness, never the clock alone); a wait ends early, with an error, when the socket closes.
 */
export class JsonWsClient {
  readonly messages: WsMsg[] = [];
  closed: { code: number; reason: string } | null = null;
  /** With autoReply: data messages not acknowledged on receipt (to watch them come again). */
  hold: (m: WsDataMsg) => boolean = () => false;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly ws: WebSocket,
    opts: WsClientOptions,
  ) {
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as WsMsg;
      this.messages.push(m);
      if (opts.autoReply) this.reply(m);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  /** Connects and resolves once the socket is open. */
  static async open(url: string, opts: WsClientOptions = {}): Promise<JsonWsClient> {
    const ws = new WebSocket(url);
    const c = new JsonWsClient(ws, opts);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return c;
  }

  send(m: unknown): void {
    this.ws.send(JSON.stringify(m));
  }

  /** Waits until `pred` holds over the messages received so far and returns its value. */
  async until<T>(pred: (ms: WsMsg[]) => T | undefined, what: string, ms = 30_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = pred(this.messages);
      if (v !== undefined) return v;
      if (this.closed) throw new Error(`closed ${JSON.stringify(this.closed)} waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${ms} ms; got ${JSON.stringify(this.messages)}`);
      await this.wait(left);
    }
  }

  /** The first message (from index `from`) matching `pred`, waiting up to `ms`. */
  next(pred: (m: WsMsg) => boolean, ms = 10_000, from = 0): Promise<WsMsg> {
    return this.until((all) => all.slice(from).find(pred), 'a match', ms);
  }

  /** The close code and reason, waiting up to `ms` for the close. */
  async closedWith(ms = 10_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('not closed');
      await this.wait(left);
    }
    return this.closed;
  }

  data(): WsDataMsg[] {
    return this.messages.filter((m): m is WsDataMsg => m.type === 'data');
  }

  close(): void {
    this.ws.close();
  }

  private reply(m: WsMsg): void {
    if (m.type === 'ping') this.send({ type: 'pong' });
    const data = m as WsDataMsg;
    if (m.type === 'data' && data.requireAck && !this.hold(data)) this.send({ type: 'ack', seq: data.seq });
  }

  private wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
