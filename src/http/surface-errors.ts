import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';
import type { SchemaErrorFormatter } from 'fastify/types/schema.js';
import { HttpError } from './errors.js';

/** One failed check of a request part, as the zod validator compiler reports it (message, path, code). */
export type ValidationIssue = FastifySchemaValidationError;

/** The part of a request a route schema validates: `params`, `querystring`, `body` or `headers`. */
export type RequestPart = string;

/**
 * How a surface words a request that failed its route's zod schema. The status is always 400 and the body
 * the surface's error shape `{ success: false, error }` (src/http/errors.ts); only the sentence differs.
 */
export interface SurfaceErrors {
  /** For logs and tests. */
  name: string;
  message: (issues: readonly ValidationIssue[], part: RequestPart) => string;
}

function pathOf(issue: ValidationIssue | undefined): string {
  return issue?.instancePath?.replace(/^\//, '').replace(/\//g, '.') ?? '';
}

/**
 * Porqpine v1 feed (seed 001): the first failed check's own message. Each feed schema words its checks as
 * the feed always answered ("Invalid id", "Invalid limit: expected an integer from 1 to 500").
 */
export const PORQPINE_ERRORS: SurfaceErrors = {
  name: 'porqpine',
  message: (issues) => issues[0]?.message ?? 'Invalid request',
};

/** Diamond v2 (and routes outside any surface): `Invalid querystring "q": must not be empty`. */
export const DIAMOND_ERRORS: SurfaceErrors = {
  name: 'diamond',
  message: (issues, part) => {
    const first = issues[0];
    if (!first) return `Invalid ${part || 'request'}`;
    const path = pathOf(first);
    return `Invalid ${part || 'request'}${path ? ` "${path}"` : ''}: ${first.message || 'invalid value'}`;
  },
};

/** A schema message that is a whole answer of its own (`Invalid body: "url" must be ...`). */
const WHOLE_SENTENCE = /^Invalid (body|query|params|headers):/;

/**
 * Porqpine admin: the field always quoted, `Invalid body "event_id": Invalid input: ...`, unless the
 * schema's message is a whole answer of its own (`Invalid body: ...`), which is sent as it is.
 */
export const ADMIN_ERRORS: SurfaceErrors = {
  name: 'admin',
  message: (issues, part) => {
    const first = issues[0];
    if (first?.message && WHOLE_SENTENCE.test(first.message)) return first.message;
    return `Invalid ${part} "${pathOf(first)}": ${first?.message ?? 'invalid'}`;
  },
};

/**
 * Makes a failed route schema in this scope (and the scopes it registers) answer 400 in the surface's
 * wording; the app's error handler sends it in the `{ success: false, error }` shape. Install it in the
 * surface's plugin before its routes.
 */
export function useSurfaceErrors(app: FastifyInstance, surface: SurfaceErrors): void {
  app.setSchemaErrorFormatter(schemaErrorFormatter(surface));
}

/** The schema error formatter of a surface, for a route whose wording differs (route option). */
export function schemaErrorFormatter(surface: SurfaceErrors): SchemaErrorFormatter {
  return (issues, part) => new HttpError(400, surface.message(issues, part), 'ERR_VALIDATION');
}
