import { isValidQuantity, parseQuantity } from '../../lib/k8s/quantity';

describe('parseQuantity', () => {
  it.each([
    ['250m', 0.25],
    ['1', 1],
    ['1.5', 1.5],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['1k', 1e3],
    ['1E', 1e18],
    ['1Ei', 2 ** 60],
    ['1e3', 1e3],
    ['1E3', 1e3],
    ['5e-3', 5e-3],
    ['100n', 100e-9],
  ])('%s = %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });

  it.each(['256MB', '1 Gi', '', 'Gi', '1.2.3', '1KiB', ' 1', 'e3'])('refuses %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
    expect(isValidQuantity(text)).toBe(false);
  });
});
