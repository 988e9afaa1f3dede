import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify } from 'yaml';
import { FieldLocator, parseFieldPath } from '../../lib/manifest/field-lines';
import { parseManifestText } from '../../lib/manifest/manifests';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const locate = (text: string, document: number, path: string, item?: number) =>
  new FieldLocator(new Map([['f.yaml', bytes(text)]])).lineOf(
    'f.yaml',
    item === undefined ? { document } : { document, item },
    path,
  );

describe('parseFieldPath', () => {
  it('reads dotted keys, indexes and quoted keys in brackets', () => {
    expect(parseFieldPath('spec.template.spec.containers[0].securityContext.privileged')).toEqual([
      'spec',
      'template',
      'spec',
      'containers',
      0,
      'securityContext',
      'privileged',
    ]);
    expect(parseFieldPath("metadata.annotations['seccomp.security.alpha.kubernetes.io/pod']")).toEqual([
      'metadata',
      'annotations',
      'seccomp.security.alpha.kubernetes.io/pod',
    ]);
    expect(parseFieldPath("data['it\\'s']")).toEqual(['data', "it's"]);
    expect(parseFieldPath('rules[2]')).toEqual(['rules', 2]);
  });

  it('refuses what is not a field path', () => {
    for (const bad of ['', 'a..b', 'a[x]', "a['open", 'a[1', '.a']) expect(parseFieldPath(bad)).toBeUndefined();
  });
});

describe('FieldLocator', () => {
  const text = [
    '# leading comment', // 1
    'apiVersion: v1', // 2
    'kind: Pod', // 3
    'metadata:', // 4
    '  name: web', // 5
    '  annotations:', // 6
    "    'seccomp.security.alpha.kubernetes.io/pod': unconfined", // 7
    'spec:', // 8
    '  containers:', // 9
    '    - name: a', // 10
    '      image: nginx', // 11
    '    - name: b', // 12
    '      securityContext:', // 13
    '        privileged: true', // 14
    '---', // 15
    'apiVersion: v1', // 16
    'kind: List', // 17
    'items:', // 18
    '  - apiVersion: v1', // 19
    '    kind: Service', // 20
    '    spec: { type: NodePort }', // 21
    '  - apiVersion: v1', // 22
    '    kind: Service', // 23
    '    spec:', // 24
    '      type: LoadBalancer', // 25
  ].join('\n');

  it('gives the line of the field, of the sequence entry, and of the deepest parent of a missing field', () => {
    expect(locate(text, 0, 'spec.containers[1].securityContext.privileged')).toBe(14);
    expect(locate(text, 0, 'spec.containers[1]')).toBe(12);
    expect(locate(text, 0, 'spec.containers[0].readinessProbe')).toBe(10);
    expect(locate(text, 0, "metadata.annotations['seccomp.security.alpha.kubernetes.io/pod']")).toBe(7);
    expect(locate(text, 0, 'spec.containers[7].image')).toBe(9);
  });

  it('finds fields of List items in the second document, flow mappings included', () => {
    expect(locate(text, 1, 'spec.type', 0)).toBe(21);
    expect(locate(text, 1, 'spec.type', 1)).toBe(25);
  });

  it('follows aliases and merge keys as go-yaml does', () => {
    const merged = [
      'apiVersion: apps/v1', // 1
      'kind: Deployment', // 2
      'x-base: &base', // 3
      '  hostNetwork: true', // 4
      'spec:', // 5
      '  template:', // 6
      '    spec:', // 7
      '      <<: *base', // 8
      '      containers: []', // 9
    ].join('\n');
    expect(locate(merged, 0, 'spec.template.spec.hostNetwork')).toBe(4);
    expect(locate(merged, 0, 'spec.template.spec.containers')).toBe(9);
  });

  it('gives undefined for an unknown file or document, or a path it cannot read', () => {
    expect(locate(text, 5, 'spec')).toBeUndefined();
    expect(locate(text, 0, 'a..b')).toBeUndefined();
    expect(new FieldLocator(new Map()).lineOf('other.yaml', { document: 0 }, 'spec')).toBeUndefined();
  });

  it('agrees with the yaml package on the line of every key of generated documents', () => {
    const key = fc.constantFrom('a', 'b', 'name', 'spec', 'x.y/z', 'with space', 'on', '1');
    const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.constantFrom('v', 'hello world', 'yes', ''));
    const value = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.dictionary(key, tie('node'), { maxKeys: 4 }),
        fc.array(tie('node'), { maxLength: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }), (object) => {
        const text = stringify(object, { flowCollectionPadding: true });
        const lineCounter = new LineCounter();
        const doc = parseDocument(text, { lineCounter });
        const locator = new FieldLocator(new Map([['g.yaml', bytes(text)]]));
        const walk = (node: unknown, path: string) => {
          if (isMap(node)) {
            for (const pair of node.items) {
              if (!isScalar(pair.key)) continue;
              const k = String(pair.key.value);
              const p = /^[a-z][a-z0-9]*$/i.test(k) ? `${path}${path ? '.' : ''}${k}` : `${path}['${k}']`;
              const expected = lineCounter.linePos(pair.key.range![0]).line;
              expect([p, locator.lineOf('g.yaml', { document: 0 }, p)]).toEqual([p, expected]);
              walk(pair.value, p);
            }
          } else if (isSeq(node)) {
            node.items.forEach((item, i) => {
              if (isMap(item) || isSeq(item) || isScalar(item)) {
                const p = `${path}[${i}]`;
                const expected = lineCounter.linePos(item.range![0]).line;
                expect([p, locator.lineOf('g.yaml', { document: 0 }, p)]).toEqual([p, expected]);
                walk(item, p);
              }
            });
          }
        };
        walk(doc.contents, '');
      }),
      { numRuns: 200 },
    );
  });
});

