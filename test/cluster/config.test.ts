import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { canonicalCidr, hasHostBits, isRfc1918, parseIpv4Cidr } from '../../lib/k8s/cidr';
import { validateClusterConfig } from '../../lib/cluster/program/cluster-config';
import { ConfigError } from '../../lib/cluster/config/config-error';
import { RawConfig } from '../../lib/cluster/config/config-reader';
import { rawConfigFromPulumi } from '../../lib/cluster/config/pulumi-config-source';
import { readStackConfig } from '../../lib/cluster/config/stack-file';

const STACKS = path.join(__dirname, '..', '..', 'stacks');
const SOURCE = 'stacks/Pulumi.test.yaml';
const eks = readStackConfig(path.join(STACKS, 'Pulumi.eks-prod.yaml'), 'stacks/Pulumi.eks-prod.yaml');
const gke = readStackConfig(path.join(STACKS, 'Pulumi.gke-prod.yaml'), 'stacks/Pulumi.gke-prod.yaml');

/** The problems of a refused config, one line each, without the header. */
function problems(raw: RawConfig): string[] {
  try {
    validateClusterConfig(raw, SOURCE);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    expect(e.message.split('\n')[0]).toBe(
      `${SOURCE}: ${e.problems.length} config error${e.problems.length === 1 ? '' : 's'}:`,
    );
    return e.message.split('\n').slice(1);
  }
  throw new Error('the config was accepted');
}

const CIDR_ALLOWED =
  'Allowed: an IPv4 CIDR of at most a /8 that you control (VPN, bastion or CI runner range), e.g. "10.20.0.0/16".';

