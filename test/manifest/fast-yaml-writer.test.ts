import fc from 'fast-check';
import { App, Chart, Yaml } from 'cdk8s';
import { stringify } from 'yaml';
import { HardenedDeployment } from '../../lib';
import { stringifyManifest, stringifyString } from '../../lib/manifest/fast-yaml-writer';
import { build } from '../../stacks/main';
import { IMAGE } from '../helpers/charts';

/** The call cdk8s 2.70's Yaml.stringify makes per document. */
const CDK8S_YAML_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;
/** cdk8s's own Yaml.stringify (its bundled `yaml`), taken before anything could replace it. */
const cdk8sStringify = Yaml.stringify.bind(Yaml);

/** Both references: the `yaml` package with cdk8s's options, and cdk8s's Yaml.stringify of the one document. */
function reference(doc: unknown): string {
  const viaYaml = stringify(doc, CDK8S_YAML_OPTIONS);
  expect(cdk8sStringify(doc)).toBe(viaYaml);
  return viaYaml;
}

/** Every document of every chart of `app`, in the order cdk8s writes them. */
function documents(app: App): unknown[] {
  return app.charts.flatMap((chart) => chart.toJson());
}

/** Writes every document; each written one must be the reference byte for byte. Returns how many were written. */
function writtenCount(docs: readonly unknown[]): number {
  let written = 0;
  for (const doc of docs) {
    const fast = stringifyManifest(doc);
    if (fast === undefined) continue;
    written++;
    expect(fast).toBe(reference(doc));
  }
  return written;
}

describe('stringifyManifest on the documents bulwark synthesizes', () => {
  it('writes the example app (stacks/main.ts) byte for byte as yaml does, at least 95 % of its documents', () => {
    const app = new App();
    build(app);
    const docs = documents(app);
    expect(docs.length).toBeGreaterThan(100);
    const written = writtenCount(docs);
    expect(written / docs.length).toBeGreaterThanOrEqual(0.95);
    // The one left to yaml: a SecretProviderClass whose `objects` parameter is a multi-line string (block scalar).
    const left = docs.filter((d) => stringifyManifest(d) === undefined).map((d) => (d as { kind: string }).kind);
    expect(left).toEqual(['SecretProviderClass']);
  });

  it('writes every document of a bench-sized app (200 workloads in a ring over 4 charts) as yaml does', () => {
    const app = new App();
    for (let c = 0; c < 4; c++) {
      const chart = new Chart(app, `team-${c}`, { namespace: `team-${c}` });
      const ring = Array.from(
        { length: 50 },
        (_, i) => new HardenedDeployment(chart, `w${c * 50 + i}`, { image: IMAGE, port: 8080 }),
      );
      ring.forEach((w, i) => w.allowFrom(ring[(i + ring.length - 1) % ring.length]));
    }
    const docs = documents(app);
    expect(docs.length).toBe(200 * 6);
    expect(writtenCount(docs)).toBe(docs.length);
  });
});

describe('stringifyManifest: layout', () => {
  it('writes nested maps, sequences of maps and of sequences, empty collections and null as yaml does', () => {
    const doc = {
      apiVersion: 'v1',
      kind: 'List',
      a: undefined,
      b: null,
      c: [undefined, null, 1, 1.5, 1e21, 1e-7, -3, true, false],
      d: {},
      e: [],
      f: [[1, 2], [], {}, { x: 1, z: [1] }, [[{}]]],
      g: { h: { i: [{ j: [{ k: 1, l: [{}] }] }] } },
    };
    const expected = [
      'apiVersion: v1',
      'kind: List',
      'a: null',
      'b: null',
      'c:',
      '  - null',
      '  - null',
      '  - 1',
      '  - 1.5',
      '  - 1e+21',
      '  - 1e-7',
      '  - -3',
      '  - true',
      '  - false',
      'd: {}',
      'e: []',
      'f:',
      '  - - 1',
      '    - 2',
      '  - []',
      '  - {}',
      '  - x: 1',
      '    z:',
      '      - 1',
      '  - - - {}',
      'g:',
      '  h:',
      '    i:',
      '      - j:',
      '          - k: 1',
      '            l:',
      '              - {}',
      '',
    ].join('\n');
    expect(stringifyManifest(doc)).toBe(expected);
    expect(reference(doc)).toBe(expected);
  });

  it('keeps the key order it is given, integer-like keys as JavaScript enumerates them (and quoted)', () => {
    const doc = { z: 1, a: 2, '10': 3, m: 4 };
    expect(stringifyManifest(doc)).toBe('"10": 3\nz: 1\na: 2\nm: 4\n');
    expect(reference(doc)).toBe('"10": 3\nz: 1\na: 2\nm: 4\n');
  });
});

