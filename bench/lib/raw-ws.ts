import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** One read buffer for every client of the process: reads are parsed at once and nothing keeps it. */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/**
 * A cheap WebSocket client on a raw TCP socket for load tests: parses only frame headers and hands each
 * text frame over as (buffer, offset, length) without decoding it, so a thousand of them fit in one
 * process beside the server. The socket reads into one buffer shared by all clients (no allocation per
 * read); only a frame cut by a read boundary is copied. `onText` must not keep the buffer it is given.
 * Answers pings, records the close code, and can stop reading (pause) to play a slow consumer: TCP
 * backpressure then reaches the server.
 */
export class RawWsClient {
  /** Close code of the server's close frame, if one arrived. */
  closeCode: number | null = null;
  /** True once the socket has ended (closed by either side). */
  ended = false;
  /** When it ended (epoch ms), else null. */
  endedAt: number | null = null;
  /** Bytes of WebSocket payload received. */
  bytes = 0;
  readonly ready: Promise<boolean>;
  readonly closed: Promise<void>;
  private readonly socket: Socket;
  /** The start of a frame (or of the upgrade reply) cut by the end of a read; its own copy. */
  private rest: Buffer | null = null;
  private upgraded = false;
  private settle: (ok: boolean) => void = () => {};

  /**
   * Connects to ws://127.0.0.1:<port><path>. `onText` gets every text frame (not the upgrade reply);
   * `ready` resolves true once the upgrade succeeded, false if it failed.
   */
  constructor(
    port: number,
    path: string,
    private readonly onText: (data: Buffer, start: number, len: number) => void,
  ) {
    this.socket = connect({
      port,
      host: '127.0.0.1',
      onread: {
        buffer: READ_BUFFER,
        callback: (n: number, buf: Uint8Array) => {
          this.onData(buf as Buffer, n);
          return true;
        },
      },
    });
    this.socket.setNoDelay(true);
    this.ready = new Promise((resolve) => (this.settle = resolve));
    this.closed = new Promise((resolve) =>
      this.socket.once('close', () => {
        this.ended = true;
        this.endedAt = Date.now();
        this.settle(false);
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

  /** `n` bytes were read into `buf` (the shared buffer). */
  private onData(buf: Buffer, n: number): void {
    let data = buf;
    let end = n;
    let off = 0;
    if (this.rest) {
      // Complete the cut frame from the head of this read (copying only that frame), then go on in place.
      const need = this.upgraded ? frameLength(this.rest, 0, this.rest.length) : -1;
      if (need < 0 || this.rest.length + n < need) {
        data = Buffer.concat([this.rest, buf.subarray(0, n)]);
        end = data.length;
        this.rest = null;
      } else {
        const head = Buffer.concat([this.rest, buf.subarray(0, need - this.rest.length)], need);
        off = need - this.rest.length;
        this.rest = null;
        this.frames(head, 0, need);
      }
    }
    if (!this.upgraded) {
      const at = data.subarray(off, end).indexOf('\r\n\r\n');
      if (at < 0) return void (this.rest = Buffer.from(data.subarray(off, end)));
      if (
        !data
          .subarray(off, off + 13)
          .toString()
          .includes(' 101')
      ) {
        this.settle(false);
        return void this.socket.destroy();
      }
      this.upgraded = true;
      this.settle(true);
      off += at + 4;
    }
    const used = this.frames(data, off, end);
    if (used < end) this.rest = Buffer.from(data.subarray(used, end));
  }

  /** Handles the whole frames in data[off, end); returns where the first incomplete one starts. */
  private frames(data: Buffer, off: number, end: number): number {
    for (;;) {
      const len = frameLength(data, off, end);
      if (len < 0 || end - off < len) return off;
      const b1 = (data[off + 1] as number) & 0x7f;
      const h = b1 === 126 ? 4 : b1 === 127 ? 10 : 2;
      this.onFrame((data[off] as number) & 0x0f, data, off + h, len - h);
      off += len;
    }
  }

  private onFrame(op: number, data: Buffer, p: number, len: number): void {
    this.bytes += len;
    if (op === 1) return this.onText(data, p, len);
    if (op === 9) return void this.socket.write(clientFrame(10, Buffer.from(data.subarray(p, p + len))));
    if (op === 8) {
      this.closeCode = len >= 2 ? data.readUInt16BE(p) : 1005;
      this.socket.write(clientFrame(8, Buffer.from(data.subarray(p, p + Math.min(len, 2)))));
      this.socket.end();
    }
  }
}

/** The whole length (header and payload) of the server frame at data[off], or -1 if its header is cut. */
export function frameLength(data: Buffer, off: number, end: number): number {
  const rem = end - off;
  if (rem < 2) return -1;
  const len = (data[off + 1] as number) & 0x7f;
  if (len < 126) return 2 + len;
  if (len === 126) return rem < 4 ? -1 : 4 + data.readUInt16BE(off + 2);
  return rem < 10 ? -1 : 10 + data.readUInt32BE(off + 6);
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
