/**
 * Checks on one RBAC PolicyRule, shared by the `rbac-*` catalog rules (Role, ClusterRole) and by constructs that
 * refuse bad rules when they are written (LeastPrivilegeServiceAccount).
 *
 * Matching follows the API server's RBAC authorizer (`k8s.io/component-helpers/auth/rbac/validation`):
 * - a verb matches when listed or when verbs contain `*`;
 * - a resource `r` matches `r` or `*`; a subresource `r/s` matches `r/s`, `*` or `*\/s` (`pods/*` is NOT a wildcard
 *   for the API server, it names nothing, so it grants nothing);
 * - an API group matches when listed or when apiGroups contain `*`. When apiGroups is absent or empty (the API
 *   server refuses such resource rules, but a rule under construction may not have it yet) the group is not known,
 *   so the check assumes the worst and treats it as matching.
 * Rules that only carry nonResourceURLs have no resources and can only trip the verb wildcard check.
 */
export interface PolicyRuleLike {
  apiGroups?: readonly string[];
  resources?: readonly string[];
  verbs?: readonly string[];
  resourceNames?: readonly string[];
  nonResourceURLs?: readonly string[];
}

export interface RbacProblem {
  /** Catalog rule id: `rbac-wildcard`, `rbac-escalation-verbs`, `rbac-secrets-read` or `rbac-sensitive-subresources`. */
  ruleId: string;
  /** The PolicyRule field to change. */
  field: 'apiGroups' | 'resources' | 'verbs' | 'resourceNames';
  /** The offending entry of that field, or '' when the problem is that the field is missing or empty. */
  value: string;
  /** What is wrong, without the object name (callers prefix it with the object or construct path and rule index). */
  message: string;
  /** What to change. */
  fix: string;
}

export const RBAC_WILDCARD = 'rbac-wildcard';
export const RBAC_ESCALATION_VERBS = 'rbac-escalation-verbs';
export const RBAC_SECRETS_READ = 'rbac-secrets-read';
export const RBAC_SENSITIVE_SUBRESOURCES = 'rbac-sensitive-subresources';
export const RBAC_PORT_FORWARD_PROXY = 'rbac-port-forward-proxy';
export const RBAC_WORKLOAD_CREATE = 'rbac-workload-create';
export const RBAC_POLICY_WRITE = 'rbac-policy-write';
export const RBAC_CSR_APPROVAL = 'rbac-csr-approval';

const CORE = '';
const RBAC_GROUP = 'rbac.authorization.k8s.io';
const AUTHENTICATION_GROUP = 'authentication.k8s.io';

/** Verbs that let a subject grant or assume more than it holds, and the resources they act on. */
const ESCALATION_VERBS: Readonly<Record<string, readonly (readonly [group: string, resource: string])[]>> = {
  escalate: [
    [RBAC_GROUP, 'roles'],
    [RBAC_GROUP, 'clusterroles'],
  ],
  bind: [
    [RBAC_GROUP, 'roles'],
    [RBAC_GROUP, 'clusterroles'],
  ],
  impersonate: [
    [CORE, 'users'],
    [CORE, 'groups'],
    [CORE, 'serviceaccounts'],
    [AUTHENTICATION_GROUP, 'uids'],
    [AUTHENTICATION_GROUP, 'userextras/*'],
  ],
};

/** Subresources that hand out a shell in a container, the kubelet API, or a token. */
export const SENSITIVE_SUBRESOURCES: readonly string[] = [
  'pods/exec',
  'pods/attach',
  'nodes/proxy',
  'serviceaccounts/token',
];

const SENSITIVE_WHY: Readonly<Record<string, string>> = {
  'pods/exec': 'runs commands inside any container of the pods in scope',
  'pods/attach': 'attaches to the running process of any container in scope',
  'nodes/proxy': "reaches the kubelet API of the nodes and through it every pod on them (even with only 'get')",
  'serviceaccounts/token': 'mints tokens for the service accounts in scope and so acts as them',
};

/** Subresources that open a network path into pods and Services past their NetworkPolicies (any verb). */
export const PROXY_SUBRESOURCES: readonly string[] = ['pods/portforward', 'pods/proxy', 'services/proxy'];

const PROXY_WHY: Readonly<Record<string, string>> = {
  'pods/portforward': 'tunnels to any port of the pods in scope through the API server, past their NetworkPolicies',
  'pods/proxy': 'sends HTTP requests to the pods in scope through the API server, past their NetworkPolicies',
  'services/proxy': 'sends HTTP requests to the Services in scope through the API server, past their NetworkPolicies',
};

