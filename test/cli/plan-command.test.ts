import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as pulumi from '@pulumi/pulumi';
import { CliIo } from '../../lib/cli/cli-io';
import { planCommand } from '../../lib/cli/plan-command';
import * as planStackModule from '../../lib/cluster/plan/plan-stack';

const ROOT = path.join(__dirname, '..', '..');
const STACKS = fs
  .readdirSync(path.join(ROOT, 'stacks'))
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();

async function plan(argv: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: async () => '',
    cwd,
  };
  const code = await planCommand(argv, io);
  return { code, stdout, stderr };
}

describe('bulwark plan', () => {
  it('has example stacks for AKS, EKS and GKE', () => {
    expect(STACKS).toEqual([
      'aks-prod',
      'aks-staging',
      'eks-prod',
      'eks-prod-baseline',
      'eks-staging',
      'gke-prod',
      'gke-staging',
    ]);
  });

  it('plans the baseline stack eks-prod-baseline: its cluster stack first, then the baseline controls', async () => {
    const { code, stdout, stderr } = await plan(['--stack', 'eks-prod-baseline']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(
      "bulwark plan: stack 'eks-prod-baseline' (stacks/Pulumi.eks-prod-baseline.yaml), baseline of Amazon EKS cluster 'payments-prod' (stack 'eks-prod')",
    );
    expect(lines[2]).toBe(
      "Baseline apply path: baseline stack of 'eks-prod': applies its baseline through a Kubernetes provider built " +
        "from eks-prod's kubeconfig output (StackReference); run `pulumi up` on a runner inside the network (an " +
        "authorized network), after eks-prod's own `pulumi up`.",
    );
    expect(lines[lines.length - 2]).toMatch(/^Result: PASS, 5 posture controls pass for \d+ resources$/);
  }, 180_000);

  it.each(STACKS.filter((s) => !s.endsWith('-baseline')))(
    'plans %s offline: every resource, every control passing with its proof, exit 0',
    async (stack) => {
      const { code, stdout, stderr } = await plan(['--stack', stack]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const lines = stdout.split('\n');
      expect(lines[0]).toMatch(new RegExp(`^bulwark plan: stack '${stack}' \\(stacks/Pulumi\\.${stack}\\.yaml\\), `));
      expect(lines[1]).toBe(
        'Offline: the real program (stacks/cluster/index.ts) ran under pulumi.runtime.setMocks. No Pulumi CLI, no credentials, nothing created.',
      );
      expect(stdout).toMatch(/^Resources it would create \(\d+\):$/m);
      expect(stdout).toMatch(new RegExp(`^  bulwark-${stack} +pulumi:pulumi:Stack$`, 'm'));
      const controls = lines.filter((l) => /^ {2}(PASS|FAIL) {2}/.test(l));
      expect(controls.length).toBeGreaterThanOrEqual(15);
      expect(lines[2]).toMatch(/^Baseline apply path: (in-program|gitops|separate-stack): /);
      expect(controls.filter((l) => l.startsWith('  FAIL'))).toEqual([]);
      expect(lines.filter((l) => l.startsWith('        NO '))).toEqual([]);
      expect(lines[lines.length - 2]).toMatch(/^Result: PASS, \d+ posture controls pass for \d+ resources$/);
    },
  );

  it('prints JSON with the resources (type, name, parent) and the checklist with its evidence', async () => {
    const { code, stdout } = await plan(['--stack=eks-prod', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.summary).toEqual({
      resources: json.resources.length,
      controls: json.posture.length,
      passed: json.posture.length,
      failed: 0,
    });
    expect(json.baselineApply).toBe('separate-stack');
    expect(json.runnerTools).toBe('aws CLI v2 (aws eks get-token, assuming the first admin role)');
    expect(json.resources[0]).toMatchObject({ type: 'pulumi:pulumi:Stack', name: 'bulwark-eks-prod', parent: null });
    expect(json.resources).toContainEqual(
      expect.objectContaining({
        type: 'aws:eks/cluster:Cluster',
        name: 'payments-prod-cluster',
        parent: 'payments-prod',
      }),
    );
    const privateEndpoint = json.posture.find((c: { id: string }) => c.id === 'eks-private-endpoint');
    expect(privateEndpoint).toEqual({
      id: 'eks-private-endpoint',
      title: 'API endpoint private only (public endpoint off)',
      references: ['CIS EKS 5.4.2'],
      status: 'pass',
      evidence: [
        {
          resource: 'aws:eks/cluster:Cluster payments-prod-cluster',
          property: 'vpcConfig.endpointPrivateAccess',
          actual: true,
          expected: '= true',
          pass: true,
        },
        {
          resource: 'aws:eks/cluster:Cluster payments-prod-cluster',
          property: 'vpcConfig.endpointPublicAccess',
          actual: false,
          expected: '= false',
          pass: true,
        },
      ],
    });
  });

  it('exits 1 and names the failing control when a registered setting breaks a control', async () => {
    const noEncryption: pulumi.ResourceTransformation = (a) =>
      a.type === 'aws:eks/cluster:Cluster'
        ? { props: { ...a.props, encryptionConfig: undefined }, opts: a.opts }
        : undefined;
    const broken = await planStackModule.planStack('eks-prod', { cwd: ROOT, transformations: [noEncryption] });
    const total = broken.posture.length;
    const spy = jest.spyOn(planStackModule, 'planStack').mockResolvedValue(broken);
    try {
      const { code, stdout } = await plan(['--stack', 'eks-prod']);
      expect(code).toBe(1);
      expect(stdout).toContain(`Posture checklist (${total - 1} of ${total} controls pass, 1 FAIL):`);
      expect(stdout).toContain(
        '  FAIL  eks-secrets-encryption: Secrets encrypted in etcd with a customer-managed KMS key that rotates [CIS EKS 5.3.1; NSA/CISA: encrypt Secrets at rest]\n' +
          '        NO  aws:eks/cluster:Cluster payments-prod-cluster  encryptionConfig.resources = not set  (expected includes "secrets")\n' +
          '        NO  aws:eks/cluster:Cluster payments-prod-cluster  encryptionConfig.provider.keyArn = not set  (expected the arn of a registered aws:kms/key:Key)\n',
      );
      expect(stdout.trimEnd().split('\n').pop()).toBe('Result: FAIL, 1 posture control failed: eks-secrets-encryption');
    } finally {
      spy.mockRestore();
    }
  });

  describe('errors (exit 2)', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-plan-'));
      fs.mkdirSync(path.join(dir, 'stacks'));
      fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), 'name: bulwark\nruntime: nodejs\nstackConfigDir: stacks\n');
      const eks = fs.readFileSync(path.join(ROOT, 'stacks', 'Pulumi.eks-prod.yaml'), 'utf8');
      fs.writeFileSync(
        path.join(dir, 'stacks', 'Pulumi.open.yaml'),
        eks.replace('- 10.20.0.0/16 # corporate VPN', '- 0.0.0.0/0').replace('minCount: 2', 'minCount: 0'),
      );
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('reports config errors with the key, the value and what is allowed, and plans nothing', async () => {
      const { code, stdout, stderr } = await plan(['--stack', 'open'], dir);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        'bulwark plan: stacks/Pulumi.open.yaml: 2 config errors:\n' +
          `  - config key 'bulwark:authorizedNetworks[0]' received "0.0.0.0/0" (opens the Kubernetes API to the whole internet). Allowed: an IPv4 CIDR of at most a /8 that you control (VPN, bastion or CI runner range), e.g. "10.20.0.0/16". Fix: list only the networks your administrators and CI connect from; reach the private endpoint through a VPN or bastion\n` +
          "  - config key 'bulwark:nodeGroups[0].minCount' received 0 (less than 1). Allowed: a whole number from 1 to 1000. Fix: at least 1 node, so the group can run the system pods; scale to zero by removing the group\n",
      );
    });

    it('refuses a project whose program exports no function', async () => {
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-plan-main-'));
      try {
        fs.mkdirSync(path.join(other, 'stacks'));
        fs.writeFileSync(
          path.join(other, 'Pulumi.yaml'),
          'name: bulwark\nruntime: nodejs\nmain: prog.js\nstackConfigDir: stacks\n',
        );
        fs.writeFileSync(path.join(other, 'prog.js'), 'module.exports = { created: "at import" };\n');
        fs.copyFileSync(
          path.join(ROOT, 'stacks', 'Pulumi.eks-prod.yaml'),
          path.join(other, 'stacks', 'Pulumi.eks-prod.yaml'),
        );
        const { code, stderr } = await plan(['--stack', 'eks-prod'], other);
        expect(code).toBe(2);
        expect(stderr).toBe(
          'bulwark plan: prog.js (Pulumi.yaml main) exports no function; the offline plan calls the program the way Pulumi does: export = async () => ...\n',
        );
      } finally {
        fs.rmSync(other, { recursive: true, force: true });
      }
    });

    it('names the stacks that exist when asked for one that does not', async () => {
      const { code, stderr } = await plan(['--stack', 'nope'], dir);
      expect(code).toBe(2);
      expect(stderr).toBe("bulwark plan: stack 'nope' has no file stacks/Pulumi.nope.yaml; stacks: open\n");
    });

    it('refuses missing or unknown options with the usage', async () => {
      const missing = await plan([]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(
        /^bulwark plan: missing --stack <name>, e\.g\. 'bulwark plan --stack eks-prod'\n\nusage: bulwark plan/,
      );
      const unknown = await plan(['--stack', 'eks-prod', '--yaml']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/^bulwark plan: unknown option '--yaml'\n/);
      const help = await plan(['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^usage: bulwark plan --stack <name> \[--json\]\n/);
    });
  });
});
