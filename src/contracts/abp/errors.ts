import { z } from 'zod';
import { OddsgateError } from '../../core/errors.js';

/**
 * The ABP document's error bodies, exactly: `{"detail":{"message","code"}}` for 401/403,
 * `{"detail":[{"loc","msg","type"}]}` for 422, `{"detail":"…"}` for 404/409/429/501/503.
 */
export interface AbpCodedDetail {
  detail: { message: string; code: 'UNAUTHORIZED' | 'FORBIDDEN' };
}
export interface AbpValidationItem {
  loc: (string | number)[];
  msg: string;
  type: string;
}
export interface AbpValidationBody {
  detail: AbpValidationItem[];
}
export interface AbpPlainDetail {
  detail: string;
}
export type AbpErrorBody = AbpCodedDetail | AbpValidationBody | AbpPlainDetail;

/** The document's messages, in one place. */
export const ABP_MESSAGES = {
  missingKey: 'Missing X-API-Key header',
  invalidKey: 'Invalid API key',
  inactiveKey: 'API key is inactive',
  expiredKey: 'API key has expired',
  rateLimited: 'Rate limit exceeded',
  duplicate: 'Duplicate request - requestUuid already in-flight',
} as const;

/** 401 body. */
export function unauthorizedBody(message: string): AbpCodedDetail {
  return { detail: { message, code: 'UNAUTHORIZED' } };
}

/** 403 body (inactive/expired key, or a row of another client: `Access denied to this order`). */
export function forbiddenBody(message: string): AbpCodedDetail {
  return { detail: { message, code: 'FORBIDDEN' } };
}

/** 403 body for a resource of another client. */
export function accessDeniedBody(resource: string): AbpCodedDetail {
  return forbiddenBody(`Access denied to this ${resource}`);
}

/** 409 body (a duplicate requestUuid by default). */
export function conflictBody(detail: string = ABP_MESSAGES.duplicate): AbpPlainDetail {
  return { detail };
}

/** 429 body. */
export function rateLimitedBody(): AbpPlainDetail {
  return { detail: ABP_MESSAGES.rateLimited };
}

/** A `{"detail":"…"}` body (404, 501, 503, …). */
export function detailBody(detail: string): AbpPlainDetail {
  return { detail };
}

/** 422 body from items. */
export function validationBody(items: AbpValidationItem[]): AbpValidationBody {
  return { detail: items };
}

/** Where a validated value came from, as the document's `loc` starts. */
export type AbpLocation = 'body' | 'query' | 'path';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** A zod issue of one `code`. */
type IssueOf<C extends z.core.$ZodIssue['code']> = Extract<z.core.$ZodIssue, { code: C }>;
type Loc = (string | number)[];

/** One zod issue as the document's (pydantic's) item: `missing` for absent fields, comparisons by name. */
export function item(issue: z.core.$ZodIssue, input: unknown, where: AbpLocation): AbpValidationItem {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const loc: (string | number)[] = [where, ...path];
  const present = valueAt(input, issue.path) !== undefined;
  switch (issue.code) {
    case 'invalid_type':
      return typeItem(issue, loc, present);
    case 'too_small':
      return tooSmallItem(issue, loc);
    case 'too_big':
      return tooBigItem(issue, loc);
    case 'invalid_value':
      return {
        loc,
        msg: `Input should be ${issue.values.map((v) => `'${String(v)}'`).join(' or ')}`,
        type: 'enum',
      };
    case 'unrecognized_keys':
      return {
        loc: [...loc, issue.keys[0] ?? ''],
        msg: 'Extra inputs are not permitted',
        type: 'extra_forbidden',
      };
    case 'invalid_format':
      return {
        loc,
        msg: issue.message,
        type: issue.format === 'uuid' ? 'uuid_parsing' : 'string_pattern_mismatch',
      };
    default:
      return { loc, msg: issue.message, type: 'value_error' };
  }
}

