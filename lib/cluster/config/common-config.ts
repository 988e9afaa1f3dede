import { openToAllReason } from '../../k8s/cidr';
import { ConfigReader } from './config-reader';
import { DNS1123_LABEL } from '../../construct/validators';

/** One pool of worker nodes. Counts are totals for the node group (EKS) or the regional node pool (GKE). */
export interface NodeGroupConfig {
  readonly name: string;
  /** EC2 instance type (`m6i.large`) or Compute Engine machine type (`e2-standard-4`). */
  readonly machineType: string;
  readonly minCount: number;
  readonly maxCount: number;
  /** Nodes to start with; between minCount and maxCount. */
  readonly desiredCount: number;
  readonly diskSizeGb: number;
}

/** What every cloud asks a team to choose. Hardening is not here: it is fixed in the components. */
export interface CommonClusterConfig {
  readonly clusterName: string;
  readonly region: string;
  /** Kubernetes minor version, e.g. `1.31`. */
  readonly kubernetesVersion: string;
  /** Networks allowed to reach the (private) Kubernetes API endpoint. */
  readonly authorizedNetworks: readonly string[];
  readonly nodeGroups: readonly NodeGroupConfig[];
  /**
   * Dedicated pools for sensitive workloads, each labelled and tainted `bulwark.dev/pool=<name>:NoSchedule` (the
   * selector and toleration of `isolation: { pool: <name> }` in the constructs), hardened like the node groups.
   */
  readonly isolatedPools: readonly NodeGroupConfig[];
  /** Namespaces the baseline creates, each a DefaultDenyNamespace. */
  readonly namespaces: readonly string[];
}

/** How a cloud names and bounds the common values. */
export interface CloudConventions {
  /** Config field naming the machine type in a node group: `instanceType` (AWS) or `machineType` (GCP). */
  readonly machineTypeField: string;
  readonly machineTypePattern: RegExp;
  readonly machineTypeExample: string;
  readonly regionPattern: RegExp;
  readonly regionExample: string;
  /** Longest cluster name whose derived resource names (roles, service accounts) still fit the cloud's limits. */
  readonly maxClusterNameLength: number;
  /** Node group names the cloud accepts, when narrower than the default (`[a-z]` then `[-a-z0-9]`, at most 20). */
  readonly nodeGroupName?: { readonly pattern: RegExp; readonly allowed: string };
}

/** ValidatingAdmissionPolicy is v1 (GA) from Kubernetes 1.30; the baseline's admission policies need it. */
export const MIN_KUBERNETES_MINOR = 30;

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function readCommonConfig(r: ConfigReader, cloud: CloudConventions): CommonClusterConfig | undefined {
  const max = cloud.maxClusterNameLength;
  const clusterName = r.string('clusterName', r.value('clusterName'), {
    pattern: new RegExp(`^[a-z]([-a-z0-9]{0,${max - 2}}[a-z0-9])?$`),
    allowed: `lower-case letters, digits and '-', starting with a letter, at most ${max} characters`,
    fix: 'name the cluster after its purpose and environment, e.g. "payments-prod"',
  });
  const region = r.string('region', r.value('region'), {
    pattern: cloud.regionPattern,
    allowed: `a region name such as "${cloud.regionExample}"`,
    fix: `set the region the cluster runs in, e.g. "${cloud.regionExample}"`,
  });
  const kubernetesVersion = readKubernetesVersion(r);
  const authorizedNetworks = readAuthorizedNetworks(r);
  const nodeGroups = readNodeGroups(r, cloud);
  const isolatedPools = readIsolatedPools(r, cloud, nodeGroups ?? []);
  const namespaces = readNamespaces(r);
  if (
    clusterName === undefined ||
    region === undefined ||
    kubernetesVersion === undefined ||
    authorizedNetworks === undefined ||
    nodeGroups === undefined ||
    isolatedPools === undefined ||
    namespaces === undefined
  ) {
    return undefined;
  }
  return { clusterName, region, kubernetesVersion, authorizedNetworks, nodeGroups, isolatedPools, namespaces };
}

