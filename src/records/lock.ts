import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { OddsgateError } from '../core/errors.js';

/** A held data-directory lock. */
export interface DataDirLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): Promise<void>;
}

/** Raised when another live process holds the data directory. */
export class DataDirLockedError extends OddsgateError<'ERR_DATA_DIR_LOCKED'> {
  constructor(
    readonly dir: string,
    readonly holderPid: number,
  ) {
    super(
      'ERR_DATA_DIR_LOCKED',
      `the records data directory ${dir} is in use by another oddsgate process (pid ${holderPid}); ` +
        'PGlite is one process’s database: stop that process, give this one its own DATA_DIR, or set ' +
        'DATABASE_URL so several processes share a PostgreSQL server',
    );
    this.name = 'DataDirLockedError';
  }
}

interface Holder {
  pid: number;
  host: string;
}

/**
 * Takes `<dir>/records.lock` for this process: created exclusively with our pid and host. A lock left by a
 * process that is gone (killed, crashed: same host, pid not alive) is taken over; one held by a live
 * process makes this fail with DataDirLockedError, so two processes never open the same PGlite files.
 */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const path = join(dir, 'records.lock');
  const me: Holder = { pid: process.pid, host: hostname() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(JSON.stringify(me));
      await fh.sync();
      await fh.close();
      return ownLock(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readHolder(path);
    if (holder && holder.pid !== me.pid && (holder.host !== me.host || isAlive(holder.pid)))
      throw new DataDirLockedError(dir, holder.pid);
    // Stale (its process is gone) or unreadable (a holder died while writing it): remove and retry.
    await unlink(path).catch(() => undefined);
  }
  throw new Error(`could not take the records lock ${path}`);
}

function ownLock(path: string): DataDirLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      const holder = await readHolder(path);
      if (holder?.pid === process.pid) await unlink(path).catch(() => undefined);
    },
  };
}

async function readHolder(path: string): Promise<Holder | null> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as Partial<Holder>;
    return typeof v.pid === 'number' && typeof v.host === 'string' ? { pid: v.pid, host: v.host } : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
