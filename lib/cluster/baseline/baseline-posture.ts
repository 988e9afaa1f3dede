import { getPath, PlannedResource, resourceLabel } from '../posture/planned-resource';
import { control, Evidence, expect, missing, PostureControl, prop, related } from '../posture/posture-control';
import { EXEMPTION_GRANTS_CONTROL } from './baseline-grants';

const NAMESPACE = 'kubernetes:core/v1:Namespace';
const NETWORK_POLICY = 'kubernetes:networking.k8s.io/v1:NetworkPolicy';
const K8S_PROVIDER = 'pulumi:providers:kubernetes';
const POLICY = 'kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy';
const BINDING = 'kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding';
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
/**
 * Outputs naming a cluster's API server: `endpoint` (EKS, GKE's IP endpoint), `privateFQDN` (AKS private clusters),
 * GKE's DNS-based endpoint, and a cluster stack's `endpoint` output read by a baseline stack's StackReference.
 */
const ENDPOINT_OUTPUTS = [
  'endpoint',
  'privateFQDN',
  'controlPlaneEndpointsConfig.dnsEndpointConfig.endpoint',
  'outputs.endpoint',
];
const STORAGE_CLASS = 'kubernetes:storage.k8s.io/v1:StorageClass';

/** How each cloud's CSI driver is told which customer-managed key encrypts a volume. */
const VOLUME_KEY_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  'ebs.csi.aws.com': ['parameters.encrypted', 'parameters.kmsKeyId'],
  'pd.csi.storage.gke.io': ['parameters["disk-encryption-kms-key"]'],
  'disk.csi.azure.com': ['parameters.diskEncryptionSetID'],
};

function isDenyAll(np: PlannedResource): boolean {
  const selector = getPath(np.inputs, 'spec.podSelector');
  const types = getPath(np.inputs, 'spec.policyTypes');
  const emptySelector =
    typeof selector === 'object' &&
    selector !== null &&
    Object.keys(selector).every((k) => {
      const v = (selector as Record<string, unknown>)[k];
      return v === undefined || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
    });
  return (
    emptySelector &&
    Array.isArray(types) &&
    types.includes('Ingress') &&
    types.includes('Egress') &&
    getPath(np.inputs, 'spec.ingress') === undefined &&
    getPath(np.inputs, 'spec.egress') === undefined
  );
}

/** `n of m` of the policies passing `test`, naming those that do not. */
function tally(
  policies: readonly PlannedResource[],
  property: string,
  expected: string,
  test: (p: PlannedResource) => boolean,
): Evidence {
  const bad = policies.filter((p) => !test(p)).map((p) => String(getPath(p.inputs, 'metadata.name')));
  const n = policies.length;
  return {
    resource: `${POLICY} (${n})`,
    property,
    actual: `${n - bad.length} of ${n}${bad.length > 0 ? `; not: ${bad.join(', ')}` : ''}`,
    expected,
    pass: bad.length === 0,
  };
}

