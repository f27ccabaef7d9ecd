/**
 * The frames one room published during one event-loop turn. Every connection whose only frames this
 * turn are exactly these gets the same joined Buffer: the concatenation is done once per room per turn,
 * not once per socket, so the write path copies each message once however many clients receive it.
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

  /** All frames so far as one Buffer (built once per size, then shared). */
  buffer(): Buffer {
    if (this.joined === null || this.joinedCount !== this.frames.length) {
      this.joined =
        this.frames.length === 1 ? (this.frames[0] as Buffer) : Buffer.concat(this.frames, this.bytes);
      this.joinedCount = this.frames.length;
    }
    return this.joined;
  }
}
