import { openToAllReason } from '../../k8s/cidr';
import { DNS1123_LABEL } from '../../k8s/dns-names';
import type {
  BaselineApplyPath,
  CloudConventions,
  CommonClusterConfig,
  Environment,
  GitOpsSource,
  MaintenanceWindow,
  NodeGroupConfig,
  Weekday,
} from '../contracts/cloud-contracts';
import { ConfigReader } from './config-reader';
import { checkGrant, ExemptionGrant, parseExpires } from '../../policy/exemption-grants';

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
  const kubernetesVersion = readKubernetesVersion(r, cloud);
  const authorizedNetworks = readAuthorizedNetworks(r);
  const nodeGroups = readNodeGroups(r, cloud);
  const isolatedPools = readIsolatedPools(r, cloud, nodeGroups ?? []);
  const environment = readEnvironment(r);
  const namespaces = readNamespaces(r, environment);
  const maintenanceWindow = readMaintenanceWindow(r);
  const baselineApply = readBaselineApply(r, cloud);
  const gitops = baselineApply === 'gitops' ? readGitOps(r) : undefined;
  if (baselineApply !== 'gitops' && r.has('gitops')) {
    r.report(
      'gitops',
      r.value('gitops'),
      `only with ${r.key('baselineApply')}: gitops`,
      `remove it, or set ${r.key('baselineApply')}: gitops`,
      `${r.key('baselineApply')} is ${baselineApply ?? 'not valid'}`,
    );
  }
  const exemptionGrants = readExemptionGrants(r);
  if (
    clusterName === undefined ||
    region === undefined ||
    kubernetesVersion === undefined ||
    authorizedNetworks === undefined ||
    nodeGroups === undefined ||
    isolatedPools === undefined ||
    namespaces === undefined ||
    environment === undefined ||
    maintenanceWindow === undefined ||
    baselineApply === undefined ||
    (baselineApply === 'gitops' && gitops === undefined) ||
    exemptionGrants === undefined
  ) {
    return undefined;
  }
  return {
    clusterName,
    region,
    kubernetesVersion,
    authorizedNetworks,
    nodeGroups,
    isolatedPools,
    namespaces,
    environment,
    maintenanceWindow,
    baselineApply,
    ...(gitops ? { gitops } : {}),
    exemptionGrants,
  };
}

/** `bulwark:exemptionGrants`: optional list of grants; a malformed or already expired grant is a config problem. */
function readExemptionGrants(r: ConfigReader, now = new Date()): readonly ExemptionGrant[] | undefined {
  const value = r.value('exemptionGrants');
  if (value === undefined || value === null) return [];
  const allowed =
    'grants { namespace, kind and name (or a selector pinning a label value), rule, reason, approver, expires } (docs/exemptions.md)';
  if (!Array.isArray(value)) {
    r.report('exemptionGrants', value, allowed, 'give a list of grants, or leave the key out', 'not a list');
    return undefined;
  }
  const grants: ExemptionGrant[] = [];
  let ok = true;
  value.forEach((entry, i) => {
    const { grant, problems } = checkGrant(entry, `exemptionGrants[${i}]`);
    for (const p of problems) {
      const field = p.path.slice(`exemptionGrants[${i}].`.length);
      const received = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)[field] : entry;
      r.report(p.path, received, allowed, 'correct the grant', p.message);
    }
    if (!grant) {
      ok = false;
      return;
    }
    if ((parseExpires(grant.expires)?.getTime() ?? 0) <= now.getTime()) {
      r.report(
        `exemptionGrants[${i}].expires`,
        grant.expires,
        'a future instant',
        'renew the grant with a later expiry, or remove it',
        'the grant has expired',
      );
      ok = false;
      return;
    }
    grants.push(grant);
  });
  return ok ? grants : undefined;
}

