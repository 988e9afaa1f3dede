import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatObjectRef, objectRef } from '../../lib/k8s/k8s-object';
import { formatInputError, NOT_KUBERNETES_NOTE, parseManifestText, readManifests } from '../../lib/manifest/manifests';

// Input handling on folders as they are found in real repositories: other tools' YAML beside the manifests, files to
// leave out, unrendered templates, names that are not strings.
describe('reading folders of mixed YAML', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-input-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    write('repo/deploy/app.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n');
    write('repo/docs/swagger.yaml', 'swagger: "2.0"\ninfo:\n  title: API\npaths: {}\n');
    write('repo/config/settings.yml', 'log:\n  level: debug\n---\n- a\n- b\n');
    write('repo/mixed.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\n---\nfoo: bar\n');
    write(
      'repo/chart/templates/deploy.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n',
    );
    write('repo/chart/templates/_helpers.tpl', '{{- define "x" -}}{{- end -}}\n');
    write('repo/vendor/big/thing.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: vendored}\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('skips files with no apiVersion and no kind anywhere with a note, without an input error', async () => {
    const m = await readManifests(['repo'], { cwd: dir, exclude: ['chart', 'mixed.yaml'] });
    expect(m.notes.map(formatInputError)).toEqual([
      `repo/config/settings.yml: ${NOT_KUBERNETES_NOTE}`,
      `repo/docs/swagger.yaml: ${NOT_KUBERNETES_NOTE}`,
    ]);
    expect(m.errors).toEqual([]);
    expect(m.files).toEqual(['repo/deploy/app.yaml', 'repo/vendor/big/thing.yaml']);
    expect(m.objects.map((o) => o.metadata?.name)).toEqual(['app', 'vendored']);
  });

  it('keeps them input errors with strict, when named as inputs, and when a file mixes them with objects', async () => {
    const strict = await readManifests(['repo/docs'], { cwd: dir, strict: true });
    expect(strict.notes).toEqual([]);
    expect(strict.errors.map(formatInputError)).toEqual([
      'repo/docs/swagger.yaml:1: document has no apiVersion and no kind: every Kubernetes object needs apiVersion and kind as strings (for example apiVersion: apps/v1 and kind: Deployment)',
    ]);
    const named = await readManifests(['repo/docs/swagger.yaml'], { cwd: dir });
    expect([named.notes.length, named.errors.length]).toEqual([0, 1]);
    const mixed = await readManifests(['repo'], { cwd: dir, exclude: ['chart', 'docs', 'config'] });
    expect(mixed.errors.map(formatInputError)).toEqual([
      'repo/mixed.yaml:5: document has no apiVersion and no kind: every Kubernetes object needs apiVersion and kind as strings (for example apiVersion: apps/v1 and kind: Deployment)',
    ]);
  });

  it('leaves out files and folders matching --exclude globs: names at any depth, paths from the input or cwd', async () => {
    const names = async (exclude: string[], inputs = ['repo']) =>
      (await readManifests(inputs, { cwd: dir, exclude })).files;
    expect(await names(['vendor', 'chart', 'docs', 'config', 'mixed.yaml'])).toEqual(['repo/deploy/app.yaml']);
    expect(await names(['**/templates/**', 'vendor/**', '*.yml', 'docs/*', 'mixed.*'])).toEqual([
      'repo/deploy/app.yaml',
    ]);
    expect(await names(['repo/deploy/app.yaml'], ['repo/deploy/app.yaml', 'repo/vendor'])).toEqual([
      'repo/vendor/big/thing.yaml',
    ]);
    const all = await readManifests(['repo/deploy'], { cwd: dir, exclude: ['*.yaml'] });
    expect(all.errors.map(formatInputError)).toEqual([
      'repo/deploy: directory has no *.yaml, *.yml, *.json files (searched recursively, after --exclude)',
    ]);
  });

  it('adds the helm template hint to errors of files holding template actions', async () => {
    const m = await readManifests(['repo/chart'], { cwd: dir });
    expect(m.errors.map(formatInputError)).toEqual([
      'repo/chart/templates/deploy.yaml:4: invalid YAML (column 10): invalid map key: a mapping or sequence cannot be a key; this looks like an unrendered template ({{ or {% on line 4): render it first, e.g. `helm template my-release ./chart | bulwark audit -`',
    ]);
    const jinja = parseManifestText('{% if x %}\napiVersion: v1\nkind: Pod\n{% endif %}\n', 'j.yaml');
    expect(jinja.errors.map(formatInputError)).toEqual([
      'j.yaml:1: invalid YAML (column 2): found character that cannot start any token, while scanning for the next token at line 1; this looks like an unrendered template ({{ or {% on line 1): render it first, e.g. `helm template my-release ./chart | bulwark audit -`',
    ]);
    const commented = parseManifestText('# {{ not a template }}\napiVersion: v1\nkind: Pod\nspec: [\n', 'c.yaml');
    expect(commented.errors[0].message).not.toContain('helm template');
  });

  it('never makes an object of a name that is not a string', () => {
    for (const name of ['{a: 1}', '[x]', '12', 'true']) {
      // go-yaml reads 12 and true as a number and a boolean: the API server refuses them as names too.
      const m = parseManifestText(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`, 'n.yaml');
      expect(m.errors.map((e) => e.message).join()).not.toContain('[object Object]');
      expect(m.objects).toEqual([]);
      expect(m.errors).toHaveLength(1);
      expect(m.errors[0].message).toMatch(
        /^document has (a mapping|a sequence|a number|a boolean) .*as metadata\.name: the API server accepts only a string there$/,
      );
    }
    // Objects built in code (synth) never went through the reader: their reference shows the value as JSON.
    const ref = objectRef({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: { a: 1 } as never, namespace: 7 as never },
    });
    expect(formatObjectRef(ref)).toBe('Pod 7/{"a":1}');
  });
});
