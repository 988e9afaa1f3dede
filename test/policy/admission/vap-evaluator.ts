import type {
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from 'kubernetes-types/admissionregistration/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { K8sObject } from '../../../lib/policy';
import { ResourceRule } from '../../../lib/policy/admission';
import { exemptionGrantObjects } from '../../../lib/policy/admission/exemption-grant-objects';
import { CelEnvironment, matchConditionEnv, policyEnv } from './cel-runtime';

/**
 * A test-side model of how the API server evaluates a ValidatingAdmissionPolicy with its binding
 * (k8s.io/apiserver/pkg/admission/plugin/policy/validating): matchConstraints and the binding's namespaceSelector,
 * then the binding's paramRef (the named object of the policy's paramKind; none found: parameterNotFoundAction), then
 * matchConditions (without `variables`), then variables in order, then validations; a false validation yields its
 * messageExpression (falling back to message). failurePolicy is Fail: an evaluation error denies.
 *
 * Before admission the API server stamps the object (k8s.io/apiserver registry Store.Create calls
 * rest.FillObjectMetaSystemFields before createValidation; the field manager sets the time of the updating manager's
 * managedFields entry): on CREATE `metadata.creationTimestamp` becomes the request time whatever the client sent, and
 * the manager's managedFields entry gets the request time on CREATE and UPDATE. `now` is that time.
 */

type Compiled = (context: Record<string, unknown>) => unknown;

const compiled = new Map<CelEnvironment, Map<string, Compiled>>();

/** Compiles each distinct expression once per environment (policies share their variables and conditions). */
function compile(env: CelEnvironment, expression: string): Compiled {
  let byExpr = compiled.get(env);
  if (!byExpr) compiled.set(env, (byExpr = new Map()));
  let fn = byExpr.get(expression);
  if (!fn) {
    const parsed = env.parse(expression);
    const check = parsed.check();
    if (!check.valid) throw new Error(`CEL type error in '${expression}': ${check.error?.message}`);
    fn = parsed as unknown as Compiled;
    byExpr.set(expression, fn);
  }
  return fn;
}

/** Kind -> resource and API group/version, for the kinds the tests submit. */
const RESOURCES: Readonly<Record<string, { group: string; version: string; resource: string }>> = {
  Pod: { group: '', version: 'v1', resource: 'pods' },
  ReplicationController: { group: '', version: 'v1', resource: 'replicationcontrollers' },
  Deployment: { group: 'apps', version: 'v1', resource: 'deployments' },
  StatefulSet: { group: 'apps', version: 'v1', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', version: 'v1', resource: 'daemonsets' },
  ReplicaSet: { group: 'apps', version: 'v1', resource: 'replicasets' },
  Job: { group: 'batch', version: 'v1', resource: 'jobs' },
  CronJob: { group: 'batch', version: 'v1', resource: 'cronjobs' },
};

function resourceOf(object: K8sObject): { group: string; version: string; resource: string } | undefined {
  const r = RESOURCES[object.kind];
  if (!r) return undefined;
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  return group === r.group && version === r.version ? r : undefined;
}

function matchesSelector(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const inValues = has && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === 'In' && !inValues) return false;
    if (e.operator === 'NotIn' && inValues) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/**
 * The object as the API server hands it to CEL: decoded into its typed struct and back, so null fields are gone,
 * integers are CEL ints (BigInt in cel-js) and resource quantities are strings.
 */
export function asAdmitted(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map((v) => asAdmitted(v));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null || v === undefined) continue;
      out[k] = asAdmitted(v);
    }
    return out;
  }
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value;
}

function isQuantityHolder(key: string | undefined): boolean {
  return key === 'requests' || key === 'limits';
}

/** Resource quantities (resources.requests/limits values) are strings in the API, even when written as numbers. */
function normalizeQuantities(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => normalizeQuantities(v));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        isQuantityHolder(key) && (typeof v === 'number' || typeof v === 'bigint')
          ? String(v)
          : normalizeQuantities(v, k);
    }
    return out;
  }
  return value;
}

/** Object normalization as above; quantities are turned into strings before integers become BigInt. */
export function admittedObject(object: K8sObject): Record<string, unknown> {
  return asAdmitted(normalizeQuantities(object)) as Record<string, unknown>;
}

