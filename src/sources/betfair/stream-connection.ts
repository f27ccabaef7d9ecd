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
    let settled = false;
    let reason: Error | null = null;
    let bytes = 0;
    let lastAt = Date.now();
    const framer = new LineFramer(opts.onLine, { maxLineBytes: 256 * 1024 * 1024 });
    const socket: TLSSocket = connect({
      host: opts.host,
      port: opts.port,
      ...(opts.ca ? { ca: opts.ca } : {}),
      ...(opts.servername ? { servername: opts.servername } : {}),
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    });
    socket.setNoDelay(true);
    const timer = setTimeout(
      () =>
        socket.destroy(
          new BetfairStreamError(
            'CONNECT_TIMEOUT',
            `no TLS session within ${opts.connectTimeoutMs ?? 10_000} ms`,
          ),
        ),
      opts.connectTimeoutMs ?? 10_000,
    );
    const closed = new Promise<Error | null>((done) => {
      socket.once('close', () => {
        clearTimeout(timer);
        done(reason);
      });
    });
    socket.on('error', (err) => {
      reason ??= err;
      if (!settled) {
        settled = true;
        reject(err);
      }
    });
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      lastAt = Date.now();
      framer.push(chunk);
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      settled = true;
      lastAt = Date.now();
      resolve({
        send: (msg) => {
          if (!socket.destroyed) socket.write(`${JSON.stringify(msg)}\r\n`);
        },
        close: (why) => {
          reason ??= why ?? null;
          socket.destroy();
        },
        closed,
        get lastReceivedAt() {
          return lastAt;
        },
        get bytesReceived() {
          return bytes;
        },
        get lines() {
          return framer.lines;
        },
      });
    });
  });
}
