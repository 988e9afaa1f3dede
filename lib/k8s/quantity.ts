/**
 * Kubernetes resource quantities (`250m`, `1.5`, `128Mi`, `1G`, `1e3`), as the API server parses them.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

const SUFFIX: Readonly<Record<string, number>> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity's value in base units (cores, bytes), or undefined when it is not a valid quantity. */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const m = QUANTITY.exec(value.trim() === value ? value : '');
  if (!m) return undefined;
  const [, num, suffix = ''] = m;
  // `E` alone is exa (10^18) and `Ei` exbi; only e/E followed by digits is a decimal exponent.
  const factor = /^[eE][+-]?[0-9]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIX[suffix];
  const parsed = Number(num) * factor;
  // '1e400' matches the grammar but is no number: the API server refuses quantities it cannot represent.
  return Number.isFinite(parsed) ? parsed : undefined;
}

export function isValidQuantity(value: string | number): boolean {
  return parseQuantity(value) !== undefined;
}