/**
 * Resources that run pods (group, resource) and the verbs that make them run one of the subject's choosing: a pod it
 * creates may mount any Secret and run as any ServiceAccount of the namespace, so `create` on pods (or on anything
 * that creates pods) reaches all of them. `update`/`patch` of a controller are left out: rollouts and restarts need
 * them, and they cannot be told apart from a template change in RBAC.
 */
const WORKLOAD_RESOURCES: readonly (readonly [group: string, resource: string, verbs: readonly string[]])[] = [
  [CORE, 'pods', ['create']],
  [CORE, 'replicationcontrollers', ['create']],
  ['apps', 'deployments', ['create']],
  ['apps', 'replicasets', ['create']],
  ['apps', 'statefulsets', ['create']],
  ['apps', 'daemonsets', ['create']],
  ['batch', 'jobs', ['create']],
  ['batch', 'cronjobs', ['create']],
];

/** Writes that weaken or remove a policy: creating an allowing NetworkPolicy, editing or deleting any of them. */
const WRITE_VERBS: readonly string[] = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const ADMISSION_GROUP = 'admissionregistration.k8s.io';
/** The objects that enforce isolation and admission (group, resource). */
const POLICY_RESOURCES: readonly (readonly [group: string, resource: string])[] = [
  ['networking.k8s.io', 'networkpolicies'],
  [ADMISSION_GROUP, 'validatingadmissionpolicies'],
  [ADMISSION_GROUP, 'validatingadmissionpolicybindings'],
  [ADMISSION_GROUP, 'mutatingadmissionpolicies'],
  [ADMISSION_GROUP, 'mutatingadmissionpolicybindings'],
  [ADMISSION_GROUP, 'validatingwebhookconfigurations'],
  [ADMISSION_GROUP, 'mutatingwebhookconfigurations'],
];

const CERTIFICATES_GROUP = 'certificates.k8s.io';

function list(values: readonly string[] | undefined): readonly string[] {
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : [];
}

export function groupMatches(apiGroups: readonly string[], group: string): boolean {
  return apiGroups.length === 0 || apiGroups.includes('*') || apiGroups.includes(group);
}

/**
 * The entry of `resources` that grants `resource` (`pods` or `pods/exec`), if any, preferring the exact one.
 * `userextras/*` stands for any extra key: it is granted by any `userextras/<key>` entry.
 */
export function grantingResource(resources: readonly string[], resource: string): string | undefined {
  if (resources.includes(resource)) return resource;
  if (resource === 'userextras/*') {
    const extra = resources.find((r) => r.startsWith('userextras/') || r.startsWith('*/'));
    if (extra !== undefined) return extra;
  }
  const slash = resource.indexOf('/');
  if (slash >= 0) {
    const star = `*/${resource.slice(slash + 1)}`;
    if (resources.includes(star)) return star;
  }
  return resources.includes('*') ? '*' : undefined;
}

/** The entry of `verbs` that grants `verb`, if any. */
export function grantingVerb(verbs: readonly string[], verb: string): string | undefined {
  if (verbs.includes(verb)) return verb;
  return verbs.includes('*') ? '*' : undefined;
}

function via(entry: string, actual: string): string {
  return entry === actual ? `'${actual}'` : `'${actual}' (through '${entry}')`;
}

