import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A cheap WebSocket client on a raw TCP socket for load tests: parses only frame headers and hands each
 * text frame over as (buffer, offset, length) without decoding it, so a thousand of them fit in one
 * process beside the server. Answers pings, records the close code, and can stop reading (pause) to play
 * a slow consumer: TCP backpressure then reaches the server.
 */
export class RawWsClient {
  /** Close code of the server's close frame, if one arrived. */
  closeCode: number | null = null;
  /** True once the socket has ended (closed by either side). */
  ended = false;
  /** Bytes of WebSocket payload received. */
  bytes = 0;
  readonly ready: Promise<boolean>;
  readonly closed: Promise<void>;
  private readonly socket: Socket;
  private rest: Buffer | null = null;
  private upgraded = false;

  /**
   * Connects to ws://127.0.0.1:<port><path>. `onText` gets every text frame (not the upgrade reply);
   * `ready` resolves true once the upgrade succeeded, false if it failed.
   */
  constructor(
    port: number,
    path: string,
    private readonly onText: (data: Buffer, start: number, len: number) => void,
  ) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    let settle: (ok: boolean) => void = () => {};
    this.ready = new Promise((resolve) => (settle = resolve));
    this.closed = new Promise((resolve) =>
      this.socket.once('close', () => {
        this.ended = true;
        settle(false);
        resolve();
      }),
    );
    this.socket.on('connect', () => {
      const key = randomBytes(16).toString('base64');
      this.socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    this.socket.on('error', () => undefined);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk, settle));
  }

  /** Sends a text frame. */
  sendText(text: string): void {
    if (!this.ended) this.socket.write(clientFrame(1, Buffer.from(text)));
  }

  /** Stops reading from the socket (the kernel buffers fill, then the server's queue grows). */
  pause(): void {
    this.socket.pause();
  }

  /** Reads again. */
  resume(): void {
    this.socket.resume();
  }

  /** Destroys the socket. */
  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer, settle: (ok: boolean) => void): void {
    let data = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = null;
    if (!this.upgraded) {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return void (this.rest = data);
      if (!data.subarray(0, 13).toString().includes(' 101')) {
        settle(false);
        return void this.socket.destroy();
      }
      this.upgraded = true;
      settle(true);
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
      this.onFrame((data[off] as number) & 0x0f, data, off + h, len);
      off += h + len;
    }
    if (off < data.length) this.rest = data.subarray(off);
  }

  private onFrame(op: number, data: Buffer, p: number, len: number): void {
    this.bytes += len;
    if (op === 1) return this.onText(data, p, len);
    if (op === 9) return void this.socket.write(clientFrame(10, data.subarray(p, p + len)));
    if (op === 8) {
      this.closeCode = len >= 2 ? data.readUInt16BE(p) : 1005;
      this.socket.write(clientFrame(8, data.subarray(p, p + Math.min(len, 2))));
      this.socket.end();
    }
  }
}

/** A masked client frame (a zero mask leaves the payload as it is). */
export function clientFrame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head =
    n < 126
      ? Buffer.from([0x80 | opcode, 0x80 | n])
      : n < 65536
        ? Buffer.from([0x80 | opcode, 0x80 | 126, n >> 8, n & 0xff])
        : (() => {
            const b = Buffer.alloc(10);
            b[0] = 0x80 | opcode;
            b[1] = 0x80 | 127;
            b.writeUInt32BE(n, 6);
            return b;
          })();
  return Buffer.concat([head, Buffer.alloc(4), payload]);
}

const SEQ = Buffer.from('"seq":');
const TYPE = Buffer.from('{"type":"');

/** The integer after `"seq":` in a frame (the header carries it near the start), or -1. */
export function frameSeq(data: Buffer, p: number, len: number): number {
  const at = data.indexOf(SEQ, p);
  if (at < 0 || at >= p + len) return -1;
  let v = 0;
  let i = at + SEQ.length;
  for (; i < p + len; i++) {
    const c = data[i] as number;
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  return i === at + SEQ.length ? -1 : v;
}

/** The `type` of a frame that starts with `{"type":"…"`, or '' (cheap: no JSON parse). */
export function frameType(data: Buffer, p: number, len: number): string {
  if (len < TYPE.length || data.compare(TYPE, 0, TYPE.length, p, p + TYPE.length) !== 0) return '';
  const start = p + TYPE.length;
  const end = data.indexOf(0x22, start);
  return end < 0 || end > p + len ? '' : data.toString('latin1', start, end);
}