describe('cluster stack config', () => {
  it('accepts the example EKS stack and fills the defaults', () => {
    const config = validateClusterConfig(eks, 'stacks/Pulumi.eks-prod.yaml');
    expect(config).toEqual({
      cloud: 'aws',
      clusterName: 'payments-prod',
      region: 'eu-west-1',
      kubernetesVersion: '1.35',
      environment: 'prod',
      maintenanceWindow: { days: ['Saturday', 'Sunday'], startHour: 2, durationHours: 6 },
      baselineApply: 'separate-stack',
      authorizedNetworks: ['10.20.0.0/16', '10.30.8.0/24'],
      nodeGroups: [
        { name: 'system', machineType: 'm6i.large', minCount: 2, maxCount: 4, desiredCount: 2, diskSizeGb: 50 },
        { name: 'workers', machineType: 'm7g.xlarge', minCount: 3, maxCount: 12, desiredCount: 3, diskSizeGb: 100 },
      ],
      isolatedPools: [
        { name: 'sensitive', machineType: 'm6i.large', minCount: 2, maxCount: 4, desiredCount: 2, diskSizeGb: 50 },
      ],
      namespaces: ['payments', 'ledger'],
      exemptionGrants: [
        {
          namespace: 'payments',
          kind: 'Deployment',
          name: 'fraud-scorer',
          rule: 'image-digest',
          reason: "vendor publishes signed tags only; digest pinned by the vendor's admission (SEC-204)",
          approver: 'platform-team (SEC-204)',
          expires: '2030-06-30T00:00:00Z',
        },
      ],
      vpcId: 'vpc-0a1b2c3d4e5f67890',
      privateSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002', 'subnet-0a1b2c3d4e5f60003'],
      adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admin'],
    });
  });

  it('accepts the example GKE stack', () => {
    const config = validateClusterConfig(gke, 'stacks/Pulumi.gke-prod.yaml');
    expect(config).toMatchObject({
      cloud: 'gcp',
      clusterName: 'search-prod',
      project: 'acme-search-prod',
      masterCidr: '172.16.0.32/28',
      nodeGroups: [
        { name: 'system', machineType: 'e2-standard-4', minCount: 3, maxCount: 6, desiredCount: 3, diskSizeGb: 50 },
        { name: 'search', machineType: 'n2-highmem-8', minCount: 3, maxCount: 30, desiredCount: 3, diskSizeGb: 200 },
      ],
    });
  });

  it('refuses an unknown cloud, naming the key, the value and the clouds it knows', () => {
    expect(problems({ ...eks, cloud: 'openstack' })).toEqual([
      `  - config key 'bulwark:cloud' received "openstack". Allowed: "aws", "gcp" or "azure". Fix: set bulwark:cloud to the cloud the cluster runs in (aws: EKS, gcp: GKE, azure: AKS)`,
    ]);
  });

  it('refuses 0.0.0.0/0 and malformed CIDRs as authorized networks, each with its own reason', () => {
    expect(
      problems({ ...eks, authorizedNetworks: ['0.0.0.0/0', '10.0.0.1/24', 'nope', '10.0.0.0/33', '1.0.0.0/7'] }),
    ).toEqual([
      `  - config key 'bulwark:authorizedNetworks[0]' received "0.0.0.0/0" (opens the Kubernetes API to the whole internet). ${CIDR_ALLOWED} Fix: list only the networks your administrators and CI connect from; reach the private endpoint through a VPN or bastion`,
      `  - config key 'bulwark:authorizedNetworks[1]' received "10.0.0.1/24" (host bits set). ${CIDR_ALLOWED} Fix: use the network address "10.0.0.0/24"`,
      `  - config key 'bulwark:authorizedNetworks[2]' received "nope" (not a CIDR). ${CIDR_ALLOWED} Fix: write address/prefix, e.g. "10.20.0.0/16" or "203.0.113.10/32"`,
      `  - config key 'bulwark:authorizedNetworks[3]' received "10.0.0.0/33" (not a CIDR). ${CIDR_ALLOWED} Fix: write address/prefix, e.g. "10.20.0.0/16" or "203.0.113.10/32"`,
      `  - config key 'bulwark:authorizedNetworks[4]' received "1.0.0.0/7" (opens the Kubernetes API to 33554432 addresses). ${CIDR_ALLOWED} Fix: list only the networks your administrators and CI connect from; reach the private endpoint through a VPN or bastion`,
    ]);
  });

  it('refuses a node count below 1 and ranges that do not hold together', () => {
    const groups = [
      { name: 'a', instanceType: 'm6i.large', minCount: 0, maxCount: 2 },
      { name: 'b', instanceType: 'm6i.large', minCount: 3, maxCount: 2 },
      { name: 'c', instanceType: 'm6i.large', minCount: 1, maxCount: 2, desiredCount: 5 },
    ];
    expect(problems({ ...eks, nodeGroups: groups })).toEqual([
      "  - config key 'bulwark:nodeGroups[0].minCount' received 0 (less than 1). Allowed: a whole number from 1 to 1000. Fix: at least 1 node, so the group can run the system pods; scale to zero by removing the group",
      "  - config key 'bulwark:nodeGroups[1].maxCount' received 2. Allowed: at least minCount (3). Fix: set maxCount to 3 or more",
      "  - config key 'bulwark:nodeGroups[2].desiredCount' received 5. Allowed: from minCount (1) to maxCount (2). Fix: set desiredCount inside the range, or leave it out to start at minCount",
    ]);
  });

  it("names the other cloud's machine-type field as unknown and the own one as missing", () => {
    const lines = problems({
      ...gke,
      nodeGroups: [{ name: 'a', instanceType: 'm6i.large', minCount: 1, maxCount: 2 }],
    });
    expect(lines).toEqual([
      "  - config key 'bulwark:nodeGroups[0].instanceType' received \"m6i.large\" (unknown field). Allowed: fields name, minCount, maxCount, desiredCount, diskSizeGb, machineType. Fix: remove 'instanceType' or correct its spelling",
      '  - config key \'bulwark:nodeGroups[0].machineType\' received nothing (required). Allowed: a machine type such as "e2-standard-4". Fix: set machineType: e2-standard-4',
    ]);
  });

  it('explains the unquoted-version trap of YAML, for a number and for the text Pulumi makes of it', () => {
    expect(problems({ ...eks, kubernetesVersion: 1.4 })).toEqual([
      `  - config key 'bulwark:kubernetesVersion' received 1.4 (YAML reads an unquoted version as a number: 1.40 becomes 1.4). Allowed: a quoted Kubernetes minor version the cloud supports in standard support: "1.36", "1.35", "1.34". Fix: quote it: kubernetesVersion: "1.40"`,
    ]);
    // What pulumi.Config hands over for an unquoted 1.30 of a cloud that supports 1.30 is "1.3".
    const withOld = { ...eks, kubernetesVersion: '1.3' };
    expect(problems(withOld)).toEqual([
      `  - config key 'bulwark:kubernetesVersion' received "1.3" (1.30 written without quotes? YAML reads it as the number 1.3; 1.30 is not supported either). Allowed: a quoted Kubernetes minor version the cloud supports in standard support: "1.36", "1.35", "1.34". Fix: upgrade to "1.34" or newer (one minor version per upgrade), e.g. "1.36" for a new cluster`,
    ]);
    expect(problems({ ...eks, kubernetesVersion: '1.29' })).toEqual([
      `  - config key 'bulwark:kubernetesVersion' received "1.29" (older than 1.30, the first version with the ValidatingAdmissionPolicy v1 the baseline uses). Allowed: a quoted Kubernetes minor version the cloud supports in standard support: "1.36", "1.35", "1.34". Fix: upgrade to "1.34" or newer (one minor version per upgrade), e.g. "1.36" for a new cluster`,
    ]);
    expect(problems({ ...eks, kubernetesVersion: '1.31' })).toEqual([
      `  - config key 'bulwark:kubernetesVersion' received "1.31" (out of standard support (extended support is billed extra and ends in forced upgrades)). Allowed: a quoted Kubernetes minor version the cloud supports in standard support: "1.36", "1.35", "1.34". Fix: upgrade to "1.34" or newer (one minor version per upgrade), e.g. "1.36" for a new cluster`,
    ]);
    expect(problems({ ...eks, kubernetesVersion: '1.37' })).toEqual([
      `  - config key 'bulwark:kubernetesVersion' received "1.37" (newer than any version this bulwark knows the cloud to support). Allowed: a quoted Kubernetes minor version the cloud supports in standard support: "1.36", "1.35", "1.34". Fix: upgrade to "1.34" or newer (one minor version per upgrade), e.g. "1.36" for a new cluster`,
    ]);
  });

  it('reports every problem of one stack at once, unknown keys last, with the keys a cloud knows', () => {
    const lines = problems({
      ...eks,
      clusterName: 'Payments_Prod',
      privateSubnetIds: ['subnet-0a1b2c3d'],
      extra: true,
    });
    expect(lines).toEqual([
      '  - config key \'bulwark:clusterName\' received "Payments_Prod". Allowed: lower-case letters, digits and \'-\', starting with a letter, at most 32 characters. Fix: name the cluster after its purpose and environment, e.g. "payments-prod"',
      `  - config key 'bulwark:privateSubnetIds' received ["subnet-0a1b2c3d"] (needs at least 2 items). Allowed: a list of at least two private subnet ids in different availability zones (EKS needs two zones). Fix: list the private subnets, e.g. privateSubnetIds: ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]`,
      "  - config key 'bulwark:extra' received true (unknown key for this cloud). Allowed: one of bulwark:addons, bulwark:adminRoleArns, bulwark:authorizedNetworks, bulwark:baselineApply, bulwark:cloud, bulwark:clusterName, bulwark:environment, bulwark:exemptionGrants, bulwark:isolatedPools, bulwark:kubernetesVersion, bulwark:maintenanceWindow, bulwark:namespaces, bulwark:nodeGroups, bulwark:privateSubnetIds, bulwark:region, bulwark:signers, bulwark:vpcId. Fix: remove 'bulwark:extra' or correct its spelling",
    ]);
  });

  it('refuses system and repeated namespaces, and GKE control-plane ranges that are not a private /28', () => {
    expect(problems({ ...gke, namespaces: ['search', 'kube-system', 'search'], masterCidr: '172.16.0.0/24' })).toEqual([
      `  - config key 'bulwark:namespaces[1]' received "kube-system" (a system namespace). Allowed: a namespace of your own. Fix: name the team's namespace, e.g. "team-a"`,
      `  - config key 'bulwark:namespaces[2]' received "search" (listed twice). Allowed: each namespace once. Fix: remove the second "search"`,
      `  - config key 'bulwark:masterCidr' received "172.16.0.0/24" (GKE needs a private /28 on a /28 boundary). Allowed: an RFC 1918 /28 not used elsewhere in the VPC, e.g. "172.16.0.32/28". Fix: reserve a free /28 for the control plane, e.g. "172.16.0.32/28"`,
    ]);
  });

  it('keeps one environment per cluster: a prod stack refuses namespaces of other environments, and the other way round', () => {
    expect(problems({ ...eks, namespaces: ['payments', 'payments-staging', 'qa-ledger'] })).toEqual([
      `  - config key 'bulwark:namespaces[1]' received "payments-staging" (names the staging environment in a prod cluster). Allowed: namespaces of the prod environment only (one cluster per environment). Fix: host staging workloads in the staging cluster's stack, and name this one without "staging"`,
      `  - config key 'bulwark:namespaces[2]' received "qa-ledger" (names the test environment in a prod cluster). Allowed: namespaces of the prod environment only (one cluster per environment). Fix: host test workloads in the test cluster's stack, and name this one without "test"`,
    ]);
    expect(problems({ ...eks, environment: 'staging', namespaces: ['payments', 'prod-ledger'] })).toEqual([
      `  - config key 'bulwark:namespaces[1]' received "prod-ledger" (names the prod environment in a staging cluster). Allowed: namespaces of the staging environment only (one cluster per environment). Fix: host prod workloads in the prod cluster's stack, and name this one without "prod"`,
    ]);
    // Words inside other words do not count: "production-line" would, "products" does not.
    expect(validateClusterConfig({ ...eks, namespaces: ['products', 'testimonials'] }, SOURCE).namespaces).toEqual([
      'products',
      'testimonials',
    ]);
  });

  it('refuses maintenance windows GKE would refuse and apply paths the cloud does not offer', () => {
    expect(problems({ ...gke, maintenanceWindow: { days: ['Sunday'], startHour: 2, durationHours: 4 } })).toEqual([
      `  - config key 'bulwark:maintenanceWindow' received {"days":["Sunday"],"durationHours":4} (16 hours in 32 days). Allowed: at least 48 hours of windows in any 32 days (GKE), i.e. days x durationHours >= 12. Fix: add a day or lengthen the window, e.g. days: [Saturday, Sunday] with durationHours: 6`,
    ]);
    expect(problems({ ...eks, baselineApply: 'gitops' })).toEqual([
      `  - config key 'bulwark:baselineApply' received "gitops". Allowed: "separate-stack", "in-program". Fix: use "separate-stack" (this cloud's reference path for a private cluster), or leave the key out`,
    ]);
  });

  it('refuses exemption grants that are malformed, too wide or expired, naming each entry', () => {
    const grant = {
      namespace: 'monitoring',
      kind: 'DaemonSet',
      name: 'node-exporter',
      rule: 'pss-baseline-host-namespaces',
      reason: 'reads host process metrics',
      approver: 'platform-team (TICKET-481)',
      expires: '2099-01-01T00:00:00Z',
    };
    const bySelector = { ...grant, kind: undefined, name: undefined };
    const config = (grants: unknown[]) => ({ ...eks, exemptionGrants: grants }) as RawConfig;
    expect(validateClusterConfig(config([grant]), SOURCE).exemptionGrants).toEqual([grant]);
    expect(
      problems(
        config([
          grant,
          { ...grant, kind: undefined },
          { ...bySelector, selector: {} },
          { ...bySelector, selector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['x'] }] } },
          { ...grant, expires: '2020-01-01T00:00:00Z' },
        ]),
      ).map((line) => line.replace(/ Allowed: .*$/, '')),
    ).toEqual([
      `  - config key 'bulwark:exemptionGrants[1].kind' received nothing (expected the kind of the named workload (Deployment, StatefulSet, DaemonSet, CronJob, Job, Pod, ...), got undefined).`,
      `  - config key 'bulwark:exemptionGrants[2].selector' received {} (the selector must pin at least one label value (matchLabels, or an In expression): with only NotIn, Exists or DoesNotExist it covers every other pod of the namespace).`,
      `  - config key 'bulwark:exemptionGrants[3].selector' received {"matchExpressions":[{"key":"app","operator":"NotIn","values":["x"]}]} (the selector must pin at least one label value (matchLabels, or an In expression): with only NotIn, Exists or DoesNotExist it covers every other pod of the namespace).`,
      `  - config key 'bulwark:exemptionGrants[4].expires' received "2020-01-01T00:00:00Z" (the grant has expired).`,
    ]);
  });

  it('lists every missing key of a bare config for its cloud', () => {
    const lines = problems({ cloud: 'aws' });
    expect(lines.map((l) => /'(bulwark:[^']+)'/.exec(l)?.[1])).toEqual([
      'bulwark:clusterName',
      'bulwark:region',
      'bulwark:kubernetesVersion',
      'bulwark:authorizedNetworks',
      'bulwark:nodeGroups',
      'bulwark:environment',
      'bulwark:namespaces',
      'bulwark:vpcId',
      'bulwark:privateSubnetIds',
      'bulwark:adminRoleArns',
    ]);
    expect(lines.every((l) => l.includes('received nothing (required)'))).toBe(true);
  });
});

