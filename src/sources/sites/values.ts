/** Small pure helpers of the site normalizer: dotted paths into JSON, amounts as sites write them. */

/** The value at a dotted path ("data", "a.b.0"); "" is the value itself. Undefined when absent. */
export function getPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  let cur: unknown = value;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const UNITS: Readonly<Record<string, number>> = { k: 1e3, m: 1e6, b: 1e9, l: 1e5, cr: 1e7 };

/**
 * Parses an amount as sites show it: numbers, "6.40", "1,250", "42k", "42.5K", "2m", "1.2M", "3L" (lakh),
 * "1cr". NaN when it is not an amount ("", "-", "SUSPENDED").
 */
export function parseAmount(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (typeof v !== 'string') return NaN;
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(k|m|b|l|cr)?\s*$/i.exec(v.replace(/,/g, ''));
  if (!m || m[1] === undefined) return NaN;
  const unit = m[2] ? (UNITS[m[2].toLowerCase()] ?? 1) : 1;
  return Math.round(Number(m[1]) * unit * 1e6) / 1e6;
}

/** A string field ("" when absent or not a scalar). */
export function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** A boolean field: true, "true", 1, "1", "yes". */
export function bool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  return typeof v === 'string' && /^(true|1|yes|y)$/i.test(v.trim());
}

/** An array field ([] when absent). */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Parses JSON text, undefined when absent or invalid. */
export function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** ISO 8601 from a site time; times without a zone are UTC ("2026-05-16T15:00:00"). Null when invalid. */
export function isoTime(v: unknown): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? new Date(v).toISOString() : null;
  const s = str(v).trim();
  if (!s) return null;
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(s) ? s : `${s.replace(' ', 'T')}Z`;
  const t = Date.parse(zoned);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** The `src` of an iframe snippet, or the text itself when it is a URL; null otherwise. */
export function linkOf(v: unknown): string | null {
  const s = str(v).trim();
  if (!s) return null;
  const m = /src\s*=\s*['"]([^'"]+)['"]/i.exec(s);
  if (m?.[1]) return m[1];
  return /^https?:\/\//i.test(s) ? s : null;
}

/** A stable positive integer id for a name (selection ids of runners a site gives no id for). */
export function nameId(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 2_000_000_000;
}
