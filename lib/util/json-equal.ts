import { isDeepStrictEqual } from 'util';

/**
 * Whether two values are equal as the JSON data a manifest is made of: plain objects with the same own enumerable
 * string keys (in any order) and equal values, arrays of the same length with equal items, and primitives that are
 * `Object.is` (so `-0` is not `0`, as YAML writes them differently). For JSON-shaped values this is
 * `util.isDeepStrictEqual`'s answer, in a few loops; it ignores what no manifest carries (symbol keys, properties
 * of an array beyond its items). Anything else (a Map, a Date, a class instance) is handed to isDeepStrictEqual.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const protoA = Object.getPrototypeOf(a) as unknown;
  const protoB = Object.getPrototypeOf(b) as unknown;
  if (protoA === Array.prototype && protoB === Array.prototype) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!jsonEqual(x[i], y[i])) return false;
    return true;
  }
  if (protoA !== Object.prototype || protoB !== Object.prototype) return isDeepStrictEqual(a, b);
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const k in x) {
    if (!Object.prototype.hasOwnProperty.call(x, k)) continue;
    if (!Object.prototype.hasOwnProperty.call(y, k) || !jsonEqual(x[k], y[k])) return false;
    count++;
  }
  for (const k in y) if (Object.prototype.hasOwnProperty.call(y, k)) count--;
  return count === 0;
}