export interface AdmissionRequest {
  readonly object: K8sObject;
  readonly oldObject?: K8sObject;
  readonly operation?: 'CREATE' | 'UPDATE';
  readonly namespaceLabels?: Record<string, string>;
  /** The request time the API server stamps on the object. @default the current time */
  readonly now?: Date;
  /**
   * Who makes the request (`request.userInfo.username`): a workload's author by default; the Kubernetes controllers
   * create ReplicaSets, Jobs and Pods as `system:serviceaccount:kube-system:<controller>`. @default AUTHOR
   */
  readonly username?: string;
  /**
   * The client sends `managedFields: [{}]`, which makes the API server drop every managedFields entry (none is
   * stamped for the request). @default false
   */
  readonly resetManagedFields?: boolean;
}

/** The default requester: a workload's author (kubectl), no controller. */
export const AUTHOR = 'alice@example.com';

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.[0-9]{3}Z$/, 'Z');
}

/** The object as the API server hands it to admission, stamped with the request time (see the comment on top). */
export function stamped(
  object: K8sObject,
  operation: string,
  now: Date,
  oldObject?: K8sObject,
  resetManagedFields = false,
): K8sObject {
  const meta = { ...(object.metadata ?? {}) } as Record<string, unknown>;
  const time = rfc3339(now);
  if (operation === 'CREATE') meta.creationTimestamp = time;
  else if (oldObject?.metadata?.creationTimestamp !== undefined)
    meta.creationTimestamp = oldObject.metadata.creationTimestamp;
  if (resetManagedFields) {
    delete meta.managedFields;
    return { ...object, metadata: meta as K8sObject['metadata'] };
  }
  const others = (Array.isArray(meta.managedFields) ? meta.managedFields : []).filter(
    (f: { manager?: string }) => f?.manager !== 'kubectl-client-side-apply',
  );
  meta.managedFields = [
    ...others,
    { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: object.apiVersion, time },
  ];
  return { ...object, metadata: meta as K8sObject['metadata'] };
}

export interface PolicyOutcome {
  /** The request is of a kind/operation the policy matches, in a namespace its binding selects. */
  readonly matched: boolean;
  /** Matched, but a matchCondition (exemption, unchanged update) was false. */
  readonly skipped: boolean;
  /** Failure messages of the validations that returned false. */
  readonly violations: readonly string[];
  /** Evaluation errors (failurePolicy Fail turns them into denials) and messageExpression problems. */
  readonly errors: readonly string[];
  readonly denied: boolean;
}

export class CompiledPolicy {
  readonly name: string;

  constructor(
    readonly policy: ValidatingAdmissionPolicy,
    readonly binding: ValidatingAdmissionPolicyBinding,
    /** Objects in the cluster the binding's paramRef may name. */
    readonly cluster: readonly K8sObject[] = [],
  ) {
    this.name = policy.metadata?.name ?? '';
    const spec = policy.spec ?? {};
    for (const m of spec.matchConditions ?? []) compile(matchConditionEnv, m.expression);
    for (const v of spec.variables ?? []) compile(policyEnv, v.expression);
    for (const v of spec.validations ?? []) {
      compile(policyEnv, v.expression);
      if (v.messageExpression) compile(policyEnv, v.messageExpression);
    }
  }

  private matches(req: AdmissionRequest, operation: string): boolean {
    const r = resourceOf(req.object);
    if (!r) return false;
    const rules = (this.policy.spec?.matchConstraints?.resourceRules ?? []) as ResourceRule[];
    const hit = rules.some(
      (rule) =>
        (rule.apiGroups ?? []).includes(r.group) &&
        (rule.apiVersions ?? []).includes(r.version) &&
        (rule.operations ?? []).includes(operation) &&
        rule.resources.includes(r.resource),
    );
    if (!hit) return false;
    const labels = req.namespaceLabels ?? {
      'kubernetes.io/metadata.name': req.object.metadata?.namespace ?? 'default',
    };
    return matchesSelector(this.binding.spec?.matchResources?.namespaceSelector, labels);
  }

