import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { renderApp } from '../../lib/cli/synth-render';

/**
 * renderApp (what `bulwark synth` writes) against cdk8s's own App.synth on generated apps: charts nested in charts
 * and in plain constructs, ApiObjects at every depth, ids that are array indexes (enumerated first by cdk8s's graphs)
 * and ids that differ only in case (the same file name), and dependencies between any two constructs (objects,
 * charts, plain constructs, across charts and into nested charts). Both must write the same files with the same
 * bytes, or both refuse.
 */

type Kind = 'chart' | 'construct' | 'object';
interface Spec {
  readonly kind: Kind;
  readonly id: string;
  readonly children: readonly Spec[];
}

const IDS = ['a', 'b', 'B', 'web', '0', '2', '10', '01', 'x-y'];

const spec: fc.Memo<Spec> = fc.memo((depth) =>
  fc.record({
    kind: fc.constantFrom<Kind>('chart', 'construct', 'object', 'object'),
    id: fc.constantFrom(...IDS),
    children: depth <= 1 ? fc.constant([]) : fc.array(spec(depth - 1), { maxLength: 3 }),
  }),
);

interface AppSpec {
  readonly top: readonly Spec[];
  readonly deps: readonly (readonly [number, number])[];
}

const appSpec: fc.Arbitrary<AppSpec> = fc.record({
  // Mostly charts at the top: a plain construct there holds charts or nothing rendered.
  top: fc.array(
    spec(3).map((x) => (x.kind === 'object' ? { ...x, kind: 'chart' as const } : x)),
    { minLength: 1, maxLength: 4 },
  ),
  deps: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
});

/**
 * Builds the app, then adds the dependencies between constructs inside a chart (or charts): a dependency on a
 * construct outside every chart fails both ways alike (cdk8s's Chart.of throws).
 */
function build(outdir: string, s: AppSpec): App {
  const app = new App({ outdir });
  const made: IConstruct[] = [];
  const add = (scope: Construct, x: Spec, inChart: boolean) => {
    if (scope.node.tryFindChild(x.id)) return;
    let c: Construct;
    if (x.kind === 'chart') c = new Chart(scope, x.id, { namespace: 'ns' });
    else if (x.kind === 'object' && inChart) {
      const name = `cm-${made.length}`;
      c = new ApiObject(scope, x.id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
    } else c = new Construct(scope, x.id);
    if (inChart || x.kind === 'chart') made.push(c);
    for (const child of x.children) add(c, child, inChart || x.kind === 'chart');
  };
  for (const x of s.top) add(app, x, false);
  if (made.length > 0) {
    for (const [i, j] of s.deps) {
      const source = made[i % made.length];
      const target = made[j % made.length];
      if (source !== target) source.node.addDependency(target);
    }
  }
  return app;
}

type Outcome = { files: Record<string, string> } | { error: string };

function cdk8sSynth(s: AppSpec): Outcome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-render-'));
  try {
    build(dir, s).synth();
    return {
      files: Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')])),
    };
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function bulwarkSynth(s: AppSpec): Outcome {
  try {
    // Written one after the other as `bulwark synth` writes them: a later file of the same name replaces an earlier.
    const files: Record<string, string> = {};
    for (const f of renderApp(build(path.join(os.tmpdir(), 'bulwark-render-unused'), s))) files[f.name] = f.text;
    return { files };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('renderApp writes what cdk8s App.synth writes', () => {
  it('the same files with the same bytes, or an error both ways, on generated apps', () => {
    fc.assert(
      fc.property(appSpec, (s) => {
        const theirs = cdk8sSynth(s);
        const ours = bulwarkSynth(s);
        if ('error' in theirs) expect(ours).toEqual({ error: expect.any(String) });
        else expect(ours).toEqual(theirs);
      }),
      { numRuns: 300 },
    );
  });
});

jest.setTimeout(300_000);
