import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { spawnReaped } from '../../helpers/process.js';

/**
 * A throwaway redis-server on its own port (never the shared 6379) with append-only persistence in a
 * temporary folder, as production runs it (fsync on every write): killed with SIGKILL it loses nothing it
 * acknowledged, and restarted it reloads what it had. `remove()` deletes the folder.
 */
export class DurableRedis {
  private child: ChildProcess | null = null;
  private dir: string | null = null;

  constructor(readonly port: number) {}

  /** redis://127.0.0.1:<port> */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts (or restarts) the server and waits until it answers PING with its data loaded (≤ 10 s). */
  async start(): Promise<void> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'oddsgate-rel-redis-'));
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--dir', this.dir];
    args.push('--appendonly', 'yes', '--appendfsync', 'always');
    this.child = spawnReaped('redis-server', args, { stdio: 'ignore' });
    const probe = new Redis({
      port: this.port,
      lazyConnect: true,
      retryStrategy: () => 50,
      maxRetriesPerRequest: 1,
    });
    probe.on('error', () => undefined);
    try {
      const deadline = Date.now() + 10_000;
      await probe.connect().catch(() => undefined);
      while ((await probe.ping().catch(() => null)) !== 'PONG') {
        if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      probe.disconnect();
    }
  }

  /** Kills the server with SIGKILL (a crash) and waits for it to exit. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Kills the server and deletes its folder. */
  async remove(): Promise<void> {
    await this.kill();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
