/**
 * Removed and deprecated API versions of built-in kinds, from the Kubernetes deprecated API migration guide
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/). A version is a Kubernetes minor number.
 */

/** Newest Kubernetes minor release this table knows; `--kubernetes-version latest` means it. */
export const NEWEST_KUBERNETES_MINOR = 37;
/** Oldest minor release accepted by --kubernetes-version. */
export const OLDEST_KUBERNETES_MINOR = 16;

export interface ApiVersionChange {
  readonly apiVersion: string;
  readonly kinds: readonly string[];
  /** First release that marks it deprecated (still served). */
  readonly deprecatedIn: number;
  /** First release that no longer serves it. */
  readonly removedIn: number;
  /** What to write instead. */
  readonly replacement: string;
}

const change = (
  apiVersion: string,
  kinds: readonly string[],
  deprecatedIn: number,
  removedIn: number,
  replacement: string,
): ApiVersionChange => ({ apiVersion, kinds, deprecatedIn, removedIn, replacement });

const WORKLOADS = ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet'];
const RBAC = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
const FLOW = ['FlowSchema', 'PriorityLevelConfiguration'];

export const API_VERSION_CHANGES: readonly ApiVersionChange[] = [
  change('extensions/v1beta1', WORKLOADS, 9, 16, 'apps/v1'),
  change('extensions/v1beta1', ['NetworkPolicy'], 9, 16, 'networking.k8s.io/v1'),
  change('extensions/v1beta1', ['PodSecurityPolicy'], 10, 16, 'none: Pod Security Admission (namespace labels)'),
  change('apps/v1beta1', WORKLOADS, 9, 16, 'apps/v1'),
  change('apps/v1beta2', WORKLOADS, 9, 16, 'apps/v1'),
  change('extensions/v1beta1', ['Ingress'], 14, 22, 'networking.k8s.io/v1'),
  change('networking.k8s.io/v1beta1', ['Ingress', 'IngressClass'], 19, 22, 'networking.k8s.io/v1'),
  change(
    'admissionregistration.k8s.io/v1beta1',
    ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    16,
    22,
    'admissionregistration.k8s.io/v1',
  ),
  change('apiextensions.k8s.io/v1beta1', ['CustomResourceDefinition'], 16, 22, 'apiextensions.k8s.io/v1'),
  change('apiregistration.k8s.io/v1beta1', ['APIService'], 19, 22, 'apiregistration.k8s.io/v1'),
  change('authentication.k8s.io/v1beta1', ['TokenReview'], 19, 22, 'authentication.k8s.io/v1'),
  change(
    'authorization.k8s.io/v1beta1',
    ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview'],
    19,
    22,
    'authorization.k8s.io/v1',
  ),
  change('certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], 19, 22, 'certificates.k8s.io/v1'),
  change('coordination.k8s.io/v1beta1', ['Lease'], 19, 22, 'coordination.k8s.io/v1'),
  change('rbac.authorization.k8s.io/v1beta1', RBAC, 17, 22, 'rbac.authorization.k8s.io/v1'),
  change('rbac.authorization.k8s.io/v1alpha1', RBAC, 17, 22, 'rbac.authorization.k8s.io/v1'),
  change('scheduling.k8s.io/v1beta1', ['PriorityClass'], 14, 22, 'scheduling.k8s.io/v1'),
  change('scheduling.k8s.io/v1alpha1', ['PriorityClass'], 14, 17, 'scheduling.k8s.io/v1'),
  change(
    'storage.k8s.io/v1beta1',
    ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
    19,
    22,
    'storage.k8s.io/v1',
  ),
  change('batch/v1beta1', ['CronJob'], 21, 25, 'batch/v1'),
  change('discovery.k8s.io/v1beta1', ['EndpointSlice'], 21, 25, 'discovery.k8s.io/v1'),
  change('events.k8s.io/v1beta1', ['Event'], 21, 25, 'events.k8s.io/v1'),
  change('autoscaling/v2beta1', ['HorizontalPodAutoscaler'], 22, 25, 'autoscaling/v2'),
  change('policy/v1beta1', ['PodDisruptionBudget'], 21, 25, 'policy/v1'),
  change('policy/v1beta1', ['PodSecurityPolicy'], 21, 25, 'none: Pod Security Admission (namespace labels)'),
  change('node.k8s.io/v1beta1', ['RuntimeClass'], 20, 25, 'node.k8s.io/v1'),
  change('autoscaling/v2beta2', ['HorizontalPodAutoscaler'], 23, 26, 'autoscaling/v2'),
  change('flowcontrol.apiserver.k8s.io/v1beta1', FLOW, 23, 26, 'flowcontrol.apiserver.k8s.io/v1'),
  change('storage.k8s.io/v1beta1', ['CSIStorageCapacity'], 24, 27, 'storage.k8s.io/v1'),
  change('flowcontrol.apiserver.k8s.io/v1beta2', FLOW, 26, 29, 'flowcontrol.apiserver.k8s.io/v1'),
  change('flowcontrol.apiserver.k8s.io/v1beta3', FLOW, 29, 32, 'flowcontrol.apiserver.k8s.io/v1'),
];

const BY_VERSION_AND_KIND: ReadonlyMap<string, ApiVersionChange> = new Map(
  API_VERSION_CHANGES.flatMap((c) => c.kinds.map((k) => [`${c.apiVersion}\u0000${k}`, c] as const)),
);

/** Every kind some entry of the table names (the kinds the API version rules look at). */
export const KINDS_WITH_VERSION_CHANGES: readonly string[] = [
  ...new Set(API_VERSION_CHANGES.flatMap((c) => c.kinds)),
].sort();

/** The removal or deprecation entry of an object's apiVersion and kind, if the table has one. */
export function apiVersionChange(apiVersion: string, kind: string): ApiVersionChange | undefined {
  return BY_VERSION_AND_KIND.get(`${apiVersion}\u0000${kind}`);
}

/**
 * Parses `v1.29`, `1.29`, a release with its patch number (`v1.29.4`, as `kubectl version` prints it) or `latest` into a
 * minor number; undefined when malformed or outside the known range.
 */
export function parseKubernetesVersion(text: string): number | undefined {
  if (text === 'latest') return NEWEST_KUBERNETES_MINOR;
  const m = /^v?1\.([1-9][0-9]?)(?:\.(?:0|[1-9][0-9]{0,3}))?$/.exec(text);
  if (!m) return undefined;
  const minor = Number(m[1]);
  return minor >= OLDEST_KUBERNETES_MINOR && minor <= NEWEST_KUBERNETES_MINOR ? minor : undefined;
}
