/**
 * The simulated sportsbook's HTTP routes on the odds-API simulator's server (HTTP Basic credentials):
 * GET /v1/fixtures, GET /v2/line, POST /v2/bets/place, GET /v3/bets, GET /v1/client/balance. Bad input
 * is 400 `{code, message}`; a timeout fault leaves the placement unanswered (the bet exists).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { TEAMS, type SimSportsbook } from './sportsbook.js';

/** Credentials the simulated sportsbook accepts. */
export interface SportsbookCredentials {
  username: string;
  password: string;
}

const int = z.coerce.number().int();
const LineQuery = z.object({
  sportId: int,
  leagueId: int.optional(),
  eventId: int,
  periodNumber: int,
  betType: z.literal('MONEYLINE'),
  team: z
    .string()
    .transform((t) => t.toUpperCase())
    .pipe(z.enum(TEAMS)),
  oddsFormat: z
    .string()
    .transform((t) => t.toUpperCase())
    .pipe(z.literal('DECIMAL'))
    .optional(),
});
const PlaceBody = z.object({
  uniqueRequestId: z.string().min(1).max(64),
  acceptBetterLine: z.boolean(),
  oddsFormat: z.literal('DECIMAL'),
  stake: z.number().positive(),
  winRiskStake: z.enum(['WIN', 'RISK']),
  lineId: z.number().int(),
  altLineId: z.number().int().nullish(),
  fillType: z
    .enum(['NORMAL', 'FILLANDKILL', 'FILLMAXLIMIT'])
    .nullish()
    .transform((v) => v ?? undefined),
  sportId: z.number().int(),
  eventId: z.number().int(),
  periodNumber: z.number().int(),
  betType: z.literal('MONEYLINE'),
  team: z.enum(TEAMS),
  side: z.string().nullish(),
  handicap: z.number().nullish(),
});
const list = (v: string | undefined) => (v ? v.split(',').filter((x) => x.length > 0) : undefined);
const BetsQuery = z
  .object({
    betlist: z.enum(['SETTLED', 'RUNNING', 'ALL']).optional(),
    fromDate: z.string().datetime({ offset: true }).optional(),
    toDate: z.string().datetime({ offset: true }).optional(),
    uniqueRequestIds: z.string().optional().transform(list),
    betIds: z
      .string()
      .regex(/^\d+(,\d+)*$/, 'betIds: comma-separated bet ids')
      .optional()
      .transform((v) => list(v)?.map(Number)),
  })
  .refine((q) => q.betlist !== undefined || q.uniqueRequestIds || q.betIds, {
    message: 'one of betlist, betIds or uniqueRequestIds is required',
  })
  .refine((q) => q.betlist === undefined || (q.fromDate && q.toDate), {
    message: 'betlist needs fromDate and toDate',
  });
const MAX_HELD = 100;
const HOLD_MS = 120_000;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

const sha = (s: string) => createHash('sha256').update(s).digest();

function authorized(req: IncomingMessage, creds: SportsbookCredentials): boolean {
  const h = req.headers.authorization ?? '';
  const m = /^Basic\s+(.+)$/i.exec(h);
  if (!m?.[1]) return false;
  const given = Buffer.from(m[1], 'base64').toString('utf8');
  return timingSafeEqual(sha(given), sha(`${creds.username}:${creds.password}`));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 64 * 1024) throw new Error('body too large');
    chunks.push(c as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

function problem(err: z.ZodError): string {
  const i = err.issues[0];
  return `${i?.path.join('.') || 'request'}: ${i?.message ?? 'invalid'}`;
}

/** Routes of the simulated sportsbook; `held` keeps the responses a timeout fault left unanswered. */
export class SportsbookRoutes {
  private readonly held = new Set<ServerResponse>();

  constructor(
    private readonly book: SimSportsbook,
    private readonly creds: SportsbookCredentials,
  ) {}

  /** True when the path is the sportsbook's. */
  static owns(path: string): boolean {
    return /^\/v[1-3]\//.test(path);
  }

  /** Answers a sportsbook request. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!authorized(req, this.creds))
      return json(res, 401, { code: 'INVALID_CREDENTIALS', message: 'Invalid username or password' });
    const q = Object.fromEntries(url.searchParams);
    const route = `${req.method} ${url.pathname.replace(/\/$/, '')}`;
    switch (route) {
      case 'GET /v1/fixtures': {
        const sportId = Number(q.sportId);
        if (!Number.isInteger(sportId))
          return json(res, 400, { code: 'INVALID_REQUEST_DATA', message: 'sportId is required' });
        return json(res, 200, this.book.fixtures(sportId));
      }
      case 'GET /v2/line': {
        const p = LineQuery.safeParse(q);
        if (!p.success) return json(res, 400, { code: 'INVALID_REQUEST_DATA', message: problem(p.error) });
        return json(res, 200, this.book.line(p.data));
      }
      case 'POST /v2/bets/place':
        return this.place(req, res);
      case 'GET /v3/bets': {
        const p = BetsQuery.safeParse(q);
        if (!p.success) return json(res, 400, { code: 'INVALID_REQUEST_DATA', message: problem(p.error) });
        const bets = this.book.listBets({
          uniqueRequestIds: p.data.uniqueRequestIds,
          betIds: p.data.betIds,
          list: p.data.betlist,
          from: p.data.fromDate ? Date.parse(p.data.fromDate) : undefined,
          to: p.data.toDate ? Date.parse(p.data.toDate) : undefined,
        });
        return json(res, 200, {
          moreAvailable: false,
          pageSize: 1000,
          fromRecord: 0,
          toRecord: Math.max(0, bets.length - 1),
          straightBets: bets,
        });
      }
      case 'GET /v1/client/balance':
        return json(res, 200, this.book.clientBalance());
      default:
        return json(res, 404, { code: 'NOT_FOUND', message: `no route ${route}` });
    }
  }

  private async place(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = await readJson(req);
    } catch {
      return json(res, 400, { code: 'INVALID_REQUEST_DATA', message: 'the body is not JSON' });
    }
    const p = PlaceBody.safeParse(body);
    if (!p.success) return json(res, 400, { code: 'INVALID_REQUEST_DATA', message: problem(p.error) });
    const { response, answer } = this.book.place(p.data);
    if (answer) return json(res, 200, response);
    // a timeout fault: the bet is placed, the answer is never sent (the connection is dropped later)
    if (this.held.size >= MAX_HELD) {
      res.socket?.destroy();
      return;
    }
    this.held.add(res);
    const drop = setTimeout(() => {
      this.held.delete(res);
      res.socket?.destroy();
    }, HOLD_MS);
    drop.unref();
    res.on('close', () => {
      clearTimeout(drop);
      this.held.delete(res);
    });
  }
}
