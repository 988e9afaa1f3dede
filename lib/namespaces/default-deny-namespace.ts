import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from '../construct/errors';
import { standardLabels } from '../construct/object-names';
import { ensureSynthValidation } from '../construct/synth-validation';
import { requireDnsLabel, requireQuantity } from '../construct/validators';
import { formatPssVersion, NEWEST_PSS_MINOR, parsePssVersion } from '../policy/pss-version';
import { rejectUnknownProps } from '../construct/known-props';

export interface DefaultDenyNamespaceProps {
  /** Namespace name. @default the construct id */
  readonly name?: string;
  /**
   * Pod Security Standards version the `enforce`, `audit` and `warn` labels pin. Pinned, so that a cluster upgrade does
   * not silently change what is admitted.
   * @default 'v1.30' (the oldest Kubernetes bulwark supports: ValidatingAdmissionPolicy v1)
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
   * persistentvolumeclaims 20, services.nodeports 0, services.loadbalancers 0).
   * @see CIS 5.7 / NSA "Resource policies"; OWASP K07 (no NodePort or LoadBalancer without review)
   */
  readonly quota?: Readonly<Record<string, string>>;
  /** Extra labels on the Namespace. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

export const DEFAULT_POD_SECURITY_VERSION = 'v1.30';

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
    if (minor === undefined || minor > NEWEST_PSS_MINOR) {
      throw propError({
        scope: this,
        prop: 'podSecurityVersion',
        received: version,
        allowed: `a pinned version from v1.0 to ${formatPssVersion(NEWEST_PSS_MINOR)} ('latest' is not pinned)`,
        fix: `use the cluster's minor version, e.g. '${DEFAULT_POD_SECURITY_VERSION}'`,
      });
    }
    const quota = { ...DEFAULT_QUOTA, ...(props.quota ?? {}) };
    for (const [k, v] of Object.entries(props.quota ?? {})) requireQuantity(this, `quota['${k}']`, v, '8');

    const labels = standardLabels(this.name, 'namespace');
    const meta = (name: string) => ({ name, namespace: this.name, labels });
    const pss = formatPssVersion(minor);

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: this.name,
        labels: {
          ...(props.labels ?? {}),
          ...labels,
          // PSS restricted, enforced at admission; audit and warn at the same level and version.
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': pss,
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': pss,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': pss,
        },
      },
    });
    // A Namespace is cluster-scoped: drop the namespace a chart adds to every object.
    this.resource.addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    // NSA/CISA "Network separation": deny all traffic, then open exactly what each workload needs.
    new ApiObject(this, 'DefaultDeny', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('default-deny-all'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    if (props.allowDns ?? true) {
      new ApiObject(this, 'AllowDns', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta('allow-dns'),
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                },
              ],
              ports: [
                { protocol: 'UDP', port: 53 },
                { protocol: 'TCP', port: 53 },
              ],
            },
          ],
        },
      });
    }

    new ApiObject(this, 'Quota', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta('default-quota'),
      spec: { hard: quota },
    });

    // Defaults for containers that do not say, and a ceiling for those that do.
    new ApiObject(this, 'Limits', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta('default-limits'),
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
            default: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '256Mi' },
            max: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '4Gi' },
          },
        ],
      },
    });

    // CIS 5.1.5: the default service account gets no token; workloads use their own accounts.
    new ApiObject(this, 'DefaultServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta('default'),
      automountServiceAccountToken: false,
    });
    ensureSynthValidation(this);
  }
}
