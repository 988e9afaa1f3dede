import { readAddonsConfig } from '../../lib/cluster/addons/addons-config';
import { ClusterAddons } from '../../lib/cluster/addons/cluster-addons';
import {
  BULWARK_FALCO_RULES,
  FALCO_CAPABILITIES,
  FALCO_UPSTREAM,
  falcoGrantRequests,
  falcoObjects,
} from '../../lib/cluster/addons/falco';
import * as fs from 'fs';
import * as path from 'path';
import type { K8sObject } from '../../lib/k8s/k8s-object';
import type { ExemptionGrant } from '../../lib/policy/exemption-grants';
import { clusterImagePolicy, scanAgeRego } from '../../lib/cluster/addons/image-policy';
import {
  POLICY_CONTROLLER_UPSTREAM,
  policyControllerGrantRequests,
  policyControllerObjects,
} from '../../lib/cluster/addons/policy-controller';
import { KUBE_BENCH_BENCHMARKS, kubeBenchGrantRequests, kubeBenchObjects } from '../../lib/cluster/addons/kube-bench';
import { addonExemptionGrants } from '../../lib/cluster/addons/addon-exemptions';
import { MAX_ADDON_GRANT_DAYS } from '../../lib/cluster/addons/addon-grants';
import { MockRun, runUnderMocks } from '../../lib/cluster/plan/run-under-mocks';
import * as k8s from '@pulumi/kubernetes';
import { parse } from 'yaml';
import { audit } from '../../lib/policy';

