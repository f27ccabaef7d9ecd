/**
 * CRLF line framing of the Exchange Stream API: the socket delivers arbitrary chunks (a line may be split
 * over several TCP/TLS reads, or several lines merged into one); the framer yields whole lines.
 */

/** Options of {@link LineFramer}. */
export interface LineFramerOptions {
  /** A line longer than this (bytes, without its terminator) is dropped and reported. Default 64 MiB. */
  maxLineBytes?: number;
  /** Called with the size of a dropped over-long line. */
  onOverflow?: (bytes: number) => void;
}

const LF = 0x0a;
const CR = 0x0d;
const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Splits a byte stream into lines on `\n` (a preceding `\r` is dropped) and hands each non-empty line, as
 * a string, to `onLine`. Works on bytes, so a multi-byte UTF-8 character split across chunks is decoded
 * whole. A partial line is kept (as chunk slices, copied once when it completes) until its end arrives.
 */
export class LineFramer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The current over-long line is being skipped until its end. */
  private skipping = false;
  private readonly maxLineBytes: number;
  /** Lines handed out so far. */
  lines = 0;
  /** Over-long lines dropped so far. */
  overflows = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly opts: LineFramerOptions = {},
  ) {
    this.maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** Bytes of the incomplete line held. */
  get buffered(): number {
    return this.pendingBytes;
  }

  /** Feeds one chunk as read from the socket. */
  push(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(LF, start);
    while (nl !== -1) {
      this.completeLine(chunk, start, nl);
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  /** Drops any partial line (after a disconnect: the next connection starts on a line boundary). */
  reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
  }

  private completeLine(chunk: Buffer, start: number, end: number): void {
    if (this.skipping) {
      this.skipping = false;
      this.reset();
      return;
    }
    let buf = chunk;
    let from = start;
    let to = end;
    if (this.pendingBytes > 0) {
      this.pending.push(chunk.subarray(start, end));
      buf = Buffer.concat(this.pending, this.pendingBytes + (end - start));
      from = 0;
      to = buf.length;
      this.pending = [];
      this.pendingBytes = 0;
    }
    if (to > from && buf[to - 1] === CR) to--;
    if (to - from > this.maxLineBytes) return this.overflow(to - from);
    if (to > from) {
      this.lines++;
      this.onLine(buf.toString('utf8', from, to));
    }
  }

  private keep(rest: Buffer): void {
    if (this.skipping) return;
    this.pending.push(rest);
    this.pendingBytes += rest.length;
    if (this.pendingBytes > this.maxLineBytes) {
      const bytes = this.pendingBytes;
      this.reset();
      this.skipping = true;
      this.overflow(bytes);
    }
  }

  private overflow(bytes: number): void {
    this.overflows++;
    this.opts.onOverflow?.(bytes);
  }
}
