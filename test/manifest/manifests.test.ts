import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { jsonItemOffsets } from '../../lib/manifest/json-item-offsets';
import {
  formatInputError,
  listManifestFiles,
  Manifests,
  parseManifestText,
  readManifests,
} from '../../lib/manifest/manifests';

const NEEDS_TYPE_META =
  'every Kubernetes object needs apiVersion and kind as strings (for example apiVersion: apps/v1 and kind: Deployment)';

/** `Kind name @line` for each object, the way the tests compare them. */
function located(m: Manifests): string[] {
  return m.objects.map(
    (o) => `${o.kind} ${o.metadata?.name ?? '-'} @${m.sources.get(o)?.file}:${m.sources.get(o)?.line}`,
  );
}

function errors(m: Manifests): string[] {
  return m.errors.map(formatInputError);
}

describe('parseManifestText', () => {
  it('reads multi-document YAML with the line each object starts on, skipping empty and comment-only documents', () => {
    const text = [
      '# Source: chart/templates/a.yaml', // 1
      'apiVersion: v1', // 2
      'kind: ConfigMap',
      'metadata: {name: a}',
      '---', // 5
      '# only a comment',
      '---',
      '---', // 8
      '',
      'apiVersion: v1', // 10
      'kind: Secret',
      'metadata:',
      '  name: b',
      '',
    ].join('\n');
    const m = parseManifestText(text, 'a.yaml');
    expect(located(m)).toEqual(['ConfigMap a @a.yaml:2', 'Secret b @a.yaml:10']);
    expect(m.errors).toEqual([]);
  });

  it('keeps line numbers right when a document needs the full YAML parser (anchors) or the file has CRLF breaks', () => {
    const text =
      'apiVersion: v1\nkind: A\n---\nx: &v 1\ny: *v\napiVersion: v1\nkind: B\n---\napiVersion: v1\nkind: C\n';
    expect(located(parseManifestText(text, 'f.yaml'))).toEqual(['A - @f.yaml:1', 'B - @f.yaml:4', 'C - @f.yaml:9']);
    expect(located(parseManifestText(text.replace(/\n/g, '\r\n'), 'f.yaml'))).toEqual([
      'A - @f.yaml:1',
      'B - @f.yaml:4',
      'C - @f.yaml:9',
    ]);
  });

  it('reads CRLF files like LF files: same lines, no carriage return in values', () => {
    const m = parseManifestText('apiVersion: v1\r\nkind: ConfigMap\r\ndata:\r\n  s: |\r\n    a\r\n    b\r\n', 'w.yaml');
    expect(m.objects).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', data: { s: 'a\nb\n' } }]);
  });

  it('reads manifests the way kubectl does: privileged: yes is true, 0644 is octal', () => {
    const m = parseManifestText('apiVersion: v1\nkind: Pod\nspec:\n  privileged: yes\n  mode: 0644\n', 'p.yaml');
    expect(m.objects[0].spec).toEqual({ privileged: true, mode: 420 });
  });

  it('expands List kinds into their items, each with its own line; typed lists fill in apiVersion and kind', () => {
    const text = [
      'apiVersion: v1', // 1
      'kind: List',
      'items:',
      '- apiVersion: v1', // 4
      '  kind: Service',
      '  metadata: {name: s}',
      '-', // 7
      '  apiVersion: apps/v1', // 8
      '  kind: Deployment',
      '  metadata: {name: d}',
      '---',
      'apiVersion: v1', // 12
      'kind: PodList',
      'items:',
      '- metadata: {name: p}', // 15
      '- kind: Pod', // 16
      '  metadata: {name: q}',
      '',
    ].join('\n');
    const m = parseManifestText(text, 'l.yaml');
    expect(located(m)).toEqual([
      'Service s @l.yaml:4',
      'Deployment d @l.yaml:8',
      'Pod p @l.yaml:15',
      'Pod q @l.yaml:16',
    ]);
    expect(m.objects[2]).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } });
  });

  it('reports List items that are not objects, with their index and line', () => {
    const m = parseManifestText('apiVersion: v1\nkind: List\nitems:\n- metadata: {name: x}\n- just text\n', 'l.yaml');
    expect(errors(m)).toEqual([
      `l.yaml:4: items[0] has no apiVersion and no kind: ${NEEDS_TYPE_META}`,
      'l.yaml:5: items[1] is a string ("just text"), not a Kubernetes object: expected a mapping with apiVersion and kind',
    ]);
  });

  it('reads JSON (a file, or text starting with {) with the lines of the object and of List items', () => {
    const json =
      '\n{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [\n    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a\\"]"}},\n\n    {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "b"}}\n  ]\n}\n';
    expect(located(parseManifestText(json, 'x.json', undefined, 'json'))).toEqual([
      'Service a"] @x.json:6',
      'Secret b @x.json:8',
    ]);
    expect(located(parseManifestText(json, 'stdin'))).toEqual(['Service a"] @stdin:6', 'Secret b @stdin:8']);
    expect(located(parseManifestText('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}', 'p.json'))).toEqual([
      'Pod p @p.json:1',
    ]);
  });

  it('reads JSON that is not strict JSON as YAML, like kubectl, and reports where it is broken', () => {
    expect(located(parseManifestText('{apiVersion: v1, kind: Pod}\n', 'p.json', undefined, 'json'))).toEqual([
      'Pod - @p.json:1',
    ]);
    expect(
      errors(parseManifestText('{\n  "apiVersion": "v1",\n  "kind": "Pod"\n', 'p.json', undefined, 'json')),
    ).toEqual([
      "p.json:4: invalid JSON (column 1): did not find expected ',' or '}', while parsing a flow mapping at line 1",
    ]);
  });

  it('reports malformed YAML with file and line, and still reads the other documents', () => {
    const m = parseManifestText(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n name: b\n---\napiVersion: v1\nkind: Secret\n',
      'bad.yaml',
    );
    expect(errors(m)).toEqual([
      'bad.yaml:5: invalid YAML (column 2): did not find expected key, while parsing a block mapping at line 1',
    ]);
    expect(located(m)).toEqual(['Secret - @bad.yaml:7']);
  });

  it('reads duplicate keys and merge keys as kubectl does: the last one wins, merged values override', () => {
    const m = parseManifestText('apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: a}\n', 'dup.yaml');
    expect(located(m)).toEqual(['Secret a @dup.yaml:1']);
    const merged = parseManifestText(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: false\n  <<: {hostPID: true}\n',
      'merge.yaml',
    );
    expect(merged.objects[0].spec).toEqual({ hostPID: true });
  });

  it('refuses what kubectl refuses: invalid UTF-8, %YAML 1.2, text after a document separator', () => {
    expect(errors(parseManifestText(new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0x0a]), 'u.yaml'))).toEqual([
      'u.yaml:1: invalid YAML (column 4): invalid leading UTF-8 octet (byte 0xff): the text must be UTF-8 (or UTF-16 with a byte order mark)',
    ]);
    expect(errors(parseManifestText('%YAML 1.2\n---\n', 'v.yaml'))).toEqual([
      'v.yaml:1: invalid YAML (column 1): found incompatible YAML document',
    ]);
    expect(errors(parseManifestText('apiVersion: v1\n--- x\n', 's.yaml'))).toEqual([
      's.yaml:2: invalid YAML: invalid Yaml document separator: x',
    ]);
  });

  it('accepts what kubectl accepts: CRLF inside a double-quoted string, lone CR line ends, UTF-16', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "p\n   q"\n';
    expect(located(parseManifestText(pod.replace(/\n/g, '\r\n'), 'crlf.yaml'))).toEqual(['Pod p q @crlf.yaml:1']);
    expect(located(parseManifestText(pod.replace(/\n/g, '\r'), 'cr.yaml'))).toEqual(['Pod p q @cr.yaml:1']);
    const utf16 = new Uint8Array(Buffer.from(`\ufeff${pod}`, 'utf16le'));
    expect(located(parseManifestText(utf16, 'utf16.yaml'))).toEqual(['Pod p q @utf16.yaml:1']);
  });

  it('reports documents that are not Kubernetes objects, naming what is missing or wrong', () => {
    expect(errors(parseManifestText('metadata:\n  name: x\n', 'a.yaml'))).toEqual([
      `a.yaml:1: document has no apiVersion and no kind: ${NEEDS_TYPE_META}`,
    ]);
    expect(errors(parseManifestText('# c\napiVersion: v1\n', 'a.yaml'))).toEqual([
      `a.yaml:2: document has no kind: ${NEEDS_TYPE_META}`,
    ]);
    expect(errors(parseManifestText('apiVersion: 1\nkind: Pod\n', 'a.yaml'))).toEqual([
      `a.yaml:1: document has a number (1) as apiVersion: ${NEEDS_TYPE_META}`,
    ]);
    expect(errors(parseManifestText('- a\n- b\n', 'a.yaml'))).toEqual([
      'a.yaml:1: document is a sequence, not a Kubernetes object: expected a mapping with apiVersion and kind',
    ]);
  });
});

