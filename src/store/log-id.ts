/**
 * Update-log ids: "<ms>-<seq>", the Redis Streams id format, used by both stores so positions look and
 * compare the same everywhere. `ms` is the append time in epoch ms, `seq` orders entries within one ms.
 */

const LOG_ID_RE = /^(\d{1,16})-(\d{1,16})$/;

/** A parsed log id. */
export interface LogIdParts {
  ms: number;
  seq: number;
}

/** True when `id` has the "<ms>-<seq>" shape. */
export function isLogId(id: string): boolean {
  return LOG_ID_RE.test(id);
}

/** Splits a log id; throws TypeError when it is not "<ms>-<seq>". */
export function parseLogId(id: string): LogIdParts {
  const m = LOG_ID_RE.exec(id);
  if (!m || m[1] === undefined || m[2] === undefined)
    throw new TypeError(`not a log id: ${JSON.stringify(id)}`);
  return { ms: Number(m[1]), seq: Number(m[2]) };
}

/** Orders two log ids: negative when a is older than b, 0 when equal, positive when newer. */
export function compareLogIds(a: string, b: string): number {
  const pa = parseLogId(a);
  const pb = parseLogId(b);
  return pa.ms - pb.ms || pa.seq - pb.seq;
}

/** Formats a log id. */
export function formatLogId(parts: LogIdParts): string {
  return `${parts.ms}-${parts.seq}`;
}

/**
 * The id to give an entry appended at `nowMs` after `last`: strictly greater than `last` even when the
 * clock stands still or goes back (as Redis does for XADD *).
 */
export function nextLogId(last: LogIdParts | null, nowMs: number): LogIdParts {
  if (last === null || nowMs > last.ms) return { ms: nowMs, seq: 0 };
  return { ms: last.ms, seq: last.seq + 1 };
}
