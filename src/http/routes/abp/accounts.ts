import type { FastifyInstance } from 'fastify';
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
  parseAbp,
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

/**
 * /abp/accounts: the client's bookmaker accounts (document: Accounts). Every row is the authenticated
 * client's; another client's (bookmaker, username) is 403 "Access denied to this account". Credentials are
 * sealed at rest and always `***` in answers; changes are pushed on the `accounts` (and `balance`) channel.
 */
export async function accountRoutes(app: FastifyInstance): Promise<void> {
  app.get('/accounts', async (req) => {
    const client = clientOf(req);
    const q = parseAbp(AccountListQuerySchema, req.query, 'query');
    const rows = await abpService(app).accounts.list(client.clientName, q.bookmaker);
    return rows.filter((a) => allowedBookmaker(client, a.bookmaker));
  });

  app.post('/accounts', async (req, reply) => {
    const client = clientOf(req);
    const body = parseAbp(AccountCreateSchema, req.body, 'body');
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

  app.get('/accounts/:bookmaker/:username', async (req) => {
    const client = clientOf(req);
    const p = parseAbp(AccountPathSchema, req.params, 'path');
    if (!allowedBookmaker(client, p.bookmaker)) throw new AbpHttpError(403, accessDeniedBody('bookmaker'));
    return owned(await abpService(app).accounts.get(client.clientName, p.bookmaker, p.username));
  });

  app.patch('/accounts/:bookmaker/:username', async (req) => {
    const client = clientOf(req);
    const p = parseAbp(AccountPathSchema, req.params, 'path');
    const body = parseAbp(AccountUpdateSchema, req.body ?? {}, 'body');
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

  app.delete('/accounts/:bookmaker/:username', async (req, reply) => {
    const client = clientOf(req);
    const p = parseAbp(AccountPathSchema, req.params, 'path');
    if (!allowedBookmaker(client, p.bookmaker)) throw new AbpHttpError(403, accessDeniedBody('bookmaker'));
    const abp = abpService(app);
    const removed = owned(await abp.accounts.remove(client.clientName, p.bookmaker, p.username));
    abp.channels.publish('accounts', 'DELETE', removed, client.clientName);
    return reply.code(204).send();
  });
}
