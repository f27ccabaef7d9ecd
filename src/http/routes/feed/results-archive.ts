import type { FastifyInstance } from 'fastify';
import { encodeCursor, type ArchivePosition } from '../../../records/index.js';
import { HttpError } from '../../errors.js';
import { renderResult } from '../../../contracts/porqpine/results.js';
import { withTimeout } from '../../../core/timeout.js';

/** Archive reads give up after this long (502, retry). */
const ARCHIVE_TIMEOUT_MS = 5000;

/** The archive parameters of /results, as its schema gives them (epoch ms, decoded cursor). */
type ArchiveParams = {
  from?: number | undefined;
  to?: number | undefined;
  cursor?: ArchivePosition | undefined;
};

/** True when /results is asked for the archive (any of from, to, cursor given). */
export function isArchiveQuery(q: ArchiveParams): boolean {
  return [q.from, q.to, q.cursor].some((v) => v !== undefined);
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
  const { from: fromArg, to, cursor: after } = q;
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