function readKubernetesVersion(r: ConfigReader): string | undefined {
  const value = r.value('kubernetesVersion');
  const allowed = `a quoted Kubernetes minor version "1.${MIN_KUBERNETES_MINOR}" or newer, e.g. "1.31"`;
  if (typeof value === 'number') {
    r.report(
      'kubernetesVersion',
      value,
      allowed,
      `quote it: kubernetesVersion: "${value.toFixed(2)}"`,
      'YAML reads an unquoted version as a number: 1.30 becomes 1.3',
    );
    return undefined;
  }
  const version = r.string('kubernetesVersion', value, {
    pattern: /^1\.\d{1,2}$/,
    allowed,
    fix: 'write major.minor only, e.g. "1.31"; the provider picks the newest patch',
  });
  if (version === undefined) return undefined;
  const minor = Number(version.split('.')[1]);
  if (minor < MIN_KUBERNETES_MINOR) {
    // "1.3" from pulumi.Config is an unquoted 1.30 that YAML read as a number before Pulumi stored it as text.
    const unquoted = minor < 10 && minor * 10 >= MIN_KUBERNETES_MINOR;
    r.report(
      'kubernetesVersion',
      version,
      allowed,
      unquoted
        ? `quote it in the stack file: kubernetesVersion: "1.${minor}0"`
        : `use "1.${MIN_KUBERNETES_MINOR}" or newer`,
      unquoted
        ? `looks like 1.${minor}0 written without quotes, which YAML reads as the number 1.${minor}`
        : `older than 1.${MIN_KUBERNETES_MINOR}, the first version with the ValidatingAdmissionPolicy v1 the baseline uses`,
    );
    return undefined;
  }
  return version;
}

function readAuthorizedNetworks(r: ConfigReader): readonly string[] | undefined {
  const list = r.list(
    'authorizedNetworks',
    r.value('authorizedNetworks'),
    1,
    'a list of at least one IPv4 CIDR your administrators and CI reach the private endpoint from',
    'add the VPN or bastion network, e.g. authorizedNetworks: ["10.20.0.0/16"]',
  );
  if (list === undefined) return undefined;
  const out = list.map((v, i) => r.authorizedCidr(`authorizedNetworks[${i}]`, v));
  if (!out.every((v): v is string => v !== undefined)) return undefined;
  // Networks that are each at most a /8 can still open the API to the internet together (221 public /8s).
  const together = openToAllReason(out);
  if (together) {
    r.report(
      'authorizedNetworks',
      out,
      'networks that together cover at most 6.25% of the public IPv4 space',
      'list only the networks your administrators and CI connect from; reach the private endpoint through a VPN or bastion',
      `opens the Kubernetes API to the internet: ${together}`,
    );
    return undefined;
  }
  return out;
}

function readNamespaces(r: ConfigReader): readonly string[] | undefined {
  const list = r.list(
    'namespaces',
    r.value('namespaces'),
    1,
    'a list of at least one namespace name: the baseline creates each as a default-deny namespace',
    'list the teams\' namespaces, e.g. namespaces: ["team-a", "team-b"]',
  );
  if (list === undefined) return undefined;
  const out: string[] = [];
  let ok = true;
  list.forEach((v, i) => {
    const path = `namespaces[${i}]`;
    const name = r.string(path, v, {
      pattern: DNS1123_LABEL,
      allowed: "DNS-1123 labels: lower-case letters, digits and '-', at most 63 characters",
      fix: 'use a name such as "team-a"',
    });
    if (name === undefined) ok = false;
    else if (name.length > 63) {
      r.report(path, name, 'at most 63 characters', 'shorten the name');
      ok = false;
    } else if (SYSTEM_NAMESPACES.includes(name)) {
      r.report(
        path,
        name,
        'a namespace of your own',
        'name the team\'s namespace, e.g. "team-a"',
        'a system namespace',
      );
      ok = false;
    } else if (out.includes(name)) {
      r.report(path, name, 'each namespace once', `remove the second "${name}"`, 'listed twice');
      ok = false;
    } else out.push(name);
  });
  return ok ? out : undefined;
}

const NODE_GROUP_FIELDS = ['name', 'minCount', 'maxCount', 'desiredCount', 'diskSizeGb'];

function readNodeGroups(r: ConfigReader, cloud: CloudConventions): readonly NodeGroupConfig[] | undefined {
  const list = r.list(
    'nodeGroups',
    r.value('nodeGroups'),
    1,
    `a list of at least one node group {name, ${cloud.machineTypeField}, minCount, maxCount}`,
    `add e.g. nodeGroups: [{name: system, ${cloud.machineTypeField}: ${cloud.machineTypeExample}, minCount: 2, maxCount: 4}]`,
  );
  if (list === undefined) return undefined;
  const out: NodeGroupConfig[] = [];
  let ok = true;
  list.forEach((item, i) => {
    const g = readNodeGroup(r, `nodeGroups[${i}]`, item, cloud);
    if (g === undefined) ok = false;
    else if (out.some((o) => o.name === g.name)) {
      r.report(
        `nodeGroups[${i}].name`,
        g.name,
        'a name used by one node group only',
        'rename one of them',
        'used twice',
      );
      ok = false;
    } else out.push(g);
  });
  return ok ? out : undefined;
}

/**
 * Optional dedicated pools, validated like node groups. A pool's name is also the value of its label and taint, so it
 * is the `isolation.pool` the workloads name; it may not repeat a node group's name.
 */
