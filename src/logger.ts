import type { FastifyBaseLogger } from 'fastify';
import { pino, type Logger, type LoggerOptions } from 'pino';
import { prettyStream } from './log-pretty.js';

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
  'secretsKey',
  '*.secretsKey',
  '*.sportsbook.password',
  'req.headers["x-password"]',
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-authentication"]',
  'req.headers["x-application"]',
];

/** A query parameter name, decoded and folded (`%61pi_Key` → `apikey`), that names a secret. */
const SECRET_NAME =
  /password|passwd|pwd|secret|token|apikey|appkey|^key$|session|auth|credential|signature|^sig$/;
/** How many layers of percent-encoding a name is decoded through before it is judged. */
const MAX_DECODES = 5;

/**
 * A query parameter name as the parser sees it, and under any further layers of percent-encoding (`%2570` →
 * `%70` → `p`): lower-case, letters and digits only, so `API-Key`, `api_key` and `apiKey` compare equal.
 * Decoding is byte by byte and never throws (malformed escapes stay as they are).
 */
function foldedName(raw: string): string {
  let name = raw.replace(/\+/g, ' ');
  for (let i = 0; i < MAX_DECODES; i++) {
    const next = name.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    );
    if (next === name) break;
    name = next;
  }
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Removes secret query parameters from a URL before it is logged: every value whose parameter name, once
 * percent-decoded (as often as it takes) and folded, names a secret (password, apiKey, api_key, key, token,
 * session, secret, auth, …) becomes `[redacted]`, up to the next `&` (the parser's only separator). A name
 * is looked for after every `?`, `&` and `;`, so a value that only looks like a parameter is redacted too.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url.slice(q);
  const cuts: Array<[number, number]> = [];
  for (const m of query.matchAll(/[?&;]([^=&?;]*)=/g)) {
    if (!SECRET_NAME.test(foldedName(m[1] ?? ''))) continue;
    const start = m.index + m[0].length;
    const amp = query.indexOf('&', start);
    cuts.push([start, amp < 0 ? query.length : amp]);
  }
  if (cuts.length === 0) return url;
  let out = '';
  let at = 0;
  for (const [start, end] of cuts) {
    if (end <= at) continue; // inside a value already cut
    out += query.slice(at, Math.max(at, start)) + '[redacted]';
    at = end;
  }
  return url.slice(0, q) + out + query.slice(at);
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

/**
 * Creates the process logger: JSON lines, or (no destination given and stdout a terminal) the same lines
 * made readable by prettyStream; pipes, files and log collectors always get JSON.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  if (destination) return pino(loggerOptions(level), destination);
  if (process.stdout.isTTY) return pino(loggerOptions(level), prettyStream(process.stdout));
  return pino(loggerOptions(level));
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
