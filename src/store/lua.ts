import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StoreKeys } from './keys.js';
import type { LeaseFence } from './types.js';

/**
 * A Lua script run with EVALSHA (falling back to EVAL once when the server lost its script cache, e.g.
 * after a restart). Scripts are loaded at connect and on every reconnect, so the fallback is rare.
 * Arguments go as one array (no spread), so large commits do not hit the call-stack limit.
 */
export class LuaScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script in one round trip (two when the server does not know it yet). */
  async run(client: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    const rest = [keys.length, ...keys, ...args];
    try {
      return await client.call('evalsha', [this.sha, ...rest]);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return client.call('eval', [this.source, ...rest]);
    }
  }

  /** Loads the script into the server's cache. */
  async load(client: Redis): Promise<void> {
    await client.script('LOAD', this.source);
  }
}

/**
 * Lua that refuses the write unless the ingest lease (KEYS[keyIndex]) holds this writer's token
 * (ARGV[argIndex]; "" = the store is not fenced, no check): one GET inside the caller's script, so the
 * check and the write are atomic and cost no round trip. Held by another instance: error `FENCED`
 * (this writer must stop); lease free (expired, e.g. Redis was away): error `LEASEFREE` (transient: the
 * holder takes it back at its next renewal, or someone else does and the next try is `FENCED`).
 */
function fenceCheck(keyIndex: number, argIndex: number): string {
  return `
if ARGV[${argIndex}] ~= '' then
  local leaseHolder = redis.call('GET', KEYS[${keyIndex}])
  if leaseHolder ~= ARGV[${argIndex}] then
    if leaseHolder then return redis.error_reply('FENCED ingest lease held by another instance') end
    return redis.error_reply('LEASEFREE ingest lease not held (expired)')
  end
end`;
}

/**
 * Applies a commit and appends it to the update log, atomically, in one call.
 * KEYS: sports, events, markets, market-event, results, results:by-time, result-sport, log, and the
 * ingest lease when fenced (see fenceCheck).
 * ARGV: event-markets prefix, results:by-sport prefix, score doc prefix, log max length, log max age ms
 * (0: none), fence token ("" when not fenced), then six values per change (type, key, data, aux1, aux2,
 * rooms: see codec.ts). Returns the new stream ids in order; a fenced commit that the lease refuses
 * writes nothing. A `notice` changes no state; `rooms` (when not empty) is logged as field `r`.
 * XADD * takes ids from the server clock; the log is trimmed once per commit: MAXLEN ~ max length, and
 * MINID ~ (time of the newest id − max age), so both bounds hold up to one stream node (~100 entries).
 */
export const COMMIT_SCRIPT = new LuaScript(
  'commit',
  `${fenceCheck(9, 6)}
local emPrefix, rsPrefix, scorePrefix = ARGV[1], ARGV[2], ARGV[3]
local ids = {}
local function hdelAll(key, fields)
  for j = 1, #fields, 1000 do
    redis.call('HDEL', key, unpack(fields, j, math.min(j + 999, #fields)))
  end
end
local function unindexMarket(k)
  local old = redis.call('HGET', KEYS[4], k)
  if old then
    redis.call('SREM', emPrefix .. old, k)
    redis.call('HDEL', KEYS[4], k)
  end
end
for i = 7, #ARGV, 6 do
  local t, k, d, a1, a2, r = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  if t == 'sport' then
    redis.call('HSET', KEYS[1], k, d)
  elseif t == 'event' then
    redis.call('HSET', KEYS[2], k, d)
  elseif t == 'market' then
    unindexMarket(k)
    redis.call('HSET', KEYS[3], k, d)
    redis.call('HSET', KEYS[4], k, a1)
    redis.call('SADD', emPrefix .. a1, k)
  elseif t == 'marketRemoved' then
    unindexMarket(k)
    redis.call('SREM', emPrefix .. d, k)
    redis.call('HDEL', KEYS[3], k)
  elseif t == 'eventRemoved' then
    local mids = redis.call('SMEMBERS', emPrefix .. k)
    if #mids > 0 then
      hdelAll(KEYS[3], mids)
      hdelAll(KEYS[4], mids)
    end
    redis.call('DEL', emPrefix .. k, scorePrefix .. k)
    redis.call('HDEL', KEYS[2], k)
  elseif t == 'result' then
    local oldSport = redis.call('HGET', KEYS[7], k)
    if oldSport and oldSport ~= a2 then redis.call('ZREM', rsPrefix .. oldSport, k) end
    redis.call('HSET', KEYS[5], k, d)
    redis.call('HSET', KEYS[7], k, a2)
    redis.call('ZADD', KEYS[6], a1, k)
    redis.call('ZADD', rsPrefix .. a2, a1, k)
  elseif t == 'score' then
    redis.call('SET', scorePrefix .. k, d)
  elseif t == 'notice' then
    -- broker-only message: logged, no state
  else
    return redis.error_reply('ERR oddsgate commit: unknown change type ' .. tostring(t))
  end
  if r ~= '' then
    ids[#ids + 1] = redis.call('XADD', KEYS[8], '*', 't', t, 'k', k, 'd', d, 'r', r)
  else
    ids[#ids + 1] = redis.call('XADD', KEYS[8], '*', 't', t, 'k', k, 'd', d)
  end
end
redis.call('XTRIM', KEYS[8], 'MAXLEN', '~', ARGV[4])
local maxAge = tonumber(ARGV[5])
if maxAge > 0 and #ids > 0 then
  local newest = tonumber(string.match(ids[#ids], '^(%d+)'))
  if newest > maxAge then redis.call('XTRIM', KEYS[8], 'MINID', '~', tostring(newest - maxAge)) end
end
return ids
`,
);

/** KEYS of COMMIT_SCRIPT, in its order. */
export function commitKeys(k: StoreKeys, fence: LeaseFence | null): string[] {
  const keys = [
    k.sports,
    k.events,
    k.markets,
    k.marketEvent,
    k.results,
    k.resultsByTime,
    k.resultSport,
    k.log,
  ];
  if (fence) keys.push(fence.key);
  return keys;
}

/** ARGV prefix of COMMIT_SCRIPT (the per-change values follow). */
export function commitArgs(
  k: StoreKeys,
  logMaxLen: number,
  logMaxAgeMs: number,
  fence: LeaseFence | null,
): string[] {
  const age = Number.isFinite(logMaxAgeMs) ? String(Math.max(0, Math.round(logMaxAgeMs))) : '0';
  const token = fence?.token ?? '';
  return [k.eventMarketsPrefix, k.resultsBySportPrefix, k.doc('score:'), String(logMaxLen), age, token];
}

/**
 * Points an upstream id at an internal event id (HSET), refused like a commit unless the lease is this
 * writer's. KEYS: ids hash of the source, ingest lease (when fenced). ARGV: upstream id, event id, fence token.
 */
export const LINK_ID_SCRIPT = new LuaScript(
  'link-id',
  `${fenceCheck(2, 3)}
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`,
);

/**
 * Returns the internal id of an upstream id, allocating base + INCR(seq) when new; atomic, so concurrent
 * callers (any number of processes) agree. KEYS: ids hash of the source, id sequence. ARGV: upstream id, base.
 */
export const RESOLVE_ID_SCRIPT = new LuaScript(
  'resolve-id',
  `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v then return tonumber(v) end
local id = tonumber(ARGV[2]) + redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], ARGV[1], tostring(id))
return id
`,
);