describe('stringifyString: plain or quoted as yaml decides under YAML 1.1', () => {
  // value → how yaml writes it as a map value
  const CASES: ReadonlyArray<[string, string]> = [
    ['nginx', 'nginx'],
    ['app.kubernetes.io/name', 'app.kubernetes.io/name'],
    ['--port=8080', '--port=8080'],
    ['-v', '-v'],
    ['a:b', 'a:b'],
    ['http://x:80/y', 'http://x:80/y'],
    ['a#b', 'a#b'],
    ['it is', 'it is'],
    ["it's", "it's"],
    ['0o17', '0o17'],
    ['NaN', 'NaN'],
    ['', '""'],
    ['yes', '"yes"'],
    ['No', '"No"'],
    ['on', '"on"'],
    ['OFF', '"OFF"'],
    ['y', '"y"'],
    ['n', '"n"'],
    ['~', '"~"'],
    ['null', '"null"'],
    ['true', '"true"'],
    ['1', '"1"'],
    ['-1', '"-1"'],
    ['0755', '"0755"'],
    ['0x1F', '"0x1F"'],
    ['0b101', '"0b101"'],
    ['1_000', '"1_000"'],
    ['1.5', '"1.5"'],
    ['1e3', '"1e3"'],
    ['.inf', '".inf"'],
    ['-.Inf', '"-.Inf"'],
    ['.nan', '".nan"'],
    ['12:30', '"12:30"'],
    ['190:20:30.15', '"190:20:30.15"'],
    ['2024-01-01', '"2024-01-01"'],
    ['2001-12-14t21:59:43.10-05:00', '"2001-12-14t21:59:43.10-05:00"'],
    [' a', '" a"'],
    ['a ', '"a "'],
    ['a: b', '"a: b"'],
    ['a #b', '"a #b"'],
    ['a:', '"a:"'],
    ['-', '"-"'],
    ['- a', '"- a"'],
    ['@x', '"@x"'],
    ['`x', '"`x"'],
    ['%x', '"%x"'],
    ['*x', '"*x"'],
    ['&x', '"&x"'],
    ['!x', '"!x"'],
    ['|x', '"|x"'],
    ['>x', '">x"'],
    ['#x', '"#x"'],
    ['{x}', '"{x}"'],
    ['[x]', '"[x]"'],
    [',x', '",x"'],
    ["'x'", `"'x'"`],
    ['"x"', `'"x"'`],
    ['say "hi": now', `'say "hi": now'`],
    [`"it's"`, `"\\"it's\\""`],
    ['back\\slash: x', '"back\\\\slash: x"'],
  ];

  it.each(CASES)('%j is written %s, as a value and as a key, as yaml writes it', (value, written) => {
    expect(stringifyString(value)).toBe(written);
    expect(stringifyManifest({ k: value })).toBe(`k: ${written}\n`);
    expect(reference({ k: value })).toBe(`k: ${written}\n`);
    expect(stringifyManifest({ [value]: 1 })).toBe(`${written}: 1\n`);
    expect(reference({ [value]: 1 })).toBe(`${written}: 1\n`);
  });
});

