import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { generateCertificate } from '../../../src/sim/esa/cert.js';

/**
 * A TLS relay between oddsgate's Betfair stream client and the simulated exchange, with its own
 * certificate (its CA file is what oddsgate trusts), that can slip malformed lines into what the client
 * receives: what a broken upstream or a corrupting middlebox would send.
 */
export class TlsRelay {
  private server: Server | null = null;
  private readonly downstream = new Map<TLSSocket, { atBoundary: boolean; queued: string }>();
  private dir: string | null = null;
  port = 0;
  caFile = '';

  constructor(private readonly target: { host: string; port: number; caFile: string }) {}

  /** Listens on 127.0.0.1 (a free port). */
  async start(): Promise<void> {
    const cert = await generateCertificate({ hosts: ['127.0.0.1', 'localhost'] });
    this.dir = await mkdtemp(join(tmpdir(), 'oddsgate-relay-'));
    this.caFile = join(this.dir, 'ca.pem');
    await writeFile(this.caFile, cert.cert);
    const ca = await readFile(this.target.caFile);
    this.server = createServer({ cert: cert.cert, key: cert.key }, (client) => {
      const upstream = connect({
        host: this.target.host,
        port: this.target.port,
        ca,
        servername: 'localhost',
      });
      const state = { atBoundary: true, queued: '' };
      this.downstream.set(client, state);
      client.pipe(upstream);
      // Injected lines go in only where a line of the upstream ends, so no upstream message is cut.
      upstream.on('data', (chunk: Buffer) => {
        client.write(chunk);
        state.atBoundary = chunk[chunk.length - 1] === 0x0a;
        if (state.atBoundary && state.queued) {
          client.write(state.queued);
          state.queued = '';
        }
      });
      const end = () => {
        this.downstream.delete(client);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    this.server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
  }

  /** Sends `lines` (CRLF-terminated) to every client connection, between two of the upstream's messages. */
  inject(lines: string[]): number {
    const text = lines.map((l) => `${l}\r\n`).join('');
    for (const [c, st] of this.downstream) {
      if (st.atBoundary) c.write(text);
      else st.queued += text;
    }
    return this.downstream.size;
  }

  /** Stops the relay and removes its certificate. */
  async close(): Promise<void> {
    for (const c of this.downstream.keys()) c.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
