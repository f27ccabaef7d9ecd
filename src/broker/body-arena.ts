/**
 * Message bodies kept for recovery, as UTF-8 bytes outside the JavaScript heap. The broker keeps every
 * body of the recovery window (180 s at ~500 changes/s is ~90,000 bodies of ~4 KB): as strings they were
 * hundreds of MB of old-generation heap, which V8 grows lazily over (RSS climbed for the whole soak while
 * the live set stayed flat). Here bodies are copied into 1 MiB chunks; a chunk is freed when no room's
 * history references it any more. Bodies are appended in time order and trimmed in time order, so a chunk
 * lives about as long as the window.
 */

/** Where one body's bytes are: `chunk[off, off + len)`. */
export interface BodyBytes {
  readonly chunk: Buffer;
  readonly off: number;
  readonly len: number;
}

/** A zero-length chunk: empty bodies, and dropped slots of a history ring (so they keep no chunk alive). */
export const NO_CHUNK: Buffer = Buffer.alloc(0);

const DEFAULT_CHUNK = 1 << 20;

/** Appends bodies' UTF-8 bytes into shared chunks. */
export class BodyArena {
  private chunk: Buffer = NO_CHUNK;
  private used = 0;
  /** Chunks allocated since start (each 1 MiB, or one body's size for a body over an eighth of that). */
  chunksAllocated = 0;

  constructor(private readonly chunkSize = DEFAULT_CHUNK) {}

  /** Copies a body's UTF-8 bytes in and tells where they are. */
  store(body: string): BodyBytes {
    if (body.length === 0) return { chunk: NO_CHUNK, off: 0, len: 0 };
    // UTF-8 takes at most 3 bytes per UTF-16 unit; count exactly only when that bound does not fit.
    let room = this.chunk.length - this.used;
    if (body.length * 3 > room) {
      const bytes = Buffer.byteLength(body, 'utf8');
      if (bytes > this.chunkSize >>> 3) {
        // A large body gets its own chunk rather than wasting the rest of a shared one.
        const own = Buffer.allocUnsafeSlow(bytes);
        own.write(body, 0, 'utf8');
        this.chunksAllocated++;
        return { chunk: own, off: 0, len: bytes };
      }
      if (bytes > room) {
        // allocUnsafeSlow: not a slice of Node's shared pool, so the chunk alone decides its lifetime.
        this.chunk = Buffer.allocUnsafeSlow(this.chunkSize);
        this.used = 0;
        this.chunksAllocated++;
        room = this.chunkSize;
      }
    }
    const off = this.used;
    const len = this.chunk.write(body, off, 'utf8');
    this.used = off + len;
    return { chunk: this.chunk, off, len };
  }
}

/** The body as a string again (recovery). */
export function bodyText(chunk: Buffer, off: number, len: number): string {
  return len === 0 ? '' : chunk.toString('utf8', off, off + len);
}
