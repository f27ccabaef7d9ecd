import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import type { SourceMarket, SourceUpdate } from '../../src/model/index.js';
import { makeTestApp, type TestAppOptions } from '../helpers/app.js';
import { matchOdds, runner, SAMPLE_EVENTS } from '../helpers/fixtures.js';

/** A message as a test client received it. */
export type Msg = Record<string, unknown> & { type: string; room?: string; seq?: number };

/** An app listening on 127.0.0.1 (port 0) and its /ws URL. */
export async function listeningApp(
  opts: TestAppOptions = {},
): Promise<{ app: FastifyInstance; url: string }> {
  const app = await makeTestApp(opts);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('not listening');
  return { app, url: `ws://127.0.0.1:${addr.port}/ws` };
}

/**
 * A raw WebSocket test client (the `ws` package) that records every frame it receives, parsed, and can
 * wait for a frame matching a predicate.
 */
export class TestClient {
  readonly ws: WebSocket;
  readonly messages: Msg[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<{ pred: (m: Msg) => boolean; from: number; resolve: (m: Msg) => void }> = [];

  constructor(url: string, options: WebSocket.ClientOptions = {}) {
    this.ws = new WebSocket(url, { perMessageDeflate: false, ...options });
    this.ws.on('error', () => undefined);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('close', () => reject(new Error('closed before open')));
    });
    this.opened.catch(() => undefined);
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as Msg;
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(m)) return true;
        w.resolve(m);
        return false;
      });
    });
  }

  /** Connects and waits for the `connected` frame. */
  static async connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const c = new TestClient(url, options);
    await c.opened;
    await c.next((m) => m.type === 'connected');
    return c;
  }

  /** Sends a frame (objects as JSON, strings as they are). */
  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first message (already received or future) matching `pred`; rejects after `timeoutMs`. */
  next(pred: (m: Msg) => boolean, timeoutMs = 5000): Promise<Msg> {
    const seen = this.messages.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching message within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        pred,
        from: this.messages.length,
        resolve: (m) => (clearTimeout(timer), resolve(m)),
      });
    });
  }

  /** Sends a frame and waits for the reply of `type` that arrives after it. */
  async request(frame: unknown, type: string, timeoutMs = 5000): Promise<Msg> {
    const from = this.messages.length;
    const p = this.nextAfter(from, (m) => m.type === type, timeoutMs);
    this.send(frame);
    return p;
  }

  /** Like next(), but only among messages received after index `from`. */
  nextAfter(from: number, pred: (m: Msg) => boolean, timeoutMs = 5000): Promise<Msg> {
    return this.next((m) => this.messages.indexOf(m) >= from && pred(m), timeoutMs);
  }

  /** Subscribes and waits for `subscribed`. */
  async subscribe(room: string, extra: Record<string, unknown> = {}): Promise<Msg> {
    return this.request({ action: 'subscribe', room, ...extra }, 'subscribed');
  }

  /** Pushes (messages with a seq) of one room, in arrival order. */
  pushes(room: string): Msg[] {
    return this.messages.filter(
      (m) => m.room === room && typeof m.seq === 'number' && m.type !== 'subscribed' && m.type !== 'recovery',
    );
  }

  /** Waits until `count` pushes of `room` arrived. */
  async waitPushes(room: string, count: number, timeoutMs = 5000): Promise<Msg[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.pushes(room).length < count) {
      if (Date.now() > deadline) throw new Error(`${room}: ${this.pushes(room).length}/${count} pushes`);
      await sleep(10);
    }
    return this.pushes(room);
  }

  /** Closes and waits for the close. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await Promise.race([this.closed, sleep(2000)]);
    this.ws.terminate();
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The first sample event (Football, in play). */
export const EV = SAMPLE_EVENTS[0] as (typeof SAMPLE_EVENTS)[number];

/** A price update of the first sample event's match-odds market (best back moves with `n`). */
export function priceUpdate(
  n: number,
  marketId = EV.marketId,
  extra: Partial<SourceMarket> = {},
): SourceUpdate {
  const back = +(2 + (n % 50) / 100).toFixed(2);
  return {
    kind: 'market',
    source: 'betfair',
    upstreamEventId: EV.bfi,
    market: matchOdds(
      marketId,
      [runner(101, 'Real Sociedad', back, +(back + 0.02).toFixed(2)), runner(102, 'Betis', 3.1, 3.15)],
      {
        source: 'betfair',
        inPlay: true,
        ...extra,
      },
    ),
  };
}

/** Asserts-free check that seqs are exactly from..to, each once, in order. */
export function seqsOf(msgs: readonly Msg[]): number[] {
  return msgs.map((m) => m.seq as number);
}

/** [from, from+1, ..., to]. */
export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

/** Resolves once `cond()` holds (checked every 10 ms); throws after `timeoutMs`. */
export async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** 50 distinct 20-runner markets of the first sample event, prices moved by `round` (~4 KB per message). */
export function bigBatch(round = 0): SourceUpdate[] {
  const out: SourceUpdate[] = [];
  for (let m = 0; m < 50; m++) {
    const runners = Array.from({ length: 20 }, (_, i) =>
      runner(1000 + i, `Runner number ${i}`, 2 + i / 10 + round / 1000, 2.1 + i / 10),
    );
    out.push({
      kind: 'market',
      source: 'betfair',
      upstreamEventId: EV.bfi,
      market: matchOdds(`9.${m}`, runners, { source: 'betfair', type: 'CORRECT_SCORE', name: `Market ${m}` }),
    });
  }
  return out;
}
