// Which code bin/oddsgate.js runs: the compiled build (dist/) or the TypeScript sources (src/ through tsx).
//
// ODDSGATE_FROM=src or =dist chooses deliberately (=dist fails when there is no complete build). Otherwise
// dist/ runs when it is a complete build (dist/BUILD_COMPLETE, written last by `npm run build`) that is not
// older than the sources beside it; a partial build, or one older than an edited src/, runs the sources
// instead and says why on stderr. An image without src/ (the Dockerfile's) runs its dist/.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const BUILD_MARKER = 'BUILD_COMPLETE';

/** The newest modification time (ms) of a file under `dir`. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.isFile()) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * @param {string} root the package root
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ from: 'dist' | 'src', file: string, note?: string }}
 */
export function chooseEntry(root, env = process.env) {
  const dist = { from: 'dist', file: join(root, 'dist', 'cli.js') };
  const src = { from: 'src', file: join(root, 'src', 'cli.ts') };
  const marker = join(root, 'dist', BUILD_MARKER);
  const complete = existsSync(marker) && existsSync(dist.file);
  const wanted = env.ODDSGATE_FROM;
  if (wanted !== undefined && wanted !== '') {
    if (wanted === 'src') return src;
    if (wanted === 'dist') {
      if (!complete)
        throw new Error(
          `ODDSGATE_FROM=dist but ${join(root, 'dist')} is not a complete build (npm run build)`,
        );
      return dist;
    }
    throw new Error(`ODDSGATE_FROM must be src or dist, not ${JSON.stringify(wanted)}`);
  }
  const hasSrc = existsSync(src.file);
  if (!complete) {
    if (existsSync(join(root, 'dist')) && hasSrc) {
      return { ...src, note: 'dist/ is not a complete build (no dist/BUILD_COMPLETE); running the sources' };
    }
    return src;
  }
  if (hasSrc && newestMtime(join(root, 'src')) > statSync(marker).mtimeMs) {
    return { ...src, note: 'dist/ is older than src/ (npm run build to refresh it); running the sources' };
  }
  return dist;
}
