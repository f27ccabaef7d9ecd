import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { makeTestApp } from '../helpers/app.js';
import { sampleUpdates } from '../helpers/fixtures.js';
import { ErrorCode } from '../../src/broker/close-codes.js';
import { hostileBody, hostileJson, hostileString, POLLUTION_KEYS, RUNS } from './arbitraries.js';

const ACTIONS = ['subscribe', 'unsubscribe', 'get_stats', 'get_matches', 'get_odds', 'ping', 'login'];
const ROOMS = [
  'all',
  'odds',
  'matches',
  'arbs',
  'event:1000001',
  'event:35540213',
  'market:1.257422429',
  'sport:1',
  'sport:4',
];
const CODES = new Set<string>(Object.values(ErrorCode));
const MAX_FRAME = 16 * 1024;

/** A client frame: an action object with hostile fields, or any hostile text. */
const frameArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record(
        {
          action: fc.oneof(fc.constantFrom(...ACTIONS), hostileString, hostileJson),
          room: fc.oneof(fc.constantFrom(...ROOMS), hostileString, hostileJson),
          since: fc.oneof(fc.nat(), fc.integer(), fc.double(), hostileString, hostileJson),
          snapshot: fc.oneof(fc.boolean(), hostileJson),
          id: hostileJson,
          matchId: fc.oneof(fc.constantFrom('1000001', '35540213'), hostileJson),
          apiKey: hostileJson,
        },
        { requiredKeys: ['action'] },
      )
      .chain((o) =>
        fc
          .dictionary(fc.constantFrom(...POLLUTION_KEYS), hostileJson, { maxKeys: 2 })
          .map((extra) => ({ ...extra, ...o })),
      )
      .map((o) => JSON.stringify(o)),
  },
  { weight: 2, arbitrary: hostileBody.map((b) => b ?? '') },
);

/** A connection that collects every frame the server sends, parsed (non-JSON is recorded as a problem). */
class FuzzConn {
  readonly ws: WebSocket;
  readonly got: unknown[] = [];
  readonly problems: string[] = [];
  closed: { code: number } | null = null;
  private wake: (() => void) | null = null;

  constructor(url: string) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.on('error', () => undefined);
    this.ws.on('message', (data) => {
      try {
        this.got.push(JSON.parse(String(data)));
      } catch {
        this.problems.push(`not JSON: ${String(data).slice(0, 100)}`);
      }
      this.wake?.();
    });
    this.ws.on('close', (code) => {
      this.closed = { code };
      this.wake?.();
    });
  }

  async open(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('close', () => reject(new Error('closed before open')));
    });
  }

  /** Waits until `pred` holds for a received frame or the connection closes (≤ 5 s). */
  async until(pred: (m: unknown) => boolean): Promise<boolean> {
    const deadline = Date.now() + 5000;
    while (!this.got.some(pred) && !this.closed) {
      if (Date.now() > deadline) return false;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
    }
    return this.got.some(pred);
  }
}

/** Every frame the server sends is an object with a string `type`; errors are `{type:"error",error,code}`. */
function shapeProblem(m: unknown): string | null {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return `not an object: ${JSON.stringify(m)}`;
  const f = m as { type?: unknown; error?: unknown; code?: unknown };
  if (typeof f.type !== 'string') return `no string type: ${JSON.stringify(m).slice(0, 200)}`;
  if (f.type !== 'error') return null;
  if (typeof f.error !== 'string' || typeof f.code !== 'string' || !CODES.has(f.code))
    return `error frame not in shape: ${JSON.stringify(m).slice(0, 200)}`;
  return null;
}

describe('WebSocket fuzzing: hostile client frames', () => {
  let app: FastifyInstance;
  let url: string;
  before(async () => {
    app = await makeTestApp({
      // Flood limits raised so one connection takes every case (the limits have their own tests).
      config: { ws: { maxErrors: 1_000_000_000, maxInboundPerSec: 1_000_000_000, maxConnections: 100_000 } },
    });
    app.ingest.push(sampleUpdates());
    await app.settle();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    if (addr === null || typeof addr === 'string') throw new Error('not listening');
    url = `ws://127.0.0.1:${addr.port}/ws`;
  });
  after(async () => {
    await app.close();
  });

  test(`${RUNS} frames: every reply in the protocol's shape, the connection stays up, no crash`, async () => {
    let conn = new FuzzConn(url);
    await conn.open();
    let probes = 0;
    try {
      await fc.assert(
        fc.asyncProperty(frameArb, async (frame) => {
          if (conn.closed) {
            conn = new FuzzConn(url);
            await conn.open();
          }
          const from = conn.got.length;
          const probe = `probe-${probes++}`;
          conn.ws.send(frame);
          conn.ws.send(JSON.stringify({ action: 'ping', id: probe }));
          const answered = await conn.until((m) => (m as { id?: unknown }).id === probe);
          const tooBig = Buffer.byteLength(frame) > MAX_FRAME;
          if (tooBig) {
            assert.equal(conn.closed?.code, 1009, 'a frame over ws.maxFrameBytes closes with 1009');
            return;
          }
          assert.ok(
            answered,
            `no pong after frame ${frame.slice(0, 200)} (closed: ${JSON.stringify(conn.closed)})`,
          );
          assert.deepEqual(conn.problems, []);
          for (const m of conn.got.slice(from)) {
            const p = shapeProblem(m);
            if (p) throw new Error(`after frame ${frame.slice(0, 200)}: ${p}`);
          }
          conn.got.length = 0;
        }),
        { numRuns: RUNS },
      );
    } finally {
      conn.ws.terminate();
    }
    assert.ok(app.server.listening, 'the server still listens');
  });
});