/** Every problem of one PolicyRule, in a stable order: wildcard, escalation, secrets, subresources. */
export function policyRuleProblems(rule: PolicyRuleLike): RbacProblem[] {
  const apiGroups = list(rule.apiGroups);
  const resources = list(rule.resources);
  const verbs = list(rule.verbs);
  const resourceNames = list(rule.resourceNames);
  const out: RbacProblem[] = [];

  for (const field of ['apiGroups', 'resources', 'verbs'] as const) {
    const values = field === 'apiGroups' ? apiGroups : field === 'resources' ? resources : verbs;
    for (const value of values) {
      const isWildcard = value === '*' || (field === 'resources' && value.startsWith('*/'));
      if (!isWildcard) continue;
      out.push({
        ruleId: RBAC_WILDCARD,
        field,
        value,
        message: `${field} contains '${value}', which grants ${
          field === 'apiGroups'
            ? 'every API group, including ones installed later'
            : field === 'resources'
              ? value === '*'
                ? 'every resource, including ones added later'
                : `'${value.slice(2)}' of every resource`
              : 'every verb, including escalate, bind and impersonate'
        }`,
        fix: `list the exact ${field} the workload needs instead of '${value}'`,
      });
    }
  }

  if (resources.length > 0 && verbs.length > 0) {
    for (const [verb, targets] of Object.entries(ESCALATION_VERBS)) {
      const verbEntry = grantingVerb(verbs, verb);
      if (verbEntry === undefined) continue;
      const granted = targets
        .filter(([group]) => groupMatches(apiGroups, group))
        .map(([, resource]) => {
          const entry = grantingResource(resources, resource);
          return entry === undefined ? undefined : via(entry, resource);
        })
        .filter((r): r is string => r !== undefined);
      if (granted.length === 0) continue;
      out.push({
        ruleId: RBAC_ESCALATION_VERBS,
        field: 'verbs',
        value: verbEntry,
        message: `verbs grant ${via(verbEntry, verb)} on ${granted.join(', ')}, which lets the subject ${
          verb === 'impersonate'
            ? 'act as other users, groups or service accounts'
            : 'grant itself permissions it does not hold'
        }`,
        fix:
          verbEntry === '*'
            ? `replace '*' with the verbs the workload needs, without '${verb}'`
            : `remove '${verb}' from verbs; have an administrator manage RBAC instead`,
      });
    }

    const secretsEntry = groupMatches(apiGroups, CORE) ? grantingResource(resources, 'secrets') : undefined;
    if (secretsEntry !== undefined) {
      const onSecrets = `on ${via(secretsEntry, 'secrets')}`;
      if (verbs.includes('*')) {
        out.push({
          ruleId: RBAC_SECRETS_READ,
          field: 'verbs',
          value: '*',
          message: `verbs grant 'get', 'list' and 'watch' (through '*') ${onSecrets}, which reads every Secret in scope`,
          fix: "replace '*' with 'get' and set resourceNames to the Secrets the workload reads",
        });
      } else {
        for (const verb of ['list', 'watch'].filter((v) => verbs.includes(v))) {
          out.push({
            ruleId: RBAC_SECRETS_READ,
            field: 'verbs',
            value: verb,
            message: `verbs grant '${verb}' ${onSecrets}, which reads every Secret in scope${
              resourceNames.length > 0
                ? ' (resourceNames do not limit it unless the client sends a field selector)'
                : ''
            }`,
            fix: `remove '${verb}'; grant only 'get' with resourceNames, or mount the Secrets as volumes`,
          });
        }
        if (verbs.includes('get') && resourceNames.length === 0) {
          out.push({
            ruleId: RBAC_SECRETS_READ,
            field: 'resourceNames',
            value: '',
            message: `verbs grant 'get' ${onSecrets} without resourceNames, so every Secret in scope can be read`,
            fix: 'set resourceNames to the Secrets the workload reads, or mount them as volumes instead',
          });
        }
      }
    }

    out.push(...proxyProblems(apiGroups, resources));
    out.push(...workloadCreateProblems(apiGroups, resources, verbs));
    out.push(...policyWriteProblems(apiGroups, resources, verbs));
    out.push(...csrApprovalProblems(apiGroups, resources, verbs));

    for (const sub of SENSITIVE_SUBRESOURCES) {
      if (!groupMatches(apiGroups, CORE)) break;
      const entry = grantingResource(resources, sub);
      if (entry === undefined) continue;
      out.push({
        ruleId: RBAC_SENSITIVE_SUBRESOURCES,
        field: 'resources',
        value: entry,
        message: `resources grant ${via(entry, sub)}, which ${SENSITIVE_WHY[sub]}`,
        fix:
          entry === sub
            ? `remove '${sub}' from resources; use a break-glass role bound only when needed`
            : `replace '${entry}' with the resources the workload needs, without '${sub}'`,
      });
    }
  }
  return out;
}

/** rbac-port-forward-proxy: pods/portforward, pods/proxy, services/proxy with any verb. */
function proxyProblems(apiGroups: readonly string[], resources: readonly string[]): RbacProblem[] {
  if (!groupMatches(apiGroups, CORE)) return [];
  const out: RbacProblem[] = [];
  for (const sub of PROXY_SUBRESOURCES) {
    const entry = grantingResource(resources, sub);
    if (entry === undefined) continue;
    out.push({
      ruleId: RBAC_PORT_FORWARD_PROXY,
      field: 'resources',
      value: entry,
      message: `resources grant ${via(entry, sub)}, which ${PROXY_WHY[sub]}`,
      fix:
        entry === sub
          ? `remove '${sub}' from resources; reach the workload through a Service and a NetworkPolicy that admits the caller`
          : `replace '${entry}' with the resources the workload needs, without '${sub}'`,
    });
  }
  return out;
}