const echo = {
  newResource: (a: { name: string; inputs: Record<string, unknown> }) => ({ id: `${a.name}-id`, state: a.inputs }),
  call: () => ({}),
};
const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEabc+def/123=\n-----END PUBLIC KEY-----\n';
const SIGNERS = [
  { name: 'release', key: PEM },
  {
    name: 'ci',
    issuer: 'https://token.actions.githubusercontent.com',
    subjectRegExp: '^https://github\\.com/acme/app/\\.github/workflows/release\\.yml@refs/heads/main$',
  },
];
const KUBE_BENCH_IMAGE = `docker.io/aquasec/kube-bench:v0.10.1@sha256:${'a'.repeat(64)}`;
const FALCO_IMAGE = `docker.io/falcosecurity/falco:0.44.1@sha256:${'c'.repeat(64)}`;
/** An approval expiring in 90 days: within the add-on expiry policy whenever the test runs. */
const EXPIRES = new Date(Date.now() + 90 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const GRANTS = { approver: 'platform-team (PLAT-7)', expires: EXPIRES };
const ALL = {
  'image-policy': { grants: GRANTS },
  falco: { image: FALCO_IMAGE, grants: GRANTS },
  'kube-bench': { image: KUBE_BENCH_IMAGE, grants: GRANTS },
};

describe('bulwark:addons', () => {
  it('is empty (every add-on off) when absent', () => {
    expect(readAddonsConfig(undefined, undefined)).toEqual({});
  });

  it.each([
    [
      { falcon: {} },
      undefined,
      'bulwark:addons.falcon: unknown add-on: allowed are image-policy, falco, kube-bench, log-shipping',
    ],
    [{ 'image-policy': {} }, [], 'bulwark:addons.image-policy: needs at least one signer in bulwark:signers'],
    [
      { 'image-policy': { maxScanAgeHours: -1 } },
      SIGNERS,
      'bulwark:addons.image-policy.maxScanAgeHours: expected whole hours from 0 (no scan required) to 8760, got -1',
    ],
    [
      { 'kube-bench': { image: 'aquasec/kube-bench:latest' } },
      undefined,
      `bulwark:addons.kube-bench.image: expected the kube-bench image pinned by digest (docker.io/aquasec/kube-bench:<tag>@sha256:<digest>; resolve it with 'crane digest'), got "aquasec/kube-bench:latest"`,
    ],
    [
      { falco: { image: 'docker.io/falcosecurity/falco:0.44.1', grants: GRANTS } },
      undefined,
      `bulwark:addons.falco.image: expected the falco image pinned by digest (docker.io/falcosecurity/falco:<tag>@sha256:<digest>; resolve it with 'crane digest'), got "docker.io/falcosecurity/falco:0.44.1"`,
    ],
    [
      { falco: { privileged: true } },
      undefined,
      'bulwark:addons.falco.privileged: unknown setting: allowed are image, grants',
    ],
  ])('refuses %j (signers %j)', (addons, signers, message) => {
    expect(() => readAddonsConfig(addons, signers)).toThrow(message);
  });

  describe('an add-on with privileges needs an approval of its grants, within the expiry policy', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    const read = (grants: unknown) => () =>
      readAddonsConfig(
        { falco: grants === undefined ? { image: FALCO_IMAGE } : { image: FALCO_IMAGE, grants } },
        [],
        now,
      );
    it.each([
      [
        undefined,
        'bulwark:addons.falco.grants: expected { approver: <person or ticket>, expires: <RFC 3339 instant> }, got undefined',
      ],
      [
        { approver: 'me', expires: '2027-01-01T00:00:00Z', rule: 'x' },
        'bulwark:addons.falco.grants: expected { approver: <person or ticket>, expires: <RFC 3339 instant> }: unknown field "rule"',
      ],
      [{ approver: '\u200b', expires: '2027-01-01T00:00:00Z' }, 'bulwark:addons.falco.grants: approver: '],
      [
        { approver: 'me', expires: '2027-01-01' },
        'bulwark:addons.falco.grants: expires: expected an RFC 3339 date-time with whole seconds such as 2027-01-31T00:00:00Z, got "2027-01-01"',
      ],
      [
        { approver: 'me', expires: '2026-11-30T11:59:59Z' },
        "bulwark:addons.falco.grants: expires: 2026-11-30T11:59:59Z has passed: review the add-on's privileges again and set a later expiry",
      ],
      [
        { approver: 'me', expires: '2027-12-02T12:00:01Z' },
        `bulwark:addons.falco.grants: expires: 2027-12-02T12:00:01Z is more than ${MAX_ADDON_GRANT_DAYS} days ahead: node-level privileges are approved again at least once a year`,
      ],
    ])('refuses %j', (grants, message) => {
      expect(read(grants)).toThrow(message);
    });

    it('accepts an approver and an expiry up to a year ahead, and grants every request with it', () => {
      const addons = readAddonsConfig(
        {
          falco: { image: FALCO_IMAGE, grants: { approver: 'alice', expires: '2027-12-01T12:00:00Z' } },
          'kube-bench': { image: KUBE_BENCH_IMAGE, grants: { approver: 'PLAT-9', expires: '2027-01-01T00:00:00Z' } },
        },
        [],
        now,
      );
      const grants = addonExemptionGrants(addons);
      expect(
        new Set(grants.map((g) => `${g.kind} ${g.namespace}/${g.name} by ${g.approver} until ${g.expires}`)),
      ).toEqual(
        new Set([
          'DaemonSet bulwark-falco/falco by alice until 2027-12-01T12:00:00Z',
          'CronJob bulwark-kube-bench/kube-bench by PLAT-9 until 2027-01-01T00:00:00Z',
        ]),
      );
      const imagePolicy = readAddonsConfig(
        { 'image-policy': { grants: { approver: 'bob', expires: '2027-01-01T00:00:00Z' } } },
        SIGNERS,
        now,
      );
      expect(addonExemptionGrants(imagePolicy).map((g) => `${g.kind}/${g.name} ${g.rule} by ${g.approver}`)).toEqual(
        policyControllerGrantRequests().map((r) => `${r.kind}/${r.name} ${r.rule} by bob`),
      );
    });

    it('refuses image-policy without an approval: policy-controller writes its webhook configurations', () => {
      expect(() => readAddonsConfig({ 'image-policy': {} }, SIGNERS, now)).toThrow(
        'bulwark:addons.image-policy.grants: expected { approver: <person or ticket>, expires: <RFC 3339 instant> }, got undefined',
      );
    });
  });
});

