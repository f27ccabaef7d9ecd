/**
 * Which Chromium binary a launch uses, decided in one place for the server, the tests, the browser
 * benchmark and the simulator's recorder:
 *
 * 1. an explicit path (config `browser.chromiumPath`, i.e. CHROMIUM_PATH) always wins; a path that is not
 *    an executable file is an error, never silently replaced by another browser;
 * 2. else a usable system Chromium (Debian's /usr/bin/chromium, chromium-browser, google-chrome…, then the
 *    same names on PATH);
 * 3. else the Chromium the npm package `@sparticuz/chromium` ships (brotli-packed, no install script):
 *    unpacked once into a per-user cache directory and reused. The unpacked file is written under a
 *    temporary name and renamed into place, so processes starting at once never run a half-written binary.
 */
import {
  accessSync,
  constants,
  createReadStream,
  createWriteStream,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';

/** System Chromium binaries tried, in order, when no path is given. */
export const SYSTEM_CHROMIUM_PATHS: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
];

/** The same browsers looked up by name on PATH. */
const SYSTEM_CHROMIUM_NAMES: readonly string[] = [
  'chromium',
  'chromium-browser',
  'google-chrome-stable',
  'google-chrome',
];

/** Where a resolution found its browser. */
export type ChromiumSource = 'explicit' | 'system' | 'npm';

/** A resolved browser. */
export interface ResolvedChromium {
  path: string;
  source: ChromiumSource;
}

/** Inputs of a resolution (defaults: the real system; tests replace them). */
export interface ResolveChromiumOptions {
  /** An explicit binary (config browser.chromiumPath / CHROMIUM_PATH); wins when set. */
  explicit?: string | undefined;
  /** System binaries to try (default SYSTEM_CHROMIUM_PATHS, then the same names on PATH). */
  systemPaths?: readonly string[];
  /** PATH to search for the system names (default process.env.PATH; '' searches nothing). */
  pathEnv?: string;
  /** Directory the npm-shipped Chromium is unpacked under (default: $XDG_CACHE_HOME or ~/.cache, else the temp dir). */
  cacheDir?: string;
  /** The @sparticuz/chromium package directory (default: resolved from node_modules). */
  npmPackageDir?: string;
}

/** True when `path` is a regular file this process may execute. */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first usable system Chromium, or null. */
export function findSystemChromium(
  systemPaths: readonly string[] = SYSTEM_CHROMIUM_PATHS,
  pathEnv: string = process.env.PATH ?? '',
): string | null {
  for (const p of systemPaths) if (isExecutableFile(p)) return p;
  for (const dir of pathEnv.split(delimiter)) {
    if (dir === '') continue;
    for (const name of SYSTEM_CHROMIUM_NAMES) {
      const p = resolve(dir, name);
      if (isExecutableFile(p)) return p;
    }
  }
  return null;
}

/** The directory of the installed @sparticuz/chromium package, or null when it is not installed. */
export function npmChromiumPackageDir(): string | null {
  try {
    // Its entry is build/{cjs,esm}/index.*; the package root is two levels above that directory.
    const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
    return resolve(dirname(entry), '..', '..');
  } catch {
    return null;
  }
}

/** The default cache directory of unpacked browsers. */
function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg) return join(xdg, 'oddsgate');
  try {
    const home = homedir();
    if (home) return join(home, '.cache', 'oddsgate');
  } catch {
    // no home directory: fall through
  }
  return join(tmpdir(), `oddsgate-${process.getuid?.() ?? 'user'}`);
}

/**
 * A cache directory this user owns and nobody else can write (another user must not be able to plant a
 * binary we would run). Created 0700 when missing.
 */
function ownedDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) {
    throw new Error(
      `Chromium cache directory ${dir} is not a directory owned and writable only by this user`,
    );
  }
  return dir;
}

const unpacking = new Map<string, Promise<string>>();

/**
 * The npm-shipped Chromium, unpacked into `cacheDir` on first use (once per process and version; other
 * processes reuse the file). Throws when the package is not installed.
 */
export function npmChromium(
  cacheDir: string = defaultCacheDir(),
  packageDir = npmChromiumPackageDir(),
): Promise<string> {
  if (packageDir === null) {
    return Promise.reject(new Error('the npm package @sparticuz/chromium is not installed'));
  }
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const target = join(cacheDir, `chromium-${version}`, 'chromium');
  let job = unpacking.get(target);
  if (!job) {
    job = (async () => {
      if (isExecutableFile(target)) return target;
      ownedDir(cacheDir);
      const dir = ownedDir(dirname(target));
      const partial = join(dir, `chromium.${process.pid}.${Math.random().toString(36).slice(2)}.partial`);
      try {
        await pipeline(
          createReadStream(join(packageDir, 'bin', 'chromium.br')),
          createBrotliDecompress(),
          createWriteStream(partial, { mode: 0o700 }),
        );
        renameSync(partial, target);
      } catch (err) {
        rmSync(partial, { force: true });
        throw err;
      }
      return target;
    })();
    unpacking.set(target, job);
    job.catch(() => unpacking.delete(target));
  }
  return job;
}

/**
 * The Chromium to launch: the explicit path, else a system Chromium, else the npm-shipped one. Throws a
 * message that says what was tried when there is none (or the explicit path is not an executable file).
 */
export async function resolveChromium(opts: ResolveChromiumOptions = {}): Promise<ResolvedChromium> {
  if (opts.explicit !== undefined && opts.explicit !== '') {
    if (!isExecutableFile(opts.explicit)) {
      throw new Error(
        `Chromium not found: CHROMIUM_PATH / browser.chromiumPath ${opts.explicit} is not an executable file`,
      );
    }
    return { path: opts.explicit, source: 'explicit' };
  }
  const system = findSystemChromium(opts.systemPaths, opts.pathEnv);
  if (system !== null) return { path: system, source: 'system' };
  const packageDir = opts.npmPackageDir ?? npmChromiumPackageDir();
  try {
    return { path: await npmChromium(opts.cacheDir, packageDir), source: 'npm' };
  } catch (err) {
    throw new Error(
      `Chromium not found: no CHROMIUM_PATH, no system Chromium (${SYSTEM_CHROMIUM_PATHS.join(', ')} or on PATH), ` +
        `and the npm-shipped one failed: ${(err as Error).message}`,
    );
  }
}

/** The Chromium binary path for tools and tests: CHROMIUM_PATH from the environment, else as resolveChromium. */
export async function chromiumPath(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return (await resolveChromium({ explicit: env.CHROMIUM_PATH })).path;
}
