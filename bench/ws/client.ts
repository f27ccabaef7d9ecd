import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { ClientCommand, ClientEvent, Kind } from './ipc.js';
import { nowMs } from './payload.js';

/**
 * A benchmark client process: holds many WebSocket connections on raw TCP sockets and parses only frame
 * headers, so the clients stay cheap next to the server. It counts the text frames each connection
 * receives and, on sampled connections, reads the publish time ("pt=") to measure latency.
 */

const send = (m: ClientEvent) => process.send?.(m);
const PT = Buffer.from('pt=');

/** A client frame (clients must mask; a zero mask leaves the payload as it is). */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  if (payload.length >= 126) throw new Error('client frames here are small');
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
}

class RawConn {
  count = 0;
  target = Infinity;
  ready = false;
  lastLen = 0;
  private socket: Socket;
  private rest: Buffer | null = null;
  private upgraded = false;

  constructor(
    private readonly proc: ClientProcess,
    private readonly kind: Kind,
    readonly sampled: boolean,
    port: number,
    path: string,
    onReady: (ok: boolean) => void,
  ) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => {
      const key = randomBytes(16).toString('base64');
      this.socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk, onReady));
    this.socket.on('error', () => onReady(false));
    this.socket.on('close', () => {
      if (!this.ready) onReady(false);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private text(s: string): void {
    this.socket.write(clientFrame(1, Buffer.from(s)));
  }

  private onData(chunk: Buffer, onReady: (ok: boolean) => void): void {
    let data = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    if (!this.upgraded) {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return void (this.rest = data);
      if (!data.subarray(0, 12).toString().includes('101')) return onReady(false);
      this.upgraded = true;
      if (this.kind === 'oddsgate') this.text('{"action":"subscribe","room":"all"}');
      if (this.kind === 'limit') this.markReady(onReady);
      data = data.subarray(end + 4);
    }
    let off = 0;
    for (;;) {
      const rem = data.length - off;
      if (rem < 2) break;
      let len = (data[off + 1] as number) & 0x7f;
      let h = 2;
      if (len === 126) {
        if (rem < 4) break;
        len = data.readUInt16BE(off + 2);
        h = 4;
      } else if (len === 127) {
        if (rem < 10) break;
        len = data.readUInt32BE(off + 6);
        h = 10;
      }
      if (rem < h + len) break;
      this.onFrame((data[off] as number) & 0x0f, data, off + h, len, onReady);
      off += h + len;
    }
    this.rest = off < data.length ? data.subarray(off) : null;
  }

  private markReady(onReady: (ok: boolean) => void): void {
    if (this.ready) return;
    this.ready = true;
    onReady(true);
  }

  private onFrame(op: number, data: Buffer, p: number, len: number, onReady: (ok: boolean) => void): void {
    if (op === 9) return void this.socket.write(clientFrame(10, data.subarray(p, p + len)));
    if (op !== 1) return;
    const first = data[p];
    if (this.kind === 'socketio') {
      if (len === 1 && first === 0x32) return this.text('3');
      if (first === 0x30) return this.text('40');
      if (first === 0x34 && data[p + 1] === 0x30) return this.markReady(onReady);
      if (first !== 0x34 || data[p + 1] !== 0x32) return;
    } else if (!this.ready) {
      if (data.subarray(p, p + len).includes('"subscribed"')) this.markReady(onReady);
      return;
    }
    this.lastLen = len;
    if (this.proc.latencyOn && this.sampled) {
      const at = data.indexOf(PT, p);
      if (at >= 0 && at < p + len)
        this.proc.samples.push(nowMs() - parseFloat(data.toString('latin1', at + 3, at + 24)));
    }
    if (++this.count === this.target) this.proc.oneDone();
  }
}

/** The client process: its connections and the orchestrator's commands. */
class ClientProcess {
  conns: RawConn[] = [];
  samples: number[] = [];
  latencyOn = false;
  private done = 0;

  async connectAll(c: Extract<ClientCommand, { cmd: 'connect' }>): Promise<void> {
    let failed = 0;
    const CONCURRENCY = 50;
    for (let i = 0; i < c.count; i += CONCURRENCY) {
      const batch: Promise<void>[] = [];
      for (let j = i; j < Math.min(c.count, i + CONCURRENCY); j++) {
        batch.push(
          new Promise((resolve) => {
            const conn = new RawConn(
              this,
              c.kind,
              (c.offset + j) % c.sampleEvery === 0,
              c.port,
              c.path,
              (ok) => {
                if (!ok) failed++;
                resolve();
              },
            );
            this.conns.push(conn);
          }),
        );
      }
      await Promise.all(batch);
    }
    send({ ev: 'connected', n: this.conns.filter((x) => x.ready).length, failed });
  }

  expect(count: number): void {
    this.done = 0;
    for (const c of this.conns) {
      c.count = 0;
      c.target = count;
    }
  }

  oneDone(): void {
    if (++this.done !== this.conns.length) return;
    const received = this.conns.reduce((n, c) => n + c.count, 0);
    send({ ev: 'done', t: nowMs(), bytes: this.conns[0]?.lastLen ?? 0, received });
  }
}

// The orchestrator went away: so do we.
process.on('disconnect', () => process.exit(0));
const proc = new ClientProcess();
process.on('message', (m: ClientCommand) => {
  if (m.cmd === 'connect') void proc.connectAll(m);
  else if (m.cmd === 'expect') proc.expect(m.count);
  else if (m.cmd === 'latency') {
    proc.latencyOn = m.on;
    if (m.on) proc.samples = [];
    else send({ ev: 'latency', samples: proc.samples });
  } else if (m.cmd === 'stop') {
    for (const c of proc.conns) c.close();
    process.exit(0);
  }
});
