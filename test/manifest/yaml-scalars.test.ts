import { parse } from 'yaml';
import { KUBERNETES_YAML_OPTIONS, resolvePlainScalar } from '../../lib/manifest/yaml-scalars';

// Expected values follow go-yaml v2's resolve() as vendored by sigs.k8s.io/yaml (what kubectl and helm use).
const CASES: readonly (readonly [string, unknown])[] = [
  ['yes', true],
  ['Yes', true],
  ['ON', true],
  ['y', true],
  ['True', true],
  ['no', false],
  ['Off', false],
  ['N', false],
  ['FALSE', false],
  ['', null],
  ['~', null],
  ['Null', null],
  ['0644', 420],
  ['0', 0],
  ['-0', 0],
  ['08', 8],
  ['1_000', 1000],
  ['0x1F', 31],
  ['-0b101', -5],
  ['0o17', 15],
  ['+12', 12],
  ['1e3', 1000],
  ['1.20', 1.2],
  ['.5', 0.5],
  ['-.5', -0.5],
  ['+.inf', Infinity],
  ['-.INF', -Infinity],
  ['2024-01-02', '2024-01-02'],
  ['yesterday', 'yesterday'],
  ['nginx:1.25', 'nginx:1.25'],
  ['-', '-'],
  ['-inf', '-inf'],
  ['.5e', '.5e'],
  ['_1', '_1'],
  ['0x', '0x'],
];

describe('Kubernetes plain scalar resolution', () => {
  it.each(CASES)('reads %j as %j', (text, expected) => {
    expect(resolvePlainScalar(text)).toEqual(expected);
  });

  it('reads .nan as NaN', () => {
    expect(resolvePlainScalar('.nan')).toBeNaN();
  });

  // (`v: -` is not valid YAML: a lone dash starts a sequence.)
  it.each(CASES.filter(([t]) => t !== '-'))('gives the yaml package the same reading of `v: %s`', (text, expected) => {
    expect(parse(`v: ${text}\n`, KUBERNETES_YAML_OPTIONS)).toEqual({ v: expected });
  });

  it('keeps quoted scalars as strings and reads block scalars as text', () => {
    expect(parse(`a: "yes"\nb: '0644'\nc: |\n  on\n`, KUBERNETES_YAML_OPTIONS)).toEqual({
      a: 'yes',
      b: '0644',
      c: 'on\n',
    });
  });

  it('supports << merge keys like go-yaml and rejects duplicate keys', () => {
    expect(parse('base: &b {x: 1}\nobj:\n  <<: *b\n  z: 2\n', KUBERNETES_YAML_OPTIONS)).toEqual({
      base: { x: 1 },
      obj: { x: 1, z: 2 },
    });
    expect(() => parse('a: 1\na: 2\n', KUBERNETES_YAML_OPTIONS)).toThrow('Map keys must be unique');
  });
});
