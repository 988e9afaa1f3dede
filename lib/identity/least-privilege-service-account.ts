import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { PolicyRule } from 'kubernetes-types/rbac/v1';
import { propError } from '../construct/errors';
import { Exemption, exemptionAnnotations, validateExemptions } from '../construct/construct-exemptions';
import { resolveName, resolveNamespace, standardLabels } from '../construct/object-names';
import { policyRuleProblems, PolicyRuleLike } from '../k8s/rbac';
import { ensureSynthValidation } from '../construct/synth-validation';
import { declareExemptionAnnotations } from '../construct/exemption-guard';
import { rejectUnknownProps } from '../construct/known-props';

/** One namespaced RBAC rule: what the workload may do with the Kubernetes API. */
export interface ApiRule {
  /** API groups; `''` is the core group. */
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** Restrict to these object names. Required for `get` on secrets. @default any name */
  readonly resourceNames?: readonly string[];
}

export interface LeastPrivilegeServiceAccountProps {
  /** ServiceAccount name. @default the construct id */
  readonly name?: string;
  /** @default the chart's namespace */
  readonly namespace?: string;
  /**
   * API rules, granted through a namespaced Role + RoleBinding (never a ClusterRole). Refused: `*` anywhere, the verbs
   * escalate/bind/impersonate, list/watch on secrets or get without resourceNames, pods/exec, pods/attach,
   * nodes/proxy, serviceaccounts/token, pods/portforward, pods/proxy, services/proxy, create on pods and pod
   * controllers, writes to NetworkPolicies and admission policies, CSR approval.
   * @default none: the account has no API access and pods using it get no token
   * @see CIS 5.1.1–5.1.8, OWASP K03 "Overly permissive RBAC"
   */
  readonly rules?: readonly ApiRule[];
  /** The only way out of a refused rule: `{ rule, reason }`, written onto the Role as an annotation. @default none */
  readonly exemptions?: readonly Exemption[];
}

const ALLOWED_BY_RULE: Readonly<Record<string, string>> = {
  'rbac-wildcard': "explicit apiGroups, resources and verbs, no '*'",
  'rbac-escalation-verbs': 'verbs other than escalate, bind and impersonate',
  'rbac-secrets-read': "only 'get' on secrets, with resourceNames",
  'rbac-sensitive-subresources': 'resources other than pods/exec, pods/attach, nodes/proxy and serviceaccounts/token',
  'rbac-port-forward-proxy': 'resources other than pods/portforward, pods/proxy and services/proxy',
  'rbac-workload-create':
    "no 'create' on pods, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs or ReplicationControllers",
  'rbac-policy-write':
    'read verbs only on NetworkPolicies, admission policies, their bindings and webhook configurations',
  'rbac-csr-approval': "no certificatesigningrequests/approval and no 'approve' on signers",
};

/**
 * A ServiceAccount that holds exactly the API rules given, in its own namespace: token automount off, rules as a
 * namespaced Role + RoleBinding, dangerous rules refused when written.
 */
export class LeastPrivilegeServiceAccount extends Construct {
  /** The ServiceAccount's name. */
  public readonly name: string;
  public readonly namespace: string;
  /** The ServiceAccount object. */
  public readonly resource: ApiObject;
  /** The Role, when the account has rules. */
  public readonly role?: ApiObject;
  /** The RoleBinding, when the account has rules. */
  public readonly roleBinding?: ApiObject;

  constructor(scope: Construct, id: string, props: LeastPrivilegeServiceAccountProps = {}) {
    super(scope, id);
    rejectUnknownProps(this, props);
    this.name = resolveName(this, props.name);
    this.namespace = resolveNamespace(this, props.namespace);
    const exemptions = validateExemptions(this, props.exemptions);
    const rules = (props.rules ?? []).map((r, i) => this.checkRule(r, i, exemptions));
    const labels = standardLabels(this.name, 'identity');

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: this.name, namespace: this.namespace, labels },
      // CIS 5.1.6: tokens are mounted per pod, and only for pods whose account has API rules.
      automountServiceAccountToken: false,
    });

    if (rules.length > 0) {
      const annotations = exemptionAnnotations(exemptions);
      // The Role must carry exactly these: synth fails when a patch adds, changes or removes one.
      declareExemptionAnnotations(this, annotations, 'Role');
      this.role = new ApiObject(this, 'Role', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: {
          name: this.name,
          namespace: this.namespace,
          labels,
          ...(Object.keys(annotations).length ? { annotations } : {}),
        },
        rules,
      });
      this.roleBinding = new ApiObject(this, 'RoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: this.name, namespace: this.namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
        subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
      });
    }
    ensureSynthValidation(this);
  }

  /** True when the account has API rules, so pods using it need their token mounted. */
  public get hasApiRules(): boolean {
    return this.role !== undefined;
  }

  private checkRule(rule: ApiRule, index: number, exemptions: ReadonlyMap<string, string>): PolicyRule {
    const like: PolicyRuleLike = rule;
    for (const field of ['apiGroups', 'resources', 'verbs'] as const) {
      if (!Array.isArray(like[field]) || like[field]!.length === 0) {
        throw propError({
          scope: this,
          prop: `rules[${index}].${field}`,
          received: like[field],
          allowed: `a non-empty list of ${field}`,
          fix: field === 'apiGroups' ? "use [''] for the core API group" : `list the ${field} the workload needs`,
        });
      }
    }
    for (const p of policyRuleProblems(like)) {
      if (exemptions.has(p.ruleId)) continue;
      throw propError({
        scope: this,
        prop: `rules[${index}].${p.field}`,
        received: p.value === '' ? like[p.field] : p.value,
        problem: `${p.ruleId}: ${p.message}`,
        allowed: ALLOWED_BY_RULE[p.ruleId] ?? 'a least-privilege rule',
        fix: p.fix,
      });
    }
    return {
      apiGroups: [...rule.apiGroups],
      resources: [...rule.resources],
      verbs: [...rule.verbs],
      ...(rule.resourceNames ? { resourceNames: [...rule.resourceNames] } : {}),
    };
  }
}
