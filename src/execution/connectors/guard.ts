import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  circuitBreaker,
  handleType,
  retry,
  wrap,
  type IPolicy,
} from 'cockatiel';
import {
  TransientConnectorError,
  UnknownOutcomeError,
  type Connector,
  type PlacedBet,
  type PlaceRequest,
} from '../types.js';

/** Resilience settings per bookmaker. */
export interface GuardOptions {
  /** Consecutive failures that open a bookmaker's circuit (default 5). */
  breakerFailures?: number;
  /** How long an open circuit waits before one trial request (ms, default 10 s). */
  halfOpenAfterMs?: number;
  /** Attempts for a transient failure, the first included (default 3). */
  maxAttempts?: number;
  /** First retry delay (ms, default 50; doubles up to 1 s). */
  retryDelayMs?: number;
  /** One placement attempt's deadline: past it the outcome is unknown (ms, default 10 s). */
  placeTimeoutMs?: number;
}

/** Why a guarded placement did not get an answer. */
export type GuardFailure =
  | { kind: 'unavailable'; reason: string } // certainly not placed (circuit open, transient errors, cancelled)
  | { kind: 'unknown'; reason: string }; // maybe placed: reconcile by key

/**
 * A connector behind its bookmaker's circuit breaker (cockatiel): transient failures are retried with
 * exponential backoff (the idempotency key makes a retry safe), an unknown outcome is never retried (it
 * goes to reconciliation), and consecutive failures open the circuit so orders skip the bookmaker until a
 * trial request succeeds.
 */
export class GuardedConnector {
  private readonly breaker;
  private readonly policy: IPolicy;
  private readonly timeoutMs: number;

  constructor(
    readonly connector: Connector,
    opts: GuardOptions = {},
  ) {
    this.timeoutMs = opts.placeTimeoutMs ?? 10_000;
    this.breaker = circuitBreaker(handleType(TransientConnectorError).orType(UnknownOutcomeError), {
      halfOpenAfter: opts.halfOpenAfterMs ?? 10_000,
      breaker: new ConsecutiveBreaker(opts.breakerFailures ?? 5),
    });
    const retrying = retry(handleType(TransientConnectorError), {
      maxAttempts: (opts.maxAttempts ?? 3) - 1,
      backoff: new ExponentialBackoff({ initialDelay: opts.retryDelayMs ?? 50, maxDelay: 1000 }),
    });
    this.policy = wrap(retrying, this.breaker);
  }

  /** Calls `fn` with the circuit's new state on every transition; returns the removal. */
  onCircuit(fn: (state: 'closed' | 'open' | 'half_open') => void): () => void {
    const d = this.breaker.onStateChange((s) =>
      fn(s === CircuitState.Closed ? 'closed' : s === CircuitState.HalfOpen ? 'half_open' : 'open'),
    );
    return () => d.dispose();
  }

  /** True while the circuit is open (orders skip the bookmaker). */
  get open(): boolean {
    return this.breaker.state === CircuitState.Open || this.breaker.state === CircuitState.Isolated;
  }

  /** Places with retries and the breaker; resolves to the answer or to why there is none. */
  async place(req: PlaceRequest, signal: AbortSignal): Promise<PlacedBet | GuardFailure> {
    try {
      return await this.policy.execute(({ signal: s }) => this.attempt(req, s), signal);
    } catch (err) {
      if (err instanceof UnknownOutcomeError) return { kind: 'unknown', reason: err.message };
      if (err instanceof BrokenCircuitError)
        return { kind: 'unavailable', reason: `circuit open for ${this.connector.slug}` };
      if (err instanceof TransientConnectorError) return { kind: 'unavailable', reason: err.message };
      if (err instanceof TaskCancelledError || signal.aborted)
        return { kind: 'unavailable', reason: 'cancelled before placement' };
      // Anything else came after the request may have left: only the bookmaker knows.
      return { kind: 'unknown', reason: err instanceof Error ? err.message : String(err) };
    }
  }

  private async attempt(req: PlaceRequest, outer: AbortSignal): Promise<PlacedBet> {
    if (outer.aborted) throw new TaskCancelledError();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = AbortSignal.any([outer, timeout]);
    try {
      return await this.connector.place(req, signal);
    } catch (err) {
      if (timeout.aborted) throw new UnknownOutcomeError(`no answer within ${this.timeoutMs} ms`);
      throw err;
    }
  }
}
