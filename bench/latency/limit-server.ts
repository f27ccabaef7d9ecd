import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { frameText } from '../../src/broker/frame.js';
import { nowMs } from '../lib/stamped-sim-source.js';
import type { LatencyServerEvent, LimitServerCommand, LimitServerEvent, RecordedFrame } from './ipc.js';

/**
 * The latency benchmark's limit: a bare `ws` server (no ingest, store, broker or queue bounds) that
 * replays the pushes a client of the oddsgate run received (the same bytes) on the oddsgate run's
 * timeline: each market push is due at its publishedAt there (when its simulator frame left), other
 * pushes with the market push before them. Clients of the same client processes connect; each is greeted
 * with `connected`, answered `subscribed` (with the seq before the first push) and then gets every push:
 * each frame is framed once, the frames due in one turn are joined once and that Buffer is written to
 * every socket — the least any server can do per delivery on this machine. A push's publish time is
 * when it was due, so a replay held up by the machine counts as latency, as a held-up oddsgate does.
 */

const send = (m: LimitServerEvent) => process.send?.(m);
const SEQ = /"seq":(\d+)/;

interface Due {
  /** Offset from the start of the replay (ms). */
  at: number;
  seq: number;
  /** Sampled (a market push with a publish time in the oddsgate run). */
  sampled: boolean;
  frame: Buffer;
}

/** The recorded pushes within the schedule's seqs, each with its due offset. */
function load(file: string, schedule: [number, number][]): Due[] {
  const at = new Map(schedule);
  const first = Math.min(...at.keys());
  const last = Math.max(...at.keys());
  const t0 = Math.min(...at.values());
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const out: Due[] = [];
  let prev = 0;
  for (const line of lines) {
    const f = JSON.parse(line) as RecordedFrame;
    const seq = Number(SEQ.exec(f.text.slice(0, 200))?.[1] ?? -1);
    if (seq < first || seq > last) continue;
    const t = at.get(seq);
    if (t !== undefined) prev = Math.max(prev, t - t0);
    out.push({ at: prev, seq, sampled: t !== undefined, frame: frameText(f.text) });
  }
  return out;
}

async function listen(first: number): Promise<{ port: number; sockets: Set<Socket> }> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  const sockets = new Set<Socket>();
  wss.on('connection', (ws, req) => {
    ws.send('{"type":"connected"}');
    ws.once('message', () => {
      ws.send(`{"type":"subscribed","room":"all","seq":${first - 1}}`);
      sockets.add(req.socket);
    });
    ws.on('close', () => sockets.delete(req.socket));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { port: (http.address() as AddressInfo).port, sockets };
}

/** Writes every frame when it is due; resolves with the window report once the last one is out. */
async function replay(
  due: Due[],
  sockets: Set<Socket>,
): Promise<Extract<LatencyServerEvent, { ev: 'window' }>> {
  const start = nowMs();
  const cpu0 = process.cpuUsage();
  const pts: [number, number][] = [];
  let i = 0;
  while (i < due.length) {
    const now = nowMs() - start;
    const turn: Buffer[] = [];
    for (; i < due.length && (due[i] as Due).at <= now; i++) {
      const d = due[i] as Due;
      if (d.sampled) pts.push([d.seq, start + d.at]);
      turn.push(d.frame);
    }
    if (turn.length > 0) {
      const chunk = turn.length === 1 ? (turn[0] as Buffer) : Buffer.concat(turn);
      for (const s of sockets) s.write(chunk);
    }
    const next = due[i];
    if (next) await new Promise((r) => setTimeout(r, Math.max(0, next.at - (nowMs() - start))));
  }
  const u = process.cpuUsage(cpu0);
  return {
    ev: 'window',
    pts,
    pushes: due.length,
    seconds: (nowMs() - start) / 1000,
    cpuSeconds: (u.user + u.system) / 1e6,
    rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}

let state: { due: Due[]; sockets: Set<Socket> } | null = null;

process.on('message', (m: LimitServerCommand) => {
  if (m.cmd === 'stop') return process.exit(0);
  if (m.cmd === 'load') {
    const due = load(m.file, m.schedule);
    void listen(due[0]?.seq ?? 0).then(({ port, sockets }) => {
      state = { due, sockets };
      send({ ev: 'ready', port, frames: due.length });
    });
    return;
  }
  if (state) void replay(state.due, state.sockets).then(send);
});
process.on('disconnect', () => process.exit(0));
