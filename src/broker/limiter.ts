/**
 * Counts open connections per key (`key:<digest>` for an API key, `ip:<address>` before a key is known or
 * when keys are off), each against the maximum it is acquired with.
 */
export class ConnectionLimiter {
  private readonly counts = new Map<string, number>();

  /** Takes a slot for `key`; false when the key already has `max` connections. */
  acquire(key: string, max: number): boolean {
    const n = this.counts.get(key) ?? 0;
    if (n >= max) return false;
    this.counts.set(key, n + 1);
    return true;
  }

  /** Gives back a slot taken with acquire. */
  release(key: string): void {
    const n = (this.counts.get(key) ?? 0) - 1;
    if (n <= 0) this.counts.delete(key);
    else this.counts.set(key, n);
  }

  /** Open connections holding a slot of `key`. */
  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}
