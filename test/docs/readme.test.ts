import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { ENV_KEYS } from '../../src/config/index.js';
import { ROOT } from '../helpers/process.js';

const readme = readFileSync(`${ROOT}README.md`, 'utf8');
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> };

describe('README stays true', () => {
  test('shows the two quick-start commands', () => {
    assert.match(readme, /npm ci && npm start/);
    assert.match(readme, /^npm test$/m);
  });

  test('documents every environment variable the configuration reads', () => {
    const missing = Object.keys(ENV_KEYS).filter((k) => !readme.includes(`\`${k}\``));
    assert.deepEqual(missing, []);
  });

  test('documents every npm script', () => {
    const missing = Object.keys(pkg.scripts).filter(
      (s) => !new RegExp(`\\b${s.replace(':', '\\:')}\\b`).test(readme),
    );
    assert.deepEqual(missing, []);
  });

  test('names only layout folders that exist (DESIGN.md)', () => {
    const design = readFileSync(`${ROOT}DESIGN.md`, 'utf8');
    const block = design.slice(design.indexOf('## Layout'));
    const paths = [...block.matchAll(/^(src\/[\w\-/.]+)/gm)].map((m) => m[1] as string);
    assert.ok(paths.length > 10);
    const gone = paths.filter((p) => !existsSync(`${ROOT}${p}`));
    assert.deepEqual(gone, []);
  });
});
