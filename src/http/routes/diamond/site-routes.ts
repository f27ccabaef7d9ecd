import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SiteAccountData } from '../../../sources/sites/account.js';
import { isSiteDataSource, type SiteDataSource } from '../../../sources/sites/site-data-source.js';
import { secretFromRequest, secretMatcher } from '../../../core/auth.js';
import { HttpError } from '../../errors.js';
import { envelope } from './envelope.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../openapi/schemas.js';
import { AccountBody, diamondSchema, TokensBody } from './schemas.js';

const account = (summary: string, what: string) => ({
  schema: diamondSchema({ summary, response: { 200: AccountBody(what) } }),
});
const tokensSchema = diamondSchema({
  summary: 'Session tokens of the browser-source accounts (x-admin-password)',
  headers: z.looseObject({ 'x-admin-password': z.string().optional().describe('DIAMOND_ADMIN_PASSWORD.') }),
  response: { 200: TokensBody, 403: ErrorBody.describe('No or wrong admin password.') },
});

/** Where the admin credential of `/tokens` is sent. */
const ADMIN_AT = { header: 'x-admin-password' } as const;
/** Visible prefix of a token shown to non-admin callers (as the seed shows them: "eyJhbGci..."). */
const TOKEN_PREFIX = 8;

/** A secret shortened to its first characters and "...". */
export function maskToken(v: unknown): unknown {
  return typeof v === 'string' && v.length > TOKEN_PREFIX ? `${v.slice(0, TOKEN_PREFIX)}...` : v;
}

interface Holder {
  source: SiteDataSource;
  data: SiteAccountData | null;
}

function holders(app: FastifyInstance): Holder[] {
  return app.sources.sources
    .filter(isSiteDataSource)
    .map((source) => ({ source, data: source.accountData() }));
}

/** The first site source holding account data. */
function firstData(app: FastifyInstance): SiteAccountData | null {
  return holders(app).find((h) => h.data !== null)?.data ?? null;
}

/** `/tables` data (seed 000 §3.9): casino categories with `_source` on every game. */
export function tablesData(list: readonly Holder[]): Record<string, unknown> {
  const casino = list.flatMap((h) =>
    (h.data?.casino ?? []).map((c) => ({
      ...c,
      games: c.games.map((g) => ({ ...g, _source: h.source.feedName })),
    })),
  );
  const sources = Object.fromEntries(list.map((h) => [h.source.feedName, (h.data?.casino.length ?? 0) > 0]));
  return { count: { tables: 0, casino: casino.length }, tables: [], casino, _sources: sources };
}

/**
 * Account routes of the site sources (seed 000 §3.9, §3.11–3.14): `/tables`, `/open-bets`, `/betslips`,
 * `/userinfo` and `/tokens`. Tokens are served only with the admin credential (`x-admin-password` =
 * DIAMOND_ADMIN_PASSWORD), never cached and never logged; other callers see them shortened.
 */
export function siteRoutes(adminPassword: string | undefined) {
  const isAdmin = adminPassword ? secretMatcher(adminPassword) : () => false;
  const admin = (req: FastifyRequest) => isAdmin(secretFromRequest(req, ADMIN_AT));
  return async (app: FastifyInstance): Promise<void> => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get('/tables', account('Casino tables of the browser-source accounts', 'Tables'), async () =>
      envelope(tablesData(holders(app))),
    );

    r.get('/open-bets', account('Open bets of the browser-source account', 'Open bets'), async () => {
      const bets = firstData(app)?.openBets;
      return envelope({ openBets: bets ?? { balance: 0, exposure: 0, openBets: [] } });
    });

    r.get('/betslips', account('Bet slips of the browser-source account', 'Bet slips'), async () =>
      envelope({ betslips: firstData(app)?.betslips ?? [] }),
    );

    const userinfo = account('Account information of the browser source', 'User info');
    r.get('/userinfo', userinfo, async (req, reply) => {
      const info = firstData(app)?.userInfo ?? null;
      reply.header('cache-control', 'no-store');
      if (!info || admin(req)) return envelope({ userinfo: info });
      return envelope({ userinfo: { ...info, casinoToken: maskToken(info.casinoToken) } });
    });

    r.get('/tokens', { schema: tokensSchema }, async (req, reply) => {
      if (!admin(req)) {
        // A wrong credential is a guess (the Diamond hook refuses the address past the limit).
        if (adminPassword && secretFromRequest(req, ADMIN_AT) !== undefined) app.failedAttempts.fail(req.ip);
        throw new HttpError(
          403,
          'Forbidden: /tokens needs the admin credential (x-admin-password)',
          'ERR_ADMIN_ONLY',
        );
      }
      reply.header('cache-control', 'no-store');
      const t = firstData(app)?.tokens ?? null;
      return envelope({
        casinoToken: t?.casinoToken ?? null,
        accessToken: t?.accessToken ?? null,
        baseUrl: t?.baseUrl ?? null,
        domainSetting: t?.domainSetting ?? null,
      });
    });
  };
}