describe('the image-policy add-on: signed images, SBOM and a recent scan', () => {
  const policy = clusterImagePolicy({
    signers: readAddonsConfig(ALL, SIGNERS).imagePolicy!.signers,
  });

  it('admits an image signed by any allowed signer, and requires its SBOM and a scan from the last week', () => {
    const spec = policy.spec as { mode: string; images: unknown; authorities: Record<string, unknown>[] };
    expect(spec.mode).toBe('enforce');
    expect(spec.images).toEqual([{ glob: '**' }]);
    expect(spec.authorities.map((a) => a.name)).toEqual(['release', 'ci']);
    expect(spec.authorities[0].key).toEqual({ data: PEM, hashAlgorithm: 'sha256' });
    expect(spec.authorities[1].keyless).toEqual({
      url: 'https://fulcio.sigstore.dev',
      identities: [{ issuer: SIGNERS[1].issuer, subjectRegExp: SIGNERS[1].subjectRegExp }],
    });
    for (const a of spec.authorities) {
      expect((a.attestations as { predicateType: string }[]).map((x) => x.predicateType)).toEqual([
        'https://cyclonedx.org/bom',
        'https://cosign.sigstore.dev/attestation/vuln/v1',
      ]);
    }
    expect(scanAgeRego(168)).toContain('time.now_ns() - finished <= 604800000000000');
  });

  it('refuses to build a policy with no signer (it would refuse every image, or with a mistake admit any)', () => {
    expect(() => clusterImagePolicy({ signers: [] })).toThrow('the image-policy add-on needs at least one signer');
  });
});

describe('the kube-bench add-on: its manifests pass the audit with exactly the exemptions it asks to be granted', () => {
  it.each(['aws', 'gcp', 'azure'] as const)(
    '%s: runs the cloud benchmark; every finding is one of its grants',
    (cloud) => {
      const objects = kubeBenchObjects({ cloud, image: KUBE_BENCH_IMAGE });
      const cron = objects.find((o) => o.kind === 'CronJob') as unknown as {
        spec: { jobTemplate: { spec: { template: { spec: { containers: { command: string[] }[] } } } } };
      };
      expect(cron.spec.jobTemplate.spec.template.spec.containers[0].command).toEqual([
        'kube-bench',
        'run',
        '--targets',
        'node',
        '--benchmark',
        KUBE_BENCH_BENCHMARKS[cloud],
        '--json',
      ]);
      const grants = addonExemptionGrants(readAddonsConfig(ALL, SIGNERS));
      // Without the grants every request is reported, as admission would deny it.
      expect(new Set(audit(objects, { grants: [] }).findings.map((f) => f.ruleId))).toEqual(
        new Set(kubeBenchGrantRequests().map((g) => g.rule)),
      );
      const result = audit(objects, { grants });
      expect(result.findings).toEqual([]);
      const exempted = new Set(
        result.exempted.map(
          (f) => `${f.object.kind} ${f.object.namespace}/${f.object.name} ${f.ruleId} ${f.grant?.approver}`,
        ),
      );
      const granted = new Set(
        kubeBenchGrantRequests().map((g) => `${g.kind} ${g.namespace}/${g.name} ${g.rule} platform-team (PLAT-7)`),
      );
      expect(exempted).toEqual(granted);
    },
  );

  it('asks for nothing that would widen its privileges beyond the grants: no capability, no privilege, read-only mounts', () => {
    const text = JSON.stringify(kubeBenchObjects({ cloud: 'aws', image: KUBE_BENCH_IMAGE }));
    expect(text).not.toContain('"privileged":true');
    expect(text).not.toContain('"add"');
    expect(text).not.toContain('hostNetwork');
    expect(text).not.toContain('DirectoryOrCreate');
    const cron = kubeBenchObjects({ cloud: 'aws', image: KUBE_BENCH_IMAGE }).find((o) => o.kind === 'CronJob');
    const mounts = (
      cron as unknown as {
        spec: {
          jobTemplate: { spec: { template: { spec: { containers: { volumeMounts: { readOnly: boolean }[] }[] } } } };
        };
      }
    ).spec.jobTemplate.spec.template.spec.containers[0].volumeMounts;
    expect(mounts.every((m) => m.readOnly)).toBe(true);
  });
});

