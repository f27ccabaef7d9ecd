import type { FastifyInstance } from 'fastify';

/** A request that takes at least this long is logged at info ("slow request completed"). */
export const SLOW_REQUEST_MS = 1000;
/** This many 4xx answers within CLIENT_ERROR_WINDOW_MS log one info line (a client misbehaving, a scan). */
export const CLIENT_ERROR_BURST = 50;
export const CLIENT_ERROR_WINDOW_MS = 10_000;

export interface RequestLogOptions {
  slowMs?: number;
  burst?: number;
  windowMs?: number;
  now?: () => number;
}

/**
 * Per-request log lines (Fastify's own are disabled in serverOptions): "incoming request" and "request
 * completed" at debug, so at the default level (info) a healthy, busy server does not write a line per
 * request; 5xx answers and slow requests (≥ SLOW_REQUEST_MS) are logged at info, and so is one line per
 * window in which 4xx answers reach CLIENT_ERROR_BURST. Errors themselves are logged by the error handler.
 */
export function installRequestLog(app: FastifyInstance, opts: RequestLogOptions = {}): void {
  const slowMs = opts.slowMs ?? SLOW_REQUEST_MS;
  const burst = opts.burst ?? CLIENT_ERROR_BURST;
  const windowMs = opts.windowMs ?? CLIENT_ERROR_WINDOW_MS;
  const now = opts.now ?? Date.now;
  let windowStart = 0;
  let clientErrors = 0;
  // `req.log` is made on first use (lazyChildLoggerFactory): touch it only when a line will be written, so
  // a busy server at info builds no per-request logger (the hot path's profile showed it).
  const debug = () => app.log.level === 'debug' || app.log.level === 'trace';
  app.addHook('onRequest', (req, _reply, done) => {
    if (debug()) req.log.debug({ req }, 'incoming request');
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    if (ms >= slowMs)
      req.log.info({ res: { statusCode: status }, responseTime: ms, req }, 'slow request completed');
    else if (status >= 500)
      req.log.info({ res: { statusCode: status }, responseTime: ms, req }, 'request completed');
    else if (debug()) req.log.debug({ res: { statusCode: status }, responseTime: ms }, 'request completed');
    if (status >= 400 && status < 500) {
      const t = now();
      if (t - windowStart >= windowMs) {
        windowStart = t;
        clientErrors = 0;
      }
      clientErrors++;
      if (clientErrors === burst)
        app.log.info(
          { count: burst, window_s: windowMs / 1000, last: { method: req.method, statusCode: status } },
          `4xx burst: ${burst} client errors within ${windowMs / 1000} s`,
        );
    }
    done();
  });
}