function readIsolatedPools(
  r: ConfigReader,
  cloud: CloudConventions,
  nodeGroups: readonly NodeGroupConfig[],
): readonly NodeGroupConfig[] | undefined {
  const list = r.list(
    'isolatedPools',
    r.value('isolatedPools'),
    0,
    `a list of dedicated pools {name, ${cloud.machineTypeField}, minCount, maxCount}, each labelled and tainted bulwark.dev/pool=<name>:NoSchedule`,
    `write e.g. isolatedPools: [{name: sensitive, ${cloud.machineTypeField}: ${cloud.machineTypeExample}, minCount: 2, maxCount: 4}], or leave the key out`,
  );
  if (list === undefined) return undefined;
  const out: NodeGroupConfig[] = [];
  let ok = true;
  list.forEach((item, i) => {
    const g = readNodeGroup(r, `isolatedPools[${i}]`, item, cloud, ISOLATED_POOL_FIXES);
    if (g === undefined) ok = false;
    else if (out.some((o) => o.name === g.name) || nodeGroups.some((o) => o.name === g.name)) {
      const other = nodeGroups.some((o) => o.name === g.name) ? 'a node group' : 'another isolated pool';
      r.report(
        `isolatedPools[${i}].name`,
        g.name,
        'a name no node group or other isolated pool uses (it becomes the bulwark.dev/pool label value)',
        'rename the pool after the workloads\' isolation.pool, e.g. "sensitive"',
        `also the name of ${other}`,
      );
      ok = false;
    } else out.push(g);
  });
  return ok ? out : undefined;
}

/** How to fix a node group's name and counts; an isolated pool's differ. */
interface NodeGroupFixes {
  readonly name: string;
  readonly count: string;
}

const NODE_GROUP_FIXES: NodeGroupFixes = {
  name: 'name the group after its role, e.g. "system" or "workers"',
  count: 'at least 1 node, so the group can run the system pods; scale to zero by removing the group',
};

const ISOLATED_POOL_FIXES: NodeGroupFixes = {
  name: 'name the pool as its workloads\' isolation.pool, e.g. "sensitive"',
  count: "at least 1 node, so the pool's workloads can be scheduled; remove the pool when no workload needs it",
};

function readNodeGroup(
  r: ConfigReader,
  path: string,
  item: unknown,
  cloud: CloudConventions,
  fixes: NodeGroupFixes = NODE_GROUP_FIXES,
): NodeGroupConfig | undefined {
  const g = r.object(path, item, 'a mapping with name, minCount, maxCount', 'write the node group as a mapping');
  if (g === undefined) return undefined;
  r.rejectUnknownFields(path, g, [...NODE_GROUP_FIELDS, cloud.machineTypeField]);
  const name = r.string(`${path}.name`, g.name, {
    pattern: cloud.nodeGroupName?.pattern ?? /^[a-z]([-a-z0-9]{0,18}[a-z0-9])?$/,
    allowed:
      cloud.nodeGroupName?.allowed ??
      "lower-case letters, digits and '-', starting with a letter, at most 20 characters",
    fix: fixes.name,
  });
  const machineType = r.string(`${path}.${cloud.machineTypeField}`, g[cloud.machineTypeField], {
    pattern: cloud.machineTypePattern,
    allowed: `a machine type such as "${cloud.machineTypeExample}"`,
    fix: `set ${cloud.machineTypeField}: ${cloud.machineTypeExample}`,
  });
  const countFix = fixes.count;
  const minCount = r.integer(`${path}.minCount`, g.minCount, { min: 1, max: 1000, fix: countFix });
  const maxCount = r.integer(`${path}.maxCount`, g.maxCount, { min: 1, max: 1000, fix: countFix });
  const desired = g.desiredCount ?? minCount;
  const desiredCount =
    desired === undefined
      ? undefined
      : r.integer(`${path}.desiredCount`, desired, { min: 1, max: 1000, fix: countFix });
  const diskSizeGb = r.integer(`${path}.diskSizeGb`, g.diskSizeGb ?? 50, {
    min: 20,
    max: 2000,
    fix: 'give each node 20 to 2000 GiB of root disk (default 50)',
  });
  if (minCount !== undefined && maxCount !== undefined && maxCount < minCount) {
    r.report(`${path}.maxCount`, maxCount, `at least minCount (${minCount})`, `set maxCount to ${minCount} or more`);
    return undefined;
  }
  if (
    minCount !== undefined &&
    maxCount !== undefined &&
    desiredCount !== undefined &&
    (desiredCount < minCount || desiredCount > maxCount)
  ) {
    r.report(
      `${path}.desiredCount`,
      desiredCount,
      `from minCount (${minCount}) to maxCount (${maxCount})`,
      'set desiredCount inside the range, or leave it out to start at minCount',
    );
    return undefined;
  }
  if (
    name === undefined ||
    machineType === undefined ||
    minCount === undefined ||
    maxCount === undefined ||
    desiredCount === undefined ||
    diskSizeGb === undefined
  ) {
    return undefined;
  }
  return { name, machineType, minCount, maxCount, desiredCount, diskSizeGb };
}