describe('the falco add-on', () => {
  const objects = falcoObjects({ image: FALCO_IMAGE });
  const daemonSet = objects.find((o) => o.kind === 'DaemonSet') as K8sObject;
  type Pod = {
    containers: Record<string, unknown>[];
    volumes: { name: string; hostPath?: { path: string } }[];
  };
  const podOf = (ds: K8sObject) => (ds.spec as { template: { spec: Pod } }).template.spec;

  it("bulwark's rules cover the four cases and are valid YAML rule entries", () => {
    const rules = parse(BULWARK_FALCO_RULES) as { rule?: string; condition?: string; priority?: string }[];
    expect(rules.filter((r) => r.rule).map((r) => r.rule)).toEqual([
      'bulwark shell in a container',
      'bulwark outbound connection from a workload without egress',
      'bulwark write below /etc or /usr',
      'bulwark ServiceAccount token read by another process',
    ]);
    expect(rules.every((r) => !r.rule || (r.condition && r.priority))).toBe(true);
  });

  it('runs the least-privileged modern eBPF driver: four capabilities, every other dropped, not privileged', () => {
    const c = podOf(daemonSet).containers[0] as { securityContext: Record<string, unknown> };
    expect(c.securityContext).toMatchObject({
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: [...FALCO_CAPABILITIES] },
    });
    expect(
      parse((objects.find((o) => o.metadata?.name === 'falco-config')!.data as Record<string, string>)['bulwark.yaml']),
    ).toMatchObject({ engine: { kind: 'modern_ebpf' }, json_output: true, stdout_output: { enabled: true } });
  });

  it("matches the chart's own rendering of 9.1.0 (falcosecurity/deploy-kubernetes): image, arguments, environment, probes, and no host path the chart does not mount", () => {
    const upstream = parse(
      fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'falco-9.1.0', 'daemonset.yaml'), 'utf8'),
    ) as K8sObject;
    expect((upstream.metadata?.labels as Record<string, string>)['helm.sh/chart']).toBe(
      `falco-${FALCO_UPSTREAM.version}`,
    );
    const theirs = podOf(upstream);
    const ours = podOf(daemonSet);
    const [t, o] = [theirs.containers.find((c) => c.name === 'falco')!, ours.containers[0]];
    expect(String(o.image).split('@')[0]).toBe(t.image);
    expect(t.image).toBe(`docker.io/falcosecurity/falco:${FALCO_UPSTREAM.appVersion}`);
    for (const field of ['args', 'env', 'ports', 'startupProbe', 'livenessProbe', 'readinessProbe']) {
      expect([field, o[field]]).toEqual([field, t[field]]);
    }
    const hostPaths = (pod: Pod) => pod.volumes.filter((v) => v.hostPath).map((v) => v.hostPath!.path);
    expect(hostPaths(ours).every((p) => hostPaths(theirs).includes(p))).toBe(true);
    // The chart's default runs privileged with a driver loader and falcoctl containers; bulwark's has one container.
    expect(ours.containers).toHaveLength(1);
    expect(JSON.stringify(ours)).not.toContain('initContainers');
  });
});

/** `Kind namespace/name rule`, or `Kind name rule` for a cluster-scoped object. */
const key = (g: { kind?: string; namespace?: string; name?: string }, rule: string) =>
  `${g.kind} ${g.namespace === undefined ? '' : `${g.namespace}/`}${g.name} ${rule}`;

/** The rule ids a set of objects is reported for, and the grants exempting the rest, with their approver. */
function audited(objects: readonly K8sObject[], grants: readonly ExemptionGrant[]) {
  const result = audit(objects, { grants });
  return {
    findings: result.findings.map((f) => key(f.object, f.ruleId)),
    exempted: result.exempted.map((f) => `${key(f.object, f.ruleId)} by ${f.grant?.approver}`),
  };
}

