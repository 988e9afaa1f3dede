import * as fs from 'fs';
import type * as pulumi from '@pulumi/pulumi';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { readAddonsConfig } from '../../lib/cluster/addons/addons-config';
import { validateClusterConfig } from '../../lib/cluster/program/cluster-config';
import { logShippingControl } from '../../lib/cluster/addons/log-shipping';
import { formatPlanText } from '../../lib/cluster/plan/plan-report';
import { planStack, StackPlan } from '../../lib/cluster/plan/plan-stack';
import { PlanView } from '../../lib/cluster/posture/planned-resource';

const ROOT = path.join(__dirname, '..', '..');
const CLOUD = { 'eks-staging': 'aws', 'gke-staging': 'gcp', 'aks-staging': 'azure' } as const;
type Stack = keyof typeof CLOUD;

/** A project dir holding the example stack, with `extra` appended to its config. */
function project(stack: Stack, extra: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-log-shipping-'));
  fs.mkdirSync(path.join(dir, 'stacks'));
  const main = path.relative(dir, path.join(ROOT, 'stacks', 'cluster', 'index.ts'));
  fs.writeFileSync(
    path.join(dir, 'Pulumi.yaml'),
    `name: bulwark\nruntime: nodejs\nmain: ${main}\nstackConfigDir: stacks\n`,
  );
  const text = fs.readFileSync(path.join(ROOT, 'stacks', `Pulumi.${stack}.yaml`), 'utf8');
  fs.writeFileSync(path.join(dir, 'stacks', `Pulumi.${stack}.yaml`), `${text.trimEnd()}\n${extra}`);
  return dir;
}

/** Sets `props[key]` of every resource of `type` to what `edit` makes of it. */
function edit(type: string, change: (props: Record<string, unknown>) => Record<string, unknown>) {
  const t: pulumi.ResourceTransformation = (a) =>
    a.type === type ? { props: change(a.props as Record<string, unknown>), opts: a.opts } : undefined;
  return t;
}

