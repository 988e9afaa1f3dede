import { ruleById, RULES } from './catalog';
import { closestName } from '../util/closest-name';
import { asArray, isRecord, K8sObject } from '../k8s/k8s-object';
import { CLUSTER_SCOPED_KINDS } from '../k8s/cluster-scoped-kinds';
import { LabelSelector, matchesLabels, parseLabelSelector } from '../k8s/label-selector';
import { reasonProblem } from './exemption-reason';

/**
 * Exemption grants: an exemption annotation (`exempt.bulwark.dev/<rule>: <reason>`) is a request; it counts only when
 * the platform team grants it. Grants live in one cluster-scoped object, the ExemptionGrantSet named `bulwark`, which
 * the admission policies read as their parameter (paramKind/paramRef) and `bulwark audit --exemptions` reads from a
 * file. See docs/exemptions.md.
 */
export const GRANT_API_GROUP = 'bulwark.dev';
export const GRANT_API_VERSION = `${GRANT_API_GROUP}/v1alpha1`;
export const GRANT_SET_KIND = 'ExemptionGrantSet';
/** The one ExemptionGrantSet the admission bindings read (paramRef.name). */
export const GRANT_SET_NAME = 'bulwark';

/** One granted exemption: which rule, for which objects of which namespace, why, who approved it, until when. */
export interface ExemptionGrant {
  /**
   * Namespace of the exempted objects. Left out only to name a cluster-scoped object (a ClusterRole, a webhook
   * configuration: CLUSTER_SCOPED_KINDS) by `kind` and `name`; such a grant covers nothing in any namespace.
   */
  readonly namespace?: string;
  /**
   * Kind of the exempted workload (`Deployment`, `CronJob`, `Pod`, ...; for object rules any kind, e.g. `Service`).
   * Required with `name`: a grant for Deployment `api` does not cover a Pod or a CronJob named `api`.
   */
  readonly kind?: string;
  /**
   * Name of the exempted workload: the object of that kind and name, and the ReplicaSets, Jobs and Pods its
   * controller creates (see CONTROLLER_LINKS). Exactly one of `name` and `selector`.
   */
  readonly name?: string;
  /**
   * Label selector over the pod template's labels (a Pod's own labels). It must pin at least one label value
   * (`matchLabels`, or an `In` expression): a selector of only `NotIn`, `Exists` or `DoesNotExist` would cover every
   * other pod of the namespace. Exactly one of `name` and `selector`.
   */
  readonly selector?: LabelSelector;
  /** Id of the catalog rule. */
  readonly rule: string;
  /** Why the platform team grants it (visible text, at most 500 characters). */
  readonly reason: string;
  /** Who approved it (a person or a ticket, visible text). */
  readonly approver: string;
  /** When it stops counting: RFC 3339 UTC or with an offset, whole seconds (`2027-01-31T00:00:00Z`). */
  readonly expires: string;
}

/**
 * How the objects a workload's controller creates are tied to it: an object of kind `object` whose controller
 * ownerReference is of kind `owner`, created by one of `creators` (the Kubernetes controller that makes such objects,
 * as kube-controller-manager runs it with --use-service-account-credentials, or kube-controller-manager's own identity
 * without). A workload's author can write any ownerReference, but cannot create objects as these controllers: in
 * admission a link counts only for a request by one of them (`request.userInfo.username`). `bulwark audit` has no
 * identity to check, so it follows a link only to an owner present in the audited input with the same namespace, kind,
 * name and uid (objects read from a cluster carry the uids the API server assigned; a manifest's author writes none),
 * itself covered by the grant.
 */
export interface ControllerLink {
  readonly object: string;
  readonly owner: string;
  readonly creators: readonly string[];
}

const KCM = 'system:kube-controller-manager';
const sa = (name: string) => `system:serviceaccount:kube-system:${name}`;

export const CONTROLLER_LINKS: readonly ControllerLink[] = [
  { object: 'ReplicaSet', owner: 'Deployment', creators: [sa('deployment-controller'), KCM] },
  { object: 'Job', owner: 'CronJob', creators: [sa('cronjob-controller'), KCM] },
  { object: 'Pod', owner: 'ReplicaSet', creators: [sa('replicaset-controller'), KCM] },
  { object: 'Pod', owner: 'DaemonSet', creators: [sa('daemon-set-controller'), KCM] },
  { object: 'Pod', owner: 'StatefulSet', creators: [sa('statefulset-controller'), KCM] },
  { object: 'Pod', owner: 'Job', creators: [sa('job-controller'), KCM] },
  { object: 'Pod', owner: 'ReplicationController', creators: [sa('replication-controller'), KCM] },
];