/** Every field path of a JSON value (keys dotted when plain, else in brackets and quotes), each with one missing child. */
function pathsOf(value: unknown, limit: number): string[] {
  const out: string[] = [];
  const walk = (v: unknown, p: string) => {
    if (out.length >= limit) return;
    if (Array.isArray(v)) {
      out.push(`${p}[${v.length}]`);
      v.forEach((c, i) => walk(c, `${p}[${i}]`));
    } else if (v !== null && typeof v === 'object') {
      out.push(`${p}${p ? '.' : ''}zzMissing`);
      for (const [k, c] of Object.entries(v)) {
        const q = /^[A-Za-z0-9_-]+$/.test(k)
          ? `${p}${p ? '.' : ''}${k}`
          : `${p}['${k.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
        out.push(q);
        walk(c, q);
      }
    } else if (p !== '') {
      out.push(`${p}.under`, `${p}[0]`);
    }
  };
  walk(value, '');
  return out;
}

describe('FieldLocator on text the fast reader read', () => {
  /** Lines of every path in every document of a file: from the fast reader's positions, and from go-yaml. */
  const bothWays = (text: string, limit = 100_000) => {
    const read = parseManifestText(text, 'f.yaml');
    const cut = read.texts.get('f.yaml');
    expect(cut).not.toBeInstanceOf(Uint8Array);
    const fast = new FieldLocator(read.texts);
    const goYaml = new FieldLocator(new Map([['f.yaml', bytes(text)]]));
    const got: string[] = [];
    const want: string[] = [];
    for (const object of read.objects) {
      const src = read.sources.get(object)!;
      const position =
        src.item === undefined ? { document: src.document! } : { document: src.document!, item: src.item };
      for (const p of pathsOf(object, limit)) {
        got.push(`${src.document}/${src.item} ${p} ${fast.lineOf('f.yaml', position, p)}`);
        want.push(`${src.document}/${src.item} ${p} ${goYaml.lineOf('f.yaml', position, p)}`);
      }
    }
    return { got, want };
  };

  it('gives the line go-yaml gives for every field of the real-world corpus, and for missing ones', () => {
    const root = path.join(__dirname, '..', 'corpus', 'real-world');
    let compared = 0;
    for (const folder of fs.readdirSync(root).sort()) {
      const dir = path.join(root, folder);
      if (!fs.statSync(dir).isDirectory()) continue;
      for (const f of fs.readdirSync(dir).sort()) {
        const { got, want } = bothWays(fs.readFileSync(path.join(dir, f), 'utf8'), 400);
        expect(got).toEqual(want);
        compared += got.length;
      }
    }
    expect(compared).toBeGreaterThan(20_000);
  });

  it('gives the line go-yaml gives on generated multi-document manifests (flow collections, Lists, blank lines)', () => {
    let compared = 0;
    const key = fc.constantFrom('a', 'name', 'spec', 'x.y/z', "it's", 'items');
    const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.constantFrom('v', 'hello world', ''));
    const value = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.dictionary(key, tie('node'), { maxKeys: 4 }),
        fc.array(tie('node'), { maxLength: 3 }),
      ),
    })).node;
    const object = fc.record({
      apiVersion: fc.constant('v1'),
      kind: fc.constantFrom('ConfigMap', 'List'),
      spec: value,
    });
    const style = fc.record({
      collectionStyle: fc.constantFrom('any', 'block', 'flow') as fc.Arbitrary<'any' | 'block' | 'flow'>,
      indentSeq: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(object, style), { minLength: 1, maxLength: 3 }), fc.boolean(), (docs, lead) => {
        const text =
          (lead ? '---\n\n' : '') +
          docs
            .map(([o, s]) => {
              const obj = o.kind === 'List' ? { ...o, items: [{ apiVersion: 'v1', kind: 'Pod', spec: o.spec }] } : o;
              return stringify(obj, { ...s, collectionStyle: 'block' === s.collectionStyle ? 'block' : 'any' });
            })
            .join('---\n');
        const read = parseManifestText(text, 'f.yaml');
        if (read.errors.length > 0 || read.texts.get('f.yaml') instanceof Uint8Array) return;
        const { got, want } = bothWays(text);
        expect(got).toEqual(want);
        compared += got.length;
      }),
      { numRuns: 300, seed: 1616 },
    );
    expect(compared).toBeGreaterThan(3000);
  });
});
