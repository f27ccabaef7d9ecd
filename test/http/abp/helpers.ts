import type { FastifyInstance } from 'fastify';
import { makeTestApp } from '../../helpers/app.js';
import type { Backend } from '../../records/helpers.js';

/** A SECRETS_KEY for tests (never a real one). */
export const TEST_SECRETS_KEY = 'test-secrets-key-0123456789abcdef-xyz';

/** An app on the memory store with a records database of `backend` (opened fresh) and a SECRETS_KEY. */
export async function abpApp(
  backend: Backend,
  config: Record<string, unknown> = {},
): Promise<FastifyInstance> {
  const records = await backend.open();
  return makeTestApp({
    records,
    config: {
      abp: { secretsKey: TEST_SECRETS_KEY, ...((config.abp as object | undefined) ?? {}) },
      ...withoutAbp(config),
    },
  });
}

function withoutAbp(c: Record<string, unknown>): Record<string, unknown> {
  const { abp: _abp, ...rest } = c;
  return rest;
}

/** Creates a key for `clientName` and returns it. */
export async function newKey(
  app: FastifyInstance,
  clientName: string,
  opts: { rateLimit?: number; bookmakers?: string[]; expiresAt?: Date } = {},
): Promise<string> {
  if (!app.abp) throw new Error('app has no ABP service');
  const { apiKey } = await app.abp.keys.create({
    clientName,
    rateLimit: opts.rateLimit ?? 1000,
    bookmakers: opts.bookmakers ?? [],
    expiresAt: opts.expiresAt ?? null,
  });
  return apiKey;
}

/** Headers of a request with `key`. */
export function withKey(key: string): Record<string, string> {
  return { 'x-api-key': key };
}