/** Posture of the bulwark baseline installed into the new cluster; the same for every cloud. */
export const BASELINE_CONTROLS: readonly PostureControl[] = [
  control({
    id: 'baseline-default-deny-namespaces',
    title: 'Namespaces enforce PSS restricted and deny all traffic by default',
    references: [
      'PSS restricted',
      'NSA/CISA: network separation',
      'CIS EKS 4.3.2',
      'CIS GKE 4.3.2',
      'CIS AKS 4.4.2',
      'OWASP K07',
    ],
    targets: [
      {
        resourceType: NAMESPACE,
        // An add-on's namespace (label bulwark.dev/addon) is judged by the add-on's own control.
        where: (r) =>
          !SYSTEM_NAMESPACES.includes(String(getPath(r.inputs, 'metadata.name'))) &&
          getPath(r.inputs, 'metadata.labels["bulwark.dev/addon"]') === undefined,
        whereDescribe: 'namespace of the baseline',
        checks: [
          prop('metadata.labels["pod-security.kubernetes.io/enforce"]', expect.equals('restricted')),
          related(
            'deny-all NetworkPolicy (empty podSelector, Ingress and Egress, no rules) in the namespace',
            (ns, plan) =>
              plan
                .ofType(NETWORK_POLICY)
                .filter((np) => getPath(np.inputs, 'metadata.namespace') === getPath(ns.inputs, 'metadata.name'))
                .filter(isDenyAll),
            [],
          ),
        ],
      },
    ],
  }),
  {
    id: 'baseline-admission-policies',
    title: 'Catalog pod rules enforced at admission (error rules denied, policies fail closed)',
    references: ['PSS restricted', 'NSA/CISA: admission control', 'OWASP K04'],
    evaluate(plan) {
      const policies = plan.ofType(POLICY);
      if (policies.length === 0) return [missing(POLICY, 'the catalog policies of the baseline')];
      const bindings = plan.ofType(BINDING);
      const bindingOf = (p: PlannedResource) =>
        bindings.find((b) => getPath(b.inputs, 'spec.policyName') === getPath(p.inputs, 'metadata.name'));
      const severity = (p: PlannedResource) => getPath(p.inputs, 'metadata.annotations["bulwark.dev/severity"]');
      return [
        tally(
          policies,
          'spec.failurePolicy',
          '"Fail" on every policy',
          (p) => getPath(p.inputs, 'spec.failurePolicy') === 'Fail',
        ),
        tally(
          policies,
          '(binding with spec.policyName)',
          'a binding for every policy',
          (p) => bindingOf(p) !== undefined,
        ),
        tally(
          policies.filter((p) => severity(p) === 'error'),
          '(binding spec.validationActions of error rules)',
          'includes "Deny" for every error-severity rule',
          (p) => {
            const actions = getPath(bindingOf(p)?.inputs, 'spec.validationActions');
            return Array.isArray(actions) && actions.includes('Deny');
          },
        ),
      ];
    },
  },
  {
    id: 'baseline-installed-in-new-cluster',
    title: "Baseline objects applied through a Kubernetes provider built from the new cluster's kubeconfig",
    references: ['bulwark baseline'],
    evaluate(plan) {
      const objects = plan.resources.filter((r) => r.custom && r.type.startsWith('kubernetes:'));
      if (objects.length === 0) {
        return [
          {
            resource: '(no kubernetes objects)',
            property: '-',
            actual: undefined,
            expected: 'the baseline',
            pass: false,
          },
        ];
      }
      const endpoints = plan.resources.flatMap((r) =>
        ENDPOINT_OUTPUTS.map((field) => getPath(r.state, field))
          .filter((e): e is string => r.custom && typeof e === 'string' && e !== '')
          .map((endpoint) => ({ r, endpoint })),
      );
      const evidence: Evidence[] = [];
      const providers = new Set<PlannedResource>();
      for (const o of objects) {
        const p = plan.providerOf(o);
        if (p) providers.add(p);
        if (p?.type !== K8S_PROVIDER) {
          evidence.push({
            resource: resourceLabel(o),
            property: '(provider)',
            actual: p ? resourceLabel(p) : (o.provider ?? 'default provider (ambient kubeconfig)'),
            expected: `an explicit ${K8S_PROVIDER}`,
            pass: false,
          });
        }
      }
      for (const p of providers) {
        if (p.type !== K8S_PROVIDER) continue;
        const kubeconfig = p.inputs.kubeconfig;
        const cluster = endpoints.find((e) => typeof kubeconfig === 'string' && kubeconfig.includes(e.endpoint));
        evidence.push({
          resource: resourceLabel(p),
          property: 'kubeconfig',
          actual: cluster
            ? `server ${cluster.endpoint}`
            : typeof kubeconfig === 'string'
              ? '(another server)'
              : kubeconfig,
          expected: cluster ? `the endpoint of ${resourceLabel(cluster.r)}` : 'the endpoint of a cluster in this stack',
          pass: cluster !== undefined,
        });
        const usedBy = objects.filter((o) => plan.providerOf(o) === p).length;
        evidence.push({
          resource: resourceLabel(p),
          property: '(objects applied through it)',
          actual: usedBy,
          expected: `all ${objects.length} baseline objects`,
          pass: usedBy === objects.length,
        });
      }
      return evidence;
    },
  },
  control({
    id: 'baseline-encrypted-storage-class',
    title: "Default StorageClass 'encrypted': volumes encrypted with the cluster's key, kept when released",
    references: ['CIS GKE 5.9.1', 'NSA/CISA: encrypt data at rest'],
    targets: [
      {
        resourceType: STORAGE_CLASS,
        where: (r) => getPath(r.inputs, 'metadata.name') === 'encrypted',
        whereDescribe: "StorageClass 'encrypted'",
        checks: [
          prop('metadata.annotations["storageclass.kubernetes.io/is-default-class"]', expect.equals('true')),
          prop('reclaimPolicy', expect.equals('Retain')),
          prop('provisioner', expect.oneOf(['ebs.csi.aws.com', 'pd.csi.storage.gke.io', 'disk.csi.azure.com'])),
          (r, plan) =>
            (VOLUME_KEY_PARAMETERS[String(r.inputs.provisioner)] ?? []).flatMap((path) =>
              prop(path, expect.set("the cluster's key (or 'true')"))(r, plan),
            ),
        ],
      },
    ],
  }),
  EXEMPTION_GRANTS_CONTROL,
];
