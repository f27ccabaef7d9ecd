import { RawWsClient } from '../lib/raw-ws.js';
import type { ClientCommand, ClientEvent, Kind } from './ipc.js';
import { nowMs } from './payload.js';

/**
 * A benchmark client process: holds many WebSocket connections (RawWsClient: raw TCP sockets, frame
 * headers only, one shared read buffer), so the clients stay cheap next to the server. It counts the
 * text frames each connection receives and, on sampled connections, reads the publish time ("pt=") to
 * measure latency.
 */

const send = (m: ClientEvent) => process.send?.(m);
const PT = Buffer.from('pt=');
const SUBSCRIBED = Buffer.from('"subscribed"');

class RawConn {
  count = 0;
  target = Infinity;
  ready = false;
  lastLen = 0;
  private readonly client: RawWsClient;
  private settled = false;

  constructor(
    private readonly proc: ClientProcess,
    private readonly kind: Kind,
    readonly sampled: boolean,
    port: number,
    path: string,
    private readonly onReady: (ok: boolean) => void,
  ) {
    this.client = new RawWsClient(port, path, (d, p, len) => this.onText(d, p, len));
    void this.client.ready.then((ok) => {
      if (!ok) return this.settle(false);
      if (kind === 'oddsgate') this.client.sendText('{"action":"subscribe","room":"all"}');
      if (kind === 'limit') this.markReady();
    });
    void this.client.closed.then(() => this.settle(false));
  }

  private settle(ok: boolean): void {
    if (this.settled) return;
    this.settled = true;
    this.onReady(ok);
  }

  close(): void {
    this.client.destroy();
  }

  private markReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.settle(true);
  }

  private onText(data: Buffer, p: number, len: number): void {
    const first = data[p];
    if (this.kind === 'socketio') {
      if (len === 1 && first === 0x32) return this.client.sendText('3');
      if (first === 0x30) return this.client.sendText('40');
      if (first === 0x34 && data[p + 1] === 0x30) return this.markReady();
      if (first !== 0x34 || data[p + 1] !== 0x32) return;
    } else if (!this.ready) {
      const at = data.indexOf(SUBSCRIBED, p);
      if (at >= 0 && at < p + len) this.markReady();
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