describe('stringifyManifest: gives the document up to yaml when unsure', () => {
  const shared = { a: 1 };
  const emptyShared = {};
  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;
  const GIVEN_UP: ReadonlyArray<[string, unknown]> = [
    ['a multi-line string (block scalar)', { k: 'a\nb' }],
    ['a string ending in a newline', { k: 'a\n' }],
    ['a tab', { k: 'a\tb' }],
    ['a control character', { k: 'a\u0007b' }],
    ['non-ASCII text', { k: 'café' }],
    ['a document start marker', { k: '---x' }],
    ['a document end marker', { k: '...x' }],
    ['a leading ?', { k: '?x' }],
    ['a leading :', { k: ':x' }],
    ['the merge key << as a key', { '<<': 1 }],
    ['the merge key << as a value', { k: '<<' }],
    ['a multi-line key', { 'a\nb': 1 }],
    ['a key longer than 500 characters', { ['k'.repeat(501)]: 1 }],
    ['NaN', { k: NaN }],
    ['Infinity', { k: Infinity }],
    ['-Infinity', { k: -Infinity }],
    ['-0', { k: -0 }],
    ['a bigint', { k: BigInt(1) }],
    ['a function', { k: () => 1 }],
    ['a symbol', { k: Symbol('s') }],
    ['a Date', { k: new Date(0) }],
    ['a Map', { k: new Map([['a', 1]]) }],
    ['a Set', { k: new Set([1]) }],
    ['a class instance', { k: new (class Point {})() }],
    ['an object twice (yaml writes an anchor and alias)', { a: shared, b: shared }],
    ['an empty object twice', { a: emptyShared, b: [emptyShared] }],
    ['a circular object', circular],
    ['an empty top-level map', {}],
    ['a top-level sequence', [{ a: 1 }]],
    ['a top-level string', 'a'],
    ['a top-level null', null],
    ['a top-level undefined', undefined],
  ];

  it.each(GIVEN_UP)('%s', (_, doc) => {
    expect(stringifyManifest(doc)).toBeUndefined();
  });

  it('writes the same document once the unsure part is gone (the cases above are given up for that part)', () => {
    expect(stringifyManifest({ a: { a: 1 }, b: { a: 1 } })).toBe(reference({ a: { a: 1 }, b: { a: 1 } }));
    expect(stringifyManifest({ k: 'café', ok: 1 })).toBeUndefined();
    expect(stringifyManifest({ k: 'cafe', ok: 1 })).toBe('k: cafe\nok: 1\n');
  });
});

// Random K8s-like JSON with the tricky parts over-represented. Whenever the fast writer writes, it writes what yaml
// writes; it must also write often enough for the property to mean something.

