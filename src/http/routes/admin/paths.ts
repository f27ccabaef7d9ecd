/** First segments of absolute filesystem paths (Linux and macOS) that admin bodies must not show. */
const ROOTS = [
  'home',
  'root',
  'work',
  'tmp',
  'var',
  'usr',
  'opt',
  'srv',
  'mnt',
  'etc',
  'data',
  'app',
  'Users',
  'private',
  'proc',
  'run',
  'media',
  'nix',
  'snap',
  'lib',
  'bin',
  'dev',
  'sys',
  'Volumes',
];
/** An absolute path under one of ROOTS, not part of a URL (`host/…`, `//…`) or a relative path. */
const ABSOLUTE = new RegExp(`(?<![\\w.~/:@%-])/(?:${ROOTS.join('|')})(?:/[^\\s"'\`,;:()<>\\\\/]+)+`, 'g');

/**
 * Text (an admin response body) with no absolute filesystem path: paths under the working directory become
 * relative (`config/recordings/x.ndjson`), any other absolute path keeps only its file name. Source
 * statuses and error messages carry the paths they were configured with; the admin surface shows where
 * a file is only as far as the operator's own configuration would.
 */
export function withoutPaths(text: string, cwd: string = process.cwd()): string {
  let out = cwd.length > 1 ? text.split(`${cwd}/`).join('') : text;
  out = out.replace(ABSOLUTE, (path) => path.slice(path.lastIndexOf('/') + 1));
  return out;
}