describe('stack files and pulumi.Config feed the same validation', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-config-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses cloud provider keys in a stack file, since the components ignore them', () => {
    const file = path.join(dir, 'Pulumi.x.yaml');
    fs.writeFileSync(file, 'config:\n  bulwark:cloud: aws\n  aws:region: us-east-1\n  pulumi:tags: {team: a}\n');
    expect(() => readStackConfig(file, 'stacks/Pulumi.x.yaml')).toThrow(
      "stacks/Pulumi.x.yaml: 1 config error:\n  - config key 'aws:region' received a value not shown (it is or may be a secret) (the 'aws' namespace is not read by bulwark). Allowed: 'bulwark:<key>' entries (and pulumi: engine settings). Fix: remove it: the cluster components build their own aws provider from bulwark:region and friends; give credentials through the environment",
    );
  });

  it('refuses a stack file without a config mapping and one that is not YAML', () => {
    const empty = path.join(dir, 'Pulumi.empty.yaml');
    fs.writeFileSync(empty, 'encryptionsalt: abc\n');
    expect(() => readStackConfig(empty, 'stacks/Pulumi.empty.yaml')).toThrow(
      "stacks/Pulumi.empty.yaml: 1 config error:\n  - config key 'config' received nothing (missing or not a mapping). Allowed: a mapping of 'bulwark:<key>' entries. Fix: add config: with bulwark:cloud, bulwark:clusterName, ... (see stacks/Pulumi.eks-prod.yaml)",
    );
    const broken = path.join(dir, 'Pulumi.broken.yaml');
    fs.writeFileSync(broken, 'config:\n  bulwark:cloud: [aws\n');
    expect(() => readStackConfig(broken, 'stacks/Pulumi.broken.yaml')).toThrow(
      /^stacks\/Pulumi\.broken\.yaml: 1 config error:\n {2}- config key '\(file\)' received ".+" \(not readable YAML\)/,
    );
  });

  it('reads the same config through pulumi.Config as from the stack file (structured values as JSON)', () => {
    const all: Record<string, string> = {};
    for (const [k, v] of Object.entries(gke)) all[`bulwark:${k}`] = typeof v === 'string' ? v : JSON.stringify(v);
    all['aws:region'] = 'ignored-namespace';
    pulumi.runtime.setAllConfig(all);
    expect(rawConfigFromPulumi()).toEqual(gke);
    expect(validateClusterConfig(rawConfigFromPulumi(), 'stack gke-prod')).toEqual(
      validateClusterConfig(gke, 'stacks/Pulumi.gke-prod.yaml'),
    );
  });
});

describe('IPv4 CIDR helpers', () => {
  it('parses, canonicalizes and classifies networks', () => {
    const c = parseIpv4Cidr('10.1.2.3/16');
    expect(c).toEqual({ address: 0x0a010203, prefix: 16, text: '10.1.2.3/16' });
    expect(hasHostBits(c!)).toBe(true);
    expect(canonicalCidr(c!)).toBe('10.1.0.0/16');
    expect(parseIpv4Cidr('256.0.0.0/8')).toBeUndefined();
    expect(parseIpv4Cidr('10.0.0.0')).toBeUndefined();
    expect(isRfc1918(parseIpv4Cidr('172.31.255.240/28')!)).toBe(true);
    expect(isRfc1918(parseIpv4Cidr('172.32.0.0/28')!)).toBe(false);
    expect(isRfc1918(parseIpv4Cidr('10.0.0.0/7')!)).toBe(false);
    expect(canonicalCidr(parseIpv4Cidr('255.255.255.255/0')!)).toBe('0.0.0.0/0');
  });
});
