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

type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** The parent a lazy child reads its level from and is made from. */
interface ChildSource extends FastifyBaseLogger {
  isLevelEnabled?(level: string): boolean;
}

function enabled(logger: ChildSource, level: LogLevel): boolean {
  return typeof logger.isLevelEnabled === 'function' ? logger.isLevelEnabled(level) : true;
}

/**
 * A request logger that makes its pino child (with the request id binding) only when something is
 * logged at an enabled level. Fastify makes one logger per request; with request logging at `info` and the
 * process at `warn` or above, most requests never log, and a pino child costs more than the rest of the
 * request's own work. Once made, every call goes to the child, so lines carry `reqId` as before.
 */
class LazyChildLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | null = null;

  constructor(
    private readonly parent: ChildSource,
    private readonly bindings: Record<string, unknown>,
  ) {}

  private real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings));
  }

  private call(level: LogLevel, args: unknown[]): void {
    if (this.made === null && !enabled(this.parent, level)) return;
    (this.real()[level] as (...a: unknown[]) => void)(...args);
  }

  get level(): string {
    return this.made ? this.made.level : this.parent.level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  isLevelEnabled(level: string): boolean {
    const l = (this.made ?? this.parent) as ChildSource;
    return typeof l.isLevelEnabled === 'function' ? l.isLevelEnabled(level) : true;
  }

  // Prototype methods, not per-instance closures: one of these loggers is made per request.
  fatal(...args: unknown[]): void {
    this.call('fatal', args);
  }
  error(...args: unknown[]): void {
    this.call('error', args);
  }
  warn(...args: unknown[]): void {
    this.call('warn', args);
  }
  info(...args: unknown[]): void {
    this.call('info', args);
  }
  debug(...args: unknown[]): void {
    this.call('debug', args);
  }
  trace(...args: unknown[]): void {
    this.call('trace', args);
  }
  silent(): void {
    // pino's `silent` level method logs nothing
  }

  child(bindings: Record<string, unknown>, options?: Record<string, unknown>): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }
}

/**
 * Fastify `childLoggerFactory`: a LazyChildLogger per request, or pino's child at once when the route sets
 * its own log level or serializers.
 */
export function lazyChildLoggerFactory(
  logger: FastifyBaseLogger,
  bindings: Record<string, unknown>,
  opts: { level?: string; serializers?: unknown },
): FastifyBaseLogger {
  if (opts.level !== undefined || opts.serializers !== undefined)
    return logger.child(bindings, opts as never);
  return new LazyChildLogger(logger, bindings);
}