/** An RFC 3339 date-time with whole seconds, as CEL's timestamp() (cel-go and cel-js) reads it. */
export const EXPIRES_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$';
const EXPIRES = new RegExp(EXPIRES_PATTERN);

/** The instant an `expires` value names, or undefined when it is not a valid RFC 3339 date-time with whole seconds. */
export function parseExpires(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !EXPIRES.test(value)) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  // Date rolls 2027-02-30 over to March: check the fields themselves, as RFC 3339 (and CEL's timestamp()) does.
  const [y, mo, d, h, mi, sec] = value.match(/[0-9]+/g)!.map(Number);
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > days || h > 23 || mi > 59 || sec > 59) return undefined;
  return date;
}

const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A problem in a grant: where (`spec.grants[2].expires`) and what. */
export interface GrantProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Checks one grant entry; returns the grant, or the problems found (each a path and an actionable message). A grant
 * names a catalog rule or one of `customRuleIds` (the team's own rules, `--rules`).
 */
export function checkGrant(
  value: unknown,
  path: string,
  customRuleIds: readonly string[] = [],
): { grant?: ExemptionGrant; problems: GrantProblem[] } {
  const problems: GrantProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ path: `${path}.${field}`, message });
  if (!isRecord(value)) {
    return {
      problems: [
        {
          path,
          message:
            'a grant must be a mapping with namespace, kind and name or selector, rule, reason, approver, expires',
        },
      ],
    };
  }
  const known = ['namespace', 'kind', 'name', 'selector', 'rule', 'reason', 'approver', 'expires'];
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) problem(key, `unknown field; a grant has ${known.join(', ')}`);
  }
  const { namespace, kind, name, selector, rule, reason, approver, expires } = value;
  const clusterScoped = typeof kind === 'string' && CLUSTER_SCOPED_KINDS.has(kind);
  if (namespace === undefined && clusterScoped) {
    // A cluster-scoped object (ClusterRole, webhook configuration) is named by kind and name alone.
  } else if (namespace !== undefined && clusterScoped && name !== undefined) {
    problem('namespace', `${kind} is cluster-scoped: leave namespace out to grant ${kind} ${JSON.stringify(name)}`);
  } else if (typeof namespace !== 'string' || !DNS_LABEL.test(namespace)) {
    problem(
      'namespace',
      `expected the namespace of the exempted objects (a DNS-1123 label; left out only for a cluster-scoped kind such as ClusterRole), got ${JSON.stringify(namespace)}`,
    );
  }
  if ((name === undefined) === (selector === undefined)) {
    problem('name', 'give exactly one of name (with kind: the workload) and selector (labels of its pods)');
  } else if (name !== undefined && (typeof name !== 'string' || !DNS_SUBDOMAIN.test(name))) {
    problem('name', `expected the name of a workload (a DNS-1123 subdomain), got ${JSON.stringify(name)}`);
  }
  if (name !== undefined && (typeof kind !== 'string' || !KIND.test(kind))) {
    problem(
      'kind',
      `expected the kind of the named workload (Deployment, StatefulSet, DaemonSet, CronJob, Job, Pod, ...), got ${JSON.stringify(kind)}`,
    );
  } else if (name === undefined && kind !== undefined) {
    problem('kind', 'kind goes with name; a selector grant matches pods by their labels, whatever their workload');
  }
  let parsedSelector: LabelSelector | undefined;
  if (selector !== undefined) {
    parsedSelector = parseLabelSelector(selector);
    if (!parsedSelector) {
      problem(
        'selector',
        'expected a label selector: { matchLabels: {...}, matchExpressions: [{ key, operator, values }] }',
      );
    } else if (!pinsALabelValue(parsedSelector)) {
      problem(
        'selector',
        'the selector must pin at least one label value (matchLabels, or an In expression): with only NotIn, Exists or DoesNotExist it covers every other pod of the namespace',
      );
    }
  }
  if (typeof rule !== 'string' || (!ruleById(rule) && !customRuleIds.includes(rule))) {
    const custom = customRuleIds.length > 0 ? ` or of a custom rule (${customRuleIds.join(', ')})` : '';
    const guess =
      typeof rule === 'string' ? closestName(rule, [...RULES.map((r) => r.id), ...customRuleIds], 3) : undefined;
    problem(
      'rule',
      `expected the id of a catalog rule (docs/rules.md)${custom}, got ${JSON.stringify(rule)}${guess ? `: did you mean '${guess}'?` : ''}`,
    );
  }
  const reasonIssue = reasonProblem(reason);
  if (reasonIssue) problem('reason', `${reasonIssue}: say why the exemption is granted`);
  const approverIssue = reasonProblem(approver);
  if (approverIssue)
    problem('approver', `${approverIssue.replace('reason', 'approver')}: name who approved it (a person or a ticket)`);
  if (!parseExpires(expires)) {
    problem(
      'expires',
      `expected an RFC 3339 date-time with whole seconds such as 2027-01-31T00:00:00Z, got ${JSON.stringify(expires)}`,
    );
  }
  if (problems.length > 0) return { problems };
  return {
    grant: {
      ...(namespace !== undefined ? { namespace: namespace as string } : {}),
      ...(name !== undefined
        ? { kind: kind as string, name: name as string }
        : { selector: parsedSelector as LabelSelector }),
      rule: rule as string,
      reason: reason as string,
      approver: approver as string,
      expires: expires as string,
    },
    problems,
  };
}

