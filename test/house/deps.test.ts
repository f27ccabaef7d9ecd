/**
 * The layer rules of .dependency-cruiser.cjs (npm run lint:deps) hold on src/, and each one fails on a
 * deliberate violation: a throwaway tree under a temp dir, cruised with the same configuration.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../helpers/process.js';

const CRUISER = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

function cruise(cwd: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [CRUISER, 'src', '--config', CONFIG, '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('dependency rules', () => {
  test('src/ keeps every rule', () => {
    const r = cruise(ROOT);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /no dependency violations found/);
  });

  describe('a deliberate violation of each rule fails the check', () => {
    let dir = '';
    let result: { status: number | null; out: string };
    const files: Record<string, string> = {
      'src/model/event.ts': "import { render } from '../http/render.js';\nexport const e = render;\n",
      'src/http/render.ts': "import { now } from '../core/clock.js';\nexport const render = now;\n",
      'src/core/clock.ts': "import { tick } from '../sources/tick.js';\nexport const now = tick;\n",
      'src/sources/tick.ts': "import { sim } from '../sim/engine.js';\nexport const tick = sim;\n",
      'src/sim/engine.ts': 'export const sim = 1;\n',
      'src/contracts/wire/shape.ts':
        "import { store } from '../../store/store.js';\nexport const s = store;\n",
      'src/store/store.ts': 'export const store = 1;\n',
      'src/broker/push.ts': "import { render } from '../http/render.js';\nexport const p = render;\n",
      'src/services/root.ts': "import { render } from '../http/render.js';\nexport const r = render;\n",
      'src/ingest/a.ts': "import { b } from '../matching/b.js';\nexport const a = () => b;\n",
      'src/matching/b.ts': "import { a } from '../ingest/a.js';\nexport const b = () => a;\n",
      'src/metrics/bench-use.ts': "import { x } from '../../bench/x.js';\nexport const y = x;\n",
      'bench/x.ts': 'export const x = 1;\n',
    };

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'oddsgate-deps-'));
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' },
          include: ['src'],
        }),
      );
      result = cruise(dir);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('the check exits non-zero', () => {
      assert.notEqual(result.status, 0, result.out);
    });

    for (const [rule, from] of [
      ['model-imports-nothing-internal', 'src/model/event.ts'],
      ['core-imports-nothing-internal', 'src/core/clock.ts'],
      ['contracts-import-model-and-core-only', 'src/contracts/wire/shape.ts'],
      ['sources-not-downstream', 'src/sources/tick.ts'],
      ['production-not-sim', 'src/sources/tick.ts'],
      ['broker-not-http', 'src/broker/push.ts'],
      ['services-not-http', 'src/services/root.ts'],
      ['src-not-bench-or-test', 'src/metrics/bench-use.ts'],
      ['no-folder-cycles', 'src/ingest'],
    ] as const) {
      test(`${rule} is reported (${from})`, () => {
        assert.match(result.out, new RegExp(`error ${rule}: ${from.replace(/[./]/g, '\\$&')}`), result.out);
      });
    }
  });
});
