import { writeFileSync } from 'node:fs';
import { frameSeq, frameType, RawWsClient } from '../lib/raw-ws.js';
import { nowMs } from '../lib/stamped-sim-source.js';
import type { LatencyClientCommand, LatencyClientEvent } from './ipc.js';

/**
 * A latency client process: `count` cheap WebSocket clients subscribed to room `all`. Every client checks
 * that seqs arrive in order without a gap; sampled clients record each arrival time for the orchestrator.
 */

const send = (m: LatencyClientEvent) => process.send?.(m);

class Conn {
  last = -1;
  gaps = 0;
  received = 0;
  subscribed = false;
  readonly client: RawWsClient;

  constructor(
    port: number,
    path: string,
    readonly sampled: boolean,
    private readonly proc: Proc,
    /** Keeps a copy of every push in the window (the frames the limit server replays). */
    readonly recorder = false,
  ) {
    this.client = new RawWsClient(port, path, (d, p, len) => this.onText(d, p, len));
  }

  private onText(d: Buffer, p: number, len: number): void {
    // Once subscribed every frame of room `all` carries its seq in the header: read just that (exact, no
    // JSON parse); frames without one (a pong) are not pushes.
    if (this.subscribed) {
      if (this.recorder && this.proc.on) this.proc.keep(nowMs(), d.toString('utf8', p, p + len));
      return this.onPush(frameSeq(d, p, len));
    }
    const type = frameType(d, p, len);
    if (type === 'connected') return this.client.sendText('{"action":"subscribe","room":"all"}');
    if (type === 'subscribed') {
      this.last = frameSeq(d, p, len);
      this.subscribed = true;
      this.proc.onSubscribed();
    }
  }

  private onPush(seq: number): void {
    if (seq < 0) return;
    if (this.last >= 0 && seq !== this.last + 1) this.gaps++;
    this.last = seq;
    if (!this.proc.on) return;
    this.received++;
    if (this.sampled) this.proc.record(seq, nowMs());
  }
}

class Proc {
  on = false;
  conns: Conn[] = [];
  /** Clients of an earlier `connect`: left open (their server may be stopped), not counted. */
  private earlier: Conn[] = [];
  private recordTo: string | undefined;
  private recorded: string[] = [];
  private seqs: number[] = [];
  private times: number[] = [];
  private subscribed = 0;
  private cpu0 = process.cpuUsage();
  private bytes0 = 0;
  private target = 0;

  private bytesRead(): number {
    return this.conns.reduce((n, c) => n + c.client.bytes, 0);
  }

  record(seq: number, t: number): void {
    this.seqs.push(seq);
    this.times.push(t);
  }

  onSubscribed(): void {
    this.subscribed++;
  }

  keep(t: number, text: string): void {
    this.recorded.push(JSON.stringify({ t, text }));
  }

  /** Opens the connections 50 at a time (a burst of a thousand SYNs would overflow the accept backlog). */
  async connect(c: Extract<LatencyClientCommand, { cmd: 'connect' }>): Promise<void> {
    this.earlier.push(...this.conns);
    this.conns = [];
    this.subscribed = 0;
    this.target = c.count;
    this.recordTo = c.recordTo;
    this.recorded = [];
    for (let i = 0; i < c.count; i += 50) {
      const batch: Conn[] = [];
      for (let j = i; j < Math.min(c.count, i + 50); j++) {
        const sampled = (c.offset + j) % c.sampleEvery === 0;
        batch.push(new Conn(c.port, c.path, sampled, this, j === 0 && c.recordTo !== undefined));
      }
      this.conns.push(...batch);
      const ok = await Promise.all(batch.map((b) => b.client.ready));
      const failed = ok.filter((x) => !x).length;
      if (failed > 0) process.stderr.write(`latency clients: ${failed} connections failed\n`);
      this.target -= failed;
    }
    for (let i = 0; i < 300 && this.subscribed < this.target; i++)
      await new Promise((r) => setTimeout(r, 100));
    send({ ev: 'connected', n: this.subscribed });
  }

  window(on: boolean): void {
    if (on) {
      this.seqs = [];
      this.times = [];
      for (const c of this.conns) c.received = 0;
      this.cpu0 = process.cpuUsage();
      this.bytes0 = this.bytesRead();
      this.on = true;
      return;
    }
    this.on = false;
    if (this.recordTo) writeFileSync(this.recordTo, this.recorded.join('\n'));
    this.recorded = [];
    send({
      ev: 'window',
      seqs: this.seqs,
      times: this.times,
      received: this.conns.reduce((n, c) => n + c.received, 0),
      gaps: this.conns.reduce((n, c) => n + c.gaps, 0),
      lost: this.conns.filter((c) => c.client.ended).length,
      cpuSeconds: ((u) => (u.user + u.system) / 1e6)(process.cpuUsage(this.cpu0)),
      bytes: this.bytesRead() - this.bytes0,
    });
  }

  destroy(): void {
    for (const c of [...this.earlier, ...this.conns]) c.client.destroy();
  }
}

const proc = new Proc();
process.on('disconnect', () => process.exit(0));
// Exiting (rather than being killed) writes the CPU profile when one is being taken (LATENCY_PROF).
process.on('SIGTERM', () => process.exit(0));
process.on('message', (m: LatencyClientCommand) => {
  if (m.cmd === 'connect') void proc.connect(m);
  else if (m.cmd === 'window') proc.window(m.on);
  else {
    proc.destroy();
    process.exit(0);
  }
});
