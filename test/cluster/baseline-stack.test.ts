import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError } from '../../lib/cluster/config/config-error';
import { planStack, StackNotFoundError } from '../../lib/cluster/plan/plan-stack';
import { applyPathText, planJson } from '../../lib/cluster/plan/plan-report';
import { runCli } from '../helpers/temp-project';
import { validateBaselineStackConfig } from '../../lib/cluster/program/baseline-stack';

const ROOT = path.join(__dirname, '..', '..');
jest.setTimeout(180_000);

/** A project holding copies of the given example stack files and extra ones, running the repository's program. */
function project(files: Record<string, string>, copies: readonly string[] = []): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-baseline-stack-'));
  fs.writeFileSync(
    path.join(dir, 'Pulumi.yaml'),
    `name: bulwark\nruntime: nodejs\nmain: ${path.join(ROOT, 'stacks', 'cluster', 'index.ts')}\n`,
  );
  for (const s of copies)
    fs.copyFileSync(path.join(ROOT, 'stacks', `Pulumi.${s}.yaml`), path.join(dir, `Pulumi.${s}.yaml`));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), text);
  return dir;
}

describe('the EKS baseline stack (baselineApply: separate-stack)', () => {
  it('eks-prod-baseline applies eks-prod baseline through eks-prod kubeconfig, read by a StackReference', async () => {
    const cluster = await planStack('eks-prod', { cwd: ROOT });
    const plan = await planStack('eks-prod-baseline', { cwd: ROOT });
    expect(plan).toMatchObject({
      role: 'baseline',
      clusterStack: 'eks-prod',
      cloud: 'aws',
      clusterName: 'payments-prod',
    });
    expect(plan.posture.map((c) => [c.id, c.status])).toEqual([
      ['baseline-default-deny-namespaces', 'pass'],
      ['baseline-admission-policies', 'pass'],
      ['baseline-installed-in-new-cluster', 'pass'],
      ['baseline-encrypted-storage-class', 'pass'],
      ['baseline-exemption-grants', 'pass'],
    ]);
    const ref = plan.resources.find((r) => r.type === 'pulumi:pulumi:StackReference');
    expect(ref?.inputs.name).toBe('organization/bulwark/eks-prod');
    // The cluster stack creates no Kubernetes object; the baseline stack creates no cloud resource.
    expect(cluster.resources.filter((r) => r.type.startsWith('kubernetes:'))).toEqual([]);
    expect(plan.resources.filter((r) => r.type.startsWith('aws:'))).toEqual([]);
    const provider = plan.resources.find((r) => r.type === 'pulumi:providers:kubernetes');
    const eks = cluster.resources.find((r) => r.type === 'aws:eks/cluster:Cluster');
    expect(provider?.inputs.kubeconfig).toContain(`"server":"${String(eks?.state.endpoint)}"`);
    const namespaces = plan.resources
      .filter((r) => r.type === 'kubernetes:core/v1:Namespace')
      .map((r) => (r.inputs.metadata as { name: string }).name);
    expect(namespaces.sort()).toEqual(['ledger', 'payments']);
    const volumesKey = cluster.resources.find(
      (r) => r.type === 'aws:kms/key:Key' && String(r.inputs.description).includes('volumes'),
    );
    const storageClass = plan.resources.find((r) => r.type === 'kubernetes:storage.k8s.io/v1:StorageClass');
    expect((storageClass?.inputs.parameters as Record<string, string>).kmsKeyId).toBe(volumesKey?.state.arn);
    expect(applyPathText(cluster)).toContain('baseline stack of this project: eks-prod-baseline');
    expect(planJson(plan)).toMatchObject({ role: 'baseline', clusterStack: 'eks-prod' });
  });

  it('refuses to apply the baseline of a cluster stack that applies it itself (in-program): two managers', async () => {
    const dir = project({ 'staging-baseline': 'config:\n  bulwark:baselineFor: eks-staging\n' }, ['eks-staging']);
    // Out of process (the real CLI): a failing Pulumi program rejects Outputs nobody awaits, which Jest would report.
    const refused = await runCli(['plan', '--stack', 'staging-baseline'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'bulwark plan: the program failed under mocks:\n' +
        '  the cluster stack organization/bulwark/eks-staging has baselineApply "in-program", not separate-stack: its ' +
        'baseline is applied there (in-program) or by Flux (gitops), and a baseline stack would fight it. Fix: set ' +
        'bulwark:baselineApply: separate-stack in eks-staging and run its pulumi up first, or remove this stack\n',
    );
    const cluster = await planStack('eks-staging', { cwd: dir });
    expect(applyPathText(cluster)).toMatch(/^in-program: /);
  });

  it('names a separate-stack cluster stack that no baseline stack applies yet, and the file to add', async () => {
    const dir = project({}, ['eks-prod']);
    const plan = await planStack('eks-prod', { cwd: dir });
    expect(applyPathText(plan)).toMatch(
      /; no baseline stack of this project names it yet: add stacks\/Pulumi\.eks-prod-baseline\.yaml with bulwark:baselineFor: eks-prod$/,
    );
  });

  it('refuses a missing, self-referencing, chained or foreign cluster stack before running anything', async () => {
    const dir = project(
      {
        a: 'config:\n  bulwark:baselineFor: nowhere\n',
        self: 'config:\n  bulwark:baselineFor: self\n',
        chained: 'config:\n  bulwark:baselineFor: a\n',
        foreign: 'config:\n  bulwark:baselineFor: acme/other/eks-prod\n',
      },
      ['eks-prod'],
    );
    await expect(planStack('a', { cwd: dir })).rejects.toThrow(
      new StackNotFoundError(
        `stack 'nowhere' has no file Pulumi.nowhere.yaml; stacks: a, chained, eks-prod, foreign, self`,
      ),
    );
    await expect(planStack('self', { cwd: dir })).rejects.toThrow(
      'Pulumi.self.yaml: bulwark:baselineFor names this stack itself; name its cluster stack',
    );
    await expect(planStack('chained', { cwd: dir })).rejects.toThrow(
      "Pulumi.chained.yaml: bulwark:baselineFor 'a' is a baseline stack too; name the cluster stack it applies to",
    );
    await expect(planStack('foreign', { cwd: dir })).rejects.toThrow(
      "bulwark:baselineFor 'acme/other/eks-prod' is a stack of project 'other'; the offline plan reads stacks of this project ('bulwark') only",
    );
  });

  it('a baseline stack takes baselineFor only: any other key is refused (it comes from the cluster stack)', () => {
    expect(() =>
      validateBaselineStackConfig({ baselineFor: 'eks-prod', namespaces: ['x'] }, 'stacks/Pulumi.b.yaml'),
    ).toThrow(ConfigError);
    expect(() =>
      validateBaselineStackConfig({ baselineFor: 'eks-prod', namespaces: ['x'] }, 'stacks/Pulumi.b.yaml'),
    ).toThrow(/bulwark:namespaces.*unknown key for this cloud.*Fix: remove 'bulwark:namespaces'/s);
    expect(() => validateBaselineStackConfig({ baselineFor: 'a b' }, 'stacks/Pulumi.b.yaml')).toThrow(
      /bulwark:baselineFor.*"a b"/s,
    );
    expect(validateBaselineStackConfig({ baselineFor: 'acme/bulwark/eks-prod' }, 's')).toEqual({
      clusterStack: 'acme/bulwark/eks-prod',
    });
  });
});