function readKubernetesVersion(r: ConfigReader, cloud: CloudConventions): string | undefined {
  const value = r.value('kubernetesVersion');
  const supported = cloud.supportedVersions;
  const allowed = `a quoted Kubernetes minor version the cloud supports in standard support: ${supported.map((v) => `"${v}"`).join(', ')}`;
  if (typeof value === 'number') {
    r.report(
      'kubernetesVersion',
      value,
      allowed,
      `quote it: kubernetesVersion: "${value.toFixed(2)}"`,
      `YAML reads an unquoted version as a number: ${value.toFixed(2)} becomes ${value}`,
    );
    return undefined;
  }
  const version = r.string('kubernetesVersion', value, {
    pattern: /^1\.\d{1,2}$/,
    allowed,
    fix: `write major.minor only, e.g. "${supported[0]}"; the provider picks the newest patch`,
  });
  if (version === undefined) return undefined;
  const minor = Number(version.split('.')[1]);
  // "1.3" from pulumi.Config is an unquoted 1.30 that YAML read as a number before Pulumi stored it as text.
  if (minor < 10 && supported.includes(`1.${minor}0`)) {
    r.report(
      'kubernetesVersion',
      version,
      allowed,
      `quote it in the stack file: kubernetesVersion: "1.${minor}0"`,
      `looks like 1.${minor}0 written without quotes, which YAML reads as the number 1.${minor}`,
    );
    return undefined;
  }
  if (!supported.includes(version)) {
    r.report(
      'kubernetesVersion',
      version,
      allowed,
      `upgrade to "${supported[supported.length - 1]}" or newer (one minor version per upgrade), e.g. "${supported[0]}" for a new cluster`,
      minor > Number(supported[0].split('.')[1])
        ? 'newer than any version this bulwark knows the cloud to support'
        : minor < 10 && minor * 10 >= MIN_KUBERNETES_MINOR
          ? `1.${minor}0 written without quotes? YAML reads it as the number 1.${minor}; 1.${minor}0 is not supported either`
          : minor < MIN_KUBERNETES_MINOR
            ? `older than 1.${MIN_KUBERNETES_MINOR}, the first version with the ValidatingAdmissionPolicy v1 the baseline uses`
            : 'out of standard support (extended support is billed extra and ends in forced upgrades)',
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

function readNamespaces(r: ConfigReader, environment: Environment | undefined): readonly string[] | undefined {
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
    } else if (environment !== undefined && otherEnvironment(name, environment) !== undefined) {
      const other = otherEnvironment(name, environment);
      r.report(
        path,
        name,
        `namespaces of the ${environment} environment only (one cluster per environment)`,
        `host ${other} workloads in the ${other} cluster's stack, and name this one without "${other}"`,
        `names the ${other} environment in a ${environment} cluster`,
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

export const ENVIRONMENTS: readonly Environment[] = ['prod', 'staging', 'dev', 'test'];

/** Words in a namespace name that place it in an environment (`payments-staging`, `prod-ledger`). */
const ENVIRONMENT_WORDS: Readonly<Record<Environment, readonly string[]>> = {
  prod: ['prod', 'production', 'prd'],
  staging: ['staging', 'stage', 'stg', 'preprod'],
  dev: ['dev', 'development'],
  test: ['test', 'qa', 'sandbox'],
};

/** The environment a namespace name claims, when it claims one other than `environment`. */
export function otherEnvironment(namespace: string, environment: Environment): Environment | undefined {
  const words = namespace.split('-');
  return ENVIRONMENTS.find((e) => e !== environment && ENVIRONMENT_WORDS[e].some((w) => words.includes(w)));
}

function readEnvironment(r: ConfigReader): Environment | undefined {
  return r.string('environment', r.value('environment'), {
    oneOf: ENVIRONMENTS,
    allowed: ENVIRONMENTS.map((e) => `"${e}"`).join(', '),
    fix: `set ${r.key('environment')}: prod for the production cluster, staging (or dev, test) for the others`,
  }) as Environment | undefined;
}

const WEEKDAYS: readonly Weekday[] = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MAINTENANCE_FIELDS = ['days', 'startHour', 'durationHours'];

/** Saturday and Sunday, 02:00 to 08:00 UTC, unless the stack says otherwise. */
export const DEFAULT_MAINTENANCE_WINDOW: MaintenanceWindow = {
  days: ['Saturday', 'Sunday'],
  startHour: 2,
  durationHours: 6,
};

function readMaintenanceWindow(r: ConfigReader): MaintenanceWindow | undefined {
  if (!r.has('maintenanceWindow')) return DEFAULT_MAINTENANCE_WINDOW;
  const fix = 'write e.g. maintenanceWindow: {days: [Saturday, Sunday], startHour: 2, durationHours: 6}';
  const w = r.object(
    'maintenanceWindow',
    r.value('maintenanceWindow'),
    'a mapping {days, startHour, durationHours}',
    fix,
  );
  if (w === undefined) return undefined;
  r.rejectUnknownFields('maintenanceWindow', w, MAINTENANCE_FIELDS);
  const list = r.list('maintenanceWindow.days', w.days, 1, `a list of week days (${WEEKDAYS.join(', ')})`, fix);
  const days: Weekday[] = [];
  let ok = list !== undefined;
  (list ?? []).forEach((d, i) => {
    const day = r.string(`maintenanceWindow.days[${i}]`, d, {
      oneOf: WEEKDAYS,
      allowed: WEEKDAYS.join(', '),
      fix: 'write the day in English with a capital letter, e.g. Sunday',
    });
    if (day === undefined) ok = false;
    else if (days.includes(day as Weekday)) {
      r.report(`maintenanceWindow.days[${i}]`, day, 'each day once', `remove the second ${day}`, 'listed twice');
      ok = false;
    } else days.push(day as Weekday);
  });
  const startHour = r.integer('maintenanceWindow.startHour', w.startHour ?? 2, {
    min: 0,
    max: 23,
    fix: 'give the hour (UTC) the window opens, 0 to 23',
  });
  const durationHours = r.integer('maintenanceWindow.durationHours', w.durationHours ?? 6, {
    min: 4,
    max: 24,
    fix: 'give each window 4 to 24 hours (the clouds need at least 4 to finish an upgrade)',
  });
  if (!ok || startHour === undefined || durationHours === undefined) return undefined;
  // GKE refuses windows that leave less than 48 hours of maintenance in any 32 days; 32 days hold each weekday 4 times.
  if (days.length * durationHours * 4 < 48) {
    r.report(
      'maintenanceWindow',
      { days, durationHours },
      'at least 48 hours of windows in any 32 days (GKE), i.e. days x durationHours >= 12',
      'add a day or lengthen the window, e.g. days: [Saturday, Sunday] with durationHours: 6',
      `${days.length * durationHours * 4} hours in 32 days`,
    );
    return undefined;
  }
  return { days, startHour, durationHours };
}

function readBaselineApply(r: ConfigReader, cloud: CloudConventions): BaselineApplyPath | undefined {
  const paths = cloud.applyPaths;
  if (!r.has('baselineApply')) return paths[0];
  return r.string('baselineApply', r.value('baselineApply'), {
    oneOf: paths,
    allowed: paths.map((p) => `"${p}"`).join(', '),
    fix: `use "${paths[0]}" (this cloud's reference path for a private cluster), or leave the key out`,
  }) as BaselineApplyPath | undefined;
}

const GITOPS_FIELDS = ['url', 'branch', 'path'];

function readGitOps(r: ConfigReader): GitOpsSource | undefined {
  const fix =
    'write e.g. gitops: {url: "https://github.com/acme/platform", branch: main, path: clusters/payroll-prod} (the repository holding the synthesized baseline), or set baselineApply: in-program';
  const g = r.object('gitops', r.value('gitops'), 'a mapping {url, branch, path}', fix);
  if (g === undefined) return undefined;
  r.rejectUnknownFields('gitops', g, GITOPS_FIELDS);
  const url = r.string('gitops.url', g.url, {
    pattern: /^(https:\/\/|ssh:\/\/)[^\s]+$/,
    allowed: 'an https:// or ssh:// Git URL',
    fix: 'give the clone URL of the repository holding the synthesized baseline',
  });
  const branch = r.string('gitops.branch', g.branch ?? 'main', {
    pattern: /^[\w./-]{1,100}$/,
    allowed: 'a branch name',
    fix: 'give the branch the baseline is committed to, e.g. main',
  });
  const path = r.string('gitops.path', g.path, {
    pattern: /^[\w.-]+(\/[\w.-]+)*$/,
    allowed: 'a relative directory such as "clusters/payroll-prod" (no leading /, no ..)',
    fix: 'give the directory `bulwark synth` writes the baseline to in that repository',
  });
  if (path !== undefined && path.split('/').includes('..')) {
    r.report('gitops.path', path, 'a directory inside the repository', 'remove the .. steps', 'leaves the repository');
    return undefined;
  }
  if (url === undefined || branch === undefined || path === undefined) return undefined;
  return { url, branch, path };
}
