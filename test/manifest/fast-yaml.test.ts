import fc from 'fast-check';
import { stringify } from 'yaml';
import { goYamlToJson } from '../../lib/manifest/go-yaml-decode';
import { inFastSubset, parseDocumentFast } from '../../lib/manifest/fast-yaml';

/** The fast reader on one document's text: its value, or 'unsupported' when it leaves the text to the full reader. */
function fast(text: string): unknown {
  const lines = text.split('\n');
  const openEnd = !text.endsWith('\n');
  const r = parseDocumentFast({ lines, start: 0, end: openEnd ? lines.length : lines.length - 1, openEnd });
  return r ? r.value : 'unsupported';
}

/**
 * The reference: the full go-yaml reader (a port of go-yaml v2 and sigs.k8s.io/yaml, itself checked against the Go
 * library in test/manifest/go-yaml-differential.test.ts); 'error' when it refuses the text.
 */
function reference(text: string): unknown {
  try {
    return goYamlToJson(Buffer.from(text.endsWith('\n') || text === '' ? text : `${text}\n`));
  } catch {
    return 'error';
  }
}

function expectAgreement(text: string): void {
  const got = fast(text);
  if (got !== 'unsupported') expect({ text, value: got }).toEqual({ text, value: reference(text) });
}

/** Manifests as kubectl, helm and people write them: the fast reader must handle these itself. */
const HANDLED: readonly string[] = [
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
  labels:
    app.kubernetes.io/name: web
  annotations:
    "helm.sh/hook": pre-install
    'quoted.example/x': 'it''s'
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: "registry.example.com/web:1.2.3@sha256:abc"
        args: ["--port", "8080", '--x=y']
        env:
          - name: A
            value: "a \\"quoted\\" \\u00e9 \\t tab"
          - name: B   # trailing comment
            value: 0644
        resources: {}
        securityContext:
          privileged: yes
          runAsUser: 1000
          allowPrivilegeEscalation: off
      volumes: []
`,
  `# Source: chart/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
data:
  run.sh: |
    #!/bin/sh
    echo "a: b" # not a comment

    exit 0
  strip: |-
    no newline
  url: http://example.com:8080/path#frag
  empty:
  tilde: ~
  float: 1.20
  neg: -5
`,
  `apiVersion: v1
kind: List
items:
-
  apiVersion: v1
  kind: Service
  metadata: {name: a, namespace: b}
- apiVersion: v1
  kind: Service
  metadata:
    name: c
`,
];

/** Constructs outside the subset: the fast reader must give up rather than guess. */
const UNSUPPORTED: readonly string[] = [
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  'a: >\n  folded\n  text\n',
  'a: |+\n  keep\n\n',
  'a: |2\n   indented\n',
  'a: "multi\n  line"\n',
  'a: [1,\n  2]\n',
  '? complex\n: key\n',
  'a: 1\na: 2\n',
  'a:\tb\n',
  'on: true\n',
  '8080: port\n',
  '"a": 1\nb: c: d\n',
  'a: b: c\n',
  '- - nested\n',
  '__proto__: x\n',
  'just a scalar\n',
  'a: |\n  last line without newline',
  'a: {b}\n',
  'a: [1, 2, ]\n',
];

describe('fast YAML reader', () => {
  it.each(HANDLED.map((t, i) => [i, t] as const))(
    'reads typical manifest #%i itself, exactly as go-yaml',
    (_i, text) => {
      const got = fast(text);
      expect(got).not.toBe('unsupported');
      expect(got).toEqual(reference(text));
    },
  );

  it('reads Kubernetes scalars the go-yaml way (yes/off booleans, leading-zero octal)', () => {
    const value = fast(HANDLED[0]) as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    const c = value.spec.template.spec.containers[0];
    expect(c.securityContext).toEqual({ privileged: true, runAsUser: 1000, allowPrivilegeEscalation: false });
    expect((c.env as unknown[])[1]).toEqual({ name: 'B', value: 420 });
  });

  it.each(UNSUPPORTED.map((t) => [JSON.stringify(t), t] as const))('gives up on %s', (_name, text) => {
    expect(fast(text)).toBe('unsupported');
  });

  it('gives the line of the content and of each entry of the top-level items sequence', () => {
    const lines = ['---', '# c', 'kind: List', 'items:', '- a', '-', '', '  b: 1', '- [c]', 'other:', '- x', ''];
    expect(parseDocumentFast({ lines, start: 1, end: lines.length - 1, openEnd: false })).toEqual({
      value: { kind: 'List', items: ['a', { b: 1 }, ['c']], other: ['x'] },
      line: 3,
      itemLines: [5, 8, 9],
    });
  });

  it.each([
    ['a: multi\n  line plain\n\n  text\nb: 1\n', { a: 'multi line plain\ntext', b: 1 }],
    ["a: 'multi\n  line ''single''\n\n  quoted'\n", { a: "multi line 'single'\nquoted" }],
    ['- one\n  two\n- three\n', ['one two', 'three']],
  ])('reads plain and single-quoted scalars over several lines as go-yaml does: %j', (text, expected) => {
    expect(fast(text)).toEqual(expected);
    expect(reference(text)).toEqual(expected);
  });

  it('reads blank and comment-only documents as null', () => {
    expect(fast('')).toBeNull();
    expect(fast('# only a comment\n\n')).toBeNull();
  });

  // Differential test: random Kubernetes-like values, written by the yaml package in several styles, read by go-yaml.
  const key = fc.oneof(
    fc.constantFrom('name', 'app.kubernetes.io/name', 'a-b_c', 'x', 'spec', 'y', 'on', '8080', 'a b', 'k:v', '-k'),
    fc.stringMatching(/^[a-z][a-z0-9./-]{0,12}$/),
  );
  const scalar = fc.oneof(
    fc.constantFrom('yes', 'no', 'on', 'Off', '~', 'null', '', ' ', '0644', '08', '1_000', '0x1F', '1e3', '.5', '-'),
    fc.constantFrom('a: b', 'a #b', '#x', "it's", 'say "hi"', '- x', '[x]', '{x}', 'x: ', 'tab\there', 'é ✓', '\\'),
    fc.constantFrom('line1\nline2\n', 'line1\nline2', '\nlead', 'trail\n\n', '  indented\nx', 'a\n\n\nb\n'),
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
  );
  const value = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(key, tie('node'), { maxKeys: 5 }),
    ),
  })).node;
  const style = fc.record({
    indentSeq: fc.boolean(),
    indent: fc.constantFrom(2, 4),
    defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL') as fc.Arbitrary<
      'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_LITERAL'
    >,
    lineWidth: fc.constantFrom(0, 20, 80),
  });

  it('agrees with go-yaml on every document it reads (random values and styles)', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 }), style, (obj, s) => {
        expectAgreement(stringify(obj, s));
        // Values as one-line flow collections, as people write `resources: {}` or `args: ["a", "b"]`.
        const flow = Object.entries(obj)
          .map(
            ([k, v]) =>
              `${stringify(k, s).trimEnd()}: ${stringify(v, { ...s, collectionStyle: 'flow', lineWidth: 0 })}`,
          )
          .join('');
        expectAgreement(flow);
      }),
      { numRuns: 400, seed: 20240613 },
    );
  });

  it('agrees with go-yaml on random text made of manifest-like lines', () => {
    const line = fc.tuple(
      fc.constantFrom('', '  ', '    ', '      '),
      fc.constantFrom('a: ', 'b:', '- ', '- c: ', '"q": ', "'s': ", '# c', '', 'd: |', 'd: |-', 'e: [', 'f: {', 'g'),
      fc.constantFrom('', '1', 'x', '"y"', "'z'", '[1, 2]', '{h: 1}', '{}', '[]', 'yes', 'a #c', 'k: v', '~'),
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 10 }), (ls) => {
        expectAgreement(`${ls.map(([i, a, b]) => `${i}${a}${b}`).join('\n')}\n`);
      }),
      { numRuns: 1500, seed: 7 },
    );
  });
});

describe('inFastSubset', () => {
  // The test as one regular expression, as parseChunkFast applies it to each document.
  // eslint-disable-next-line no-control-regex -- these control characters are exactly what the test looks for
  const outside = /[\x00-\x08\t\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|^(?:%|\.\.\.)/m;

  it('refuses what the fast reader never reads: control characters, other line breaks, directives, end markers', () => {
    for (const t of ['a: 1\r\n', 'a: \tb', '%YAML 1.1\n', 'a: 1\n...\n', '...', 'a: \u2028', '\ufeffa: 1', 'a: \x85']) {
      expect([t, inFastSubset(t)]).toEqual([t, false]);
    }
    for (const t of ['', 'a: 1\n', 'a: "%x"\n', 'a: b...\n', ' ...\n', 'a: %\n', 'é: ü\n']) {
      expect([t, inFastSubset(t)]).toEqual([t, true]);
    }
  });

  it('agrees with the one regular expression on random text', () => {
    const piece = fc.constantFrom('a', ': ', '\n', '%', '.', '...', '\t', '\r', ' ', '\u2028', '\x85', 'é', '-', '#');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (ps) => {
        const t = ps.join('');
        expect([t, inFastSubset(t)]).toEqual([t, !outside.test(t)]);
      }),
      { numRuns: 2000, seed: 1616 },
    );
  });
});
