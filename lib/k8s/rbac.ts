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

function list(values: readonly string[] | undefined): readonly string[] {
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : [];
}

function groupMatches(apiGroups: readonly string[], group: string): boolean {
  return apiGroups.length === 0 || apiGroups.includes('*') || apiGroups.includes(group);
}

/**
 * The entry of `resources` that grants `resource` (`pods` or `pods/exec`), if any, preferring the exact one.
 * `userextras/*` stands for any extra key: it is granted by any `userextras/<key>` entry.
 */
function grantingResource(resources: readonly string[], resource: string): string | undefined {
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
function grantingVerb(verbs: readonly string[], verb: string): string | undefined {
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
