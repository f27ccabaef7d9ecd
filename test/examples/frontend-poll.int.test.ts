import { test } from 'node:test';
import assert from 'node:assert/strict';
import { feed, TEST_PASSWORD } from '../helpers/app.js';
import { sampleUpdates } from '../helpers/fixtures.js';
import { spawnNode, waitFor } from '../helpers/process.js';
import { listeningApp, priceUpdate } from '../broker/helpers.js';

test(
  'examples/frontend-poll.ts downloads /games once, then gets 304 until the list changes',
  { timeout: 60_000 },
  async () => {
    const { app, url } = await listeningApp();
    const base = url.replace(/^ws:/, 'http:').replace(/\/ws$/, '');
    try {
      await feed(app, sampleUpdates());
      const poller = spawnNode(
        [
          '--import',
          'tsx',
          'examples/frontend-poll.ts',
          '--url',
          base,
          '--password',
          TEST_PASSWORD,
          '--interval',
          '300',
        ],
        {},
      );
      try {
        await waitFor(
          async () => ((poller.output().match(/^304 not modified/gm) ?? []).length >= 2 ? true : undefined),
          30_000,
          'two 304s',
        );
        const before = poller.output();
        assert.match(before, /^200 4 games \(etag W\/"[^"]+"\)/m);
        assert.equal((before.match(/^200 /gm) ?? []).length, 1, 'downloaded once while nothing changed');
        await feed(app, [priceUpdate(9)]);
        await waitFor(
          async () => ((poller.output().match(/^200 /gm) ?? []).length >= 2 ? true : undefined),
          10_000,
          'a new download after the change',
        );
        const etags = [...poller.output().matchAll(/etag (W\/"[^"]+")/g)].map((m) => m[1]);
        assert.notEqual(etags[0], etags[1], 'a new version, a new ETag');
      } finally {
        await poller.stop(2000);
      }
    } finally {
      await app.close();
    }
  },
);
