/**
 * One TLS connection to the Exchange Stream API: certificate verification (the given CA, else the system
 * CAs), CRLF framing of what arrives, CRLF-terminated requests out, and the time of the last byte received
 * (for the heartbeat watchdog). Protocol logic lives in the stream client.
 */
import { connect, type TLSSocket } from 'node:tls';
import { LineFramer } from './framing.js';
import { BetfairStreamError } from './stream-errors.js';

/** Options of {@link openStreamConnection}. */
export interface StreamConnectionOptions {
  host: string;
  port: number;
  /** PEM of the CA to trust instead of the system CAs (e.g. the simulator's self-signed certificate). */
  ca?: string;
  /** TLS server name to verify (default: the host, unless it is an IP address). */
  servername?: string;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** Every line received, in order. */
  onLine: (line: string) => void;
}

/** An open stream connection. */
export interface StreamConnection {
  /** Sends one request (a CRLF is added). */
  send(msg: object): void;
  /** Closes the connection (`reason` is what `closed` resolves with). */
  close(reason?: Error): void;
  /** Resolves once when the connection is gone: with the reason given to close(), the socket error, or null. */
  readonly closed: Promise<Error | null>;
  /** Clock time of the last bytes received. */
  readonly lastReceivedAt: number;
  readonly bytesReceived: number;
  readonly lines: number;
}

/** Opens a TLS connection and resolves once the handshake (with certificate verification) succeeded. */
export function openStreamConnection(opts: StreamConnectionOptions): Promise<StreamConnection> {
  return new Promise((resolve, reject) => {
    const conn: TlsStreamConnection = new TlsStreamConnection(opts, (err) =>
      err ? reject(err) : resolve(conn),
    );
  });
}

/** The socket, its framer and counters; `handshake` is told once: null when verified, else the error. */
class TlsStreamConnection implements StreamConnection {
  readonly closed: Promise<Error | null>;
  private readonly socket: TLSSocket;
  private readonly framer: LineFramer;
  private reason: Error | null = null;
  private bytes = 0;
  private lastAt = Date.now();

  constructor(opts: StreamConnectionOptions, handshake: (err: Error | null) => void) {
    this.framer = new LineFramer(opts.onLine, { maxLineBytes: 256 * 1024 * 1024 });
    const socket = connect({
      host: opts.host,
      port: opts.port,
      ...(opts.ca ? { ca: opts.ca } : {}),
      ...(opts.servername ? { servername: opts.servername } : {}),
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    });
    this.socket = socket;
    socket.setNoDelay(true);
    const timeoutMs = opts.connectTimeoutMs ?? 10_000;
    const timer = setTimeout(() => {
      socket.destroy(new BetfairStreamError('CONNECT_TIMEOUT', `no TLS session within ${timeoutMs} ms`));
    }, timeoutMs);
    let settled = false;
    const settle = (err: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      handshake(err);
    };
    this.closed = new Promise<Error | null>((done) => {
      socket.once('close', () => {
        clearTimeout(timer);
        done(this.reason);
      });
    });
    socket.on('error', (err) => {
      this.reason ??= err;
      settle(err);
    });
    socket.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      this.lastAt = Date.now();
      this.framer.push(chunk);
    });
    socket.once('secureConnect', () => {
      this.lastAt = Date.now();
      settle(null);
    });
  }

  send(msg: object): void {
    if (!this.socket.destroyed) this.socket.write(`${JSON.stringify(msg)}\r\n`);
  }

  close(why?: Error): void {
    this.reason ??= why ?? null;
    this.socket.destroy();
  }

  get lastReceivedAt(): number {
    return this.lastAt;
  }

  get bytesReceived(): number {
    return this.bytes;
  }

  get lines(): number {
    return this.framer.lines;
  }
}