  evaluate(req: AdmissionRequest, memo: Map<string, unknown> = new Map()): PolicyOutcome {
    const operation = req.operation ?? 'CREATE';
    const none = { matched: false, skipped: false, violations: [], errors: [], denied: false };
    if (!this.matches(req, operation)) return none;
    const now = req.now ?? new Date();
    const object = admittedObject(stamped(req.object, operation, now, req.oldObject, req.resetManagedFields));
    const oldObject = req.oldObject ? admittedObject(req.oldObject) : null;
    const r = resourceOf(req.object) as { group: string; version: string; resource: string };
    const request = {
      operation,
      kind: { group: r.group, version: r.version, kind: req.object.kind },
      resource: { group: r.group, version: r.version, resource: r.resource },
      name: req.object.metadata?.name ?? '',
      namespace: req.object.metadata?.namespace ?? 'default',
      userInfo: { username: req.username ?? AUTHOR },
    };
    const spec = this.policy.spec ?? {};
    let params: unknown = null;
    if (spec.paramKind) {
      const ref = this.binding.spec?.paramRef;
      const found = this.cluster.find(
        (o) =>
          o.apiVersion === spec.paramKind?.apiVersion &&
          o.kind === spec.paramKind?.kind &&
          o.metadata?.name === ref?.name,
      );
      if (!found) {
        if (ref?.parameterNotFoundAction === 'Allow') return { ...none, matched: true };
        const error = `no params found for policy binding with \`Deny\` parameterNotFoundAction`;
        return { matched: true, skipped: false, violations: [], errors: [error], denied: true };
      }
      params = admittedObject(found);
    }
    const base = { object, oldObject, request, params, namespaceObject: null };
    const errors: string[] = [];
    for (const m of spec.matchConditions ?? []) {
      let value: unknown;
      try {
        value = compile(matchConditionEnv, m.expression)(base);
      } catch (e) {
        errors.push(`matchCondition ${m.name}: ${(e as Error).message.split('\n')[0]}`);
        continue;
      }
      if (value === false) return { matched: true, skipped: true, violations: [], errors: [], denied: false };
      if (value !== true) errors.push(`matchCondition ${m.name} returned ${String(value)}, not a bool`);
    }
    if (errors.length > 0) return { matched: true, skipped: false, violations: [], errors, denied: true };
    const variables: Record<string, unknown> = {};
    const ctx = { ...base, variables };
    for (const v of spec.variables ?? []) {
      const key = `${v.name}\u0000${v.expression}`;
      if (memo.has(key)) {
        variables[v.name] = memo.get(key);
        continue;
      }
      try {
        variables[v.name] = compile(policyEnv, v.expression)(ctx);
        memo.set(key, variables[v.name]);
      } catch (e) {
        errors.push(`variable ${v.name}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    const violations: string[] = [];
    for (const [i, v] of (spec.validations ?? []).entries()) {
      let ok: unknown;
      try {
        ok = compile(policyEnv, v.expression)(ctx);
      } catch (e) {
        errors.push(`validation ${i}: ${(e as Error).message.split('\n')[0]}`);
        continue;
      }
      if (ok === true) continue;
      if (ok !== false) {
        errors.push(`validation ${i} returned ${String(ok)}, not a bool`);
        continue;
      }
      let message = v.message ?? `failed expression: ${v.expression}`;
      if (v.messageExpression) {
        try {
          const m = compile(policyEnv, v.messageExpression)(ctx);
          if (typeof m !== 'string' || m.trim() === '' || /[\r\n]/.test(m)) {
            errors.push(`messageExpression ${i} gave ${JSON.stringify(m)}: must be a non-empty single-line string`);
          } else message = m;
        } catch (e) {
          errors.push(`messageExpression ${i}: ${(e as Error).message.split('\n')[0]}`);
        }
      }
      violations.push(message);
    }
    return { matched: true, skipped: false, violations, errors, denied: violations.length > 0 || errors.length > 0 };
  }
}

/**
 * Pairs each generated policy with its binding and compiles them. `cluster` holds the other objects in the cluster
 * (the params): by default what BulwarkAdmissionPolicies installs with the policies, the CRD and an empty grant set.
 */
export function compilePolicies(
  objects: readonly K8sObject[],
  cluster: readonly K8sObject[] = exemptionGrantObjects(),
): CompiledPolicy[] {
  const bindings = new Map(
    objects
      .filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding')
      .map((o) => [(o as ValidatingAdmissionPolicyBinding).spec?.policyName, o as ValidatingAdmissionPolicyBinding]),
  );
  return objects
    .filter((o) => o.kind === 'ValidatingAdmissionPolicy')
    .map((o) => {
      const policy = o as ValidatingAdmissionPolicy;
      const binding = bindings.get(policy.metadata?.name);
      if (!binding) throw new Error(`policy ${policy.metadata?.name} has no binding`);
      return new CompiledPolicy(policy, binding, cluster);
    });
}
