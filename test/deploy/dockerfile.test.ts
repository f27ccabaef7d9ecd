import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { parseDockerfile, type Instruction } from './dockerfile.js';

const text = readFileSync('Dockerfile', 'utf8');
const all = parseDockerfile(text);
const lastStage = Math.max(...all.map((i) => i.stage));
const find = (list: Instruction[], keyword: string) => list.filter((i) => i.keyword === keyword);
/** Stage numbers by their `AS` name. */
const stages = new Map(
  find(all, 'FROM').map((f) => [/\sAS\s+(\S+)$/i.exec(f.args)?.[1]?.toLowerCase() ?? '', f.stage]),
);
/** What a stage runs with: the instructions of the stages it is built FROM, then its own. */
function chain(stage: number): Instruction[] {
  const own = all.filter((i) => i.stage === stage);
  const parent = stages.get(own[0]?.args.split(/\s+/)[0]?.toLowerCase() ?? '');
  return parent !== undefined && parent < stage ? [...chain(parent), ...own] : own;
}
const named = (name: string) => {
  const stage = stages.get(name);
  assert.ok(stage !== undefined, `a stage AS ${name}`);
  return chain(stage);
};
const runtime = chain(lastStage);
/** The target copies the application tree of the `app` stage into its working directory /app. */
const shipsApp = (target: Instruction[]) =>
  find(target, 'WORKDIR').at(-1)?.args === '/app' &&
  find(target, 'COPY').some((c) => /--from=app\b.*\s\/app\s+\.\/$/.test(c.args));

describe('Dockerfile', () => {
  test('is a multi-stage build on pinned Node 20 images', () => {
    const froms = find(all, 'FROM');
    assert.ok(froms.length >= 2, 'at least a build and a runtime stage');
    for (const f of froms) {
      const [image = '', as, name] = f.args.split(/\s+/);
      assert.ok(/^as$/i.test(as ?? '') && name, `named: FROM ${f.args}`);
      const earlier = stages.get(image.toLowerCase());
      assert.ok(
        /^node:20[\w.-]*$/.test(image) || image === 'scratch' || (earlier !== undefined && earlier < f.stage),
        `pinned Node 20, scratch or an earlier stage: FROM ${f.args}`,
      );
      assert.ok(!/:latest/.test(f.args));
    }
    assert.match(runtime[0]?.args ?? '', /^node:20/, 'the runtime is built on Node 20');
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
    // USER is the target's last instruction: everything it and its base run (CMD included) runs as it
    assert.equal(runtime.at(-1), users[0], 'USER last');
    const cmd = find(runtime, 'CMD')[0];
    assert.ok(cmd, 'CMD');
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
      find(named('app'), 'COPY').some((c) => /--from=build\b.*\/app\/dist\s+\/app\/dist$/.test(c.args)),
      'the app tree has the whole dist (static files included)',
    );
    assert.ok(shipsApp(runtime), 'the runtime gets the app tree');
    for (const c of find(all, 'COPY').filter((c) => !c.args.includes('--from='))) {
      const parts = c.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) assert.ok(existsSync(src), `COPY source ${src} exists`);
    }
    for (const c of find(all, 'COPY').filter((c) => c.args.includes('--from=build'))) {
      const src = c.args.split(/\s+/).filter((p) => !p.startsWith('--'))[0] ?? '';
      if (src.startsWith('/app/src/')) assert.ok(existsSync(src.slice('/app/'.length)), `${src} exists`);
    }
  });

  test('an `api` target for API replicas: same runtime, without Chromium', () => {
    const froms = find(all, 'FROM');
    const apiFrom = froms.find((f) => /\sAS\s+api$/i.test(f.args));
    assert.ok(apiFrom, 'FROM ... AS api');
    assert.ok(apiFrom.stage < lastStage, 'the default (last) target stays the full runtime');
    const api = chain(apiFrom.stage);
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
    assert.equal(api.at(-1)?.keyword, 'USER', 'USER last');
    assert.deepEqual(JSON.parse(find(api, 'CMD')[0]?.args ?? '[]'), ['node', 'bin/oddsgate.js', 'start']);
    assert.ok(shipsApp(api), 'the same app tree as the runtime (dashboard included)');
    for (const k of ['HEALTHCHECK', 'ENTRYPOINT', 'STOPSIGNAL', 'EXPOSE']) {
      assert.deepEqual(
        find(api, k).map((i) => i.args),
        find(runtime, k).map((i) => i.args),
        `${k} as the runtime's`,
      );
    }
    // its node_modules come from a stage that drops the npm-shipped Chromium, never from one with it
    const modules = find(api, 'COPY').filter((c) => /\s\.\/node_modules$/.test(c.args));
    assert.equal(modules.length, 1, 'node_modules copied once');
    const from = /--from=(\S+)/.exec(modules[0]?.args ?? '')?.[1] ?? '';
    assert.notEqual(from, 'build');
    assert.ok(
      find(named(from), 'RUN').some((r) => /\brm -rf node_modules\/@sparticuz\/chromium$/.test(r.args)),
      `no @sparticuz/chromium in the ${from} stage`,
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
