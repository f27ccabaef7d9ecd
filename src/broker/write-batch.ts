/**
 * The frames one room published during one slice of the event loop (between two flush slices, see
 * FlushLoop). Every connection that got a run of these frames from the first one gets the same joined
 * Buffer: the concatenation is done once per room per run length, not once per socket, so the write path
 * copies each message once however many clients receive it.
 */
export class WriteBatch {
  readonly frames: Buffer[] = [];
  private bytes = 0;
  private joined: Buffer | null = null;
  private joinedCount = 0;

  /** Appends a frame. */
  add(frame: Buffer): void {
    this.frames.push(frame);
    this.bytes += frame.length;
  }

  /** The first `count` frames as one Buffer (built once per count asked, then shared). */
  buffer(count: number = this.frames.length): Buffer {
    if (count === 1) return this.frames[0] as Buffer;
    if (this.joined === null || this.joinedCount !== count) {
      const bytes = count === this.frames.length ? this.bytes : sumLengths(this.frames, count);
      this.joined = Buffer.concat(
        count === this.frames.length ? this.frames : this.frames.slice(0, count),
        bytes,
      );
      this.joinedCount = count;
    }
    return this.joined;
  }
}

/**
 * A connection's queued run of a batch: its first `count` frames, in order (the connection got every
 * frame of the batch so far). Written as the batch's shared Buffer.
 */
export class BatchRun {
  count = 1;
  constructor(readonly batch: WriteBatch) {}

  /** The run's bytes (shared with every connection holding a run of the same length). */
  buffer(): Buffer {
    return this.batch.buffer(this.count);
  }
}

function sumLengths(frames: readonly Buffer[], count: number): number {
  let n = 0;
  for (let i = 0; i < count; i++) n += (frames[i] as Buffer).length;
  return n;
}
