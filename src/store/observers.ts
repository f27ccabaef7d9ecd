/** The store calls that can be observed: the ingest commit (state + update log in one round trip) and log reads. */
export type ObservedStoreOp = 'commit' | 'readLog';

/** Told of every observed store call: which, how long it took (seconds) and whether it failed. */
export type StoreObserver = (op: ObservedStoreOp, seconds: number, failed: boolean) => void;

/**
 * A store's observers (the metrics registry times commits and log reads through them). With none, a call
 * runs as is; with some, one hrtime pair per call.
 */
export class StoreObservers {
  private readonly observers = new Set<StoreObserver>();

  /** Adds an observer; returns the function that removes it. */
  add(observer: StoreObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Runs `call`, telling the observers how long it took and whether it failed. */
  time<T>(op: ObservedStoreOp, call: () => Promise<T>): Promise<T> {
    if (this.observers.size === 0) return call();
    const start = process.hrtime.bigint();
    const tell = (failed: boolean) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      for (const o of this.observers) o(op, seconds, failed);
    };
    return call().then(
      (v) => {
        tell(false);
        return v;
      },
      (err: unknown) => {
        tell(true);
        throw err;
      },
    );
  }
}
