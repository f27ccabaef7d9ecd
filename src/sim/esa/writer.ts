/**
 * Writes CRLF-terminated lines to a stream socket, normally or in a fault mode that exercises the client's
 * framing: `split` cuts every line into pieces written in separate macrotasks (so they leave in separate
 * TLS records), `merge` writes several lines per write cut at arbitrary points (a line's end and the next
 * one's start in the same chunk).
 */
import type { Socket } from 'node:net';

/** How lines are cut into writes. */
export type WriteMode = 'normal' | 'split' | 'merge';

/** Destroys a connection whose unsent output passes this many bytes (a client that does not read). */
const MAX_BUFFERED = 64 * 1024 * 1024;

/** Line writer for one socket. */
export class LineWriter {
  mode: WriteMode = 'normal';
  private queue: Buffer[] = [];
  /** Second halves of split lines (not split again). */
  private readonly tails = new WeakSet<Buffer>();
  private scheduled = false;
  bytesWritten = 0;
  writes = 0;

  constructor(
    private readonly socket: Socket,
    private readonly random: () => number = Math.random,
  ) {}

  /** Queues one line (the terminator is added). */
  write(line: string): void {
    if (this.socket.destroyed) return;
    const buf = Buffer.from(`${line}\r\n`, 'utf8');
    if (this.mode === 'normal' && this.queue.length === 0) return this.out(buf);
    this.queue.push(buf);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.socket.destroyed) {
      this.queue = [];
      return;
    }
    if (this.mode === 'merge') return this.flushMerged();
    const next = this.queue.shift();
    if (!next) return;
    if (this.mode === 'split' && next.length > 1 && !this.tails.has(next)) {
      const cut = 1 + Math.floor(this.random() * (next.length - 1));
      this.out(next.subarray(0, cut));
      const tail = next.subarray(cut);
      this.tails.add(tail);
      this.queue.unshift(tail);
    } else this.out(next);
    if (this.queue.length > 0) this.schedule();
  }

  /** Everything queued goes out as writes cut at random points, not at line ends. */
  private flushMerged(): void {
    const all = Buffer.concat(this.queue);
    this.queue = [];
    let at = 0;
    while (at < all.length) {
      const size = Math.max(1, Math.floor(this.random() * Math.min(all.length - at, 4096) * 1.5));
      this.out(all.subarray(at, Math.min(all.length, at + size)));
      at += size;
    }
  }

  private out(buf: Buffer): void {
    this.writes++;
    this.bytesWritten += buf.length;
    this.socket.write(buf);
    if (this.socket.writableLength > MAX_BUFFERED) this.socket.destroy(new Error('client too slow'));
  }
}