describe("every add-on's manifests pass the audit with only its granted exemptions", () => {
  const grants = addonExemptionGrants(readAddonsConfig(ALL, SIGNERS));
  const cases: [string, K8sObject[], { kind: string; namespace?: string; name: string; rule: string }[]][] = [
    ['falco', falcoObjects({ image: FALCO_IMAGE }), falcoGrantRequests()],
    ...(['aws', 'gcp', 'azure'] as const).map(
      (cloud): [string, K8sObject[], ReturnType<typeof kubeBenchGrantRequests>] => [
        `kube-bench (${cloud})`,
        kubeBenchObjects({ cloud, image: KUBE_BENCH_IMAGE }),
        kubeBenchGrantRequests(),
      ],
    ),
    [
      'image-policy (policy-controller and the ClusterImagePolicy)',
      [
        ...policyControllerObjects(),
        clusterImagePolicy({ signers: readAddonsConfig(ALL, SIGNERS).imagePolicy!.signers }),
      ],
      policyControllerGrantRequests(),
    ],
  ];
  it.each(cases)('%s', (_name, objects, requests) => {
    // Without grants each request is a finding (admission would deny the pods), and nothing else is, but for the pods
    // whose ServiceAccount a requesting Role or ClusterRole is bound to: their roles' requests do not count either, so
    // the pods hold what the RBAC rules forbid (workload-service-account-powers).
    const roles = new Set(requests.filter((g) => g.kind === 'Role' || g.kind === 'ClusterRole').map((g) => g.name));
    const powered = objects
      .filter((o) => o.kind === 'Deployment' || o.kind === 'DaemonSet' || o.kind === 'CronJob')
      .filter((o) => roles.has(String(o.metadata?.name)))
      .map((o) =>
        key(
          { kind: o.kind, namespace: o.metadata?.namespace, name: o.metadata?.name },
          'workload-service-account-powers',
        ),
      );
    expect(new Set(audited(objects, []).findings)).toEqual(
      new Set([...requests.map((g) => key(g, g.rule)), ...powered]),
    );
    // With the add-on grants: no finding, and exactly the requests are exempted, each by its approver.
    const withGrants = audited(objects, grants);
    expect(withGrants.findings).toEqual([]);
    expect(new Set(withGrants.exempted)).toEqual(
      new Set(requests.map((g) => `${key(g, g.rule)} by platform-team (PLAT-7)`)),
    );
  });
});

describe.each(['aws', 'gcp', 'azure'] as const)('ClusterAddons under mocks on %s', (cloud) => {
  let run: MockRun;
  let grants: number;
  beforeAll(async () => {
    run = await runUnderMocks(
      () => {
        const provider = new k8s.Provider('k8s', { kubeconfig: 'KUBECONFIG' });
        const a = new ClusterAddons('addons', { provider, cloud, addons: readAddonsConfig(ALL, SIGNERS) });
        grants = a.grants.length;
        return { installed: a.installed };
      },
      { project: 'p', stack: 's', mocks: echo },
    );
  });

  it('installs each add-on as the objects the audit judges (no Helm release), and the policy from the signers', () => {
    expect(run.resources.filter((r) => r.type.startsWith('kubernetes:helm.sh/'))).toEqual([]);
    const webhook = run.resources.find(
      (r) => r.type === 'kubernetes:apps/v1:Deployment' && r.name.endsWith('policy-controller-webhook'),
    );
    expect(JSON.stringify(webhook?.inputs)).toContain(POLICY_CONTROLLER_UPSTREAM.image);
    // Every object policyControllerObjects builds is a resource, the CRDs included.
    const applied = new Set(
      run.resources.map(
        (r) =>
          `${r.type.replace(/^kubernetes:/, '')} ${String(r.inputs.metadata && (r.inputs.metadata as { name?: string }).name)}`,
      ),
    );
    for (const o of policyControllerObjects()) {
      const group = o.apiVersion.includes('/') ? o.apiVersion : `core/${o.apiVersion}`;
      expect(applied).toContain(`${group}:${o.kind} ${o.metadata?.name}`);
    }
    const falco = run.resources.find((r) => r.type === 'kubernetes:apps/v1:DaemonSet');
    expect(JSON.stringify(falco?.inputs)).toContain(FALCO_IMAGE);
    expect(
      run.resources.find((r) => r.type === 'kubernetes:policy.sigstore.dev/v1beta1:ClusterImagePolicy'),
    ).toBeDefined();
    const cron = run.resources.find((r) => r.type === 'kubernetes:batch/v1:CronJob');
    expect(JSON.stringify(cron?.inputs)).toContain(KUBE_BENCH_BENCHMARKS[cloud]);
    expect(run.outputs.installed).toEqual(['image-policy', 'falco', 'kube-bench']);
    expect(grants).toBe(
      policyControllerGrantRequests().length + falcoGrantRequests().length + kubeBenchGrantRequests().length,
    );
  });
});

describe('ClusterAddons with nothing configured', () => {
  it('installs nothing: every add-on is off by default', async () => {
    const run = await runUnderMocks(
      () => {
        const provider = new k8s.Provider('k8s', { kubeconfig: 'KUBECONFIG' });
        new ClusterAddons('addons', { provider, cloud: 'aws', addons: readAddonsConfig(undefined, undefined) });
        return {};
      },
      { project: 'p', stack: 's', mocks: echo },
    );
    expect(run.resources.filter((r) => r.custom && r.type !== 'pulumi:providers:kubernetes')).toEqual([]);
  });
});
