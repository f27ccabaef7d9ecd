/**
 * `oddsgate start` spawned for real against bad configuration: a Redis database that does not exist, a
 * Redis that does not answer (and REDIS_WAIT_SEC waiting for one that comes up), a port in use, a host
 * that is not local. Each failure is exit code 1 and one line on stderr naming the variable, no stack trace.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { freePort, waitFor } from '../helpers/process.js';
import { killAll, runCli } from './cli-process.js';

const EXIT_MS = 90_000;
const REDIS = '127.0.0.1:6379';

after(killAll);

/** stderr holds exactly one line: `oddsgate: …`, no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  return lines[0] as string;
}

/** Resolves true when something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function keysUnder(prefix: string, db = 0): Promise<string[]> {
  const r = new Redis(`redis://${REDIS}/${db}`);
  try {
    return await r.keys(`${prefix}*`);
  } finally {
    r.disconnect();
  }
}

async function deleteUnder(prefix: string): Promise<void> {
  const r = new Redis(`redis://${REDIS}/0`);
  try {
    const keys = await r.keys(`${prefix}*`);
    if (keys.length > 0) await r.del(...keys);
  } finally {
    r.disconnect();
  }
}

const base = (port: number) => ({
  PORT: String(port),
  HOST: '127.0.0.1',
  DIAMOND_PASSWORD: 'start-failures',
  LOG_LEVEL: 'warn',
});

describe('oddsgate start: Redis at start', () => {
  test('REDIS_URL naming a database Redis does not have (99): exit 1, one line, nothing written to db 0', async (t) => {
    const prefix = `oddsgate-cli-db99:${process.pid}:${Date.now()}:`;
    t.after(() => deleteUnder(prefix));
    const port = await freePort();
    const p = runCli(['start'], {
      ...base(port),
      REDIS_URL: `redis://${REDIS}/99`,
      REDIS_KEY_PREFIX: prefix,
    });
    assert.equal(await p.exit(EXIT_MS), 1, `exit code (stdout: ${p.stdout().slice(-1000)})`);
    assert.equal(
      oneLine(p.stderr()),
      `oddsgate: REDIS_URL=redis://${REDIS}/99: cannot use database 99: ERR DB index is out of range`,
    );
    assert.deepEqual(await keysUnder(prefix), [], 'nothing written to db 0');
    assert.equal(await listening(port), false, 'no server left behind');
  });

  test('Redis not answering: exit 1, one line naming REDIS_URL without its password, no reconnect spam', async () => {
    const redisPort = await freePort();
    const p = runCli(['start'], {
      ...base(await freePort()),
      LOG_LEVEL: 'info',
      REDIS_URL: `redis://:hunter2-secret@127.0.0.1:${redisPort}/0`,
    });
    assert.equal(await p.exit(EXIT_MS), 1);
    const line = oneLine(p.stderr());
    assert.match(
      line,
      new RegExp(
        `^oddsgate: REDIS_URL=redis://127\\.0\\.0\\.1:${redisPort}/0: Redis not reachable: .*ECONNREFUSED.*\\(set REDIS_WAIT_SEC to wait for it at start\\)$`,
      ),
    );
    assert.doesNotMatch(p.stdout() + p.stderr(), /hunter2/, 'the password is never printed');
    assert.doesNotMatch(p.stdout(), /redis/i, 'no connection-error logs on stdout');
  });

  test('REDIS_WAIT_SEC: waits for Redis to come up, then starts on it', async (t) => {
    const prefix = `oddsgate-cli-wait:${process.pid}:${Date.now()}:`;
    t.after(() => deleteUnder(prefix));
    const redisPort = await freePort();
    const port = await freePort();
    const p = runCli(['start'], {
      ...base(port),
      LOG_LEVEL: 'info',
      REDIS_URL: `redis://127.0.0.1:${redisPort}/0`,
      REDIS_KEY_PREFIX: prefix,
      REDIS_WAIT_SEC: '300',
    });
    t.after(() => p.stop(5000));
    await waitFor(
      async () => (p.stdout().includes('waiting up to 300 s for Redis') ? true : undefined),
      EXIT_MS,
      `the waiting line (stdout: ${p.stdout().slice(-500)}, stderr: ${p.stderr()})`,
    );
    assert.equal(p.child.exitCode, null, 'still waiting');
    // Redis "comes up" on that port: a TCP relay to the real one.
    const sockets = new Set<Socket>();
    const relay: Server = createServer((client) => {
      const upstream = connect(6379, '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay.listen(redisPort, '127.0.0.1', resolve));
    t.after(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    });
    await waitFor(
      async () => (p.stdout().includes('Server listening') ? true : undefined),
      EXIT_MS,
      `the server to listen (stdout: ${p.stdout().slice(-1000)}, stderr: ${p.stderr()})`,
    );
    await waitFor(
      async () => ((await keysUnder(prefix)).length > 0 ? true : undefined),
      EXIT_MS,
      'state written to Redis',
    );
    assert.equal(await p.stop(), 0, 'SIGTERM shuts down cleanly');
    assert.equal(p.stderr(), '');
  });
  test('Redis answering the check then going away before the store connects: one line too', async (t) => {
    const redisPort = await freePort();
    // Relays the first connection (the start-up check) to the real Redis and cuts every later one.
    let connections = 0;
    const sockets = new Set<Socket>();
    const relay: Server = createServer((client) => {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      client.on('error', () => client.destroy());
      if (++connections > 1) {
        client.destroy();
        return;
      }
      const upstream = connect(6379, '127.0.0.1');
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay.listen(redisPort, '127.0.0.1', resolve));
    t.after(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    });
    const p = runCli(['start'], { ...base(await freePort()), REDIS_URL: `redis://127.0.0.1:${redisPort}/0` });
    assert.equal(await p.exit(EXIT_MS), 1);
    assert.match(
      oneLine(p.stderr()),
      new RegExp(`^oddsgate: REDIS_URL=redis://127\\.0\\.0\\.1:${redisPort}/0: redis unavailable: `),
    );
    assert.ok(connections >= 2, 'the store tried its own connection');
  });
});

describe('oddsgate start: the listen address', () => {
  test('a port in use: exit 1, one line naming HOST and PORT', async (t) => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const addr = taken.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const p = runCli(['start'], base(port));
    assert.equal(await p.exit(EXIT_MS), 1);
    assert.equal(
      oneLine(p.stderr()),
      `oddsgate: cannot listen on HOST=127.0.0.1 PORT=${port}: address already in use`,
    );
  });

  test('a HOST that is not an address of this machine: exit 1, one line naming HOST', async () => {
    const port = await freePort();
    const p = runCli(['start'], { ...base(port), HOST: '192.0.2.1' }); // TEST-NET-1, never local
    assert.equal(await p.exit(EXIT_MS), 1);
    assert.equal(
      oneLine(p.stderr()),
      `oddsgate: cannot listen on HOST=192.0.2.1 PORT=${port}: address not available on this machine`,
    );
  });

  test('a malformed API_KEYS entry: exit 2, one line naming API_KEYS, the key not echoed', async () => {
    const p = runCli(['start'], {
      ...base(await freePort()),
      API_KEYS: 'good-key-0123456:60,abcdefgh:xyzxyz',
    });
    assert.equal(await p.exit(EXIT_MS), 2);
    const line = oneLine(p.stderr());
    assert.match(line, /^oddsgate: invalid configuration: apiKeys\.1 \(API_KEYS\): entry 2: /);
    assert.doesNotMatch(line, /abcdefgh|xyzxyz|good-key/);
  });
});
