import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.js';

/** Options of a failed-attempt limiter. */
export interface FailedAttemptsOptions {
  /** Failed attempts one client address may make per window before it is refused. */
  max: number;
  /** The window (fixed, from the client's first failure). */
  windowMs?: number;
  /** Client addresses tracked at once; the oldest is forgotten beyond this (bounded memory). */
  maxClients?: number;
  /** The clock (tests). */
  now?: () => number;
}

interface Window {
  startedAt: number;
  failures: number;
}

/**
 * Failed credential attempts per client address (Diamond password, admin password, API key, metrics
 * token): after `max` failures within a window the address is refused every credential check, right or
 * wrong, until the window ends, so guessing runs at `max` tries a window. Memory is bounded: at most
 * `maxClients` addresses are kept, the oldest window goes first.
 */
export class FailedAttempts {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(private readonly opts: FailedAttemptsOptions) {
    this.windowMs = opts.windowMs ?? 60_000;
    this.maxClients = opts.maxClients ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /** Seconds until `client` may try again (0: it may now). */
  retryAfterSec(client: string): number {
    const w = this.current(client);
    if (!w || w.failures < this.opts.max) return 0;
    return Math.max(1, Math.ceil((w.startedAt + this.windowMs - this.now()) / 1000));
  }

  /** Counts one failed attempt of `client`. */
  fail(client: string): void {
    const w = this.current(client);
    if (w) {
      w.failures++;
      return;
    }
    this.windows.set(client, { startedAt: this.now(), failures: 1 });
    if (this.windows.size > this.maxClients) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
  }

  /** Addresses tracked now. */
  get size(): number {
    return this.windows.size;
  }

  private current(client: string): Window | undefined {
    const w = this.windows.get(client);
    if (w && this.now() - w.startedAt >= this.windowMs) {
      this.windows.delete(client);
      return undefined;
    }
    return w;
  }
}

/**
 * Refuses a client over its failed-attempt budget: 429 `{success:false,error}` with Retry-After (the
 * Diamond and Porqpine surfaces share that shape). Returns true when it answered.
 */
export function refuseIfBlocked(attempts: FailedAttempts, req: FastifyRequest, reply: FastifyReply): boolean {
  const wait = attempts.retryAfterSec(req.ip);
  if (wait === 0) return false;
  void sendError(
    reply.header('retry-after', String(wait)),
    429,
    `Too many failed attempts from this address: retry in ${wait} s`,
  );
  return true;
}