/** rbac-workload-create: create on pods and pod controllers, one problem per PolicyRule. */
function workloadCreateProblems(
  apiGroups: readonly string[],
  resources: readonly string[],
  verbs: readonly string[],
): RbacProblem[] {
  const verbEntry = grantingVerb(verbs, 'create');
  if (verbEntry === undefined) return [];
  const granted = WORKLOAD_RESOURCES.filter(([group]) => groupMatches(apiGroups, group))
    .map(([, resource]) => [resource, grantingResource(resources, resource)] as const)
    .filter((r): r is readonly [string, string] => r[1] !== undefined);
  if (granted.length === 0) return [];
  return [
    {
      ruleId: RBAC_WORKLOAD_CREATE,
      field: 'verbs',
      value: verbEntry,
      message: `verbs grant ${via(verbEntry, 'create')} on ${granted.map(([r, e]) => via(e, r)).join(', ')}, which runs a pod of the subject's choosing: it can mount every Secret and run as every ServiceAccount of the namespace`,
      fix:
        verbEntry === '*'
          ? "replace '*' with the verbs the workload needs, without 'create'"
          : "remove 'create'; let a deployment pipeline or an operator with a reviewed role create workloads",
    },
  ];
}

/** rbac-policy-write: writes to NetworkPolicies, admission policies, their bindings and webhook configurations. */
function policyWriteProblems(
  apiGroups: readonly string[],
  resources: readonly string[],
  verbs: readonly string[],
): RbacProblem[] {
  const shown = WRITE_VERBS.filter((v) => grantingVerb(verbs, v) !== undefined);
  if (shown.length === 0) return [];
  const granted = POLICY_RESOURCES.filter(([group]) => groupMatches(apiGroups, group))
    .map(([, resource]) => [resource, grantingResource(resources, resource)] as const)
    .filter((r): r is readonly [string, string] => r[1] !== undefined);
  if (granted.length === 0) return [];
  const verbEntry = grantingVerb(verbs, shown[0]) as string;
  const network = granted.some(([r]) => r === 'networkpolicies');
  const admission = granted.some(([r]) => r !== 'networkpolicies');
  return [
    {
      ruleId: RBAC_POLICY_WRITE,
      field: 'verbs',
      value: verbEntry,
      message: `verbs grant ${verbEntry === '*' ? `'*' (${shown.join(', ')})` : shown.map((v) => `'${v}'`).join(', ')} on ${granted.map(([r, e]) => via(e, r)).join(', ')}, which lets the subject ${[
        network ? 'open or remove network isolation' : '',
        admission ? 'weaken or switch off admission control' : '',
      ]
        .filter(Boolean)
        .join(' and ')}`,
      fix:
        verbEntry === '*'
          ? "replace '*' with read verbs ('get', 'list', 'watch') if the workload must read them"
          : `remove ${shown.map((v) => `'${v}'`).join(', ')}; policies are changed by the platform team through review`,
    },
  ];
}

/** rbac-csr-approval: approving CertificateSigningRequests (certificatesigningrequests/approval, signers approve). */
function csrApprovalProblems(
  apiGroups: readonly string[],
  resources: readonly string[],
  verbs: readonly string[],
): RbacProblem[] {
  if (!groupMatches(apiGroups, CERTIFICATES_GROUP)) return [];
  const out: RbacProblem[] = [];
  const approval = grantingResource(resources, 'certificatesigningrequests/approval');
  const approvalVerb = ['update', 'patch'].map((v) => grantingVerb(verbs, v)).find((v) => v !== undefined);
  if (approval !== undefined && approvalVerb !== undefined) {
    out.push({
      ruleId: RBAC_CSR_APPROVAL,
      field: 'resources',
      value: approval,
      message: `resources grant ${via(approval, 'certificatesigningrequests/approval')} with ${via(approvalVerb, approvalVerb === '*' ? 'update' : approvalVerb)}, which approves certificate requests: a client certificate for any user or group (system:masters included, under the kube-apiserver-client signer)`,
      fix: `remove '${approval}'; leave approval to the cluster's CSR approver and reviewed signers`,
    });
  }
  const signers = grantingResource(resources, 'signers');
  const approve = grantingVerb(verbs, 'approve');
  if (signers !== undefined && approve !== undefined) {
    out.push({
      ruleId: RBAC_CSR_APPROVAL,
      field: 'verbs',
      value: approve,
      message: `verbs grant ${via(approve, 'approve')} on ${via(signers, 'signers')}, which approves certificate requests for the signers in scope`,
      fix: `remove 'approve' on 'signers'; leave approval to the cluster's CSR approver`,
    });
  }
  return out;
}
