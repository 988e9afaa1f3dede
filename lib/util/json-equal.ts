import { isDeepStrictEqual } from 'util';

function isPlainObject(v: object): boolean {
  return Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * `util.isDeepStrictEqual` for JSON-shaped values (plain objects, arrays, strings, numbers, booleans, null), without
 * its generality: what a rendered manifest is made of compared in a few loops. Anything else (a Map, a Date, a class
 * instance, an array with extra properties) is handed to isDeepStrictEqual, so the answer is always its answer.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const arrayA = Array.isArray(a);
  if (arrayA !== Array.isArray(b)) return false;
  if (arrayA) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (
      x.length !== y.length ||
      Object.getPrototypeOf(x) !== Array.prototype ||
      Object.getPrototypeOf(y) !== Array.prototype ||
      Object.keys(x).length !== x.length ||
      Object.keys(y).length !== y.length
    ) {
      return isDeepStrictEqual(a, b);
    }
    for (let i = 0; i < x.length; i++) if (!jsonEqual(x[i], y[i])) return false;
    return true;
  }
  if (!isPlainObject(a) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return isDeepStrictEqual(a, b);
  if (Object.getOwnPropertySymbols(a).length > 0 || Object.getOwnPropertySymbols(b).length > 0) {
    return isDeepStrictEqual(a, b);
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) {
    if (!Object.prototype.hasOwnProperty.call(y, k) || !jsonEqual(x[k], y[k])) return false;
  }
  return true;
}
