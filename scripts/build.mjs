#!/usr/bin/env node
// `npm run build`: compiles src/ to dist/ with tsc (tsconfig.build.json), copies the runtime files tsc
// does not emit (every non-TypeScript file under src/ but the READMEs: the dashboard's and the simulated
// site's static files), and writes dist/BUILD_COMPLETE last. bin/oddsgate.js runs dist/ only when that
// marker is there, so a failed or interrupted build never becomes the server that starts.
// Usage: node scripts/build.mjs [--out-dir <dir>]   (default dist; tests build into a directory of their own)
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUILD_MARKER = 'BUILD_COMPLETE';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

function parseOutDir(argv) {
  const i = argv.indexOf('--out-dir');
  if (i === -1) return join(root, 'dist');
  const v = argv[i + 1];
  if (!v) throw new Error('--out-dir needs a directory');
  return resolve(v);
}

const outDir = parseOutDir(process.argv.slice(2));
// The output directory is wiped first (files of deleted sources must not linger); refuse anything that is
// not a directory of its own.
if (outDir === root || outDir === src || root.startsWith(outDir + sep) || outDir.startsWith(src + sep)) {
  console.error(`build: refusing to build into ${outDir}`);
  process.exit(2);
}
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const res = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], {
  cwd: root,
  stdio: 'inherit',
});
if (res.status !== 0) {
  console.error(
    `build: tsc failed (exit ${res.status ?? res.signal}); ${outDir} is left without ${BUILD_MARKER}`,
  );
  process.exit(res.status || 1);
}

/** Copies the non-TypeScript runtime files of `dir` (relative to src) into the output. */
function copyAssets(dir) {
  let n = 0;
  for (const entry of readdirSync(join(src, dir), { withFileTypes: true })) {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) n += copyAssets(rel);
    else if (entry.isFile() && !entry.name.endsWith('.ts') && !entry.name.endsWith('.md')) {
      mkdirSync(join(outDir, dir), { recursive: true });
      cpSync(join(src, rel), join(outDir, rel));
      n++;
    }
  }
  return n;
}
const copied = copyAssets('');
if (!existsSync(join(outDir, 'cli.js'))) {
  console.error(`build: ${join(outDir, 'cli.js')} missing after tsc`);
  process.exit(1);
}
writeFileSync(join(outDir, BUILD_MARKER), `${JSON.stringify({ builtAt: new Date().toISOString() })}\n`);
console.log(`build: ${relative(process.cwd(), outDir) || '.'} (${copied} static files copied)`);