/** Strings YAML 1.1 or the yaml package treat specially, and pieces to build more of them from. */
const SPECIAL_STRINGS = [
  ...['', 'yes', 'Yes', 'YES', 'no', 'No', 'on', 'On', 'off', 'OFF', 'y', 'Y', 'n', 'N', 'true', 'False', 'TRUE'],
  ...['~', 'null', 'Null', 'NULL', '0', '-0', '+1', '1', '42', '0755', '0o755', '0x1f', '0X1F', '0b11', '1_000'],
  ...['1.5', '-1.5', '.5', '5.', '1e3', '1E-3', '-1e+3', '.inf', '-.inf', '+.INF', '.nan', '.NaN', 'NaN', 'Infinity'],
  ...['12:30', '1:2:3', '190:20:30.15', '2024-01-01', '2024-1-1', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59'],
  ...['<<', '=', '-', '?', ':', '- a', '? a', ': a', '-a', '--a', '---', '---a', '...', '...a', '%YAML', '%a'],
  ...['#', 'a #b', 'a#b', 'a: b', 'a:b', 'a:', 'a :', ' a', 'a ', ' ', '  ', 'a  b', "it's", '"q"', `"'`, 'a\\b'],
  ...['@a', '`a', '&a', '*a', '!a', '!!str', '|', '>', '|-', '{}', '[]', '{a}', '[a]', ',', 'a,b', 'a[b]', 'a{b}'],
  ...['\n', 'a\nb', 'a\n', '\na', 'a \nb', '\t', 'a\tb', 'café', 'é', '\u0085', '\u00a0', '\u2028', '\ud800', '\u0000'],
  ...['nginx', 'app.kubernetes.io/name', 'ghcr.io/acme/api@sha256:abc', '--port=8080', 'http://x:80/y', '100m'],
];
const PIECES = ['a', 'Z', '0', '1', '9', '.', '-', '_', '/', ':', ' ', '#', "'", '"', '\\', ',', '[', '{', '@', 'e'];
const PIECES_RARE = ['\n', '\t', 'é', '~', '%', '*', '&', '!', '|', '>', '?', '`', '+', '=', '<'];

const arbString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...PIECES) }, fc.constantFrom(...PIECES_RARE)), {
        maxLength: 8,
      })
      .map((a) => a.join('')),
  },
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}(\/[a-z0-9._-]{1,10})?$/) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...SPECIAL_STRINGS), fc.constantFrom(...SPECIAL_STRINGS))
      .map(([a, b]) => a + b),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);

const arbKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('apiVersion', 'kind', 'metadata', 'name', 'spec', 'app.kubernetes.io/name') },
  { weight: 3, arbitrary: arbString },
  { weight: 1, arbitrary: fc.constantFrom('0', '10', '__proto__', 'constructor', 'toJSON', 'k'.repeat(600)) },
);

const arbNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double(),
  fc.constantFrom(0, -0, 1.5, -2.25, 1e21, 1e-7, 2 ** 53, -(2 ** 53) - 2, 0.1 + 0.2, NaN, Infinity, -Infinity),
);

const arbScalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: arbString },
  { weight: 2, arbitrary: arbNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
);

const { value: arbValue } = fc.letrec<{ value: unknown; map: Record<string, unknown>; seq: unknown[] }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: arbScalar },
    { weight: 2, arbitrary: tie('map') },
    { weight: 2, arbitrary: tie('seq') },
  ),
  map: fc.dictionary(arbKey, tie('value'), { maxKeys: 5, noNullPrototype: true }),
  seq: fc.array(tie('value'), { maxLength: 4 }),
}));

const arbDocument = fc.dictionary(arbKey, arbValue, { minKeys: 1, maxKeys: 6, noNullPrototype: true });

/** Documents made only of what the writer handles: safe keys and values it writes (incl. quoted ones). */
const arbWritableString = fc.oneof(
  fc.constantFrom(...SPECIAL_STRINGS.filter((s) => stringifyString(s) !== undefined)),
  fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9 .:/#'"_-]{0,15}$/),
);
const { value: arbWritableValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    arbWritableString,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.dictionary(arbWritableString, tie('value'), { maxKeys: 4, noNullPrototype: true }),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
}));

