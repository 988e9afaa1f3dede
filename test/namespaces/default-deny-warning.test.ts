import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { BulwarkChart, DefaultDenyNamespace, HardenedDeployment } from '../../lib';
import { synthCommand } from '../../lib/cli/synth-command';
import { audit } from '../../lib/policy';
import { captureIo } from '../helpers/capture-io';
import { IMAGE } from '../helpers/charts';

const RULE = 'network-workload-namespace-default-deny';

function findings(build: (app: ReturnType<typeof Testing.app>) => Chart): string[] {
  const app = Testing.app();
  const chart = build(app);
  return audit(Testing.synth(chart), { only: [RULE] }).findings.map(
    (f) => `${f.severity} ${f.object.kind} ${f.object.name}: ${f.message}`,
  );
}

/** A workload whose namespace has no DefaultDenyNamespace in the app: egress is open, and synth says so. */
describe('a workload without a DefaultDenyNamespace in the app', () => {
  it('gets a warning (not an error: the namespace may be provisioned elsewhere) naming the namespace and the fix', () => {
    expect(
      findings((app) => {
        const chart = new Chart(app, 'shop', { namespace: 'shop' });
        new HardenedDeployment(chart, 'cart', { image: IMAGE, port: 7070 });
        return chart;
      }),
    ).toEqual([
      "warning Deployment cart: namespace 'shop' has no default-deny NetworkPolicy for ingress and egress in the input (podSelector: {} with policyTypes Ingress and Egress), so the pod's egress is open to any destination (its NetworkPolicies 'cart-ingress' restrict only ingress), and any traffic of pods added to the namespace later is allowed; add a DefaultDenyNamespace('shop') or a default-deny NetworkPolicy, or exempt the workload when the namespace is managed elsewhere",
    ]);
  });

  it('is quiet with a DefaultDenyNamespace, or when a BulwarkChart marks the namespace as managed elsewhere', () => {
    expect(
      findings((app) => {
        const chart = new Chart(app, 'shop', { namespace: 'shop' });
        new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
        new HardenedDeployment(chart, 'cart', { image: IMAGE, port: 7070 });
        return chart;
      }),
    ).toEqual([]);
    expect(
      findings((app) => {
        const chart = new BulwarkChart(app, 'shop', {
          namespace: 'shop',
          defaults: { exemptions: [{ rule: RULE, reason: 'namespace shop is provisioned by platform-infra' }] },
        });
        new HardenedDeployment(chart, 'cart', { image: IMAGE, port: 7070 });
        return chart;
      }),
    ).toEqual([]);
  });

  it('one warning per pod: network-egress-isolation speaks only when the namespace is marked as managed elsewhere', () => {
    const both = (exempt: boolean) => {
      const app = Testing.app();
      const chart = new BulwarkChart(app, 'shop', {
        namespace: 'shop',
        ...(exempt
          ? { defaults: { exemptions: [{ rule: RULE, reason: 'namespace shop is provisioned by platform-infra' }] } }
          : {}),
      });
      new HardenedDeployment(chart, 'cart', { image: IMAGE, port: 7070 });
      return audit(Testing.synth(chart), { only: [RULE, 'network-egress-isolation'] }).findings.map(
        (f) => `${f.ruleId}: ${f.message}`,
      );
    };
    expect(both(false).map((f) => f.split(':')[0])).toEqual([RULE]);
    expect(both(true)).toEqual([
      "network-egress-isolation: the NetworkPolicies selecting the pod in namespace 'shop' ('cart-ingress') restrict only ingress, so its egress is open to any destination; add a policy with policyTypes Egress",
    ]);
  });

  it('is printed by bulwark synth, which still writes the output', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-default-deny-'));
    const lib = path.join(__dirname, '..', '..', 'lib');
    fs.writeFileSync(
      path.join(dir, 'app.ts'),
      `import { Chart } from ${JSON.stringify(path.dirname(require.resolve('cdk8s/package.json')))};
import { HardenedDeployment } from ${JSON.stringify(lib)};
export function build(app: any) {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new HardenedDeployment(chart, 'cart', { image: ${JSON.stringify(IMAGE)}, port: 7070 });
}
`,
    );
    const io = captureIo(dir);
    expect(await synthCommand(['--app', 'app.ts', '--out', 'dist', '--no-audit'], io)).toBe(0);
    const audited = captureIo(dir);
    expect(await synthCommand(['--app', 'app.ts', '--out', 'dist'], audited)).toBe(0);
    // The rule ids are long: each message starts on the line under its rule id.
    expect(audited.out()).toMatch(new RegExp(`29  warning   ${RULE}\n +namespace 'shop' has no default-deny`));
    // One warning for the pod, with one fix: network-egress-isolation defers to it (both were printed before).
    expect(audited.out()).not.toContain('network-egress-isolation');
    expect(audited.out()).toContain('5 objects, 0 errors, 1 warning, 0 exempted in 1 file');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
