import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Yaml } from 'cdk8s';
import { HardenedDeployment } from '../../lib';
import { synthCommand } from '../../lib/cli/synth-command';
import { CliIo } from '../../lib/cli/cli-io';
import * as fastYamlWriter from '../../lib/manifest/fast-yaml-writer';
import { useFastYamlWriter } from '../../lib/construct/cdk8s-fast-yaml';
import { errorOf, IMAGE } from '../helpers/charts';

// During App.synth / synthYaml of an app with bulwark constructs, cdk8s's Yaml.stringify writes each document with
// the fast writer (falling back to the original per document); outside those calls it is cdk8s's own.

const ROOT = path.join(__dirname, '..', '..');
const ORIGINAL_STRINGIFY = Yaml.stringify;

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-fast-yaml-'));
}

function readDir(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
}

function io(): CliIo {
  return { stdout: () => undefined, stderr: () => undefined, readStdin: async () => '', cwd: ROOT };
}

/** Runs `run` with the fast writer giving every document up, so cdk8s's original writes all of them. */
async function withoutFastWriter<T>(run: () => T | Promise<T>): Promise<T> {
  const spy = jest.spyOn(fastYamlWriter, 'stringifyManifest').mockReturnValue(undefined);
  try {
    return await run();
  } finally {
    spy.mockRestore();
  }
}

/** Counts the documents the fast writer writes (not gives up) while `run` runs. */
async function countFastWritten(run: () => unknown): Promise<{ written: number; givenUp: number }> {
  const spy = jest.spyOn(fastYamlWriter, 'stringifyManifest');
  try {
    await run();
    const results = spy.mock.results.map((r) => r.value as string | undefined);
    return {
      written: results.filter((r) => r !== undefined).length,
      givenUp: results.filter((r) => r === undefined).length,
    };
  } finally {
    spy.mockRestore();
  }
}

/** An ApiObject that records the Yaml.stringify in force when cdk8s or bulwark renders it. */
class Probe extends ApiObject {
  public static seen: (typeof Yaml.stringify)[] = [];
  public toJson(): unknown {
    Probe.seen.push(Yaml.stringify);
    return super.toJson();
  }
}

/** A chart with one HardenedDeployment (so bulwark's synth wrapper is installed) and a probe ConfigMap. */
function bulwarkApp(outdir = tmpdir()): { app: App; deployment: HardenedDeployment } {
  const app = new App({ outdir });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const deployment = new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
  new Probe(chart, 'probe', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'probe' },
    data: { mode: 'yes', port: '8080', text: 'line one\nline two' },
  });
  return { app, deployment };
}

beforeEach(() => {
  Probe.seen = [];
});

