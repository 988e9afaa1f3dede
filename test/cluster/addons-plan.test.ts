import * as fs from 'fs';
import type * as pulumi from '@pulumi/pulumi';
import * as os from 'os';
import * as path from 'path';
import { formatPlanText } from '../../lib/cluster/plan/plan-report';
import { planStack, StackPlan } from '../../lib/cluster/plan/plan-stack';
import { validateClusterConfig } from '../../lib/cluster/program/cluster-config';
import { parse } from 'yaml';
import { ConfigError } from '../../lib/cluster/config/config-error';
import { normalizeMarkdown, planSection, REPORT, reportStackConfig } from '../../scripts/gen-addons-report';

const ROOT = path.join(__dirname, '..', '..');
/** An approval expiring in 90 days: within the add-on expiry policy whenever the test runs. */
const EXPIRES = new Date(Date.now() + 90 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ADDONS = reportStackConfig(EXPIRES);

/** The example staging stacks (baseline installed by the program), with every add-on switched on. */
describe.each(['eks-staging', 'gke-staging', 'aks-staging'])('bulwark plan of %s with the add-ons on', (stack) => {
  let dir: string;
  let plan: StackPlan;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-addons-plan-'));
    fs.mkdirSync(path.join(dir, 'stacks'));
    const main = path.relative(dir, path.join(ROOT, 'stacks', 'cluster', 'index.ts'));
    fs.writeFileSync(
      path.join(dir, 'Pulumi.yaml'),
      `name: bulwark\nruntime: nodejs\nmain: ${main}\nstackConfigDir: stacks\n`,
    );
    const text = fs.readFileSync(path.join(ROOT, 'stacks', `Pulumi.${stack}.yaml`), 'utf8');
    fs.writeFileSync(path.join(dir, 'stacks', `Pulumi.${stack}.yaml`), `${text.trimEnd()}\n${ADDONS}`);
    plan = await planStack(stack, { cwd: dir });
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('shows each add-on as a passing control, with the evidence', () => {
    const addons = plan.posture.filter((c) => c.id.startsWith('addon-'));
    expect(addons.map((c) => [c.id, c.status])).toEqual([
      ['addon-image-policy', 'pass'],
      ['addon-falco', 'pass'],
      ['addon-kube-bench', 'pass'],
      ['addon-log-shipping', 'pass'],
    ]);
    const text = formatPlanText(plan);
    expect(text).toContain('Only images signed by the allowed signers (with SBOM and a recent scan) are admitted');
    expect(text).toContain("Runtime detection: Falco with bulwark's rules, least-privileged eBPF driver");
    expect(text).toContain(
      'spec.template.spec.containers[0].securityContext.capabilities.add = ["BPF","PERFMON","SYS_PTRACE","SYS_RESOURCE"]  (expected exactly BPF, PERFMON, SYS_PTRACE, SYS_RESOURCE)',
    );
    expect(text).toContain('Scheduled CIS scan of the nodes (kube-bench, benchmark');
    expect(plan.posture.every((c) => c.status === 'pass')).toBe(true);
  });

  it("fails the add-on's control when the baseline's grant set lacks one of its grants", async () => {
    const dropFalcoGrant: pulumi.ResourceTransformation = (a) => {
      if (a.type !== 'kubernetes:bulwark.dev/v1alpha1:ExemptionGrantSet') return undefined;
      const spec = a.props.spec as { grants: { kind?: string; rule: string }[] };
      const grants = spec.grants.filter((g) => !(g.kind === 'DaemonSet' && g.rule === 'pss-baseline-apparmor'));
      return { props: { ...a.props, spec: { ...spec, grants } }, opts: a.opts };
    };
    const broken = await planStack(stack, { cwd: dir, transformations: [dropFalcoGrant] });
    expect(broken.posture.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['addon-falco']);
    expect(formatPlanText(broken)).toContain(
      `NO  kubernetes:bulwark.dev/v1alpha1:ExemptionGrantSet ${broken.clusterName}-baseline-bulwark  spec.grants[DaemonSet bulwark-falco/falco pss-baseline-apparmor] = not set  (expected granted with an approver, expiring within a year)`,
    );
  }, 120_000);

  it("installs the add-ons' grants in the baseline's ExemptionGrantSet and shows each in the checklist", () => {
    const sets = plan.resources.filter((r) => r.type === 'kubernetes:bulwark.dev/v1alpha1:ExemptionGrantSet');
    expect(sets).toHaveLength(1);
    const grants = (sets[0].inputs.spec as { grants: Record<string, string>[] }).grants;
    const addonGrants = grants.filter(
      (g) => g.namespace === undefined || g.namespace.startsWith('bulwark-') || g.namespace === 'cosign-system',
    );
    expect(addonGrants.map((g) => `${g.kind} ${g.namespace ?? '(cluster-scoped)'}/${g.name}`).sort()).toEqual([
      'ClusterRole (cluster-scoped)/policy-controller-webhook',
      ...Array(5).fill('CronJob bulwark-kube-bench/kube-bench'),
      ...Array(7).fill('DaemonSet bulwark-falco/falco'),
      'Deployment cosign-system/policy-controller-webhook',
      'NetworkPolicy cosign-system/policy-controller-webhook',
      'Role cosign-system/policy-controller-webhook',
    ]);
    expect(addonGrants.every((g) => g.approver === 'platform-team (PLAT-7)' && g.expires === EXPIRES)).toBe(true);
    const text = formatPlanText(plan);
    expect(text).toContain(
      `ok  kubernetes:bulwark.dev/v1alpha1:ExemptionGrantSet ${plan.clusterName}-baseline-bulwark  spec.grants[DaemonSet bulwark-falco/falco pss-baseline-capabilities] = "by platform-team (PLAT-7) until ${EXPIRES}"`,
    );
    expect(text).toContain(
      `spec.grants[CronJob bulwark-kube-bench/kube-bench pss-baseline-host-namespaces] = "by platform-team (PLAT-7) until ${EXPIRES}"  (expected granted with an approver, expiring within a year)`,
    );
    expect(text).toContain(
      `spec.grants[ClusterRole policy-controller-webhook rbac-policy-write] = "by platform-team (PLAT-7) until ${EXPIRES}"`,
    );
  });

  it("labels the baseline's namespaces for the image policy and outputs the add-ons' grants", () => {
    const namespaces = plan.resources.filter(
      (r) =>
        r.type === 'kubernetes:core/v1:Namespace' &&
        ['payments', 'ledger', 'search', 'indexer', 'payroll'].includes((r.inputs.metadata as { name: string }).name),
    );
    expect(namespaces.length).toBeGreaterThan(0);
    for (const ns of namespaces) {
      expect((ns.inputs.metadata as { labels: Record<string, string> }).labels['policy.sigstore.dev/include']).toBe(
        'true',
      );
    }
    expect(plan.outputs.addons).toEqual(['image-policy', 'falco', 'kube-bench']);
  });

  it("is what docs/addons-report.md shows for this cloud's add-on controls (scripts/gen-addons-report.ts)", () => {
    const cloud = { 'eks-staging': 'aws', 'gke-staging': 'gcp', 'aks-staging': 'azure' }[stack] as string;
    const doc = normalizeMarkdown(fs.readFileSync(REPORT, 'utf8'));
    expect(doc).toContain(normalizeMarkdown(planSection(cloud, plan, EXPIRES)));
    const requests = plan.outputs.addonExemptionGrants as { namespace?: string; rule: string }[];
    expect(new Set(requests.map((g) => g.namespace))).toEqual(
      new Set([undefined, 'cosign-system', 'bulwark-falco', 'bulwark-kube-bench']),
    );
  });
});

describe('bulwark:addons in the stack config', () => {
  const text = fs.readFileSync(path.join(ROOT, 'stacks', 'Pulumi.eks-prod.yaml'), 'utf8');
  const base = Object.fromEntries(
    Object.entries((parse(text) as { config: Record<string, unknown> }).config).map(([k, v]) => [
      k.replace(/^bulwark:/, ''),
      v,
    ]),
  );
  it('is refused with a separate-stack baseline, and an unknown add-on is named', () => {
    const read = (extra: Record<string, unknown>) => {
      try {
        validateClusterConfig({ ...base, ...extra }, 'stack.yaml');
      } catch (e) {
        return (e as ConfigError).message;
      }
      return '';
    };
    expect(read({ addons: { falcon: {} } })).toContain(
      'bulwark:addons.falcon: unknown add-on: allowed are image-policy, falco, kube-bench, log-shipping',
    );
    expect(read({})).toBe('');
    const falco = {
      falco: {
        image: `docker.io/falcosecurity/falco:0.44.1@sha256:${'c'.repeat(64)}`,
        grants: { approver: 'me', expires: EXPIRES },
      },
    };
    expect(read({ addons: falco })).toBe(
      `stack.yaml: 1 config error:\n  - config key 'bulwark:addons' received ${JSON.stringify(falco)} (the add-ons are installed with the baseline, through the cluster provider of this program). Allowed: add-ons only with bulwark:baselineApply: in-program. Fix: remove bulwark:addons, or install the baseline from this program`,
    );
  });
});