/** An approval expiring in 90 days: within the add-on expiry policy whenever the test runs. */
const EXPIRES = new Date(Date.now() + 90 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const KUBE_BENCH = {
  image: `docker.io/aquasec/kube-bench:v0.10.1@sha256:${'b'.repeat(64)}`,
  grants: { approver: 'platform-team (PLAT-7)', expires: EXPIRES },
};

const control = (plan: StackPlan) => plan.posture.find((c) => c.id === 'addon-log-shipping');
const failing = (plan: StackPlan) =>
  control(plan)!
    .evidence.filter((e) => !e.pass)
    .map((e) => `${e.property} = ${JSON.stringify(e.actual)} (expected ${e.expected})`);

describe('bulwark:addons log-shipping', () => {
  it('takes no settings, and is allowed whatever the baseline apply path', () => {
    expect(readAddonsConfig({ 'log-shipping': {} }, undefined)).toEqual({ logShipping: { managedAgent: true } });
    expect(() => readAddonsConfig({ 'log-shipping': { agent: 'fluent-bit' } }, undefined)).toThrow(
      'bulwark:addons.log-shipping.agent: unknown setting: allowed are none',
    );
    // eks-prod applies its baseline from a separate stack, aks-prod through Flux: the in-cluster add-ons are refused
    // there, log shipping (made by the cloud component) is not.
    for (const stack of ['eks-prod', 'aks-prod']) {
      const text = fs.readFileSync(path.join(ROOT, 'stacks', `Pulumi.${stack}.yaml`), 'utf8');
      const raw = Object.fromEntries(
        Object.entries((parse(text) as { config: Record<string, unknown> }).config).map(([k, v]) => [
          k.replace(/^bulwark:/, ''),
          v,
        ]),
      );
      expect(validateClusterConfig({ ...raw, addons: { 'log-shipping': {} } }, 'stack.yaml').addons).toEqual({
        logShipping: { managedAgent: true },
      });
      expect(() =>
        validateClusterConfig({ ...raw, addons: { 'log-shipping': {}, 'kube-bench': KUBE_BENCH } }, 'stack.yaml'),
      ).toThrow('Allowed: add-ons only with bulwark:baselineApply: in-program');
    }
  });
});

describe.each(Object.keys(CLOUD) as Stack[])('log shipping on %s', (stack) => {
  const cloud = CLOUD[stack];
  let on: string;
  let off: string;
  let planOn: StackPlan;
  let planOff: StackPlan;
  beforeAll(async () => {
    on = project(stack, '  bulwark:addons:\n    log-shipping: {}\n');
    off = project(stack, '');
    planOn = await planStack(stack, { cwd: on });
    planOff = await planStack(stack, { cwd: off });
  }, 180_000);
  afterAll(() => {
    fs.rmSync(on, { recursive: true, force: true });
    fs.rmSync(off, { recursive: true, force: true });
  });

  it('is off by default: no control, and the control fails on what the stack makes', () => {
    expect(control(planOff)).toBeUndefined();
    const evidence = logShippingControl(cloud).evaluate(new PlanView(planOff.resources));
    // GKE ships node and container logs whatever the add-on says; EKS and AKS make nothing for it.
    expect(evidence.every((e) => e.pass)).toBe(cloud === 'gcp');
  });

  it('on: the addon-log-shipping control passes, with its evidence in the plan', () => {
    expect(control(planOn)?.status).toBe('pass');
    expect(planOn.posture.every((c) => c.status === 'pass')).toBe(true);
    const text = formatPlanText(planOn);
    const name = planOn.clusterName;
    if (cloud === 'aws') {
      for (const kind of ['application', 'host', 'dataplane', 'performance']) {
        const group = planOn.resources.find(
          (r) =>
            r.type === 'aws:cloudwatch/logGroup:LogGroup' && r.inputs.name === `/aws/containerinsights/${name}/${kind}`,
        );
        expect(group?.inputs.retentionInDays).toBe(365);
        expect(group?.inputs.kmsKeyId).toEqual(planOn.outputs.logsKeyArn);
      }
      expect(text).toContain('addonVersion = "v4.5.0-eksbuild.1"');
      expect(text).toContain('configurationValues = "{\\"containerLogs\\":{\\"enabled\\":true}}"');
      // The logs key may be used for the Container Insights groups too.
      const key = planOn.resources.find(
        (r) => r.type === 'aws:kms/key:Key' && String(r.inputs.policy).includes('containerinsights'),
      );
      expect(String(key?.inputs.policy)).toContain(`log-group:/aws/containerinsights/${name}/application`);
    }
    if (cloud === 'gcp') {
      expect(text).toContain('loggingConfig.enableComponents');
      expect(text).toContain('routes k8s_container and k8s_node logs');
    }
    if (cloud === 'azure') {
      expect(text).toContain('addonProfiles.omsagent.enabled = true');
      expect(text).toContain('addonProfiles.omsagent.config.useAADAuth = "true"');
      expect(text).toContain('retentionInDays = 365  (expected >= 365)');
    }
    expect(text).toContain('addon-log-shipping');
  });

  const broken: Record<typeof cloud, [string, pulumi.ResourceTransformation, string][]> = {
    aws: [
      [
        'a Container Insights log group kept 30 days',
        edit('aws:cloudwatch/logGroup:LogGroup', (p) =>
          String(p.name).endsWith('/application') ? { ...p, retentionInDays: 30 } : p,
        ),
        'retentionInDays = 30 (expected >= 365)',
      ],
      [
        'container logs switched off in the add-on',
        edit('aws:eks/addon:Addon', (p) =>
          p.addonName === 'amazon-cloudwatch-observability'
            ? { ...p, configurationValues: JSON.stringify({ containerLogs: { enabled: false } }) }
            : p,
        ),
        'configurationValues = "{\\"containerLogs\\":{\\"enabled\\":false}}" (expected JSON containerLogs.enabled = true)',
      ],
    ],
    gcp: [
      [
        'WORKLOADS missing from the logging components',
        edit('gcp:container/cluster:Cluster', (p) => ({
          ...p,
          loggingConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'APISERVER'] },
        })),
        'loggingConfig.enableComponents = ["SYSTEM_COMPONENTS","APISERVER"] (expected includes "SYSTEM_COMPONENTS", "WORKLOADS")',
      ],
      [
        'a log bucket kept 30 days',
        edit('gcp:logging/projectBucketConfig:ProjectBucketConfig', (p) => ({ ...p, retentionDays: 30 })),
        'retentionDays = 30 (expected >= 365)',
      ],
    ],
    azure: [
      [
        'a workspace kept 30 days',
        edit('azure-native:operationalinsights:Workspace', (p) => ({ ...p, retentionInDays: 30 })),
        'retentionInDays = 30 (expected >= 365)',
      ],
      [
        'the agent on the workspace shared key',
        edit('azure-native:containerservice:ManagedCluster', (p) => {
          const profiles = p.addonProfiles as { omsagent: { config: Record<string, unknown> } };
          const omsagent = { ...profiles.omsagent, config: { ...profiles.omsagent.config, useAADAuth: 'false' } };
          return { ...p, addonProfiles: { ...profiles, omsagent } };
        }),
        'addonProfiles.omsagent.config.useAADAuth = "false" (expected = "true")',
      ],
    ],
  };
  it.each(broken[cloud])(
    'fails the control with %s',
    async (_what, transformation, problem) => {
      const plan = await planStack(stack, { cwd: on, transformations: [transformation] });
      expect(control(plan)?.status).toBe('fail');
      expect(failing(plan)).toContain(problem);
    },
    120_000,
  );
});
