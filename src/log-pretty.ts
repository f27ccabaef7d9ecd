import { Writable } from 'node:stream';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
const COLORS: Record<number, string> = { 20: '\x1b[90m', 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[35m' };
const RESET = '\x1b[0m';
/** Fields every line has, shown in the line's head rather than as key=value. */
const HEAD = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/**
 * One pino JSON line as a human-readable one: `12:34:56.789 INFO  message key=value ...` (colored by
 * level when `color`). Lines that are not JSON objects are returned as they are. The JSON was already
 * redacted by pino, so nothing secret is added here.
 */
export function prettyLine(json: string, color = false): string {
  let obj: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return json;
    obj = parsed as Record<string, unknown>;
  } catch {
    return json;
  }
  const level = typeof obj.level === 'number' ? obj.level : 30;
  const time = typeof obj.time === 'number' ? new Date(obj.time).toISOString().slice(11, 23) : '';
  const rest = Object.entries(obj)
    .filter(([k]) => !HEAD.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const name = LEVELS[level] ?? String(level);
  const tag = color && COLORS[level] ? `${COLORS[level]}${name}${RESET}` : name;
  return `${time} ${tag} ${String(obj.msg ?? '')}${rest ? ` ${rest}` : ''}`;
}

/** A pino destination writing prettyLine() of each line to `out` (a terminal). */
export function prettyStream(out: NodeJS.WritableStream & { isTTY?: boolean }): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      const text = chunk
        .toString()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => prettyLine(l, out.isTTY === true))
        .join('\n');
      out.write(`${text}\n`);
      cb();
    },
  });
}
