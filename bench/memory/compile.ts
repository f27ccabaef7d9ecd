import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../lib/child.js';

/**
 * Compiles what the memory benchmark's server runs (src, bench/lib, bench/memory) to plain JavaScript, as
 * production runs it (`npm run build`, `node dist/...`): measured under tsx, the process also carries the
 * tsx loader (its hooks thread, esbuild's transform cache and source maps), ~30 MB of RSS production does
 * not have. Transpile only (no type check: `npm run typecheck` does that), into node_modules/.cache so
 * packages resolve as from the repository. Returns the output directory.
 */
export function compileForBench(): string {
  const out = join(ROOT, 'node_modules', '.cache', 'oddsgate-bench-memory');
  rmSync(out, { recursive: true, force: true });
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (f) => readFileSync(f, 'utf8'));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  // ES modules, as package.json "type": "module" makes every file (transpileModule cannot see that).
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    sourceMap: false,
    declaration: false,
  };
  for (const dir of ['src', 'bench/lib', 'bench/memory']) {
    for (const file of walk(join(ROOT, dir))) {
      const rel = relative(ROOT, file);
      const target = join(out, rel);
      mkdirSync(dirname(target), { recursive: true });
      if (!file.endsWith('.ts') || file.endsWith('.d.ts')) {
        if (!file.endsWith('.d.ts')) cpSync(file, target);
        continue;
      }
      const js = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
      writeFileSync(target.replace(/\.ts$/, '.js'), js.outputText);
    }
  }
  return out;
}

function* walk(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}
