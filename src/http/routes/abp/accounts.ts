import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AccountCreateSchema,
  AccountListQuerySchema,
  AccountPathSchema,
  AccountUpdateSchema,
} from '../../../contracts/abp/accounts.js';
import {
  AbpHttpError,
  accessDeniedBody,
  conflictBody,
  detailBody,
  validationBody,
} from '../../../contracts/abp/errors.js';
import {
  AccountExistsError,
  AccountStakeError,
  type Account,
  type Owned,
} from '../../../execution/accounts.js';
import type { AbpService } from '../../../execution/service.js';
import { abpService, clientOf } from './scope.js';
import type { AbpClient } from './context.js';
import { AbpDetail, AccountBody, AccountsBody, abpSchema } from './responses.js';

function allowedBookmaker(client: AbpClient, bookmaker: string): boolean {
  return client.bookmakers.length === 0 || client.bookmakers.includes(bookmaker);
}

function owned<T>(r: Owned<T>): T {
  if (r.ok) return r.value;
  if (r.reason === 'forbidden') throw new AbpHttpError(403, accessDeniedBody('account'));
  throw new AbpHttpError(404, detailBody('Account not found'));
}

function stakesInOrder(minStake: number | null | undefined, maxStake: number | null | undefined): void {
  if (typeof minStake === 'number' && typeof maxStake === 'number' && minStake > maxStake)
    throw new AbpHttpError(
      422,
      validationBody([
        { loc: ['body', 'minStake'], msg: 'minStake must not exceed maxStake', type: 'value_error' },
      ]),
    );
}

function stakeError(err: unknown): never {
  if (err instanceof AccountStakeError)
    throw new AbpHttpError(
      422,
      validationBody([{ loc: ['body', 'minStake'], msg: err.message, type: 'value_error' }]),
    );
  throw err;
}

function balanceEvent(a: Account): Record<string, unknown> {
  return {
    clientName: a.client,
    bookmaker: a.bookmaker,
    username: a.username,
    balance: a.balance,
    currency: a.currencyId,
    ts: Date.now(),
  };
}

function publishChange(abp: AbpService, before: Account, after: Account): void {
  abp.channels.publish('accounts', 'UPDATE', after, after.client);
  if (before.balance !== after.balance)
    abp.channels.publish('balance', 'UPDATE', balanceEvent(after), after.client);
}

const NOT_FOUND = AbpDetail('`{"detail":"Account not found"}`.');
const LIST = {
  schema: abpSchema({
    summary: 'List accounts for client',
    description:
      'The authenticated client’s bookmaker accounts, highest priority first; passwords always `***`.',
    querystring: AccountListQuerySchema,
    response: { 200: AccountsBody },
  }),
};
const CREATE = {
  schema: abpSchema({
    summary: 'Create account',
    description:
      'Creates a bookmaker account for the client; the credential is encrypted at rest (AES-256-GCM, SECRETS_KEY). ' +
      'Answers 201; 409 `{"detail":"Account already exists"}` when (bookmaker, username) is taken.',
    body: AccountCreateSchema,
    response: {
      201: AccountBody.describe('Created: the account.'),
      409: AbpDetail('`{"detail":"Account already exists"}`.'),
    },
  }),
};
const GET_ONE = {
  schema: abpSchema({
    summary: 'Get account by key',
    params: AccountPathSchema,
    response: { 200: AccountBody, 404: NOT_FOUND },
  }),
};
const UPDATE = {
  schema: abpSchema({
    summary: 'Update account',
    description: 'Only the given fields change; a balance change is also pushed on the `balance` channel.',
    params: AccountPathSchema,
    // No body (or `null`) is read as `{}`: nothing changes.
    body: z.preprocess((b) => b ?? {}, AccountUpdateSchema),
    response: { 200: AccountBody, 404: NOT_FOUND },
  }),
};
const DELETE = {
  schema: abpSchema({
    summary: 'Delete account',
    description: 'Answers 204 with no body.',
    params: AccountPathSchema,
    response: { 204: z.null().describe('Deleted: no content.'), 404: NOT_FOUND },
  }),
};

/**
 * /abp/accounts: the client's bookmaker accounts (document: Accounts). Every row is the authenticated
 * client's; another client's (bookmaker, username) is 403 "Access denied to this account". Credentials are
 * sealed at rest and always `***` in answers; changes are pushed on the `accounts` (and `balance`) channel.
 */
export async function accountRoutes(app: FastifyInstance): Promise<void> {
  registerCollection(app);
  registerAccount(app);
}

/** GET /accounts (the client's, of its allowed bookmakers) and POST /accounts (201; 409 when taken). */
function registerCollection(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/accounts', LIST, async (req) => {
    const client = clientOf(req);
    const rows = await abpService(app).accounts.list(client.clientName, req.query.bookmaker);
    return rows.filter((a) => allowedBookmaker(client, a.bookmaker));
  });

  r.post('/accounts', CREATE, async (req, reply) => {
    const client = clientOf(req);
    const body = req.body;
    stakesInOrder(body.minStake, body.maxStake);
    if (!allowedBookmaker(client, body.bookmaker)) throw new AbpHttpError(403, accessDeniedBody('bookmaker'));
    const abp = abpService(app);
    let created: Account;
    try {
      created = await abp.accounts.create(client.clientName, body);
    } catch (err) {
      if (err instanceof AccountExistsError)
        throw new AbpHttpError(409, conflictBody('Account already exists'));
      stakeError(err);
    }
    abp.channels.publish('accounts', 'INSERT', created, client.clientName);
    return reply.code(201).send(created);
  });
}

/** GET, PATCH and DELETE /accounts/:bookmaker/:username: one account of the client (403 another's, 404). */
function registerAccount(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/accounts/:bookmaker/:username', GET_ONE, async (req) => {
    const client = clientOf(req);
    const p = req.params;
    if (!allowedBookmaker(client, p.bookmaker)) throw new AbpHttpError(403, accessDeniedBody('bookmaker'));
    return owned(await abpService(app).accounts.get(client.clientName, p.bookmaker, p.username));
  });

  r.patch('/accounts/:bookmaker/:username', UPDATE, async (req) => {
    const client = clientOf(req);
    const p = req.params;
    const body = req.body;
    stakesInOrder(body.minStake, body.maxStake);
    if (!allowedBookmaker(client, p.bookmaker)) throw new AbpHttpError(403, accessDeniedBody('bookmaker'));
    const abp = abpService(app);
    let changed;
    try {
      changed = owned(await abp.accounts.update(client.clientName, p.bookmaker, p.username, body));
    } catch (err) {
      stakeError(err);
    }
    publishChange(abp, changed.before, changed.after);
    return changed.after;
  });

  r.delete('/accounts/:bookmaker/:username', DELETE, async (req, reply) => {
    const client = clientOf(req);
    const p = req.params;
    if (!allowedBookmaker(client, p.bookmaker)) throw new AbpHttpError(403, accessDeniedBody('bookmaker'));
    const abp = abpService(app);
    const removed = owned(await abp.accounts.remove(client.clientName, p.bookmaker, p.username));
    abp.channels.publish('accounts', 'DELETE', removed, client.clientName);
    return reply.code(204).send(null);
  });
}
