import { asArray, isRecord, K8sObject } from './k8s-object';
import { matchesLabels, parseLabelSelector } from './label-selector';
import { grantingResource, grantingVerb, groupMatches } from './rbac';

/**
 * The API server's RBAC authorizer (`k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac`) over a set of objects: may
 * this user do this request? Used to prove who can write what (e.g. the exemption grants), from the RBAC objects
 * a baseline renders plus Kubernetes' built-in roles.
 *
 * - A ClusterRoleBinding grants its ClusterRole's rules everywhere (cluster-scoped requests and every namespace).
 * - A RoleBinding grants its Role's or ClusterRole's rules only in its own namespace: never for a cluster-scoped
 *   request.
 * - A ClusterRole with an `aggregationRule` holds the rules of every ClusterRole its selectors match (what the
 *   aggregation controller writes into it).
 * - A rule matches with the rbac.ts semantics (verbs and resources with `*`, `*\/subresource`; an empty apiGroups
 *   list is read as matching, the worst case); `resourceNames` limits a rule to those names, so it never matches a
 *   request without a name (create, list, deletecollection).
 * - Subjects: a User by name, a Group among the user's groups, a ServiceAccount by
 *   `system:serviceaccount:<namespace>:<name>` (its groups are system:serviceaccounts,
 *   system:serviceaccounts:<namespace> and system:authenticated).
 */
export interface RbacUser {
  readonly username: string;
  readonly groups: readonly string[];
}

export interface RbacRequest {
  readonly verb: string;
  /** API group, '' for the core group. */
  readonly group: string;
  /** Resource, with its subresource: `pods`, `pods/exec`. */
  readonly resource: string;
  /** Namespace of the object; undefined for a cluster-scoped resource. */
  readonly namespace?: string;
  /** Name of the object; undefined for create, list and deletecollection. */
  readonly name?: string;
}

export interface RbacDecision {
  readonly allowed: boolean;
  /** The binding and role that allow it: `ClusterRoleBinding cluster-admin -> ClusterRole cluster-admin`. */
  readonly via?: string;
}

/** The user a ServiceAccount authenticates as. */
export function serviceAccountUser(namespace: string, name: string): RbacUser {
  return {
    username: `system:serviceaccount:${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const strings = (v: unknown): string[] => asArray(v).filter((x): x is string => typeof x === 'string');

function ruleAllows(rule: unknown, request: RbacRequest): boolean {
  if (!isRecord(rule)) return false;
  if (grantingVerb(strings(rule.verbs), request.verb) === undefined) return false;
  if (!groupMatches(strings(rule.apiGroups), request.group)) return false;
  if (grantingResource(strings(rule.resources), request.resource) === undefined) return false;
  const names = strings(rule.resourceNames);
  return names.length === 0 || (request.name !== undefined && names.includes(request.name));
}

function subjectMatches(subject: unknown, bindingNamespace: string | undefined, user: RbacUser): boolean {
  if (!isRecord(subject) || typeof subject.name !== 'string') return false;
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns =
        typeof subject.namespace === 'string' && subject.namespace !== '' ? subject.namespace : bindingNamespace;
      return ns !== undefined && user.username === `system:serviceaccount:${ns}:${subject.name}`;
    }
    default:
      return false;
  }
}

export class RbacAuthorizer {
  private readonly clusterRoles = new Map<string, K8sObject>();
  private readonly roles = new Map<string, K8sObject>();
  private readonly bindings: K8sObject[] = [];

  constructor(objects: readonly K8sObject[]) {
    for (const o of objects) {
      if (typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith(`${RBAC_GROUP}/`)) continue;
      const name = o.metadata?.name;
      if (typeof name !== 'string') continue;
      if (o.kind === 'ClusterRole') this.clusterRoles.set(name, o);
      else if (o.kind === 'Role') this.roles.set(`${o.metadata?.namespace ?? ''}/${name}`, o);
      else if (o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding') this.bindings.push(o);
    }
  }

  /** The rules of a ClusterRole, with those its aggregationRule gathers (transitively, as the controller does). */
  private clusterRoleRules(name: string, seen = new Set<string>()): unknown[] {
    const role = this.clusterRoles.get(name);
    if (!role || seen.has(name)) return [];
    seen.add(name);
    const own = [...asArray(role.rules)];
    if (!isRecord(role.aggregationRule)) return own;
    const selectors = asArray(role.aggregationRule.clusterRoleSelectors)
      .map((s) => (s === null ? {} : parseLabelSelector(s)))
      .filter((s) => s !== undefined);
    for (const [other, o] of this.clusterRoles) {
      const labels = o.metadata?.labels as Readonly<Record<string, string>> | undefined;
      if (other !== name && selectors.some((s) => matchesLabels(s, labels))) {
        own.push(...this.clusterRoleRules(other, seen));
      }
    }
    return own;
  }

  /** Whether `user` may make `request`, and through which binding. */
  authorize(user: RbacUser, request: RbacRequest): RbacDecision {
    for (const b of this.bindings) {
      const namespace = b.kind === 'RoleBinding' ? (b.metadata?.namespace ?? 'default') : undefined;
      // A RoleBinding grants nothing outside its namespace, and nothing cluster-scoped.
      if (b.kind === 'RoleBinding' && (request.namespace === undefined || request.namespace !== namespace)) continue;
      if (!asArray(b.subjects).some((s) => subjectMatches(s, namespace, user))) continue;
      const ref = isRecord(b.roleRef) ? b.roleRef : {};
      if (typeof ref.name !== 'string') continue;
      const rules =
        ref.kind === 'ClusterRole'
          ? this.clusterRoleRules(ref.name)
          : ref.kind === 'Role' && namespace !== undefined
            ? asArray(this.roles.get(`${namespace}/${ref.name}`)?.rules)
            : [];
      if (rules.some((r) => ruleAllows(r, request))) {
        const where = namespace !== undefined ? `${namespace}/` : '';
        return { allowed: true, via: `${b.kind} ${where}${b.metadata?.name} -> ${ref.kind} ${ref.name}` };
      }
    }
    return { allowed: false };
  }
}
