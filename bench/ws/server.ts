import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { Server as SocketIoServer } from 'socket.io';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { frameText } from '../../src/broker/frame.js';
import type { Kind, ServerCommand, ServerEvent } from './ipc.js';
import {
  benchEventId,
  benchMarket,
  benchMessage,
  benchObject,
  EVENTS,
  nowMs,
  setBenchRunners,
} from './payload.js';

/**
 * A benchmark server process: one contender, publishing on command to the room every client is in.
 * argv: <kind> [runners per market]
 * - oddsgate: the real app (ingest → store → update log → read model → broker), memory store;
 * - socketio: Socket.IO rooms (in-memory adapter, websocket transport), `io.to('all').emit`;
 * - limit: bare `ws`; each message framed once, a turn's frames joined once and written to every socket
 *   in one write each.
 */

interface Contender {
  port: number;
  path: string;
  publish(n: number, pt: number): void;
  clients(): number;
}

const send = (m: ServerEvent) => process.send?.(m);
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function oddsgate(): Promise<Contender> {
  const config = loadConfig({
    env: {},
    configDir: null,
    overrides: {
      sources: [],
      diamondPassword: 'bench-password-123',
      ws: {
        maxConnections: 100_000,
        maxQueueBytes: 1024 ** 3,
        maxQueueMessages: 10_000_000,
        matchesIntervalMs: 3_600_000,
      },
    },
  });
  const store = new MemoryStore({ logMaxLen: 200_000 });
  const app = await buildApp({ config, store, sources: [], diamondPassword: 'bench-password-123' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const event = {
    sportId: 1,
    name: 'Home Team v Away Team',
    startTime: '2026-11-22T15:00:00.000Z',
    status: 'IN_PLAY' as const,
    inPlay: true,
  };
  for (let e = 0; e < EVENTS; e++)
    app.ingest.push([{ kind: 'event', source: 'bench', upstreamEventId: `E${e}`, event }]);
  await app.settle();
  return {
    port: (app.server.address() as AddressInfo).port,
    path: '/ws',
    publish: (n, pt) =>
      app.ingest.push([
        { kind: 'market', source: 'bench', upstreamEventId: benchEventId(n), market: benchMarket(n, pt) },
      ]),
    clients: () => app.broker.clientCount(),
  };
}

async function socketio(): Promise<Contender> {
  const http = createServer();
  const io = new SocketIoServer(http, {
    transports: ['websocket'],
    serveClient: false,
    perMessageDeflate: false,
  });
  io.on('connection', (s) => void s.join('all'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: (http.address() as AddressInfo).port,
    path: '/socket.io/?EIO=4&transport=websocket',
    publish: (n, pt) => void io.to('all').emit('m', benchObject(n, pt)),
    clients: () => io.engine.clientsCount,
  };
}

async function limit(): Promise<Contender> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  const sockets = new Set<Socket>();
  wss.on('connection', (ws, req) => {
    sockets.add(req.socket);
    ws.on('close', () => sockets.delete(req.socket));
  });
  // Every socket is in the one room, so a turn's frames are joined once and the same Buffer is written to
  // each socket: the least a server can do per delivery (no queue bounds, no history, no seqs).
  let pending: Buffer[] = [];
  const flush = () => {
    const chunk = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
    pending = [];
    for (const s of sockets) s.write(chunk);
  };
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: (http.address() as AddressInfo).port,
    path: '/',
    publish: (n, pt) => {
      pending.push(frameText(benchMessage(n, pt)));
      if (pending.length === 1) setImmediate(flush);
    },
    clients: () => sockets.size,
  };
}

let seq = 0;
let cpuAtBurst = process.cpuUsage();

async function burst(c: Contender, count: number, chunk: number): Promise<void> {
  cpuAtBurst = process.cpuUsage();
  send({ ev: 'burst-started', t: nowMs() });
  for (let i = 0; i < count; i += chunk) {
    for (let j = i; j < Math.min(count, i + chunk); j++) c.publish(seq++, nowMs());
    await turn();
  }
  send({ ev: 'published', t: nowMs(), count });
}

async function rate(c: Contender, perSec: number, seconds: number, tickMs: number): Promise<void> {
  const start = nowMs();
  let published = 0;
  const total = Math.round(perSec * seconds);
  while (published < total) {
    const elapsed = nowMs() - start;
    if (tickMs > 0) {
      // Like an upstream frame: every message of a tick leaves at the tick's start.
      const tick = Math.floor(elapsed / tickMs);
      const due = Math.min(total, Math.round(((tick + 1) * tickMs * perSec) / 1000));
      for (; published < due; published++) c.publish(seq++, start + tick * tickMs);
      await new Promise((r) => setTimeout(r, Math.max(1, (tick + 1) * tickMs - (nowMs() - start))));
      continue;
    }
    const due = Math.min(total, Math.floor((elapsed * perSec) / 1000));
    // The publish time is when the message was due, so a publisher held up by the server counts as latency.
    for (; published < due; published++) c.publish(seq++, start + (published * 1000) / perSec);
    await new Promise((r) => setTimeout(r, 1));
  }
  send({ ev: 'published', t: nowMs(), count: total });
}

async function main(kind: Kind): Promise<void> {
  const c = kind === 'oddsgate' ? await oddsgate() : kind === 'socketio' ? await socketio() : await limit();
  process.on('message', (m: ServerCommand) => {
    if (m.cmd === 'burst') void burst(c, m.count, m.chunk);
    else if (m.cmd === 'rate') void rate(c, m.rate, m.seconds, m.tickMs);
    else if (m.cmd === 'cpu') {
      const u = process.cpuUsage(cpuAtBurst);
      send({ ev: 'cpu', seconds: (u.user + u.system) / 1e6, clients: c.clients() });
    } else if (m.cmd === 'stop') process.exit(0);
  });
  send({ ev: 'ready', port: c.port, path: c.path });
}

// The orchestrator went away: so do we.
process.on('disconnect', () => process.exit(0));
setBenchRunners(Number(process.argv[3] ?? 2));
void main((process.argv[2] ?? 'oddsgate') as Kind);
