import { matchesLabels, parseLabelSelector, selectorMatches, selectsEverything } from '../../lib/k8s/label-selector';

const labels = { app: 'web', tier: 'frontend' };

describe('label selectors', () => {
  it('matches everything with an empty or missing selector', () => {
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches(undefined, {})).toBe(true);
    expect(selectorMatches(null, undefined)).toBe(true);
    expect(selectsEverything(parseLabelSelector({ matchLabels: {}, matchExpressions: [] })!)).toBe(true);
    expect(selectsEverything(parseLabelSelector({ matchLabels: { app: 'web' } })!)).toBe(false);
  });

  it('requires every matchLabels pair', () => {
    expect(selectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web', tier: 'backend' } }, labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'web' } }, undefined)).toBe(false);
  });

  it.each([
    ['In', { key: 'tier', operator: 'In', values: ['frontend', 'edge'] }, true],
    ['In, other value', { key: 'tier', operator: 'In', values: ['backend'] }, false],
    ['In, missing key', { key: 'zone', operator: 'In', values: ['a'] }, false],
    ['NotIn', { key: 'tier', operator: 'NotIn', values: ['backend'] }, true],
    ['NotIn, listed value', { key: 'tier', operator: 'NotIn', values: ['frontend'] }, false],
    ['NotIn, missing key', { key: 'zone', operator: 'NotIn', values: ['a'] }, true],
    ['Exists', { key: 'app', operator: 'Exists' }, true],
    ['Exists, missing key', { key: 'zone', operator: 'Exists' }, false],
    ['DoesNotExist', { key: 'zone', operator: 'DoesNotExist' }, true],
    ['DoesNotExist, present key', { key: 'app', operator: 'DoesNotExist' }, false],
  ])('matchExpressions %s', (_name, expression, expected) => {
    expect(selectorMatches({ matchExpressions: [expression] }, labels)).toBe(expected);
  });

  it('ANDs matchLabels and every expression', () => {
    const selector = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['frontend'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    };
    expect(selectorMatches(selector, labels)).toBe(true);
    expect(selectorMatches(selector, { ...labels, legacy: 'true' })).toBe(false);
  });

  it('does not treat inherited object properties as labels', () => {
    expect(selectorMatches({ matchExpressions: [{ key: 'toString', operator: 'Exists' }] }, labels)).toBe(false);
    expect(matchesLabels({ matchLabels: { constructor: 'x' } }, {})).toBe(false);
  });

  it.each([
    ['a string', 'app=web'],
    ['an array', [{ key: 'app', operator: 'Exists' }]],
    ['non-string label values', { matchLabels: { replicas: 3 } }],
    ['an unknown operator', { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] }],
    ['In without values', { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }],
    ['Exists with values', { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['web'] }] }],
    ['an expression without key', { matchExpressions: [{ operator: 'Exists' }] }],
  ])('reads %s as malformed, which matches nothing', (_name, value) => {
    expect(parseLabelSelector(value)).toBeUndefined();
    expect(selectorMatches(value, labels)).toBe(false);
  });
});
