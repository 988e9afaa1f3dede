import * as fc from 'fast-check';
import { isDeepStrictEqual } from 'util';
import { jsonEqual } from '../../lib/util/json-equal';

/** A deep copy made in this realm (structuredClone's objects come from another one, which isDeepStrictEqual tells apart). */
function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  }
  return v;
}

/** A JSON value and a copy of it changed at one random place (or not at all). */
const pair = fc
  .jsonValue()
  .chain((a) => fc.tuple(fc.constant(a), fc.oneof(fc.constant(clone(a)), fc.jsonValue(), mutated(a))));

function mutated(a: unknown): fc.Arbitrary<unknown> {
  return fc.jsonValue().map((v) => {
    const copy = clone(a) as unknown;
    if (typeof copy !== 'object' || copy === null) return v;
    const keys = Object.keys(copy);
    if (keys.length === 0) return v;
    (copy as Record<string, unknown>)[keys[keys.length - 1]] = v;
    return copy;
  });
}

describe('jsonEqual', () => {
  it('answers as util.isDeepStrictEqual on JSON values, equal or not', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(jsonEqual(a, b)).toBe(isDeepStrictEqual(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers as util.isDeepStrictEqual where JSON and JavaScript differ', () => {
    const cases: [unknown, unknown][] = [
      [{ a: undefined }, {}],
      [{}, { a: undefined }],
      [[1, 2], { 0: 1, 1: 2 }],
      [[], {}],
      [NaN, NaN],
      [0, -0],
      ['1', 1],
      [null, {}],
      [null, undefined],
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
      [
        [1, 2],
        [2, 1],
      ],
      [new Map([[1, 2]]), new Map([[1, 3]])],
      [new Date(0), new Date(0)],
      [Object.create(null), {}],
      [{ nested: [{ x: [1, { y: null }] }] }, { nested: [{ x: [1, { y: null }] }] }],
      [{ nested: [{ x: [1, { y: null }] }] }, { nested: [{ x: [1, { y: 0 }] }] }],
    ];
    for (const [a, b] of cases) expect([a, b, jsonEqual(a, b)]).toEqual([a, b, isDeepStrictEqual(a, b)]);
  });

  it('compares what a manifest renders: symbol keys and properties of an array beyond its items do not count', () => {
    expect(jsonEqual(Object.assign([1], { extra: true }), [1])).toBe(true);
    expect(jsonEqual({ a: 1, [Symbol.for('s')]: 1 }, { a: 1 })).toBe(true);
    expect(jsonEqual(Object.assign([1], { extra: true }), [2])).toBe(false);
  });
});
