/**
 * The function-length rule of eslint.config.js (issue 15: no function in src/ over 60 lines, blank lines
 * and comments not counted) holds where it should and nowhere else: the repository's own configuration
 * lints throwaway sources under src/, under src/records/migrations/ (exempt) and under test/ (not covered).
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { ROOT } from '../helpers/process.js';

const RULE = 'max-lines-per-function';

/** A function of exactly `lines` lines (its header and closing brace included), plus `padding` after each statement. */
function fn(lines: number, padding = ''): string {
  const body = Array.from({ length: lines - 4 }, () => `  x += 1;\n${padding}`).join('');
  return `export function long(): number {\n  let x = 0;\n${body}  return x;\n}\n`;
}

/** The same, run as an immediately invoked function expression. */
function iife(lines: number): string {
  const body = Array.from({ length: lines - 4 }, () => '  x += 1;\n').join('');
  return `export const y = (() => {\n  let x = 0;\n${body}  return x;\n})();\n`;
}

describe('function length rule', () => {
  let eslint: ESLint;
  before(() => {
    eslint = new ESLint({ cwd: ROOT });
  });

  /** The rule's messages for `code` linted as if it were the file at `path` (relative to the root). */
  async function lengthErrors(path: string, code: string): Promise<ESLint.LintResult['messages']> {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
    assert.ok(result, `no lint result for ${path}`);
    return result.messages.filter((m) => m.ruleId === RULE);
  }

  test('a 60-line function in src/ passes', async () => {
    assert.deepEqual(await lengthErrors('src/http/routes/probe.ts', fn(60)), []);
  });

  test('a 61-line function in src/ is an error', async () => {
    const errors = await lengthErrors('src/http/routes/probe.ts', fn(61));
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0]?.severity, 2);
    assert.match(errors[0]?.message ?? '', /too many lines \(61\)\. Maximum allowed is 60/);
  });

  test('blank lines and comments are not counted', async () => {
    const code = fn(60, '\n  // a comment\n');
    assert.ok(code.split('\n').length > 150, 'the probe is long in raw lines');
    assert.deepEqual(await lengthErrors('src/sim/probe.ts', code), []);
  });

  test('an immediately invoked function over 60 lines is an error', async () => {
    const errors = await lengthErrors('src/core/probe.ts', iife(61));
    assert.equal(errors.length, 1, JSON.stringify(errors));
  });

  test('migrations are exempt: a migration is kept whole as one script', async () => {
    assert.deepEqual(await lengthErrors('src/records/migrations/0099_probe.ts', fn(200)), []);
  });

  test('files outside src/ are not covered', async () => {
    assert.deepEqual(await lengthErrors('test/house/probe.test.ts', fn(200)), []);
  });
});
