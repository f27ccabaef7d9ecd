import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { after } from 'node:test';
import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import { spawnReaped } from '../helpers/process.js';

/** The shared test Redis. */
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** A key prefix no other test file uses. */
export function uniquePrefix(tag = 'store'): string {
  return `oddsgate-test:${tag}:${randomBytes(6).toString('hex')}:`;
}

/** Deletes every key under `prefix` (SCAN + UNLINK; never FLUSHDB: other test files share this Redis). */
export async function deleteByPrefix(admin: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  for (let round = 0; round < 100_000; round++) {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) deleted += await admin.unlink(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  return deleted;
}

/**
 * A key prefix of the calling test file's own and an admin connection to the test Redis; after the file's
 * tests, every key under the prefix is deleted and the connection closed. Call at a file's top level.
 */
export function redisScratch(tag: string): { prefix: string; admin: Redis } {
  const prefix = uniquePrefix(tag);
  const admin = new Redis(REDIS_URL);
  after(async () => {
    await deleteByPrefix(admin, prefix);
    admin.disconnect();
  });
  return { prefix, admin };
}

/** A pino logger whose lines are kept in memory (parsed), for asserting on what was logged. */
export function memoryLogger(level = 'debug'): {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
  raw: string[];
} {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const dest = new Writable({
    write(chunk: Buffer, _enc, cb) {
      const text = chunk.toString();
      raw.push(text);
      for (const l of text.split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level }, dest), lines, raw };
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const addr = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

/** A throwaway redis-server (no persistence) on `port`, for outage tests. */
export class ThrowawayRedis {
  private child: ChildProcess | null = null;

  constructor(
    readonly port: number,
    private readonly password?: string,
  ) {}

  /** Starts the server and waits until it answers PING (at most 5 s). */
  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    args.push('--dir', tmpdir());
    if (this.password) args.push('--requirepass', this.password);
    this.child = spawnReaped('/usr/bin/redis-server', args, { stdio: 'ignore' });
    const probe = new Redis({
      port: this.port,
      password: this.password,
      lazyConnect: true,
      retryStrategy: () => 50,
    });
    probe.on('error', () => {});
    try {
      const deadline = Date.now() + 5000;
      await probe.connect().catch(() => undefined);
      while ((await probe.ping().catch(() => null)) !== 'PONG') {
        if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      probe.disconnect();
    }
  }

  /** Kills the server (SIGKILL: a crash, not a clean shutdown) and waits for it to exit. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