describe('stringifyManifest: differential property against yaml', () => {
  it('whenever it writes a random K8s-like document, it writes what yaml writes (5,000 documents)', () => {
    let written = 0;
    let runs = 0;
    fc.assert(
      fc.property(arbDocument, (doc) => {
        runs++;
        const fast = stringifyManifest(doc);
        if (fast === undefined) return;
        written++;
        expect(fast).toBe(stringify(doc, CDK8S_YAML_OPTIONS));
      }),
      { numRuns: 5000 },
    );
    // Not vacuous: a good share of the random documents is written by the fast writer.
    expect(written / runs).toBeGreaterThan(0.15);
  });

  it('writes documents made only of what it handles, always as yaml does (3,000 documents)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(arbWritableString, arbWritableValue, { minKeys: 1, maxKeys: 6, noNullPrototype: true }),
        (doc) => {
          const fast = stringifyManifest(doc);
          expect(fast).toBe(stringify(doc, CDK8S_YAML_OPTIONS));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('writes random strings, as keys and as values, as yaml does whenever it writes them (20,000 strings)', () => {
    let written = 0;
    fc.assert(
      fc.property(arbString, (s) => {
        const fast = stringifyString(s);
        if (fast === undefined) return;
        written++;
        expect(`k: ${fast}\n`).toBe(stringify({ k: s }, CDK8S_YAML_OPTIONS));
        expect(`${fast}: 1\n`).toBe(stringify({ [s]: 1 }, CDK8S_YAML_OPTIONS));
        expect(`- ${fast}\n`).toBe(stringify([s], CDK8S_YAML_OPTIONS));
      }),
      { numRuns: 20000 },
    );
    expect(written).toBeGreaterThan(10000);
  });

  it('writes random numbers as yaml does, and gives up on NaN, ±Infinity and -0 (5,000 numbers)', () => {
    fc.assert(
      fc.property(arbNumber, (n) => {
        const fast = stringifyManifest({ k: n });
        if (!Number.isFinite(n) || Object.is(n, -0)) expect(fast).toBeUndefined();
        else expect(fast).toBe(stringify({ k: n }, CDK8S_YAML_OPTIONS));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('stringifyManifest: the strings it remembers', () => {
  it('writes a string met again, and one met after the memory was emptied, as yaml does', () => {
    // Every special string as key and value, then 25,000 distinct strings (more than the memory holds, so it is
    // emptied), then the special strings again: each document as yaml writes it, or given up each time alike.
    const special = SPECIAL_STRINGS.map((s) => ({ [s]: s, k: s }));
    const first = special.map((d) => stringifyManifest(d));
    for (let i = 0; i < 25_000; i++) {
      const doc = { [`key-${i}`]: `value ${i}: x`, n: `${i}` };
      const fast = stringifyManifest(doc);
      if (i % 997 === 0) expect(fast).toBe(stringify(doc, CDK8S_YAML_OPTIONS));
    }
    const again = special.map((d) => stringifyManifest(d));
    expect(again).toEqual(first);
    special.forEach((d, i) => {
      if (again[i] !== undefined) expect(again[i]).toBe(stringify(d, CDK8S_YAML_OPTIONS));
    });
    expect(again.filter((x) => x !== undefined).length).toBeGreaterThan(5);
  });
});

describe('stringifyManifest: the strings it remembers, on generated strings', () => {
  /** A string with the case of some of its letters flipped (`yes` → `yEs`, `0x1f` → `0X1f`, `.inf` → `.Inf`). */
  const arbCased = fc
    .tuple(arbString, fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }))
    .map(([s, flips]) =>
      [...s].map((c, i) => (flips[i % 16] ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c)).join(''),
    );
  /** Strings either side of the longest one remembered (200 characters), ending in a special string. */
  const arbLong = fc
    .tuple(fc.integer({ min: 190, max: 210 }), fc.constantFrom(...SPECIAL_STRINGS))
    .map(([n, s]) => 'a'.repeat(Math.max(0, n - s.length)) + s);

  it('writes a string the same the first time and from memory, as a key and as a value, as yaml does', () => {
    let written = 0;
    fc.assert(
      fc.property(fc.oneof(arbString, arbCased, arbLong), (s) => {
        // The first document may meet `s` for the first time; the second finds it remembered (or not, when too long).
        const docs = [
          { [s]: s, seq: [s] },
          { v: s, [s]: [s, { [s]: s }] },
        ];
        for (const doc of docs) {
          const first = stringifyManifest(doc);
          const again = stringifyManifest(doc);
          expect(again).toBe(first);
          if (first !== undefined) {
            written++;
            expect(first).toBe(stringify(doc, CDK8S_YAML_OPTIONS));
          }
        }
      }),
      { numRuns: 3000 },
    );
    expect(written).toBeGreaterThan(1500);
  });
});