/** True when the selector requires some label to have one of a few values (matchLabels, or an `In` expression). */
export function pinsALabelValue(selector: LabelSelector): boolean {
  return (
    Object.keys(selector.matchLabels ?? {}).length > 0 ||
    (selector.matchExpressions ?? []).some((e) => e.operator === 'In' && (e.values ?? []).length > 0)
  );
}

/** Checks a list of grants (stack configuration, a construct prop); problems name `<path>[i].<field>`. */
export function checkGrants(
  values: unknown,
  path: string,
  customRuleIds: readonly string[] = [],
): { grants: ExemptionGrant[]; problems: GrantProblem[] } {
  const grants: ExemptionGrant[] = [];
  const problems: GrantProblem[] = [];
  if (!Array.isArray(values)) return { grants, problems: [{ path, message: 'expected a list of grants' }] };
  values.forEach((v, i) => {
    const r = checkGrant(v, `${path}[${i}]`, customRuleIds);
    if (r.grant) grants.push(r.grant);
    problems.push(...r.problems);
  });
  return { grants, problems };
}

/**
 * The grants of the ExemptionGrantSet named `bulwark` (as `kubectl get exemptiongrantset bulwark -o yaml` or bulwark
 * writes it), the only one the admission bindings read. Any other object, another ExemptionGrantSet (admission would
 * not read it), a second `bulwark` (which one would the cluster hold?) or a malformed grant is a problem.
 */
export function grantsOfObjects(
  objects: readonly K8sObject[],
  customRuleIds: readonly string[] = [],
): { grants: ExemptionGrant[]; problems: GrantProblem[] } {
  const grants: ExemptionGrant[] = [];
  const problems: GrantProblem[] = [];
  let seen = false;
  objects.forEach((o, i) => {
    const where = `${o.kind ?? '<no kind>'} ${o.metadata?.name ?? `#${i + 1}`}`;
    if (o.apiVersion !== GRANT_API_VERSION || o.kind !== GRANT_SET_KIND) {
      problems.push({
        path: where,
        message: `expected apiVersion ${GRANT_API_VERSION} and kind ${GRANT_SET_KIND}, got ${o.apiVersion} ${o.kind}`,
      });
      return;
    }
    if (o.metadata?.name !== GRANT_SET_NAME) {
      problems.push({
        path: where,
        message: `the admission policies read only the ${GRANT_SET_KIND} named ${GRANT_SET_NAME}; move these grants into it`,
      });
      return;
    }
    if (seen) {
      problems.push({
        path: where,
        message: `${GRANT_SET_KIND} ${GRANT_SET_NAME} is given twice; a cluster holds one, so merge them`,
      });
      return;
    }
    seen = true;
    const spec = o.spec;
    const list = isRecord(spec) ? (spec.grants ?? []) : undefined;
    const r = checkGrants(list, `${where}: spec.grants`, customRuleIds);
    grants.push(...r.grants);
    problems.push(...r.problems);
  });
  return { grants, problems };
}

