import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { serverOptions } from '../../src/app.js';
import { createLogger, lazyChildLoggerFactory } from '../../src/logger.js';
import { installErrorHandler } from '../../src/http/errors.js';
import { installRequestLog, type RequestLogOptions } from '../../src/http/request-log.js';

/** A logger at `level` whose JSON lines are collected. */
function captured(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n'))
        if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: createLogger(level, sink), lines };
}

async function appWith(level: string, opts: RequestLogOptions = {}) {
  const { logger, lines } = captured(level);
  const app = Fastify(serverOptions(logger));
  installErrorHandler(app);
  installRequestLog(app, opts);
  app.get('/ok', async () => ({ ok: true }));
  app.get('/boom', async () => {
    throw new Error('kaput');
  });
  app.get('/warns', async (req) => {
    req.log.warn({ password: 'hunter2' }, 'careful');
    return { ok: true };
  });
  await app.ready();
  return { app, lines };
}

test('at warn, a request that logs nothing writes no line; an error is logged with its request id', async () => {
  const { app, lines } = await appWith('warn');
  try {
    const ok = await app.inject('/ok');
    assert.equal(ok.statusCode, 200);
    assert.equal(lines.length, 0);

    const boom = await app.inject('/boom');
    assert.equal(boom.statusCode, 500);
    assert.deepEqual(boom.json(), { success: false, error: 'Internal server error' });
    const failed = lines.filter((l) => l.msg === 'request failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.level, 50);
    assert.match(String(failed[0]?.reqId), /^req-/);
    assert.equal((failed[0]?.err as { message?: string }).message, 'kaput');

    const warns = await app.inject('/warns');
    assert.equal(warns.statusCode, 200);
    const careful = lines.find((l) => l.msg === 'careful');
    assert.ok(careful, 'route warning logged');
    assert.match(String(careful.reqId), /^req-/);
    assert.notEqual(careful.reqId, failed[0]?.reqId, 'each request has its own id');
    assert.equal(careful.password, '[redacted]', 'redaction still applies');
  } finally {
    await app.close();
  }
});

test('at info (the default), a successful request writes no line; a 500 writes its completed line', async () => {
  const { app, lines } = await appWith('info');
  try {
    await app.inject('/ok');
    await app.inject('/nowhere');
    assert.equal(lines.length, 0, 'no per-request line for 200 or a single 404');
    await app.inject('/boom');
    const completed = lines.filter((l) => l.msg === 'request completed');
    assert.equal(completed.length, 1);
    assert.equal(completed[0]?.level, 30);
    assert.equal((completed[0]?.res as { statusCode?: number }).statusCode, 500);
  } finally {
    await app.close();
  }
});

test('at debug, every request logs incoming and completed lines carrying the same request id', async () => {
  const { app, lines } = await appWith('debug');
  try {
    await app.inject('/ok');
    const incoming = lines.find((l) => l.msg === 'incoming request');
    const completed = lines.find((l) => l.msg === 'request completed');
    assert.ok(incoming && completed);
    assert.equal(incoming.level, 20);
    assert.match(String(incoming.reqId), /^req-/);
    assert.equal(completed.reqId, incoming.reqId);
    assert.equal((incoming.req as { url?: string }).url, '/ok');
    assert.equal((completed.res as { statusCode?: number }).statusCode, 200);
  } finally {
    await app.close();
  }
});

test('slow requests are logged at info, with the (redacted) URL', async () => {
  const { app, lines } = await appWith('info', { slowMs: 0 });
  try {
    await app.inject('/ok?password=hunter2');
    const slow = lines.filter((l) => l.msg === 'slow request completed');
    assert.equal(slow.length, 1);
    assert.equal((slow[0]?.req as { url?: string }).url, '/ok?password=[redacted]');
  } finally {
    await app.close();
  }
});

test('a burst of 4xx answers logs one info line per window, not one per request', async () => {
  const clock = { t: 1_000_000 };
  const { app, lines } = await appWith('info', { burst: 3, windowMs: 10_000, now: () => clock.t });
  try {
    for (let i = 0; i < 2; i++) await app.inject('/nowhere');
    assert.equal(lines.length, 0, 'below the burst threshold');
    for (let i = 0; i < 5; i++) await app.inject('/nowhere');
    assert.deepEqual(
      lines.map((l) => [l.msg, l.level]),
      [['4xx burst: 3 client errors within 10 s', 30]],
    );
    clock.t += 10_000; // a new window
    for (let i = 0; i < 3; i++) await app.inject('/nowhere');
    assert.equal(lines.length, 2);
  } finally {
    await app.close();
  }
});

test('the lazy request logger follows its parent level and makes its child once', () => {
  const { logger, lines } = captured('warn');
  const child = lazyChildLoggerFactory(logger, { reqId: 'r1' }, {});
  assert.equal(child.level, 'warn');
  child.info('not written');
  child.debug('not written');
  assert.equal(lines.length, 0);
  child.error('written');
  child.warn('also written');
  assert.deepEqual(
    lines.map((l) => [l.msg, l.reqId]),
    [
      ['written', 'r1'],
      ['also written', 'r1'],
    ],
  );
  const grand = child.child({ part: 'x' });
  grand.warn('grandchild');
  assert.equal(lines.at(-1)?.reqId, 'r1');
  assert.equal(lines.at(-1)?.part, 'x');
  child.level = 'info';
  child.info('now written');
  assert.equal(lines.at(-1)?.msg, 'now written');
  assert.equal(logger.level, 'warn', 'the parent keeps its level');
  // A route-level log level gets pino's own child at once.
  const own = lazyChildLoggerFactory(logger, { reqId: 'r2' }, { level: 'debug' });
  own.debug('route debug');
  assert.equal(lines.at(-1)?.msg, 'route debug');
});
