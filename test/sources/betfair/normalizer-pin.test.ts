/**
 * Pins what the Betfair pipeline hands to ingest for every recording in ../shared/data/betfair/historical:
 * a SHA-256 over every update of every file (event and market updates, in order, with every field, key
 * order, `undefined` fields and NaN/Infinity/-0 kept apart). The digests below were computed with the
 * normalizer as it was before the hot-path work (commit "pin the normalizer's output"), so an optimization
 * that changes a single field, key order or update fails here and names the file.
 *
 * Also checks that no update is mutated after the sink received it: structural sharing (reused runners and
 * ladders) must never let a later message change what ingest already holds.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, type Hash } from 'node:crypto';
import type { SourceUpdate } from '../../../src/model/index.js';
import { lines, readHistoricalFile } from '../../../src/sources/betfair/historical.js';
import { createBetfairPipeline } from '../../../src/sources/betfair/pipeline.js';
import { historicalPath } from './data.js';

/** Computed with the pre-optimization normalizer; see the header. */
const PINNED: Record<string, { updates: number; sha256: string }> = {
  'BASIC-1.132153978': {
    updates: 493,
    sha256: '226200a2b4ba143f7870f1a3c37676a6eedb4f16b95d7ebf6fdaec830abcbc77',
  },
  '1.185781277.bz2': {
    updates: 7613,
    sha256: '631ce7421cd8aabfec953d1e9574e3c3d8e178b1940559e5ad2bd4aab49b03f5',
  },
  '1.205822330.bz2': {
    updates: 5679,
    sha256: 'f69b04245d60c9a43e787116e1e4ff84665b65c576f215bfb3c4cdb13ad9b5e3',
  },
  '1.127236622.bz2': {
    updates: 16207,
    sha256: 'c3a01fe467c7eb5462f8aac17e61008c33676d7e93d5bb911c15d73d02b81c53',
  },
  '1.197931750': { updates: 169, sha256: '7831b9ffb90a7a716b38211cbb8fe46f544f391fe42a252340d53b4b59ed6c37' },
  '1.200806927.bz2': {
    updates: 18537,
    sha256: '2cb57d756cf34b1842915982f72721f47c23e459bebe21caa0bc20c200b1a9a3',
  },
  '29788105.bz2': {
    updates: 11126,
    sha256: '3278aa400d2af0ec0c15514af063c45ba02c9fea2d0e09246c6b3e1d67b62d6d',
  },
};

/**
 * JSON with what JSON.stringify merges told apart: `undefined` fields (kept, with their key), NaN,
 * Infinity and -0. Key order is kept (it is what a consumer serializing the update sees).
 */
function updateText(u: SourceUpdate): string {
  return JSON.stringify(u, (_k, v: unknown) => {
    if (v === undefined) return '\u0000undefined';
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)))
      return `\u0000${Object.is(v, -0) ? '-0' : v}`;
    return v;
  });
}

const digest = (text: string): string => createHash('sha1').update(text).digest('base64');

interface Replay {
  updates: number;
  sha256: string;
  /** Updates whose serialization at the end differs from the one at the sink. */
  mutated: number;
}

async function replay(file: string): Promise<Replay> {
  const hash: Hash = createHash('sha256');
  // Per update a digest of its text at the sink (the texts themselves would take hundreds of MB).
  const held: { update: SourceUpdate; digest: string }[] = [];
  const p = createBetfairPipeline({
    source: 'historical',
    maxLatencyMs: null,
    sink: (batch) => {
      hash.update(`#${batch.length}\n`);
      for (const u of batch) {
        const text = updateText(u);
        hash.update(text);
        hash.update('\n');
        held.push({ update: u, digest: digest(text) });
      }
    },
  });
  const { text } = await readHistoricalFile(historicalPath(file));
  for (const line of lines(text)) p.handleLine(line);
  let mutated = 0;
  for (const h of held) if (digest(updateText(h.update)) !== h.digest) mutated++;
  return { updates: held.length, sha256: hash.digest('hex'), mutated };
}

const FILES = Object.keys(PINNED);

describe('normalizer output pinned on the recorded files', () => {
  for (const file of FILES) {
    test(file, async () => {
      const r = await replay(file);
      assert.equal(r.mutated, 0, 'updates changed after the sink received them');
      assert.ok(r.updates > 0);
      assert.deepEqual({ updates: r.updates, sha256: r.sha256 }, PINNED[file]);
    });
  }
});
