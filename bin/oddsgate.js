#!/usr/bin/env node
// CLI entry. Runs the compiled build or the TypeScript sources via tsx, as bin/entry.js decides
// (ODDSGATE_FROM=src|dist chooses; else a complete, current dist/ wins).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { chooseEntry } from './entry.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let entry;
try {
  entry = chooseEntry(root);
} catch (err) {
  console.error(`oddsgate: ${err.message}`);
  process.exit(2);
}
if (entry.note) console.error(`oddsgate: ${entry.note}`);
if (entry.from === 'src') {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(pathToFileURL(entry.file).href);
