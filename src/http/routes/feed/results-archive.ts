import type { FastifyInstance } from 'fastify';
import { decodeCursor, encodeCursor, type ArchivePosition } from '../../../records/index.js';
import { HttpError } from '../../errors.js';
import { renderResult } from '../../../contracts/porqpine/results.js';
import { withTimeout } from '../../../core/timeout.js';
import { parseSince } from './results.js';

/** Archive reads give up after this long (502, retry). */
const ARCHIVE_TIMEOUT_MS = 5000;

type ArchiveParams = { from?: unknown; to?: unknown; cursor?: unknown };

/** True when /results is asked for the archive (any of from, to, cursor given). */
export function isArchiveQuery(q: ArchiveParams): boolean {
  return [q.from, q.to, q.cursor].some((v) => v !== undefined && v !== '');
}

function parseCursor(raw: unknown): ArchivePosition | undefined {
  if (raw === undefined || raw === '') return undefined;
  const p = typeof raw === 'string' ? decodeCursor(raw) : null;
  if (!p) throw new HttpError(400, 'Invalid cursor: pass next_cursor from a previous page', 'ERR_BAD_QUERY');
  return p;
}

/**
 * One page of /results from the archive: from (inclusive) and to (exclusive) bound the completion time,
 * newest first; `next_cursor` (opaque) continues after the last result, null on the last page. The body is
 * /results' shape plus `next_cursor`, with `source: "archive"`.
 */
export async function archivePage(
  app: FastifyInstance,
  q: ArchiveParams,
  base: { sportId: number | null | undefined; limit: number; since: number | undefined },
): Promise<Record<string, unknown>> {
  const fromArg = parseSince(q.from, 'from');
  const to = parseSince(q.to, 'to');
  const after = parseCursor(q.cursor);
  const from =
    fromArg === undefined ? base.since : base.since === undefined ? fromArg : Math.max(fromArg, base.since);
  if (from !== undefined && to !== undefined && from > to)
    throw new HttpError(400, 'Invalid range: from is after to', 'ERR_BAD_QUERY');
  const records = app.records;
  if (!records) throw new HttpError(503, 'Results archive not configured', 'ERR_UNAVAILABLE');
  if (base.sportId === null) return body([], null, 0);
  try {
    const [page, stored] = await withTimeout(
      Promise.all([
        records.query({
          limit: base.limit,
          ...(from !== undefined ? { from } : {}),
          ...(to !== undefined ? { to } : {}),
          ...(base.sportId !== undefined ? { sportId: base.sportId } : {}),
          ...(after ? { after } : {}),
        }),
        records.results.count(),
      ]),
      ARCHIVE_TIMEOUT_MS,
      'results archive',
    );
    return body(page.results.map(renderResult), page.next ? encodeCursor(page.next) : null, stored);
  } catch (err) {
    app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'results archive read failed');
    throw new HttpError(502, 'Results archive temporarily unreachable; retry', 'ERR_UPSTREAM');
  }
}

function body(data: unknown[], next: string | null, stored: number): Record<string, unknown> {
  return {
    success: true,
    count: data.length,
    totals: { saved: data.length, rest: 0, stored },
    data,
    source: 'archive',
    stale: false,
    next_cursor: next,
  };
}