/** The ExemptionGrantSet object holding these grants. */
export function grantSetObject(grants: readonly ExemptionGrant[], name = GRANT_SET_NAME): K8sObject {
  return {
    apiVersion: GRANT_API_VERSION,
    kind: GRANT_SET_KIND,
    metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'bulwark' } },
    spec: { grants: grants.map((g) => ({ ...g })) },
  };
}

/** What admission and audit need to know about the object an exemption is asked for. */
export interface GrantSubject {
  readonly object: K8sObject;
  /** Labels of the pod template (a Pod's own labels). */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * The object an ownerReference names, when it is in the audited input (same namespace, kind, name and uid).
   * Without it no ownerReference is followed.
   */
  readonly ownerOf?: (object: K8sObject, ref: Readonly<Record<string, unknown>>) => K8sObject | undefined;
}

/**
 * True when a grant's `kind`/`name` names this object: the object itself, or an object its controller created,
 * followed through CONTROLLER_LINKS to an owner in the audited input that the grant names (a Deployment's ReplicaSet
 * and its pods, a CronJob's Job and its pods, the pods of a DaemonSet, StatefulSet, Job, ReplicaSet or
 * ReplicationController). Admission follows the same links by the identity of the controller (grant-cel.ts).
 */
export function grantNamesObject(grant: ExemptionGrant, subject: GrantSubject, depth = 0): boolean {
  const { object } = subject;
  if (object.kind === grant.kind && object.metadata?.name === grant.name) return true;
  if (!subject.ownerOf || depth >= 2) return false;
  const ref = asArray(object.metadata?.ownerReferences).find((r) => isRecord(r) && r.controller === true);
  if (!isRecord(ref)) return false;
  if (!CONTROLLER_LINKS.some((l) => l.object === object.kind && l.owner === ref.kind)) return false;
  const owner = subject.ownerOf(object, ref);
  if (!owner) return false;
  return grantNamesObject(grant, { object: owner, ownerOf: subject.ownerOf }, depth + 1);
}

/** True when the grant is about this rule and this object (whatever its expiry). */
export function grantCovers(grant: ExemptionGrant, ruleId: string, subject: GrantSubject): boolean {
  if (grant.rule !== ruleId) return false;
  if (grant.namespace === undefined) {
    // A cluster-scoped object, by kind and name: never a namespaced object written without its namespace.
    const { object } = subject;
    return (
      grant.kind !== undefined &&
      CLUSTER_SCOPED_KINDS.has(grant.kind) &&
      object.metadata?.namespace === undefined &&
      object.kind === grant.kind &&
      object.metadata?.name === grant.name
    );
  }
  if (grant.namespace !== subject.object.metadata?.namespace) return false;
  if (grant.name !== undefined) return grantNamesObject(grant, subject);
  return (
    grant.selector !== undefined && pinsALabelValue(grant.selector) && matchesLabels(grant.selector, subject.podLabels)
  );
}

export type GrantDecision =
  | { readonly status: 'granted'; readonly grant: ExemptionGrant }
  | { readonly status: 'expired'; readonly grant: ExemptionGrant }
  | { readonly status: 'not-granted' };

/**
 * Whether the grants make an exemption from `ruleId` count for this object at `now`: granted by an unexpired grant
 * (the one that lasts longest), else expired (the latest of the expired ones), else not granted.
 */
export function decideGrant(
  grants: readonly ExemptionGrant[],
  ruleId: string,
  subject: GrantSubject,
  now: Date,
): GrantDecision {
  let best: { grant: ExemptionGrant; at: number } | undefined;
  for (const grant of grants) {
    if (!grantCovers(grant, ruleId, subject)) continue;
    const at = parseExpires(grant.expires)?.getTime() ?? -Infinity;
    if (!best || at > best.at) best = { grant, at };
  }
  if (!best) return { status: 'not-granted' };
  return best.at > now.getTime() ? { status: 'granted', grant: best.grant } : { status: 'expired', grant: best.grant };
}