describe('the fast YAML writer during synthesis', () => {
  it('writes the files of `bulwark synth` (stacks/main.ts) byte for byte as cdk8s alone does', async () => {
    const fast = path.join(tmpdir(), 'out');
    const counts = await countFastWritten(async () =>
      expect(await synthCommand(['--out', fast, '--no-audit'], io())).toBe(0),
    );
    const plain = path.join(tmpdir(), 'out');
    await withoutFastWriter(async () => expect(await synthCommand(['--out', plain, '--no-audit'], io())).toBe(0));
    const files = readDir(fast);
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(3);
    expect(readDir(plain)).toEqual(files);
    // It did write, for most documents (the example app's one multi-line string is left to yaml).
    expect(counts.written).toBeGreaterThan(100);
    expect(counts.givenUp).toBe(1);
    expect(Yaml.stringify).toBe(ORIGINAL_STRINGIFY);
  });

  it('gives synthYaml the same text as cdk8s alone, and falls back per document for a multi-line string', async () => {
    const { app } = bulwarkApp();
    const counts = await countFastWritten(() => app.synthYaml());
    const fast = app.synthYaml();
    const plain = await withoutFastWriter(() => app.synthYaml());
    expect(fast).toBe(plain);
    expect(fast).toContain('data:\n  mode: "yes"\n  port: "8080"\n  text: |-\n    line one\n    line two\n');
    expect(counts).toEqual({ written: 5, givenUp: 1 });
  });

  it('is in force during App.synth and synthYaml only, and cdk8s own Yaml.stringify is back after them', () => {
    const { app } = bulwarkApp();
    app.synth();
    expect(Probe.seen.length).toBeGreaterThan(0);
    expect(Probe.seen.every((f) => f !== ORIGINAL_STRINGIFY)).toBe(true);
    expect(Yaml.stringify).toBe(ORIGINAL_STRINGIFY);
    Probe.seen = [];
    app.synthYaml();
    expect(Probe.seen.every((f) => f !== ORIGINAL_STRINGIFY)).toBe(true);
    expect(Yaml.stringify).toBe(ORIGINAL_STRINGIFY);
  });

  it('keeps the original join and undefined semantics: `---\\n` between documents, an empty line for undefined', () => {
    const { app } = bulwarkApp();
    app.synth();
    const replaced = Probe.seen[0];
    const docs = [{ a: 1 }, undefined, { b: 'x\ny' }, { c: [] }];
    expect(replaced(...docs)).toBe(ORIGINAL_STRINGIFY.call(Yaml, ...docs));
    expect(replaced(...docs)).toBe('a: 1\n---\n\n---\nb: |-\n  x\n  y\n---\nc: []\n');
    expect(replaced()).toBe('');
  });

  it('restores cdk8s own Yaml.stringify when synthesis is refused by a validation error', () => {
    const outdir = tmpdir();
    const { app, deployment } = bulwarkApp(outdir);
    deployment.resource.addJsonPatch(
      JsonPatch.replace('/spec/template/spec/containers/0/securityContext/privileged', true),
    );
    expect(errorOf(() => app.synth())).toContain('pss-baseline-privileged');
    expect(Probe.seen.length).toBeGreaterThan(0);
    expect(Probe.seen.every((f) => f !== ORIGINAL_STRINGIFY)).toBe(true);
    expect(Yaml.stringify).toBe(ORIGINAL_STRINGIFY);
    expect(errorOf(() => app.synthYaml())).toContain('pss-baseline-privileged');
    expect(Yaml.stringify).toBe(ORIGINAL_STRINGIFY);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  it('restores it when the original writer throws on a document', () => {
    const { app } = bulwarkApp();
    const failing = jest.spyOn(Yaml, 'stringify').mockImplementation(() => {
      throw new Error('disk full');
    });
    try {
      // The wrapper takes the spy for the original, and gives it the probe's document (a multi-line string).
      expect(() => app.synthYaml()).toThrow('disk full');
      expect(Yaml.stringify).toBe(failing);
    } finally {
      failing.mockRestore();
    }
    expect(Yaml.stringify).toBe(ORIGINAL_STRINGIFY);
  });

  it('leaves apps without bulwark constructs to cdk8s alone', () => {
    const app = new App({ outdir: tmpdir() });
    const chart = new Chart(app, 'plain');
    new Probe(chart, 'probe', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe' } });
    app.synth();
    expect(Probe.seen.length).toBeGreaterThan(0);
    expect(Probe.seen.every((f) => f === ORIGINAL_STRINGIFY)).toBe(true);
  });
});

describe('useFastYamlWriter', () => {
  it('replaces Yaml.stringify until restored, nested uses restoring in turn, with the same output', () => {
    const docs = [{ kind: 'A', list: [{ a: 1 }, []] }, undefined, { kind: 'B', text: 'x\ny', mode: 'on' }];
    const expected = ORIGINAL_STRINGIFY.call(Yaml, ...docs);
    const restoreOuter = useFastYamlWriter();
    const outer = Yaml.stringify;
    expect(outer).not.toBe(ORIGINAL_STRINGIFY);
    expect(Yaml.stringify(...docs)).toBe(expected);
    const restoreInner = useFastYamlWriter();
    expect(Yaml.stringify).not.toBe(outer);
    expect(Yaml.stringify(...docs)).toBe(expected);
    restoreInner();
    expect(Yaml.stringify).toBe(outer);
    restoreOuter();
    expect(Yaml.stringify).toBe(ORIGINAL_STRINGIFY);
  });
});
