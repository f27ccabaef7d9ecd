import assert from 'node:assert/strict';
import { connect, type TLSSocket } from 'node:tls';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BetfairSimulation } from '../../../src/sim/esa/index.js';
import { LineFramer } from '../../../src/sources/betfair/framing.js';

export type Msg = Record<string, unknown> & { op: string };

/**
 * A raw stream client over TLS (JSON + CRLF lines): sends requests, collects parsed messages, knows when the
 * server closed. `tries` bounds each wait (10 ms apart).
 */
export async function rawClient(bf: BetfairSimulation, tries = 300) {
  const ca = await readFile(bf.ready.esa.caFile, 'utf8');
  const messages: Msg[] = [];
  let closed = false;
  const socket: TLSSocket = connect({ host: bf.ready.esa.host, port: bf.ready.esa.port, ca });
  const framer = new LineFramer((l) => messages.push(JSON.parse(l) as Msg));
  socket.on('data', (d: Buffer) => framer.push(d));
  socket.on('close', () => (closed = true));
  socket.on('error', () => {});
  await new Promise((r) => socket.once('secureConnect', r));
  const waitFor = async (pred: (m: Msg) => boolean, what: string): Promise<Msg> => {
    for (let i = 0; i < tries; i++) {
      const m = messages.find(pred);
      if (m) return m;
      await sleep(10);
    }
    assert.fail(`no ${what}; got ${JSON.stringify(messages).slice(0, 400)}`);
  };
  return {
    messages,
    get closed() {
      return closed;
    },
    send: (m: object) => socket.write(`${JSON.stringify(m)}\r\n`),
    raw: (s: string) => socket.write(s),
    status: (id: number) => waitFor((m) => m.op === 'status' && m.id === id, `status ${id}`),
    waitFor,
    close: () => socket.destroy(),
  };
}
