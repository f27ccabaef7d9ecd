import type { FastifyError, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { item, type AbpLocation, type AbpValidationItem } from '../../../contracts/abp/errors.js';

const LOCATION: Readonly<Record<string, AbpLocation>> = {
  querystring: 'query',
  params: 'path',
  body: 'body',
};

/**
 * `/orders/0/stake` as the zod path it came from: a segment is an array index (a number, as the document's
 * `loc` writes it) where the request holds an array, else a key.
 */
function pathOf(instancePath: string | undefined, input: unknown): (string | number)[] {
  const out: (string | number)[] = [];
  let at = input;
  for (const seg of (instancePath ?? '').split('/').filter((p) => p.length > 0)) {
    const index = Array.isArray(at) && /^\d+$/.test(seg);
    out.push(index ? Number(seg) : seg);
    at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[seg] : undefined;
  }
  return out;
}

/**
 * A failed route schema (fastify-type-provider-zod's validation error) as the items of the ABP and MM
 * documents' 422 `{"detail":[{"loc","msg","type"}]}`: each zod issue as `item` words it, `loc` starting
 * with where the value was (`query`, `path`, `body`).
 */
export function schemaValidationItems(err: FastifyError, req: FastifyRequest): AbpValidationItem[] {
  const where = LOCATION[err.validationContext ?? 'body'] ?? 'body';
  const input = where === 'query' ? req.query : where === 'path' ? req.params : req.body;
  return (err.validation ?? []).map((v) => {
    const path = pathOf(v.instancePath, input);
    const issue = { ...(v.params as object), code: v.keyword, path, message: v.message ?? 'Invalid value' };
    return item(issue as unknown as z.core.$ZodIssue, input, where);
  });
}
