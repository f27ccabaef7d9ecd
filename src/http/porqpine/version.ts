import { existsSync, readFileSync } from 'node:fs';

/** Walks up from this file to the package.json (works from src/ under tsx and from dist/). */
function readVersion(): string {
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < 8; i++) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === 'oddsgate' && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // keep walking
      }
    }
    dir = new URL('..', dir);
  }
  return '0.0.0';
}

/** oddsgate's version (package.json), reported by /admin/health. */
export const APP_VERSION = readVersion();
