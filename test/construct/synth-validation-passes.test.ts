import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing, Yaml } from 'cdk8s';
import { HardenedDeployment } from '../../lib';
import { errorOf, IMAGE } from '../helpers/charts';

// cdk8s validates the whole app at the start of App.synth and again for every chart it writes. These tests pin down
// that bulwark's validation gives the same answers however often and in whatever way it is asked, while rendering
// the app once per synthesis.

const STRINGIFY = Yaml.stringify;
const SYNTH = App.prototype.synth;

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-passes-'));
}

/** An app of `charts` charts (namespace = chart id), two workloads each, every one admitting the other. */
function teamsApp(charts: number, outdir = tmpdir()): { app: App; deployments: HardenedDeployment[] } {
  const app = new App({ outdir });
  const deployments: HardenedDeployment[] = [];
  for (let i = 0; i < charts; i++) {
    const chart = new Chart(app, `team-${i}`, { namespace: `team-${i}` });
    const a = new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
    const b = new HardenedDeployment(chart, 'web', { image: IMAGE, port: 8080 });
    a.allowFrom(b);
    b.allowFrom(a);
    deployments.push(a, b);
  }
  return { app, deployments };
}

function makePrivileged(d: HardenedDeployment): void {
  d.resource.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/privileged', true));
}

const PRIVILEGED = (chart: string, name: string) =>
  `[${chart}] pss-baseline-privileged: Deployment ${chart}/${name} container '${name}' (construct '${chart}/${name}/Resource'): container '${name}' sets securityContext.privileged=true; allowed: false or unset. Fix: Remove securityContext.privileged (or set it to false) on every container; grant only the specific capability the workload needs instead.`;

describe('synth-time validation across charts and passes', () => {
  it('reports a violation in the last of several charts, under that chart, and writes nothing', () => {
    const outdir = tmpdir();
    const { app, deployments } = teamsApp(3, outdir);
    makePrivileged(deployments[5]);
    const message = errorOf(() => app.synth());
    expect(message).toContain(PRIVILEGED('team-2', 'web'));
    expect(message.match(/pss-baseline-privileged/g)).toHaveLength(1);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  it('gives synthYaml, Testing.synth and a direct node.validate() the same errors as App.synth', () => {
    const { app, deployments } = teamsApp(2);
    makePrivileged(deployments[1]);
    const chart = deployments[1].node.scope as Chart;
    expect(errorOf(() => app.synth())).toContain(PRIVILEGED('team-0', 'web'));
    expect(errorOf(() => app.synthYaml())).toContain(PRIVILEGED('team-0', 'web'));
    expect(errorOf(() => Testing.synth(chart))).toContain(PRIVILEGED('team-0', 'web'));
    // The line cdk8s prints is `[<chart path>] <error>`; the validation itself returns the error.
    expect(chart.node.validate()).toEqual([PRIVILEGED('team-0', 'web').replace('[team-0] ', '')]);
    expect((deployments[2].node.scope as Chart).node.validate()).toEqual([]);
  });

  it('sees a change made between two synths in the same synchronous run', () => {
    const { app, deployments } = teamsApp(2);
    expect(() => app.synth()).not.toThrow();
    makePrivileged(deployments[3]);
    expect(errorOf(() => app.synth())).toContain(PRIVILEGED('team-1', 'web'));
    expect(errorOf(() => app.synthYaml())).toContain(PRIVILEGED('team-1', 'web'));
  });

  it('sees a change made after a synth that failed', () => {
    const { app, deployments } = teamsApp(2);
    makePrivileged(deployments[0]);
    expect(errorOf(() => app.synth())).toContain(PRIVILEGED('team-0', 'api'));
    new ApiObject(deployments[2].node.scope as Chart, 'debug', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug' },
      spec: { containers: [{ name: 'sh', image: IMAGE, securityContext: { privileged: true } }] },
    });
    const message = errorOf(() => app.synth());
    expect(message).toContain(PRIVILEGED('team-0', 'api'));
    expect(message).toMatch(/\[team-1\] pss-baseline-privileged: Pod team-1\/debug container 'sh'/);
  });

  it('reports two constructs producing the same object in the chart of the second one only', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'shop' });
    const b = new Chart(app, 'b', { namespace: 'shop' });
    new HardenedDeployment(a, 'api', { image: IMAGE, port: 8080 });
    new HardenedDeployment(b, 'api', { image: IMAGE, port: 8080 });
    const message = errorOf(() => app.synth());
    expect(message).toContain(
      "[b] constructs 'a/api' and 'b/api' produce the same objects: ServiceAccount shop/api, NetworkPolicy shop/api-ingress, Deployment shop/api, Service shop/api, PodDisruptionBudget shop/api.",
    );
    expect(message).not.toContain('[a] constructs');
  });

  it('renders each object once to validate per App.synth and synthYaml, however many charts', () => {
    const outdir = tmpdir();
    const { app } = teamsApp(4, outdir);
    const calls = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      app.synth();
      const objects = app.node.findAll().filter((c) => c instanceof ApiObject).length;
      expect(objects).toBe(4 * 2 * 6);
      // Once for bulwark's validation, once by cdk8s to write.
      expect(calls).toHaveBeenCalledTimes(2 * objects);
      calls.mockClear();
      const yaml = app.synthYaml();
      expect(calls).toHaveBeenCalledTimes(2 * objects);
      expect(yaml).toContain('name: api-egress');
    } finally {
      calls.mockRestore();
    }
    const written = fs.readFileSync(path.join(outdir, 'team-0.k8s.yaml'), 'utf8');
    expect(written).toContain('name: api-ingress');
    expect(written).toContain('readOnlyRootFilesystem: true');
  });

  it('changes nothing in cdk8s: no own synth, synthYaml or toJson, cdk8s writes YAML with its own writer', () => {
    const { app, deployments } = teamsApp(2);
    const own = () => [
      Object.getOwnPropertyNames(app).filter((k) => k === 'synth' || k === 'synthYaml'),
      app.node
        .findAll()
        .filter((c) => Object.prototype.hasOwnProperty.call(c, 'toJson'))
        .map((c) => c.node.path),
    ];
    const seen: unknown[] = [];
    // A validation of the app's own, run by cdk8s in the middle of the synthesis, looks at cdk8s as it is then.
    deployments[0].node.addValidation({
      validate: () => {
        seen.push(own(), Yaml.stringify === STRINGIFY, App.prototype.synth === SYNTH);
        return [];
      },
    });
    app.synth();
    expect(seen.length).toBeGreaterThan(0);
    for (let i = 0; i < seen.length; i += 3) expect(seen.slice(i, i + 3)).toEqual([[[], []], true, true]);
    expect(own()).toEqual([[], []]);
  });
});