/** `invalid_type`: `missing` when the value is absent, else pydantic's `<type>_type`. */
function typeItem(issue: IssueOf<'invalid_type'>, loc: Loc, present: boolean): AbpValidationItem {
  if (!present) return { loc, msg: 'Field required', type: 'missing' };
  return {
    loc,
    msg: `Input should be a valid ${typeName(issue.expected)}`,
    type: typeCode(issue.expected),
  };
}

/** `too_small`: a number's lower bound, a list's or a string's least length. */
function tooSmallItem(issue: IssueOf<'too_small'>, loc: Loc): AbpValidationItem {
  if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
    return issue.inclusive
      ? {
          loc,
          msg: `Input should be greater than or equal to ${issue.minimum}`,
          type: 'greater_than_equal',
        }
      : { loc, msg: `Input should be greater than ${issue.minimum}`, type: 'greater_than' };
  if (issue.origin === 'array')
    return { loc, msg: `List should have at least ${issue.minimum} item(s)`, type: 'too_short' };
  return {
    loc,
    msg: `String should have at least ${issue.minimum} character(s)`,
    type: 'string_too_short',
  };
}

/** `too_big`: a number's upper bound, a list's or a string's greatest length. */
function tooBigItem(issue: IssueOf<'too_big'>, loc: Loc): AbpValidationItem {
  if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
    return issue.inclusive
      ? { loc, msg: `Input should be less than or equal to ${issue.maximum}`, type: 'less_than_equal' }
      : { loc, msg: `Input should be less than ${issue.maximum}`, type: 'less_than' };
  if (issue.origin === 'array')
    return { loc, msg: `List should have at most ${issue.maximum} item(s)`, type: 'too_long' };
  return {
    loc,
    msg: `String should have at most ${issue.maximum} character(s)`,
    type: 'string_too_long',
  };
}

function typeName(expected: string): string {
  if (expected === 'number' || expected === 'int') return expected === 'int' ? 'integer' : 'number';
  if (expected === 'boolean') return 'boolean';
  if (expected === 'array') return 'list';
  if (expected === 'object') return 'dictionary';
  return expected;
}

function typeCode(expected: string): string {
  if (expected === 'number') return 'float_type';
  if (expected === 'int') return 'int_type';
  if (expected === 'boolean') return 'bool_type';
  if (expected === 'array') return 'list_type';
  if (expected === 'object') return 'dict_type';
  return `${expected}_type`;
}

/** A zod error as the document's 422 body. */
export function validationBodyOf(error: z.ZodError, input: unknown, where: AbpLocation): AbpValidationBody {
  return validationBody(error.issues.map((i) => item(i, input, where)));
}

/** An ABP error a handler throws; the /abp scope's error handler sends `body` with `statusCode`. */
export class AbpHttpError extends OddsgateError<'ERR_ABP_HTTP'> {
  constructor(
    readonly statusCode: number,
    readonly body: AbpErrorBody,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super('ERR_ABP_HTTP', typeof body.detail === 'string' ? body.detail : JSON.stringify(body.detail));
    this.name = 'AbpHttpError';
  }
}

/** Parses `input` with `schema`, or throws a 422 in the document's shape. */
export function parseAbp<S extends z.ZodType>(schema: S, input: unknown, where: AbpLocation): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new AbpHttpError(422, validationBodyOf(r.error, input, where));
}

/** zod schemas of the error bodies (OpenAPI). */
export const AbpCodedDetailSchema = z.object({
  detail: z.object({ message: z.string(), code: z.enum(['UNAUTHORIZED', 'FORBIDDEN']) }),
});
export const AbpValidationSchema = z.object({
  detail: z.array(
    z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() }),
  ),
});
export const AbpPlainDetailSchema = z.object({ detail: z.string() });
/** `{"detail":{"message","code":"NOT_FOUND"}}` (an order route's unknown row). */
export const AbpNotFoundSchema = z.object({
  detail: z.object({ message: z.string(), code: z.literal('NOT_FOUND') }),
});
/** `{"detail":{"message","code":"NOT_IMPLEMENTED"}}` (futures orders). */
export const AbpNotImplementedSchema = z.object({
  detail: z.object({ message: z.string(), code: z.literal('NOT_IMPLEMENTED') }),
});
