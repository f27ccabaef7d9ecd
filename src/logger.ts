import type { FastifyBaseLogger } from 'fastify';
import { pino, type Logger, type LoggerOptions } from 'pino';

/** Paths whose values are replaced by "[redacted]" in every log line. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'appKey',
  '*.appKey',
  'sessionToken',
  '*.sessionToken',
  'token',
  '*.token',
  'req.headers["x-password"]',
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-authentication"]',
  'req.headers["x-application"]',
];

const SECRET_QUERY = /([?&](?:password|apiKey|api_key|token|session)=)[^&]*/gi;

/** Removes secret query parameters from a URL before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]');
}

/** pino options shared by the server and the CLI: level, redaction, a request serializer without secrets. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req(req: { method?: string; url?: string; ip?: string; id?: string }) {
        return { id: req.id, method: req.method, url: redactUrl(req.url ?? ''), ip: req.ip };
      },
    },
  };
}

/** Creates the process logger. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

/**
 * The logger type services accept: pino's Logger and Fastify's request/app loggers both satisfy it.
 */
export type AppLogger = FastifyBaseLogger;
