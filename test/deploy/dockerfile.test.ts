import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { parseDockerfile, type Instruction } from './dockerfile.js';

const text = readFileSync('Dockerfile', 'utf8');
const all = parseDockerfile(text);
const lastStage = Math.max(...all.map((i) => i.stage));
const runtime = all.filter((i) => i.stage === lastStage);
const find = (list: Instruction[], keyword: string) => list.filter((i) => i.keyword === keyword);

describe('Dockerfile', () => {
  test('is a multi-stage build on pinned Node 20 images', () => {
    const froms = find(all, 'FROM');
    assert.ok(froms.length >= 2, 'at least a build and a runtime stage');
    for (const f of froms) {
      assert.match(f.args, /^node:20[\w.-]*\s+AS\s+\w+$/i, `pinned and named: FROM ${f.args}`);
      assert.ok(!/:latest/.test(f.args));
    }
    const copies = find(runtime, 'COPY').filter((c) => c.args.includes('--from='));
    assert.ok(copies.length >= 2, 'the runtime copies the build output, not the sources');
    assert.ok(
      find(runtime, 'RUN').every((r) => !/npm (ci|install)/.test(r.args)),
      'no dependency install at runtime',
    );
  });

  test('runs as a non-root user, with Chromium, tini and a health check', () => {
    const users = find(runtime, 'USER');
    assert.equal(users.length, 1);
    assert.ok(!/^(root|0)(:|$)/.test(users[0]?.args ?? ''), `USER ${users[0]?.args}`);
    const cmd = find(runtime, 'CMD')[0];
    assert.ok(cmd && users[0] && users[0].line < cmd.line, 'USER before CMD');
    assert.ok(
      find(runtime, 'RUN').some((r) => /apt-get install[^&]*\bchromium\b/.test(r.args)),
      'Chromium inside',
    );
    assert.match(
      find(runtime, 'ENV')
        .map((e) => e.args)
        .join(' '),
      /CHROMIUM_PATH=\/usr\/bin\/chromium/,
    );
    const hc = find(runtime, 'HEALTHCHECK')[0];
    assert.ok(hc, 'HEALTHCHECK');
    assert.match(hc.args, /--interval=\d+s/);
    assert.match(hc.args, /CMD .*\/healthz/);
    assert.match(find(runtime, 'ENTRYPOINT')[0]?.args ?? '', /tini/, 'signals reach node (drain on SIGTERM)');
    assert.deepEqual(JSON.parse(cmd.args), ['node', 'bin/oddsgate.js', 'start']);
  });

  test('builds with npm run build (which ships the static files into dist), and every copied source exists', () => {
    const build = all.filter((i) => i.stage < lastStage);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts['build'], 'node scripts/build.mjs');
    const copied = find(build, 'COPY').map((c) => c.args.split(/\s+/).filter((p) => !p.startsWith('--')));
    for (const need of ['scripts/build.mjs', 'tsconfig.build.json', 'src']) {
      assert.ok(
        copied.some((parts) => parts.slice(0, -1).some((p) => p === need || need.startsWith(`${p}/`))),
        `the build stage copies ${need}`,
      );
    }
    assert.ok(find(build, 'RUN').some((r) => /npm run build/.test(r.args)));
    assert.ok(
      find(runtime, 'COPY').some((c) => /--from=build\b.*\/app\/dist\s+\.\/dist$/.test(c.args)),
      'the runtime gets the whole dist (static files included)',
    );
    for (const c of find(all, 'COPY').filter((c) => !c.args.includes('--from='))) {
      const parts = c.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) assert.ok(existsSync(src), `COPY source ${src} exists`);
    }
    for (const c of find(runtime, 'COPY').filter((c) => c.args.includes('--from=build'))) {
      const src = c.args.split(/\s+/).filter((p) => !p.startsWith('--'))[0] ?? '';
      if (src.startsWith('/app/src/')) assert.ok(existsSync(src.slice('/app/'.length)), `${src} exists`);
    }
  });

  test('an `api` target for API replicas: same runtime, without Chromium', () => {
    const froms = find(all, 'FROM');
    const apiFrom = froms.find((f) => /\sAS\s+api$/i.test(f.args));
    assert.ok(apiFrom, 'FROM ... AS api');
    assert.ok(apiFrom.stage < lastStage, 'the default (last) target stays the full runtime');
    const api = all.filter((i) => i.stage === apiFrom.stage);
    assert.ok(
      find(api, 'RUN').every((r) => !/chromium/.test(r.args)),
      'no Chromium',
    );
    assert.ok(
      find(api, 'RUN').some((r) => /apt-get install[^&]*\btini\b/.test(r.args)),
      'tini',
    );
    assert.match(
      find(api, 'ENV')
        .map((e) => e.args)
        .join(' '),
      /ROLE=api/,
    );
    assert.ok(
      !/CHROMIUM_PATH/.test(
        find(api, 'ENV')
          .map((e) => e.args)
          .join(' '),
      ),
    );
    assert.equal(find(api, 'USER')[0]?.args, 'node');
    assert.deepEqual(JSON.parse(find(api, 'CMD')[0]?.args ?? '[]'), ['node', 'bin/oddsgate.js', 'start']);
    assert.ok(
      api.some(
        (c) => c.keyword === 'COPY' && /dashboard\/static\s+\.\/dist\/http\/dashboard\/static/.test(c.args),
      ),
      'the dashboard too',
    );
  });

  test('the parser joins continuations and numbers stages', () => {
    const parsed = parseDockerfile('FROM a AS b\n# c\nRUN x \\\n  && y\nFROM d AS e\nUSER node\n');
    assert.deepEqual(
      parsed.map((i) => [i.keyword, i.args, i.stage]),
      [
        ['FROM', 'a AS b', 0],
        ['RUN', 'x && y', 0],
        ['FROM', 'd AS e', 1],
        ['USER', 'node', 1],
      ],
    );
  });
});
