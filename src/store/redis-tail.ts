import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { LogEntry } from '../model/index.js';
import { decodeEntry } from './codec.js';
import { RECONNECT_MAX_MS, RECONNECT_MIN_MS, TAIL_BATCH, TAIL_BLOCK_MS } from './constants.js';

/** A stream entry as ioredis returns it: [id, [field, value, ...]]. */
export type RawStreamEntry = [id: string, fields: string[]];

/** Decodes one stream entry written by the commit script (fields t, k, d, and r when it has rooms). */
export function decodeStreamEntry([id, fields]: RawStreamEntry): LogEntry {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i] as string] = fields[i + 1] as string;
  return decodeEntry(id, f.t ?? '', f.k ?? '', f.d ?? '', f.r ?? '');
}

/** Decodes stream entries; one that does not decode is reported to `onBad` and skipped. */
export function decodeStreamEntries(
  raw: readonly RawStreamEntry[],
  onBad: (id: string, err: unknown) => void,
): LogEntry[] {
  const out: LogEntry[] = [];
  for (const r of raw) {
    try {
      out.push(decodeStreamEntry(r));
    } catch (err) {
      onBad(r[0], err);
    }
  }
  return out;
}

/** What a tail needs. */
export interface RedisTailOptions {
  /** A dedicated connection (see tailClientOptions); the tail disconnects it when stopped. */
  conn: Redis;
  logKey: string;
  /**
   * The position to read after: the caller's `after`, or "now" resolved on the command connection at the
   * moment tailLog was called (so a commit issued after tailLog returns is always seen). When it rejects
   * (Redis away), "now" is resolved on the tail connection once Redis answers.
   */
  start: Promise<string>;
  onEntries: (entries: LogEntry[]) => void;
  logger: Logger;
}

/** A running tail: `stop()` ends it; `done` settles once the loop has exited. */
export interface RedisTail {
  stop(): void;
  done: Promise<void>;
}

const STOPPED = Symbol('stopped');

/**
 * Follows the update log with XREAD BLOCK on its own connection, from the last delivered id, forever:
 * a reconnect resumes from that id, so nothing is lost (unless trimmed meanwhile) or delivered twice.
 */
export function startRedisTail(opts: RedisTailOptions): RedisTail {
  const abort = new AbortController();
  const stopped = new Promise<typeof STOPPED>((resolve) =>
    abort.signal.addEventListener('abort', () => resolve(STOPPED), { once: true }),
  );
  const until = <T>(p: Promise<T>): Promise<T | typeof STOPPED> => Promise.race([p, stopped]);
  const done = runTail(opts, abort.signal, until).finally(() => opts.conn.disconnect());
  return {
    stop: () => abort.abort(),
    done,
  };
}

type Until = <T>(p: Promise<T>) => Promise<T | typeof STOPPED>;

async function runTail(opts: RedisTailOptions, signal: AbortSignal, until: Until): Promise<void> {
  const { conn, logKey, logger } = opts;
  const startPos = await until(opts.start.catch(() => null));
  let position = startPos === STOPPED ? null : startPos;
  let failures = 0;
  while (!signal.aborted) {
    try {
      if (position === null) {
        const last = await until(conn.xrevrange(logKey, '+', '-', 'COUNT', 1));
        if (last === STOPPED) break;
        position = last[0]?.[0] ?? '0-0';
      }
      const reply = await until(
        conn.xread('COUNT', TAIL_BATCH, 'BLOCK', TAIL_BLOCK_MS, 'STREAMS', logKey, position),
      );
      if (reply === STOPPED) break;
      failures = 0;
      const raw = (reply?.[0]?.[1] ?? []) as RawStreamEntry[];
      const last = raw[raw.length - 1];
      if (!last) continue;
      position = last[0];
      deliver(opts, raw);
    } catch (err) {
      if (signal.aborted) break;
      failures++;
      logger.debug({ err: (err as Error).message, failures }, 'update-log tail: read failed, retrying');
      await sleep(Math.min(RECONNECT_MIN_MS * 2 ** Math.min(failures, 8), RECONNECT_MAX_MS), undefined, {
        signal,
      }).catch(() => undefined);
    }
  }
}

function deliver(opts: RedisTailOptions, raw: RawStreamEntry[]): void {
  const entries = decodeStreamEntries(raw, (id, err) =>
    opts.logger.error({ err, id }, 'update-log tail: undecodable entry skipped'),
  );
  if (entries.length === 0) return;
  try {
    opts.onEntries(entries);
  } catch (err) {
    opts.logger.error({ err }, 'update-log tail callback threw');
  }
}
