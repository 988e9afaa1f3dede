import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from '../construct/errors';
import { Exemption, exemptionAnnotations, validateExemptions } from '../construct/construct-exemptions';
import { HardeningGuard } from '../construct/hardening-guard';
import { standardLabels } from '../construct/object-names';
import { ensureSynthValidation } from '../construct/synth-validation';
import { requireDnsLabel, requireLabels, requireQuantity } from '../construct/validators';
import { formatPssVersion, NEWEST_PSS_MINOR, parsePssVersion } from '../policy/pss-version';
import { rejectUnknownProps } from '../construct/known-props';
import { DNS_EGRESS_RULE } from '../k8s/dns-egress';

export interface DefaultDenyNamespaceProps {
  /** Namespace name. @default the construct id */
  readonly name?: string;
  /**
   * Pod Security Standards version the `enforce`, `audit` and `warn` labels pin. Pinned, so that a cluster upgrade does
   * not silently change what is admitted.
   * @default 'v1.30' (the oldest Kubernetes bulwark supports: ValidatingAdmissionPolicy v1). Older versions are
   * refused: they drop checks of the restricted profile (v1.0 checks neither seccomp, capabilities nor the uid).
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
   */
  readonly podSecurityVersion?: string;
  /**
   * Allow DNS (UDP and TCP 53) to kube-dns in kube-system from every pod; without it, nothing resolves names.
   * @default true
   */
  readonly allowDns?: boolean;
  /**
   * ResourceQuota hard limits, merged over the defaults (requests.cpu 8, requests.memory 16Gi, limits.cpu 16,
   * limits.memory 32Gi, requests.ephemeral-storage 20Gi, limits.ephemeral-storage 40Gi, pods 100,
   * persistentvolumeclaims 20, services.nodeports 0, services.loadbalancers 0). Lifting `services.loadbalancers`
   * or `services.nodeports` above 0 needs the exemption `service-loadbalancer` or `service-nodeport`.
   * @see CIS 5.7 / NSA "Resource policies"; OWASP K07 (no NodePort or LoadBalancer without review)
   */
  readonly quota?: Readonly<Record<string, string>>;
  /**
   * The only way to lift a cap of the quota: `{ rule, reason }`, recorded on the ResourceQuota as
   * `exempt.bulwark.dev/<rule>` annotations. @default none
   */
  readonly exemptions?: readonly Exemption[];
  /** Extra labels on the Namespace. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

export const DEFAULT_POD_SECURITY_VERSION = 'v1.30';
/** The oldest version accepted: older ones check less of the restricted profile, and bulwark supports no older cluster. */
const OLDEST_POD_SECURITY_MINOR = 30;

/** DNS (UDP and TCP 53) to kube-dns in kube-system, and nothing else. */
const DNS_EGRESS = [DNS_EGRESS_RULE];

/** Quota keys that cap exposure outside the cluster: lifting them needs the rule's exemption. */
const EXPOSURE_CAPS: Readonly<Record<string, { rule: string; what: string }>> = {
  'services.loadbalancers': { rule: 'service-loadbalancer', what: 'LoadBalancer Services' },
  'services.nodeports': { rule: 'service-nodeport', what: 'NodePort Services' },
};

const DEFAULT_QUOTA: Readonly<Record<string, string>> = {
  'requests.cpu': '8',
  'requests.memory': '16Gi',
  'limits.cpu': '16',
  'limits.memory': '32Gi',
  'requests.ephemeral-storage': '20Gi',
  'limits.ephemeral-storage': '40Gi',
  pods: '100',
  persistentvolumeclaims: '20',
  'services.nodeports': '0',
  'services.loadbalancers': '0',
};

/**
 * A namespace that denies by default: Pod Security Admission `restricted` enforced (and audited and warned), all
 * ingress and egress denied for every pod except DNS, a ResourceQuota and a LimitRange, and the `default`
 * ServiceAccount without token automount.
 */
export class DefaultDenyNamespace extends Construct {
  public readonly name: string;
  /** The Namespace object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: DefaultDenyNamespaceProps = {}) {
    super(scope, id);
    rejectUnknownProps(this, props);
    this.name = requireDnsLabel(this, 'name', props.name ?? id, props.name === undefined);
    if (['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(this.name)) {
      throw propError({
        scope: this,
        prop: 'name',
        received: this.name,
        problem: 'a namespace Kubernetes creates and system components rely on',
        allowed: 'a namespace of your own',
        fix: "name the team's or tier's namespace, e.g. 'shop'",
      });
    }
    const version = props.podSecurityVersion ?? DEFAULT_POD_SECURITY_VERSION;
    const minor = parsePssVersion(version);
    if (minor === undefined || minor > NEWEST_PSS_MINOR || minor < OLDEST_POD_SECURITY_MINOR) {
      throw propError({
        scope: this,
        prop: 'podSecurityVersion',
        received: version,
        problem:
          minor !== undefined && minor < OLDEST_POD_SECURITY_MINOR
            ? 'older Pod Security Standards versions drop checks of the restricted profile'
            : undefined,
        allowed: `a pinned version from ${formatPssVersion(OLDEST_POD_SECURITY_MINOR)} to ${formatPssVersion(NEWEST_PSS_MINOR)} ('latest' is not pinned)`,
        fix: `use the cluster's minor version, e.g. '${DEFAULT_POD_SECURITY_VERSION}'`,
      });
    }
    const exemptions = validateExemptions(this, props.exemptions);
    const quota = { ...DEFAULT_QUOTA, ...(props.quota ?? {}) };
    for (const [k, v] of Object.entries(props.quota ?? {})) {
      const prop = `quota['${k}']`;
      const value = requireQuantity(this, prop, v, '8');
      const cap = EXPOSURE_CAPS[k];
      if (cap && value > 0 && !exemptions.has(cap.rule)) {
        throw propError({
          scope: this,
          prop,
          received: v,
          problem: `lifts the namespace's cap of 0 ${cap.what}`,
          allowed: `"0", or a higher cap with the exemption { rule: '${cap.rule}', reason } on this namespace`,
          fix: `expose workloads through a HardenedIngress, or add exemptions: [{ rule: '${cap.rule}', reason: '<why this namespace needs ${cap.what}>' }]`,
        });
      }
    }
    const guard = new HardeningGuard(this);

    const labels = standardLabels(this.name, 'namespace');
    const meta = (name: string) => ({ name, namespace: this.name, labels });
    const pss = formatPssVersion(minor);
    const pssLabels = {
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': pss,
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': pss,
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': pss,
    };

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: this.name,
        labels: {
          ...requireLabels(this, 'labels', props.labels),
          ...labels,
          // PSS restricted, enforced at admission; audit and warn at the same level and version.
          ...pssLabels,
        },
      },
    });
    // A Namespace is cluster-scoped: drop the namespace a chart adds to every object.
    this.resource.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    guard.add(
      this.resource,
      'without its Pod Security labels the namespace admits privileged pods',
      'choose the version with podSecurityVersion',
      () => [
        // Cluster-scoped: no namespace (the patch above removes the chart's).
        { path: ['metadata', 'namespace'], value: undefined },
        ...Object.entries(pssLabels).map(([k, v]) => ({ path: ['metadata', 'labels', k], value: v })),
      ],
    );

    // NSA/CISA "Network separation": deny all traffic, then open exactly what each workload needs.
    const defaultDeny = new ApiObject(this, 'DefaultDeny', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('default-deny-all'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    guard.add(
      defaultDeny,
      'without it every pod of the namespace that no policy of its own selects accepts and opens any connection',
      'open what each workload needs with its allowFrom/allowTo',
      () => [
        { path: ['spec', 'podSelector'], value: {} },
        { path: ['spec', 'policyTypes'], value: ['Ingress', 'Egress'] },
        { path: ['spec', 'ingress'], value: undefined },
        { path: ['spec', 'egress'], value: undefined },
      ],
    );
    if (props.allowDns ?? true) {
      const allowDns = new ApiObject(this, 'AllowDns', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta('allow-dns'),
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: DNS_EGRESS },
      });
      guard.add(allowDns, 'it opens DNS to kube-dns only', 'set allowDns: false to resolve no names at all', () => [
        { path: ['spec', 'podSelector'], value: {} },
        { path: ['spec', 'policyTypes'], value: ['Egress'] },
        { path: ['spec', 'egress'], value: DNS_EGRESS },
        { path: ['spec', 'ingress'], value: undefined },
      ]);
    }

    const annotations = exemptionAnnotations(exemptions);
    const quotaObject = new ApiObject(this, 'Quota', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { ...meta('default-quota'), ...(Object.keys(annotations).length ? { annotations } : {}) },
      spec: { hard: quota },
    });
    guard.add(
      quotaObject,
      'without it the namespace has no cap on resources, LoadBalancers or NodePorts',
      'change caps with the quota prop',
      () => [{ path: ['spec', 'hard'], value: quota }],
    );

    // Defaults for containers that do not say, and a ceiling for those that do.
    const limitsSpec = {
      limits: [
        {
          type: 'Container',
          defaultRequest: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
          default: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '256Mi' },
          max: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '4Gi' },
        },
      ],
    };
    const limits = new ApiObject(this, 'Limits', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta('default-limits'),
      spec: limitsSpec,
    });
    guard.add(limits, 'without it containers that set no resources run unbounded', 'keep the defaults', () => [
      { path: ['spec'], value: limitsSpec },
    ]);

    // CIS 5.1.5: the default service account gets no token; workloads use their own accounts.
    const defaultAccount = new ApiObject(this, 'DefaultServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta('default'),
      automountServiceAccountToken: false,
    });
    guard.add(
      defaultAccount,
      "without it every pod using the namespace's default ServiceAccount gets an API token mounted",
      'give workloads their own LeastPrivilegeServiceAccount',
      () => [{ path: ['automountServiceAccountToken'], value: false }],
    );
    ensureSynthValidation(this);
  }
}
