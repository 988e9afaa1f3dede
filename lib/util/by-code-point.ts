/**
 * Compares strings by UTF-16 code units (what `<` compares), for sorts whose order must not depend on the locale or
 * the machine: same input, same bytes out.
 */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