describe('jsonItemOffsets', () => {
  it('finds where each element of the top-level items array starts, ignoring brackets in strings and nested items', () => {
    const text = '{"a": {"items": [9]}, "s": "[\\"{", "items": [ {"x": [1]}, "s", 3, [4] ], "z": 1}';
    expect(jsonItemOffsets(text).map((o) => text[o])).toEqual(['{', '"', '3', '[']);
    expect(jsonItemOffsets('{"items": []}')).toEqual([]);
    expect(jsonItemOffsets('[1, 2]')).toEqual([]);
  });
});

describe('readManifests', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-manifests-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
    write('m/b.yaml', cm('b'));
    write('m/a.yml', cm('a'));
    write('m/sub/c.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }));
    write('m/sub/README.md', '# not a manifest');
    write('m/.github/workflow.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dot\n');
    write('m/Z.YAML', cm('z'));
    write('empty/notes.txt', 'nothing here');
    write('other.txt', cm('t'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('walks directories recursively in sorted order like kubectl apply -R: dot-folders included, other extensions not', () => {
    expect(listManifestFiles(path.join(dir, 'm')).map((f) => path.relative(dir, f))).toEqual([
      path.join('m', '.github', 'workflow.yaml'),
      path.join('m', 'Z.YAML'),
      path.join('m', 'a.yml'),
      path.join('m', 'b.yaml'),
      path.join('m', 'sub', 'c.json'),
    ]);
  });

  it('reads files, directories and stdin in argument order, names files relative to cwd, reads each once', async () => {
    const m = await readManifests(['other.txt', 'm', 'm/a.yml', '-'], {
      cwd: dir,
      readStdin: async () => 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n',
    });
    expect(m.files).toEqual([
      'other.txt',
      'm/.github/workflow.yaml',
      'm/Z.YAML',
      'm/a.yml',
      'm/b.yaml',
      'm/sub/c.json',
      'stdin',
    ]);
    expect(located(m)).toEqual([
      'ConfigMap t @other.txt:1',
      'ConfigMap dot @m/.github/workflow.yaml:1',
      'ConfigMap z @m/Z.YAML:1',
      'ConfigMap a @m/a.yml:1',
      'ConfigMap b @m/b.yaml:1',
      'ConfigMap c @m/sub/c.json:1',
      'Secret s @stdin:1',
    ]);
    expect(m.errors).toEqual([]);
  });

  it('reports a nonexistent path and a directory without manifests, and still reads the rest', async () => {
    const m = await readManifests(['nope.yaml', 'empty', 'm/b.yaml'], { cwd: dir });
    expect(errors(m)).toEqual([
      'nope.yaml: no such file or directory: check the path (inputs are files, directories or - for stdin)',
      'empty: directory has no *.yaml, *.yml, *.json files (searched recursively)',
    ]);
    expect(located(m)).toEqual(['ConfigMap b @m/b.yaml:1']);
  });
});
