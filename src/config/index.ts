import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigSchema, ENV_KEYS, type Config } from './schema.js';
import { OddsgateError } from '../core/errors.js';

export { ConfigSchema, ENV_KEYS, type Config } from './schema.js';

/** Raised when configuration is invalid; the message names the bad key. */
export class ConfigError extends OddsgateError<'CONFIG_INVALID'> {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
    this.name = 'ConfigError';
  }
}

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(a: Plain, b: Plain): Plain {
  const out: Plain = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    const prev = out[k];
    out[k] = isPlain(prev) && isPlain(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

function setPath(obj: Plain, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (!isPlain(next)) cur[p] = {};
    cur = cur[p] as Plain;
  }
  cur[parts[parts.length - 1] as string] = value;
}

function readJson(file: string): Plain {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`CONFIG: cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isPlain(parsed)) throw new Error('top level is not an object');
    return parsed;
  } catch (err) {
    throw new ConfigError(`CONFIG: ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Folder whose *.json files are merged first (alphabetically). Default: ./config. */
  configDir?: string | null;
  /** Extra values merged last (tests, CLI flags). */
  overrides?: Plain;
}

/**
 * Loads configuration: config/*.json, then the file named by CONFIG, then environment variables, then
 * overrides. Throws ConfigError naming the first bad key.
 */
export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  let raw: Plain = {};
  const dir = opts.configDir === undefined ? resolve('config') : opts.configDir;
  if (dir && existsSync(dir)) {
    for (const f of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      raw = deepMerge(raw, readJson(join(dir, f)));
    }
  }
  if (env.CONFIG) raw = deepMerge(raw, readJson(resolve(env.CONFIG)));
  const fromEnv: Plain = {};
  for (const [name, path] of Object.entries(ENV_KEYS)) {
    const v = env[name];
    if (v !== undefined && v !== '') setPath(fromEnv, path, v);
  }
  raw = deepMerge(raw, fromEnv);
  if (opts.overrides) raw = deepMerge(raw, opts.overrides);

  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    // An entry of a list (apiKeys.1) is named by its list's variable too.
    const envName = Object.entries(ENV_KEYS).find(([, p]) => p === path || path.startsWith(`${p}.`))?.[0];
    const key = envName ? `${path} (${envName})` : path || '(root)';
    throw new ConfigError(`invalid configuration: ${key}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
